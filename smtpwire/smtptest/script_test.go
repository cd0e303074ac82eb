package smtptest

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	const src = `# scenario
# second comment
S: 220 hi

C: EHLO a
S: 250 ok  
! tls
C:
C: 
S:
# before close
! close
# the end
`
	s, err := Parse("p.txt", strings.NewReader(src))
	require.NoError(t, err)
	assert.Equal(t, "p.txt", s.Name)
	want := []Step{
		{Kind: StepServer, Text: "220 hi", Line: 3, Comments: []string{"# scenario", "# second comment"}},
		{Kind: StepClient, Text: "EHLO a", Line: 5, Comments: []string{""}},
		{Kind: StepServer, Text: "250 ok  ", Line: 6}, // trailing spaces are significant
		{Kind: StepTLS, Line: 7},
		{Kind: StepClient, Text: "", Line: 8},
		{Kind: StepClient, Text: "", Line: 9},
		{Kind: StepServer, Text: "", Line: 10},
		{Kind: StepClose, Line: 12, Comments: []string{"# before close"}},
	}
	assert.Equal(t, want, s.Steps)
	assert.Equal(t, []string{"# the end"}, s.Trailer)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unknown prefix", "S: 220 hi\nX: foo\n", `e.txt:2: unknown line "X: foo"`},
		{"lower-case prefix", "s: 220 hi\n", `e.txt:1: unknown line "s: 220 hi"`},
		{"indented comment", "  # hi\n", `e.txt:1: unknown line "  # hi"`},
		{"unknown directive", "# c\n! starttls\n", `e.txt:2: unknown directive "! starttls"`},
		{"directive with argument", "! tls now\n", `e.txt:1: unknown directive "! tls now"`},
		{"directive without space", "!tls\n", `e.txt:1: unknown line "!tls"`},
		{"C: without space", "S: 220 hi\n\nC:EHLO a\n", `e.txt:3: missing space after "C:" in "C:EHLO a"`},
		{"S: without space", "S:220 hi\n", `e.txt:1: missing space after "S:" in "S:220 hi"`},
		{"carriage return", "S: 220 hi\r\n", `e.txt:1: carriage return in "S: 220 hi\r"`},
		{"step after close", "S: 421 bye\n! close\nC: QUIT\n", `e.txt:2: "! close" must be the last step`},
		{"second tls", "! tls\nS: 220 hi\n! tls\n", `e.txt:3: second "! tls" (TLS already started at line 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("e.txt", strings.NewReader(tt.src))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.want), "error %q does not start with %q", err, tt.want)
			var pe *ParseError
			assert.True(t, errors.As(err, &pe), "error %T is not a *ParseError", err)
		})
	}
}

func TestFormatRoundTrip(t *testing.T) {
	for _, name := range []string{"happy.txt", "starttls.txt", "implicit-tls.txt", "update.txt"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + name)
			require.NoError(t, err)
			s, err := ParseFile("testdata/" + name)
			require.NoError(t, err)
			assert.Equal(t, name, s.Name)
			assert.Equal(t, string(src), string(s.Format()))

			var buf bytes.Buffer
			n, err := s.WriteTo(&buf)
			require.NoError(t, err)
			assert.Equal(t, int64(len(src)), n)
			assert.Equal(t, string(src), buf.String())
		})
	}
}

func TestFormatCanonical(t *testing.T) {
	// "C: " with nothing after is the empty line, written "C:"; a missing
	// final newline is added; blank lines made of spaces are kept verbatim.
	s, err := Parse("c.txt", strings.NewReader("# top\n  \nS: 220 hi\nC: \nS: 250 ok"))
	require.NoError(t, err)
	assert.Equal(t, "# top\n  \nS: 220 hi\nC:\nS: 250 ok\n", string(s.Format()))
}

func TestStepString(t *testing.T) {
	assert.Equal(t, "C: AUTH LOGIN", Step{Kind: StepClient, Text: "AUTH LOGIN"}.String())
	assert.Equal(t, "S:", Step{Kind: StepServer}.String())
	assert.Equal(t, "! tls", Step{Kind: StepTLS}.String())
	assert.Equal(t, "! close", Step{Kind: StepClose}.String())
	assert.Equal(t, "StepKind(9)", StepKind(9).String())
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile("testdata/no-such-file.txt")
	assert.ErrorIs(t, err, os.ErrNotExist)
}
