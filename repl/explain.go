package repl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// noteWidth is where explanation lines wrap, so that with the shell's "# "
// prefix they stay under 100 characters.
const noteWidth = 97

// Explain returns human explanation lines for a reply: what the code and
// the enhanced status code mean, then concrete advice in the context of
// the command that got it.
//
// cmd names that command: its verb ("MAIL") or the whole command line
// ("MAIL FROM:<a@b>"), in any case; "" for the greeting; "." or
// "DATA (end of message)" for the reply to the end of the message. It
// returns nil for a nil reply.
func Explain(cmd string, r *smtpwire.Reply) []string {
	if r == nil {
		return nil
	}
	lines := wrapNote(codeMeaning(r.Code))
	if telling(r.Enhanced) {
		lines = append(lines, wrapNote(enhancedMeaning(r.Enhanced))...)
	}
	for _, a := range adviceFor(commandOf(cmd), r.Code, r.Enhanced, r) {
		lines = append(lines, wrapNote(a)...)
	}
	return lines
}

// telling reports whether an enhanced code in a reply adds to what its
// reply code says: always for failures, for successes only when RFC 3463
// names the detail (2.0.0 and 2.1.5 say no more than 250).
func telling(e smtpwire.EnhancedCode) bool {
	if e.IsZero() {
		return false
	}
	return e.Class != 2 || e.Detail != 0 && strings.Contains(e.Text(), "; ")
}

// ExplainCode serves /explain CODE, where CODE is a reply code ("535"), an
// enhanced status code ("5.7.8") or both ("535 5.7.8", "535-5.7.8"): what
// each part means, digit by digit, and what to do. Anything else is an
// error.
func ExplainCode(arg string) ([]string, error) {
	fields := strings.Fields(strings.ReplaceAll(arg, "-", " "))
	if len(fields) == 0 || len(fields) > 2 {
		return nil, fmt.Errorf("usage: /explain CODE, such as 535, 5.7.8 or \"535 5.7.8\"")
	}
	code := 0
	var enh smtpwire.EnhancedCode
	for _, f := range fields {
		if e, ok := smtpwire.ParseEnhancedCode(f); ok {
			if !enh.IsZero() {
				return nil, fmt.Errorf("two enhanced status codes: give one, with or without a reply code")
			}
			enh = e
			continue
		}
		n, err := strconv.Atoi(f)
		switch {
		case err != nil || len(f) != 3 || strings.Trim(f, "0123456789") != "":
			return nil, fmt.Errorf("%q is neither a reply code like 535 nor an enhanced status code like 5.7.8", f)
		case code != 0:
			return nil, fmt.Errorf("two reply codes: give one, with or without an enhanced status code")
		case f[0] < '2' || f[0] > '5' || f[1] > '5':
			return nil, fmt.Errorf("%s is not an SMTP reply code: the first digit is 2 to 5, the second 0 to 5 (RFC 5321 §4.2)", f)
		}
		code = n
	}
	var lines []string
	if code != 0 {
		lines = append(lines, wrapNote(codeMeaning(code))...)
		lines = append(lines, wrapNote(codeDigits(code))...)
	}
	if !enh.IsZero() {
		lines = append(lines, wrapNote(enhancedMeaning(enh))...)
		lines = append(lines, wrapNote(enhancedParts(enh))...)
		if code != 0 && enh.Class != code/100 {
			lines = append(lines, wrapNote(fmt.Sprintf("The two disagree: %s should start with %d, the first digit of %d (RFC 3463 §2).",
				enh, code/100, code))...)
		}
	}
	for _, a := range adviceFor("", code, enh, nil) {
		lines = append(lines, wrapNote(a)...)
	}
	return lines, nil
}

