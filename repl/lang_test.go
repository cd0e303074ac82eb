package repl

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// wireLines keeps the C: and S: lines of a transcript.
func wireLines(out string) []string {
	var w []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "C:") || strings.HasPrefix(l, "S:") {
			w = append(w, l)
		}
	}
	return w
}

// The seed session of the guides, explained in each language: the "# "
// lines change, the wire does not.
func TestSeedSessionInEachLanguage(t *testing.T) {
	var wires [][]string
	for _, lang := range explain.Langs {
		in := &fakeInput{lines: seedInput(t)}
		res := runShell(t, filepath.Join(transcripts, "seed-alimail-auth-login.txt"), in,
			func(o *Options) { o.Lang = lang })
		assert.Equal(t, ExitOK, res.status)
		if lang != explain.En {
			golden(t, "seed-script."+lang.String(), res.out)
		}
		wires = append(wires, wireLines(res.out))
	}
	assert.Equal(t, wires[0], wires[1], "zh-Hans changes no wire line")
	assert.Equal(t, wires[0], wires[2], "zh-Hant changes no wire line")
}

// /lang switches mid-session; /explain answers in the language of the
// moment, a text as well as a code.
func TestLangCommandSwitches(t *testing.T) {
	in := &fakeInput{lines: []string{"/lang", "/lang zh_TW", "/explain 535 5.7.8", "/lang zh",
		"RCPT TO:<someone@example.com>", "/explain 501 mail from address must be same as authorization user",
		"/help RCPT", "/lang zh-Hant", "/help", "/lang klingon!", "/lang en", "/explain 553"}}
	res := runShell(t, filepath.Join("testdata", "rcpt-before-mail.txt"), in, nil)
	golden(t, "lang-switch", res.out)
	assert.Contains(t, res.out, "# 語言:zh-Hant")
	assert.Contains(t, res.out, "# 535:認證憑據無效")
	assert.Contains(t, res.out, "# 503:命令顺序错误")
	assert.Contains(t, res.out, "# 553: Mailbox name not allowed")
	assert.Contains(t, res.out, "#   添加一个收件人(多个就重复)")
	assert.Contains(t, res.out, "#   MAIL      開始一封郵件:給出發件人                          RFC 5321 §4.1.1.2")
}
