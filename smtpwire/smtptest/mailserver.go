package smtptest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Defaults of MailServerOptions, and the line limits of MailServer.
const (
	DefaultMailHostname   = "smtpsh.demo"
	DefaultMailBanner     = "smtpsh demo server"
	DefaultMaxMessageSize = 32 << 20        // octets; announced as SIZE (RFC 1870)
	DefaultMaxRecipients  = 100             // RFC 5321 §4.5.3.1.8 minimum
	DefaultIdleTimeout    = 5 * time.Minute // RFC 5321 §4.5.3.2.7
	DefaultMaxConnections = 100
	DefaultKeepMessages   = 1000
	DefaultKeepSessions   = 1000

	// MailCommandLineLimit is the longest command line a MailServer
	// accepts, CRLF included. RFC 5321 §4.5.3.1.4 sets 512 octets; the
	// server allows four times that, as Postfix does, because real clients
	// overshoot. A longer line is read to its end and discarded without
	// being buffered, and answered "500 5.5.2 Line too long".
	MailCommandLineLimit = 2048
	// MailAuthLineLimit is the longest AUTH response line, CRLF excluded:
	// the 12288 octets RFC 4954 §4 calls sufficient. A longer one fails the
	// AUTH command with "500 5.5.6".
	MailAuthLineLimit = 12288
	// MailTextLineLimit is the longest message line accepted in DATA,
	// CRLF included. RFC 5321 §4.5.3.1.6 sets 1000 octets; longer lines
	// are accepted up to this cap, past which the message is read to its
	// end, not stored, and rejected with "554 5.6.0".
	MailTextLineLimit = 64 << 10
)

// Message is one message accepted by a MailServer.
type Message struct {
	// ID is the queue id given in the "250 2.0.0 Ok: queued as ID" reply:
	// eight upper-case hex digits counting from 00000001 in each server.
	ID string
	// From is the reverse-path of MAIL FROM without angle brackets; ""
	// for the null sender "<>".
	From string
	// To holds the forward-paths of the accepted RCPT TO commands, in
	// order, without angle brackets.
	To []string
	// Data is the message as sent, with the SMTP transparency dots
	// removed (RFC 5321 §4.5.2) and without the final "." line. Lines
	// end in CRLF; a bare LF or CR sent by the client is kept as it came.
	// No Received: header is added.
	Data []byte
	// Received is when the end of data arrived.
	Received time.Time
	// TLS reports that the message travelled inside TLS (STARTTLS or
	// implicit TLS).
	TLS bool
	// AuthUser is the user that authenticated with AUTH; "" if none.
	AuthUser string
	// Helo is the argument of the client's last EHLO or HELO.
	Helo string
	// Remote is the client's address, "ip:port".
	Remote string
	// Session is the ID of the session that sent the message (see
	// MailServer.Session).
	Session string
	// Body is the BODY parameter of MAIL in upper case ("7BIT",
	// "8BITMIME", "BINARYMIME"; RFC 6152, RFC 3030), "" without one.
	Body string
	// SMTPUTF8 reports that MAIL carried the SMTPUTF8 parameter (RFC 6531).
	SMTPUTF8 bool
	// Chunked reports that the message came in BDAT chunks (RFC 3030).
	Chunked bool
	// DSN holds the delivery status notification parameters (RFC 3461),
	// recorded as sent; the server sends no DSN.
	DSN DSN
}

// DSN holds the DSN parameters of a transaction (RFC 3461 §4).
type DSN struct {
	// Ret is RET of MAIL, upper case: "FULL", "HDRS" or "".
	Ret string `json:"ret,omitempty"`
	// EnvID is ENVID of MAIL, xtext-decoded; "" without one.
	EnvID string `json:"envid,omitempty"`
	// Notify holds NOTIFY of each RCPT, parallel to Message.To, upper
	// case ("NEVER", "SUCCESS,FAILURE"); "" for a RCPT without one.
	Notify []string `json:"notify,omitempty"`
	// ORcpt holds ORCPT of each RCPT, parallel to Message.To, with the
	// address xtext-decoded ("rfc822;a@example.com"); "" without one.
	ORcpt []string `json:"orcpt,omitempty"`
}

// clone returns a deep copy of m.
func (m Message) clone() Message {
	m.To = slices.Clone(m.To)
	m.Data = bytes.Clone(m.Data)
	m.DSN.Notify = slices.Clone(m.DSN.Notify)
	m.DSN.ORcpt = slices.Clone(m.DSN.ORcpt)
	return m
}

