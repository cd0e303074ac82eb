package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileEscapes are what a server may try on a terminal.
var hostileEscapes = []string{
	"\x1b[6n",           // CSI: ask the terminal to answer with the cursor position
	"\x1b]0;pwned\x07",  // OSC: retitle the window
	"\x1b[2J",           // clear the screen
	"\u009b31m",         // C1 CSI, 8-bit form in UTF-8
	"\x9b",              // C1 CSI as a raw byte
	"nul\x00byte",       // NUL
	"cr\rover",          // CR: overwrite the line
	"\x1bP+q544e\x1b\\", // DCS: query the terminal
}

// assertPrintable fails when text would make a terminal do anything but
// print: a control byte other than LF and tab, or bytes that are not UTF-8.
func assertPrintable(t *testing.T, what, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("%s is not valid UTF-8: %q", what, text)
		return
	}
	for _, r := range text {
		if r != '\n' && smtpwire.IsControl(r) {
			i := strings.IndexRune(text, r)
			t.Errorf("%s holds control %U near %q", what, r, text[max(0, i-40):min(len(text), i+20)])
			return
		}
	}
}

func TestServerTerminalEscapesAreRenderedVisibly(t *testing.T) {
	defer noLeak(t)()
	for i, esc := range hostileEscapes {
		for _, step := range []string{"greeting", "EHLO", "MAIL", "RCPT"} {
			reply := map[string]string{
				"greeting": "220 hostile.test " + esc,
				"EHLO":     "250 hostile.test " + esc,
				"MAIL":     "550 5.7.1 no " + esc,
				"RCPT":     "550 5.7.1 no " + esc,
			}[step]
			h := &smtptest.Hostile{Acts: map[string]smtptest.Act{step: smtptest.Reply(reply)}}
			require.NoError(t, h.Start())
			for _, mode := range []hostileMode{modeSend, modeCheck, modeShell} {
				t.Run(fmt.Sprintf("%d/%s/%s", i, step, mode), func(t *testing.T) {
					r := runHostile(t, mode, h.Addr(), "none", []string{"--allow-plaintext-auth"},
						"EHLO client.test\nMAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nQUIT\n")
					assertPrintable(t, "stdout", r.stdout)
					assertPrintable(t, "stderr", r.stderr)
					if mode != modeCheck || r.record != "" {
						assert.Contains(t, r.record, smtpwire.EscapeLine(reply), "the recording keeps the reply, escaped")
					}
				})
			}
			h.Close()
		}
	}
}

// check --json carries server text in JSON strings: C0 controls come
// escaped by encoding/json, C1 controls by smtpsh, and the document stays
// valid JSON.
func TestCheckJSONEscapes(t *testing.T) {
	defer noLeak(t)()
	h := &smtptest.Hostile{Acts: map[string]smtptest.Act{"MAIL": smtptest.Reply("550 5.7.1 no \x1b[6n \u009b31m \x9b")}}
	require.NoError(t, h.Start())
	defer h.Close()
	r := runHostile(t, modeCheck, h.Addr(), "none", []string{"--allow-plaintext-auth", "--json"}, "")
	assert.Equal(t, 8, r.code, r.stdout+r.stderr)
	assertPrintable(t, "stdout", r.stdout)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc), "valid JSON")
	assert.Contains(t, r.stdout, `\u001b[6n`)
	assert.Contains(t, r.stdout, `\u009b31m`)
}
