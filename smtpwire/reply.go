package smtpwire

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Reply is one complete server reply: a single line, or a multi-line reply
// ("250-..." lines ended by a "250 ..." line), RFC 5321 §4.2.
type Reply struct {
	// Code is the three-digit reply code, 200 to 599.
	Code int
	// Enhanced is the RFC 3463 enhanced status code from the first line, or
	// the zero EnhancedCode when the reply carries none.
	Enhanced EnhancedCode
	// Lines holds the text of each line after the code and separator, with
	// the enhanced status code (when present) left in place.
	Lines []string
	// Raw holds each line exactly as received, without its line ending.
	Raw []string
}

// Positive reports whether the reply is 2yz or 3yz (RFC 5321 §4.2.1).
func (r *Reply) Positive() bool { return r.Code >= 200 && r.Code < 400 }

// Class returns the first digit of the code: 2, 3, 4 or 5.
func (r *Reply) Class() int { return r.Code / 100 }

// Temporary reports a transient negative reply (4yz).
func (r *Reply) Temporary() bool { return r.Code >= 400 && r.Code < 500 }

// Permanent reports a permanent negative reply (5yz).
func (r *Reply) Permanent() bool { return r.Code >= 500 }

// Message returns the reply text, lines joined by "\n", with the enhanced
// status code removed from each line that starts with it.
func (r *Reply) Message() string {
	var b strings.Builder
	for i, l := range r.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if !r.Enhanced.IsZero() {
			l = strings.TrimPrefix(l, r.Enhanced.String())
			l = strings.TrimPrefix(l, " ")
		}
		b.WriteString(l)
	}
	return b.String()
}

// String returns the raw reply lines joined by "\n".
func (r *Reply) String() string { return strings.Join(r.Raw, "\n") }

// Challenge decodes the base64 text of a 334 reply (RFC 4954 §4). An empty
// challenge ("334 " or "334") decodes to an empty slice.
func (r *Reply) Challenge() ([]byte, error) {
	if r.Code != 334 {
		return nil, fmt.Errorf("smtpwire: reply %d is not an AUTH challenge (334)", r.Code)
	}
	text := strings.TrimSpace(strings.Join(r.Lines, ""))
	if text == "" || text == "=" {
		return []byte{}, nil
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("smtpwire: 334 challenge %q is not base64: %w", text, err)
	}
	return b, nil
}

// EnhancedCode is an RFC 3463 enhanced mail system status code
// class.subject.detail, such as 5.7.8.
type EnhancedCode struct {
	Class, Subject, Detail int
}

// IsZero reports whether no enhanced code is present.
func (e EnhancedCode) IsZero() bool { return e == EnhancedCode{} }

// String formats the code as "C.S.D", or "" when zero.
func (e EnhancedCode) String() string {
	if e.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", e.Class, e.Subject, e.Detail)
}

// ParseEnhancedCode parses "C.S.D" as RFC 3463 §2 defines it: class is 2, 4
// or 5, subject and detail are 1 to 3 digits.
func ParseEnhancedCode(s string) (EnhancedCode, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return EnhancedCode{}, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || (i == 0 && len(p) != 1) {
			return EnhancedCode{}, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return EnhancedCode{}, false
			}
		}
		n[i], _ = strconv.Atoi(p)
	}
	if n[0] != 2 && n[0] != 4 && n[0] != 5 {
		return EnhancedCode{}, false
	}
	return EnhancedCode{n[0], n[1], n[2]}, true
}

// parseReplyLine splits one reply line into code, continuation flag and text
// (RFC 5321 §4.2: Reply-code [ ( "-" / SP ) textstring ]). The line has no
// line ending.
func parseReplyLine(line string) (code int, more bool, text string, err error) {
	if len(line) < 3 {
		return 0, false, "", &ProtocolError{Reason: "reply line shorter than a three-digit code", Line: line}
	}
	d0, d1, d2 := line[0], line[1], line[2]
	// RFC 5321 §4.2: the first digit is 2-5, the second 0-5, the third 0-9.
	if d0 < '2' || d0 > '5' || d1 < '0' || d1 > '5' || d2 < '0' || d2 > '9' {
		return 0, false, "", &ProtocolError{Reason: "reply does not start with a valid three-digit code", Line: line}
	}
	code = int(d0-'0')*100 + int(d1-'0')*10 + int(d2-'0')
	if len(line) == 3 {
		return code, false, "", nil
	}
	switch line[3] {
	case '-':
		more = true
	case ' ':
	default:
		return 0, false, "", &ProtocolError{Reason: fmt.Sprintf("reply code followed by %q, want '-' or ' '", line[3]), Line: line}
	}
	return code, more, line[4:], nil
}

// ParseReply parses complete reply lines (without line endings) into a
// Reply. It is strict: every line must carry the same code, every line but
// the last must use "-", and the last must not.
func ParseReply(lines []string) (*Reply, error) {
	if len(lines) == 0 {
		return nil, &ProtocolError{Reason: "empty reply"}
	}
	r := &Reply{Lines: make([]string, 0, len(lines)), Raw: make([]string, 0, len(lines))}
	for i, l := range lines {
		code, more, text, err := parseReplyLine(l)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			r.Code = code
		} else if code != r.Code {
			return nil, &ProtocolError{Reason: fmt.Sprintf("multi-line reply changed code from %d to %d", r.Code, code), Line: l}
		}
		last := i == len(lines)-1
		if more && last {
			return nil, &ProtocolError{Reason: "multi-line reply ended with a continuation line", Line: l}
		}
		if !more && !last {
			return nil, &ProtocolError{Reason: "reply continued after its final line", Line: l}
		}
		r.Lines = append(r.Lines, text)
		r.Raw = append(r.Raw, l)
	}
	r.Enhanced = enhancedFrom(r.Code, r.Lines[0])
	return r, nil
}

// enhancedFrom returns the enhanced status code that starts text, when its
// class agrees with the reply code (RFC 2034 §4: the enhanced code comes
// first in the text; RFC 3463 §2: its class matches the reply's).
func enhancedFrom(code int, text string) EnhancedCode {
	tok, _, _ := strings.Cut(text, " ")
	e, ok := ParseEnhancedCode(tok)
	if !ok || e.Class != code/100 {
		return EnhancedCode{}
	}
	return e
}
