package main

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// printableWriter escapes control bytes (smtpwire.EscapeControls) in
// everything written through it, so that no text from a server, however
// it reached a message, can drive the terminal. Newlines pass. A UTF-8
// sequence split between two writes is held until it is whole.
type printableWriter struct {
	w    io.Writer
	json bool   // only C1 controls need escaping: write them as \u00XX
	held []byte // an incomplete UTF-8 sequence at the end of the last write
}

func printable(w io.Writer) io.Writer { return &printableWriter{w: w} }

// printableJSON is for JSON output: encoding/json escapes C0 controls and
// replaces invalid UTF-8, but writes C1 controls as they are.
func printableJSON(w io.Writer) io.Writer { return &printableWriter{w: w, json: true} }

func (p *printableWriter) Write(b []byte) (int, error) {
	n := len(b)
	if len(p.held) > 0 {
		b = append(p.held, b...)
		p.held = nil
	}
	// Hold back a trailing sequence that may complete in the next write.
	for k := 1; k <= 3 && k <= len(b); k++ {
		if c := b[len(b)-k]; utf8.RuneStart(c) {
			if c >= 0xc0 && !utf8.FullRune(b[len(b)-k:]) {
				p.held = append([]byte(nil), b[len(b)-k:]...)
				b = b[:len(b)-k]
			}
			break
		}
	}
	var out string
	if p.json {
		out = escapeC1JSON(string(b))
	} else {
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			lines[i] = smtpwire.EscapeControls(l)
		}
		out = strings.Join(lines, "\n")
	}
	if _, err := io.WriteString(p.w, out); err != nil {
		return 0, err
	}
	return n, nil
}

// escapeC1JSON writes C1 controls as JSON \u escapes.
func escapeC1JSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f {
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
