package smtptest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// StepKind is what one step of a Script does.
type StepKind int

const (
	// StepServer is an "S: text" line: the server sends Text + CRLF.
	StepServer StepKind = iota + 1
	// StepClient is a "C: text" line: the client must send Text + CRLF.
	StepClient
	// StepTLS is the "! tls" directive: the server performs a TLS server
	// handshake on the connection.
	StepTLS
	// StepClose is the "! close" directive: the server closes the
	// connection. It can only be the last step.
	StepClose
)

// String returns the kind as it is written in a transcript: "S:", "C:",
// "! tls" or "! close".
func (k StepKind) String() string {
	switch k {
	case StepServer:
		return "S:"
	case StepClient:
		return "C:"
	case StepTLS:
		return "! tls"
	case StepClose:
		return "! close"
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Step is one S:, C: or directive line of a transcript.
type Step struct {
	Kind StepKind
	// Text is the wire line without its CRLF, for StepServer and
	// StepClient; it never holds CR or LF. It is empty for directives.
	Text string
	// Line is the 1-based line number in the transcript file; 0 for a step
	// built in code.
	Line int
	// Comments holds the comment and blank lines just above the step,
	// verbatim, so that Format writes them back in place.
	Comments []string
}

// String returns the step as one transcript line, without a newline.
// An empty S: or C: line is written "S:" or "C:".
func (st Step) String() string {
	switch st.Kind {
	case StepServer, StepClient:
		if st.Text == "" {
			return st.Kind.String()
		}
		return st.Kind.String() + " " + st.Text
	}
	return st.Kind.String()
}

// Script is a parsed transcript.
type Script struct {
	// Name is the file name used in error messages ("auth-login.txt").
	Name string
	// Steps are the S:, C: and directive lines, in file order.
	Steps []Step
	// Trailer holds the comment and blank lines after the last step.
	Trailer []string
}

// ParseError reports a malformed transcript line, or an invalid step in a
// Script built in code (Serve and NewServer check scripts too).
type ParseError struct {
	File string
	Line int // 1-based; 0 when the step has no line number
	Msg  string
}

// Error returns "file:line: msg".
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ParseFile reads and parses the transcript at path. The Script's Name, used
// in error messages, is the base name of path.
func ParseFile(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(filepath.Base(path), f)
}

// Parse parses a transcript read from r. The name is used in error messages
// and becomes the Script's Name. A malformed line yields a *ParseError
// naming name and the line number.
func Parse(name string, r io.Reader) (*Script, error) {
	s := &Script{Name: name}
	br := bufio.NewReader(r)
	var comments []string
	for lineno := 1; ; lineno++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s:%d: %w", name, lineno, err)
		}
		if line == "" && err == io.EOF {
			break
		}
		line = strings.TrimSuffix(line, "\n")
		if strings.TrimLeft(line, " \t") == "" || line[0] == '#' {
			comments = append(comments, line)
		} else {
			st, msg := parseStep(line)
			if msg != "" {
				return nil, &ParseError{File: name, Line: lineno, Msg: msg}
			}
			st.Line = lineno
			st.Comments = comments
			comments = nil
			s.Steps = append(s.Steps, st)
		}
		if err == io.EOF {
			break
		}
	}
	s.Trailer = comments
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseStep parses one line that is neither blank nor a comment. It returns
// a non-empty message when the line is malformed.
func parseStep(line string) (Step, string) {
	if strings.ContainsRune(line, '\r') {
		return Step{}, fmt.Sprintf("carriage return in %q (transcripts use LF line endings; text cannot hold CR)", line)
	}
	switch {
	case strings.HasPrefix(line, "S:"), strings.HasPrefix(line, "C:"):
		kind := StepServer
		if line[0] == 'C' {
			kind = StepClient
		}
		rest := line[2:]
		if rest == "" {
			return Step{Kind: kind}, ""
		}
		if rest[0] != ' ' {
			return Step{}, fmt.Sprintf("missing space after %q in %q", line[:2], line)
		}
		return Step{Kind: kind, Text: rest[1:]}, ""
	case line == "! tls":
		return Step{Kind: StepTLS}, ""
	case line == "! close":
		return Step{Kind: StepClose}, ""
	case strings.HasPrefix(line, "! "):
		return Step{}, fmt.Sprintf("unknown directive %q (want \"! tls\" or \"! close\")", line)
	}
	return Step{}, fmt.Sprintf("unknown line %q (want \"S: \", \"C: \", \"! \" or \"#\")", line)
}

// validate checks what a single line cannot show: that texts hold no CR or
// LF, that "! tls" comes at most once and that nothing follows "! close".
func (s *Script) validate() error {
	seenTLS, tlsLine := false, 0
	for i, st := range s.Steps {
		fail := func(format string, args ...any) error {
			return &ParseError{File: s.name(), Line: st.Line, Msg: fmt.Sprintf(format, args...)}
		}
		switch st.Kind {
		case StepServer, StepClient:
			if strings.ContainsAny(st.Text, "\r\n") {
				return fail("%s text %q holds CR or LF", st.Kind, st.Text)
			}
		case StepTLS:
			if seenTLS {
				return fail("second \"! tls\" (TLS already started at line %d)", tlsLine)
			}
			seenTLS, tlsLine = true, st.Line
		case StepClose:
			if i != len(s.Steps)-1 {
				return fail("\"! close\" must be the last step (the server has closed the connection)")
			}
		default:
			return fail("invalid step kind %d", int(st.Kind))
		}
	}
	return nil
}

// name returns the Name for messages, or "script" when it is empty.
func (s *Script) name() string {
	if s.Name == "" {
		return "script"
	}
	return s.Name
}

// pos returns "name:line", or "name" when line is 0.
func (s *Script) pos(line int) string {
	if line == 0 {
		return s.name()
	}
	return fmt.Sprintf("%s:%d", s.name(), line)
}

// Format returns the script in canonical transcript form: each step's
// comments, then the step, one per line, then the trailer, every line ending
// in LF. Parsing a transcript and formatting it gives back the same bytes,
// except that an empty "S: " or "C: " line is written "S:" or "C:" and a
// missing final newline is added.
func (s *Script) Format() []byte {
	var b bytes.Buffer
	for _, st := range s.Steps {
		for _, c := range st.Comments {
			b.WriteString(c)
			b.WriteByte('\n')
		}
		b.WriteString(st.String())
		b.WriteByte('\n')
	}
	for _, c := range s.Trailer {
		b.WriteString(c)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// WriteTo writes the script to w in the form Format returns. It implements
// io.WriterTo.
func (s *Script) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(s.Format())
	return int64(n), err
}
