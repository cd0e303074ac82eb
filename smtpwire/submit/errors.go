package submit

import (
	"errors"
	"fmt"
)

// Stage names a step of a session.
type Stage string

// The stages, in the order a session goes through them.
const (
	StageConnect  Stage = "connect"  // TCP, and the TLS handshake of implicit TLS
	StageGreeting Stage = "greeting" // the server's 220
	StageHello    Stage = "ehlo"     // EHLO, or HELO after 500/502
	StageStartTLS Stage = "starttls" // STARTTLS, the handshake, EHLO again
	StageAuth     Stage = "auth"     // AUTH
	StageMail     Stage = "mail"     // MAIL FROM
	StageRcpt     Stage = "rcpt"     // RCPT TO
	StageData     Stage = "data"     // DATA or BDAT until the message is written
	StageMessage  Stage = "message"  // the server's verdict on the message
	StageQuit     Stage = "quit"     // QUIT
)

// Error is a failure at one stage. Err is the cause: a
// *smtpwire.ReplyError when the server said no, one of the errors below
// for a local refusal, or an I/O or protocol error.
type Error struct {
	Stage Stage
	Err   error
}

func (e *Error) Error() string { return fmt.Sprintf("submit: %s: %v", e.Stage, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func stageErr(st Stage, err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	return &Error{Stage: st, Err: err}
}

// Local refusals: nothing was sent that the server would have refused or
// that the policy forbids.
var (
	// ErrNoStartTLS: TLS is required, and the server does not offer
	// STARTTLS (or refused it).
	ErrNoStartTLS = errors.New("TLS is required and the server does not offer STARTTLS: refusing to go on in plain text")
	// ErrTooLarge: the message is larger than the server's SIZE limit.
	ErrTooLarge = errors.New("the message is larger than the server accepts (SIZE, RFC 1870)")
	// Err8BitUnsupported: the message has 8-bit content and the server
	// does not offer 8BITMIME (RFC 6152).
	Err8BitUnsupported = errors.New("the message has 8-bit content and the server does not offer 8BITMIME (RFC 6152)")
	// ErrBinaryUnsupported: the message is binary (NUL bytes or lines
	// over 998 octets) and the server does not offer BINARYMIME with
	// CHUNKING (RFC 3030).
	ErrBinaryUnsupported = errors.New("the message is binary and the server does not offer BINARYMIME and CHUNKING (RFC 3030)")
	// ErrUTF8Unsupported: an address is not ASCII and the server does not
	// offer SMTPUTF8 (RFC 6531).
	ErrUTF8Unsupported = errors.New("an address is not ASCII and the server does not offer SMTPUTF8 (RFC 6531)")
	// ErrDSNUnsupported: DSN parameters were asked for and the server does
	// not offer DSN (RFC 3461).
	ErrDSNUnsupported = errors.New("DSN parameters were asked for and the server does not offer DSN (RFC 3461)")
	// ErrChunkingUnsupported: BDAT was forced and the server does not
	// offer CHUNKING (RFC 3030).
	ErrChunkingUnsupported = errors.New("BDAT was asked for and the server does not offer CHUNKING (RFC 3030)")
	// ErrRequireTLS: REQUIRETLS was asked for, and TLS is not verified or
	// the server does not offer REQUIRETLS (RFC 8689 §4.1).
	ErrRequireTLS = errors.New("REQUIRETLS needs verified TLS and a server that offers REQUIRETLS (RFC 8689)")
	// ErrNoRecipients: every recipient was refused.
	ErrNoRecipients = errors.New("every recipient was refused")
	// ErrNoAuth: the server offers no AUTH that can be used.
	ErrNoAuth = errors.New("the server offers no AUTH mechanism this session can use")
)
