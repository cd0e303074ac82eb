package smtpwire

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Client is one SMTP session. It is a state machine over a single
// connection: the caller drives it one command at a time, either with the
// verb methods (Hello, Mail, Rcpt, ...), which turn negative replies into
// *ReplyError, or with Cmd, which sends any line and returns whatever reply
// arrived. A Client is not safe for concurrent use, except that Close may be
// called from another goroutine to abort a session.
type Client struct {
	cfg  Config
	host string // dialled host, for SNI and the loopback check

	conn net.Conn // current transport: TCP, or TLS over it
	br   *bufio.Reader
	bw   *bufio.Writer

	state    State
	broken   error // first failure that put the session out of sync
	closed   atomic.Bool
	authed   bool
	inAuth   bool     // an AUTH exchange awaits 334 responses: lines are secret
	secrets  []string // AUTH responses sent, redacted from what the server sends back
	data     *DataWriter
	tls      *TLSInfo
	ext      *Extensions
	greeting *Reply
	last     *Reply
	hello    string   // last EHLO/HELO argument, reused after STARTTLS
	ehlo     bool     // the last hello was EHLO (extensions are known)
	lmtp     bool     // the last hello was LHLO (RFC 2033)
	rcpts    []string // recipients accepted in this transaction, for LMTP

	raw  net.Conn // the connection as dialled, under any TLS layer
	peek *peeker  // asks raw's socket whether a reply waits (pending.go)

	// Pipelining (pipeline.go).
	queue      []queued // commands sent or buffered, replies not read
	qhead      int      // queue[qhead:] wait for replies
	early      []*Reply // replies read ahead of ReadQueued (BDAT window)
	flights    int      // pipelined groups traced so far
	traceLater []string // queued lines to trace with their group
	watched    context.Context
	unwatchFn  func()
	dot        *dotWriter // reused by WriteMessage
	copyBuf    []byte
	chunk      []byte // BDAT chunk buffer
	replies    replyCache
}

// NewClient wraps an established connection, such as one accepted in a
// test or dialled through a proxy. If conn is a *tls.Conn whose handshake
// is complete, the session counts as TLS from the start. The greeting is
// not read: call Greet next.
func NewClient(conn net.Conn, cfg *Config) *Client {
	c := &Client{cfg: cfg.withDefaults(), state: StateConnected}
	if host, _, err := net.SplitHostPort(conn.RemoteAddr().String()); err == nil {
		c.host = host
	}
	c.setConn(conn)
	c.noteTLS(conn, true)
	return c
}

// setConn builds the reader and writer over conn; it runs again after
// STARTTLS so the line limit and the trace survive the upgrade.
func (c *Client) setConn(conn net.Conn) {
	if c.raw == nil {
		c.raw = conn
	}
	c.conn = conn
	// ReadSlice fails with bufio.ErrBufferFull past the buffer: that is the
	// line limit, enforced without ever growing memory.
	c.br = bufio.NewReaderSize(conn, c.cfg.MaxLineLength+2)
	c.bw = bufio.NewWriterSize(conn, 64<<10)
}

// State returns where the session stands.
func (c *Client) State() State {
	if c.broken != nil {
		return StateBroken
	}
	if c.closed.Load() {
		return StateClosed
	}
	return c.state
}

// Err returns the failure that broke the session, or nil.
func (c *Client) Err() error { return c.broken }

// Extensions returns what the last EHLO announced; an empty set after HELO,
// before EHLO, or after STARTTLS until the next EHLO.
func (c *Client) Extensions() *Extensions {
	if c.ext == nil {
		return ParseExtensions(nil)
	}
	return c.ext
}

// HelloName returns the argument of the last accepted EHLO or HELO, typed
// or not ("" before one): what to say again after STARTTLS.
func (c *Client) HelloName() string { return c.hello }

// LocalName is the name Hello gives when it is given none
// (Config.LocalName).
func (c *Client) LocalName() string { return c.cfg.LocalName }

// Greeting returns the server's greeting reply, once read.
func (c *Client) Greeting() *Reply { return c.greeting }

// LastReply returns the most recent reply read, or nil.
func (c *Client) LastReply() *Reply { return c.last }

// AwaitingAuthResponse reports that an AUTH exchange is waiting for the
// client's next base64 response (the last reply was a 334): the next line
// is a secret, to be kept out of traces and histories.
func (c *Client) AwaitingAuthResponse() bool { return c.inAuth }

