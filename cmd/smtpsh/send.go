package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chzyer/readline"
	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/message"
)

const sendUsage = `usage: smtpsh send --server HOST[:PORT] --from ADDR --to ADDR [flags]

Send one message and exit; the session is shown as a transcript with the
time each step took. Examples:

  SMTPSH_PASSWORD=授权码 smtpsh send --server smtp.qq.com:465 --user me@qq.com \
      --from '张三 <me@qq.com>' --to friend@example.com --subject 测试邮件 --body 你好
  smtpsh send --server smtp.gmail.com:587 --tls starttls --user me@gmail.com \
      --password-file ~/.gmail-app-password --from me@gmail.com --to you@example.com \
      --subject report --body-file report.txt --attach report.pdf
  smtpsh send --server smtpdm.aliyun.com:465 --user noreply@mail.example.com \
      --from noreply@mail.example.com --to you@example.com --quit-after rcpt

The password comes from SMTPSH_PASSWORD, --password-file, or a prompt
without echo on a terminal. The body comes from --body, --body-file, or
standard input when it is not a terminal; --data FILE sends a prepared
message instead. Exit status: 0 sent (or stopped as --quit-after asked),
1 negative greeting, EHLO or STARTTLS reply, 2 usage, 3 connection,
4 TLS, 5 protocol or time-out, 6 interrupted, 7 AUTH, 8 sender or every
recipient refused, 9 message refused. A recipient refused while others
were accepted is reported, and the status stays 0.

flags:
`

// Stages of a send, in order; --quit-after names one.
var sendStages = []string{"connect", "banner", "ehlo", "starttls", "auth", "mail", "rcpt"}

// maxTextBody bounds a text or HTML body read into memory; larger
// content goes in an attachment, which is streamed.
const maxTextBody = 32 << 20

// sendList is a repeatable flag.
type sendList []string

func (l *sendList) String() string     { return strings.Join(*l, ", ") }
func (l *sendList) Set(s string) error { *l = append(*l, s); return nil }

// sendOptString is a string flag that knows whether it was given, so that
// an empty --body "" differs from no --body at all.
type sendOptString struct {
	v   string
	set bool
}

func (o *sendOptString) String() string     { return o.v }
func (o *sendOptString) Set(s string) error { o.v, o.set = s, true; return nil }

// sendOptions are the flags of "smtpsh send".
type sendOptions struct {
	session  sessionFlags
	password passwordFlags

	server    string
	from      string
	to        sendList
	cc        sendList
	bcc       sendList
	auth      string
	user      string
	subject   string
	body      sendOptString
	bodyFile  string
	headers   sendList
	attach    sendList
	html      string
	data      string
	quitAfter string
	quiet     bool

	pipelining string
	chunking   string
	dsnNotify  string
	dsnRet     string
	envid      string
	requireTLS bool
}

func (o *sendOptions) register(fs *flag.FlagSet) {
	o.session.register(fs)
	o.password.register(fs)
	// The shell's flags, as send reads them.
	fs.Lookup("tls").Usage = "TLS mode: auto (implicit on 465 and 994, else STARTTLS when the server offers it), " +
		"implicit, starttls (required), none"
	fs.Lookup("allow-plaintext-auth").Usage = "let --user send the password without TLS to a server that is not on loopback"
	fs.Lookup("record").Usage = "record the session to `FILE` as a replayable transcript (AUTH redacted, every message line kept)"
	fs.StringVar(&o.server, "server", "", "the SMTP server, `HOST[:PORT]` or a provider name such as qq or gmail:587 (port 25, or 465 for --tls implicit, 587 for --tls starttls)")
	fs.StringVar(&o.from, "from", "", "the sender, `ADDR` such as '张三 <zhang@example.com>': MAIL FROM and the From: field")
	fs.Var(&o.to, "to", "a recipient `ADDR` (repeatable; a comma-separated list works too)")
	fs.Var(&o.cc, "cc", "a copy recipient `ADDR`, shown in Cc: (repeatable)")
	fs.Var(&o.bcc, "bcc", "a blind copy recipient `ADDR`: in the envelope only, never in the message (repeatable)")
	fs.StringVar(&o.auth, "auth", "auto", "AUTH mechanism: auto (the strongest offered: SCRAM, CRAM-MD5, then PLAIN/LOGIN on TLS; XOAUTH2/OAUTHBEARER with a token), plain, login, cram-md5, scram-sha-256, scram-sha-1, xoauth2, oauthbearer, external")
	fs.StringVar(&o.user, "user", "", "log in as `USER` (no AUTH without it)")
	fs.StringVar(&o.subject, "subject", "", "the subject `TEXT` (any language; encoded as RFC 2047 needs)")
	fs.Var(&o.body, "body", "the body `TEXT`")
	fs.StringVar(&o.bodyFile, "body-file", "", "read the body from `FILE` (UTF-8)")
	fs.Var(&o.headers, "header", "add a header field, `'Name: value'` (repeatable)")
	fs.Var(&o.attach, "attach", "attach `FILE` (repeatable; streamed, typed by its extension)")
	fs.StringVar(&o.html, "html", "", "add an HTML version of the body from `FILE` (multipart/alternative)")
	fs.StringVar(&o.data, "data", "", "send the prepared RFC 5322 message in `FILE` (- for standard input) unchanged")
	fs.StringVar(&o.quitAfter, "quit-after", "", "stop with QUIT after `STAGE`: "+strings.Join(sendStages, ", "))
	fs.BoolVar(&o.quiet, "quiet", false, "show nothing but warnings and errors (on standard error)")
	fs.StringVar(&o.pipelining, "pipelining", "auto", "PIPELINING (RFC 2920): auto (MAIL, RCPT and DATA in one write when the server offers it) or never")
	fs.StringVar(&o.chunking, "chunking", "auto", "BDAT (CHUNKING, RFC 3030): auto (when offered), always, or never (DATA)")
	fs.StringVar(&o.dsnNotify, "dsn-notify", "", "DSN (RFC 3461): ask for delivery status notifications, `LIST` of SUCCESS,FAILURE,DELAY, or NEVER")
	fs.StringVar(&o.dsnRet, "dsn-ret", "", "DSN: return `FULL` message or HDRS only in a bounce")
	fs.StringVar(&o.envid, "envid", "", "DSN: an envelope `ID` returned in notifications")
	fs.BoolVar(&o.requireTLS, "require-tls", false, "REQUIRETLS (RFC 8689): send only over verified TLS to a server that offers REQUIRETLS, and ask every later hop for the same")
}

