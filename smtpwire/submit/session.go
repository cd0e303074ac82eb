package submit

import (
	"context"
	"errors"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// TLSPolicy says how a session gets TLS.
type TLSPolicy int

const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it
	// and goes on in plain text otherwise, saying so in an event.
	TLSOpportunistic TLSPolicy = iota
	// TLSRequired upgrades with STARTTLS and fails with ErrNoStartTLS
	// when the server does not offer it or refuses it.
	TLSRequired
	// TLSNone never sends STARTTLS.
	TLSNone
	// TLSImplicit starts TLS before the greeting (RFC 8314, port 465).
	TLSImplicit
)

func (p TLSPolicy) String() string {
	switch p {
	case TLSRequired:
		return "required"
	case TLSNone:
		return "none"
	case TLSImplicit:
		return "implicit"
	}
	return "opportunistic"
}

// Mode turns an extension's use on or off.
type Mode int

const (
	Auto   Mode = iota // use it when the server offers it
	Never              // never use it
	Always             // use it, and fail when the server does not offer it
)

// Options configure a session. The zero value, with Addr set, is a plain
// connection with opportunistic STARTTLS, no AUTH, pipelining and chunking
// when offered.
type Options struct {
	// Addr is "host:port".
	Addr string
	// Config is the client's configuration: certificates, timeouts,
	// trace, EHLO name (LocalName). ImplicitTLS is set by TLS.
	Config smtpwire.Config
	// TLS is the TLS policy.
	TLS TLSPolicy
	// Auth chooses the mechanism to log in with, from the extensions the
	// server announced after TLS; nil, or a nil Mechanism, means no AUTH.
	Auth func(ext *smtpwire.Extensions, tls bool) (smtpwire.Mechanism, error)
	// Pipelining: Auto (when offered) or Never (lockstep).
	Pipelining Mode
	// Chunking: Auto (BDAT when offered), Always (fail without it), or
	// Never (always DATA).
	Chunking Mode
	// ChunkSize is the BDAT chunk size; 0 means smtpwire.DefaultChunkSize.
	ChunkSize int
	// Events, if set, sees each stage as it ends.
	Events func(Event)
}

// Event reports one stage of the bring-up or of a message.
type Event struct {
	Stage Stage
	Start time.Time
	Took  time.Duration
	// Reply is the reply that ended the stage, if any.
	Reply *smtpwire.Reply
	// Err is the stage's failure, or nil.
	Err error
	// Note says what the stage did when that is not obvious: one of the
	// Note constants, or "".
	Note string
}

// The notes of Events, in English; a caller that speaks other languages
// tells them apart by these values.
const (
	NoteTCP             = "TCP"
	NoteTCPAndTLS       = "TCP and the TLS handshake (implicit TLS, RFC 8314)"
	NoteHELOFallback    = "EHLO not known: HELO instead (RFC 5321 §3.2)"
	NoteNoExtensions    = "one-line reply: no extensions"
	NoteStartTLSRefused = "refused: the session stays in plain text"
	NoteTLSHandshake    = "TLS handshake"
	NoteEHLOInTLS       = "again inside TLS (RFC 3207 §4.2)"
)

// Session is one submission session. It is not safe for concurrent use.
type Session struct {
	opts  Options
	c     *smtpwire.Client
	plain string // why the session stays in plain text, when it does
	trips int    // round trips of the messages sent
	// needRset: the last transaction may still be open on the server
	// (MAIL accepted, then refused): RSET before the next MAIL.
	needRset bool
	steps    []step // reused by begin
}

// Client returns the underlying client, for what this package does not do.
func (s *Session) Client() *smtpwire.Client { return s.c }

// Plaintext returns why the session went on without TLS under
// TLSOpportunistic ("" when it has TLS, or has not got that far).
func (s *Session) Plaintext() string { return s.plain }

// RoundTrips returns the round trips the messages of this session took:
// one per write that was followed by a wait for replies.
func (s *Session) RoundTrips() int { return s.trips }

func (s *Session) event(st Stage, start time.Time, r *smtpwire.Reply, err error, note string) {
	if s.opts.Events != nil {
		s.opts.Events(Event{Stage: st, Start: start, Took: time.Since(start), Reply: r, Err: err, Note: note})
	}
}

// Connect opens the transport (TCP, then TLS for TLSImplicit) without
// reading the greeting.
func Connect(ctx context.Context, o Options) (*Session, error) {
	o.Config.ImplicitTLS = o.TLS == TLSImplicit
	start := time.Now()
	c, err := smtpwire.Connect(ctx, o.Addr, &o.Config)
	s := &Session{opts: o, c: c}
	note := NoteTCP
	if o.Config.ImplicitTLS {
		note = NoteTCPAndTLS
	}
	s.event(StageConnect, start, nil, err, note)
	if err != nil {
		return nil, stageErr(StageConnect, err)
	}
	return s, nil
}

// Attach makes a Session of a client that is already connected, such as
// one a shell drives line by line, so that the policy steps (Secure,
// Login, Send...) can run on it. o.Addr and o.Config are not used.
func Attach(c *smtpwire.Client, o Options) *Session { return &Session{opts: o, c: c} }

// Dial brings a session up: Connect, Greet, Hello, Secure and Login.
// On failure the connection is closed (after QUIT when the server can
// still take it).
func Dial(ctx context.Context, o Options) (*Session, error) {
	s, err := Connect(ctx, o)
	if err != nil {
		return nil, err
	}
	for _, step := range []func(context.Context) error{s.Greet, s.Hello, s.Secure, s.Login} {
		if err := step(ctx); err != nil {
			s.Abort(ctx)
			return nil, err
		}
	}
	return s, nil
}

