// Package repl is the interactive SMTP shell: a telnet session with line
// editing, TLS, explanations and recording. The engine reads lines from a
// LineReader (readline on a terminal, or a script) and writes a transcript
// to an io.Writer, so it is tested without a terminal.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Options configure a shell session.
type Options struct {
	// Addr is the server, "host:port".
	Addr string
	// Config is the client configuration: ImplicitTLS, TLS settings,
	// LocalName, Timeouts. Trace is set by the shell.
	Config smtpwire.Config
	// StartTLS negotiates STARTTLS right after the first EHLO and refuses
	// to go on without it (--tls starttls).
	StartTLS bool
	// Out receives the session as a transcript.
	Out io.Writer
	// Interactive marks a terminal session: prompts, colours (when Color
	// is set too), and typed lines not echoed back.
	Interactive bool
	// Color paints S:, C: and annotation lines.
	Color bool
	// Record, if set, is a file to record the session into from the start.
	Record string
	// Dial opens the transport; default smtpwire.Connect.
	Dial func(ctx context.Context, addr string, cfg *smtpwire.Config) (*smtpwire.Client, error)
}

// Shell is one interactive session with one server.
type Shell struct {
	opts Options
	p    *printer
	in   LineReader
	c    *smtpwire.Client

	data      *smtpwire.DataWriter // open in DATA mode
	recFile   *os.File
	recPath   string
	negative  bool   // some reply was 4yz or 5yz
	exit      int    // a fatal exit status, or -1
	quit      bool   // the user asked to leave
	helloed   bool   // an EHLO succeeded (for --tls starttls)
	hello     string // the last accepted EHLO line, repeated after STARTTLS
	upgrading bool   // /starttls is running: it sends EHLO itself
}

// New returns a shell for opts; Run starts it.
func New(opts Options) *Shell {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Dial == nil {
		opts.Dial = smtpwire.Connect
	}
	return &Shell{
		opts: opts,
		p:    &printer{out: opts.Out, interactive: opts.Interactive, color: opts.Color && opts.Interactive},
		exit: -1,
	}
}

// Run connects, reads the greeting, and then handles input lines until the
// session ends, the input ends (QUIT is sent), or /quit. It returns the
// exit status (ExitOK, ExitNegative, ...).
func (s *Shell) Run(ctx context.Context, in LineReader) int {
	s.in = in
	defer s.stopRecording()
	if s.opts.Record != "" {
		if err := s.startRecording(s.opts.Record); err != nil {
			s.p.fail(err.Error())
			return ExitUsage
		}
	}
	if !s.connect(ctx) {
		return s.status()
	}
	for !s.quit && s.exit < 0 && s.c.State() != smtpwire.StateClosed {
		line, err := in.ReadLine(s.Prompt())
		switch {
		case errors.Is(err, ErrInterrupt):
			s.interrupt(ctx)
			continue
		case errors.Is(err, io.EOF):
			s.endOfInput(ctx)
			return s.status()
		case err != nil:
			s.p.fail("reading input: " + err.Error())
			s.c.Close()
			return ExitUsage
		}
		if s.data != nil {
			s.dataLine(ctx, line)
			continue
		}
		s.handle(ctx, line)
	}
	if s.c.State() == smtpwire.StateBroken && s.exit < 0 {
		s.exit = ExitProtocol
	}
	s.c.Close()
	return s.status()
}

func (s *Shell) status() int {
	switch {
	case s.exit >= 0:
		return s.exit
	case s.negative:
		return ExitNegative
	}
	return ExitOK
}

// trace receives every wire line from the client.
func (s *Shell) trace(ev smtpwire.TraceEvent) {
	// The last line of a reply tells its code: 4yz and 5yz count against
	// the exit status.
	if ev.Dir == smtpwire.Received && len(ev.Line) >= 3 && (len(ev.Line) == 3 || ev.Line[3] == ' ') &&
		(ev.Line[0] == '4' || ev.Line[0] == '5') {
		s.negative = true
	}
	s.p.wire(ev)
}

