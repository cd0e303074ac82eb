package smtpwire

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// transcriptFiles returns the lines of every golden transcript, the seeds
// of the fuzz targets that read the network. (smtptest's parser cannot be
// used here: smtptest imports this package.)
func transcriptFiles(f *testing.F) [][]string {
	f.Helper()
	files, err := filepath.Glob("../testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden transcripts to seed from: %v", err)
	}
	var out [][]string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, strings.Split(string(b), "\n"))
	}
	return out
}

// wireText is the text of an "S:" or "C:" line.
func wireText(l, prefix string) string { return strings.TrimPrefix(strings.TrimPrefix(l, prefix), " ") }

// transcriptLines returns the text of the transcripts' lines that start
// with prefix ("S:", "S: 250"), without the "S:".
func transcriptLines(f *testing.F, prefix string) []string {
	var out []string
	for _, lines := range transcriptFiles(f) {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				out = append(out, wireText(l, prefix[:2]))
			}
		}
	}
	return out
}

// transcriptReplies returns each golden transcript's server lines joined
// with CRLF: whole server streams.
func transcriptReplies(f *testing.F) [][]byte {
	var out [][]byte
	for _, lines := range transcriptFiles(f) {
		var stream bytes.Buffer
		for _, l := range lines {
			if strings.HasPrefix(l, "S:") {
				stream.WriteString(wireText(l, "S:") + "\r\n")
			}
		}
		out = append(out, stream.Bytes())
	}
	return out
}

// transcriptMessages returns the messages of the golden transcripts: the
// client lines between DATA's 354 and the final ".", unstuffed.
func transcriptMessages(f *testing.F) [][]byte {
	var out [][]byte
	for _, lines := range transcriptFiles(f) {
		var msg bytes.Buffer
		in := false
		for _, l := range lines {
			switch {
			case strings.HasPrefix(l, "S: 354"):
				in = true
				msg.Reset()
			case in && (l == "C: ." || !strings.HasPrefix(l, "C:")):
				in = false
				out = append(out, append([]byte(nil), msg.Bytes()...))
			case in:
				msg.WriteString(strings.TrimPrefix(wireText(l, "C:"), ".") + "\r\n")
			}
		}
	}
	return out
}

// FuzzParseReply: any lines give a reply or an error, never a panic, and a
// reply keeps its raw lines and a three-digit code.
func FuzzParseReply(f *testing.F) {
	for _, l := range transcriptLines(f, "S:") {
		f.Add(l)
	}
	f.Add("250-a\n250 b")
	f.Add("250-a\n550 b")
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		r, err := ParseReply(lines)
		if err != nil {
			return
		}
		if r.Code < 100 || r.Code > 599 {
			t.Fatalf("code %d from %q", r.Code, lines)
		}
		if len(r.Raw) != len(lines) {
			t.Fatalf("raw lines %q, want %q", r.Raw, lines)
		}
		_ = r.Message()
		_ = r.String()
	})
}

// FuzzParseExtensions: any EHLO reply gives a set of extensions.
func FuzzParseExtensions(f *testing.F) {
	for _, l := range transcriptLines(f, "S: 250") {
		f.Add(l)
	}
	f.Add("250-x\n250-SIZE 99999999999999999999\n250 AUTH=LOGIN PLAIN")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReply(strings.Split(s, "\n"))
		if err != nil {
			return
		}
		e := ParseExtensions(r)
		e.Keywords()
		if n, ok := e.Size(); ok && n < 0 {
			t.Fatalf("negative SIZE %d from %q", n, s)
		}
		for _, m := range e.AuthMechanisms() {
			if strings.ContainsAny(m, " \r\n") {
				t.Fatalf("mechanism %q from %q", m, s)
			}
		}
	})
}

// FuzzAuthChallenge: any 334 line is decoded or refused; LOGIN answers at
// most two challenges and never the password first.
func FuzzAuthChallenge(f *testing.F) {
	for _, l := range transcriptLines(f, "S: 334") {
		f.Add(l, "334 UGFzc3dvcmQ6")
	}
	f.Add("334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6")
	f.Add("334 UGFzc3dvcmQ6", "334 VXNlcm5hbWU6")
	f.Add("334 =", "334 !!")
	f.Fuzz(func(t *testing.T, first, second string) {
		m := LoginAuth("user", "secret-password")
		var sent []string
		for _, line := range []string{first, second, "334 " + base64.StdEncoding.EncodeToString([]byte("Password:"))} {
			_ = decodeChallengeLine(line + "   ")
			r, err := ParseReply([]string{line})
			if err != nil || r.Code != CodeAuthChallenge {
				return
			}
			ch, err := r.Challenge()
			if err != nil {
				return
			}
			resp, err := m.Next(ch)
			if err != nil {
				return
			}
			sent = append(sent, string(resp))
		}
		if len(sent) > 2 {
			t.Fatalf("LOGIN answered %d challenges", len(sent))
		}
		if len(sent) > 0 && sent[0] == "secret-password" {
			t.Fatalf("LOGIN sent the password first for %q", first)
		}
	})
}