// MailServerOptions configures a MailServer. A nil *MailServerOptions or a
// zero field means the default named in the field's comment.
type MailServerOptions struct {
	// Addr is the address of the plain-text listener, where STARTTLS is
	// offered; default "127.0.0.1:0" (a free loopback port).
	Addr string
	// ImplicitTLSAddr, if not "", is the address of a second listener
	// where TLS starts before the greeting (RFC 8314 §3.3, as on port
	// 465), such as "127.0.0.1:0".
	ImplicitTLSAddr string

	// Hostname is the name in the greeting and the EHLO reply; default
	// DefaultMailHostname.
	Hostname string
	// Banner is the greeting text after "220 <Hostname> ESMTP "; default
	// DefaultMailBanner.
	Banner string

	// Users holds the user names and passwords accepted by AUTH PLAIN and
	// AUTH LOGIN. Nil or empty means AUTH is not offered. The map is
	// copied by NewMailServer.
	Users map[string]string
	// AuthMechanisms lists the mechanisms offered, in the EHLO order; nil
	// means PLAIN and LOGIN. AllAuthMechanisms holds every one the server
	// knows: CRAM-MD5 and SCRAM-* check Users' passwords, XOAUTH2 and
	// OAUTHBEARER check Tokens, EXTERNAL a client certificate signed by
	// the test CA (ClientCertificate) whose common name is in Users.
	AuthMechanisms []string
	// Tokens maps OAuth 2.0 access tokens to the user each belongs to,
	// for XOAUTH2 and OAUTHBEARER. The map is copied by NewMailServer.
	Tokens map[string]string
	// AuthRequiresTLS offers and accepts AUTH only inside TLS, like a
	// submission server (RFC 4954 §4 note); before TLS, AUTH gets
	// "530 5.7.0 Must issue a STARTTLS command first".
	AuthRequiresTLS bool
	// RequireAuth refuses MAIL before a successful AUTH with
	// "530 5.7.0 Authentication required". It needs Users or
	// AcceptAnyAuth.
	RequireAuth bool
	// AcceptAnyAuth offers AUTH PLAIN and LOGIN and accepts any user name
	// and password, as a mail catcher does; Users is then not consulted.
	AcceptAnyAuth bool

	// MaxMessageSize is the largest message accepted, in octets after
	// dot-unstuffing, and is announced as SIZE (RFC 1870); default
	// DefaultMaxMessageSize. A bigger SIZE= or message gets
	// "552 5.3.4 Message size exceeds fixed maximum message size".
	MaxMessageSize int64
	// MaxRecipients is the number of recipients accepted in one
	// transaction; default DefaultMaxRecipients. More get
	// "452 4.5.3 Too many recipients" (RFC 5321 §4.5.3.1.10).
	MaxRecipients int
	// MaxConnections is the number of sessions served at once; default
	// DefaultMaxConnections. Past it, a client on the plain listener is
	// greeted with "421 4.7.0" and disconnected; one on the implicit TLS
	// listener is disconnected.
	MaxConnections int
	// KeepMessages is how many accepted messages Messages returns, the
	// oldest dropped first; default DefaultKeepMessages. Negative keeps
	// none (OnMessage still sees every message).
	KeepMessages int
	// KeepSessions is how many session logs Sessions returns, the oldest
	// dropped first; default DefaultKeepSessions. Negative keeps none.
	KeepSessions int

	// Faults, if set, are the fault injection rules consulted at every
	// command; they can be changed while the server runs.
	Faults *Faults

	// Timeout bounds every read of a command line, message line or AUTH
	// response and every TLS handshake and reply write; default
	// DefaultIdleTimeout, the server timeout of RFC 5321 §4.5.3.2.7. When
	// a read times out the server sends
	// "421 4.4.2 <Hostname> Error: timeout exceeded" and closes.
	Timeout time.Duration

	// TLSConfig is the server configuration for STARTTLS and implicit
	// TLS. It is cloned, never modified. Nil means one presenting
	// TLSCertificate() (trusted through CertPool, valid for "localhost"
	// and 127.0.0.1).
	TLSConfig *tls.Config
	// NoTLS disables TLS: STARTTLS is not announced and gets
	// "454 4.7.0 TLS not available". It conflicts with ImplicitTLSAddr
	// and AuthRequiresTLS.
	NoTLS bool

	// OnMessage, if set, is called with a copy of each accepted message,
	// from the session's goroutine, before the 250 reply is sent: the
	// client waits for it, so keep it short, and do not call Close from
	// it. Calls for different sessions may run concurrently.
	OnMessage func(Message)
	// Trace, if set, sees every wire line of every session, without its
	// CRLF: dir is smtpwire.Sent for a line the client wrote and
	// smtpwire.Received for a line the server wrote, so dir.String() gives
	// "C" and "S" as in transcripts. AUTH payloads are shown as
	// smtpwire.Redacted, message lines as they travel (dot-stuffed), and
	// a line over 1000 octets is cut short with "...". Calls for
	// different sessions may run concurrently.
	Trace func(remote string, dir smtpwire.Direction, line string)
}

