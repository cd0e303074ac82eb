package explain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Reply explains a reply: what the code and the enhanced status code mean,
// then concrete advice in the context of the command that got it.
//
// cmd names that command: its verb ("MAIL") or the whole command line
// ("MAIL FROM:<a@b>"), in any case; "" for the greeting; "." or
// "DATA (end of message)" for the reply to the end of the message. It
// returns nil for a nil reply.
func Reply(cmd string, r *smtpwire.Reply) []Msg {
	if r == nil {
		return nil
	}
	out := []Msg{CodeMeaning(r.Code)}
	if Telling(r.Enhanced) {
		out = append(out, EnhancedMeaning(r.Enhanced))
	}
	return append(out, Advice(Verb(cmd), r.Code, r.Enhanced, r)...)
}

// Telling reports whether an enhanced code in a reply adds to what its
// reply code says: always for failures, for successes only when the
// registry names the detail (2.0.0 and 2.1.5, "destination address
// valid", say no more than 250).
func Telling(e smtpwire.EnhancedCode) bool {
	if e.IsZero() {
		return false
	}
	return e.Class != 2 || e.Detail != 0 && enhancedKnown(e) && e != (smtpwire.EnhancedCode{Class: 2, Subject: 1, Detail: 5})
}

// Verb turns a command line into an upper-case verb, "." for the end of
// the message.
func Verb(cmd string) string {
	cmd = strings.ToUpper(strings.TrimSpace(cmd))
	if cmd == "." || strings.HasPrefix(cmd, "DATA (END") {
		return "."
	}
	if i := strings.IndexAny(cmd, " :"); i >= 0 {
		cmd = cmd[:i]
	}
	return cmd
}

// CodeMeaning says what a reply code means, by its RFC name or by its
// digits when no RFC names it.
func CodeMeaning(code int) Msg {
	c := strconv.Itoa(code)
	if has("code." + c) {
		return M("code.named", "code", c).WithMsg("text", M("code."+c))
	}
	return M("code.unnamed", "code", c).WithMsg("digits", digitText(code))
}

func digitText(code int) Msg {
	return M("code.digits").WithMsg("class", M("class."+strconv.Itoa(code/100))).
		WithMsg("category", M("category."+strconv.Itoa(code/10%10)))
}

// codeDigits reads a reply code digit by digit (RFC 5321 §4.2.1).
func codeDigits(code int) Msg {
	return M("code.parts", "c", strconv.Itoa(code/100), "g", strconv.Itoa(code/10%10), "d", strconv.Itoa(code%10)).
		WithMsg("class", M("class."+strconv.Itoa(code/100))).
		WithMsg("category", M("category."+strconv.Itoa(code/10%10)))
}

func enhancedID(e smtpwire.EnhancedCode) string {
	return "enh." + strconv.Itoa(e.Subject) + "." + strconv.Itoa(e.Detail)
}

func enhancedKnown(e smtpwire.EnhancedCode) bool {
	return has(enhancedID(e))
}

// EnhancedMeaning says what an enhanced status code means (RFC 3463 and
// the IANA registry): its class, and its subject and detail when the
// registry names them.
func EnhancedMeaning(e smtpwire.EnhancedCode) Msg {
	class := "enh.class." + strconv.Itoa(e.Class)
	if !has(class) {
		return M("enh.invalid", "code", e.String())
	}
	text := M(class)
	if enhancedKnown(e) {
		text = M("enh.detailed").WithMsg("class", M(class)).WithMsg("detail", M(enhancedID(e)))
	}
	return M("enh.named", "code", e.String()).WithMsg("text", text)
}

// enhancedParts reads an enhanced status code part by part; RFC 3463
// defines subject n in its section 3.(n+1).
func enhancedParts(e smtpwire.EnhancedCode) Msg {
	m := M("enh.parts", "c", strconv.Itoa(e.Class), "s", strconv.Itoa(e.Subject), "d", strconv.Itoa(e.Detail),
		"ref", "RFC 3463 §3."+strconv.Itoa(e.Subject+1))
	subject := "enh.subject." + strconv.Itoa(e.Subject)
	if !has(subject) {
		m = M("enh.parts_undefined", "c", strconv.Itoa(e.Class), "s", strconv.Itoa(e.Subject), "d", strconv.Itoa(e.Detail))
	} else {
		m = m.WithMsg("subject", M(subject))
	}
	return m.WithMsg("class", M("enh.classname."+strconv.Itoa(e.Class)))
}

// Error is a usage error of [Code], a message in the catalog.
type Error struct{ Msg Msg }

func (e *Error) Error() string { return e.Msg.Text(En) }

