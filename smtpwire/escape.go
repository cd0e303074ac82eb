package smtpwire

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// IsControl reports a rune a terminal may act on instead of showing: the
// C0 controls except tab (NUL, ESC, CR, BEL...), DEL and the C1 controls
// (U+0080-U+009F: U+009B is an 8-bit CSI). Text from a server holding
// them could move the cursor, retitle the window, or ask the terminal to
// answer (ESC[6n), so smtpsh never prints them as they are.
func IsControl(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// EscapeLine makes a line from the wire safe to print and to store in a
// transcript: every control byte (see IsControl), every byte of a C1
// control and every byte that is not valid UTF-8 is written \xNN, and a
// backslash followed by "x" is written \x5c so that the form is
// reversible: UnescapeLine gives back the exact bytes. Other text,
// backslashes and any language included, is unchanged.
func EscapeLine(s string) string { return escape(s, true) }

// EscapeControls is EscapeLine without the backslash rule, for text that
// is only shown, never read back: messages and notes that may quote a
// server. Text already escaped by EscapeLine passes unchanged.
func EscapeControls(s string) string { return escape(s, false) }

func escape(s string, reversible bool) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, IsControl(r):
			for _, c := range []byte(s[i : i+size]) {
				writeHex(&b, c)
			}
		case reversible && r == '\\' && i+1 < len(s) && s[i+1] == 'x':
			writeHex(&b, '\\')
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 || c == '\\' && i+1 < len(s) && s[i+1] == 'x' {
			return true
		}
	}
	return false
}

func writeHex(b *strings.Builder, c byte) {
	const hex = "0123456789abcdef"
	b.WriteString(`\x`)
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&15])
}

// UnescapeLine reverses EscapeLine: each \xNN becomes the byte NN.
func UnescapeLine(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) && s[i+1] == 'x' {
			if n, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
