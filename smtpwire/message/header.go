package message

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxLineLength is where header lines are folded (RFC 5322 §2.1.1: lines
// SHOULD be at most 78 characters). A line with no space to fold at may
// be longer, up to the hard limit of 998.
const MaxLineLength = 78

// maxHardLine is RFC 5322 §2.1.1's hard limit on a line, CRLF excluded.
const maxHardLine = 998

// ErrLineBreak is returned for a header value holding CR or LF: it would
// end the field and start another (header injection).
var ErrLineBreak = errors.New("contains CR or LF, which would start another header field")

// Field is one header field, such as {"Reply-To", "李四 <li@example.com>"}.
// The value is given decoded, in UTF-8; WriteTo encodes it.
type Field struct {
	Name, Value string
}

// FieldError reports a header field that cannot be written.
type FieldError struct {
	Name   string
	Reason string
	Err    error // ErrLineBreak, or nil
}

func (e *FieldError) Error() string {
	reason := e.Reason
	if e.Err != nil {
		reason = e.Err.Error()
	}
	return fmt.Sprintf("header field %q: %s", e.Name, reason)
}

func (e *FieldError) Unwrap() error { return e.Err }

// ParseField parses "Name: value", as given on a command line, and checks
// it with Field.Check. Spaces after the colon are dropped.
func ParseField(s string) (Field, error) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return Field{}, &FieldError{Name: s, Reason: `want "Name: value"`}
	}
	f := Field{Name: name, Value: strings.TrimLeft(value, " \t")}
	return f, f.Check()
}

// Check reports whether the field can be written: the name is 1 to 76
// printable ASCII characters other than colon (RFC 5322 §2.2, §3.6.8),
// and the value is UTF-8 without CR, LF or other control characters
// (a tab is allowed).
func (f Field) Check() error {
	if f.Name == "" {
		return &FieldError{Name: f.Name, Reason: "empty field name"}
	}
	if len(f.Name) > 76 {
		return &FieldError{Name: f.Name, Reason: "field name longer than 76 characters"}
	}
	for i := 0; i < len(f.Name); i++ {
		if c := f.Name[i]; c <= ' ' || c > '~' || c == ':' {
			return &FieldError{Name: f.Name, Reason: fmt.Sprintf("invalid character %q in the field name: "+
				"a name is printable ASCII without spaces or colons (RFC 5322 §3.6.8)", rune(c))}
		}
	}
	return checkText(f.Name, f.Value)
}

// checkText refuses text that cannot go in a header field or parameter.
func checkText(name, v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return &FieldError{Name: name, Err: ErrLineBreak}
	}
	if !utf8.ValidString(v) {
		return &FieldError{Name: name, Reason: "not valid UTF-8"}
	}
	for _, r := range v {
		if r < ' ' && r != '\t' || r == 0x7f {
			return &FieldError{Name: name, Reason: fmt.Sprintf("control character %q in the value", r)}
		}
	}
	return nil
}

// Kinds of field, which decide how a value is encoded.
type fieldKind int

const (
	unstructured fieldKind = iota // free text: encoded-words where needed (RFC 2047 §5 (1))
	addressList                   // mailboxes: display names encoded, addresses kept
	msgID                         // message identifiers: ASCII only, kept
	dateTime                      // a date (RFC 5322 §3.3), kept
	mimeField                     // set by this package only
)

var fieldKinds = map[string]fieldKind{
	"from": addressList, "sender": addressList, "reply-to": addressList, "to": addressList, "cc": addressList,
	"resent-from": addressList, "resent-sender": addressList, "resent-to": addressList, "resent-cc": addressList,
	"message-id": msgID, "in-reply-to": msgID, "references": msgID, "resent-message-id": msgID,
	"date": dateTime, "resent-date": dateTime,
	"mime-version": mimeField, "content-type": mimeField, "content-transfer-encoding": mimeField,
}

// single are the fields RFC 5322 §3.6 allows at most once.
var single = map[string]bool{
	"date": true, "from": true, "sender": true, "reply-to": true, "to": true, "cc": true,
	"message-id": true, "in-reply-to": true, "references": true, "subject": true,
}

// encodeValue turns a field value given in UTF-8 into its wire form.
func encodeValue(f Field) (string, error) {
	switch fieldKinds[strings.ToLower(f.Name)] {
	case addressList:
		list, err := mail.ParseAddressList(f.Value)
		if err != nil {
			return "", &FieldError{Name: f.Name, Reason: "not an address list (" + err.Error() + ")"}
		}
		if len(list) == 0 {
			// An empty group ("team:;"): net/mail keeps no trace of it, and
			// an empty field is not RFC 5322.
			return "", &FieldError{Name: f.Name, Reason: "no address in it"}
		}
		return formatAddresses(f.Name, list), nil
	case msgID:
		if !isASCII(f.Value) {
			return "", &FieldError{Name: f.Name, Reason: "a message identifier is ASCII only (RFC 5322 §3.6.4)"}
		}
		return f.Value, nil
	case dateTime:
		if _, err := mail.ParseDate(f.Value); err != nil {
			return "", &FieldError{Name: f.Name, Reason: "not an RFC 5322 date such as \"Mon, 02 Jan 2006 15:04:05 +0800\""}
		}
		return f.Value, nil
	case mimeField:
		return "", &FieldError{Name: f.Name, Reason: "set by smtpsh from the body and attachments"}
	}
	return encodeText(f.Name, f.Value), nil
}

