package smtpwire_test

import (
	"context"
	"io"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
)

// Transcripts recorded from real servers (testdata/transcripts/real-*.txt),
// replayed offline. Each session below is the exact sequence of client
// calls that produced its transcript: TestRecordRealTranscripts
// (integration_record_test.go, build tag integration) drives the same
// function against the server started by scripts/servers.sh, with the real
// password, and checks or rewrites the file; here the replay server plays
// the server's side back and checks every line the client writes. The
// assertions hold for both, so they describe the real server's dialect.

// realSession is one recorded session against a real server.
type realSession struct {
	file     string
	server   string // which server, for the recorder's comments
	implicit bool
	// run drives the client; user and password are the real ones when
	// recording, anything when replaying (the transcript redacts them).
	run func(user, password string) func(t *testing.T, ctx context.Context, c *smtpwire.Client) error
}

// realMessage is the short message every recorded session sends: a line
// that starts with a dot shows the stuffing on the wire.
const realMessage = "From: <tester@example.test>\r\n" +
	"To: <tester@example.test>\r\n" +
	"Subject: smtpsh transcript\r\n" +
	"Date: Sun, 22 Nov 2026 08:00:00 +0000\r\n" +
	"Message-ID: <real-transcript@client.example.com>\r\n" +
	"\r\n" +
	"Hello from smtpwire.\r\n" +
	".a line that starts with a dot\r\n"

const realUser = "tester@example.test"

// realSend sends realMessage from and to the test user, then QUIT.
func realSend(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
	if err := c.Mail(ctx, realUser, nil); err != nil {
		return err
	}
	if err := c.Rcpt(ctx, realUser, nil); err != nil {
		return err
	}
	w, err := c.Data(ctx)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, realMessage); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	verdict := c.LastReply()
	if err := c.Quit(ctx); err != nil {
		return err
	}
	assert.Equal(t, 250, verdict.Code)
	assert.Equal(t, smtpwire.StateClosed, c.State())
	return nil
}

var realSessions = []realSession{
	{
		file:   "real-postfix-submission.txt",
		server: "postfix-submission",
		run: func(user, password string) func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
			return func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
				assert.Equal(t, "220 mx.smtpsh.test ESMTP Postfix (smtpsh test instance)", c.Greeting().Raw[0])
				if err := c.Hello(ctx, ""); err != nil {
					return err
				}
				assert.True(t, c.Extensions().StartTLS())
				assert.Empty(t, c.Extensions().AuthMechanisms(), "no AUTH before TLS")
				assert.True(t, c.Extensions().Chunking())
				if err := c.StartTLS(ctx); err != nil {
					return err
				}
				assert.True(t, c.TLS())
				assert.Equal(t, []string{"PLAIN", "LOGIN"}, c.Extensions().AuthMechanisms())
				if err := c.Auth(ctx, smtpwire.PlainAuth("", user, password)); err != nil {
					return err
				}
				assert.Equal(t, "2.7.0 Authentication successful", c.LastReply().Lines[0])
				if err := realSend(t, ctx, c); err != nil {
					return err
				}
				return nil
			}
		},
	},
	{
		file:     "real-postfix-smtps.txt",
		server:   "postfix-smtps",
		implicit: true,
		run: func(user, password string) func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
			return func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
				info, ok := c.TLSInfo()
				assert.True(t, ok && info.Implicit, "TLS before the greeting")
				if err := c.Hello(ctx, ""); err != nil {
					return err
				}
				assert.False(t, c.Extensions().StartTLS())
				assert.Equal(t, []string{"PLAIN", "LOGIN"}, c.Extensions().AuthMechanisms())
				if err := c.Auth(ctx, smtpwire.LoginAuth(user, password)); err != nil {
					return err
				}
				assert.True(t, c.Authenticated())
				return realSend(t, ctx, c)
			}
		},
	},
	{
		file:   "real-aiosmtpd.txt",
		server: "aiosmtpd",
		run: func(user, password string) func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
			return func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
				assert.Regexp(t, `^220 aiosmtpd\.smtpsh\.test Python SMTP \d`, c.Greeting().Raw[0])
				if err := c.Hello(ctx, ""); err != nil {
					return err
				}
				assert.True(t, c.Extensions().StartTLS())
				if err := c.StartTLS(ctx); err != nil {
					return err
				}
				assert.Equal(t, []string{"LOGIN", "PLAIN"}, c.Extensions().AuthMechanisms())
				// aiosmtpd asks "User Name" and "Password" with a NUL at the
				// end of each challenge: LOGIN still answers in order.
				if err := c.Auth(ctx, smtpwire.LoginAuth(user, password)); err != nil {
					return err
				}
				assert.Equal(t, "2.7.0 Authentication successful", c.LastReply().Lines[0])
				return realSend(t, ctx, c)
			}
		},
	},
	{
		file:   "real-smtp-sink.txt",
		server: "smtp-sink",
		run: func(user, password string) func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
			return func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
				assert.Equal(t, "220 sink.smtpsh.test ESMTP", c.Greeting().Raw[0])
				if err := c.Hello(ctx, ""); err != nil {
					return err
				}
				ext := c.Extensions()
				assert.False(t, ext.StartTLS(), "smtp-sink offers no STARTTLS")
				assert.Equal(t, []string{"PLAIN", "LOGIN"}, ext.AuthMechanisms())
				// smtp-sink announces AUTH without TLS (smtpwire sends it: the
				// server is on loopback) and answers it like any command, with
				// 250 instead of RFC 4954's 235: smtpwire reports that as a
				// *ReplyError and the session goes on unauthenticated.
				err := c.Auth(ctx, smtpwire.PlainAuth("", user, password))
				var re *smtpwire.ReplyError
				if assert.ErrorAs(t, err, &re) {
					assert.Equal(t, "250 2.0.0 Ok", re.Reply.Raw[0])
					assert.Equal(t, "AUTH PLAIN", re.Command)
				}
				assert.False(t, c.Authenticated())
				return realSend(t, ctx, c)
			}
		},
	},
}

func replayReal(t *testing.T, file string) {
	for _, s := range realSessions {
		if s.file == file {
			replay(t, file, session{implicit: s.implicit, run: s.run(realUser, "not the real password")})
			return
		}
	}
	t.Fatalf("no session for %s", file)
}

func TestRealTranscriptPostfixSubmission(t *testing.T) {
	replayReal(t, "real-postfix-submission.txt")
}

func TestRealTranscriptPostfixSMTPS(t *testing.T) {
	replayReal(t, "real-postfix-smtps.txt")
}

func TestRealTranscriptAiosmtpd(t *testing.T) {
	replayReal(t, "real-aiosmtpd.txt")
}

func TestRealTranscriptSmtpSink(t *testing.T) {
	replayReal(t, "real-smtp-sink.txt")
}
