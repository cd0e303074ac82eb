package repl

import (
	"bytes"
	"context"
	"crypto/tls"
	"path/filepath"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthCRAMMD5Narrated(t *testing.T) {
	in := &fakeInput{
		lines:     []string{"EHLO client.example.com", "/auth cram-md5 tim", "QUIT"},
		passwords: []string{"tanstaaftanstaaf"},
	}
	res := runShell(t, filepath.Join(transcripts, "auth-cram-md5.txt"), in, nil)
	assert.Equal(t, ExitOK, res.status)
	golden(t, "auth-cram-md5", res.out)
	assert.Contains(t, res.out, "# HMAC-MD5(password, challenge) = b913a602c7eda7a495b4e6e7334d3890")
	assert.NotContains(t, res.out, "tanstaaftanstaaf")
	assert.Equal(t, []string{"smtp EHLO> ", "smtp AUTH> ", "Password: ", "smtp[auth] MAIL> "}, in.prompts)
}

func TestAuthOAuthBearerRefusedTokenExplained(t *testing.T) {
	const token = "ya29.test-token-not-a-secret"
	in := &fakeInput{lines: []string{"EHLO client.example.com", "/auth oauthbearer someone@example.com", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "auth-oauthbearer-bad-token.txt"), in, func(o *Options) { o.OAuth2Token = token })
	golden(t, "auth-oauthbearer-bad-token", res.out)
	assert.Contains(t, res.out, "# the server refused the token: status=invalid_token")
	assert.NotContains(t, res.out, token)
	assert.NotContains(t, res.out, "ya29")
}

// SCRAM against the built-in server: random nonces, so no golden file,
// but every step is named and the password never shows.
func TestAuthSCRAMAgainstBuiltInServer(t *testing.T) {
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{
		Users: map[string]string{"alice": "s3cret-pw"}, AuthMechanisms: smtptest.AllAuthMechanisms,
	})
	require.NoError(t, err)
	defer srv.Close()
	for _, tc := range []struct {
		line, password string
		want           []string
	}{
		{"/auth scram-sha-256 alice", "s3cret-pw", []string{"# client-first: n,,n=alice,r=", "# combined nonce r=", "# proof p=",
			"the server's signature matches; it knows the credentials too", "# authenticated as alice with SCRAM-SHA-256"}},
		{"/auth auto alice", "s3cret-pw", []string{"# auto: the strongest mechanism offered that fits: SCRAM-SHA-256", "# authenticated as alice with SCRAM-SHA-256"}},
		{"/auth scram-sha-1 alice", "bad-pw-123", []string{"S: 535 5.7.8 Authentication credentials invalid"}},
	} {
		var out bytes.Buffer
		in := &fakeInput{lines: []string{"EHLO client.example.com", tc.line, "QUIT"}, passwords: []string{tc.password}}
		o := Options{Addr: srv.Addr(), Out: &out, Config: smtpwire.Config{LocalName: "client.example.com",
			TLSConfig: &tls.Config{RootCAs: smtptest.CertPool()}, Timeouts: smtpwire.Timeouts{Greeting: 5 * time.Second, Command: 5 * time.Second}}}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		New(o).Run(ctx, in)
		cancel()
		for _, w := range tc.want {
			assert.Contains(t, out.String(), w, tc.line)
		}
		assert.NotContains(t, out.String(), tc.password, tc.line)
		for _, h := range in.history {
			assert.NotContains(t, h, tc.password)
		}
	}
}

func TestShellThroughProxy(t *testing.T) {
	srv, err := smtptest.NewMailServer(nil)
	require.NoError(t, err)
	defer srv.Close()
	ps, err := smtptest.NewSOCKS5Server("u", "proxy-pw-77")
	require.NoError(t, err)
	defer ps.Close()
	for _, tc := range []struct {
		url    string
		status int
		want   string
	}{
		{"socks5://u:proxy-pw-77@" + ps.Addr(), ExitOK, "plain TCP through the SOCKS5 proxy) in"},
		{"socks5://u:wrong@" + ps.Addr(), ExitConnect, "# the SOCKS5 proxy " + ps.Addr() + " refused: check the user and password in --proxy"},
	} {
		dial, err := smtpwire.ProxyDialer(tc.url, nil)
		require.NoError(t, err)
		var out bytes.Buffer
		o := Options{Addr: srv.Addr(), Out: &out, Proxy: ps.Addr(), Config: smtpwire.Config{DialContext: dial,
			Timeouts: smtpwire.Timeouts{Greeting: 5 * time.Second, Command: 5 * time.Second}}}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		status := New(o).Run(ctx, &fakeInput{lines: []string{"QUIT"}})
		cancel()
		assert.Equal(t, tc.status, status, out.String())
		assert.Contains(t, out.String(), tc.want)
		assert.NotContains(t, out.String(), "proxy-pw-77")
	}
}

// The steps of /auth are explained in the shell's language too.
func TestAuthNotesInChinese(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "/auth oauthbearer someone@example.com", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "auth-oauthbearer-bad-token.txt"), in, func(o *Options) {
		o.OAuth2Token = "ya29.test-token-not-a-secret"
		o.Lang = explain.ZhHans
	})
	assert.Contains(t, res.out, "# OAUTHBEARER(RFC 7628):OAuth 2.0 访问令牌放在初始应答中;显示时已隐去")
	assert.Contains(t, res.out, "# 服务器拒绝了令牌:status=invalid_token")
	assert.Contains(t, res.out, "# 令牌错误或已过期:请获取新的访问令牌")
	assert.Contains(t, res.out, "C: AUTH OAUTHBEARER [redacted]\n", "the wire does not change with the language")
}