// encodeText encodes the unstructured text of field name as RFC 2047
// encoded-words when it is not plain ASCII, or when it holds "=?", which
// a reader would try to decode.
func encodeText(name, s string) string {
	if isASCII(s) && !strings.Contains(s, "=?") {
		return s
	}
	return encodeWords(s, MaxLineLength-len(name)-2)
}

// encodeWords encodes s as base64 encoded-words separated by spaces, the
// first at most first characters long and the others at most 75, so that fold can put each on a line of its own within
// the limit. (mime.WordEncoder alone makes words of up to 75 characters,
// one too long for a first line after "Subject: ".) Words are split
// between characters, never inside one (RFC 2047 §5 (3)).
func encodeWords(s string, first int) string {
	const (
		overhead = len("=?UTF-8?b?") + len("?=")
		maxWord  = 75 // RFC 2047 §2
	)
	var words []string
	width := min(max(first, overhead+8), maxWord)
	for s != "" {
		limit := (width - overhead) / 4 * 3 // bytes that fit in base64
		n := 0
		for _, r := range s {
			if k := utf8.RuneLen(r); n+k <= limit || n == 0 {
				n += max(k, 1)
				continue
			}
			break
		}
		// Not mime.BEncoding.Encode: it leaves a chunk of plain ASCII
		// as it is, and a reader then joins it to the encoded word before
		// it with a space that was not in the text.
		words = append(words, "=?UTF-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
		width = maxWord
	}
	return strings.Join(words, " ")
}

// formatAddress writes a mailbox of field name with its display name
// encoded when it is not ASCII ("=?UTF-8?b?5byg5LiJ?= <zhang@example.com>").
func formatAddress(name string, a *mail.Address) string {
	if a.Name != "" && !isASCII(a.Name) {
		return encodeWords(a.Name, MaxLineLength-len(name)-2) + " <" + a.Address + ">"
	}
	return a.String()
}

func formatAddresses(name string, list []*mail.Address) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = formatAddress(name, a)
	}
	return strings.Join(s, ", ")
}

// checkAddress refuses an address that would break the header or the
// SMTP envelope.
func checkAddress(field string, a *mail.Address) error {
	if a == nil || a.Address == "" {
		return &FieldError{Name: field, Reason: "empty address"}
	}
	if err := checkText(field, a.Name); err != nil {
		return err
	}
	if err := checkText(field, a.Address); err != nil {
		return err
	}
	if strings.ContainsAny(a.Address, " \t<>") || !strings.Contains(a.Address, "@") {
		return &FieldError{Name: field, Reason: fmt.Sprintf("%q is not an address like name@example.com", a.Address)}
	}
	return nil
}

// formatDate writes t as RFC 5322 §3.3 wants it.
func formatDate(t time.Time) string { return t.Format(time.RFC1123Z) }

// fold writes "Name: value" with line breaks (CRLF and a space) before
// spaces, so that each line is at most MaxLineLength characters where a
// space allows it (RFC 5322 §2.2.3). It never breaks right after the
// colon, and never leaves a line of spaces only.
func fold(name, value string) string {
	line := name + ": " + value
	if len(line) <= MaxLineLength {
		return line
	}
	var b strings.Builder
	first := true
	for len(line) > MaxLineLength {
		lo := 1 // a continuation line starts with its space: break after it
		if first {
			lo = len(name) + 2
		}
		i := -1
		for j := MaxLineLength; j >= lo; j-- {
			if line[j] == ' ' && strings.TrimSpace(line[:j]) != "" {
				i = j
				break
			}
		}
		if i < 0 {
			// No space early enough: break at the first one after the limit.
			j := strings.IndexByte(line[MaxLineLength:], ' ')
			if j < 0 {
				break
			}
			i = MaxLineLength + j
		}
		b.WriteString(line[:i])
		b.WriteString("\r\n")
		line = line[i:]
		first = false
	}
	b.WriteString(line)
	return b.String()
}

// foldValue is fold without the "Name: " in front, for
// multipart.Writer.CreatePart, which writes the name itself.
func foldValue(name, value string) string {
	return fold(name, value)[len(name)+2:]
}

// checkLineLengths refuses folded text with a line over the hard limit.
func checkLineLengths(name, folded string) error {
	for line := range strings.SplitSeq(folded, "\r\n") {
		if len(line) > maxHardLine {
			return &FieldError{Name: name, Reason: fmt.Sprintf("a line of %d characters with no space to fold at "+
				"(RFC 5322 §2.1.1 allows 998)", len(line))}
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