// connect opens the connection and reads the greeting.
func (s *Shell) connect(ctx context.Context) bool {
	cfg := s.opts.Config
	cfg.Trace = s.trace
	cfg.TraceSecrets = false
	start := time.Now()
	c, err := s.opts.Dial(ctx, s.opts.Addr, &cfg)
	if err != nil {
		s.exit = s.explainConnectError(err)
		return false
	}
	s.c = c
	how := "plain TCP"
	if c.TLS() {
		how = "implicit TLS"
	}
	s.p.note(fmt.Sprintf("connected to %s (%s, %s) in %v", s.opts.Addr, c.Conn().RemoteAddr(), how, RoundDuration(time.Since(start))))
	if c.TLS() {
		s.p.markTLS()
		s.showTLS()
	}
	r, err := c.Greet(ctx)
	if err != nil && r == nil {
		s.reportError(err)
		if errors.Is(err, os.ErrDeadlineExceeded) && !c.TLS() {
			s.p.note("no greeting: if this port expects TLS from the first byte (465, 994), use --tls implicit")
		}
		return false
	}
	s.explain("", r)
	if r.Code == smtpwire.CodeReady {
		s.p.note("say hello next: EHLO <your name> (RFC 5321 §4.1.1.1); /help for more")
	}
	return true
}

// explainConnectError reports a failed connection and returns its status.
func (s *Shell) explainConnectError(err error) int {
	s.p.fail(err.Error())
	var de *smtpwire.DialError
	var te *smtpwire.TLSError
	switch {
	case errors.As(err, &te):
		s.p.note(TLSAdvice(err)...)
		return ExitTLS
	case errors.As(err, &de) && de.TimedOut:
		s.p.note("nothing answered: a firewall, a cloud security group or the ISP may drop this port",
			"(port 25 is blocked by most cloud providers; try 465 or 587)")
	case errors.As(err, &de):
		s.p.note("the connection was refused or the host is unreachable: check the host name and port")
	}
	return ExitConnect
}

// reportError shows an error from the client and sets the exit status
// for the errors that end the session.
func (s *Shell) reportError(err error) {
	var re *smtpwire.ReplyError
	var te *smtpwire.TLSError
	var se *smtpwire.StateError
	switch {
	case errors.As(err, &re):
		// The reply was shown by the trace; explain it.
		s.explain(re.Command, re.Reply)
		return
	case errors.Is(err, smtpwire.ErrInsecureAuth):
		// Nothing was sent, but the step failed: the exit status says so.
		s.p.fail(err.Error())
		s.p.note("use TLS first (STARTTLS, or --tls implicit/starttls), or --allow-plaintext-auth if you accept the risk")
		s.negative = true
		return
	case errors.As(err, &se):
		s.p.fail(err.Error())
		return
	case errors.Is(err, smtpwire.ErrLineBreak):
		s.p.fail("the line holds a CR or LF in the middle, which would smuggle a second command: nothing was sent")
		return
	case errors.As(err, &te):
		s.p.fail(err.Error())
		s.p.note(TLSAdvice(err)...)
		s.exit = ExitTLS
		return
	case errors.As(err, new(*smtpwire.StartTLSInjectionError)):
		// The upgrade failed, as send and check say: a TLS failure.
		s.p.fail(err.Error())
		s.exit = ExitTLS
		return
	case errors.Is(err, context.Canceled):
		s.p.fail("interrupted; the session is closed")
		s.exit = ExitAborted
		return
	}
	s.p.fail(err.Error())
	if s.c != nil && s.c.State() == smtpwire.StateBroken {
		s.p.note("the session is out of sync and cannot go on")
	}
	s.exit = ExitProtocol
}

// explain annotates a reply with what it means and what to do.
func (s *Shell) explain(verb string, r *smtpwire.Reply) {
	if r == nil {
		return
	}
	if lines := Explain(verb, r); len(lines) > 0 {
		s.p.note(lines...)
	}
}

// handle runs one line typed outside DATA mode.
func (s *Shell) handle(ctx context.Context, line string) {
	if strings.TrimSpace(line) == "" {
		return // an empty line is a slip of the Enter key, not a command
	}
	if strings.HasPrefix(line, "/") {
		s.command(ctx, line)
		return
	}
	secret := s.c.AwaitingAuthResponse() || isAuthWithResponse(line)
	if !secret {
		s.in.AddHistory(line)
	}
	// Warn never repeats the line, so it is safe for secret lines too.
	if w := Warn(line, s.c.State(), s.c.TLS(), s.c.Authenticated(), s.c.Extensions()); w != "" {
		s.p.warn(w)
	}
	s.send(ctx, line)
}

