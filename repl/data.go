package repl

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// enterData opens the message writer after the server's 354.
func (s *Shell) enterData(ctx context.Context) {
	w, err := s.c.DataWriter(ctx)
	if err != nil {
		s.reportError(err)
		return
	}
	s.data = w
	s.p.note("DATA mode: each line you type is a message line; headers first, an empty line, then the body.",
		"A line with a single \".\" ends the message; /file PATH sends a file's contents; Ctrl-C to abort.")
}

// dataLine handles one line typed in DATA mode.
func (s *Shell) dataLine(ctx context.Context, line string) {
	if line == "." {
		w := s.data
		s.data = nil
		err := w.Close()
		s.lmtpVerdicts(w.RecipientReplies())
		if err != nil {
			s.reportError(err)
		}
		return
	}
	if path, ok := strings.CutPrefix(line, "/file "); ok {
		s.sendFile(strings.TrimSpace(path))
		return
	}
	if strings.HasPrefix(line, ".") {
		s.p.note(fmt.Sprintf("dot-stuffed: sent as %q so the server does not take it for the end (RFC 5321 §4.5.2)", "."+line))
	}
	s.p.typed = line
	_, err := io.WriteString(s.data, line+"\r\n")
	s.p.typed = ""
	if err != nil {
		s.data = nil
		s.reportError(err)
	}
}

// sendFile streams a file into the message. On a terminal only its first
// lines are shown; the transcript and the recording get them all.
func (s *Shell) sendFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		s.p.fail(err.Error())
		return
	}
	defer f.Close()
	s.p.quietData, s.p.shown, s.p.hidden = true, 0, 0
	n, err := io.Copy(s.data, f)
	hidden := s.p.hidden
	s.p.quietData = false
	if err != nil {
		s.data = nil
		s.reportError(err)
		return
	}
	if hidden > 0 {
		s.p.note(fmt.Sprintf("... and %d more lines, not shown here", hidden))
	}
	s.p.note(fmt.Sprintf("%d bytes from %s sent (line endings made CRLF, dots stuffed); type \".\" to end the message", n, path))
}
