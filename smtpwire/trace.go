package smtpwire

import (
	"encoding/base64"
	"strings"
	"time"
	"unicode"
)

// Redacted replaces secrets (AUTH payloads) in trace lines and recorded
// transcripts. In a transcript C: line, a trailing Redacted matches any
// non-empty remainder of the client's line (see smtpwire/smtptest).
const Redacted = "[redacted]"

// Direction tells which side wrote a wire line.
type Direction int

const (
	// Sent is a line written by the client.
	Sent Direction = iota
	// Received is a line read from the server.
	Received
)

// String returns "C" for Sent and "S" for Received, as in transcripts.
func (d Direction) String() string {
	if d == Sent {
		return "C"
	}
	return "S"
}

// TraceEvent is one wire line as seen by a trace hook.
type TraceEvent struct {
	Time     time.Time
	Dir      Direction
	Line     string // without CRLF; secrets replaced by Redacted unless Config.TraceSecrets
	TLS      bool   // the line travelled inside TLS
	Redacted bool   // Line had a secret replaced
	// Flight numbers the pipelined write (RFC 2920) a sent command left
	// in: commands with the same Flight went in one write. 0 for a
	// command sent alone and for message lines.
	Flight int
	// FlightLen is the number of commands in that write.
	FlightLen int
	// Data marks a line of the message itself (DATA or BDAT content,
	// the final "." included), as opposed to a command.
	Data bool
	// Decoded is the base64-decoded text of a 334 AUTH challenge, such as
	// "Username:" for "334 VXNlcm5hbWU6", when it decodes to printable
	// text; "" otherwise.
	Decoded string
}

// TraceFunc receives every wire line. It runs on the caller's goroutine and
// must not call back into the Client.
type TraceFunc func(TraceEvent)

// decodeChallengeLine decodes the text of a "334 ..." line when it is
// base64 of printable text, so a trace can show what the server asked.
func decodeChallengeLine(line string) string {
	text := strings.TrimSpace(strings.TrimPrefix(line[3:], " "))
	if text == "" {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return ""
	}
	s := string(b)
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return ""
		}
	}
	return s
}