// Authenticated reports a successful AUTH in this session.
func (c *Client) Authenticated() bool { return c.authed }

// TLS reports whether the connection is protected by TLS.
func (c *Client) TLS() bool { return c.tls != nil }

// TLSInfo describes the TLS session, if there is one.
func (c *Client) TLSInfo() (TLSInfo, bool) {
	if c.tls == nil {
		return TLSInfo{}, false
	}
	return *c.tls, true
}

// Conn returns the underlying connection (a *tls.Conn once TLS is up).
func (c *Client) Conn() net.Conn { return c.conn }

// Close closes the connection without QUIT. It is safe to call from
// another goroutine, to abort a blocked command.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	return c.conn.Close()
}

// usable fails when the session cannot take another command.
func (c *Client) usable(command string) error {
	if c.broken != nil {
		return &BrokenError{Cause: c.broken}
	}
	if c.closed.Load() {
		return ErrClosed
	}
	if c.data != nil {
		return &StateError{Command: command, State: StateData, Reason: "the message is still being written; close the DATA writer first"}
	}
	return nil
}

// inSync fails when pipelined commands still wait for their replies: a
// command sent alone now would read one of theirs.
func (c *Client) inSync(command string) error {
	if n := c.Queued(); n > 0 {
		return &StateError{Command: command, State: c.State(), Reason: fmt.Sprintf("%d pipelined commands still wait for their replies: read them first (ReadQueued)", n)}
	}
	return nil
}

// fail puts the session out of sync and closes the connection; every later
// call reports cause.
func (c *Client) fail(cause error) error {
	if c.broken == nil {
		c.broken = cause
		c.Close()
		c.unwatch()
	}
	return cause
}

// deadline sets the connection deadline for one exchange from timeout and
// ctx, and makes ctx cancellation interrupt blocked I/O. The returned
// function clears both; it must be called when the exchange ends.
func (c *Client) deadline(ctx context.Context, timeout time.Duration) (end func()) {
	dl := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	c.conn.SetDeadline(dl)
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		c.conn.SetDeadline(time.Unix(1, 0))
		close(done)
	})
	return func() {
		if !stop() {
			<-done // the interrupt ran; wait so it cannot land after the reset
		}
		c.conn.SetDeadline(time.Time{})
	}
}

// ioError wraps an I/O failure during command with what the caller needs:
// a cancelled context, a timeout with its length, or the raw error.
func ioError(ctx context.Context, command string, timeout time.Duration, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smtpwire: %s: %w", command, ctxErr)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The connection deadline may be the context's own, which fires a
		// moment before ctx.Err says so.
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			return fmt.Errorf("smtpwire: %s: %w", command, context.DeadlineExceeded)
		}
		return fmt.Errorf("smtpwire: %s: no reply within %v: %w", command, timeout, err)
	}
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("smtpwire: %s: server closed the connection: %w", command, err)
	}
	return fmt.Errorf("smtpwire: %s: %w", command, err)
}

// checkLine refuses text that would end the line early.
func checkLine(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return ErrLineBreak
	}
	return nil
}

// traceLine reports one wire line to the trace hook.
func (c *Client) traceLine(dir Direction, line string, redacted bool) {
	c.trace(dir, line, redacted, false)
}

// traceBody reports one line of the message to the trace hook.
func (c *Client) traceBody(line []byte) { c.trace(Sent, string(line), false, true) }

func (c *Client) trace(dir Direction, line string, redacted, data bool) {
	if c.cfg.Trace == nil {
		return
	}
	c.traceQueued()
	ev := TraceEvent{Time: time.Now(), Dir: dir, Line: line, TLS: c.tls != nil, Redacted: redacted, Data: data}
	if dir == Received && strings.HasPrefix(line, "334") {
		ev.Decoded = decodeChallengeLine(line)
	}
	c.cfg.Trace(ev)
}

// send buffers one command line. It does not flush, so that several
// commands can share one write when RFC 2920 pipelining is added; shown is
// what the trace sees (the line, or the line with its secret redacted).
func (c *Client) send(line, shown string) error {
	if err := checkLine(line); err != nil {
		return err
	}
	c.bw.WriteString(line)
	c.bw.WriteString("\r\n")
	c.traceLine(Sent, shown, shown != line)
	return nil
}

