package smtpwire_test

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite failing transcripts from what the client sent")

const transcripts = "../testdata/transcripts"

// session is one golden test: the transcript it replays and the client
// calls that must produce it. Expected failures are asserted inside run
// with assert, never require: run is called by smtptest.Replay, and a
// FailNow there would skip the replay server's own report. run returns
// only unexpected errors.
type session struct {
	implicit bool
	config   func(cfg *smtpwire.Config, addr string) string // may change cfg; returns the address to dial
	run      func(t *testing.T, ctx context.Context, c *smtpwire.Client) error
	dialErr  func(t *testing.T, err error) // for sessions that end inside Dial
}

func replay(t *testing.T, file string, s session) {
	smtptest.Replay(t, filepath.Join(transcripts, file), *update, func(addr string, tlsConf *tls.Config) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cfg := &smtpwire.Config{
			LocalName:   "client.example.com",
			ImplicitTLS: s.implicit,
			TLSConfig:   tlsConf,
			Timeouts:    smtpwire.Timeouts{Greeting: 5 * time.Second, Command: 5 * time.Second},
		}
		if s.config != nil {
			addr = s.config(cfg, addr)
		}
		c, err := smtpwire.Dial(ctx, addr, cfg)
		if s.dialErr != nil {
			s.dialErr(t, err)
			return nil
		}
		if err != nil {
			return err
		}
		defer c.Close()
		return s.run(t, ctx, c)
	})
}

func TestTranscriptSeedAliMail(t *testing.T) {
	replay(t, "seed-alimail-auth-login.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		assert.Equal(t, "220 smtp.aliyun-inc.com MX AliMail Server(127.0.0.1)", c.Greeting().Raw[0])
		if err := c.Hello(ctx, "test.com"); err != nil {
			return err
		}
		ext := c.Extensions()
		assert.Equal(t, []string{"PLAIN", "LOGIN", "XALIOAUTH"}, ext.AuthMechanisms())
		assert.True(t, ext.Pipelining())
		assert.True(t, ext.DSN())
		assert.True(t, ext.EightBitMIME())
		if err := c.Auth(ctx, smtpwire.LoginAuth("test@test.com", "test")); err != nil {
			return err
		}
		assert.True(t, c.Authenticated())
		assert.Equal(t, smtpwire.StateAuthenticated, c.State())
		// Typed as in the guide, with a space after the colon: Cmd sends it as is.
		for _, line := range []string{"MAIL FROM: <test@test.com>", "RCPT TO: <test@test.com>", "DATA"} {
			r, err := c.Cmd(ctx, line)
			if err != nil {
				return err
			}
			assert.True(t, r.Positive(), r.String())
		}
		assert.Equal(t, smtpwire.StateData, c.State())
		w, err := c.DataWriter(ctx)
		if err != nil {
			return err
		}
		io.WriteString(w, "subject: test\nfrom: <test@test.com>\nto: <test@test.com>\n\ntest\n")
		if err := w.Close(); err != nil {
			return err
		}
		assert.Equal(t, "Data Ok: queued as freedom ###envid=148316944", c.LastReply().Message())
		assert.Equal(t, smtpwire.StateAuthenticated, c.State())
		if err := c.Quit(ctx); err != nil {
			return err
		}
		assert.Equal(t, smtpwire.StateClosed, c.State())
		return nil
	}})
}

func TestTranscriptEHLORejectedFallsBackToHELO(t *testing.T) {
	replay(t, "ehlo-rejected-helo.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		assert.Equal(t, smtpwire.StateHello, c.State())
		assert.Empty(t, c.Extensions().Keywords(), "HELO announces no extensions")
		return c.Quit(ctx)
	}})
}

func TestTranscriptMultilineReplies(t *testing.T) {
	replay(t, "reply-multiline.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		assert.Len(t, c.Greeting().Lines, 3)
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		size, ok := c.Extensions().Size()
		assert.True(t, ok)
		assert.Equal(t, int64(35882577), size)
		assert.True(t, c.Extensions().Chunking())
		assert.True(t, c.Extensions().SMTPUTF8())
		assert.True(t, c.Extensions().EnhancedStatusCodes())
		help, err := c.Help(ctx, "")
		if err != nil {
			return err
		}
		assert.Equal(t, "2.0.0", help.Enhanced.String())
		assert.Len(t, help.Lines, 3)
		if err := c.Mail(ctx, "sender@example.com", nil); err != nil {
			return err
		}
		err = c.Rcpt(ctx, "nobody@example.com", nil)
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 550, re.Code)
		assert.Equal(t, "5.1.1", re.Enhanced.String())
		assert.Equal(t, "RCPT TO:<nobody@example.com>", re.Command)
		assert.Len(t, re.Reply.Raw, 3)
		assert.Contains(t, re.Reply.Message(), "does not exist.\nPlease try")
		return c.Quit(ctx)
	}})
}

