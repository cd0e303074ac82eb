// Package repl is the interactive SMTP shell: a telnet session with line
// editing, TLS, explanations and recording. The engine reads lines from a
// LineReader (readline on a terminal, or a script) and writes a transcript
// to an io.Writer, so it is tested without a terminal.
package repl

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
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
	// Proxy is the SOCKS5 proxy's host:port when Config.DialContext goes
	// through one (--proxy), for the messages; never its password.
	Proxy string
	// OAuth2Token is the access token for /auth xoauth2 and oauthbearer
	// (from SMTPSH_OAUTH2_TOKEN or --oauth2-token-file); when "", /auth
	// asks for it without echo. Never shown, recorded or kept in history.
	OAuth2Token string
	// Lang is the language of the explanations ("# " lines); the wire
	// lines never change with it. /lang switches it.
	Lang explain.Lang
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
	how := explain.M("ui.how_plain")
	if strings.HasPrefix(s.opts.Addr, "unix:") {
		how = explain.M("ui.how_unix")
	}
	if s.opts.Proxy != "" {
		how = explain.M("ui.how_proxy")
	}
	if c.TLS() {
		how = explain.M("ui.how_tls")
	}
	s.say(explain.M("ui.connected", "addr", s.opts.Addr, "remote", c.Conn().RemoteAddr().String(),
		"took", RoundDuration(time.Since(start)).String()).WithMsg("how", how))
	if c.TLS() {
		s.p.markTLS()
		s.showTLS()
	}
	r, err := c.Greet(ctx)
	if err != nil && r == nil {
		s.reportError(err)
		if errors.Is(err, os.ErrDeadlineExceeded) && !c.TLS() {
			s.say(explain.M("ui.no_greeting"))
		}
		return false
	}
	s.explain("", r)
	if r.Code == smtpwire.CodeReady {
		s.say(explain.M("ui.say_hello"))
	}
	return true
}

// explainConnectError reports a failed connection and returns its status.
func (s *Shell) explainConnectError(err error) int {
	s.p.fail(err.Error())
	var de *smtpwire.DialError
	var te *smtpwire.TLSError
	var pe *smtpwire.ProxyError
	switch {
	case errors.As(err, &te):
		s.say(TLSAdvice(err)...)
		return ExitTLS
	case errors.As(err, &pe):
		s.p.note(ProxyAdvice(pe))
	case errors.As(err, &de) && de.TimedOut:
		s.say(explain.M("ui.no_answer"), explain.M("ui.port25"))
	case errors.As(err, &de):
		s.say(explain.M("ui.refused"))
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
		s.say(TLSAdvice(err)...)
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
		s.say(explain.M("ui.out_of_sync"))
	}
	s.exit = ExitProtocol
}

// say annotates the session with messages, in the shell's language, one
// line each.
func (s *Shell) say(ms ...explain.Msg) { s.p.note(explain.Texts(ms, s.opts.Lang)...) }

// explain annotates a reply with what it means and what to do.
func (s *Shell) explain(verb string, r *smtpwire.Reply) {
	if r == nil {
		return
	}
	if lines := ExplainIn(s.opts.Lang, verb, r); len(lines) > 0 {
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
	if w := WarnMsg(line, s.c.State(), s.c.TLS(), s.c.Authenticated(), s.c.Extensions()); !w.IsZero() {
		s.p.warn(w.Text(s.opts.Lang))
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
			s.say(explain.M("ui.tls_up_reehlo"))
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

// afterHello runs --tls starttls after the first successful EHLO. The
// policy is submit's (TLS required: never go on in clear); the shell
// shows and explains each step as the session's events come.
func (s *Shell) afterHello(ctx context.Context) {
	if !s.opts.StartTLS || s.c.TLS() || s.helloed {
		return
	}
	s.helloed = true
	sess := submit.Attach(s.c, submit.Options{TLS: submit.TLSRequired, Events: s.secureEvent})
	err := sess.Secure(ctx)
	var re *smtpwire.ReplyError
	switch {
	case err == nil:
	case errors.Is(err, submit.ErrNoStartTLS) && errors.As(err, &re):
		s.p.fail("--tls starttls: the server refused STARTTLS; ending the session rather than going on in plain text")
		s.p.note("try again later, try the implicit TLS port (--tls implicit, port 465), or use --tls auto to go on in plain text knowingly")
		s.exit = ExitTLS
	case errors.Is(err, submit.ErrNoStartTLS):
		s.p.fail("--tls starttls: the server does not offer STARTTLS; refusing to go on in plain text")
		s.exit = ExitTLS
	case errors.As(err, &re):
		// The EHLO inside TLS was refused: explained by its event.
	default:
		s.reportError(err)
	}
}

// startTLS is /starttls: STARTTLS as asked, even if not announced, then
// EHLO again with the words of the last EHLO (RFC 3207 §4.2). A refusal
// is explained and the session goes on, as for any typed command.
func (s *Shell) startTLS(ctx context.Context) {
	s.upgrading = true
	s.send(ctx, "STARTTLS")
	s.upgrading = false
	if !s.c.TLS() {
		return
	}
	if s.hello == "" {
		s.say(explain.M("ui.tls_up_ehlo"))
		return
	}
	s.send(ctx, s.hello)
}

// secureEvent shows the steps of Secure as the shell shows typed ones.
func (s *Shell) secureEvent(ev submit.Event) {
	switch ev.Stage {
	case submit.StageStartTLS:
		if ev.Reply != nil {
			s.explain("STARTTLS", ev.Reply)
		}
		if ev.Err == nil && s.c.TLS() {
			s.p.markTLS()
			s.showTLS()
		}
	case submit.StageHello:
		if ev.Reply != nil {
			s.explain("EHLO", ev.Reply)
		}
	}
}

// endOfInput handles Ctrl-D or the end of a script.
func (s *Shell) endOfInput(ctx context.Context) {
	if s.data != nil {
		s.p.fail(explain.M("sh.eof_in_data").Text(s.opts.Lang))
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
		s.say(explain.M("sh.ctrl_c"))
		return
	}
	s.say(explain.M("sh.abort"), explain.M("sh.abort_send"), explain.M("sh.abort_close"), explain.M("sh.abort_continue"))
	answer, err := s.in.ReadLine(explain.M("sh.abort_prompt").Text(s.opts.Lang) + " ")
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "send", "s":
		s.dataLine(ctx, ".")
	case "close", "c":
		s.data = nil
		s.c.Close()
		s.say(explain.M("sh.closed_undelivered"))
		s.exit = ExitAborted
	default:
		if err == nil {
			s.say(explain.M("sh.go_on"))
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
