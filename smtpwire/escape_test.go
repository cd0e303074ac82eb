package smtpwire

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestEscapeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"250 ok", "250 ok"},
		{"250 \x1b[6n", `250 \x1b[6n`},
		{"550 \x1b]0;pwned\x07", `550 \x1b]0;pwned\x07`},
		{"550 nul\x00here", `550 nul\x00here`},
		{"550 c1 \u009b31m", `550 c1 \xc2\x9b31m`},
		{"550 raw \x9b byte", `550 raw \x9b byte`},
		{"550 del\x7f", `550 del\x7f`},
		{"550 cr\rmid", `550 cr\x0dmid`},
		{"550 tab\tkept 中文", "550 tab\tkept 中文"},
		{`C:\xampp`, `C:\x5cxampp`},
		{`a\b\\c`, `a\b\\c`},
	}
	for _, tt := range tests {
		got := EscapeLine(tt.in)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, tt.in, UnescapeLine(got), "round trip of %q", tt.in)
	}
}

func FuzzEscapeLine(f *testing.F) {
	for _, s := range []string{"250 ok", "\x1b[6n", `\x41`, "\xff\xfe", "\u009b", `\x5c\x`, "中文\x00"} {
		f.Add(s)
	}
	for _, s := range transcriptLines(f, "S:") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := EscapeLine(s)
		if UnescapeLine(e) != s {
			t.Fatalf("UnescapeLine(EscapeLine(%q)) = %q", s, UnescapeLine(e))
		}
		if !utf8.ValidString(e) {
			t.Fatalf("EscapeLine(%q) = %q is not valid UTF-8", s, e)
		}
		for _, r := range e {
			if IsControl(r) {
				t.Fatalf("EscapeLine(%q) = %q holds control %U", s, e, r)
			}
		}
	})
}
