package smtptest

import (
	"bufio"
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// replyTooBig is the RFC 1870 §6 reply to a message over the size limit.
const replyTooBig = "552 5.3.4 Message size exceeds fixed maximum message size"

// mail answers MAIL FROM:<reverse-path> [parameters] (RFC 5321 §4.1.1.2).
func (s *mailSession) mail(arg string) error {
	o := &s.srv.opts
	switch {
	case s.helo == "":
		return s.send("503 5.5.1 Error: send HELO/EHLO first")
	case s.inMail:
		return s.send("503 5.5.1 Error: nested MAIL command")
	case o.RequireAuth && s.authUser == "":
		return s.send("530 5.7.0 Authentication required")
	}
	rest, ok := cutPrefixFold(arg, "FROM:")
	if !ok {
		return s.syntaxError("MAIL")
	}
	// "MAIL FROM: <a@b>", as typed in telnet, is tolerated.
	from, params, ok := parsePath(strings.TrimLeft(rest, " "))
	if !ok {
		return s.send("501 5.1.7 Bad sender address syntax")
	}
	smtpUTF8 := false
	var body string
	var dsn DSN
	for _, p := range strings.Fields(params) {
		key, value, hasValue := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "SIZE": // RFC 1870 §6
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 {
				return s.send("501 5.5.4 Bad SIZE parameter")
			}
			if n > o.MaxMessageSize {
				return s.send(replyTooBig)
			}
		case "BODY": // RFC 6152 §2, RFC 3030 §3
			body = strings.ToUpper(value)
			if body != "7BIT" && body != "8BITMIME" && body != "BINARYMIME" {
				return s.send("501 5.5.4 Bad BODY parameter: use 7BIT, 8BITMIME or BINARYMIME")
			}
		case "RET": // RFC 3461 §4.3
			dsn.Ret = strings.ToUpper(value)
			if dsn.Ret != "FULL" && dsn.Ret != "HDRS" {
				return s.send("501 5.5.4 Bad RET parameter: use FULL or HDRS")
			}
		case "ENVID": // RFC 3461 §4.4
			v, ok := decodeXtext(value)
			if !ok || len(value) > 100 {
				return s.send("501 5.5.4 Bad ENVID parameter: xtext of at most 100 characters")
			}
			dsn.EnvID = v
		case "SMTPUTF8": // RFC 6531 §3.4
			if hasValue {
				return s.send("501 5.5.4 SMTPUTF8 takes no value")
			}
			smtpUTF8 = true
		case "AUTH":
			// RFC 4954 §5: a server offering AUTH must take AUTH=<mailbox>,
			// and may ignore it.
			if !s.srv.authOffered(s.tls) {
				return s.send("555 5.5.4 Unsupported parameter AUTH")
			}
		default:
			// RFC 5321 §4.1.1.11.
			return s.send("555 5.5.4 Unsupported parameter " + printable(key, 32))
		}
	}
	if !smtpUTF8 && !isASCII(from) {
		return s.send("553 5.6.7 Non-ASCII address needs the SMTPUTF8 parameter")
	}
	if handled, err := s.fault("MAIL", from); handled {
		return err
	}
	s.inMail, s.from, s.to, s.smtpUTF8 = true, from, nil, smtpUTF8
	s.body, s.dsn = body, dsn
	return s.send("250 2.1.0 Ok")
}

// rcpt answers RCPT TO:<forward-path> (RFC 5321 §4.1.1.3). Every
// well-formed address is accepted.
func (s *mailSession) rcpt(arg string) error {
	if !s.inMail {
		return s.send("503 5.5.1 Error: need MAIL command")
	}
	rest, ok := cutPrefixFold(arg, "TO:")
	if !ok {
		return s.syntaxError("RCPT")
	}
	to, params, ok := parsePath(strings.TrimLeft(rest, " "))
	if !ok || to == "" {
		return s.send("501 5.1.3 Bad recipient address syntax")
	}
	notify, orcpt, bad := rcptDSN(params)
	if bad != "" {
		return s.send(bad)
	}
	if !s.smtpUTF8 && !isASCII(to) {
		return s.send("553 5.6.7 Non-ASCII address needs the SMTPUTF8 parameter on MAIL")
	}
	if len(s.to) >= s.srv.opts.MaxRecipients {
		return s.send("452 4.5.3 Too many recipients") // §4.5.3.1.10
	}
	if handled, err := s.fault("RCPT", to); handled {
		return err
	}
	s.to = append(s.to, to)
	s.dsn.Notify = append(s.dsn.Notify, notify)
	s.dsn.ORcpt = append(s.dsn.ORcpt, orcpt)
	return s.send("250 2.1.5 Ok")
}