func TestTranscriptAuthPlain(t *testing.T) {
	replay(t, "auth-plain-initial-response.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		if err := c.Auth(ctx, smtpwire.PlainAuth("", "user@example.com", "secret")); err != nil {
			return err
		}
		assert.True(t, c.Authenticated())
		return c.Quit(ctx)
	}})
}

func TestTranscriptAuthLogin(t *testing.T) {
	replay(t, "auth-login.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		if err := c.Auth(ctx, smtpwire.LoginAuth("user@example.com", "not in the transcript")); err != nil {
			return err
		}
		return c.Quit(ctx)
	}})
}

func TestTranscriptAuthWrongPassword(t *testing.T) {
	replay(t, "auth-wrong-password.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		err := c.Auth(ctx, smtpwire.PlainAuth("", "user@example.com", "wrong"))
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 535, re.Code)
		assert.Equal(t, smtpwire.EnhancedCode{Class: 5, Subject: 7, Detail: 8}, re.Enhanced)
		assert.Equal(t, "AUTH PLAIN", re.Command, "the error names the mechanism, never the credentials")
		assert.False(t, c.Authenticated())
		assert.Equal(t, smtpwire.StateHello, c.State())
		return c.Quit(ctx)
	}})
}

func TestTranscriptAuthRefusedWithoutTLS(t *testing.T) {
	replay(t, "auth-refused-without-tls.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		assert.True(t, c.Extensions().StartTLS())
		assert.Empty(t, c.Extensions().AuthMechanisms())
		err := c.Auth(ctx, smtpwire.PlainAuth("", "user@example.com", "secret"))
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 530, re.Code)
		return c.Quit(ctx)
	}})
}

func TestTranscriptClientRefusesPlaintextAuth(t *testing.T) {
	replay(t, "auth-client-refuses-plaintext.txt", session{
		config: func(cfg *smtpwire.Config, addr string) string {
			// Dial a name that is not loopback; the dialer still reaches the replay server.
			cfg.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			return "smtp.example.com:587"
		},
		run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
			if err := c.Hello(ctx, ""); err != nil {
				return err
			}
			assert.ErrorIs(t, c.Auth(ctx, smtpwire.PlainAuth("", "user", "secret")), smtpwire.ErrInsecureAuth)
			return c.Quit(ctx)
		},
	})
}

func TestTranscriptAuthCancel(t *testing.T) {
	replay(t, "auth-cancel-bad-challenge.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		err := c.Auth(ctx, smtpwire.LoginAuth("user", "secret"))
		if !assert.Error(t, err) {
			return nil
		}
		assert.Contains(t, err.Error(), "cancelled")
		assert.Contains(t, err.Error(), "not base64")
		assert.Equal(t, smtpwire.StateHello, c.State(), "the session goes on after a cancelled AUTH")
		return c.Quit(ctx)
	}})
}

func TestTranscriptStartTLS(t *testing.T) {
	replay(t, "starttls-reehlo.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		assert.True(t, c.Extensions().Has("SIZE"))
		assert.False(t, c.TLS())
		if err := c.StartTLS(ctx); err != nil {
			return err
		}
		assert.True(t, c.TLS())
		info, ok := c.TLSInfo()
		if !assert.True(t, ok) {
			return nil
		}
		assert.True(t, info.Verified)
		assert.False(t, info.Implicit)
		assert.Equal(t, "TLS 1.3", info.Version())
		assert.NotEmpty(t, info.CipherSuite())
		assert.NotEmpty(t, info.State.PeerCertificates)
		assert.False(t, c.Extensions().Has("SIZE"), "what was learnt before TLS is forgotten")
		assert.True(t, c.Extensions().SupportsAuth("PLAIN"), "the fresh EHLO was read")
		if err := c.Auth(ctx, smtpwire.PlainAuth("", "user@example.com", "secret")); err != nil {
			return err
		}
		return c.Quit(ctx)
	}})
}

