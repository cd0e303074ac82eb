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

// answerAll greets, accepts EHLO, and answers every later line with reply.
func answerAll(reply string) func(net.Conn, *bufio.Reader) {
	return func(conn net.Conn, r *bufio.Reader) {
		io.WriteString(conn, "220 test ESMTP\r\n")
		r.ReadString('\n')
		io.WriteString(conn, "250 AUTH PLAIN LOGIN\r\n")
		for i := 0; i < 1000; i++ {
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
			io.WriteString(conn, reply)
		}
	}
}

// echoMech answers every challenge: only the client's bound ends it.
type echoMech struct{ calls int }

func (m *echoMech) Name() string           { return "X-ECHO" }
func (m *echoMech) Start() ([]byte, error) { return nil, nil }
func (m *echoMech) Next(ch []byte) ([]byte, error) {
	m.calls++
	return []byte("again"), nil
}

func authAgainst(t *testing.T, serve func(net.Conn, *bufio.Reader), m Mechanism) (error, string, *Client) {
	t.Helper()
	addr, got := rawServer(t, serve)
	ctx := context.Background()
	c, err := Dial(ctx, addr, fastConfig())
	require.NoError(t, err)
	require.NoError(t, c.Hello(ctx, "me"))
	err = c.Auth(ctx, m)
	c.Close()
	return err, <-got, c
}

func TestAuthLoginAgainstEndlessPasswordChallenges(t *testing.T) {
	err, wire, c := authAgainst(t, answerAll("334 UGFzc3dvcmQ6\r\n"), LoginAuth("user", "s3cret-pass"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AUTH LOGIN")
	assert.Contains(t, wire, "\r\n*\r\n", "the exchange is cancelled with *")
	assert.NotContains(t, wire, "czNjcmV0LXBhc3M=", "the password is never sent to a server asking out of order")
	assert.Equal(t, StateBroken, c.State(), "a server that answers * with 334 is out of sync")
}

func TestAuthLoginChallengeOutOfOrder(t *testing.T) {
	tests := []struct {
		name    string
		replies []string
	}{
		{"password first", []string{"334 UGFzc3dvcmQ6\r\n", "501 cancelled\r\n"}},
		{"user name twice", []string{"334 VXNlcm5hbWU6\r\n", "334 VXNlcm5hbWU6\r\n", "501 cancelled\r\n"}},
		{"a third challenge", []string{"334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "334 UGFzc3dvcmQ6\r\n", "501 cancelled\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serve := greetThen(append([]string{"250 AUTH LOGIN\r\n"}, tt.replies...)...)
			err, wire, c := authAgainst(t, serve, LoginAuth("user", "pw"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "cancelled")
			assert.True(t, strings.HasSuffix(wire, "*\r\n"), "the last line sent is *: %q", wire)
			assert.NotEqual(t, StateBroken, c.State(), "after * and 501 the session goes on")
		})
	}
}

func TestAuthChallengesAreBoundedForAnyMechanism(t *testing.T) {
	m := &echoMech{}
	err, wire, _ := authAgainst(t, answerAll("334 b3RoZXI=\r\n"), m)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than")
	assert.LessOrEqual(t, m.calls, DefaultMaxAuthChallenges)
	assert.Contains(t, wire, "\r\n*\r\n")
}