// Code explains CODE for the shell's /explain and smtpsh explain: a reply
// code ("535"), an enhanced status code ("5.7.8") or both ("535 5.7.8",
// "535-5.7.8"): what each part means, digit by digit, and what to do.
// Anything else is an *Error.
func Code(arg string) ([]Msg, error) {
	fields := strings.Fields(strings.ReplaceAll(arg, "-", " "))
	if len(fields) == 0 || len(fields) > 2 {
		return nil, &Error{M("err.usage")}
	}
	code := 0
	var enh smtpwire.EnhancedCode
	for _, f := range fields {
		if e, ok := smtpwire.ParseEnhancedCode(f); ok {
			if !enh.IsZero() {
				return nil, &Error{M("err.two_enhanced")}
			}
			enh = e
			continue
		}
		n, err := strconv.Atoi(f)
		switch {
		case err != nil || len(f) != 3 || strings.Trim(f, "0123456789") != "":
			return nil, &Error{M("err.not_code", "arg", strconv.Quote(f))}
		case code != 0:
			return nil, &Error{M("err.two_codes")}
		case f[0] < '2' || f[0] > '5' || f[1] > '5':
			return nil, &Error{M("err.bad_code", "arg", f)}
		}
		code = n
	}
	var out []Msg
	if code != 0 {
		out = append(out, CodeMeaning(code), codeDigits(code))
	}
	if !enh.IsZero() {
		out = append(out, EnhancedMeaning(enh), enhancedParts(enh))
		if code != 0 && enh.Class != code/100 {
			out = append(out, M("enh.disagree", "enh", enh.String(), "class", strconv.Itoa(code/100), "code", strconv.Itoa(code)))
		}
	}
	return append(out, Advice(AnyCommand, code, enh, nil)...), nil
}

// Input explains what a user pastes: a code as [Code] takes it, an SMTP
// command name ("RCPT"), an EHLO line ("SIZE 35882577", "PIPELINING"),
// or a reply line such as "550 5.7.1 Relaying denied" or a reply text
// without a code, whose kinds are named and advised on. Wrong codes and a
// text it does not recognise are an *Error.
func Input(arg string) ([]Msg, error) {
	out, err := Code(arg)
	if err == nil || looksLikeCodes(arg) {
		return out, err
	}
	arg = strings.TrimSpace(arg)
	if ms := keywordInput(arg); ms != nil {
		return ms, nil
	}
	if r, perr := smtpwire.ParseReply([]string{arg}); perr == nil {
		out := Reply(AnyCommand, r)
		return append(out, kindsMsg(Classify(r.Message()))), nil
	}
	k := Classify(arg)
	if k == 0 {
		return nil, &Error{M("err.unknown_input", "arg", strconv.Quote(arg))}
	}
	out = []Msg{kindsMsg(k)}
	return append(out, kindAdvice(k)...), nil
}

// keywordInput explains a command name or an EHLO extension line, or
// returns nil.
func keywordInput(arg string) []Msg {
	word, params, _ := strings.Cut(arg, " ")
	if params == "" {
		if c, ok := LookupCommand(word); ok {
			return []Msg{c.Summary(), c.Detail()}
		}
	}
	switch m := Extension(word, params); {
	case m.ID == "kw.unknown", m.ID == "kw.vendor" && params != "":
		return nil
	default:
		return []Msg{m}
	}
}

// looksLikeCodes reports whether arg holds no letter: a mistyped code,
// not a text.
func looksLikeCodes(arg string) bool {
	return !strings.ContainsFunc(arg, unicode.IsLetter)
}

// kindsMsg names the kinds of a text, in each language.
func kindsMsg(k Kind) Msg {
	names := k.Names()
	if len(names) == 0 {
		return M("text.unclassified")
	}
	return M("text.kinds").WithTexts("kinds", func(l Lang) string {
		sep := ", "
		if l.Chinese() {
			sep = "、"
		}
		var parts []string
		for _, n := range names {
			parts = append(parts, M("kind."+n).Text(l))
		}
		return strings.Join(parts, sep)
	})
}

// kindAdvice is the advice for a text without a code.
func kindAdvice(k Kind) []Msg {
	switch {
	case k.Has(SenderMismatch):
		return ids("rep.sender_mismatch")
	case k.Has(BasicAuthDisabled):
		return ids("rep.basic_disabled")
	case k.Has(AppPassword):
		return ids("rep.too_weak_gmail")
	case k.Has(Spam163):
		return ids("rep.spam_163")
	case k.Has(Greylisted):
		return ids("rep.greylisted", "rep.greylisted_retry")
	case k.Has(Blocklisted), k.Has(Blocked):
		return ids("rep.ip_blocked", "rep.ip_blocked_how")
	case k.Has(Relay):
		return ids("rep.relay_denied")
	case k.Has(UnknownUser):
		return ids("rep.unknown_rcpt")
	case k.Has(TooManyRecipients):
		return ids("rep.too_many_rcpts")
	case k.Has(MailboxFull):
		return ids("rep.mailbox_full")
	case k.Has(NeedsTLS):
		return ids("rep.tls_first")
	case k.Has(NeedsAuth):
		return ids("rep.auth_first")
	case k.Has(Queued):
		return ids("rep.data_ok", "rep.data_ok_queue")
	}
	return nil
}

// printable escapes control characters and invalid UTF-8 in text a
// server sent (\x1b for ESC), so that it cannot drive the terminal.
func printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsControl(r) && r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quotable reports whether s is short, valid UTF-8 with no control
// characters, fit to quote in a note.
func quotable(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 60 {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