// data answers DATA (RFC 5321 §4.1.1.4), reads the message and gives the
// verdict, which ends the transaction whatever it is.
func (s *mailSession) data(arg string) error {
	switch {
	case arg != "":
		return s.syntaxError("DATA")
	case !s.inMail:
		return s.send("503 5.5.1 Error: need MAIL command")
	case len(s.to) == 0:
		return s.send("503 5.5.1 Error: need RCPT command")
	case s.chunked:
		// RFC 3030 §2: DATA and BDAT do not mix in one transaction.
		return s.send("503 5.5.1 Error: BDAT transaction in progress, DATA not allowed")
	case s.body == "BINARYMIME":
		// RFC 3030 §3: BINARYMIME needs BDAT.
		return s.send("503 5.5.1 Error: BODY=BINARYMIME requires BDAT")
	}
	if handled, err := s.fault("DATA", ""); handled {
		return err
	}
	if err := s.send("354 End data with <CR><LF>.<CR><LF>"); err != nil {
		return err
	}
	body, verdict, err := s.readMessage()
	if err != nil {
		return err
	}
	return s.finish(body, verdict)
}

// finish ends a transaction whose message has arrived, by DATA or by BDAT
// LAST: it gives the verdict, or stores the message and says where.
func (s *mailSession) finish(body []byte, verdict string) error {
	if !slices.ContainsFunc(s.dsn.Notify, nonEmpty) && !slices.ContainsFunc(s.dsn.ORcpt, nonEmpty) {
		s.dsn.Notify, s.dsn.ORcpt = nil, nil // no RCPT had DSN parameters
	}
	m := Message{
		From: s.from, To: s.to, Data: body, Received: time.Now(),
		TLS: s.tls, AuthUser: s.authUser, Helo: s.helo, Remote: s.remote,
		Session: s.rec.id(), Body: s.body, SMTPUTF8: s.smtpUTF8, Chunked: s.chunked, DSN: s.dsn,
	}
	if verdict == "" {
		if handled, err := s.fault("EOM", ""); handled {
			s.resetTransaction()
			return err
		}
	}
	s.resetTransaction()
	if verdict != "" {
		return s.send(verdict)
	}
	id := s.srv.deliver(m)
	s.rec.addMessage(id)
	return s.send("250 2.0.0 Ok: queued as " + id)
}

func nonEmpty(s string) bool { return s != "" }

// rcptDSN checks the parameters of RCPT: only the DSN ones (RFC 3461
// §4.1, §4.2) are known. bad is the negative reply, if any.
func rcptDSN(params string) (notify, orcpt, bad string) {
	for _, p := range strings.Fields(params) {
		key, value, _ := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "NOTIFY":
			notify = strings.ToUpper(value)
			if !validNotify(notify) {
				return "", "", "501 5.5.4 Bad NOTIFY parameter: NEVER, or SUCCESS, FAILURE, DELAY joined by commas"
			}
		case "ORCPT":
			typ, addr, ok := strings.Cut(value, ";")
			dec, okx := decodeXtext(addr)
			if !ok || typ == "" || !okx || dec == "" {
				return "", "", "501 5.5.4 Bad ORCPT parameter: use addr-type;xtext"
			}
			orcpt = typ + ";" + dec
		default:
			return "", "", "555 5.5.4 Unsupported RCPT TO parameter " + printable(key, 32)
		}
	}
	return notify, orcpt, ""
}

// validNotify checks NOTIFY's value (RFC 3461 §4.1): NEVER alone, or any
// of SUCCESS, FAILURE and DELAY once each.
func validNotify(v string) bool {
	if v == "NEVER" {
		return true
	}
	seen := map[string]bool{}
	for _, w := range strings.Split(v, ",") {
		if (w != "SUCCESS" && w != "FAILURE" && w != "DELAY") || seen[w] {
			return false
		}
		seen[w] = true
	}
	return true
}

