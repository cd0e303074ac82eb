package smtptest

import (
	"crypto/tls"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// MaxSessionLines is how many wire lines a session log keeps; the lines
// after them are counted in Session.LinesDropped, so that a client sending
// a large message cannot grow the log without bound.
const MaxSessionLines = 5000

// SessionLine is one wire line of a session log.
type SessionLine struct {
	// Time is when the server read or queued the line.
	Time time.Time `json:"time"`
	// Dir is smtpwire.Sent for a client line ("C") and smtpwire.Received
	// for a server line ("S").
	Dir smtpwire.Direction `json:"-"`
	// Text is the line as in MailServerOptions.Trace: without CRLF, AUTH
	// payloads redacted, cut at 1000 octets.
	Text string `json:"text"`
}

// TLSInfo describes the TLS connection of a session.
type TLSInfo struct {
	Version     string `json:"version"`      // "TLS 1.3"
	CipherSuite string `json:"cipher_suite"` // "TLS_AES_128_GCM_SHA256"
	ServerName  string `json:"server_name"`  // SNI sent by the client; "" without
	ALPN        string `json:"alpn,omitempty"`
}

// Session is the log of one SMTP session of a MailServer: who connected,
// what was said and when, TLS and AUTH, and the messages accepted.
type Session struct {
	// ID counts sessions from "S00000001" in each server.
	ID          string    `json:"id"`
	Remote      string    `json:"remote"`
	Local       string    `json:"local"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end,omitzero"` // zero while the session is open
	ImplicitTLS bool      `json:"implicit_tls"`
	TLS         *TLSInfo  `json:"tls,omitempty"` // nil without TLS
	Helo        string    `json:"helo,omitempty"`
	AuthUser    string    `json:"auth_user,omitempty"`
	AuthMech    string    `json:"auth_mech,omitempty"`
	Messages    []string  `json:"messages"` // IDs of the messages accepted
	// LineCount is how many lines Lines holds; Sessions fills it but
	// leaves Lines nil.
	LineCount    int           `json:"line_count"`
	LinesDropped int           `json:"lines_dropped"`
	Lines        []SessionLine `json:"-"`
}

// Open reports whether the session is still going on.
func (s Session) Open() bool { return s.End.IsZero() }

// sessionRecord is the live log of a session; the session's goroutine
// writes it while readers copy it.
type sessionRecord struct {
	mu sync.Mutex
	s  Session
}

// newRecordLocked starts the log of ss; s.mu is held.
func (s *MailServer) newRecordLocked(ss *mailSession) *sessionRecord {
	s.lastSession++
	r := &sessionRecord{s: Session{
		ID:          fmt.Sprintf("S%08X", s.lastSession),
		Remote:      ss.remote,
		Local:       ss.raw.LocalAddr().String(),
		Start:       time.Now(),
		ImplicitTLS: ss.implicitTLS,
		Messages:    []string{},
	}}
	if keep := s.opts.KeepSessions; keep > 0 {
		s.log = append(s.log, r)
		if over := len(s.log) - keep; over > 0 {
			s.log = slices.Delete(s.log, 0, over)
		}
	}
	s.notifyLocked()
	return r
}

func (r *sessionRecord) addLine(dir smtpwire.Direction, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.s.Lines) >= MaxSessionLines {
		r.s.LinesDropped++
		return
	}
	r.s.Lines = append(r.s.Lines, SessionLine{Time: time.Now(), Dir: dir, Text: text})
}

func (r *sessionRecord) setTLS(cs tls.ConnectionState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.TLS = &TLSInfo{
		Version:     tls.VersionName(cs.Version),
		CipherSuite: tls.CipherSuiteName(cs.CipherSuite),
		ServerName:  cs.ServerName,
		ALPN:        cs.NegotiatedProtocol,
	}
}

func (r *sessionRecord) setHelo(helo string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.Helo = helo
}

func (r *sessionRecord) setAuth(user, mech string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.AuthUser, r.s.AuthMech = user, mech
}

func (r *sessionRecord) addMessage(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.Messages = append(r.s.Messages, id)
}

func (r *sessionRecord) end() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.End = time.Now()
}

func (r *sessionRecord) id() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.s.ID
}

// copy returns a copy of the log, with its lines if withLines.
func (r *sessionRecord) copy(withLines bool) Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.s
	c.Messages = slices.Clone(c.Messages)
	c.LineCount = len(c.Lines)
	if c.TLS != nil {
		t := *c.TLS
		c.TLS = &t
	}
	c.Lines = nil
	if withLines {
		c.Lines = slices.Clone(r.s.Lines)
	}
	return c
}

// Sessions returns the logs of the sessions kept (at most
// MailServerOptions.KeepSessions), oldest first, without their lines
// (LineCount says how many there are).
func (s *MailServer) Sessions() []Session {
	s.mu.Lock()
	log := slices.Clone(s.log)
	s.mu.Unlock()
	out := make([]Session, len(log))
	for i, r := range log {
		out[i] = r.copy(false)
	}
	return out
}

// Session returns the log of the session with the given ID, lines
// included.
func (s *MailServer) Session(id string) (Session, bool) {
	s.mu.Lock()
	log := slices.Clone(s.log)
	s.mu.Unlock()
	for _, r := range log {
		if r.id() == id {
			return r.copy(true), true
		}
	}
	return Session{}, false
}

// DeleteSessions forgets the logs of the sessions that have ended; those
// still open stay.
func (s *MailServer) DeleteSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = slices.DeleteFunc(s.log, func(r *sessionRecord) bool { return !r.copy(false).Open() })
	s.notifyLocked()
}

// Message returns a copy of the message with the given ID, if it is kept.
func (s *MailServer) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.messages {
		if m.ID == id {
			return m.clone(), true
		}
	}
	return Message{}, false
}

// DeleteMessage forgets the message with the given ID; it reports whether
// there was one.
func (s *MailServer) DeleteMessage(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.messages)
	s.messages = slices.DeleteFunc(s.messages, func(m Message) bool { return m.ID == id })
	s.notifyLocked()
	return len(s.messages) < n
}

// DeleteMessages forgets every message kept.
func (s *MailServer) DeleteMessages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = nil
	s.notifyLocked()
}

// Changed returns a channel that is closed at the next change: a session
// starts or ends, a message is accepted, something is deleted. Call it
// again after each change for the next one.
func (s *MailServer) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notifyLocked wakes those waiting on Changed; s.mu is held.
func (s *MailServer) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// MessageIDs returns the IDs of the messages kept, oldest first: a cheap
// way to see what changed without copying every message.
func (s *MailServer) MessageIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(s.messages))
	for i, m := range s.messages {
		ids[i] = m.ID
	}
	return ids
}
