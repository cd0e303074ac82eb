package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/check"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

const checkUsage = `usage: smtpsh check TARGET [flags]

Checks an SMTP server layer by layer and says which layer fails and how
to fix it: DNS, TCP connect, TLS (version, certificate, verification),
the banner, EHLO, then with --user the login and with --from/--to the
envelope (MAIL FROM, RCPT TO, then RSET and QUIT: no mail is sent).

TARGET is HOST[:PORT] or a provider name with an optional :PORT
(qq, 163, gmail, dm, ...: see smtpsh providers).

exit status: 0 all passed (warnings included); by the first failing layer:
3 DNS or TCP, 4 TLS, 5 banner or the session broke, 1 EHLO refused,
7 AUTH, 8 envelope; 2 usage; 6 interrupted.

flags:
`

// checkTimeout is check's default --timeout: long enough for a slow
// banner, short enough not to keep a user waiting on a blocked port.
const checkTimeout = 20 * time.Second

// checkEnv is what tests replace: name resolution, the dialer, the clock
// and the environment (for the language).
type checkEnv struct {
	resolver check.Resolver
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)
	now      func() time.Time
	getenv   func(string) string
}

// runCheck is "smtpsh check".
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runCheckEnv(ctx, args, stdin, stdout, stderr, checkEnv{getenv: os.Getenv})
}

// checkAddrList is a repeatable string flag.
type checkAddrList []string

func (l *checkAddrList) String() string     { return strings.Join(*l, ",") }
func (l *checkAddrList) Set(v string) error { *l = append(*l, v); return nil }

func runCheckEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env checkEnv) int {
	fs := flag.NewFlagSet("smtpsh check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, checkUsage); fs.PrintDefaults() }
	var f sessionFlags
	f.register(fs)
	t := fs.Lookup("timeout")
	t.Value.Set(checkTimeout.String())
	t.DefValue = checkTimeout.String()
	var pw passwordFlags
	pw.register(fs)
	var to checkAddrList
	mech := fs.String("auth", "auto", "AUTH mechanism: auto (the strongest offered), plain, login, cram-md5, scram-sha-256, scram-sha-1, xoauth2, oauthbearer, external")
	user := fs.String("user", "", "log in as `USER` (usually the full address); the password comes from SMTPSH_PASSWORD, --password-file or a prompt")
	from := fs.String("from", "", "try MAIL FROM:<`ADDRESS`> (default: --user when it is an address)")
	fs.Var(&to, "to", "try RCPT TO:<`ADDRESS`>; repeatable")
	asJSON := fs.Bool("json", false, "print the report as one JSON document")

	arg, code, ok := parseOne(fs, args)
	if !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "smtpsh check: "+format+"\n", a...)
		return repl.ExitUsage
	}
	lang, err := pickLang(f.lang, env.getenv)
	if err != nil {
		return usageErr("--lang: %v", err)
	}
	if err := f.conn.load(env.getenv); err != nil {
		return usageErr("%v", err)
	}
	if err := f.conn.checkAuthFlag(*mech); err != nil {
		return usageErr("%v", err)
	}
	if f.ca != "" {
		if pem, err := os.ReadFile(f.ca); err != nil {
			return usageErr("--ca: %v", err)
		} else if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			return usageErr("--ca %s: no PEM certificate in it", f.ca)
		}
	}
	tlsSet := false
	fs.Visit(func(fl *flag.Flag) { tlsSet = tlsSet || fl.Name == "tls" })
	host, port, mode, p, err := checkTarget(arg, &f, tlsSet)
	if err != nil {
		return usageErr("%v", err)
	}
	for _, a := range append([]string{*from}, to...) {
		if strings.ContainsAny(a, "\r\n<> ") {
			return usageErr("%q is not a plain address like you@example.com", a)
		}
	}
	if strings.ContainsAny(*user, "\r\n\x00") {
		return usageErr("--user %q: control characters are not allowed", *user)
	}
	var password string
	if *user != "" && f.conn.authNeedsPassword(*mech) {
		if password, err = pw.get(*user, stdin, stderr); err != nil {
			return usageErr("password: %v", err)
		}
	}
	cfg := f.config(mode == check.ModeImplicit)
	cfg.DialContext = env.dial // --proxy: check.Options.Proxy, a stage of its own
	if f.record != "" {
		rec, err := newCheckRecorder(f.record)
		if err != nil {
			return usageErr("%v", err)
		}
		defer func() {
			if err := rec.Close(); err != nil {
				fmt.Fprintln(stderr, "smtpsh check: --record:", err)
			}
		}()
		cfg.Trace = rec.trace
	}
	rep := check.Run(ctx, check.Options{
		Target: arg, Host: host, Port: port, TLS: mode, Provider: p, Config: cfg,
		User: *user, Password: password, Mechanism: *mech, Token: f.conn.token, Proxy: f.conn.proxy, From: *from, To: to,
		Resolver: env.resolver, Now: env.now,
	})
	if *asJSON {
		err = check.WriteJSON(printableJSON(stdout), rep, lang)
	} else {
		err = check.WriteText(printable(stdout), rep, lang)
	}
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh check:", err)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "smtpsh check: interrupted")
		return repl.ExitAborted
	}
	return checkExit(rep)
}

