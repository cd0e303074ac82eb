package smtpwire

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawServer accepts one connection on loopback and runs serve on it. What
// serve read from the client comes back on the returned channel when the
// connection ends, so tests check it on the test goroutine.
func rawServer(t *testing.T, serve func(conn net.Conn, r *bufio.Reader)) (addr string, got <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	ch := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			ch <- "accept: " + err.Error()
			return
		}
		defer conn.Close()
		var seen strings.Builder
		r := bufio.NewReader(io.TeeReader(conn, &seen))
		serve(conn, r)
		conn.(*net.TCPConn).CloseWrite() // the client sees EOF
		conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		io.Copy(io.Discard, r)
		ch <- seen.String()
	}()
	return ln.Addr().String(), ch
}

func fastConfig() *Config {
	return &Config{Timeouts: Timeouts{Greeting: 2 * time.Second, Command: 2 * time.Second}}
}

func TestGarbageGreetingBreaksSession(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "SSH-2.0-OpenSSH_9.2\r\n")
	})
	c, err := Connect(context.Background(), addr, fastConfig())
	require.NoError(t, err)
	_, err = c.Greet(context.Background())
	var pe *ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, err.Error(), "SSH-2.0")
	assert.Equal(t, StateBroken, c.State())

	_, err = c.Cmd(context.Background(), "NOOP")
	var be *BrokenError
	require.ErrorAs(t, err, &be)
	assert.ErrorAs(t, err, &pe, "the first failure stays reachable")
}

func TestHugeReplyLineFailsWithoutGrowing(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 "+strings.Repeat("x", 1<<20)+"\r\n")
	})
	_, err := Dial(context.Background(), addr, fastConfig())
	require.ErrorIs(t, err, ErrLineTooLong)
	assert.Contains(t, err.Error(), "longer than 4096 bytes")
}

func TestLineLimitIsConfigurable(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 "+strings.Repeat("x", 100)+"\r\n")
	})
	cfg := fastConfig()
	cfg.MaxLineLength = 64
	_, err := Dial(context.Background(), addr, cfg)
	require.ErrorIs(t, err, ErrLineTooLong)
}

func TestEndlessMultilineReplyIsCapped(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		w := bufio.NewWriter(conn)
		for i := 0; i < 5000; i++ {
			w.WriteString("220-more\r\n")
		}
		w.Flush()
	})
	_, err := Dial(context.Background(), addr, fastConfig())
	var pe *ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, err.Error(), "longer than 1000 lines")
}

func TestSilentServerTimesOut(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		r.ReadByte() // say nothing; wait for the client to give up
	})
	cfg := &Config{Timeouts: Timeouts{Greeting: 100 * time.Millisecond}}
	_, err := Dial(context.Background(), addr, cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no reply within 100ms")
}

func TestServerClosesMidReply(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220-first line\r\n220-second")
	})
	_, err := Dial(context.Background(), addr, fastConfig())
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Contains(t, err.Error(), "middle of a reply line")

	addr, _ = rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220-first line\r\n")
	})
	_, err = Dial(context.Background(), addr, fastConfig())
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Contains(t, err.Error(), "after 1 lines of a multi-line reply")

	addr, _ = rawServer(t, func(conn net.Conn, r *bufio.Reader) {})
	_, err = Dial(context.Background(), addr, fastConfig())
	require.ErrorIs(t, err, io.EOF)
	assert.Contains(t, err.Error(), "server closed the connection")
}

// greetThen serves a 220, then answers each client line with the next reply.
func greetThen(replies ...string) func(net.Conn, *bufio.Reader) {
	return func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range replies {
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
			io.WriteString(conn, reply)
		}
	}
}

// greetSilent serves a 220 and then reads without ever answering.
func greetSilent(conn net.Conn, r *bufio.Reader) {
	io.WriteString(conn, "220 test ESMTP\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, r)
}

func TestLineBreakInArgumentWritesNothing(t *testing.T) {
	addr, got := rawServer(t, greetThen("250 ok\r\n"))
	c, err := Dial(context.Background(), addr, fastConfig())
	require.NoError(t, err)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"mail":  func() error { return c.Mail(ctx, "a@b>\r\nRCPT TO:<victim@x", nil) },
		"rcpt":  func() error { return c.Rcpt(ctx, "x\n@y", nil) },
		"hello": func() error { return c.Hello(ctx, "a\rb") },
		"vrfy":  func() error { _, err := c.Vrfy(ctx, "x\r\n"); return err },
		"cmd":   func() error { _, err := c.Cmd(ctx, "NOOP\r\nQUIT"); return err },
		"mailopt": func() error {
			return c.Mail(ctx, "a@b", &MailOptions{Body: "8BITMIME\r\nDATA"})
		},
	} {
		assert.ErrorIs(t, call(), ErrLineBreak, name)
	}
	assert.Equal(t, StateGreeted, c.State(), "a refused argument does not break the session")
	require.NoError(t, c.Noop(ctx))
	c.Close()
	assert.Equal(t, "NOOP\r\n", <-got, "only the NOOP reached the wire")
}

func TestCancelledContextInterruptsAndBreaks(t *testing.T) {
	addr, _ := rawServer(t, greetSilent)
	c, err := Dial(context.Background(), addr, fastConfig())
	require.NoError(t, err)

	pre, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Cmd(pre, "NOOP")
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, StateGreeted, c.State(), "nothing was written, the session is intact")

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Cmd(ctx, "NOOP")
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Second)
	assert.Equal(t, StateBroken, c.State(), "a half-done exchange leaves the session out of sync")
}

