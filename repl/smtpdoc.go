package repl

import (
	"fmt"
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
	line = strings.TrimSpace(line)
	if line == "" || st == smtpwire.StateData {
		return ""
	}
	switch st {
	case smtpwire.StateClosed, smtpwire.StateBroken:
		return "the connection is closed: nothing can be sent until you connect again"
	case smtpwire.StateConnected:
		return "the server has not sent its 220 greeting yet: a client waits for it (RFC 5321 §3.1)"
	}
	verb, arg := splitVerb(line)
	if n := len(line) + 2; n > 512 && verb != "AUTH" {
		return fmt.Sprintf("this line is %d octets with CRLF; RFC 5321 §4.5.3.1.4 allows 512: expect 500", n)
	}
	inTx := st == smtpwire.StateMail || st == smtpwire.StateRcpt
	switch verb {
	case "EHLO", "HELO":
		if arg == "" {
			return verb + " needs your host name or an address literal like [192.0.2.1]: expect 501"
		}
		if inTx {
			return verb + " now drops the open transaction, like RSET (RFC 5321 §4.1.4)"
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
			return "DATA takes no arguments: expect 501 (RFC 5321 §4.1.1.4)"
		case st == smtpwire.StateMail:
			return "DATA before any accepted RCPT: expect 503 or 554 no valid recipients (RFC 5321 §3.3)"
		case !inTx:
			return "DATA without MAIL and RCPT: expect 503 Bad sequence of commands (RFC 5321 §4.1.4)"
		}
	case "RSET", "QUIT":
		if arg != "" {
			return verb + " takes no arguments: expect 501"
		}
	case "VRFY", "EXPN":
		if arg == "" {
			return verb + " needs an argument: expect 501"
		}
	case "NOOP", "HELP", "LHLO": // LHLO: LMTP's EHLO (RFC 2033 §4.1)
	case "BDAT":
		return "BDAT needs raw octets after the line, which this shell cannot send: use DATA"
	default:
		if guess := closeVerb(verb); guess != "" {
			return fmt.Sprintf("%s is not an SMTP command; did you mean %s? Expect 500", verb, guess)
		}
	}
	return ""
}

func warnStartTLS(arg string, st smtpwire.State, tls bool, ext *smtpwire.Extensions) string {
	switch {
	case tls:
		return "STARTTLS while TLS is already active: no longer offered (RFC 3207 §4.2); expect 503"
	case st == smtpwire.StateGreeted:
		return "STARTTLS before EHLO: the server has not offered it yet; send EHLO first (expect 503)"
	case st == smtpwire.StateMail || st == smtpwire.StateRcpt:
		return "STARTTLS in the middle of a transaction: most servers answer 503; RSET first"
	case arg != "":
		return "STARTTLS takes no arguments: expect 501 (RFC 3207 §4)"
	case noExtensions(ext):
		return "no extensions known (HELO, or no EHLO yet): send EHLO to see if STARTTLS is offered"
	case !ext.StartTLS():
		return "the server did not offer STARTTLS in its EHLO reply: expect 502 or 454"
	}
	return ""
}

func warnAuth(arg string, st smtpwire.State, tls, authed bool, ext *smtpwire.Extensions) string {
	mech, resp, _ := strings.Cut(arg, " ")
	mech = strings.ToUpper(mech)
	cleartext := "AUTH without TLS: your password travels in clear text (base64 is not encryption)"
	if !tls && strings.TrimSpace(resp) != "" {
		return cleartext // the secret is on this very line, whatever the reply
	}
	switch {
	case st == smtpwire.StateGreeted:
		return "AUTH before EHLO: the server has not offered AUTH yet (RFC 4954 §3); expect 503"
	case st == smtpwire.StateTLS:
		return "AUTH right after STARTTLS: send EHLO again first (RFC 3207 §4.2); expect 503"
	case authed:
		return "already authenticated: a second AUTH gets 503 (RFC 4954 §4)"
	case st == smtpwire.StateMail || st == smtpwire.StateRcpt:
		return "AUTH during a mail transaction gets 503 (RFC 4954 §4): RSET first"
	case mech == "":
		return "AUTH needs a mechanism, such as AUTH LOGIN or AUTH PLAIN: expect 501"
	case !tls:
		return cleartext
	case noExtensions(ext):
		return "no extensions known (HELO): send EHLO so the server can offer AUTH; expect 503 or 502"
	case len(ext.AuthMechanisms()) == 0:
		return "the server did not offer AUTH in its EHLO reply: expect 502 or 503"
	case !ext.SupportsAuth(mech):
		return fmt.Sprintf("the server offers AUTH %s, not %s: expect 504 (RFC 4954 §4)",
			strings.Join(ext.AuthMechanisms(), " "), mech)
	}
	return ""
}

