package smtpwire

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCRLFStateAcrossWrites(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"a\nb\n":           "a\r\nb\r\n",
		"a\r\nb\r\n":       "a\r\nb\r\n",
		"a\rb\r":           "a\r\nb\r\n",
		"a\r\n\r\n.\r\n":   "a\r\n\r\n.\r\n", // BDAT stuffs nothing
		"no end":           "no end\r\n",
		"\r\r\n\n":         "\r\n\r\n\r\n",
		"mix\n\r\r\nx\r\r": "mix\r\n\r\n\r\nx\r\n\r\n",
	} {
		// Every split point: the state carries across calls.
		for cut := 0; cut <= len(in); cut++ {
			var st crlfState
			got := st.append(nil, []byte(in[:cut]))
			got = st.append(got, []byte(in[cut:]))
			got = st.end(got)
			assert.Equal(t, want, string(got), "%q cut at %d", in, cut)
		}
	}
}

// dialSink connects to a loopback server that answers every command with
// 250 (354 to DATA) and discards BDAT chunks, counting what it got.
// The returned function ends the session and returns every byte the
// server read.
func dialSink(t *testing.T, ehlo string) (*Client, func() string) {
	t.Helper()
	addr, done := rawServer(t, func(conn net.Conn, r *bufio.Reader) {
		conn.Write([]byte("220 sink\r\n"))
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			f := strings.Fields(line)
			switch {
			case len(f) == 0:
			case strings.EqualFold(f[0], "EHLO"):
				conn.Write([]byte(ehlo))
			case strings.EqualFold(f[0], "BDAT"):
				var n int
				for _, c := range f[1] {
					n = n*10 + int(c-'0')
				}
				chunk := make([]byte, n)
				if _, err := io.ReadFull(r, chunk); err != nil {
					return
				}
				conn.Write([]byte("250 2.0.0 chunk\r\n"))
			case strings.EqualFold(f[0], "QUIT"):
				conn.Write([]byte("221 bye\r\n"))
				return
			default:
				conn.Write([]byte("250 ok\r\n"))
			}
		}
	})
	c, err := Dial(context.Background(), addr, fastConfig())
	require.NoError(t, err)
	require.NoError(t, c.Hello(context.Background(), "client.test"))
	return c, func() string { c.Quit(context.Background()); return <-done }
}

func TestQueueRules(t *testing.T) {
	ctx := context.Background()
	c, finish := dialSink(t, "250-sink\r\n250 PIPELINING\r\n")
	assert.ErrorContains(t, c.QueueCommand("AUTH"), "cannot be queued")
	assert.ErrorIs(t, c.QueueMail("a@b\r\nRSET", nil), ErrLineBreak, "nothing is written for a CR/LF")
	require.NoError(t, c.QueueMail("a@example.test", &MailOptions{Size: 10, EnvID: "x=y"}))
	require.NoError(t, c.QueueRcpt("b@example.test", &RcptOptions{Notify: []string{"NEVER"}}))
	require.NoError(t, c.QueueCommand("NOOP"))
	require.NoError(t, c.QueueCommand("QUIT"))
	var se *StateError
	assert.ErrorAs(t, c.QueueCommand("NOOP"), &se, "QUIT ends a group")
	assert.Equal(t, 4, c.Queued())
	_, err := c.Cmd(ctx, "NOOP")
	assert.ErrorAs(t, err, &se, "a command alone while replies are due")
	for range 3 {
		r, err := c.ReadQueued(ctx)
		require.NoError(t, err)
		assert.Equal(t, 250, r.Code)
	}
	assert.Equal(t, StateRcpt, c.State(), "the replies moved the state machine")
	r, err := c.ReadQueued(ctx)
	require.NoError(t, err)
	assert.Equal(t, "221 bye", r.String())
	assert.Equal(t, StateClosed, c.State())
	got := finish()
	assert.Contains(t, got, "MAIL FROM:<a@example.test> SIZE=10 ENVID=x+3Dy\r\nRCPT TO:<b@example.test> NOTIFY=NEVER\r\nNOOP\r\nQUIT\r\n")
}

// A message of many chunks: BDAT lines count octets, lines are never
// split between chunks, LF becomes CRLF, and the window of unread replies
// is drained as it goes (ReadQueued returns them in order).
func TestWriteChunkedManyChunks(t *testing.T) {
	ctx := context.Background()
	c, finish := dialSink(t, "250-sink\r\n250-PIPELINING\r\n250 CHUNKING\r\n")
	var body strings.Builder
	for i := range 2000 {
		body.WriteString(strings.Repeat("x", i%70) + ".line\n")
	}
	require.NoError(t, c.QueueMail("a@example.test", nil))
	require.NoError(t, c.QueueRcpt("b@example.test", nil))
	n, err := c.WriteChunked(ctx, strings.NewReader(body.String()), 4096, false)
	require.NoError(t, err)
	assert.Equal(t, int64(body.Len()), n)
	replies := c.Queued()
	assert.Greater(t, replies, 2+bdatWindow, "MAIL, RCPT and many BDATs")
	for range replies {
		r, err := c.ReadQueued(ctx)
		require.NoError(t, err)
		assert.Equal(t, 250, r.Code)
	}
	assert.Equal(t, StateHello, c.State(), "BDAT LAST ended the transaction")
	got := finish()
	want := strings.ReplaceAll(body.String(), "\n", "\r\n")
	// Strip the commands: what is left is the chunks, in order.
	var chunks strings.Builder
	for _, part := range strings.SplitAfter(got, "\r\n") {
		if strings.HasPrefix(part, "BDAT ") || strings.HasPrefix(part, "MAIL ") || strings.HasPrefix(part, "RCPT ") ||
			strings.HasPrefix(part, "EHLO ") || part == "QUIT\r\n" {
			assert.True(t, !strings.HasPrefix(part, "BDAT ") || chunks.Len() == 0 || strings.HasSuffix(chunks.String(), "\r\n"),
				"a chunk ends at a line end")
			continue
		}
		chunks.WriteString(part)
	}
	assert.Equal(t, want, chunks.String())
}
