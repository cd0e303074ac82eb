package smtpwire

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "pa55-w0rd-secret"

// secretForms are the ways a secret can leak: as is, in base64 (alone or
// inside a PLAIN response), in any letter case.
func secretForms(user string) []string {
	return []string{
		testSecret,
		base64.StdEncoding.EncodeToString([]byte(testSecret)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + testSecret)),
	}
}

// assertNoSecret fails when text holds the secret in any form or case.
func assertNoSecret(t *testing.T, user, what, text string) {
	t.Helper()
	for _, f := range secretForms(user) {
		assert.NotContains(t, strings.ToLower(text), strings.ToLower(f), "%s holds the secret %q", what, f)
	}
}

func TestAuthErrorsNameTheStepNotThePayload(t *testing.T) {
	login := func(after func(net.Conn)) func(net.Conn, *bufio.Reader) {
		return func(conn net.Conn, r *bufio.Reader) {
			io.WriteString(conn, "220 test ESMTP\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "250 AUTH LOGIN PLAIN\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "334 VXNlcm5hbWU6\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "334 UGFzc3dvcmQ6\r\n")
			r.ReadString('\n')
			after(conn)
		}
	}
	plain := func(after func(net.Conn)) func(net.Conn, *bufio.Reader) {
		return func(conn net.Conn, r *bufio.Reader) {
			io.WriteString(conn, "220 test ESMTP\r\n")
			r.ReadString('\n')
			io.WriteString(conn, "250 AUTH LOGIN PLAIN\r\n")
			r.ReadString('\n')
			after(conn)
		}
	}
	hangUp := func(net.Conn) {}
	silence := func(net.Conn) { time.Sleep(400 * time.Millisecond) }
	echo := func(conn net.Conn) {
		io.WriteString(conn, "535 5.7.8 bad credentials "+base64.StdEncoding.EncodeToString([]byte(testSecret))+" / "+strings.ToUpper(base64.StdEncoding.EncodeToString([]byte(testSecret)))+" "+testSecret+"\r\n")
	}
	echoPlain := func(conn net.Conn) {
		io.WriteString(conn, "535 5.7.8 bad "+base64.StdEncoding.EncodeToString([]byte("\x00me\x00"+testSecret))+
			" password alone: "+base64.StdEncoding.EncodeToString([]byte(testSecret))+" "+testSecret+"\r\n")
	}
	login_ := func() Mechanism { return LoginAuth("me", testSecret) }
	plain_ := func() Mechanism { return PlainAuth("", "me", testSecret) }
	tests := []struct {
		name  string
		serve func(net.Conn, *bufio.Reader)
		mech  func() Mechanism
		step  string
	}{
		{"LOGIN, hang-up after the password", login(hangUp), login_, "AUTH LOGIN password"},
		{"LOGIN, silence after the password", login(silence), login_, "AUTH LOGIN password"},
		{"LOGIN, the password echoed", login(echo), login_, "AUTH LOGIN"},
		{"PLAIN, hang-up after the initial response", plain(hangUp), plain_, "AUTH PLAIN initial response"},
		{"PLAIN, silence after the initial response", plain(silence), plain_, "AUTH PLAIN initial response"},
		{"PLAIN, the response echoed", plain(echoPlain), plain_, "AUTH PLAIN"},
	}
	for _, tt := range tests {
		for _, traceSecrets := range []bool{false, true} {
			name := tt.name
			if traceSecrets {
				name += ", TraceSecrets"
			}
			t.Run(name, func(t *testing.T) {
				addr, _ := rawServer(t, tt.serve)
				var trace strings.Builder
				cfg := &Config{Timeouts: Timeouts{Greeting: 2 * time.Second, Command: 200 * time.Millisecond},
					Trace: func(ev TraceEvent) {
						if ev.Dir == Received { // what the client sent is the caller's own business with TraceSecrets
							trace.WriteString(ev.Line + "\n" + ev.Decoded + "\n")
						} else if !traceSecrets {
							trace.WriteString(ev.Line + "\n")
						}
					}, TraceSecrets: traceSecrets}
				ctx := context.Background()
				c, err := Dial(ctx, addr, cfg)
				require.NoError(t, err)
				defer c.Close()
				require.NoError(t, c.Hello(ctx, "me"))
				err = c.Auth(ctx, tt.mech())
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.step)
				assertNoSecret(t, "me", "the error", err.Error())
				assertNoSecret(t, "me", "the trace", trace.String())
				if r := c.LastReply(); r != nil {
					assertNoSecret(t, "me", "the last reply", r.String())
				}
				_, err = c.Cmd(ctx, "NOOP")
				if err != nil {
					assertNoSecret(t, "me", "a later error", err.Error())
				}
			})
		}
	}
}
