package repl

import (
	"slices"
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// SMTPCommand documents one SMTP command for /help and completion; the
// knowledge is smtpwire/explain's.
type SMTPCommand = explain.Command

// SMTPCommands lists the commands a user types in the shell, in the order
// of a session (explain.Commands).
var SMTPCommands = explain.Commands

// LookupSMTP finds the documentation of an SMTP command by name, in any
// case. It knows BDAT too, which SMTPCommands leaves out.
func LookupSMTP(name string) (SMTPCommand, bool) { return explain.LookupCommand(name) }

// anyTimeCommands are valid in every state where the server reads
// commands (RFC 5321 §4.1.4), listed after the commands that move the
// session on.
var anyTimeCommands = []string{"RSET", "NOOP", "HELP", "QUIT"}

// NextCommands returns the SMTP command names that make sense next in state
// st, in the order a user would take them: the step that moves the session
// forward first (the shell's prompt shows it), then the other valid
// commands, then RSET, NOOP, HELP and QUIT. ext may be nil (before EHLO, or
// after HELO). It returns nil in DATA mode and once the session is over.
func NextCommands(st smtpwire.State, tls, authed bool, ext *smtpwire.Extensions) []string {
	var next []string
	switch st {
	case smtpwire.StateConnected, smtpwire.StateGreeted:
		next = []string{"EHLO", "HELO"}
	case smtpwire.StateTLS:
		next = []string{"EHLO"} // RFC 3207 §4.2: the server forgot the earlier EHLO
	case smtpwire.StateHello, smtpwire.StateAuthenticated:
		if !tls && !authed && ext.StartTLS() {
			next = append(next, "STARTTLS")
		}
		if !authed && len(ext.AuthMechanisms()) > 0 {
			next = append(next, "AUTH")
		}
		next = append(next, "MAIL", "VRFY", "EXPN", "EHLO")
	case smtpwire.StateMail:
		next = []string{"RCPT"}
	case smtpwire.StateRcpt:
		next = []string{"DATA", "RCPT"} // DATA may follow now; more RCPT may too
	default: // DATA mode, closed, broken
		return nil
	}
	return append(next, anyTimeCommands...)
}

// Warn returns a short warning when line is about to break the protocol in
// state st: a command out of order (RCPT before MAIL, AUTH before EHLO,
// DATA before any accepted RCPT, ...), credentials about to cross a
// connection without TLS, a malformed MAIL or RCPT, or a parameter the
// server did not announce. It returns "" when the line is fine. The shell
// warns but still sends: users break the protocol on purpose to learn.
//
// line is an SMTP command as typed. Do not pass lines that answer a 334
// challenge or message lines in DATA mode: they are not commands.
func Warn(line string, st smtpwire.State, tls, authed bool, ext *smtpwire.Extensions) string {
	return WarnMsg(line, st, tls, authed, ext).Text(explain.En)
}

// WarnMsg is Warn as a catalog message, to render in any language; the
// zero Msg when the line is fine.
func WarnMsg(line string, st smtpwire.State, tls, authed bool, ext *smtpwire.Extensions) explain.Msg {
	line = strings.TrimSpace(line)
	if line == "" || st == smtpwire.StateData {
		return explain.Msg{}
	}
	switch st {
	case smtpwire.StateClosed, smtpwire.StateBroken:
		return explain.M("warn.closed")
	case smtpwire.StateConnected:
		return explain.M("warn.no_greeting")
	}
	verb, arg := splitVerb(line)
	if n := len(line) + 2; n > 512 && verb != "AUTH" {
		return explain.M("warn.too_long", "n", strconv.Itoa(n))
	}
	inTx := st == smtpwire.StateMail || st == smtpwire.StateRcpt
	switch verb {
	case "EHLO", "HELO":
		if arg == "" {
			return explain.M("warn.hello_no_arg", "verb", verb)
		}
		if inTx {
			return explain.M("warn.hello_in_tx", "verb", verb)
		}
	case "STARTTLS":
		return warnStartTLS(arg, st, tls, ext)
	case "AUTH":
		return warnAuth(arg, st, tls, authed, ext)
	case "MAIL":
		return warnMail(arg, st, authed, ext)
	case "RCPT":
		return warnRcpt(arg, st, ext)
	case "DATA":
		switch {
		case arg != "":
			return explain.M("warn.data_args")
		case st == smtpwire.StateMail:
			return explain.M("warn.data_no_rcpt")
		case !inTx:
			return explain.M("warn.data_no_tx")
		}
	case "RSET", "QUIT":
		if arg != "" {
			return explain.M("warn.no_args", "verb", verb)
		}
	case "VRFY", "EXPN":
		if arg == "" {
			return explain.M("warn.needs_arg", "verb", verb)
		}
	case "NOOP", "HELP", "LHLO": // LHLO: LMTP's EHLO (RFC 2033 §4.1)
	case "BDAT":
		return explain.M("warn.bdat")
	default:
		if guess := closeVerb(verb); guess != "" {
			return explain.M("warn.typo", "verb", verb, "guess", guess)
		}
	}
	return explain.Msg{}
}

func warnStartTLS(arg string, st smtpwire.State, tls bool, ext *smtpwire.Extensions) explain.Msg {
	switch {
	case tls:
		return explain.M("warn.tls_active")
	case st == smtpwire.StateGreeted:
		return explain.M("warn.tls_before_ehlo")
	case st == smtpwire.StateMail || st == smtpwire.StateRcpt:
		return explain.M("warn.tls_in_tx")
	case arg != "":
		return explain.M("warn.tls_args")
	case noExtensions(ext):
		return explain.M("warn.tls_no_ext")
	case !ext.StartTLS():
		return explain.M("warn.tls_not_offered")
	}
	return explain.Msg{}
}

func warnAuth(arg string, st smtpwire.State, tls, authed bool, ext *smtpwire.Extensions) explain.Msg {
	mech, resp, _ := strings.Cut(arg, " ")
	mech = strings.ToUpper(mech)
	cleartext := explain.M("warn.auth_cleartext")
	if !tls && strings.TrimSpace(resp) != "" {
		return cleartext // the secret is on this very line, whatever the reply
	}
	switch {
	case st == smtpwire.StateGreeted:
		return explain.M("warn.auth_before_ehlo")
	case st == smtpwire.StateTLS:
		return explain.M("warn.auth_after_tls")
	case authed:
		return explain.M("warn.auth_again")
	case st == smtpwire.StateMail || st == smtpwire.StateRcpt:
		return explain.M("warn.auth_in_tx")
	case mech == "":
		return explain.M("warn.auth_no_mech")
	case !tls:
		return cleartext
	case noExtensions(ext):
		return explain.M("warn.auth_no_ext")
	case len(ext.AuthMechanisms()) == 0:
		return explain.M("warn.auth_not_offered")
	case !ext.SupportsAuth(mech):
		return explain.M("warn.auth_mech", "offered", strings.Join(ext.AuthMechanisms(), " "), "mech", mech)
	}
	return explain.Msg{}
}

func warnMail(arg string, st smtpwire.State, authed bool, ext *smtpwire.Extensions) explain.Msg {
	switch st {
	case smtpwire.StateGreeted:
		return explain.M("warn.mail_before_ehlo")
	case smtpwire.StateTLS:
		return explain.M("warn.mail_after_tls")
	case smtpwire.StateMail, smtpwire.StateRcpt:
		return explain.M("warn.mail_in_tx")
	}
	p := parseEnvelopeArg("MAIL", arg)
	if !p.problem.IsZero() {
		return p.problem
	}
	known := !noExtensions(ext)
	for _, param := range p.params {
		key, val, _ := strings.Cut(strings.ToUpper(param), "=")
		need := ""
		switch key {
		case "SIZE":
			need = "SIZE"
			if limit, ok := ext.Size(); ok && limit > 0 {
				if n, err := strconv.ParseInt(val, 10, 64); err == nil && n > limit {
					return explain.M("warn.size_over", "n", strconv.FormatInt(n, 10), "limit", explain.SizeText(limit))
				}
			}
		case "BODY": // BODY=7BIT needs no extension (RFC 6152)
			if val == "8BITMIME" || val == "BINARYMIME" {
				need = val
			}
		case "SMTPUTF8":
			need = "SMTPUTF8"
		case "RET", "ENVID":
			need = "DSN"
		case "AUTH":
			need = "AUTH"
		}
		if need != "" && known && !ext.Has(need) {
			return explain.M("warn.param_not_offered", "key", key, "need", need)
		}
	}
	if w := warnNonASCII(p); !w.IsZero() {
		return w
	}
	if !authed && ext.Has("AUTH") {
		return explain.M("warn.mail_before_auth")
	}
	if p.spaceAfterColon {
		return explain.M("warn.space_after_colon")
	}
	return explain.Msg{}
}

func warnRcpt(arg string, st smtpwire.State, ext *smtpwire.Extensions) explain.Msg {
	switch st {
	case smtpwire.StateGreeted:
		return explain.M("warn.rcpt_before_ehlo")
	case smtpwire.StateHello, smtpwire.StateAuthenticated, smtpwire.StateTLS:
		return explain.M("warn.rcpt_before_mail")
	}
	p := parseEnvelopeArg("RCPT", arg)
	if !p.problem.IsZero() {
		return p.problem
	}
	if !noExtensions(ext) && !ext.DSN() {
		for _, param := range p.params {
			key, _, _ := strings.Cut(strings.ToUpper(param), "=")
			if key == "NOTIFY" || key == "ORCPT" {
				return explain.M("warn.no_dsn", "key", key)
			}
		}
	}
	if w := warnNonASCII(p); !w.IsZero() {
		return w
	}
	if p.spaceAfterColon {
		return explain.M("warn.space_after_colon")
	}
	return explain.Msg{}
}

// envelopeArg is the argument of MAIL or RCPT taken apart.
type envelopeArg struct {
	addr            string
	params          []string
	spaceAfterColon bool
	problem         explain.Msg // a syntax error, as a whole warning
}

// parseEnvelopeArg reads the argument of MAIL (`FROM:<addr> params`) or
// RCPT (`TO:<addr> params`), RFC 5321 §4.1.1.2 and §4.1.1.3.
func parseEnvelopeArg(verb, arg string) envelopeArg {
	var p envelopeArg
	keyword, example := "FROM", "MAIL FROM:<you@example.com>"
	if verb == "RCPT" {
		keyword, example = "TO", "RCPT TO:<them@example.com>"
	}
	head := strings.ToUpper(arg)
	switch {
	case strings.HasPrefix(head, keyword+":"):
	case strings.HasPrefix(head, keyword):
		p.problem = explain.M("warn.env_colon", "verb", verb, "keyword", keyword, "example", example)
		return p
	default:
		p.problem = explain.M("warn.env_keyword", "verb", verb, "keyword", keyword, "example", example)
		return p
	}
	rest := arg[len(keyword)+1:]
	p.spaceAfterColon = strings.HasPrefix(rest, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case rest == "":
		p.problem = explain.M("warn.env_no_addr", "verb", verb, "example", example)
		return p
	case !strings.HasPrefix(rest, "<"):
		p.problem = explain.M("warn.env_no_brackets", "verb", verb, "example", example)
		return p
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		p.problem = explain.M("warn.env_no_close", "verb", verb, "example", example)
		return p
	}
	p.addr = rest[1:end]
	p.params = strings.Fields(rest[end+1:])
	return p
}

// warnNonASCII flags an address that needs SMTPUTF8 (RFC 6531 §3.4).
func warnNonASCII(p envelopeArg) explain.Msg {
	for i := 0; i < len(p.addr); i++ {
		if p.addr[i] >= 0x80 {
			return explain.M("warn.non_ascii")
		}
	}
	return explain.Msg{}
}

// splitVerb returns the upper-case command word of line and the trimmed
// rest: "MAIL", "FROM:<a@b>" for "mail FROM:<a@b>".
func splitVerb(line string) (verb, arg string) {
	verb, arg, _ = strings.Cut(line, " ")
	return strings.ToUpper(verb), strings.TrimSpace(arg)
}

// noExtensions reports that no EHLO extension is known: before EHLO,
// after HELO, or after STARTTLS until the next EHLO.
func noExtensions(ext *smtpwire.Extensions) bool { return len(ext.Keywords()) == 0 }

// closeVerb returns the known command one typo away from verb (one letter
// added, dropped, changed, or two letters swapped), or "".
func closeVerb(verb string) string {
	if len(verb) < 3 {
		return ""
	}
	bdat, _ := LookupSMTP("BDAT")
	for _, c := range append(slices.Clip(SMTPCommands), bdat) {
		if oneTypoApart(verb, c.Name) {
			return c.Name
		}
	}
	return ""
}

func oneTypoApart(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) == len(b) {
		diff := []int{}
		for i := range len(a) {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		return len(diff) == 1 ||
			len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) != len(b)+1 {
		return false
	}
	for i := range len(a) {
		if a[:i]+a[i+1:] == b {
			return true
		}
	}
	return false
}
