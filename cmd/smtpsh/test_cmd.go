package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

const testUsage = `usage: smtpsh test TRANSCRIPT HOST:PORT [flags]

Plays the transcript's C: lines to a live server and checks its replies
against the S: lines: exact, or patterns with * (any run) and ? (one
character), such as "S: 250*" or "S: 5?? *". "! tls" starts TLS, "! close"
expects the server to hang up. Exit 0 when every line matched, 1 with a
diff at the first that did not, 2 for a bad transcript, 3 when the server
cannot be reached.

flags:
`

func runTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, testUsage); fs.PrintDefaults() }
	ca := fs.String("ca", "", "PEM `FILE` of CA certificates to trust at \"! tls\" instead of the system's")
	servername := fs.String("servername", "", "`NAME` for TLS SNI and certificate checks (default: the host)")
	insecure := fs.Bool("insecure", false, "do not verify the server's certificate at \"! tls\"")
	timeout := fs.Duration("timeout", 10*time.Second, "`DURATION` to wait for each server line")
	verbose := fs.Bool("v", false, "print every line as it is played, not only a failure's")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return repl.ExitOK
	}
	if err != nil || len(pos) != 2 {
		fs.Usage()
		return repl.ExitUsage
	}
	script, err := smtptest.ParseFile(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh test:", err)
		return repl.ExitUsage
	}
	cfg := &tls.Config{ServerName: *servername, InsecureSkipVerify: *insecure}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			fmt.Fprintln(stderr, "smtpsh test: --ca:", err)
			return repl.ExitUsage
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			fmt.Fprintf(stderr, "smtpsh test: --ca %s: no PEM certificate in it\n", *ca)
			return repl.ExitUsage
		}
	}
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(pos[1])
	}
	d := net.Dialer{Timeout: *timeout}
	conn, err := d.DialContext(ctx, "tcp", pos[1])
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh test:", err)
		return repl.ExitConnect
	}
	// The lines are kept and shown in full only when something fails,
	// so that a passing run stays quiet in CI logs.
	var played []string
	err = script.Play(ctx, conn, &smtptest.PlayOptions{
		TLSConfig: cfg,
		Timeout:   *timeout,
		Line: func(s string) {
			if *verbose {
				fmt.Fprintln(stdout, s)
			} else {
				played = append(played, s)
			}
		},
	})
	var mismatch *smtptest.PlayMismatchError
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "# %s: %s followed the transcript (%d steps)\n", pos[0], pos[1], len(script.Steps))
		return repl.ExitOK
	case errors.As(err, &mismatch):
		for _, l := range played {
			fmt.Fprintln(stdout, l)
		}
		fmt.Fprintf(stdout, "# %s\n", err)
		return repl.ExitNegative
	}
	for _, l := range played {
		fmt.Fprintln(stdout, l)
	}
	fmt.Fprintln(stderr, "smtpsh test:", err)
	return repl.ExitNegative
}
