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
	// Ctrl-C (SIGINT) cancels the command's context, so that a session
	// ends cleanly: the recording is written, the error says what
	// happened and the exit status is 6. Later ones are caught and
	// dropped until the process exits. The handler is in place before
	// any connection is made: registered in a goroutine, in parallel with
	// the command, a Ctrl-C could still kill a session that had begun
	// (TestInterruptEndsSendCleanly saw it under load), and the time that
	// saved was below what hyperfine can tell apart here (a few tenths of
	// a millisecond of a 15 ms send, either way between rounds).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
