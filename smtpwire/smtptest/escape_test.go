package smtptest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A recording keeps control bytes as \xNN (smtpwire.EscapeLine); the
// replay puts the exact bytes back on the wire, and accepts a client
// line that matches in its escaped form.
func TestReplayUnescapesControlBytes(t *testing.T) {
	srv := startServer(t, "S: 220 hi \\x1b[6n \\x5cx41\nC: EHLO a\\x01b\nS: 250 ok\nC: QUIT\nS: 221 bye\n", nil)
	c := dial(t, srv)
	greeting, err := c.reply()
	require.NoError(t, err)
	assert.Equal(t, []string{"220 hi \x1b[6n \\x41"}, greeting)
	require.NoError(t, c.send("EHLO a\x01b"))
	_, err = c.reply()
	require.NoError(t, err)
	require.NoError(t, c.send("QUIT"))
	_, err = c.reply()
	require.NoError(t, err)
	c.close()
	assert.NoError(t, srv.Wait())
}
