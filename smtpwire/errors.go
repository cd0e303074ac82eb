package smtpwire

import (
	"errors"
	"fmt"
	"strings"
)

// ReplyError is returned by the verb methods (Hello, Mail, Rcpt, Data, ...)
// when the server answered with a negative (4yz or 5yz) reply, or with a
// positive reply the command does not expect. The connection stays usable
// unless the code is 421.
type ReplyError struct {
	Command  string       // the command line sent, secrets redacted
	Code     int          // reply code
	Enhanced EnhancedCode // RFC 3463 code, zero when absent
	Reply    *Reply       // the whole reply, raw lines included
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("smtpwire: %s: server replied %s", e.Command, strings.Join(e.Reply.Raw, " / "))
}

// Temporary reports a 4yz reply: the same command may succeed later.
func (e *ReplyError) Temporary() bool { return e.Reply.Temporary() }

// ProtocolError reports a reply that does not follow RFC 5321 §4.2 or
// breaks a limit: the server sent garbage. The connection is out of sync
// afterwards.
type ProtocolError struct {
	Reason string // what was wrong
	Line   string // the offending line, possibly truncated; may be empty
	Err    error  // underlying cause, such as ErrLineTooLong; may be nil
}

func (e *ProtocolError) Unwrap() error { return e.Err }

func (e *ProtocolError) Error() string {
	if e.Line == "" {
		return "smtpwire: protocol error: " + e.Reason
	}
	l := e.Line
	if len(l) > 120 {
		l = l[:120] + "..."
	}
	return fmt.Sprintf("smtpwire: protocol error: %s: %q", e.Reason, l)
}

// ErrLineBreak is returned, before anything is written, when a command
// argument holds CR or LF: it would let the argument smuggle a second
// command onto the wire.
var ErrLineBreak = errors.New("smtpwire: argument contains CR or LF")

// ErrLineTooLong reports a reply line longer than Config.MaxLineLength.
// It is wrapped in a *ProtocolError.
var ErrLineTooLong = errors.New("smtpwire: reply line too long")

// ErrClosed is returned by calls on a client after Close, QUIT or a 421.
var ErrClosed = errors.New("smtpwire: connection closed")

// ErrInsecureAuth is returned by Auth when the connection is not protected
// by TLS and the caller did not allow plaintext credentials.
var ErrInsecureAuth = errors.New("smtpwire: refusing to send credentials over an unencrypted connection (use TLS, or set Config.AllowInsecureAuth)")

// BrokenError is returned by every call once the connection is out of
// sync: after an I/O error, a timeout, a cancelled context in the middle of
// an exchange, or a malformed reply. Cause is the first failure.
type BrokenError struct {
	Cause error
}

func (e *BrokenError) Error() string {
	return "smtpwire: connection out of sync after an earlier failure: " + e.Cause.Error()
}

func (e *BrokenError) Unwrap() error { return e.Cause }

// StartTLSInjectionError reports bytes the server sent after its 220 reply
// to STARTTLS and before the TLS handshake (RFC 3207 §6, CVE-2011-0411
// class). They were not read as replies; the connection is closed.
type StartTLSInjectionError struct {
	Data []byte // the injected bytes (up to the reader's buffer)
}

func (e *StartTLSInjectionError) Error() string {
	return fmt.Sprintf("smtpwire: server sent %d bytes after its STARTTLS reply and before the TLS handshake: %q (possible command injection; connection closed)", len(e.Data), e.Data)
}

// StateError reports a verb method called in a state where it makes no
// sense (for example Rcpt before Mail). Nothing was written.
type StateError struct {
	Command string
	State   State
	Reason  string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("smtpwire: %s not allowed in state %s: %s", e.Command, e.State, e.Reason)
}

// ErrUnexpectedReply reports bytes from the server waiting before a
// command was sent: a reply to no command, which would otherwise be taken
// as the answer to the next one. It is wrapped in a *ProtocolError.
var ErrUnexpectedReply = errors.New("smtpwire: the server sent a reply before the command was sent")
