package smtptest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any text is a transcript or a *ParseError naming a line,
// never a panic; a transcript formats to text that parses to the same
// steps.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("../../testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden transcripts to seed from: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("S: 220 x\n! tls\n! tls\n"))
	f.Add([]byte("C:\nS:\n! close\nC: QUIT\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.txt", bytes.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		again, err := Parse("fuzz.txt", bytes.NewReader(s.Format()))
		if err != nil {
			t.Fatalf("formatted transcript does not parse: %v\n%s", err, s.Format())
		}
		if len(again.Steps) != len(s.Steps) {
			t.Fatalf("%d steps, %d after a round trip", len(s.Steps), len(again.Steps))
		}
		for i := range s.Steps {
			if s.Steps[i].Kind != again.Steps[i].Kind || s.Steps[i].Text != again.Steps[i].Text {
				t.Fatalf("step %d: %v, %v after a round trip", i, s.Steps[i], again.Steps[i])
			}
		}
	})
}
