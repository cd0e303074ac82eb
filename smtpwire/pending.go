package smtpwire

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// pendingWait bounds the read that drains bytes found waiting on the
// socket before a command, and, where the socket cannot be peeked without
// blocking, the read that looks for them.
const pendingWait = time.Millisecond

// nothingPending fails the session when the server has sent anything
// since its last reply and before the next command: outside RFC 2920
// pipelining every reply answers exactly one command (RFC 5321 §4.2), so
// bytes waiting now are a reply to no command and, if read, would be taken
// as the answer to the next one. exchange calls it before every command;
// pipelined sending must call it once per flight, before the first command
// of the flight is written, and match the replies one by one after.
//
// It costs nothing when the socket is quiet: the kernel is asked with a
// non-blocking peek (see pending_peek*.go). Over TLS, bytes in the socket
// may be a TLS 1.3 session ticket rather than a reply, so they are read
// through TLS with a very short deadline and only application data counts.
func (c *Client) nothingPending() error {
	if c.br.Buffered() == 0 {
		if c.peek == nil {
			c.peek = newPeeker(c.raw)
		}
		readable, known := c.peek.readable()
		if known && !readable {
			return nil
		}
		c.conn.SetReadDeadline(time.Now().Add(pendingWait))
		_, err := c.br.Peek(1)
		c.conn.SetReadDeadline(time.Time{})
		if err != nil && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, io.EOF) || c.br.Buffered() == 0) {
			// Nothing, or a closed or failed connection: the exchange
			// that follows reports it as it would anyway.
			return nil
		}
	}
	n := c.br.Buffered()
	if n == 0 {
		return nil
	}
	data, _ := c.br.Peek(n)
	line, _, _ := strings.Cut(string(data), "\n")
	return c.fail(&ProtocolError{
		Reason: fmt.Sprintf("%v (%d bytes waiting)", strings.TrimPrefix(ErrUnexpectedReply.Error(), "smtpwire: "), n),
		Line:   strings.TrimSuffix(line, "\r"),
		Err:    ErrUnexpectedReply,
	})
}

// rawConn returns the TCP (or other) connection under TLS.
func rawConn(conn net.Conn) net.Conn {
	if tc, ok := conn.(*tls.Conn); ok {
		return tc.NetConn()
	}
	return conn
}
