package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chzyer/readline"
	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

const usage = `usage:
  smtpsh [flags] TARGET              open an SMTP session; TARGET is HOST[:PORT] or a provider (smtpsh qq)
  smtpsh send --server TARGET ...    send one message (smtpsh send -h)
  smtpsh bench --server TARGET ...   send N messages over C connections and measure (smtpsh bench -h)
  smtpsh check TARGET [--user U]     diagnose layer by layer: DNS, TCP, TLS, banner, EHLO, AUTH, envelope
  smtpsh providers [NAME]            the provider presets: hosts, ports, TLS, what the password is
  smtpsh mx DOMAIN [--probe]         a domain's MX hosts by preference
  smtpsh explain CODE|'REPLY TEXT'   what 535, 5.7.8 or a server's reply text means, and what to do
  smtpsh demo                        start a built-in server and open a session on it
  smtpsh serve [--http ADDR]         run the built-in server alone: messages printed, web page and API
  smtpsh replay FILE [--listen ADDR] serve a recorded transcript to any SMTP client
  smtpsh test FILE HOST:PORT         play a transcript's C: lines to a server, check its S: lines

A missing port is 25, or 465 with --tls implicit, 587 with --tls starttls;
a provider name brings its own port and TLS mode.

flags for a session:
`

// sessionFlags are the connection flags of the shell.
type sessionFlags struct {
	tlsMode    string
	ca         string
	insecure   bool
	servername string
	timeout    time.Duration
	timeoutSet bool          // --timeout was given
	dataTerm   time.Duration // --data-timeout; 0: --timeout if given, else RFC 5321's 10 minutes
	ehlo       string
	record     string
	plainAuth  bool
	conn       connFlags // --cert, --key, --oauth2-token-file, --protocol, --proxy
	lang       string
}

func (f *sessionFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.tlsMode, "tls", "auto", "TLS mode: auto (implicit on 465 and 994, plain elsewhere), implicit, starttls, none")
	fs.StringVar(&f.ca, "ca", "", "PEM `FILE` of CA certificates to trust instead of the system's")
	fs.BoolVar(&f.insecure, "insecure", false, "accept any certificate (the check still runs and is reported)")
	fs.StringVar(&f.servername, "servername", "", "`NAME` for TLS SNI and certificate checks (default: the host)")
	f.timeout = 60 * time.Second
	fs.Var(durationFlag{&f.timeout, &f.timeoutSet}, "timeout", "time limit for connecting, for the TLS handshake, for each reply, and for each write of a message; "+
		"also for the reply to the final \".\" when --data-timeout is not given")
	fs.DurationVar(&f.dataTerm, "data-timeout", 0, "time limit for the server's verdict after the final \".\" of a message "+
		"(default: --timeout if given, else 10m as RFC 5321 §4.5.3.2.6 recommends)")
	fs.StringVar(&f.ehlo, "ehlo", defaultEHLOName(), "`NAME` to offer in EHLO/HELO completion and after STARTTLS")
	fs.StringVar(&f.record, "record", "", "record the session to `FILE` as a replayable transcript")
	fs.BoolVar(&f.plainAuth, "allow-plaintext-auth", false, "let /auth send credentials without TLS to a non-loopback server")
	fs.StringVar(&f.lang, "lang", "", "`LANG` of the explanations: en, zh or zh-Hant (default: from LC_ALL, LC_MESSAGES, LANG); the wire lines never change")
	f.conn.register(fs)
}

// defaultEHLOName is this machine's name if it is a full domain name,
// else "localhost" (RFC 5321 §4.1.1.1 wants an FQDN or an address literal).
func defaultEHLOName() string {
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") {
		return h
	}
	return "localhost"
}

// implicitTLSPorts are the ports where --tls auto starts TLS first: 465
// (RFC 8314 submissions) and 994 (163.com's second SSL port, per the
// provider guides).
var implicitTLSPorts = map[string]bool{"465": true, "994": true}