// streamConn is a connection whose server side is a fixed byte stream,
// released one reply at a time: the greeting at first, then the next
// reply each time the client writes a line. With nothing released, a read
// times out at once, as a real one would at its deadline. What the
// client writes is dropped.
type streamConn struct {
	data           []byte
	read, released int
}

func newStreamConn(data []byte) *streamConn {
	c := &streamConn{data: data}
	c.release()
	return c
}

// release lets the next reply through: lines up to a final one.
func (c *streamConn) release() {
	for c.released < len(c.data) {
		end := bytes.IndexByte(c.data[c.released:], '\n')
		if end < 0 {
			c.released = len(c.data)
			return
		}
		line := c.data[c.released : c.released+end]
		c.released += end + 1
		if len(line) < 4 || line[3] != '-' {
			return
		}
	}
}

func (c *streamConn) Read(p []byte) (int, error) {
	if c.read >= len(c.data) {
		return 0, io.EOF
	}
	if c.read >= c.released {
		return 0, os.ErrDeadlineExceeded
	}
	n := copy(p, c.data[c.read:c.released])
	c.read += n
	return n, nil
}

func (c *streamConn) Write(p []byte) (int, error) {
	// One reply per line written: a pipelined group gets one each.
	for range bytes.Count(p, []byte("\n")) {
		c.release()
	}
	return len(p), nil
}

func (c *streamConn) Close() error                       { return nil }
func (c *streamConn) LocalAddr() net.Addr                { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (c *streamConn) RemoteAddr() net.Addr               { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 25} }
func (c *streamConn) SetDeadline(t time.Time) error      { return nil }
func (c *streamConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *streamConn) SetWriteDeadline(t time.Time) error { return nil }

// FuzzClientSession: the reply reader and the state machine take any
// server stream, in lockstep with the default limits or pipelined with
// tiny ones, and end with replies
// or errors, never a panic or a hang, and never with the password in an
// error.
func FuzzClientSession(f *testing.F) {
	for _, s := range transcriptReplies(f) {
		f.Add(s, false)
	}
	f.Add([]byte("220 x\r\n250 ok\r\n334 UGFzc3dvcmQ6\r\n334 UGFzc3dvcmQ6\r\n334 UGFzc3dvcmQ6\r\n"), true)
	f.Fuzz(func(t *testing.T, stream []byte, small bool) {
		cfg := &Config{}
		if small {
			cfg.MaxLineLength, cfg.MaxReplyLines = 16, 3
		}
		c := NewClient(newStreamConn(stream), cfg)
		ctx := context.Background()
		if _, err := c.Greet(ctx); err != nil {
			return
		}
		errs := []error{c.Hello(ctx, "client.test")}
		errs = append(errs, c.Auth(ctx, LoginAuth("user", "secret-password")))
		if small {
			// The pipelined path (RFC 2920): one group, replies one by one.
			errs = append(errs, c.QueueMail("a@example.com", nil), c.QueueRcpt("b@example.com", nil), c.QueueCommand("DATA"))
			for c.Queued() > 0 {
				if _, err := c.ReadQueued(ctx); err != nil {
					errs = append(errs, err)
					break
				}
			}
			if c.State() == StateData {
				_, err := c.WriteMessage(ctx, strings.NewReader("Subject: x\r\n\r\n.hello\r\n"))
				errs = append(errs, err, c.Flush(ctx))
				if c.Queued() > 0 {
					_, err = c.ReadQueued(ctx)
					errs = append(errs, err)
				}
			}
		} else {
			errs = append(errs, c.Mail(ctx, "a@example.com", nil), c.Rcpt(ctx, "b@example.com", nil))
			if w, err := c.Data(ctx); err == nil {
				io.WriteString(w, "Subject: x\r\n\r\n.hello\r\n")
				errs = append(errs, w.Close())
			}
		}
		errs = append(errs, c.Quit(ctx))
		secret := base64.StdEncoding.EncodeToString([]byte("secret-password"))
		for _, err := range errs {
			if err != nil && (strings.Contains(strings.ToLower(err.Error()), strings.ToLower(secret)) || strings.Contains(err.Error(), "secret-password")) {
				t.Fatalf("error holds the password: %v", err)
			}
		}
	})
}