func warnMail(arg string, st smtpwire.State, authed bool, ext *smtpwire.Extensions) string {
	switch st {
	case smtpwire.StateGreeted:
		return "MAIL before EHLO: a session starts with EHLO or HELO (RFC 5321 §4.1.4); expect 503"
	case smtpwire.StateTLS:
		return "MAIL right after STARTTLS: send EHLO again first (RFC 3207 §4.2); expect 503"
	case smtpwire.StateMail, smtpwire.StateRcpt:
		return "a transaction is already open: a second MAIL gets 503 (RFC 5321 §4.1.4); RSET first"
	}
	p := parseEnvelopeArg("MAIL", arg)
	if p.problem != "" {
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
					return fmt.Sprintf("SIZE=%d is over the server's limit of %s: expect 552 5.3.4 (RFC 1870)", n, explain.SizeText(limit))
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
			return fmt.Sprintf("%s: the server did not offer %s; expect 555 (RFC 5321 §4.1.1.11)", key, need)
		}
	}
	if w := warnNonASCII(p); w != "" {
		return w
	}
	if !authed && ext.Has("AUTH") {
		return "MAIL before AUTH: submission servers answer 530; MX servers take mail for their domains"
	}
	if p.spaceAfterColon {
		return "no space after the colon (RFC 5321 §3.3): most servers accept it, strict ones say 501"
	}
	return ""
}

func warnRcpt(arg string, st smtpwire.State, ext *smtpwire.Extensions) string {
	switch st {
	case smtpwire.StateGreeted:
		return "RCPT before EHLO and MAIL: the server will most likely answer 503 (RFC 5321 §3.3)"
	case smtpwire.StateHello, smtpwire.StateAuthenticated, smtpwire.StateTLS:
		return "RCPT before MAIL: expect 503 Bad sequence of commands (RFC 5321 §4.1.4)"
	}
	p := parseEnvelopeArg("RCPT", arg)
	if p.problem != "" {
		return p.problem
	}
	if !noExtensions(ext) && !ext.DSN() {
		for _, param := range p.params {
			key, _, _ := strings.Cut(strings.ToUpper(param), "=")
			if key == "NOTIFY" || key == "ORCPT" {
				return key + ": the server did not offer DSN (RFC 3461); expect 555"
			}
		}
	}
	if w := warnNonASCII(p); w != "" {
		return w
	}
	if p.spaceAfterColon {
		return "no space after the colon (RFC 5321 §3.3): most servers accept it, strict ones say 501"
	}
	return ""
}

// envelopeArg is the argument of MAIL or RCPT taken apart.
type envelopeArg struct {
	addr            string
	params          []string
	spaceAfterColon bool
	problem         string // a syntax error, as a whole warning
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
		p.problem = verb + " needs a colon after " + keyword + ": " + example + "; expect 501"
		return p
	default:
		p.problem = verb + " needs " + keyword + ": and an address: " + example + " (RFC 5321 §3.3); expect 501"
		return p
	}
	rest := arg[len(keyword)+1:]
	p.spaceAfterColon = strings.HasPrefix(rest, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case rest == "":
		p.problem = verb + " needs an address: " + example + "; expect 501"
		return p
	case !strings.HasPrefix(rest, "<"):
		p.problem = verb + " address without <>: write " + example + "; many servers answer 501"
		return p
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		p.problem = verb + " address with no closing >: " + example + "; expect 501"
		return p
	}
	p.addr = rest[1:end]
	p.params = strings.Fields(rest[end+1:])
	return p
}

// warnNonASCII flags an address that needs SMTPUTF8 (RFC 6531 §3.4).
func warnNonASCII(p envelopeArg) string {
	for i := 0; i < len(p.addr); i++ {
		if p.addr[i] >= 0x80 {
			return "the address is not ASCII: it needs SMTPUTF8 on MAIL and a server offering it (RFC 6531)"
		}
	}
	return ""
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