// readLine reads one reply line within the length limit.
func (c *Client) readLine() (string, error) {
	b, err := c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", &ProtocolError{Reason: fmt.Sprintf("reply line longer than %d bytes", c.cfg.MaxLineLength), Line: c.redactEcho(string(b[:min(len(b), 80)])), Err: ErrLineTooLong}
	case err != nil && len(b) > 0 && errors.Is(err, io.EOF):
		return "", &ProtocolError{Reason: "connection closed in the middle of a reply line", Line: c.redactEcho(string(b)), Err: io.ErrUnexpectedEOF}
	case err != nil:
		return "", err
	}
	line := string(b[:len(b)-1])
	line = strings.TrimSuffix(line, "\r") // tolerate a bare LF from the server
	line = c.redactEcho(line)
	c.traceLine(Received, line, false)
	return line, nil
}

// readReply reads one whole reply, single or multi-line.
func (c *Client) readReply() (*Reply, error) {
	if r, ok := c.readCached(); ok {
		c.last = r
		return r, nil
	}
	var lines []string
	for {
		line, err := c.readLine()
		if err != nil {
			if len(lines) > 0 && errors.Is(err, io.EOF) {
				return nil, &ProtocolError{Reason: fmt.Sprintf("server closed the connection after %d lines of a multi-line reply", len(lines)), Line: lines[len(lines)-1], Err: io.ErrUnexpectedEOF}
			}
			return nil, err
		}
		lines = append(lines, line)
		_, more, _, err := parseReplyLine(line)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if len(lines) >= c.cfg.MaxReplyLines {
			return nil, &ProtocolError{Reason: fmt.Sprintf("reply longer than %d lines", c.cfg.MaxReplyLines), Line: line}
		}
	}
	r, err := ParseReply(lines)
	if err != nil {
		return nil, err
	}
	c.remember(r)
	c.last = r
	return r, nil
}

// exchange is the funnel every command goes through: write one line, read
// one reply, update the state. It returns an error only when no
// well-formed reply arrived; the session is then out of sync.
func (c *Client) exchange(ctx context.Context, line, shown string, timeout time.Duration) (*Reply, error) {
	return c.exchangeStep(ctx, c.stepName(line), line, shown, timeout)
}

// stepName names the command of line for errors: its verb, or, for a line
// of an AUTH exchange, the step, never the payload.
func (c *Client) stepName(line string) string {
	switch {
	case c.inAuth && line == "*":
		return "AUTH cancel"
	case c.inAuth:
		return "AUTH response"
	}
	verb := commandVerb(line)
	if f := strings.Fields(line); verb == "AUTH" && len(f) > 1 {
		verb += " " + strings.ToUpper(f[1])
		if len(f) > 2 {
			verb += " initial response"
		}
	}
	return verb
}

