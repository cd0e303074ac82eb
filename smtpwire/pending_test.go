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

// A reply that arrives before its command was sent belongs to no command:
// taking it as the answer to the next one turns a refusal into success.
func TestReplySentAheadOfCommandIsAProtocolError(t *testing.T) {
	tests := []struct {
		name  string
		serve func(net.Conn, *bufio.Reader)
		run   func(ctx context.Context, c *Client) error
	}{
		{"extra reply after the greeting, before EHLO", func(conn net.Conn, r *bufio.Reader) {
			io.WriteString(conn, "220 test ESMTP\r\n250 sent ahead\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "250 ok\r\n")
		}, func(ctx context.Context, c *Client) error { return c.Hello(ctx, "me") }},
		{"extra reply sent a moment after the EHLO reply, before MAIL", func(conn net.Conn, r *bufio.Reader) {
			io.WriteString(conn, "220 test ESMTP\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "250 ok\r\n")
			time.Sleep(50 * time.Millisecond)
			io.WriteString(conn, "250 2.1.0 sender ok, sent ahead\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "550 5.7.1 sender refused\r\n")
		}, func(ctx context.Context, c *Client) error {
			if err := c.Hello(ctx, "me"); err != nil {
				return err
			}
			time.Sleep(150 * time.Millisecond) // the extra reply is in the socket, not yet read
			return c.Mail(ctx, "a@example.com", nil)
		}},
		{"two replies to EHLO", func(conn net.Conn, r *bufio.Reader) {
			io.WriteString(conn, "220 test ESMTP\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "250 ok\r\n250 ok again\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "550 refused\r\n")
		}, func(ctx context.Context, c *Client) error {
			if err := c.Hello(ctx, "me"); err != nil {
				return err
			}
			return c.Mail(ctx, "a@example.com", nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := rawServer(t, tt.serve)
			ctx := context.Background()
			c, err := Dial(ctx, addr, fastConfig())
			require.NoError(t, err)
			defer c.Close()
			err = tt.run(ctx, c)
			require.ErrorIs(t, err, ErrUnexpectedReply)
			var pe *ProtocolError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), "the server sent a reply before")
			assert.Equal(t, StateBroken, c.State())
		})
	}
}

// A well-behaved session pays nothing and sees no false alarm, in plain
// text and over TLS (where TLS 1.3 session tickets arrive unasked).
func TestNothingPendingOnAQuietServer(t *testing.T) {
	addr, _ := rawServer(t, greetThen("250 ok\r\n", "250 ok\r\n", "250 ok\r\n"))
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello(ctx, "me"))
	require.NoError(t, c.Mail(ctx, "a@example.com", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.com", nil))
}

// A verdict sent before the final "." answers nothing: taking it as the
// verdict would report a message accepted that the server never judged.
func TestVerdictSentBeforeTheFinalDot(t *testing.T) {
	sent := make(chan struct{})
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
			r.ReadString('\n')
			io.WriteString(conn, reply)
		}
		r.ReadString('\n') // the first message line
		io.WriteString(conn, "250 2.0.0 queued, sent ahead\r\n")
		close(sent)
		for {
			l, err := r.ReadString('\n')
			if err != nil || l == ".\r\n" {
				break
			}
		}
		io.WriteString(conn, "554 5.7.1 rejected\r\n")
	})
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello(ctx, "me"))
	require.NoError(t, c.Mail(ctx, "a@example.com", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.com", nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	io.WriteString(w, "Subject: x\r\n\r\n")
	for range 2000 { // past the write buffer: the server sees the start of the message
		io.WriteString(w, "a line of the body, long enough to fill the buffer sooner\r\n")
	}
	// On loopback the verdict is in the socket once the server's write
	// returned: wait for that, not for a time that a loaded machine may
	// overrun.
	<-sent
	err = w.Close()
	require.ErrorIs(t, err, ErrUnexpectedReply)
}

// Pipelined sending checks once per flight: a reply waiting when a new
// group starts is an error, as for a command sent alone.
func TestReplyAheadOfAPipelinedFlight(t *testing.T) {
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		r.ReadString('\n')
		io.WriteString(conn, "250-ok\r\n250 PIPELINING\r\n250 2.1.0 sent ahead\r\n")
		r.ReadString('\n')
		r.ReadString('\n')
		io.WriteString(conn, "550 5.7.1 refused\r\n550 5.1.1 refused\r\n")
	})
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello(ctx, "me"))
	time.Sleep(50 * time.Millisecond)
	err = c.QueueMail("a@example.com", nil)
	require.ErrorIs(t, err, ErrUnexpectedReply)
}

// WriteMessage checks before the final dot, as DataWriter.Close does.
func TestVerdictAheadOfAPipelinedDot(t *testing.T) {
	sent := make(chan struct{})
	addr, _ := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		for _, reply := range []string{"250 ok\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n"} {
			r.ReadString('\n')
			io.WriteString(conn, reply)
		}
		r.ReadString('\n')
		io.WriteString(conn, "250 2.0.0 queued, sent ahead\r\n")
		close(sent)
		for {
			l, err := r.ReadString('\n')
			if err != nil || l == ".\r\n" {
				break
			}
		}
		io.WriteString(conn, "554 5.7.1 rejected\r\n")
	})
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello(ctx, "me"))
	require.NoError(t, c.Mail(ctx, "a@example.com", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.com", nil))
	_, err = c.Cmd(ctx, "DATA")
	require.NoError(t, err)
	body := "Subject: x\r\n\r\n" + strings.Repeat("a line of the body, long enough to fill the buffer sooner\r\n", 2000)
	_, err = c.WriteMessage(ctx, &slowReader{r: strings.NewReader(body), wait: sent})
	require.ErrorIs(t, err, ErrUnexpectedReply)
}

// slowReader pauses once, midway, until the server has sent its early
// verdict, so it arrives before the message ends.
type slowReader struct {
	r      io.Reader
	n      int
	paused bool
	wait   <-chan struct{}
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.n > 100<<10 && !s.paused {
		s.paused = true
		<-s.wait
	}
	k, err := s.r.Read(p[:min(len(p), 8<<10)])
	s.n += k
	return k, err
}