// checkExtensions validates the flags of the SMTP extensions.
func (o *sendOptions) checkExtensions() error {
	for name, v := range map[string]string{"pipelining": o.pipelining, "chunking": o.chunking} {
		switch v {
		case "auto", "never":
		case "always":
			if name == "chunking" {
				break
			}
			fallthrough
		default:
			return sendUsagef("--%s %q: want auto or never%s", name, v, map[bool]string{true: " or always"}[name == "chunking"])
		}
	}
	if o.dsnNotify != "" {
		list := strings.Split(strings.ToUpper(o.dsnNotify), ",")
		for _, n := range list {
			switch n {
			case "SUCCESS", "FAILURE", "DELAY":
			case "NEVER":
				if len(list) > 1 {
					return sendUsagef("--dsn-notify: NEVER stands alone (RFC 3461 §4.1)")
				}
			default:
				return sendUsagef("--dsn-notify %q: want SUCCESS, FAILURE, DELAY (comma-separated) or NEVER", n)
			}
		}
	}
	switch strings.ToUpper(o.dsnRet) {
	case "", "FULL", "HDRS":
	default:
		return sendUsagef("--dsn-ret %q: want FULL or HDRS", o.dsnRet)
	}
	if len(o.envid) > 100 || strings.ContainsAny(o.envid, "\r\n") {
		return sendUsagef("--envid: at most 100 characters, on one line (RFC 3461 §4.4)")
	}
	return nil
}

// sendServer resolves --server into the address to dial and whether TLS
// starts first. It is the one place that reads --server, so that provider
// names ("--server gmail") can be hooked in here.
func (o *sendOptions) sendServer() (addr string, implicit bool, err error) {
	addr, implicit, _, err = o.session.target(o.server)
	return addr, implicit, err
}

// reaches reports whether the session goes as far as stage: all the
// way without --quit-after, else up to the stage it names.
func (o *sendOptions) reaches(stage string) bool {
	return o.quitAfter == "" || slices.Index(sendStages, o.quitAfter) >= slices.Index(sendStages, stage)
}

// needsPassword reports whether the session will reach AUTH with a
// mechanism that takes a password.
func (o *sendOptions) needsPassword() bool {
	return o.user != "" && o.reaches("auth") && o.session.conn.authNeedsPassword(o.auth)
}

// sendUsageError is a mistake in the command line: exit status 2.
type sendUsageError struct{ msg string }

func (e *sendUsageError) Error() string { return e.msg }

func sendUsagef(format string, args ...any) error {
	return &sendUsageError{fmt.Sprintf(format, args...)}
}

// sendPlan is what a checked command line asks for.
type sendPlan struct {
	addr     string
	host     string
	implicit bool
	from     *mail.Address
	rcpts    []string // envelope recipients: To, Cc and Bcc, each once
	msg      *message.Message
	data     string // --data: a file, or "-" for standard input
	password string
}

