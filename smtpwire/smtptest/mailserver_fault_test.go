package smtptest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

func TestParseFault(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want smtptest.Fault
	}{
		{"RCPT to=*@bounce.test 550 5.1.1", smtptest.Fault{Command: "RCPT", To: "*@bounce.test", Reply: "550 5.1.1 Fault injected by smtpsh"}},
		{"data 451 4.3.0 Try later rate=0.1", smtptest.Fault{Command: "DATA", Reply: "451 4.3.0 Try later", Rate: 0.1}},
		{"MAIL from=spam@* delay=2s disconnect", smtptest.Fault{Command: "MAIL", From: "spam@*", Delay: 2 * time.Second, Disconnect: true}},
	} {
		got, err := smtptest.ParseFault(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		again, err := smtptest.ParseFault(got.String())
		require.NoError(t, err, got.String())
		assert.Equal(t, got, again, "String reads back")
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty fault rule"},
		{"FOO 550", `unknown command "FOO"`},
		{"RCPT 55", `"55" is not a reply code`},
		{"RCPT to=x", "does nothing"},
		{"DATA 451 rate=2", "bad rate"},
		{"DATA delay=soon", "bad delay"},
	} {
		_, err := smtptest.ParseFault(tc.in)
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func mustFaults(t *testing.T, rules ...string) *smtptest.Faults {
	f := smtptest.NewFaults()
	for _, r := range rules {
		rule, err := smtptest.ParseFault(r)
		require.NoError(t, err)
		f.Add(rule)
	}
	return f
}

func TestMailServerFaults(t *testing.T) {
	faults := mustFaults(t, "RCPT to=*@bounce.test 550 5.1.1 No such user", "EOM from=slow@* 451 4.3.0 Try again", "MAIL from=cut@* disconnect")
	srv := newMailServer(t, &smtptest.MailServerOptions{Faults: faults})
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	c.cmd("MAIL FROM:<a@example.com>")
	assert.Equal(t, "550 5.1.1 No such user", c.cmd("RCPT TO:<X@Bounce.test>"))
	assert.Equal(t, "250 2.1.5 Ok", c.cmd("RCPT TO:<ok@example.com>"))
	c.cmd("DATA")
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.cmd("hi\r\n."))
	assert.Equal(t, []string{"ok@example.com"}, srv.Messages()[0].To)

	c.cmd("MAIL FROM:<slow@example.com>")
	c.cmd("RCPT TO:<ok@example.com>")
	c.cmd("DATA")
	assert.Equal(t, "451 4.3.0 Try again", c.cmd("hi\r\n."))
	assert.Len(t, srv.Messages(), 1, "a faulted message is not kept")

	// Rules change at run time.
	faults.Set(nil)
	assert.Empty(t, faults.List())
	faults.Add(smtptest.Fault{Command: "NOOP", Reply: "421 4.3.2 Bye", Disconnect: true})
	assert.Equal(t, "421 4.3.2 Bye", c.cmd("NOOP"))
	c.expectEOF()

	faults.Set([]smtptest.Fault{{Command: "CONNECT", Reply: "554 5.3.2 Not today"}})
	c = dialRaw(t, srv.Addr())
	assert.Equal(t, "554 5.3.2 Not today", c.reply())
	c.expectEOF()
}

// A delay holds the reply back by at least its length; Close does not
// wait for a long one.
func TestMailServerFaultDelay(t *testing.T) {
	faults := mustFaults(t, "NOOP delay=100ms", "RSET delay=10m")
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{Faults: faults})
	require.NoError(t, err)
	c := dialRaw(t, srv.Addr())
	c.reply()
	start := time.Now()
	assert.Equal(t, "250 2.0.0 Ok", c.cmd("NOOP"))
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

	c.write("RSET\r\n")
	time.Sleep(20 * time.Millisecond) // let the session start its delay; the test holds either way
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a fault delay")
	}
	assert.Equal(t, "421 4.3.2 smtpsh.demo Service shutting down", c.reply())
}
