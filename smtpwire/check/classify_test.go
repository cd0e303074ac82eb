package check

import (
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reply(t *testing.T, lines ...string) *smtpwire.Reply {
	t.Helper()
	r, err := smtpwire.ParseReply(lines)
	require.NoError(t, err)
	return r
}

// The replies are the ones real providers send, where known.
func TestCheckClassifyAuth(t *testing.T) {
	tests := []struct {
		line  string
		inTLS bool
		want  string
	}{
		{"535 5.7.8 Authentication credentials invalid", true, AuthBadCredentials},
		{"535 Login Fail. Please enter your authorization code to login.", true, AuthBadCredentials}, // QQ
		{"535 Error: authentication failed", true, AuthBadCredentials},                               // 163
		{"535 5.7.3 Authentication unsuccessful", true, AuthBadCredentials},                          // Outlook
		{"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", true, AuthBasicDisabled},
		{"534 5.7.9 Application-specific password required.", true, AuthTooWeak}, // Gmail
		{"538 5.7.11 Encryption required for requested authentication mechanism", false, AuthRequiresTLS},
		{"530 5.7.0 Must issue a STARTTLS command first", false, AuthRequiresTLS},
		{"530 5.7.0 Authentication required", true, AuthRejected},
		{"504 5.5.4 Unrecognized authentication type", true, AuthMechanismUnsupported},
		{"454 4.7.0 Temporary authentication failure", true, AuthTemporary},
		{"421 4.7.0 Too many login failures", true, SessionClosing},
		{"550 5.7.13 User account disabled", true, AuthRejected},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classifyAuth(reply(t, tt.line), tt.inTLS), tt.line)
	}
}

func TestCheckClassifyMail(t *testing.T) {
	tests := []struct {
		line   string
		authed bool
		want   string
	}{
		{"501 mail from address must be same as authorization user", true, EnvelopeSenderNotOwned}, // QQ
		{"553 Mail from must equal authorized user", true, EnvelopeSenderNotOwned},                 // 163
		{"553 5.7.1 <a@b.c>: Sender address rejected: not owned by user me@b.c", true, EnvelopeSenderNotOwned},
		{"550 5.7.60 SMTP; Client does not have permissions to send as this sender (SendAsDenied)", true, EnvelopeSenderNotOwned},
		{"550 5.7.1 Sender rejected", true, EnvelopeSenderNotOwned},
		{"550 5.7.1 Sender rejected", false, EnvelopeSenderRejected},
		{"501 5.1.7 Bad sender address syntax", true, EnvelopeSenderSyntax},
		{"530 5.7.0 Authentication required", false, EnvelopeAuthRequired},
		{"503 Error: need EHLO and AUTH first !", false, EnvelopeAuthRequired}, // QQ
		{"451 4.7.1 Greylisted, try again in 5 minutes", false, EnvelopeGreylisted},
		{"452 4.3.1 Insufficient system storage", true, EnvelopeTemporary},
		{"421 4.7.0 closing", true, SessionClosing},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classifyMail(reply(t, tt.line), tt.authed), tt.line)
	}
}

func TestCheckClassifyRcpt(t *testing.T) {
	tests := []struct{ line, want string }{
		{"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown", EnvelopeUnknownRecipient},
		{"550 Mailbox not found or access denied", EnvelopeUnknownRecipient},
		{"554 5.7.1 <x@example.org>: Relay access denied", EnvelopeRelayDenied},
		{"550 5.7.1 Unable to relay", EnvelopeRelayDenied},
		{"450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", EnvelopeGreylisted},
		{"451 4.7.1 Please try again later", EnvelopeTemporary},
		{"452 4.5.3 Too many recipients", EnvelopeTemporary},
		{"530 5.7.0 Authentication required", EnvelopeAuthRequired},
		{"553 5.1.3 Bad recipient address syntax", EnvelopeRecipientRefused},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classifyRcpt(reply(t, tt.line), true), tt.line)
	}
}

func TestCheckSessionProblem(t *testing.T) {
	assert.Equal(t, SessionTimeout, sessionProblem(fmt.Errorf("smtpwire: EHLO: no reply within 1s: %w", os.ErrDeadlineExceeded)))
	assert.Equal(t, SessionClosed, sessionProblem(fmt.Errorf("smtpwire: EHLO: server closed the connection: %w", io.EOF)))
	assert.Equal(t, SessionClosed, sessionProblem(&smtpwire.ProtocolError{Reason: "closed mid-line", Line: "25", Err: io.ErrUnexpectedEOF}))
	assert.Equal(t, SessionGarbage, sessionProblem(&smtpwire.ProtocolError{Reason: "bad code", Line: "HTTP/1.1 400"}))
}

func TestCheckLooksTLSAndSMTP(t *testing.T) {
	assert.True(t, looksTLS([]byte("\x15\x03\x01\x00\x02\x02\x28")))
	assert.True(t, looksTLS([]byte("\x16\x03\x03\x00\x7a")))
	assert.False(t, looksTLS([]byte("220 mx")))
	assert.True(t, looksSMTP([]byte("220 m")))
	assert.False(t, looksSMTP([]byte("HTTP/")))
}