// check validates the flags and reads what must be read before the
// connection: the body and the password. Files to attach are checked
// here and read while the message is sent.
func (o *sendOptions) check(stdin io.Reader, stderr io.Writer) (*sendPlan, error) {
	p := &sendPlan{}
	if o.server == "" {
		return nil, sendUsagef("--server HOST[:PORT] is required")
	}
	var err error
	if p.addr, p.implicit, err = o.sendServer(); err != nil {
		return nil, sendUsagef("--server: %v", err)
	}
	p.host, _, _ = net.SplitHostPort(p.addr)
	if err := o.session.checkCA(); err != nil {
		return nil, sendUsagef("%v", err)
	}
	if err := o.checkExtensions(); err != nil {
		return nil, err
	}
	if o.quitAfter != "" && !slices.Contains(sendStages, o.quitAfter) {
		return nil, sendUsagef("--quit-after %q: want one of %s", o.quitAfter, strings.Join(sendStages, ", "))
	}
	if err := o.session.conn.checkAuthFlag(o.auth); err != nil {
		return nil, sendUsagef("%v", err)
	}
	if o.auth != "auto" && o.user == "" && !strings.EqualFold(o.auth, "external") {
		return nil, sendUsagef("--auth %s needs --user", o.auth)
	}
	if o.user != "" && strings.ContainsAny(o.user, "\r\n\x00") {
		return nil, sendUsagef("--user: control characters are not allowed")
	}
	if o.user != "" && o.session.tlsMode == "none" && !sendIsLoopback(p.host) && !o.session.plainAuth {
		return nil, sendUsagef("--tls none with --user would send the password in plain text to %s: "+
			"use TLS, or --allow-plaintext-auth if you accept that", p.host)
	}
	if o.from == "" {
		return nil, sendUsagef("--from ADDR is required (the sender, as in MAIL FROM)")
	}
	if err := sendAddrLine("--from", o.from); err != nil {
		return nil, err
	}
	if p.from, err = mail.ParseAddress(o.from); err != nil {
		return nil, sendUsagef("--from %q: %v", o.from, err)
	}
	to, err := sendParseAddrs("--to", o.to)
	if err != nil {
		return nil, err
	}
	cc, err := sendParseAddrs("--cc", o.cc)
	if err != nil {
		return nil, err
	}
	bcc, err := sendParseAddrs("--bcc", o.bcc)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, a := range append(append(append([]*mail.Address{}, to...), cc...), bcc...) {
		if k := strings.ToLower(a.Address); !seen[k] {
			seen[k] = true
			p.rcpts = append(p.rcpts, a.Address)
		}
	}
	if len(p.rcpts) == 0 {
		return nil, sendUsagef("no recipient: give --to, --cc or --bcc")
	}
	if err := o.buildMessage(p, to, cc, stdin, stderr); err != nil {
		return nil, err
	}
	if o.needsPassword() {
		if p.password, err = o.password.get(o.user, stdin, stderr); err != nil {
			return nil, sendUsagef("password for %s: %v", o.user, err)
		}
	} else if o.password.argv != "" {
		o.password.get(o.user, stdin, stderr) // for its warning
	}
	return p, nil
}

// buildMessage builds the message from the flags, or checks --data.
func (o *sendOptions) buildMessage(p *sendPlan, to, cc []*mail.Address, stdin io.Reader, stderr io.Writer) error {
	if o.data != "" {
		if o.subject != "" || o.body.set || o.bodyFile != "" || o.html != "" || len(o.attach) > 0 || len(o.headers) > 0 {
			return sendUsagef("--data sends a prepared message unchanged: it does not go with --subject, --body, " +
				"--body-file, --html, --attach or --header")
		}
		if o.data != "-" {
			if err := sendCheckFile("--data", o.data); err != nil {
				return err
			}
		}
		p.data = o.data
		return nil
	}
	if o.body.set && o.bodyFile != "" {
		return sendUsagef("give --body or --body-file, not both")
	}
	m := &message.Message{From: p.from, To: to, Cc: cc, Subject: o.subject}
	for _, h := range o.headers {
		f, err := message.ParseField(h)
		if err != nil {
			return sendUsagef("--header %q: %v", h, err)
		}
		m.Header = append(m.Header, f)
	}
	var err error
	switch {
	case o.body.set:
		m.Text = o.body.v
	case o.bodyFile != "":
		if m.Text, err = sendReadText("--body-file", o.bodyFile); err != nil {
			return err
		}
	case !sendIsTerminal(stdin):
		if m.Text, err = sendReadStdin(stdin, stderr); err != nil {
			return err
		}
	}
	if o.html != "" {
		if m.HTML, err = sendReadText("--html", o.html); err != nil {
			return err
		}
	}
	for _, path := range o.attach {
		if err := sendCheckFile("--attach", path); err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, message.FileAttachment(path))
	}
	// Pin what WriteTo would make up, so that the size counted for SIZE
	// and the bytes sent are the same message.
	m.Date = time.Now()
	m.MessageID = message.NewMessageID(p.from.Address)
	m.Boundary = message.NewBoundary()
	if err := m.Validate(); err != nil {
		return sendUsagef("%v", err)
	}
	p.msg = m
	return nil
}

