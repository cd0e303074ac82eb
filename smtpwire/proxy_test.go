package smtpwire_test

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// socks5Server starts smtptest's SOCKS5 proxy for the test.
func socks5Server(t *testing.T, user, pass string) *smtptest.SOCKS5Server {
	s, err := smtptest.NewSOCKS5Server(user, pass)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// greeter is an SMTP server that greets and answers QUIT.
func greeter(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				io.WriteString(conn, "220 behind.example.com ESMTP\r\n")
				conn.Read(make([]byte, 64))
				io.WriteString(conn, "221 bye\r\n")
			}()
		}
	}()
	return ln.Addr().String()
}

func dialVia(t *testing.T, proxyURL, target string) (*smtpwire.Client, error) {
	dial, err := smtpwire.ProxyDialer(proxyURL, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return smtpwire.Dial(ctx, target, &smtpwire.Config{DialContext: dial})
}

func TestProxySOCKS5(t *testing.T) {
	target := greeter(t)
	_, port, _ := net.SplitHostPort(target)
	ps := socks5Server(t, "", "")
	proxy := ps.Addr()

	c, err := dialVia(t, "socks5://"+proxy, target)
	require.NoError(t, err)
	assert.Equal(t, "220 behind.example.com ESMTP", c.Greeting().Raw[0])
	c.Close()

	// socks5: the name is resolved here; socks5h: by the proxy.
	c, err = dialVia(t, "socks5://"+proxy, "localhost:"+port)
	require.NoError(t, err)
	c.Close()
	c, err = dialVia(t, "socks5h://"+proxy, "localhost:"+port)
	require.NoError(t, err)
	c.Close()
	got := ps.Targets()
	if assert.Len(t, got, 3) {
		assert.Equal(t, target, got[0])
		assert.Contains(t, []string{"127.0.0.1:" + port, "[::1]:" + port}, got[1], "socks5: resolved here")
		assert.Equal(t, "localhost:"+port, got[2], "socks5h: the proxy resolves")
	}
}

func TestProxySOCKS5Failures(t *testing.T) {
	target := greeter(t)
	proxy := socks5Server(t, "u", "right-pw").Addr()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := closed.Addr().String()
	closed.Close()

	c, err := dialVia(t, "socks5://u:right-pw@"+proxy, target)
	require.NoError(t, err)
	c.Close()

	for _, tc := range []struct {
		url, target string
		want        smtpwire.ProxyFailure
	}{
		{"socks5://u:wrong-pw@" + proxy, target, smtpwire.ProxyRefused},
		{"socks5://u:right-pw@" + closedAddr, target, smtpwire.ProxyUnreachable},
		{"socks5://u:right-pw@" + proxy, closedAddr, smtpwire.ProxyTargetFailed},
	} {
		_, err := dialVia(t, tc.url, tc.target)
		var pe *smtpwire.ProxyError
		if assert.True(t, errors.As(err, &pe), "%s: %v", tc.url, err) {
			assert.Equal(t, tc.want, pe.Failure, err.Error())
		}
		assert.NotContains(t, err.Error(), "-pw", "the proxy password never shows")
	}
}

func TestProxyURLErrors(t *testing.T) {
	for url, want := range map[string]string{
		"http://proxy:8080":         `smtpwire: proxy scheme "http": want socks5:// or socks5h://`,
		"socks5://proxy":            `smtpwire: proxy "socks5://proxy": want socks5://[user:pass@]host:port`,
		"socks5://u:secret@proxy/x": `smtpwire: proxy "socks5://u:xxxxx@proxy/x": want socks5://[user:pass@]host:port`,
	} {
		_, err := smtpwire.ProxyDialer(url, nil)
		assert.EqualError(t, err, want)
	}
}
