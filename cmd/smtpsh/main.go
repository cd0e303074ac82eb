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
	ctx, cancel := context.WithCancel(context.Background())
	go cancelOnInterrupt(cancel)
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// cancelOnInterrupt cancels the command's context at the first Ctrl-C
// (SIGINT), so that a session ends cleanly: the recording is written, the
// error says what happened and the exit status is 6. Later ones are
// caught and dropped until the process exits, as with
// signal.NotifyContext.
//
// It runs in its own goroutine because registering costs: the runtime
// starts two threads to watch for signals, about 1.7 ms of a 15 ms
// one-shot "smtpsh send" on the 2-core test machine, in series if done
// first (hyperfine, scripts/bench-send.sh). In parallel, the command
// starts at once; a Ctrl-C in the first moments, before any connection,
// still ends the process, by the default action.
func cancelOnInterrupt(cancel context.CancelFunc) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
	cancel()
}
