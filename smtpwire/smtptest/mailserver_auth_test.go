package smtptest_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

var testUsers = map[string]string{"alice": "s3cret", "bob": "hunter2"}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// requireReplyError checks that err is a *smtpwire.ReplyError with the
// raw reply want.
func requireReplyError(t *testing.T, err error, want string) {
	t.Helper()
	var re *smtpwire.ReplyError
	require.True(t, errors.As(err, &re), "want a *ReplyError, got %v", err)
	assert.Equal(t, want, re.Reply.String())
}

func TestMailServerAuthPlain(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	auth, _ := c.Extensions().Param("AUTH")
	assert.Equal(t, "PLAIN LOGIN", auth)

	require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "s3cret")))
	assert.Equal(t, "235 2.7.0 Authentication successful", c.LastReply().String())
	assert.Equal(t, "503 5.5.1 Already authenticated", cmd(t, c, "AUTH PLAIN "+b64("\x00bob\x00hunter2")))
	require.NoError(t, sendMessage(t, c, "alice@example.com", []string{"b@example.com"}, "x\r\n"))
	assert.Equal(t, "alice", srv.Messages()[0].AuthUser)
}

func TestMailServerAuthPlainWithoutInitialResponse(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers})
	c := dialMail(t, srv.Addr(), nil)
	cmd(t, c, "EHLO client.test")
	// RFC 4954 §4: an empty challenge is "334 " with its space.
	assert.Equal(t, "334 ", cmd(t, c, "auth plain"))
	assert.Equal(t, "235 2.7.0 Authentication successful", cmd(t, c, b64("alice\x00alice\x00s3cret")))
}

func TestMailServerAuthLogin(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.Auth(ctx, smtpwire.LoginAuth("bob", "hunter2")))
	require.NoError(t, sendMessage(t, c, "bob@example.com", []string{"b@example.com"}, "x\r\n"))
	assert.Equal(t, "bob", srv.Messages()[0].AuthUser)

	// The user name as an initial response, as some clients send it.
	c = dialMail(t, srv.Addr(), nil)
	cmd(t, c, "EHLO client.test")
	assert.Equal(t, "334 UGFzc3dvcmQ6", cmd(t, c, "AUTH LOGIN "+b64("alice")))
	assert.Equal(t, "235 2.7.0 Authentication successful", cmd(t, c, b64("s3cret")))
}

func TestMailServerAuthFailures(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	assert.Equal(t, "503 5.5.1 Error: send EHLO first", cmd(t, c, "AUTH PLAIN "+b64("\x00alice\x00s3cret")))
	require.NoError(t, c.Hello(ctx, "client.test"))

	invalid := "535 5.7.8 Authentication credentials invalid"
	requireReplyError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "wrong")), invalid)
	requireReplyError(t, c.Auth(ctx, smtpwire.PlainAuth("", "nobody", "s3cret")), invalid)
	requireReplyError(t, c.Auth(ctx, smtpwire.PlainAuth("bob", "alice", "s3cret")), invalid)
	requireReplyError(t, c.Auth(ctx, smtpwire.LoginAuth("alice", "s3cre")), invalid)

	for _, tc := range []struct{ line, want string }{
		{"AUTH LOGIN", "334 VXNlcm5hbWU6"},
		{"*", "501 5.7.0 Authentication cancelled"},
		{"AUTH LOGIN", "334 VXNlcm5hbWU6"},
		{b64("alice"), "334 UGFzc3dvcmQ6"},
		{"*", "501 5.7.0 Authentication cancelled"},
		{"AUTH PLAIN", "334 "},
		{"*", "501 5.7.0 Authentication cancelled"},
		{"AUTH PLAIN", "334 "},
		{"not base64!", "501 5.5.2 Invalid base64 data"},
		{"AUTH PLAIN ====", "501 5.5.2 Invalid base64 data"},
		{"AUTH PLAIN " + b64("alice:s3cret"), "501 5.5.2 Malformed PLAIN response"},
		{"AUTH PLAIN =", "501 5.5.2 Malformed PLAIN response"},
		{"AUTH PLAIN", "334 "},
		{strings.Repeat("QUFB", smtptest.MailAuthLineLimit/4+1), "500 5.5.6 Authentication Exchange line is too long"},
		{"AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication type"},
		{"AUTH", "501 5.5.4 Syntax: AUTH <mechanism> [initial-response]"},
		{"MAIL FROM:<a@example.com>", "250 2.1.0 Ok"},
		{"AUTH PLAIN " + b64("\x00alice\x00s3cret"), "503 5.5.1 AUTH not permitted during a mail transaction"},
		{"RSET", "250 2.0.0 Ok"},
		// A response at the RFC 4954 limit is read whole and judged.
		{"AUTH PLAIN", "334 "},
		{strings.Repeat("QUFB", smtptest.MailAuthLineLimit/4), "501 5.5.2 Malformed PLAIN response"},
	} {
		assert.Equal(t, tc.want, cmd(t, c, tc.line), tc.line)
	}
	assert.False(t, c.Authenticated())
	require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "s3cret")), "failures do not end the session")
}

func TestMailServerAuthRequiresTLS(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers, AuthRequiresTLS: true})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), trustingConfig())
	require.NoError(t, c.Hello(ctx, "client.test"))
	assert.False(t, c.Extensions().Has("AUTH"), "AUTH is not offered before TLS")
	requireReplyError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "s3cret")),
		"530 5.7.0 Must issue a STARTTLS command first")

	require.NoError(t, c.StartTLS(ctx))
	assert.True(t, c.Extensions().Has("AUTH"))
	require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "s3cret")))
	require.NoError(t, sendMessage(t, c, "alice@example.com", []string{"b@example.com"}, "x\r\n"))
	m := srv.Messages()[0]
	assert.True(t, m.TLS)
	assert.Equal(t, "alice", m.AuthUser)
}

func TestMailServerRequireAuth(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers, RequireAuth: true})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	requireReplyError(t, c.Mail(ctx, "alice@example.com", nil), "530 5.7.0 Authentication required")
	require.NoError(t, c.Auth(ctx, smtpwire.LoginAuth("alice", "s3cret")))
	// RFC 4954 §5: a server offering AUTH takes the AUTH= parameter.
	assert.Equal(t, "250 2.1.0 Ok", cmd(t, c, "MAIL FROM:<alice@example.com> AUTH=<>"))
	assert.Equal(t, "250 2.1.5 Ok", cmd(t, c, "RCPT TO:<b@example.com>"))
}
