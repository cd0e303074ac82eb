package repl

import (
	"context"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"io"
	"os"
	"strconv"
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
	s.say(explain.M("ui.data_mode"), explain.M("ui.data_mode_end"))
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
		s.say(explain.M("ui.dot_stuffed", "line", strconv.Quote("."+line)))
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
		s.say(explain.M("ui.more_lines", "n", strconv.Itoa(hidden)))
	}
	s.say(explain.M("ui.file_sent", "n", strconv.FormatInt(n, 10), "path", path))
}
