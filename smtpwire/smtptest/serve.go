package smtptest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Defaults used when a ServeOptions field is zero.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultMaxLineLength = 64 << 10
)

// ServeOptions configures Script.Serve and Server. A nil *ServeOptions or a
// zero field means the default.
type ServeOptions struct {
	// TLSConfig is the server configuration for the "! tls" handshake. It
	// is cloned, never modified. Nil means a configuration presenting
	// TLSCertificate().
	TLSConfig *tls.Config

	// Timeout bounds every read, write and TLS handshake, the wait for the
	// client to close at the end of the script and, for a Server, the wait
	// for the client to connect. Zero means DefaultTimeout.
	Timeout time.Duration

	// MaxLineLength is the longest client line accepted, CRLF included.
	// A longer line ends the session with an error. Zero means
	// DefaultMaxLineLength.
	MaxLineLength int

	// KeepGoing makes a C: mismatch not end the session: the mismatch is
	// recorded and the session goes on as if the client had sent the
	// expected line. Serve then returns every *MismatchError, joined with
	// errors.Join, followed by the error that ended the session, if any.
	// Replay sets it in update mode.
	KeepGoing bool
}

func (o *ServeOptions) withDefaults() ServeOptions {
	var v ServeOptions
	if o != nil {
		v = *o
	}
	if v.Timeout <= 0 {
		v.Timeout = DefaultTimeout
	}
	if v.MaxLineLength <= 0 {
		v.MaxLineLength = DefaultMaxLineLength
	}
	return v
}

// MismatchError reports a client line that differs from the script's C:
// line. Got is the line the client sent without its CRLF; when the line
// ended in a bare LF instead, Got keeps that LF.
type MismatchError struct {
	File string
	Line int
	Want string
	Got  string
}

// Error returns `file:line: client sent "got", want "want"`, noting a bare
// LF line ending.
func (e *MismatchError) Error() string {
	msg := fmt.Sprintf("%s:%d: client sent %q, want %q", e.File, e.Line, e.Got, e.Want)
	if strings.HasSuffix(e.Got, "\n") {
		msg += " (line ends in a bare LF, not CRLF)"
	}
	return msg
}

// fixable reports whether Got can be written as a C: line.
func (e *MismatchError) fixable() bool {
	return !strings.ContainsAny(e.Got, "\r\n")
}

// Serve plays the script as the server on conn, then closes conn.
//
// Consecutive S: lines are written with a single Write. Each client line is
// read (at most MaxLineLength bytes, within Timeout) and compared byte for
// byte with the expected C: line; it must end in CRLF. A C: line whose text
// ends in smtpwire.Redacted matches any client line that starts with the
// text before the placeholder and has at least one more byte. At "! tls"
// Serve performs a TLS server handshake, failing if the client sent bytes
// before it; at "! close" it closes the connection and returns nil.
//
// When the script ends without "! close", Serve shuts down its writing side
// (as a server does after 221) and waits up to Timeout for the client to
// close the connection; bytes the client sends meanwhile are an error.
//
// Serve returns nil when the client followed the script. A wrong line is a
// *MismatchError. Other errors name the script line ("file:line: ...") and
// wrap their cause: io.EOF when the client closed the connection early,
// os.ErrDeadlineExceeded on a timeout.
func (s *Script) Serve(conn net.Conn, opts *ServeOptions) error {
	ss := &session{
		script: s,
		opts:   opts.withDefaults(),
		raw:    conn,
		conn:   conn,
		br:     bufio.NewReader(conn),
	}
	defer ss.close()
	if err := s.validate(); err != nil {
		return err
	}
	err := ss.run()
	if len(ss.mismatches) == 0 {
		return err
	}
	return errors.Join(append(ss.mismatches, err)...)
}

// session is the state of one Serve call.
type session struct {
	script     *Script
	opts       ServeOptions
	raw        net.Conn      // the accepted connection
	conn       net.Conn      // raw, or the *tls.Conn over it after "! tls"
	tlsConn    *tls.Conn     // nil before "! tls"
	br         *bufio.Reader // reads conn
	mismatches []error       // recorded in KeepGoing mode
}

// fail returns an error for the script line: "file:line: msg", wrapping err.
func (ss *session) fail(line int, err error, format string, args ...any) error {
	return &stepError{pos: ss.script.pos(line), msg: fmt.Sprintf(format, args...), err: err}
}

func (ss *session) run() error {
	steps := ss.script.Steps
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		switch st.Kind {
		case StepServer:
			var buf []byte
			for ; i < len(steps) && steps[i].Kind == StepServer; i++ {
				// Recordings keep control bytes as \xNN: the wire gets the bytes.
				buf = append(buf, smtpwire.UnescapeLine(steps[i].Text)...)
				buf = append(buf, "\r\n"...)
			}
			i--
			if err := ss.write(st.Line, buf); err != nil {
				return err
			}
		case StepClient:
			if err := ss.expect(st); err != nil {
				return err
			}
		case StepTLS:
			if err := ss.handshake(st.Line); err != nil {
				return err
			}
		case StepClose:
			ss.close()
			return nil
		}
	}
	last := 0
	if len(steps) > 0 {
		last = steps[len(steps)-1].Line
	}
	return ss.waitForClose(last)
}