// checkTarget turns TARGET and the TLS flag into what to check: a
// provider name (with its recommended port, or the port given) or
// HOST[:PORT] as for a session. An explicit --tls wins over the
// provider's mode for its port; a provider's plain port is checked in
// auto mode, so that STARTTLS is used when offered.
func checkTarget(arg string, f *sessionFlags, tlsSet bool) (host string, port int, mode string, p *providers.Provider, err error) {
	if h, pt, m, prov, ok := providers.Resolve(arg); ok {
		if err := f.checkEHLO(); err != nil {
			return "", 0, "", nil, err
		}
		switch f.tlsMode {
		case "auto", "implicit", "starttls", "none":
		default:
			return "", 0, "", nil, fmt.Errorf("--tls %q: want auto, implicit, starttls or none", f.tlsMode)
		}
		host, port, mode, p = h, pt, m, prov
		if tlsSet && f.tlsMode != "auto" {
			mode = f.tlsMode
			if !strings.Contains(arg, ":") {
				port = providerPort(p, mode)
			}
		}
		switch {
		case mode == "":
			mode = autoMode(port)
		case mode == providers.Plain && !tlsSet:
			mode = check.ModeAuto
		}
		return host, port, mode, p, nil
	}
	addr, implicit, starttls, err := f.target(arg)
	if err != nil {
		return "", 0, "", nil, err
	}
	host, ps, _ := net.SplitHostPort(addr)
	port, _ = strconv.Atoi(ps)
	switch {
	case implicit:
		mode = check.ModeImplicit
	case starttls:
		mode = check.ModeStartTLS
	case f.tlsMode == "none":
		mode = check.ModeNone
	default:
		mode = check.ModeAuto
	}
	p, _ = providers.ForHost(host)
	return host, port, mode, p, nil
}

// providerPort is the provider's first port in mode, else the standard
// port of the mode.
func providerPort(p *providers.Provider, mode string) int {
	for _, pt := range p.Ports {
		if pt.TLS == mode {
			return pt.Number
		}
	}
	switch mode {
	case check.ModeImplicit:
		return 465
	case check.ModeStartTLS:
		return 587
	}
	return 25
}

// autoMode is --tls auto for a port: implicit TLS on 465 and 994.
func autoMode(port int) string {
	if implicitTLSPorts[strconv.Itoa(port)] {
		return check.ModeImplicit
	}
	return check.ModeAuto
}

// checkExit is the exit status of a report: by the layer of the first
// failure (repl/exit.go).
func checkExit(rep *check.Report) int {
	v := rep.Verdict()
	if v.OK {
		return repl.ExitOK
	}
	switch check.Layer(v.Problem) {
	case "dns", "tcp", "proxy":
		return repl.ExitConnect
	case "tls":
		return repl.ExitTLS
	case "banner", "session":
		return repl.ExitProtocol
	case "auth":
		return repl.ExitAuth
	case "envelope":
		return repl.ExitEnvelope
	}
	return repl.ExitNegative
}