// ExplainExtension describes one EHLO keyword and its parameters in one
// line that starts with the keyword, such as
// "SIZE: messages up to 34.2 MiB (35882577 bytes, RFC 1870); ...".
func ExplainExtension(keyword, params string) string {
	kw := strings.ToUpper(strings.TrimSpace(keyword))
	params = strings.TrimSpace(params)
	if mechs, ok := strings.CutPrefix(kw, "AUTH="); ok {
		return "AUTH=" + strings.TrimSpace(mechs+" "+params) + ": the pre-standard form of AUTH, for old Outlook clients"
	}
	switch kw {
	case "SIZE":
		if params == "" || params == "0" {
			return "SIZE: no fixed size limit announced (RFC 1870); a big message may still be refused"
		}
		n, err := strconv.ParseInt(params, 10, 64)
		if err != nil || n < 0 {
			return fmt.Sprintf("SIZE: message size limit (RFC 1870), announced as %q, which is not a number", params)
		}
		return fmt.Sprintf("SIZE: messages up to %s (%d bytes, RFC 1870); base64 makes attachments ~37%% bigger",
			sizeText(n), n)
	case "AUTH":
		if params == "" {
			return "AUTH: login is possible but no mechanism was listed (RFC 4954)"
		}
		return "AUTH: log in with " + mechanismList(params)
	case "STARTTLS":
		return "STARTTLS: this connection can be upgraded to TLS (RFC 3207): do it before AUTH, then EHLO again"
	case "PIPELINING":
		return "PIPELINING: a client may send commands in batches, not waiting for each reply (RFC 2920)"
	case "8BITMIME":
		return "8BITMIME: 8-bit message bodies accepted; declare them with BODY=8BITMIME on MAIL (RFC 6152)"
	case "SMTPUTF8":
		return "SMTPUTF8: UTF-8 in addresses and headers; add SMTPUTF8 to MAIL FROM to use it (RFC 6531)"
	case "UTF8SMTP":
		return "UTF8SMTP: the experimental name of SMTPUTF8 (RFC 5336), replaced by RFC 6531"
	case "DSN":
		return "DSN: delivery status notifications: NOTIFY= and ORCPT= on RCPT, RET= and ENVID= on MAIL (RFC 3461)"
	case "CHUNKING":
		return "CHUNKING: BDAT <size> [LAST] may replace DATA (RFC 3030); smtpsh sends messages with DATA"
	case "BINARYMIME":
		return "BINARYMIME: binary bodies with BODY=BINARYMIME, sent with BDAT (RFC 3030)"
	case "ENHANCEDSTATUSCODES":
		return "ENHANCEDSTATUSCODES: replies carry a detail code such as 5.7.8 (RFC 2034, RFC 3463)"
	case "HELP":
		return "HELP: the server answers HELP with text for humans (RFC 5321 §4.1.1.8)"
	case "VRFY":
		return "VRFY: the server says it answers address verification (RFC 5321 §3.5)"
	case "EXPN":
		return "EXPN: the server says it expands mailing lists (RFC 5321 §3.5)"
	case "ETRN":
		return "ETRN: a backup MX can be asked to deliver its queue for a domain (RFC 1985)"
	case "DELIVERBY":
		return "DELIVERBY: a sender may set a delivery deadline with BY= on MAIL (RFC 2852)"
	case "REQUIRETLS":
		return "REQUIRETLS: a message may demand TLS on every hop, REQUIRETLS on MAIL (RFC 8689)"
	case "MT-PRIORITY":
		return "MT-PRIORITY: message priorities with MT-PRIORITY= on MAIL (RFC 6710)"
	case "FUTURERELEASE":
		return "FUTURERELEASE: the server can hold a message until a later time (RFC 4865)"
	case "LIMITS":
		return "LIMITS: the server's limits (RFC 9422): " + params
	case "BURL":
		return "BURL: the message can be fetched from an IMAP URL instead of sent (RFC 4468)"
	case "NO-SOLICITING":
		return "NO-SOLICITING: the server refuses solicitations with the keywords given (RFC 3865)"
	case "XCLIENT", "XFORWARD":
		return kw + ": vendor-specific (Postfix): lets a trusted proxy pass on client details"
	case "XEXCH50", "X-EXPS", "X-LINK2STATE", "X-ANONYMOUSTLS":
		return kw + ": vendor-specific (Microsoft Exchange), for server-to-server use"
	case "XALIOAUTH":
		return "XALIOAUTH: vendor-specific (Aliyun): a private login mechanism; use PLAIN or LOGIN"
	}
	if strings.HasPrefix(kw, "X") {
		return kw + ": vendor-specific: private keywords start with X and are in no RFC (RFC 5321 §4.1.5)"
	}
	return kw + ": an extension smtpsh does not know (see the IANA SMTP Service Extensions registry)"
}

