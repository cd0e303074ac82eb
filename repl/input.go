package repl

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// ErrInterrupt is returned by a LineReader when the user pressed Ctrl-C.
var ErrInterrupt = errors.New("interrupted")

// LineReader is where the shell gets its input: a terminal through
// readline, or the lines of a script.
type LineReader interface {
	// ReadLine shows prompt and returns the next line without its line
	// ending; io.EOF at the end of input (Ctrl-D), ErrInterrupt on Ctrl-C.
	ReadLine(prompt string) (string, error)
	// ReadPassword reads a secret without echoing it.
	ReadPassword(prompt string) (string, error)
	// AddHistory records a line the user typed. The shell never passes it
	// a password, an AUTH payload or a message line.
	AddHistory(line string)
}

// maxScriptLine caps one input line of a script: longer than any SMTP
// line, short enough that a stray binary file cannot eat memory.
const maxScriptLine = 1 << 20

// ScriptReader reads a session script: one line per command or message
// line, exactly as it would be typed. Passwords asked for by /auth are the
// next line of the script. It keeps no history.
type ScriptReader struct {
	sc *bufio.Scanner
}

// NewScriptReader reads lines from r.
func NewScriptReader(r io.Reader) *ScriptReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxScriptLine)
	return &ScriptReader{sc: sc}
}

// ReadLine returns the next line; the prompt is not shown.
func (s *ScriptReader) ReadLine(string) (string, error) {
	if !s.sc.Scan() {
		if err := s.sc.Err(); err != nil {
			return "", err
		}
		return "", io.EOF
	}
	return strings.TrimSuffix(s.sc.Text(), "\r"), nil
}

// ReadPassword returns the next line.
func (s *ScriptReader) ReadPassword(prompt string) (string, error) { return s.ReadLine(prompt) }

// AddHistory does nothing: scripts keep no history.
func (s *ScriptReader) AddHistory(string) {}
