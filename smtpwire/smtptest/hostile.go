package smtptest

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// A Hostile is a misbehaving SMTP server for robustness tests: a plain,
// correct session (greeting, EHLO with STARTTLS and AUTH PLAIN LOGIN, AUTH,
// MAIL, RCPT, DATA, QUIT) in which any step can be replaced by an Act
// that goes silent, hangs up, resets, drips, answers twice, sends replies
// ahead, never ends a reply, and so on.
//
// Steps are named by the command they answer ("EHLO", "STARTTLS", "AUTH",
// "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT"), plus "greeting", "AUTH
// LOGIN user" and "AUTH LOGIN password" (the LOGIN challenges' answers),
// "BODY" (while the message is read: called once, at its first line) and
// "DOT" (the reply to the final "."). It serves every client that
// connects, on 127.0.0.1, until Close.
type Hostile struct {
	// Acts replaces the server's behaviour at the named steps.
	Acts map[string]Act
	// TLS, when set, is the server side of STARTTLS (offered in EHLO) or,
	// with Implicit, of TLS from the first byte. Default: the test
	// certificate (see CertPool).
	TLS *tls.Config
	// Implicit starts TLS before the greeting (RFC 8314).
	Implicit bool
	// NoSTARTTLS leaves STARTTLS out of the EHLO reply.
	NoSTARTTLS bool

	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]bool
	done  chan struct{}
}

// Act is what the server does at one step. line is the client's command
// line (empty for "greeting"). It returns false to end the session.
type Act func(hc *HostileConn, line string) bool

// HostileConn is one session of a Hostile server, for Acts.
type HostileConn struct {
	srv  *Hostile
	conn net.Conn
	r    *bufio.Reader
	tls  bool
}

// Start listens on 127.0.0.1:0 and serves until Close.
func (h *Hostile) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("smtptest: listening: %w", err)
	}
	if h.TLS == nil {
		h.TLS = &tls.Config{Certificates: []tls.Certificate{TLSCertificate()}}
	}
	h.ln, h.conns, h.done = ln, map[net.Conn]bool{}, make(chan struct{})
	h.wg.Add(1)
	go h.accept()
	return nil
}

// Addr is the address to dial.
func (h *Hostile) Addr() string { return h.ln.Addr().String() }

// Close stops listening, closes every session and waits for their
// goroutines to end.
func (h *Hostile) Close() {
	h.mu.Lock()
	select {
	case <-h.done:
	default:
		close(h.done)
	}
	h.ln.Close()
	for c := range h.conns {
		c.Close()
	}
	h.mu.Unlock()
	h.wg.Wait()
}

func (h *Hostile) accept() {
	defer h.wg.Done()
	for {
		conn, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		select {
		case <-h.done:
			h.mu.Unlock()
			conn.Close()
			return
		default:
		}
		h.conns[conn] = true
		h.wg.Add(1)
		h.mu.Unlock()
		go func() {
			defer h.wg.Done()
			defer conn.Close()
			h.serve(conn)
		}()
	}
}

func (h *Hostile) serve(conn net.Conn) {
	hc := &HostileConn{srv: h, conn: conn, r: bufio.NewReader(conn)}
	if h.Implicit {
		if !hc.StartTLS() {
			return
		}
	}
	if !h.act(hc, "greeting", "", func() bool { return hc.Say("220 hostile.test ESMTP") }) {
		return
	}
	for {
		line, ok := hc.ReadLine()
		if !ok {
			return
		}
		verb := ""
		if f := strings.Fields(line); len(f) > 0 {
			verb = strings.ToUpper(f[0])
		}
		if !h.act(hc, verb, line, func() bool { return h.standard(hc, verb, line) }) {
			return
		}
	}
}

// act runs the Act for step, or def.
func (h *Hostile) act(hc *HostileConn, step, line string, def func() bool) bool {
	if a, ok := h.Acts[step]; ok {
		return a(hc, line)
	}
	return def()
}

// standard is the correct behaviour of a step.
func (h *Hostile) standard(hc *HostileConn, verb, line string) bool {
	switch verb {
	case "EHLO":
		lines := []string{"250-hostile.test"}
		if !hc.tls && !h.Implicit && !h.NoSTARTTLS {
			lines = append(lines, "250-STARTTLS")
		}
		return hc.Say(append(lines, "250-8BITMIME", "250 AUTH PLAIN LOGIN")...)
	case "HELO":
		return hc.Say("250 hostile.test")
	case "STARTTLS":
		return hc.Say("220 2.0.0 go ahead") && hc.StartTLS()
	case "AUTH":
		f := strings.Fields(line)
		if len(f) == 2 && strings.EqualFold(f[1], "LOGIN") {
			if !hc.Say("334 VXNlcm5hbWU6") {
				return false
			}
			if _, ok := hc.ReadLine(); !ok {
				return false
			}
			if !h.act(hc, "AUTH LOGIN user", "", func() bool { return hc.Say("334 UGFzc3dvcmQ6") }) {
				return false
			}
			if _, ok := hc.ReadLine(); !ok {
				return false
			}
			return h.act(hc, "AUTH LOGIN password", "", func() bool { return hc.Say("235 2.7.0 ok") })
		}
		return hc.Say("235 2.7.0 ok")
	case "MAIL", "RCPT", "RSET", "NOOP":
		return hc.Say("250 2.0.0 ok")
	case "DATA":
		if !hc.Say("354 go ahead") {
			return false
		}
		first := true
		for {
			// ReadSlice: a big message costs no allocation per line.
			b, err := hc.r.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull {
				return false
			}
			if first {
				first = false
				if a, ok := h.Acts["BODY"]; ok && !a(hc, strings.TrimRight(string(b), "\r\n")) {
					return false
				}
			}
			if string(b) == ".\r\n" || string(b) == ".\n" {
				break
			}
		}
		return h.act(hc, "DOT", ".", func() bool { return hc.Say("250 2.0.0 queued") })
	case "QUIT":
		hc.Say("221 2.0.0 bye")
		return false
	}
	return hc.Say("500 5.5.2 unknown command")
}