// withDefaults checks o and fills in the defaults.
func (o *MailServerOptions) withDefaults() (MailServerOptions, error) {
	var v MailServerOptions
	if o != nil {
		v = *o
	}
	switch {
	case v.RequireAuth && len(v.Users) == 0 && !v.AcceptAnyAuth:
		return v, errors.New("smtptest: RequireAuth needs Users or AcceptAnyAuth")
	case v.NoTLS && v.AuthRequiresTLS:
		return v, errors.New("smtptest: AuthRequiresTLS needs TLS, but NoTLS is set")
	case v.NoTLS && v.ImplicitTLSAddr != "":
		return v, errors.New("smtptest: ImplicitTLSAddr needs TLS, but NoTLS is set")
	}
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&v.Addr, "127.0.0.1:0")
	def(&v.Hostname, DefaultMailHostname)
	def(&v.Banner, DefaultMailBanner)
	if v.MaxMessageSize <= 0 {
		v.MaxMessageSize = DefaultMaxMessageSize
	}
	if v.MaxRecipients <= 0 {
		v.MaxRecipients = DefaultMaxRecipients
	}
	if v.MaxConnections <= 0 {
		v.MaxConnections = DefaultMaxConnections
	}
	if v.KeepMessages == 0 {
		v.KeepMessages = DefaultKeepMessages
	}
	if v.KeepSessions == 0 {
		v.KeepSessions = DefaultKeepSessions
	}
	if v.Timeout <= 0 {
		v.Timeout = DefaultIdleTimeout
	}
	v.Users = maps.Clone(v.Users)
	v.Tokens = maps.Clone(v.Tokens)
	if v.AuthMechanisms == nil {
		v.AuthMechanisms = []string{"PLAIN", "LOGIN"}
	}
	for _, m := range v.AuthMechanisms {
		if !slices.Contains(AllAuthMechanisms, m) {
			return v, fmt.Errorf("smtptest: unknown AUTH mechanism %q (known: %s)", m, strings.Join(AllAuthMechanisms, " "))
		}
	}
	v.AuthMechanisms = slices.Clone(v.AuthMechanisms)
	switch {
	case v.NoTLS:
		v.TLSConfig = nil
	case v.TLSConfig != nil:
		v.TLSConfig = v.TLSConfig.Clone()
	default:
		v.TLSConfig = &tls.Config{Certificates: []tls.Certificate{TLSCertificate()}}
		if slices.Contains(v.AuthMechanisms, "EXTERNAL") {
			// EXTERNAL: a client certificate of the test CA, when given.
			v.TLSConfig.ClientAuth = tls.VerifyClientCertIfGiven
			v.TLSConfig.ClientCAs = CertPool()
		}
	}
	return v, nil
}

// A MailServer is a small, complete SMTP server (RFC 5321) that keeps the
// messages it accepts in memory: a demo server for a shell, a mail catcher
// for application developers, and a real peer for client tests.
//
// It speaks ESMTP with PIPELINING (RFC 2920: replies are queued and
// flushed when no command is left to read), SIZE (RFC 1870), 8BITMIME
// (RFC 6152), CHUNKING and BINARYMIME (RFC 3030: BDAT), DSN (RFC 3461: the
// parameters are checked and recorded in Message.DSN, no DSN is sent),
// ENHANCEDSTATUSCODES (RFC 2034, RFC 3463: every reply but the greeting and
// the HELO/EHLO reply carries one), STARTTLS (RFC 3207), AUTH (RFC 4954:
// PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1/256, XOAUTH2, OAUTHBEARER, EXTERNAL;
// see MailServerOptions.AuthMechanisms), SMTPUTF8 (RFC 6531) and HELP, and implicit
// TLS on a second listener (RFC 8314). Every recipient is accepted, unless
// a fault rule (MailServerOptions.Faults) says otherwise. Each session is
// logged line by line with times, TLS and AUTH details (Sessions).
//
// Its memory per session is bounded: command and AUTH lines are capped
// (MailCommandLineLimit, MailAuthLineLimit) and the rest of an overlong
// line is discarded as it is read; a message is stored only up to
// MaxMessageSize; every read has the idle timeout. A message ends only at
// CRLF "." CRLF: a bare LF before or after the dot does not end it (the
// SMTP smuggling defence).
type MailServer struct {
	opts  MailServerOptions
	ln    net.Listener
	tlsLn net.Listener // nil without ImplicitTLSAddr
	done  chan struct{}
	wg    sync.WaitGroup // accept loops and sessions

	mu       sync.Mutex
	closed   bool
	sessions map[*mailSession]struct{}
	messages []Message
	lastID   uint64

	log         []*sessionRecord // oldest first, at most KeepSessions
	lastSession uint64
	changed     chan struct{} // closed and replaced at every change
}