// isAuthWithResponse reports an AUTH line carrying an initial response.
func isAuthWithResponse(line string) bool {
	f := strings.Fields(line)
	return len(f) > 2 && strings.EqualFold(f[0], "AUTH")
}

// send writes one SMTP line as typed and follows up on the reply.
func (s *Shell) send(ctx context.Context, line string) {
	wasTLS := s.c.TLS()
	verb := strings.ToUpper(strings.Fields(line + " ")[0])
	s.p.typed = line
	r, err := s.c.Cmd(ctx, line)
	s.p.typed = ""
	if err != nil {
		s.reportError(err)
		return
	}
	s.explain(verb, r)
	switch {
	case !wasTLS && s.c.TLS():
		s.p.markTLS()
		s.showTLS()
		if !s.upgrading {
			s.p.note("TLS is up; RFC 3207 §4.2: send EHLO again, the server's earlier answers no longer count")
		}
	case s.c.State() == smtpwire.StateData:
		s.enterData(ctx)
	case verb == "EHLO" && r.Code == smtpwire.CodeOK:
		s.hello = line
		s.afterHello(ctx)
	case verb == "HELO" && r.Code == smtpwire.CodeOK:
		s.afterHello(ctx)
	}
}

// afterHello runs --tls starttls after the first successful EHLO.
func (s *Shell) afterHello(ctx context.Context) {
	if !s.opts.StartTLS || s.c.TLS() || s.helloed {
		return
	}
	s.helloed = true
	if !s.c.Extensions().StartTLS() {
		s.p.fail("--tls starttls: the server does not offer STARTTLS; refusing to go on in plain text")
		s.exit = ExitTLS
		return
	}
	s.startTLS(ctx)
}

// startTLS upgrades the session, shows the certificate and says EHLO
// again with the words of the last EHLO (RFC 3207 §4.2).
func (s *Shell) startTLS(ctx context.Context) {
	s.upgrading = true
	s.send(ctx, "STARTTLS")
	s.upgrading = false
	if !s.c.TLS() {
		// --tls starttls means TLS is required: never go on in clear.
		if s.exit < 0 {
			s.p.fail("--tls starttls: the server refused STARTTLS; ending the session rather than going on in plain text")
			s.p.note("try again later, try the implicit TLS port (--tls implicit, port 465), or use --tls auto to go on in plain text knowingly")
			s.exit = ExitTLS
		}
		return
	}
	if s.hello == "" {
		s.p.note("TLS is up; send EHLO now (RFC 3207 §4.2)")
		return
	}
	s.send(ctx, s.hello)
}

// endOfInput handles Ctrl-D or the end of a script.
func (s *Shell) endOfInput(ctx context.Context) {
	if s.data != nil {
		s.p.fail("input ended inside DATA: closing the connection without ending the message, so nothing is delivered")
		s.data = nil
		s.c.Close()
		s.exit = ExitAborted
		return
	}
	switch s.c.State() {
	case smtpwire.StateClosed, smtpwire.StateBroken:
		return
	}
	s.send(ctx, "QUIT")
	s.c.Close()
}

// interrupt handles Ctrl-C at the prompt.
func (s *Shell) interrupt(ctx context.Context) {
	if s.data == nil {
		s.p.note("Ctrl-D or /quit ends the session (QUIT is sent)")
		return
	}
	s.p.note("SMTP cannot cancel a message once DATA has begun. Either:",
		"  send  - end it with \".\" now: the server takes what you typed so far;",
		"  close - drop the connection: the server discards the unfinished message (RFC 5321 §3.8);",
		"  continue typing the message.")
	answer, err := s.in.ReadLine("abort message? [send/close/continue] ")
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "send", "s":
		s.dataLine(ctx, ".")
	case "close", "c":
		s.data = nil
		s.c.Close()
		s.p.note("connection closed; the message was not delivered")
		s.exit = ExitAborted
	default:
		if err == nil {
			s.p.note("go on typing; a line with a single \".\" ends the message")
		}
	}
}

// RoundDuration keeps two or three significant digits: "12ms", "340µs".
func RoundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