func TestTranscriptStartTLSInjection(t *testing.T) {
	replay(t, "starttls-injection.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		err := c.StartTLS(ctx)
		var inj *smtpwire.StartTLSInjectionError
		if !assert.ErrorAs(t, err, &inj) {
			return nil
		}
		assert.Equal(t, "250-injected.example.com\r\n250 AUTH PLAIN\r\n", string(inj.Data))
		assert.Equal(t, smtpwire.StateBroken, c.State())
		_, err = c.Cmd(ctx, "NOOP")
		var be *smtpwire.BrokenError
		assert.ErrorAs(t, err, &be)
		return nil
	}})
}

func TestTranscriptImplicitTLS(t *testing.T) {
	replay(t, "implicit-tls.txt", session{implicit: true, run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		info, ok := c.TLSInfo()
		if !assert.True(t, ok, "TLS from the first byte") {
			return nil
		}
		assert.True(t, info.Implicit)
		assert.True(t, info.Verified)
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		if err := c.Auth(ctx, smtpwire.LoginAuth("noreply@mail.example.com", "secret")); err != nil {
			return err
		}
		return sendMessage(ctx, c, "noreply@mail.example.com", []string{"user@example.com"}, "Subject: hello over TLS\r\n\r\nsent over port 465\r\n")
	}})
}

// helloMail says EHLO and opens a transaction from sender@example.com.
func helloMail(ctx context.Context, c *smtpwire.Client) error {
	if err := c.Hello(ctx, ""); err != nil {
		return err
	}
	return c.Mail(ctx, "sender@example.com", nil)
}

// sendMessage runs one transaction and QUIT with the verb methods.
func sendMessage(ctx context.Context, c *smtpwire.Client, from string, to []string, body string) error {
	if err := c.Mail(ctx, from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(ctx, rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data(ctx)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit(ctx)
}

func TestTranscriptRcptRejectedSessionGoesOn(t *testing.T) {
	replay(t, "rcpt-rejected-continue.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := helloMail(ctx, c); err != nil {
			return err
		}
		err := c.Rcpt(ctx, "nobody@example.com", nil)
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 550, re.Code)
		assert.False(t, re.Temporary())
		assert.Equal(t, smtpwire.StateMail, c.State(), "no recipient accepted yet")
		if err := c.Rcpt(ctx, "user@example.com", nil); err != nil {
			return err
		}
		assert.Equal(t, smtpwire.StateRcpt, c.State())
		w, err := c.Data(ctx)
		if err != nil {
			return err
		}
		io.WriteString(w, "Subject: partial delivery\r\n\r\nonly user@example.com gets this\r\n")
		if err := w.Close(); err != nil {
			return err
		}
		assert.Error(t, w.Close(), "a second Close is an error, not a second terminator")
		return c.Quit(ctx)
	}})
}

func TestTranscriptTemporaryFailure(t *testing.T) {
	replay(t, "temp-failure-4xx.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := helloMail(ctx, c); err != nil {
			return err
		}
		err := c.Rcpt(ctx, "user@example.com", nil)
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.True(t, re.Temporary())
		assert.Equal(t, "4.2.0", re.Enhanced.String())
		if err := c.Rset(ctx); err != nil {
			return err
		}
		assert.Equal(t, smtpwire.StateHello, c.State())
		return c.Quit(ctx)
	}})
}

func TestTranscriptShutdown421(t *testing.T) {
	replay(t, "shutdown-421.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := helloMail(ctx, c); err != nil {
			return err
		}
		err := c.Rcpt(ctx, "user@example.com", nil)
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 421, re.Code)
		assert.Equal(t, smtpwire.StateClosed, c.State())
		assert.ErrorIs(t, c.Noop(ctx), smtpwire.ErrClosed)
		return nil
	}})
}

func TestTranscriptDotStuffing(t *testing.T) {
	replay(t, "data-dot-stuffing.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		// Written in pieces that split lines, to show the state carries over.
		return sendPieces(ctx, c, "Subject: dots\r\n\r\n.hid", "den\r\n", ".\r", "\n..two\r\na line\r\n.", "\r\nno final line break")
	}})
}

func TestTranscriptBareLineEndings(t *testing.T) {
	replay(t, "data-bare-lf.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		return sendPieces(ctx, c, "Subject: line endings\n\nunix line\n.\nMAIL FROM:<smuggled@example.com>\rold mac line\r.\rwindows line\r\n")
	}})
}