// NewMailServer starts listening on opts.Addr (and opts.ImplicitTLSAddr)
// and serves each client that connects in a goroutine of its own, until
// Close. A nil opts means the defaults: 127.0.0.1 on a free port, no AUTH,
// STARTTLS with the test certificate.
func NewMailServer(opts *MailServerOptions) (*MailServer, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &MailServer{opts: o, done: make(chan struct{}), sessions: map[*mailSession]struct{}{}, changed: make(chan struct{})}
	if s.ln, err = net.Listen("tcp", o.Addr); err != nil {
		return nil, fmt.Errorf("smtptest: listening on %s: %w", o.Addr, err)
	}
	if o.ImplicitTLSAddr != "" {
		if s.tlsLn, err = net.Listen("tcp", o.ImplicitTLSAddr); err != nil {
			s.ln.Close()
			return nil, fmt.Errorf("smtptest: listening on %s: %w", o.ImplicitTLSAddr, err)
		}
		s.wg.Add(1)
		go s.acceptLoop(s.tlsLn, true)
	}
	s.wg.Add(1)
	go s.acceptLoop(s.ln, false)
	return s, nil
}

// Addr returns the address of the plain-text (STARTTLS) listener, such as
// "127.0.0.1:40123".
func (s *MailServer) Addr() string { return s.ln.Addr().String() }

// ImplicitTLSAddr returns the address of the implicit TLS listener, or ""
// if there is none.
func (s *MailServer) ImplicitTLSAddr() string {
	if s.tlsLn == nil {
		return ""
	}
	return s.tlsLn.Addr().String()
}

// Messages returns copies of the messages accepted so far, oldest first
// (at most MailServerOptions.KeepMessages of them).
func (s *MailServer) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = m.clone()
	}
	return out
}

// closeGrace is how long Close lets sessions send their 421 and hang up
// before it closes their connections.
const closeGrace = 2 * time.Second

// Close stops the listeners and ends every session: a session waiting for
// the client is interrupted at once, sends
// "421 4.3.2 <Hostname> Service shutting down" (RFC 5321 §3.8) and closes;
// one that does not end within two seconds has its connection closed.
// Close returns when every goroutine of the server has returned, except an
// OnMessage or Trace call that does not return. It returns nil and may be
// called more than once.
func (s *MailServer) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closed = true
	close(s.done)
	live := slices.Collect(maps.Keys(s.sessions))
	s.mu.Unlock()

	s.ln.Close()
	if s.tlsLn != nil {
		s.tlsLn.Close()
	}
	for _, ss := range live {
		ss.interrupt()
	}
	finished := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(closeGrace):
		for _, ss := range live {
			ss.raw.Close()
		}
		<-finished
	}
	return nil
}

// acceptLoop accepts clients on ln until Close.
func (s *MailServer) acceptLoop(ln net.Listener, implicitTLS bool) {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors or similar: wait and retry, as
			// net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			t := time.NewTimer(backoff)
			select {
			case <-s.done:
				t.Stop()
				return
			case <-t.C:
			}
			continue
		}
		backoff = 0
		s.start(conn, implicitTLS)
	}
}

// start serves conn in a new goroutine, or turns it away when the server
// is closed or full.
func (s *MailServer) start(conn net.Conn, implicitTLS bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	if len(s.sessions) >= s.opts.MaxConnections {
		s.mu.Unlock()
		if !implicitTLS {
			// A fresh connection's send buffer is empty: this cannot block
			// the accept loop for long.
			conn.SetWriteDeadline(time.Now().Add(time.Second))
			fmt.Fprintf(conn, "421 4.7.0 %s Too many connections, try again later\r\n", s.opts.Hostname)
		}
		conn.Close()
		return
	}
	ss := newMailSession(s, conn, implicitTLS)
	ss.rec = s.newRecordLocked(ss)
	s.sessions[ss] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		ss.serve()
		ss.rec.end()
		s.mu.Lock()
		delete(s.sessions, ss)
		s.notifyLocked()
		s.mu.Unlock()
	}()
}

// deliver stores an accepted message, gives it its ID and calls
// OnMessage. It returns the ID.
func (s *MailServer) deliver(m Message) string {
	s.mu.Lock()
	s.lastID++
	m.ID = fmt.Sprintf("%08X", s.lastID)
	if keep := s.opts.KeepMessages; keep > 0 {
		s.messages = append(s.messages, m.clone())
		if over := len(s.messages) - keep; over > 0 {
			s.messages = slices.Delete(s.messages, 0, over)
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
	if s.opts.OnMessage != nil {
		s.opts.OnMessage(m)
	}
	return m.ID
}

// authOffered reports whether AUTH is available in a session that is (or
// is not) inside TLS.
func (s *MailServer) authOffered(inTLS bool) bool {
	return (len(s.opts.Users) > 0 || s.opts.AcceptAnyAuth) && (inTLS || !s.opts.AuthRequiresTLS)
}
