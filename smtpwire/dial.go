package smtpwire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Dial connects to addr ("host:port"), starts TLS first when
// cfg.ImplicitTLS is set, and reads the greeting. A greeting other than 220
// is returned as a *ReplyError, and the connection is closed.
func Dial(ctx context.Context, addr string, cfg *Config) (*Client, error) {
	c, err := Connect(ctx, addr, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := c.Greet(ctx); err != nil {
		var re *ReplyError
		if errors.As(err, &re) && re.Code == CodeTransactionFail {
			// RFC 5321 §3.1: after a 554 greeting the client should send
			// QUIT; the server waits for it. Best effort, briefly.
			qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			c.Quit(qctx)
			cancel()
		}
		c.Close()
		return nil, err
	}
	return c, nil
}

// Connect opens the transport to addr (TCP, then the TLS handshake when
// cfg.ImplicitTLS is set) and returns a client that has not read the
// greeting yet, for callers that show each step.
func Connect(ctx context.Context, addr string, cfg *Config) (*Client, error) {
	conf := cfg.withDefaults()
	network, host, err := splitAddr(addr)
	if err != nil {
		return nil, err
	}
	var tlsConf *tls.Config
	if conf.ImplicitTLS {
		// Build it before dialling: a bad CA file is the caller's mistake
		// and should not cost a connection.
		if tlsConf, err = conf.tlsConfig(host); err != nil {
			return nil, err
		}
	}
	dctx, cancel := context.WithTimeout(ctx, conf.Timeouts.Connect)
	defer cancel()
	dial := conf.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(dctx, network, strings.TrimPrefix(addr, "unix:"))
	if err != nil {
		return nil, &DialError{Addr: addr, Err: err, TimedOut: dctx.Err() != nil && ctx.Err() == nil}
	}
	c := &Client{cfg: conf, host: host, state: StateConnected}
	c.setConn(conn)
	if conf.ImplicitTLS {
		if err := c.handshake(ctx, tlsConf, true); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return c, nil
}

// splitAddr parses "host:port", or "unix:/path" for a Unix socket (as
// LMTP servers listen on, RFC 2033 §5), whose host counts as "localhost".
func splitAddr(addr string) (network, host string, err error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		if path == "" {
			return "", "", fmt.Errorf("smtpwire: address %q: want unix:/path/to/socket", addr)
		}
		return "unix", "localhost", nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", "", fmt.Errorf("smtpwire: address %q: want host:port, such as smtp.example.com:465, or unix:/path: %w", addr, err)
	}
	if host == "" || port == "" {
		return "", "", fmt.Errorf("smtpwire: address %q: want host:port, such as smtp.example.com:465", addr)
	}
	return "tcp", host, nil
}

// DialError reports a failed TCP connect.
type DialError struct {
	Addr     string
	TimedOut bool // no answer within Timeouts.Connect
	Err      error
}

func (e *DialError) Error() string {
	if e.TimedOut {
		return fmt.Sprintf("smtpwire: connect %s: no answer (timed out): %v", e.Addr, e.Err)
	}
	return fmt.Sprintf("smtpwire: connect %s: %v", e.Addr, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// Greet reads the server's greeting (RFC 5321 §3.1). 220 moves the
// session to StateGreeted; 554 (no service here) and anything else is a
// *ReplyError, and 421 also closes the session.
func (c *Client) Greet(ctx context.Context) (*Reply, error) {
	if err := c.usable("greeting"); err != nil {
		return nil, err
	}
	if c.state != StateConnected {
		return nil, &StateError{Command: "greeting", State: c.state, Reason: "the greeting was already read"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	timeout := c.cfg.Timeouts.Greeting
	end := c.deadline(ctx, timeout)
	defer end()
	r, err := c.readReply()
	if err != nil {
		return nil, c.fail(ioError(ctx, "greeting", timeout, err))
	}
	c.greeting = r
	if r.Code == CodeNotAvailable {
		c.Close()
	}
	if r.Code != CodeReady {
		return r, &ReplyError{Command: "greeting", Code: r.Code, Enhanced: r.Enhanced, Reply: r}
	}
	c.state = StateGreeted
	return r, nil
}