// target resolves HOST[:PORT] and the TLS mode into an address, implicit
// TLS and STARTTLS flags.
func (f *sessionFlags) target(arg string) (addr string, implicit, starttls bool, err error) {
	if err := f.checkEHLO(); err != nil {
		return "", false, false, err
	}
	switch f.tlsMode {
	case "auto", "implicit", "starttls", "none":
	default:
		return "", false, false, fmt.Errorf("--tls %q: want auto, implicit, starttls or none", f.tlsMode)
	}
	if path, ok := strings.CutPrefix(arg, "unix:"); ok && path != "" && f.conn.protocol == "lmtp" {
		return arg, false, false, nil // a Unix socket, as LMTP servers listen (RFC 2033 §5)
	}
	if strings.ContainsAny(arg, "\r\n \t/") || arg == "" {
		return "", false, false, fmt.Errorf("%q is not HOST[:PORT]", arg)
	}
	if host, port, mode, p, ok := providers.Resolve(arg); ok {
		return f.providerTarget(arg, host, port, mode, p)
	}
	host, port, err := net.SplitHostPort(arg)
	if err != nil {
		// No port: a name, an IPv4 address, or a bare or bracketed IPv6 address.
		host, port = strings.TrimSuffix(strings.TrimPrefix(arg, "["), "]"), ""
		if strings.Contains(host, ":") && net.ParseIP(host) == nil {
			return "", false, false, fmt.Errorf("%q is not HOST[:PORT]", arg)
		}
	}
	if port == "" {
		switch f.tlsMode {
		case "implicit":
			port = "465"
		case "starttls":
			port = "587"
		}
		switch {
		case port != "":
		case f.conn.protocol == "lmtp":
			port = "24" // the LMTP port of RFC 2033 §8 examples (IANA: lmtp 24)
		default:
			port = "25"
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", false, false, fmt.Errorf("port %q: want a number from 1 to 65535", port)
	}
	implicit = f.tlsMode == "implicit" || (f.tlsMode == "auto" && implicitTLSPorts[port])
	return net.JoinHostPort(host, port), implicit, f.tlsMode == "starttls", nil
}

// providerTarget is target for a provider name ("qq", "gmail:465"): its
// host, and the port and TLS mode of its preset unless --tls says
// otherwise, in which case a port of the provider with that mode is
// preferred when no port was given.
func (f *sessionFlags) providerTarget(arg, host string, port int, mode string, p *providers.Provider) (string, bool, bool, error) {
	if f.tlsMode != "auto" {
		if !strings.Contains(arg, ":") {
			for _, pt := range p.Ports {
				if pt.TLS == f.tlsMode {
					port = pt.Number
					break
				}
			}
		}
		mode = f.tlsMode
	}
	if mode == "" { // a port the preset does not list: as for a host
		mode = providers.Plain
		if implicitTLSPorts[strconv.Itoa(port)] {
			mode = providers.Implicit
		}
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	return addr, mode == providers.Implicit, mode == providers.StartTLS, nil
}

// checkEHLO refuses an --ehlo name that would end the EHLO line early and
// smuggle a second command (RFC 5321 §2.3.8: CR and LF only as CRLF, at
// the end of a line), or that holds blanks.
func (f *sessionFlags) checkEHLO() error {
	switch {
	case strings.ContainsAny(f.ehlo, "\r\n"):
		return fmt.Errorf("--ehlo %q: a line break in the name would end the EHLO line early", f.ehlo)
	case strings.ContainsAny(f.ehlo, " \t"):
		return fmt.Errorf("--ehlo %q: want one domain name or address literal, such as mail.example.com or [192.0.2.1]", f.ehlo)
	}
	return nil
}

// checkCA reads --ca before anything is dialled, so a missing or empty
// file is a usage error (exit 2), not a failure in the middle of a
// session.
func (f *sessionFlags) checkCA() error {
	if err := f.conn.load(os.Getenv); err != nil {
		return err
	}
	if f.ca == "" {
		return nil
	}
	pem, err := os.ReadFile(f.ca)
	if err != nil {
		return fmt.Errorf("--ca: %w", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return fmt.Errorf("--ca %s: no PEM certificate in it", f.ca)
	}
	return nil
}

// config builds the client configuration.
func (f *sessionFlags) config(implicit bool) smtpwire.Config {
	t := f.timeout
	cfg := smtpwire.Config{
		LocalName:          f.ehlo,
		ImplicitTLS:        implicit,
		ServerName:         f.servername,
		CAFile:             f.ca,
		InsecureSkipVerify: f.insecure,
		AllowInsecureAuth:  f.plainAuth,
		Timeouts: smtpwire.Timeouts{Connect: t, TLS: t, Greeting: t, Mail: t, Rcpt: t,
			DataInit: t, DataBlock: t, DataTerm: f.dataTimeout(), Command: t},
	}
	f.conn.apply(&cfg)
	return cfg
}

// dataTimeout bounds the wait for the reply to the final ".": RFC 5321
// §4.5.3.2.6 recommends 10 minutes, because the server may be filtering
// the message, but an explicit --timeout or --data-timeout is the user's
// word and wins.
func (f *sessionFlags) dataTimeout() time.Duration {
	switch {
	case f.dataTerm > 0:
		return f.dataTerm
	case f.timeoutSet:
		return f.timeout
	}
	return 10 * time.Minute
}

// durationFlag is a duration flag that notes whether it was given.
type durationFlag struct {
	d   *time.Duration
	set *bool
}

func (v durationFlag) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

func (v durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("want a positive duration such as 30s or 2m")
	}
	*v.d, *v.set = d, true
	return nil
}

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "demo":
			return runDemo(ctx, args[1:], stdin, stdout, stderr)
		case "serve":
			return runServe(ctx, args[1:], stdout, stderr)
		case "replay":
			return runReplay(ctx, args[1:], stdout, stderr)
		case "test":
			return runTest(ctx, args[1:], stdout, stderr)
		case "send":
			return runSend(ctx, args[1:], stdin, stdout, stderr)
		case "bench":
			return runBench(ctx, args[1:], stdin, stdout, stderr)
		case "check":
			return runCheck(ctx, args[1:], stdin, stdout, stderr)
		case "providers":
			return runProviders(ctx, args[1:], stdout, stderr)
		case "mx":
			return runMX(ctx, args[1:], stdout, stderr)
		case "explain":
			return runExplain(args[1:], os.Getenv, stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("smtpsh", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var f sessionFlags
	f.register(fs)
	arg, code, ok := parseOne(fs, args)
	if !ok {
		return code
	}
	addr, implicit, starttls, err := f.target(arg)
	if err == nil {
		err = f.checkCA()
	}
	lang, lerr := pickLang(f.lang, os.Getenv)
	if err == nil && lerr != nil {
		err = fmt.Errorf("--lang: %w", lerr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh:", err)
		return repl.ExitUsage
	}
	return session(ctx, repl.Options{Addr: addr, Config: f.config(implicit), StartTLS: starttls, Record: f.record, Lang: lang,
		OAuth2Token: f.conn.token, Proxy: f.conn.proxyHost()}, stdin, stdout, stderr)
}

// parseOne parses flags around exactly one positional argument. When ok
// is false the caller exits with code: 0 after -h, 2 for a mistake.
func parseOne(fs *flag.FlagSet, args []string) (arg string, code int, ok bool) {
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return "", repl.ExitOK, false
	case err != nil:
		return "", repl.ExitUsage, false
	case len(pos) != 1:
		fs.Usage()
		return "", repl.ExitUsage, false
	}
	return pos[0], 0, true
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("smtpsh smtp.qq.com:465 --tls implicit").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// session runs the shell on stdin: interactive with readline on a
// terminal, script mode otherwise.
func session(ctx context.Context, opts repl.Options, stdin io.Reader, stdout, stderr io.Writer) int {
	opts.Out = stdout
	in, isFile := stdin.(*os.File)
	terminal := isFile && readline.IsTerminal(int(in.Fd()))
	if !terminal {
		return repl.New(opts).Run(ctx, repl.NewScriptReader(stdin))
	}
	opts.Interactive = true
	opts.Color = wantColor(stdout, os.Getenv("NO_COLOR"))
	sh := repl.New(opts)
	rl, err := repl.NewReadline(readline.Config{Stdin: in, Stdout: stdout, Stderr: stderr}, repl.HistoryPath(), sh.Complete)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh: terminal:", err)
		return repl.ExitUsage
	}
	defer rl.Close()
	return sh.Run(ctx, rl)
}

// wantColor reports whether to paint output: only on a terminal, and
// never when NO_COLOR is set to anything (no-color.org).
func wantColor(stdout io.Writer, noColor string) bool {
	if u, ok := stdout.(interface{ Unwrap() io.Writer }); ok {
		stdout = u.Unwrap()
	}
	f, ok := stdout.(*os.File)
	return ok && noColor == "" && readline.IsTerminal(int(f.Fd()))
}