// Greet reads the greeting. A greeting other than 220 is a
// *smtpwire.ReplyError (554: no SMTP service here, RFC 5321 §3.1).
func (s *Session) Greet(ctx context.Context) error {
	start := time.Now()
	r, err := s.c.Greet(ctx)
	s.event(StageGreeting, start, r, err, "")
	return stageErr(StageGreeting, err)
}

// Hello sends EHLO, and HELO when the server does not know EHLO (500 or
// 502, RFC 5321 §3.2); LHLO in LMTP, which has no HELO (RFC 2033 §4.1).
// Each reply is an Event of StageHello: after a fallback there are two,
// the EHLO refused (with no Err: it is not the stage's failure) and the
// HELO.
func (s *Session) Hello(ctx context.Context) error {
	c := s.c
	start := time.Now()
	if c.LMTP() {
		err := c.Hello(ctx, "")
		s.event(StageHello, start, s.replyTo(err), err, "")
		return stageErr(StageHello, err)
	}
	r, err := s.hello(ctx, "EHLO")
	if isReply(err) && smtpwire.EHLOUnknown(r) {
		s.event(StageHello, start, r, nil, NoteHELOFallback)
		start = time.Now()
		r, err = s.hello(ctx, "HELO")
	}
	note := ""
	if err == nil && r.Code == smtpwire.CodeOK && c.Extensions().Keywords() == nil && len(r.Raw) == 1 {
		note = NoteNoExtensions
	}
	s.event(StageHello, start, s.replyTo(err), err, note)
	return stageErr(StageHello, err)
}

// hello sends verb with the client's name; a reply other than 250 is a
// *smtpwire.ReplyError, returned with the reply.
func (s *Session) hello(ctx context.Context, verb string) (*smtpwire.Reply, error) {
	line := verb + " " + s.c.LocalName()
	r, err := s.c.Cmd(ctx, line)
	if err == nil && r.Code != smtpwire.CodeOK {
		err = replyErr(line, r)
	}
	return r, err
}

// Secure applies the TLS policy after the first EHLO: STARTTLS, the
// handshake and EHLO again (RFC 3207 §4.2) when it is due. Under
// TLSOpportunistic a server without STARTTLS, or one that refuses it
// with a 4yz or 5yz other than 421, leaves the session in plain text
// (Plaintext says why); under TLSRequired that is ErrNoStartTLS.
func (s *Session) Secure(ctx context.Context) error {
	if s.c.TLS() || s.opts.TLS == TLSNone {
		return nil
	}
	if !s.c.Extensions().StartTLS() {
		if s.opts.TLS == TLSRequired {
			s.event(StageStartTLS, time.Now(), nil, ErrNoStartTLS, "")
			return stageErr(StageStartTLS, ErrNoStartTLS)
		}
		s.plain = "the server offers no STARTTLS"
		return nil
	}
	start := time.Now()
	r, err := s.c.Cmd(ctx, "STARTTLS")
	if err == nil && r.Code != smtpwire.CodeReady {
		re := &smtpwire.ReplyError{Command: "STARTTLS", Code: r.Code, Enhanced: r.Enhanced, Reply: r}
		if s.opts.TLS == TLSRequired || r.Code == smtpwire.CodeNotAvailable {
			err = re
			if s.opts.TLS == TLSRequired {
				err = errors.Join(ErrNoStartTLS, re)
			}
		} else {
			s.plain = "the server refused STARTTLS: " + r.String()
			s.event(StageStartTLS, start, r, nil, NoteStartTLSRefused)
			return nil
		}
	}
	if err != nil {
		s.event(StageStartTLS, start, r, err, "")
		return stageErr(StageStartTLS, err)
	}
	s.event(StageStartTLS, start, r, nil, NoteTLSHandshake)
	start = time.Now()
	err = s.c.Hello(ctx, s.c.HelloName()) // the same words as before TLS
	s.event(StageHello, start, s.replyTo(err), err, NoteEHLOInTLS)
	return stageErr(StageHello, err)
}

// Login authenticates with the mechanism Options.Auth chooses, if any.
func (s *Session) Login(ctx context.Context) error {
	if s.opts.Auth == nil {
		return nil
	}
	start := time.Now()
	m, err := s.opts.Auth(s.c.Extensions(), s.c.TLS())
	if err == nil && m == nil {
		return nil
	}
	if err == nil {
		err = s.c.Auth(ctx, m)
	}
	s.event(StageAuth, start, s.replyTo(err), err, "")
	return stageErr(StageAuth, err)
}

// Quit sends QUIT and closes the connection.
func (s *Session) Quit(ctx context.Context) error {
	start := time.Now()
	err := s.c.Quit(ctx)
	s.event(StageQuit, start, s.c.LastReply(), err, "")
	return stageErr(StageQuit, err)
}

// Abort ends the session after a failure: QUIT when the server can still
// take a command (briefly), then close.
func (s *Session) Abort(ctx context.Context) {
	switch s.c.State() {
	case smtpwire.StateClosed, smtpwire.StateBroken, smtpwire.StateData:
	default:
		if s.c.Queued() == 0 {
			qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			s.c.Quit(qctx) //nolint:errcheck // best effort
			cancel()
		}
	}
	s.c.Close()
}

// Close closes the connection without QUIT.
func (s *Session) Close() error { return s.c.Close() }

// replyTo is the reply that ended a step: the last one read, unless the
// step failed before one came.
func (s *Session) replyTo(err error) *smtpwire.Reply {
	if err == nil || isReply(err) {
		return s.c.LastReply()
	}
	return nil
}

func isReply(err error) bool {
	var re *smtpwire.ReplyError
	return errors.As(err, &re)
}
