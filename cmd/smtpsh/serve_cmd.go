package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest/mailweb"
)

// faultFlags collects repeated --fault rules.
type faultFlags []smtptest.Fault

func (f *faultFlags) String() string { return fmt.Sprint(len(*f), " rules") }

func (f *faultFlags) Set(s string) error {
	rule, err := smtptest.ParseFault(s)
	if err != nil {
		return err
	}
	*f = append(*f, rule)
	return nil
}

// serveFlags are the flags of smtpsh serve.
type serveFlags struct {
	listen, tlsListen string
	http, httpAuth    string
	auth              string
	maxMessages       int
	maxSize           int64
	faults            faultFlags
	quiet             bool
	lang              string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.lang, "lang", "", "`LANG` of the log: en, zh or zh-Hant (default: from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:2525", "`ADDR` for plain SMTP with STARTTLS")
	fs.StringVar(&f.tlsListen, "tls-listen", "", "`ADDR` for implicit TLS (e.g. 127.0.0.1:4650); off by default")
	fs.StringVar(&f.http, "http", "", "serve the web page and REST API on `ADDR` (e.g. 127.0.0.1:8025); off by default")
	fs.StringVar(&f.httpAuth, "http-auth", "", "protect the web page and API with HTTP Basic auth: `USER[:PASS]`; without :PASS the password is read from SMTPSH_HTTP_PASSWORD (argv is readable by other users)")
	fs.StringVar(&f.auth, "auth", "demo", "SMTP AUTH: `MODE` demo (the demo account, after STARTTLS), any (any user and password), required (any, and MAIL needs it), off")
	fs.IntVar(&f.maxMessages, "max-messages", smtptest.DefaultKeepMessages, "keep at most `N` messages, the oldest dropped first")
	fs.Int64Var(&f.maxSize, "max-size", smtptest.DefaultMaxMessageSize, "largest message accepted, in `OCTETS` (announced as SIZE)")
	fs.Var(&f.faults, "fault", "fault injection `RULE`, repeatable, e.g. 'RCPT to=*@bounce.test 550 5.1.1' or 'DATA 451 4.3.0 rate=0.1'")
	fs.BoolVar(&f.quiet, "quiet", false, "do not print the messages received")
}

// options turns the flags into the server's options.
func (f *serveFlags) options(out io.Writer, faults *smtptest.Faults, lang explain.Lang) (*smtptest.MailServerOptions, error) {
	o := &smtptest.MailServerOptions{
		Addr:            f.listen,
		ImplicitTLSAddr: f.tlsListen,
		KeepMessages:    f.maxMessages,
		MaxMessageSize:  f.maxSize,
		Faults:          faults,
	}
	switch f.auth {
	case "demo":
		o.Users, o.AuthRequiresTLS = map[string]string{demoUser: demoPassword}, true
	case "any":
		o.AcceptAnyAuth = true
	case "required":
		o.AcceptAnyAuth, o.RequireAuth = true, true
	case "off":
	default:
		return nil, fmt.Errorf("--auth %q: use demo, any, required or off", f.auth)
	}
	if f.maxMessages < 1 || f.maxSize < 1 {
		return nil, errors.New("--max-messages and --max-size must be positive")
	}
	if !f.quiet {
		o.OnMessage = func(m smtptest.Message) { io.WriteString(out, describeMessage(m, true, lang)) }
	}
	return o, nil
}

// webOptions returns the web's options, with the --http-auth credentials.
func (f *serveFlags) webOptions(faults *smtptest.Faults, stderr io.Writer) (*mailweb.Options, error) {
	o := &mailweb.Options{Faults: faults}
	if f.httpAuth == "" {
		return o, nil
	}
	if strings.Contains(f.httpAuth, ":") {
		fmt.Fprintln(stderr, "smtpsh serve: warning: --http-auth USER:PASS puts the password in argv, where other users can read it; prefer --http-auth USER with SMTPSH_HTTP_PASSWORD")
		user, pass, err := mailweb.ParseAuth(f.httpAuth)
		if err != nil {
			return nil, fmt.Errorf("--http-auth: %w", err)
		}
		o.User, o.Password = user, pass
		return o, nil
	}
	pass := os.Getenv("SMTPSH_HTTP_PASSWORD")
	if pass == "" {
		return nil, errors.New("--http-auth USER needs the password in SMTPSH_HTTP_PASSWORD")
	}
	o.User, o.Password = f.httpAuth, pass
	return o, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f serveFlags
	f.register(fs)
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	out := &lockedWriter{w: stdout}
	faults := smtptest.NewFaults(f.faults...)
	lang, err := pickLang(f.lang, os.Getenv)
	if err != nil {
		err = fmt.Errorf("--lang: %w", err)
	}
	var opts *smtptest.MailServerOptions
	if err == nil {
		opts, err = f.options(out, faults, lang)
	}
	if err == nil && f.http != "" {
		_, err = f.webOptions(faults, io.Discard)
	}
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh serve:", err)
		return repl.ExitUsage
	}
	srv, err := smtptest.NewMailServer(opts)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh serve:", err)
		return repl.ExitConnect
	}
	defer srv.Close()
	t := func(id string, kv ...string) string { return explain.M(id, kv...).Text(lang) }
	tls := t("serve.starttls")
	if f.tlsListen != "" {
		tls = t("serve.starttls_implicit", "addr", srv.ImplicitTLSAddr())
	}
	var auth string
	switch f.auth {
	case "demo":
		auth = t("serve.auth_demo", "user", demoUser, "password", demoPassword)
	case "any", "required":
		auth = t("serve.auth_any", "mode", f.auth)
	default:
		auth = t("serve.auth_off")
	}
	fmt.Fprintln(out, "# "+t("serve.listening", "addr", srv.Addr(), "tls", tls, "auth", auth))
	for _, r := range f.faults {
		fmt.Fprintln(out, "# "+t("serve.fault", "rule", fmt.Sprint(r)))
	}
	if f.http != "" {
		wopts, _ := f.webOptions(faults, stderr)
		wopts.Lang = lang
		stop, addr, err := serveHTTP(f.http, mailweb.New(srv, wopts))
		if err != nil {
			fmt.Fprintln(stderr, "smtpsh serve:", err)
			return repl.ExitConnect
		}
		defer stop()
		fmt.Fprintln(out, "# "+t("serve.web", "addr", addr))
	}
	<-ctx.Done()
	return repl.ExitOK
}

// serveHTTP serves h on addr until stop is called; addr is the address
// it listens on, with the port chosen when ADDR asked for 0.
func serveHTTP(listen string, h http.Handler) (stop func(), addr string, err error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, "", fmt.Errorf("--http: %w", err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		hs.Serve(ln)
	}()
	return func() {
		// Event streams never end by themselves: close them.
		hs.Close()
		<-done
	}, ln.Addr().String(), nil
}