// sendAddrLine refuses an address argument with CR, LF or NUL, with a
// reason a user can act on: net/mail's own error for it ("expected
// comma") says nothing of the line break pasted into it, which would end
// the MAIL or RCPT command line (RFC 5321 §2.3.8).
func sendAddrLine(flagName, v string) error {
	if strings.ContainsAny(v, "\r\n\x00") {
		return sendUsagef("%s %q: an address cannot hold a line break (CR or LF) or NUL: it would end the SMTP command line (RFC 5321 §2.3.8)", flagName, v)
	}
	return nil
}

func sendParseAddrs(flagName string, values []string) ([]*mail.Address, error) {
	var out []*mail.Address
	for _, v := range values {
		if err := sendAddrLine(flagName, v); err != nil {
			return nil, err
		}
		list, err := mail.ParseAddressList(v)
		if err != nil {
			return nil, sendUsagef("%s %q: %v", flagName, v, err)
		}
		if len(list) == 0 {
			return nil, sendUsagef("%s %q: no address in it", flagName, v)
		}
		out = append(out, list...)
	}
	return out, nil
}

// sendCheckFile checks that path can be read now.
func sendCheckFile(flagName, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return sendUsagef("%s: %v", flagName, err)
	}
	if !fi.Mode().IsRegular() {
		return sendUsagef("%s %s: not a regular file", flagName, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return sendUsagef("%s: %v", flagName, err)
	}
	return f.Close()
}

// sendReadText reads a body file, at most maxTextBody bytes.
func sendReadText(flagName, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", sendUsagef("%s: %v", flagName, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTextBody+1))
	if err != nil {
		return "", sendUsagef("%s: %v", flagName, err)
	}
	if len(b) > maxTextBody {
		return "", sendUsagef("%s %s: larger than %d MiB: send it with --attach, which streams it", flagName, path, maxTextBody>>20)
	}
	return string(b), nil
}

// sendReadStdin reads the body from standard input, saying after a
// moment what it waits for, since a forgotten pipe would hang silently.
func sendReadStdin(stdin io.Reader, stderr io.Writer) (string, error) {
	hint := time.AfterFunc(2*time.Second, func() {
		fmt.Fprintln(stderr, "smtpsh send: reading the body from standard input (end it with Ctrl-D; "+
			"--body TEXT or --body-file FILE avoids this)")
	})
	defer hint.Stop()
	b, err := io.ReadAll(io.LimitReader(stdin, maxTextBody+1))
	if err != nil {
		return "", sendUsagef("reading the body from standard input: %v", err)
	}
	if len(b) > maxTextBody {
		return "", sendUsagef("the body on standard input is larger than %d MiB: send it with --attach", maxTextBody>>20)
	}
	return string(b), nil
}

func sendIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && readline.IsTerminal(int(f.Fd()))
}

// sendIsLoopback reports a loopback address or "localhost", where nobody
// can listen in on a password.
func sendIsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newSendFlagSet returns the flags of "smtpsh send", bound to o.
func newSendFlagSet(o *sendOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("smtpsh send", flag.ContinueOnError)
	o.register(fs)
	return fs
}

// runSend is "smtpsh send": one message, one session, then exit.
func runSend(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o sendOptions
	fs := newSendFlagSet(&o)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, sendUsage); fs.PrintDefaults() }
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return repl.ExitOK
	case err != nil:
		return repl.ExitUsage
	case len(pos) > 0:
		fmt.Fprintf(stderr, "smtpsh send: unexpected argument %q (recipients go after --to)\n", pos[0])
		return repl.ExitUsage
	}
	plan, err := o.check(stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh send:", err)
		return repl.ExitUsage
	}
	lang, err := pickLang(o.session.lang, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh send: --lang:", err)
		return repl.ExitUsage
	}
	// Server text reaches messages too: nothing it holds may drive the terminal.
	stdout, stderr = printable(stdout), printable(stderr)
	out, err := newSendOutput(stdout, stderr, o.quiet, o.session.record)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh send:", err)
		return repl.ExitUsage
	}
	out.lang = lang
	s := &sender{o: &o, plan: plan, out: out, stdin: stdin}
	code := s.run(ctx)
	if err := out.close(); err != nil {
		fmt.Fprintln(stderr, "smtpsh send: recording:", err)
	}
	return code
}