func (ss *session) write(line int, buf []byte) error {
	ss.conn.SetWriteDeadline(time.Now().Add(ss.opts.Timeout))
	if _, err := ss.conn.Write(buf); err != nil {
		return ss.fail(line, err, "writing to the client: %v", err)
	}
	return nil
}

// expect reads one client line and compares it with st.
func (ss *session) expect(st Step) error {
	ss.conn.SetReadDeadline(time.Now().Add(ss.opts.Timeout))
	line, err := readLine(ss.br, ss.opts.MaxLineLength)
	if err != nil {
		return ss.readError(st, line, err)
	}
	got := strings.TrimSuffix(string(line), "\r\n")
	if matches(st.Text, got) || matches(st.Text, smtpwire.EscapeLine(got)) {
		return nil
	}
	me := &MismatchError{File: ss.script.name(), Line: st.Line, Want: st.Text, Got: got}
	if !ss.opts.KeepGoing {
		return me
	}
	ss.mismatches = append(ss.mismatches, me)
	return nil
}

// readError describes a failed read of the line st expects; partial is what
// was read before the error.
func (ss *session) readError(st Step, partial []byte, err error) error {
	switch {
	case errors.Is(err, errLineTooLong):
		return ss.fail(st.Line, err, "client line longer than %d bytes (starts %q), want %q",
			ss.opts.MaxLineLength, partial[:min(len(partial), 40)], st.Text)
	case errors.Is(err, os.ErrDeadlineExceeded):
		if len(partial) > 0 {
			return ss.fail(st.Line, err, "client sent %q and then nothing for %v, want %q", partial, ss.opts.Timeout, st.Text)
		}
		return ss.fail(st.Line, err, "client sent nothing for %v, want %q", ss.opts.Timeout, st.Text)
	case closedByPeer(err):
		if len(partial) > 0 {
			return ss.fail(st.Line, err, "client closed the connection after sending %q without a line ending, want %q", partial, st.Text)
		}
		return ss.fail(st.Line, err, "client closed the connection, want %q", st.Text)
	}
	return ss.fail(st.Line, err, "reading the client line: %v, want %q", err, st.Text)
}

// matches reports whether the client line got satisfies the C: text want.
func matches(want, got string) bool {
	if prefix, ok := strings.CutSuffix(want, smtpwire.Redacted); ok {
		return len(got) > len(prefix) && strings.HasPrefix(got, prefix)
	}
	return got == want
}

// handshake runs the TLS server handshake of a "! tls" step.
func (ss *session) handshake(line int) error {
	if n := ss.br.Buffered(); n > 0 {
		early, _ := ss.br.Peek(n)
		return ss.fail(line, nil, "client sent %q before the TLS handshake", early)
	}
	cfg := ss.opts.TLSConfig.Clone()
	if cfg == nil {
		cfg = &tls.Config{Certificates: []tls.Certificate{TLSCertificate()}}
	}
	tc := tls.Server(ss.raw, cfg)
	ss.raw.SetDeadline(time.Now().Add(ss.opts.Timeout))
	if err := tc.Handshake(); err != nil {
		return ss.fail(line, err, "TLS handshake: %v", err)
	}
	ss.raw.SetDeadline(time.Time{})
	ss.tlsConn, ss.conn, ss.br = tc, tc, bufio.NewReader(tc)
	return nil
}

// waitForClose ends a script that has no "! close": it shuts down the
// writing side and waits for the client to close its side.
func (ss *session) waitForClose(line int) error {
	ss.conn.SetWriteDeadline(time.Now().Add(ss.opts.Timeout))
	if ss.tlsConn != nil {
		ss.tlsConn.CloseWrite() // close_notify; the TCP connection stays open
	} else if cw, ok := ss.raw.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	ss.conn.SetReadDeadline(time.Now().Add(ss.opts.Timeout))
	buf := make([]byte, 256)
	n, err := ss.br.Read(buf)
	switch {
	case n > 0:
		return ss.fail(line, nil, "client sent %q after the end of the script", buf[:n])
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ss.fail(line, err, "client did not close the connection within %v after the end of the script", ss.opts.Timeout)
	}
	return nil // closed, reset or otherwise gone: all fine once the script is done
}

// close closes the connection, sending a TLS close_notify first if TLS is
// up. It may be called more than once.
func (ss *session) close() {
	if ss.tlsConn != nil {
		ss.tlsConn.Close()
	}
	ss.raw.Close()
}

var errLineTooLong = errors.New("line too long")

// readLine reads up to and including the next LF, or returns errLineTooLong
// once more than limit bytes have come without one. On error it returns
// what was read so far.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > limit {
			return append(line, frag[:limit-len(line)]...), errLineTooLong
		}
		line = append(line, frag...)
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// closedByPeer reports whether err means the client closed the connection.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET)
}

// stepError is an error tied to a script line: "file:line: msg".
type stepError struct {
	pos string
	msg string
	err error
}

func (e *stepError) Error() string { return e.pos + ": " + e.msg }
func (e *stepError) Unwrap() error { return e.err }
