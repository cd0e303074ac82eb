// Command smtpsh is an interactive SMTP shell: a telnet session with line
// editing, TLS, explanations and recording.
//
//	smtpsh [flags] TARGET            open a session (HOST[:PORT] or a provider)
//	smtpsh send --server TARGET ...  send one message
//	smtpsh check TARGET              diagnose layer by layer
//	smtpsh providers [NAME]          provider presets
//	smtpsh mx DOMAIN [--probe]       MX hosts of a domain
//	smtpsh demo                      a built-in server and a session on it
//	smtpsh serve [--listen ADDR]     a local mail catcher
//	smtpsh replay FILE [--listen A]  serve a recorded transcript
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