func TestContextDeadlineShorterThanTimeout(t *testing.T) {
	addr, _ := rawServer(t, greetSilent)
	c, err := Dial(context.Background(), addr, fastConfig())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Cmd(ctx, "NOOP")
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestAuthRefusedWithoutTLS(t *testing.T) {
	addr, got := rawServer(t, greetThen())
	cfg := fastConfig()
	// Dial a name that is not loopback; the dialer still goes to the test server.
	cfg.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	c, err := Dial(context.Background(), "smtp.example.com:25", cfg)
	require.NoError(t, err)
	err = c.Auth(context.Background(), PlainAuth("", "user", "secret"))
	require.ErrorIs(t, err, ErrInsecureAuth)
	c.Close()
	assert.Empty(t, <-got, "no credentials were written")
}

func TestTimeoutsDefaults(t *testing.T) {
	d := Timeouts{}.withDefaults()
	assert.Equal(t, 5*time.Minute, d.Greeting)
	assert.Equal(t, 5*time.Minute, d.Mail)
	assert.Equal(t, 5*time.Minute, d.Rcpt)
	assert.Equal(t, 2*time.Minute, d.DataInit)
	assert.Equal(t, 3*time.Minute, d.DataBlock)
	assert.Equal(t, 10*time.Minute, d.DataTerm)
	o := Timeouts{Mail: time.Second}.withDefaults()
	assert.Equal(t, time.Second, o.Mail)
}

func TestDialErrors(t *testing.T) {
	_, err := Dial(context.Background(), "smtp.qq.com", nil)
	assert.ErrorContains(t, err, "want host:port")
	_, err = Dial(context.Background(), ":25", nil)
	assert.ErrorContains(t, err, "want host:port")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = Dial(context.Background(), addr, nil)
	var de *DialError
	require.ErrorAs(t, err, &de)
	assert.False(t, de.TimedOut)
	assert.ErrorContains(t, err, "connection refused")
}

func TestBadCAFileFailsBeforeDialling(t *testing.T) {
	_, err := Dial(context.Background(), "127.0.0.1:1", &Config{ImplicitTLS: true, CAFile: "/nonexistent/ca.pem"})
	assert.ErrorContains(t, err, "CA file")
}

func TestStateErrors(t *testing.T) {
	addr, _ := rawServer(t, greetThen("354 go\r\n"))
	c, err := Dial(context.Background(), addr, fastConfig())
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.DataWriter(ctx)
	var se *StateError
	require.ErrorAs(t, err, &se, "no 354 yet")

	r, err := c.Cmd(ctx, "DATA")
	require.NoError(t, err)
	assert.Equal(t, 354, r.Code)
	assert.Equal(t, StateData, c.State())
	_, err = c.Cmd(ctx, "NOOP")
	require.ErrorAs(t, err, &se, "commands are refused while the server reads the message")
	w, err := c.DataWriter(ctx)
	require.NoError(t, err)
	_, err = c.Cmd(ctx, "NOOP")
	require.ErrorAs(t, err, &se)
	require.NotNil(t, w)
}

// stuckReader greets, answers EHLO-free MAIL/RCPT/DATA, then stops
// reading: the client's writes fill the socket buffers and block.
func stuckReader(conn net.Conn, r *bufio.Reader) {
	io.WriteString(conn, "220 test ESMTP\r\n")
	for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
		io.WriteString(conn, reply)
	}
	time.Sleep(3 * time.Second) // read nothing more
}

func TestDataWriteHonoursBlockTimeout(t *testing.T) {
	addr, _ := rawServer(t, stuckReader)
	cfg := fastConfig()
	cfg.Timeouts.DataBlock = 200 * time.Millisecond
	ctx := context.Background()
	c, err := Dial(ctx, addr, cfg)
	require.NoError(t, err)
	require.NoError(t, c.Mail(ctx, "a@example.test", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.test", nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	chunk := []byte(strings.Repeat("x", 1000) + "\r\n")
	start := time.Now()
	for err == nil && time.Since(start) < 5*time.Second {
		_, err = w.Write(chunk)
	}
	require.ErrorIs(t, err, os.ErrDeadlineExceeded, "a blocked write ends at the data block timeout")
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, StateBroken, c.State())
	assert.Error(t, w.Close())
}

func TestDataWriteHonoursContext(t *testing.T) {
	addr, _ := rawServer(t, stuckReader)
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	require.NoError(t, c.Mail(ctx, "a@example.test", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.test", nil))
	dctx, cancel := context.WithCancel(ctx)
	w, err := c.Data(dctx)
	require.NoError(t, err)
	time.AfterFunc(100*time.Millisecond, cancel)
	chunk := []byte(strings.Repeat("x", 1000) + "\r\n")
	start := time.Now()
	for err == nil && time.Since(start) < 5*time.Second {
		_, err = w.Write(chunk)
	}
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, StateBroken, c.State())
}

// A reply that trickles in slower than the timeout is a time-out, not a
// connection closed in the middle of a line.
func TestSlowDripTimesOut(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		for _, c := range []byte("220 slowly, slowly\r\n") {
			conn.Write([]byte{c})
			time.Sleep(20 * time.Millisecond)
		}
	})
	cfg := &Config{Timeouts: Timeouts{Greeting: 100 * time.Millisecond}}
	_, err := Dial(context.Background(), addr, cfg)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.Contains(t, err.Error(), "no reply within 100ms")
}
