package repl

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileShell runs a script against a Hostile server that the shell
// believes is addr (so a name that is not loopback can be tried).
func hostileShell(t *testing.T, h *smtptest.Hostile, addr string, opts Options, lines ...string) (int, string) {
	t.Helper()
	require.NoError(t, h.Start())
	t.Cleanup(h.Close)
	opts.Addr = addr
	opts.Config.Timeouts = smtpwire.Timeouts{Connect: time.Second, Greeting: time.Second, Command: time.Second, DataTerm: time.Second}
	opts.Config.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, h.Addr())
	}
	var out bytes.Buffer
	opts.Out = &out
	in := &fakeInput{lines: lines, passwords: []string{"Hostile-Pa55word"}}
	code := New(opts).Run(context.Background(), in)
	return code, out.String()
}

func TestShellExitsNonZeroAfterRefusingCredentials(t *testing.T) {
	code, out := hostileShell(t, &smtptest.Hostile{}, "mail.example.com:25", Options{},
		"EHLO client.test", "/auth plain me@example.com", "QUIT")
	assert.Contains(t, out, "# error: smtpwire: refusing to send credentials")
	assert.Equal(t, ExitNegative, code)
}

func TestShellRequiredSTARTTLSRefusedEndsTheSession(t *testing.T) {
	h := &smtptest.Hostile{Acts: map[string]smtptest.Act{"STARTTLS": smtptest.Reply("454 4.7.0 TLS not available")}}
	code, out := hostileShell(t, h, "127.0.0.1:25", Options{StartTLS: true},
		"EHLO client.test", "MAIL FROM:<a@example.com>", "QUIT")
	assert.Equal(t, ExitTLS, code)
	assert.Contains(t, out, "# error: --tls starttls: the server refused STARTTLS")
	assert.NotContains(t, out, "C: MAIL", "nothing more goes out in plain text")
}
