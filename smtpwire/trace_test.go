package smtpwire_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
)

// traced replays file with a trace hook and returns the events seen.
func traced(t *testing.T, file string, secrets bool, run func(t *testing.T, ctx context.Context, c *smtpwire.Client) error) []smtpwire.TraceEvent {
	var events []smtpwire.TraceEvent
	replay(t, file, session{
		config: func(cfg *smtpwire.Config, addr string) string {
			cfg.Trace = func(ev smtpwire.TraceEvent) { events = append(events, ev) }
			cfg.TraceSecrets = secrets
			return addr
		},
		run: run,
	})
	return events
}

func lines(events []smtpwire.TraceEvent) string {
	var b strings.Builder
	for _, ev := range events {
		b.WriteString(ev.Dir.String() + ": " + ev.Line + "\n")
	}
	return b.String()
}

func TestTraceRedactsAuth(t *testing.T) {
	login := func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		if err := c.Auth(ctx, smtpwire.LoginAuth("user@example.com", "hunter2")); err != nil {
			return err
		}
		return c.Quit(ctx)
	}
	events := traced(t, "auth-login.txt", false, login)
	text := lines(events)
	assert.Contains(t, text, "C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: [redacted]\nS: 334 UGFzc3dvcmQ6\nC: [redacted]\n")
	assert.NotContains(t, text, "aHVudGVyMg==", "the password never reaches the trace")
	assert.NotContains(t, text, "dXNlckBleGFtcGxlLmNvbQ==")
	var decoded []string
	for _, ev := range events {
		if ev.Decoded != "" {
			decoded = append(decoded, ev.Decoded)
		}
		assert.False(t, ev.TLS)
		assert.False(t, ev.Time.IsZero())
	}
	assert.Equal(t, []string{"Username:", "Password:"}, decoded)

	shown := lines(traced(t, "auth-login.txt", true, login))
	assert.Contains(t, shown, "C: aHVudGVyMg==\n", "TraceSecrets shows the payloads")
}

func TestTraceRedactsPlainInitialResponseAndTLS(t *testing.T) {
	events := traced(t, "starttls-reehlo.txt", false, func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		if err := c.StartTLS(ctx); err != nil {
			return err
		}
		if err := c.Auth(ctx, smtpwire.PlainAuth("", "user@example.com", "secret")); err != nil {
			return err
		}
		return c.Quit(ctx)
	})
	text := lines(events)
	assert.Contains(t, text, "C: AUTH PLAIN [redacted]\n")
	assert.NotContains(t, text, "AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0")
	var inTLS []string
	for _, ev := range events {
		if ev.TLS {
			inTLS = append(inTLS, ev.Line)
		}
	}
	assert.Equal(t, "EHLO client.example.com", inTLS[0], "the first line inside TLS is the fresh EHLO")
	assert.Equal(t, "221 2.0.0 Bye", inTLS[len(inTLS)-1])
	for _, ev := range events {
		if ev.Line == "STARTTLS" || ev.Line == "220 2.0.0 Ready to start TLS" {
			assert.False(t, ev.TLS, ev.Line)
		}
	}
}

func TestTraceRedactsRawAuthLines(t *testing.T) {
	// The shell sends AUTH payloads typed by hand with Cmd: they are
	// redacted while the exchange waits for 334 responses.
	text := lines(traced(t, "auth-login.txt", false, func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		for i, l := range []string{"EHLO client.example.com", "AUTH LOGIN", "dXNlckBleGFtcGxlLmNvbQ==", "aHVudGVyMg=="} {
			assert.Equal(t, i >= 2, c.AwaitingAuthResponse(), "before line %d", i)
			if _, err := c.Cmd(ctx, l); err != nil {
				return err
			}
		}
		assert.False(t, c.AwaitingAuthResponse())
		assert.True(t, c.Authenticated())
		return c.Quit(ctx)
	}))
	assert.NotContains(t, text, "aHVudGVyMg==")
	assert.Contains(t, text, "C: [redacted]\nS: 235")
}

func TestTraceShowsMessageLines(t *testing.T) {
	text := lines(traced(t, "data-dot-stuffing.txt", false, func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		return sendPieces(ctx, c, "Subject: dots\r\n\r\n.hid", "den\r\n", ".\r", "\n..two\r\na line\r\n.", "\r\nno final line break")
	}))
	assert.Contains(t, text, "C: ..hidden\nC: ..\nC: ...two\nC: a line\nC: ..\nC: no final line break\nC: .\nS: 250 Ok: queued\n")
}
