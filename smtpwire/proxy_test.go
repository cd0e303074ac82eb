package smtpwire_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// socks5Server is a minimal RFC 1928 server on loopback for the tests:
// CONNECT only, no authentication or RFC 1929 user/password. It records
// the target each client asked for.
func socks5Server(t *testing.T, user, pass string) (addr string, targets chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	targets = make(chan string, 10)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSOCKS5(conn, user, pass, targets)
		}
	}()
	return ln.Addr().String(), targets
}

func serveSOCKS5(conn net.Conn, user, pass string, targets chan<- string) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 512)
	if _, err := io.ReadFull(conn, b[:2]); err != nil {
		return
	}
	methods := make([]byte, b[1])
	io.ReadFull(conn, methods)
	if user == "" {
		conn.Write([]byte{5, 0})
	} else {
		conn.Write([]byte{5, 2})
		io.ReadFull(conn, b[:2])
		u := make([]byte, b[1])
		io.ReadFull(conn, u)
		io.ReadFull(conn, b[:1])
		p := make([]byte, b[0])
		io.ReadFull(conn, p)
		if string(u) != user || string(p) != pass {
			conn.Write([]byte{1, 1})
			return
		}
		conn.Write([]byte{1, 0})
	}
	io.ReadFull(conn, b[:4])
	var host string
	switch b[3] {
	case 1:
		io.ReadFull(conn, b[:4])
		host = net.IP(b[:4]).String()
	case 3:
		io.ReadFull(conn, b[:1])
		n := make([]byte, b[0])
		io.ReadFull(conn, n)
		host = string(n)
	default:
		return
	}
	io.ReadFull(conn, b[:2])
	target := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(b[:2]))))
	targets <- target
	if host == "localhost" {
		host = "127.0.0.1"
	}
	up, err := net.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(b[:2])))))
	if err != nil {
		conn.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		return
	}
	defer up.Close()
	conn.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
	conn.SetDeadline(time.Time{})
	go func() { io.Copy(up, conn); up.Close() }()
	io.Copy(conn, up)
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
	proxy, targets := socks5Server(t, "", "")

	c, err := dialVia(t, "socks5://"+proxy, target)
	require.NoError(t, err)
	assert.Equal(t, "220 behind.example.com ESMTP", c.Greeting().Raw[0])
	c.Close()
	assert.Equal(t, target, <-targets)

	// socks5: the name is resolved here; socks5h: by the proxy.
	c, err = dialVia(t, "socks5://"+proxy, "localhost:"+port)
	require.NoError(t, err)
	c.Close()
	assert.Contains(t, []string{"127.0.0.1:" + port, "[::1]:" + port}, <-targets)
	c, err = dialVia(t, "socks5h://"+proxy, "localhost:"+port)
	require.NoError(t, err)
	c.Close()
	assert.Equal(t, "localhost:"+port, <-targets)
}

func TestProxySOCKS5Failures(t *testing.T) {
	target := greeter(t)
	proxy, _ := socks5Server(t, "u", "right-pw")
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
