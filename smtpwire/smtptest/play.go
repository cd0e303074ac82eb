package smtptest

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// PlayOptions configures Script.Play.
type PlayOptions struct {
	// TLSConfig is the client configuration for "! tls"; it is cloned.
	// Nil means one trusting the system roots, for the host Play dialled.
	TLSConfig *tls.Config
	// Timeout bounds each read, write and TLS handshake; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Line, if set, sees each step as it is played: "  C: ..." and
	// "  S: ..." for lines sent and matched, "- S: want" and "+ S: got"
	// for a mismatch.
	Line func(s string)
}

// PlayMismatchError reports a server line that does not match the
// transcript's S: line.
type PlayMismatchError struct {
	File string
	Line int
	Want string // the S: pattern
	Got  string // the line the server sent; "" with Err set if none came
	Err  error  // why no line came (timeout, closed), or nil
}

func (e *PlayMismatchError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s:%d: want server line %q, got none: %v", e.File, e.Line, e.Want, e.Err)
	}
	return fmt.Sprintf("%s:%d: server sent %q, want %q", e.File, e.Line, e.Got, e.Want)
}

func (e *PlayMismatchError) Unwrap() error { return e.Err }

// Play is the other direction of Serve: it plays the script as the client
// over conn, sending each C: line and checking that each server line
// matches its S: line, then closes conn. An S: line is a pattern (see
// MatchGlob): "S: 250*" takes any line starting "250", "S: 5?? *" any
// permanent failure; a line without "*" or "?" must match exactly. "! tls"
// runs a TLS client handshake; "! close" expects the server to close the
// connection. A C: line ending in smtpwire.Redacted cannot be sent and is
// an error.
//
// Play returns nil when the server followed the script, a
// *PlayMismatchError at the first line that did not, and other errors for
// I/O failures, each naming the script line.
func (s *Script) Play(ctx context.Context, conn net.Conn, opts *PlayOptions) error {
	defer conn.Close()
	if err := s.validate(); err != nil {
		return err
	}
	var o PlayOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	show := func(format string, args ...any) {
		if o.Line != nil {
			o.Line(fmt.Sprintf(format, args...))
		}
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	raw := conn
	br := bufio.NewReader(conn)
	for _, st := range s.Steps {
		switch st.Kind {
		case StepClient:
			if strings.HasSuffix(st.Text, smtpwire.Redacted) {
				return fmt.Errorf("%s: C: line hides what to send behind %s: write the real line in the transcript", s.pos(st.Line), smtpwire.Redacted)
			}
			conn.SetWriteDeadline(time.Now().Add(o.Timeout))
			if _, err := io.WriteString(conn, st.Text+"\r\n"); err != nil {
				return fmt.Errorf("%s: sending %q: %w", s.pos(st.Line), st.Text, err)
			}
			show("  C: %s", st.Text)
		case StepServer:
			conn.SetReadDeadline(time.Now().Add(o.Timeout))
			line, err := readLine(br, DefaultMaxLineLength)
			got := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
			if err != nil {
				if ctx.Err() != nil {
					err = ctx.Err()
				}
				show("- S: %s", st.Text)
				show("+ (nothing: %v)", err)
				return &PlayMismatchError{File: s.name(), Line: st.Line, Want: st.Text, Err: err}
			}
			if !MatchGlob(st.Text, got) {
				show("- S: %s", st.Text)
				show("+ S: %s", got)
				return &PlayMismatchError{File: s.name(), Line: st.Line, Want: st.Text, Got: got}
			}
			show("  S: %s", got)
		case StepTLS:
			if br.Buffered() > 0 {
				early, _ := br.Peek(br.Buffered())
				return fmt.Errorf("%s: server sent %q before the TLS handshake", s.pos(st.Line), early)
			}
			cfg := o.TLSConfig.Clone()
			if cfg == nil {
				cfg = &tls.Config{}
			}
			if cfg.ServerName == "" {
				host, _, _ := net.SplitHostPort(raw.RemoteAddr().String())
				cfg.ServerName = host
			}
			tc := tls.Client(raw, cfg)
			raw.SetDeadline(time.Now().Add(o.Timeout))
			if err := tc.HandshakeContext(ctx); err != nil {
				return fmt.Errorf("%s: TLS handshake: %w", s.pos(st.Line), err)
			}
			conn, br = tc, bufio.NewReader(tc)
			show("! tls (%s)", tls.VersionName(tc.ConnectionState().Version))
		case StepClose:
			conn.SetReadDeadline(time.Now().Add(o.Timeout))
			line, err := br.ReadString('\n')
			if err == nil || line != "" {
				show("- ! close")
				show("+ S: %s", strings.TrimRight(line, "\r\n"))
				return &PlayMismatchError{File: s.name(), Line: st.Line, Want: "! close", Got: strings.TrimRight(line, "\r\n")}
			}
			if !closedByPeer(err) {
				return fmt.Errorf("%s: want the server to close the connection: %w", s.pos(st.Line), err)
			}
			show("! close")
		}
	}
	return nil
}
