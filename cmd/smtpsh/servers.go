package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// The built-in server's account, printed at start: a demo, not a secret.
const (
	demoUser     = "demo@smtpsh.demo"
	demoPassword = "demo-password"
	demoToken    = "demo-oauth2-token" // for XOAUTH2 and OAUTHBEARER
)

// lockedWriter serialises writes from the server's goroutines and the
// shell.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Unwrap returns the underlying writer, to tell whether it is a terminal.
func (l *lockedWriter) Unwrap() io.Writer { return l.w }

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// describeMessage renders a received message for the terminal, the
// notes in lang.
func describeMessage(m smtptest.Message, withBody bool, lang explain.Lang) string {
	var b strings.Builder
	b.WriteString("# " + explain.M("srv.message", "id", m.ID, "from", m.From, "to", strings.Join(m.To, ">, <"),
		"bytes", strconv.Itoa(len(m.Data))).Text(lang))
	if m.TLS {
		b.WriteString(explain.M("srv.over_tls").Text(lang))
	}
	if m.AuthUser != "" {
		b.WriteString(explain.M("srv.authed", "user", m.AuthUser).Text(lang))
	}
	b.WriteString("\n")
	if withBody {
		for _, l := range strings.SplitAfter(string(m.Data), "\n") {
			if l != "" {
				b.WriteString("#   " + strings.TrimRight(l, "\r\n") + "\n")
			}
		}
	}
	return b.String()
}

// startServer runs the built-in server on listen (and a TLS port).
func startServer(listen, tlsListen string, out io.Writer, withBody bool, lang explain.Lang) (*smtptest.MailServer, error) {
	return smtptest.NewMailServer(&smtptest.MailServerOptions{
		Addr:            listen,
		ImplicitTLSAddr: tlsListen,
		Users:           map[string]string{demoUser: demoPassword},
		Tokens:          map[string]string{demoToken: demoUser},
		AuthMechanisms:  smtptest.AllAuthMechanisms, // every one, to try each offline
		AuthRequiresTLS: true,
		OnMessage:       func(m smtptest.Message) { io.WriteString(out, describeMessage(m, withBody, lang)) },
	})
}

// parseNoArgs parses flags for a subcommand that takes no arguments; ok
// is false when the caller should exit with code.
func parseNoArgs(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return repl.ExitOK, false
	case err != nil:
		return repl.ExitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return repl.ExitUsage, false
	}
	return 0, true
}

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	implicit := fs.Bool("implicit", false, "connect to the implicit-TLS port instead of the STARTTLS one")
	record := fs.String("record", "", "record the session to `FILE`")
	langFlag := fs.String("lang", "", "`LANG` of the explanations: en, zh or zh-Hant (default: from LC_ALL, LC_MESSAGES, LANG)")
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	lang, err := pickLang(*langFlag, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh demo: --lang:", err)
		return repl.ExitUsage
	}
	out := &lockedWriter{w: stdout}
	srv, err := startServer("127.0.0.1:0", "127.0.0.1:0", out, true, lang)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh demo:", err)
		return repl.ExitConnect
	}
	defer srv.Close()
	// The banner goes to stderr: stdout is the session transcript, which
	// must never hold a password, even a demo one.
	t := func(id string, kv ...string) string { return explain.M(id, kv...).Text(lang) }
	fmt.Fprintf(stderr, `# %s
# %s
# %s
# %s
#   EHLO me.example.com
#   STARTTLS                      %s
#   /auth login %s
#   MAIL FROM:<%s>
#   RCPT TO:<friend@example.com>
#   DATA                          %s
#   QUIT
`, t("srv.demo", "addr", srv.Addr(), "tlsaddr", srv.ImplicitTLSAddr()), t("srv.demo_cert"),
		t("srv.demo_user", "user", demoUser, "password", demoPassword), t("srv.demo_try"), t("srv.demo_tls"),
		demoUser, demoUser, t("srv.demo_data"))
	addr := srv.Addr()
	if *implicit {
		addr = srv.ImplicitTLSAddr()
	}
	cfg := smtpwire.Config{
		LocalName:   "me.example.com",
		ImplicitTLS: *implicit,
		TLSConfig:   &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"},
		Timeouts:    smtpwire.Timeouts{Connect: 10 * time.Second, Greeting: time.Minute, Command: time.Minute},
	}
	return session(ctx, repl.Options{Addr: addr, Config: cfg, Record: *record, Lang: lang}, stdin, out, stderr)
}

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:2525", "`ADDR` to listen on")
	once := fs.Bool("once", false, "serve one session and exit: 0 if the client matched the transcript, 1 if not")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		if errors.Is(err, flag.ErrHelp) {
			return repl.ExitOK
		}
		fmt.Fprintln(stderr, "usage: smtpsh replay FILE [--listen ADDR] [--once]")
		return repl.ExitUsage
	}
	script, err := smtptest.ParseFile(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh replay:", err)
		return repl.ExitUsage
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh replay:", err)
		return repl.ExitConnect
	}
	defer ln.Close()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	fmt.Fprintf(stdout, "# replaying %s on %s; the server certificate is smtpsh's test CA (not trusted by default)\n", pos[0], ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return repl.ExitOK
			}
			fmt.Fprintln(stderr, "smtpsh replay:", err)
			return repl.ExitConnect
		}
		fmt.Fprintf(stdout, "# session from %s\n", conn.RemoteAddr())
		err = script.Serve(conn, &smtptest.ServeOptions{Timeout: time.Minute})
		if err != nil {
			fmt.Fprintf(stdout, "# the client did not follow the transcript:\n#   %s\n", strings.ReplaceAll(err.Error(), "\n", "\n#   "))
		} else {
			fmt.Fprintln(stdout, "# the client followed the transcript to the end")
		}
		if *once {
			if err != nil {
				return repl.ExitNegative
			}
			return repl.ExitOK
		}
	}
}