// ReadLine reads one client line without its CRLF.
func (hc *HostileConn) ReadLine() (string, bool) {
	l, err := hc.r.ReadString('\n')
	if err != nil {
		return "", false
	}
	return strings.TrimRight(l, "\r\n"), true
}

// Say sends each line with CRLF.
func (hc *HostileConn) Say(lines ...string) bool {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	return hc.Raw(b.String())
}

// Raw sends bytes as they are.
func (hc *HostileConn) Raw(s string) bool {
	_, err := io.WriteString(hc.conn, s)
	return err == nil
}

// Silence reads and discards until the client hangs up or the server
// closes: the server says nothing more.
func (hc *HostileConn) Silence() bool {
	io.Copy(io.Discard, hc.r)
	return false
}

// Reset closes the connection with a TCP reset (RST) instead of FIN.
func (hc *HostileConn) Reset() bool {
	if tc, ok := hc.conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	} else if tc, ok := hc.conn.(*tls.Conn); ok {
		if t, ok := tc.NetConn().(*net.TCPConn); ok {
			t.SetLinger(0)
		}
	}
	hc.conn.Close()
	return false
}

// Drip sends s one byte every delay, until done or the client is gone.
func (hc *HostileConn) Drip(s string, delay time.Duration) bool {
	for i := 0; i < len(s); i++ {
		if !hc.wait(delay) || !hc.Raw(s[i:i+1]) {
			return false
		}
	}
	return true
}

// Endless sends line with CRLF again and again until the client is gone.
func (hc *HostileConn) Endless(line string) bool {
	for hc.Say(line) {
		select {
		case <-hc.srv.done:
			return false
		default:
		}
	}
	return false
}

// wait sleeps for d unless the server is closing.
func (hc *HostileConn) wait(d time.Duration) bool {
	select {
	case <-hc.srv.done:
		return false
	case <-time.After(d):
		return true
	}
}

// StartTLS runs the server TLS handshake on the connection.
func (hc *HostileConn) StartTLS() bool {
	tc := tls.Server(hc.conn, hc.srv.TLS)
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		return false
	}
	tc.SetDeadline(time.Time{})
	hc.srv.mu.Lock()
	hc.srv.conns[tc] = true
	hc.srv.mu.Unlock()
	hc.conn, hc.r, hc.tls = tc, bufio.NewReader(tc), true
	return true
}

// Reply is an Act that answers with lines and goes on.
func Reply(lines ...string) Act {
	return func(hc *HostileConn, _ string) bool { return hc.Say(lines...) }
}

// ReplyThenClose answers with lines and hangs up.
func ReplyThenClose(lines ...string) Act {
	return func(hc *HostileConn, _ string) bool { hc.Say(lines...); return false }
}

// Silent says nothing more, ever.
func Silent() Act { return func(hc *HostileConn, _ string) bool { return hc.Silence() } }

// HangUp closes the connection (FIN).
func HangUp() Act { return func(*HostileConn, string) bool { return false } }

// ResetConn closes the connection with RST.
func ResetConn() Act { return func(hc *HostileConn, _ string) bool { return hc.Reset() } }

// Repeat answers this line and every later one with the same lines.
func Repeat(lines ...string) Act {
	return func(hc *HostileConn, _ string) bool {
		for hc.Say(lines...) {
			if _, ok := hc.ReadLine(); !ok {
				return false
			}
		}
		return false
	}
}

// DripReply sends the reply (CRLF added) a byte at a time.
func DripReply(reply string, delay time.Duration) Act {
	return func(hc *HostileConn, _ string) bool { return hc.Drip(reply+"\r\n", delay) }
}

// Late waits d, then answers.
func Late(d time.Duration, lines ...string) Act {
	return func(hc *HostileConn, _ string) bool { return hc.wait(d) && hc.Say(lines...) }
}

// Endless sends line for ever.
func Endless(line string) Act {
	return func(hc *HostileConn, _ string) bool { return hc.Endless(line) }
}

// StopReading never reads again and never answers: a client writing a
// big message fills the socket buffers and blocks.
func StopReading() Act {
	return func(hc *HostileConn, _ string) bool {
		<-hc.srv.done
		return false
	}
}
