package submit

import (
	"errors"
	"io"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Content is what a message body holds, as SMTP cares about it.
type Content int

const (
	// ContentUnknown: BODY=8BITMIME is declared when the server offers
	// it; when it does not, the body is checked as it is sent and the
	// message is abandoned (the connection closed before the final dot)
	// at the first 8-bit byte, with Err8BitUnsupported.
	ContentUnknown Content = iota
	// Content7Bit: US-ASCII lines; no BODY parameter.
	Content7Bit
	// Content8Bit: lines with octets above 127 (BODY=8BITMIME, RFC 6152).
	Content8Bit
	// ContentBinary: NUL octets or lines over 998 octets
	// (BODY=BINARYMIME, RFC 3030 §3: BDAT only).
	ContentBinary
)

func (c Content) String() string {
	switch c {
	case Content7Bit:
		return "7bit"
	case Content8Bit:
		return "8bit"
	case ContentBinary:
		return "binary"
	}
	return "unknown"
}

// Recipient is one RCPT TO, with its DSN parameters (RFC 3461 §4).
type Recipient struct {
	Addr string
	// Notify is NEVER, or any of SUCCESS, FAILURE, DELAY.
	Notify []string
	// ORcpt is the original recipient (ORCPT=rfc822;...), xtext-encoded
	// on the wire.
	ORcpt string
}

// Message is one message and its envelope.
type Message struct {
	// From is the reverse-path; "" is the null path "<>".
	From string
	To   []Recipient
	// Body is the message (header and body, RFC 5322), read once, as a
	// stream. Line endings may be LF or CRLF: they are sent as CRLF.
	Body io.Reader
	// Size is the message's size as SIZE= counts it (RFC 1870 §3: CRLF
	// line endings, no dot-stuffing); 0 means unknown and declares none.
	// Inspect computes it.
	Size int64
	// Content is what Body holds; Inspect tells.
	Content Content
	// Ret is RET=FULL or HDRS and EnvID is ENVID= (RFC 3461 §4.3, §4.4).
	Ret, EnvID string
	// RequireTLS sends REQUIRETLS (RFC 8689) and refuses, before MAIL,
	// unless TLS is verified and the server offers REQUIRETLS.
	RequireTLS bool
}

// RcptResult is the answer to one RCPT TO.
type RcptResult struct {
	Addr  string
	Reply *smtpwire.Reply
	// Err is nil when the recipient was accepted (250 or 251); otherwise
	// a *smtpwire.ReplyError, or the error that ended the session first.
	Err error
}

// Result is what became of one message.
type Result struct {
	Recipients []RcptResult
	// Reply is the server's verdict on the message: the reply to the
	// final dot, or to BDAT LAST.
	Reply *smtpwire.Reply
	// LMTP holds, in an LMTP session (smtpwire.Config.LMTP), the reply to
	// the end of the message for each accepted recipient (RFC 2033 §4.2);
	// the transaction fails on the first negative one, as Reply says.
	LMTP []smtpwire.RecipientReply
	// Bytes is how much was read from the Body.
	Bytes int64
	// Pipelined and Chunked tell how it went: in pipelined flights
	// (RFC 2920), with BDAT (RFC 3030).
	Pipelined, Chunked bool
}

// Accepted returns how many recipients were accepted.
func (r *Result) Accepted() int {
	n := 0
	for _, rc := range r.Recipients {
		if rc.Err == nil {
			n++
		}
	}
	return n
}

// Inspect reads r to its end and returns the message's SIZE (RFC 1870 §3:
// every line ending counted as CRLF, a missing last one added, as DATA and
// BDAT of lines send it) and what it holds: binary for a NUL or a line
// over 998 octets (RFC 5321 §4.5.3.1.6), 8-bit for octets above 127,
// 7-bit otherwise. A binary message goes unchanged (BINARYMIME): its
// size is its length.
func Inspect(r io.Reader) (int64, Content, error) {
	var n, raw, line int64
	eight, binary := false, false
	var prev byte = '\n'
	buf := make([]byte, 64<<10)
	for {
		k, err := r.Read(buf)
		raw += int64(k)
		for _, c := range buf[:k] {
			switch {
			case c == '\n' && prev == '\r':
				// the LF of a CRLF: counted with its CR
			case c == '\n' || c == '\r':
				n += 2
				line = 0
			default:
				n++
				line++
				if line > 998 {
					binary = true
				}
				if c == 0 {
					binary = true
				} else if c >= 0x80 {
					eight = true
				}
			}
			prev = c
		}
		if errors.Is(err, io.EOF) {
			if prev != '\n' && prev != '\r' {
				n += 2
			}
			switch {
			case binary:
				return raw, ContentBinary, nil
			case eight:
				return n, Content8Bit, nil
			}
			return n, Content7Bit, nil
		}
		if err != nil {
			return 0, ContentUnknown, err
		}
	}
}

// sevenBit passes a body through, failing at its first 8-bit octet.
type sevenBit struct{ r io.Reader }

func (s *sevenBit) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	for i, c := range p[:n] {
		if c >= 0x80 {
			return i, Err8BitUnsupported
		}
	}
	return n, err
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
