package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// checkRecorder writes the wire lines of a check to --record FILE as a
// transcript (testdata/transcripts format), AUTH payloads redacted as in
// every trace. A check may open more than one connection; each one after
// the first starts with a "# new connection" comment.
type checkRecorder struct {
	f     *os.File
	w     *bufio.Writer
	tls   bool // "! tls" written for the current connection
	lines int
}

func newCheckRecorder(path string) (*checkRecorder, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--record: %w", err)
	}
	return &checkRecorder{f: f, w: bufio.NewWriter(f)}, nil
}

// trace is the smtpwire.TraceFunc of the check's sessions.
func (r *checkRecorder) trace(ev smtpwire.TraceEvent) {
	switch {
	case ev.TLS && !r.tls:
		r.tls = true
		r.w.WriteString("! tls\n")
	case !ev.TLS && r.tls && ev.Dir == smtpwire.Received:
		// Plain text again after TLS: a new connection.
		r.tls = false
		r.w.WriteString("# new connection\n")
	}
	line := ev.Dir.String() + ":"
	if ev.Line != "" {
		line += " " + transcriptText(ev.Line)
	}
	r.w.WriteString(line + "\n")
	r.lines++
}

// Close flushes and closes the file.
func (r *checkRecorder) Close() error {
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// transcriptText is a wire line as a transcript holds it: control bytes
// escaped, reversibly.
func transcriptText(s string) string { return smtpwire.EscapeLine(s) }