// decodeXtext decodes xtext (RFC 3461 §4): printable ASCII but "+" and
// "=", with "+XX" for any octet in upper-case hex.
func decodeXtext(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			if i+2 >= len(s) {
				return "", false
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil || strings.ToUpper(s[i+1:i+3]) != s[i+1:i+3] {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 2
		case c < '!' || c > '~' || c == '=':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// readMessage reads message lines up to the line "." and returns the
// message with the transparency dots removed (RFC 5321 §4.5.2). The end is
// CRLF "." CRLF and nothing else: a "." line after a bare LF, or a "."
// followed by a bare LF, is message text, so a client cannot smuggle a
// second message past a server that reads line ends differently. For the
// same reason a leading dot is removed only from a line that follows a
// CRLF.
//
// Memory is bounded by MaxMessageSize: once the message is over it, or a
// line is over MailTextLineLimit, the rest is read but not kept, and
// verdict is the negative reply to give after the terminator. err is
// non-nil only for I/O failures and timeouts.
func (s *mailSession) readMessage() (body []byte, verdict string, err error) {
	var (
		buf      bytes.Buffer
		limit    = s.srv.opts.MaxMessageSize
		afterLF  = true // at the start of a line that followed CRLF
		lastCR   bool   // the previous fragment ended in CR
		lineLen  int    // octets of the current line read so far
		traced   bool   // the current line was traced
		tooBig   bool
		tooLong  bool
		dropping bool
	)
	for {
		if err := s.armRead(); err != nil {
			return nil, "", err
		}
		frag, err := s.br.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, "", err
		}
		whole := err == nil // frag ends the line
		atStart := lineLen == 0
		if atStart && afterLF && whole && string(frag) == ".\r\n" {
			s.trace(smtpwire.Sent, ".")
			break
		}
		if !traced {
			// The line, or its first buffer's worth, as it travelled.
			s.trace(smtpwire.Sent, strings.TrimRight(string(frag), "\r\n"))
			traced = true
		}
		lineLen += len(frag)
		text := frag
		if atStart && afterLF && text[0] == '.' && string(frag) != ".\n" {
			text = text[1:] // a lone "." before a bare LF is kept as sent
		}
		switch {
		case dropping:
		case lineLen > MailTextLineLimit:
			tooLong, dropping = true, true
		case int64(buf.Len()+len(text)) > limit:
			tooBig, dropping = true, true
		default:
			buf.Write(text)
		}
		if dropping {
			buf = bytes.Buffer{}
		}
		if whole {
			// The line ended in CRLF if its LF follows a CR, which may
			// have come in the previous fragment.
			afterLF = len(frag) >= 2 && frag[len(frag)-2] == '\r' || len(frag) == 1 && lastCR
			lineLen, traced = 0, false
		}
		lastCR = frag[len(frag)-1] == '\r'
	}
	switch {
	case tooLong:
		return nil, "554 5.6.0 Message has a line longer than " + strconv.Itoa(MailTextLineLimit) + " octets", nil
	case tooBig:
		return nil, replyTooBig, nil
	}
	return buf.Bytes(), "", nil
}

// parsePath splits "<path> params" into the address inside the angle
// brackets and the parameters after them (RFC 5321 §4.1.2). A source route
// ("<@a,@b:user@c>") is dropped, as §3.3 and appendix C allow. The check
// is simple: "" (the null path), "postmaster", or local@domain without
// blanks or control characters.
func parsePath(s string) (addr, params string, ok bool) {
	if !strings.HasPrefix(s, "<") {
		return "", "", false
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", "", false
	}
	addr, params = s[1:end], s[end+1:]
	if params != "" && params[0] != ' ' {
		return "", "", false
	}
	if strings.HasPrefix(addr, "@") {
		_, addr, ok = strings.Cut(addr, ":")
		if !ok {
			return "", "", false
		}
	}
	if addr == "" || strings.EqualFold(addr, "postmaster") {
		return addr, strings.TrimSpace(params), true
	}
	for _, r := range addr {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' {
			return "", "", false
		}
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || !utf8.ValidString(addr) {
		return "", "", false
	}
	return addr, strings.TrimSpace(params), true
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
