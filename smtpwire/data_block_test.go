package smtpwire

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server that keeps reading, however slowly in total, never trips the
// per-write timeout, even one shorter than a second.
func TestDataBlockTimeoutIsPerWrite(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, _ *bufio.Reader) {
		r := bufio.NewReader(conn) // not the recording reader: the message is dropped
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
			r.ReadString('\n')
			io.WriteString(conn, reply)
		}
		for {
			l, err := r.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull || string(l) == ".\r\n" {
				break
			}
		}
		io.WriteString(conn, "250 queued\r\n")
	})
	cfg := fastConfig()
	cfg.Timeouts.DataBlock = 200 * time.Millisecond
	ctx := context.Background()
	c, err := Dial(ctx, addr, cfg)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Mail(ctx, "a@example.test", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.test", nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	chunk := []byte(strings.Repeat("x", 1000) + "\r\n")
	start := time.Now()
	for err == nil && time.Since(start) < 600*time.Millisecond { // past DataBlock, within a second
		_, err = w.Write(chunk)
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, err, "every write made progress within 200ms (failed after %v)", time.Since(start))
	assert.NoError(t, w.Close())
}

// A server that stops reading is named as such, not as a missing reply.
func TestDataWriteTimeoutSaysTheServerStoppedReading(t *testing.T) {
	release := make(chan struct{})
	addr, got := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
			r.ReadString('\n')
			io.WriteString(conn, reply)
		}
		<-release // read nothing more until the test is done
	})
	// Drain the server within this test: a memory test later in the
	// package must not see it copy the buffered megabytes.
	defer func() { close(release); <-got }()
	cfg := fastConfig()
	cfg.Timeouts.DataBlock = 200 * time.Millisecond
	ctx := context.Background()
	c, err := Dial(ctx, addr, cfg)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Mail(ctx, "a@example.test", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.test", nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	chunk := []byte(strings.Repeat("x", 1000) + "\r\n")
	for err == nil {
		_, err = w.Write(chunk)
	}
	assert.Contains(t, err.Error(), "the server stopped reading the message")
}

// WriteMessage, the pipelined path, bounds each write as DataWriter does.
func TestWriteMessageBlockTimeoutIsPerWrite(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, _ *bufio.Reader) {
		r := bufio.NewReader(conn)
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
			r.ReadString('\n')
			io.WriteString(conn, reply)
		}
		for {
			l, err := r.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull || string(l) == ".\r\n" {
				break
			}
		}
		io.WriteString(conn, "250 queued\r\n")
	})
	cfg := fastConfig()
	cfg.Timeouts.DataBlock = 200 * time.Millisecond
	ctx := context.Background()
	c, err := Dial(ctx, addr, cfg)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Mail(ctx, "a@example.test", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.test", nil))
	_, err = c.Cmd(ctx, "DATA")
	require.NoError(t, err)
	_, err = c.WriteMessage(ctx, &tricklingReader{left: 600})
	require.NoError(t, err, "every write made progress within 200ms")
}

// tricklingReader yields a 1 KB line every millisecond, left times.
type tricklingReader struct{ left int }

func (r *tricklingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	r.left--
	time.Sleep(time.Millisecond)
	return copy(p, strings.Repeat("x", 1000)+"\r\n"), nil
}