// mechanismList lists SASL mechanisms and notes the ones that are not
// passwords: "PLAIN LOGIN XALIOAUTH (RFC 4954); vendor-specific: XALIOAUTH".
func mechanismList(list string) string {
	mechs := strings.Fields(strings.ToUpper(list))
	var oauth, vendor []string
	for _, m := range mechs {
		switch {
		case m == "XOAUTH2" || m == "OAUTHBEARER":
			oauth = append(oauth, m)
		case strings.HasPrefix(m, "X"):
			vendor = append(vendor, m)
		}
	}
	out := strings.Join(mechs, " ") + " (RFC 4954)"
	if len(oauth) > 0 {
		out += "; OAuth2 token: " + strings.Join(oauth, " ")
	}
	if len(vendor) > 0 {
		out += "; vendor-specific: " + strings.Join(vendor, " ")
	}
	return out
}

// sizeText formats a byte count with binary units: "34.2 MiB", "150 MiB".
func sizeText(n int64) string {
	units := []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}}
	for _, u := range units {
		if n >= u.size {
			v := strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/float64(u.size)), ".0")
			return v + " " + u.name
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// commandOf turns Explain's cmd into an upper-case verb, "." for the end
// of the message.
func commandOf(cmd string) string {
	cmd = strings.ToUpper(strings.TrimSpace(cmd))
	if cmd == "." || strings.HasPrefix(cmd, "DATA (END") {
		return "."
	}
	if i := strings.IndexAny(cmd, " :"); i >= 0 {
		cmd = cmd[:i]
	}
	return cmd
}

// codeMeaning says what a reply code means, by its RFC name or by its
// digits when no RFC names it.
func codeMeaning(code int) string {
	if t := smtpwire.CodeText(code); t != "" {
		return fmt.Sprintf("%d: %s", code, t)
	}
	return fmt.Sprintf("%d: no RFC names this code; by its digits: %s", code, digitText(code))
}

// replyClassText and replyCategoryText name the first and second digits
// of a reply code (RFC 5321 §4.2.1).
var replyClassText = map[int]string{
	2: "positive completion",
	3: "positive intermediate",
	4: "transient negative",
	5: "permanent negative",
}

var replyCategoryText = map[int]string{
	0: "syntax",
	1: "information",
	2: "connections",
	3: "unspecified",
	4: "unspecified",
	5: "mail system",
}

func digitText(code int) string {
	return fmt.Sprintf("%s, about %s (RFC 5321 §4.2.1)", replyClassText[code/100], replyCategoryText[code/10%10])
}

// codeDigits reads a reply code digit by digit (RFC 5321 §4.2.1).
func codeDigits(code int) string {
	return fmt.Sprintf("Digits: %d = %s, %d = %s, %d = detail (RFC 5321 §4.2.1).",
		code/100, replyClassText[code/100], code/10%10, replyCategoryText[code/10%10], code%10)
}

// enhancedMeaning says what an enhanced status code means (RFC 3463).
func enhancedMeaning(e smtpwire.EnhancedCode) string {
	if t := e.Text(); t != "" {
		return fmt.Sprintf("%s: %s", e, t)
	}
	return fmt.Sprintf("%s: not a valid enhanced status code (RFC 3463 §2)", e)
}

var enhancedSubjectText = map[int]string{
	0: "other or undefined status",
	1: "addressing status",
	2: "mailbox status",
	3: "mail system status",
	4: "network and routing status",
	5: "mail delivery protocol status",
	6: "message content or media status",
	7: "security or policy status",
}

var enhancedClassName = map[int]string{2: "success", 4: "persistent transient failure", 5: "permanent failure"}

// enhancedParts reads an enhanced status code part by part; RFC 3463
// defines subject n in its section 3.(n+1).
func enhancedParts(e smtpwire.EnhancedCode) string {
	subject := enhancedSubjectText[e.Subject]
	ref := fmt.Sprintf("RFC 3463 §3.%d", e.Subject+1)
	if subject == "" {
		subject, ref = "not defined", "RFC 3463 §2"
	}
	return fmt.Sprintf("Parts: %d = %s, %d = %s, %d = detail (%s).",
		e.Class, enhancedClassName[e.Class], e.Subject, subject, e.Detail, ref)
}

// wrapNote splits text into lines of at most noteWidth characters, at
// spaces.
func wrapNote(text string) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		wn := utf8.RuneCountInString(w)
		if n > 0 && n+1+wn > noteWidth {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wn
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// textHasAny reports whether text contains any of words.
func textHasAny(text string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
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
