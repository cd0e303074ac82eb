package repl

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// noteWidth is where explanation lines wrap, so that with the shell's "# "
// prefix they stay under 100 characters. A Chinese character counts as
// two columns.
const noteWidth = 97

// Explain returns human explanation lines for a reply, in English: what
// the code and the enhanced status code mean, then concrete advice in the
// context of the command that got it (see [explain.Reply] for cmd). It
// returns nil for a nil reply.
func Explain(cmd string, r *smtpwire.Reply) []string {
	return ExplainIn(explain.En, cmd, r)
}

// ExplainIn is Explain in lang.
func ExplainIn(lang explain.Lang, cmd string, r *smtpwire.Reply) []string {
	return render(explain.Reply(cmd, r), lang)
}

// ExplainCode serves /explain in English; see [ExplainInput].
func ExplainCode(arg string) ([]string, error) {
	return ExplainInput(explain.En, arg)
}

// ExplainInput serves /explain ARG, where ARG is a reply code ("535"), an
// enhanced status code ("5.7.8"), both ("535 5.7.8"), or a reply text as
// a server sent it: what each part means and what to do, in lang. A
// mistyped code is an error, in lang too.
func ExplainInput(lang explain.Lang, arg string) ([]string, error) {
	ms, err := explain.Input(arg)
	if err != nil {
		return nil, localError(err, lang)
	}
	return render(ms, lang), nil
}

// ExplainExtension describes one EHLO keyword and its parameters in one
// line, in lang, that starts with the keyword.
func ExplainExtension(lang explain.Lang, keyword, params string) string {
	return explain.Extension(keyword, params).Text(lang)
}

// langError is an *explain.Error rendered in a language; Unwrap gives
// the original.
type langError struct {
	text string
	err  *explain.Error
}

func (e *langError) Error() string { return e.text }
func (e *langError) Unwrap() error { return e.err }

// localError renders an *explain.Error in lang.
func localError(err error, lang explain.Lang) error {
	var e *explain.Error
	if errors.As(err, &e) {
		return &langError{text: e.Msg.Text(lang), err: e}
	}
	return err
}

// Notes renders messages in lang as the shell's note lines, wrapped to
// fit under 100 columns with a "# " in front.
func Notes(ms []explain.Msg, lang explain.Lang) []string { return render(ms, lang) }

// render turns messages into wrapped note lines; a message of several
// lines keeps its line breaks.
func render(ms []explain.Msg, lang explain.Lang) []string {
	var lines []string
	for _, m := range ms {
		for l := range strings.SplitSeq(m.Text(lang), "\n") {
			lines = append(lines, wrapNote(l)...)
		}
	}
	return lines
}

// width counts display columns: East Asian wide characters take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
			r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 ||
			r >= 0xffe0 && r <= 0xffe6) {
			n++
		}
	}
	return n
}

// padRight pads s with spaces to n display columns.
func padRight(s string, n int) string {
	if w := width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// wrapNote splits text into lines of at most noteWidth columns, at spaces,
// and inside runs of Chinese text, which has no spaces, between any two
// characters.
func wrapNote(text string) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		n = 0
	}
	for _, w := range strings.Fields(text) {
		wn := width(w)
		if n > 0 && n+1+wn > noteWidth {
			flush()
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		for wn > noteWidth-n && width(w) != utf8.RuneCountInString(w) {
			// A word with wide characters that does not fit: break it.
			i, used := 0, 0
			for j, r := range w {
				rw := width(string(r))
				if n+used+rw > noteWidth {
					i = j
					break
				}
				used += rw
			}
			if i == 0 {
				break
			}
			cur.WriteString(w[:i])
			flush()
			w = w[i:]
			wn = width(w)
		}
		cur.WriteString(w)
		n += wn
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