// exchangeStep is exchange with the step named by the caller, as errors
// will show it ("AUTH LOGIN password").
func (c *Client) exchangeStep(ctx context.Context, verb, line, shown string, timeout time.Duration) (*Reply, error) {
	if err := c.usable(verb); err != nil {
		return nil, err
	}
	if err := c.inSync(verb); err != nil {
		return nil, err
	}
	if err := checkLine(line); err != nil {
		return nil, err
	}
	if c.state == StateData {
		return nil, &StateError{Command: verb, State: StateData, Reason: "the server is reading the message: write it with DataWriter"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err // nothing written: the session is still in sync
	}
	if err := c.nothingPending(); err != nil {
		return nil, err
	}
	end := c.deadline(ctx, timeout)
	defer end()
	if err := c.send(line, shown); err != nil {
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		return nil, c.fail(ioError(ctx, verb, timeout, err))
	}
	r, err := c.readReply()
	if err != nil {
		return nil, c.fail(ioError(ctx, verb, timeout, err))
	}
	if err := c.observe(ctx, line, r); err != nil {
		return r, err
	}
	return r, nil
}

// commandVerb returns the upper-case command word of a line: "MAIL" for
// "mail from:<a@b>".
func commandVerb(line string) string {
	end := strings.IndexAny(line, " :")
	if end < 0 {
		end = len(line)
	}
	return strings.ToUpper(line[:end])
}

// timeoutFor picks the RFC 5321 §4.5.3.2 timeout for a command verb.
func (c *Client) timeoutFor(verb string) time.Duration {
	switch verb {
	case "MAIL":
		return c.cfg.Timeouts.Mail
	case "RCPT":
		return c.cfg.Timeouts.Rcpt
	case "DATA":
		return c.cfg.Timeouts.DataInit
	}
	return c.cfg.Timeouts.Command
}

// idle is the state between transactions.
func (c *Client) idle() State {
	if c.authed {
		return StateAuthenticated
	}
	return StateHello
}

// observe moves the state machine after a reply to verb. It is shared by
// the verb methods and by Cmd, so a session typed by hand is tracked the
// same way as one driven by a program.
func (c *Client) observe(ctx context.Context, line string, r *Reply) error {
	verb := commandVerb(line)
	if r.Code == CodeNotAvailable {
		// RFC 5321 §3.8: 421 means the server is closing the channel.
		c.inAuth = false
		c.Close()
		return nil
	}
	if c.inAuth {
		if r.Code == CodeAuthChallenge {
			return nil
		}
		c.inAuth = false
		if r.Code == CodeAuthOK {
			c.authed = true
			c.state = StateAuthenticated
		}
		return nil
	}
	switch verb {
	case "EHLO", "HELO", "LHLO":
		if r.Code == CodeOK {
			// Remember the name, typed or not, for the EHLO after STARTTLS.
			c.hello = strings.TrimSpace(line[len(verb):])
			c.ehlo = verb != "HELO"
			c.lmtp = verb == "LHLO"
			c.rcpts = nil
			c.ext = nil
			if c.ehlo {
				c.ext = ParseExtensions(r)
			}
			c.state = c.idle() // RFC 5321 §4.1.4: EHLO also resets any transaction
		}
	case "STARTTLS":
		if r.Code == CodeReady {
			return c.upgrade(ctx)
		}
	case "AUTH":
		switch r.Code {
		case CodeAuthChallenge:
			c.inAuth = true
		case CodeAuthOK:
			c.authed = true
			c.state = StateAuthenticated
		}
	default:
		c.transact(verb, r, line)
	}
	return nil
}

// transact moves the state machine after the reply to a transaction
// command, sent alone (line is the command line) or pipelined (line is
// ""); it is the one place both paths share.
func (c *Client) transact(verb string, r *Reply, line string) {
	switch verb {
	case "MAIL":
		if r.Code == CodeOK {
			c.state = StateMail
			c.rcpts = c.rcpts[:0]
		}
	case "RCPT":
		if (r.Code == CodeOK || r.Code == CodeWillForward) && (c.state == StateMail || c.state == StateRcpt) {
			c.state = StateRcpt
			rcpt := "" // pipelined: counted for LMTP's replies; submit knows the addresses
			if line != "" {
				rcpt = rcptAddress(line)
			}
			c.rcpts = append(c.rcpts, rcpt)
		}
	case "DATA":
		// Even when no recipient was accepted: a server that says 354
		// then gets an empty message, which it must refuse (RFC 2920 §3.1).
		if r.Code == CodeStartData {
			c.state = StateData
		}
	case "RSET":
		if r.Code == CodeOK && c.state.InTransaction() {
			c.state = c.idle()
			c.rcpts = nil
		}
	case "QUIT":
		c.Close()
	}
}

// Cmd sends line (CRLF is added) and returns the reply, whatever its code:
// a 5yz is a successful read. The error is non-nil only when no well-formed
// reply arrived (I/O failure, timeout, cancelled ctx, malformed reply), when
// line holds CR or LF (ErrLineBreak; nothing is written), or when a 220 to
// STARTTLS was followed by a failed TLS upgrade. Cmd tracks the session
// state as the verb methods do: after STARTTLS and 220 it performs the TLS
// handshake; after DATA and 354 the message goes through DataWriter; lines
// sent while an AUTH exchange is waiting for 334 responses are redacted in
// the trace.
func (c *Client) Cmd(ctx context.Context, line string) (*Reply, error) {
	shown := line
	if c.inAuth && !c.cfg.TraceSecrets {
		shown = Redacted
	} else if commandVerb(line) == "AUTH" && !c.cfg.TraceSecrets {
		shown = redactAuthLine(line)
	}
	if f := strings.Fields(line); c.inAuth && line != "*" {
		c.rememberTypedSecret(line)
	} else if len(f) > 2 && commandVerb(line) == "AUTH" {
		c.rememberTypedSecret(f[2])
	}
	return c.exchange(ctx, line, shown, c.timeoutFor(commandVerb(line)))
}

// redactAuthLine keeps "AUTH MECH" and hides an initial response.
func redactAuthLine(line string) string {
	f := strings.Fields(line)
	if len(f) <= 2 {
		return line
	}
	return f[0] + " " + f[1] + " " + Redacted
}