func sendPieces(ctx context.Context, c *smtpwire.Client, pieces ...string) error {
	if err := c.Mail(ctx, "sender@example.com", nil); err != nil {
		return err
	}
	if err := c.Rcpt(ctx, "user@example.com", nil); err != nil {
		return err
	}
	w, err := c.Data(ctx)
	if err != nil {
		return err
	}
	for _, p := range pieces {
		if _, err := io.WriteString(w, p); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit(ctx)
}

func TestTranscriptMalformedReply(t *testing.T) {
	replay(t, "reply-malformed.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, "test.com"); err != nil {
			return err
		}
		err := sendPieces(ctx, c, "test\n")
		var pe *smtpwire.ProtocolError
		if !assert.ErrorAs(t, err, &pe) {
			return nil
		}
		assert.Equal(t, "Data Ok: queued as freedom ###envid=148316944", pe.Line)
		assert.Contains(t, err.Error(), "three-digit code")
		assert.Equal(t, smtpwire.StateBroken, c.State())
		return nil
	}})
}

func TestTranscriptLineTooLong(t *testing.T) {
	replay(t, "reply-line-too-long.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		err := c.Hello(ctx, "")
		if !assert.ErrorIs(t, err, smtpwire.ErrLineTooLong) {
			return nil
		}
		assert.Contains(t, err.Error(), "longer than 4096 bytes")
		assert.Equal(t, smtpwire.StateBroken, c.State())
		return nil
	}})
}

func TestTranscriptOtherVerbs(t *testing.T) {
	replay(t, "verbs-other.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		r, err := c.Vrfy(ctx, "postmaster")
		if err != nil {
			return err
		}
		assert.Equal(t, 252, r.Code)
		r, err = c.Expn(ctx, "staff")
		if err != nil {
			return err
		}
		assert.Equal(t, []string{"Alice <alice@example.com>", "Bob <bob@example.com>"}, r.Lines)
		if _, err := c.Help(ctx, "MAIL"); err != nil {
			return err
		}
		if err := c.Noop(ctx); err != nil {
			return err
		}
		if err := c.Mail(ctx, "sender@example.com", nil); err != nil {
			return err
		}
		assert.True(t, c.State().InTransaction())
		if err := c.Rset(ctx); err != nil {
			return err
		}
		assert.False(t, c.State().InTransaction())
		_, err = c.Vrfy(ctx, "nobody")
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 550, re.Code)
		return c.Quit(ctx)
	}})
}

func TestTranscriptMailParameters(t *testing.T) {
	replay(t, "mail-params.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		err := c.Mail(ctx, "sender@example.com", &smtpwire.MailOptions{Size: 1234, Body: "8BITMIME", SMTPUTF8: true, Return: "HDRS", EnvID: "QQ+1=x"})
		if err != nil {
			return err
		}
		if err := c.Rcpt(ctx, "user@example.com", &smtpwire.RcptOptions{Notify: []string{"SUCCESS", "FAILURE"}, ORcpt: "user+tag@example.com"}); err != nil {
			return err
		}
		if err := c.Rset(ctx); err != nil {
			return err
		}
		return c.Quit(ctx)
	}})
}

func TestTranscriptGreeting554(t *testing.T) {
	replay(t, "greeting-554.txt", session{dialErr: func(t *testing.T, err error) {
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return
		}
		assert.Equal(t, 554, re.Code)
		assert.Equal(t, "greeting", re.Command)
	}})
}

func TestTranscriptDataRejected(t *testing.T) {
	replay(t, "data-rejected-552.txt", session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		err := sendPieces(ctx, c, "Subject: big\r\n\r\nthis message is more than one hundred octets long, which is more than the server said it would take\r\n")
		var re *smtpwire.ReplyError
		if !assert.ErrorAs(t, err, &re) {
			return nil
		}
		assert.Equal(t, 552, re.Code)
		assert.Equal(t, smtpwire.StateHello, c.State(), "the transaction ended with the verdict")
		if err := c.Mail(ctx, "sender@example.com", nil); err != nil {
			return err
		}
		return c.Quit(ctx)
	}})
}

// Every transcript in testdata/transcripts has a test above.
func TestEveryTranscriptIsReplayed(t *testing.T) {
	var src []byte
	for _, name := range []string{"transcript_test.go", "real_transcript_test.go", "submit/submit_test.go", "submit/lmtp_test.go", "auth_mech_test.go", "lmtp_test.go"} {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		src = append(src, b...)
	}
	files, err := filepath.Glob(filepath.Join(transcripts, "*.txt"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 15)
	for _, f := range files {
		assert.Contains(t, string(src), fmt.Sprintf("%q", filepath.Base(f)), "no test replays %s", f)
	}
}
