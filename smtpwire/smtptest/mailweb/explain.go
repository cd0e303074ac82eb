package mailweb

// The one place that reaches for the shell's knowledge of replies, so it
// can be pointed at another package later without touching the rest.

import (
	"strings"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// explainReply returns the explanation lines of the reply made of lines,
// given the command that got it ("" for the greeting, "." after a
// message); nil when the lines are not a well-formed reply.
func explainReply(cmd string, lines []string, lang explain.Lang) []string {
	r, err := smtpwire.ParseReply(lines)
	if err != nil {
		return nil
	}
	return repl.ExplainIn(lang, cmd, r)
}

// explainExtension describes the EHLO keyword line ext ("SIZE 35882577",
// without the "250-"), or returns "" for what is not a keyword.
func explainExtension(ext string, lang explain.Lang) string {
	kw, params, _ := strings.Cut(ext, " ")
	if kw == "" {
		return ""
	}
	return repl.ExplainExtension(lang, kw, params)
}
