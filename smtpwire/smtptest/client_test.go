package smtptest

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"time"
)

// client is a minimal hand-written SMTP client for the tests; smtpwire is
// deliberately not used. Its methods return errors so that it can run inside
// a Replay drive function; tests on the test goroutine wrap them in require.
type client struct {
	conn net.Conn
	br   *bufio.Reader
}

func dialClient(addr string) (*client, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return &client{conn: conn, br: bufio.NewReader(conn)}, nil
}

func dialClientTLS(addr string, cfg *tls.Config) (*client, error) {
	d := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return &client{conn: conn, br: bufio.NewReader(conn)}, nil
}

// raw writes s as it is.
func (c *client) raw(s string) error {
	_, err := c.conn.Write([]byte(s))
	return err
}

// send writes line + CRLF.
func (c *client) send(line string) error {
	return c.raw(line + "\r\n")
}

// reply reads one possibly multi-line reply and returns its lines without
// CRLF.
func (c *client) reply() ([]string, error) {
	var lines []string
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			return lines, err
		}
		if !strings.HasSuffix(line, "\r\n") || len(line) < 5 {
			return lines, fmt.Errorf("malformed reply line %q", line)
		}
		line = strings.TrimSuffix(line, "\r\n")
		lines = append(lines, line)
		if line[3] == ' ' {
			return lines, nil
		}
	}
}

// expect reads a reply and checks that its last line starts with code.
func (c *client) expect(code string) error {
	lines, err := c.reply()
	if err != nil {
		return err
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, code+" ") {
		return fmt.Errorf("got reply %q, want code %s", lines, code)
	}
	return nil
}

// cmd sends line and expects a reply with code.
func (c *client) cmd(line, code string) error {
	if err := c.send(line); err != nil {
		return err
	}
	return c.expect(code)
}

// starttls upgrades the connection, failing if the server sent anything
// after the 220 that the reader already holds.
func (c *client) starttls(cfg *tls.Config) error {
	if n := c.br.Buffered(); n > 0 {
		b, _ := c.br.Peek(n)
		return fmt.Errorf("server sent %q before the TLS handshake", b)
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.conn, c.br = tc, bufio.NewReader(tc)
	return nil
}

func (c *client) close() error {
	return c.conn.Close()
}

// steps runs a list of commands and expected codes, stopping at the first
// error.
func (c *client) steps(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := c.cmd(pairs[i], pairs[i+1]); err != nil {
			return fmt.Errorf("%s: %w", pairs[i], err)
		}
	}
	return nil
}

// dialGreeted connects and reads the 220 greeting.
func dialGreeted(addr string) (*client, error) {
	c, err := dialClient(addr)
	if err != nil {
		return nil, err
	}
	if err := c.expect("220"); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// sendMail speaks the session of testdata/happy.txt and closes.
func sendMail(addr string, _ *tls.Config) error {
	c, err := dialGreeted(addr)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.steps(
		"EHLO client.example.test", "250",
		"MAIL FROM:<a@example.test>", "250",
		"RCPT TO:<b@example.test>", "250",
		"DATA", "354",
	); err != nil {
		return err
	}
	for _, line := range []string{"Subject: hi", "", "body line"} {
		if err := c.send(line); err != nil {
			return err
		}
	}
	return c.steps(".", "250", "QUIT", "221")
}

// startTLSSession speaks the session of testdata/starttls.txt and closes.
func startTLSSession(addr string, cfg *tls.Config) error {
	c, err := dialGreeted(addr)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.steps("EHLO client.example.test", "250", "STARTTLS", "220"); err != nil {
		return err
	}
	if err := c.starttls(cfg); err != nil {
		return err
	}
	return c.steps(
		"EHLO client.example.test", "250",
		"AUTH PLAIN AHVzZXIAcGFzcw==", "235",
		"QUIT", "221",
	)
}
