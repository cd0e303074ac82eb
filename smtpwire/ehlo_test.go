package smtpwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseExtensions(t *testing.T) {
	r, err := ParseReply([]string{
		"250-smtp.aliyun-inc.com",
		"250-8BITMIME",
		"250-AUTH=PLAIN LOGIN XALIOAUTH",
		"250-auth plain login cram-md5",
		"250-PIPELINING",
		"250-size 35882577",
		"250-STARTTLS",
		"250-SMTPUTF8",
		"250-CHUNKING",
		"250-ENHANCEDSTATUSCODES",
		"250 DSN",
	})
	require.NoError(t, err)
	e := ParseExtensions(r)
	assert.Equal(t, []string{"PLAIN", "LOGIN", "XALIOAUTH", "CRAM-MD5"}, e.AuthMechanisms())
	assert.True(t, e.SupportsAuth("login"))
	assert.False(t, e.SupportsAuth("XOAUTH2"))
	size, ok := e.Size()
	assert.True(t, ok)
	assert.Equal(t, int64(35882577), size)
	assert.True(t, e.Has("pipelining"))
	assert.True(t, e.Pipelining())
	assert.True(t, e.EightBitMIME())
	assert.True(t, e.StartTLS())
	assert.True(t, e.SMTPUTF8())
	assert.True(t, e.Chunking())
	assert.True(t, e.EnhancedStatusCodes())
	assert.True(t, e.DSN())
	assert.False(t, e.Has("smtp.aliyun-inc.com"), "the greeting line is not an extension")
	p, ok := e.Param("AUTH")
	assert.True(t, ok)
	assert.Equal(t, "plain login cram-md5", p)
	assert.Contains(t, e.Keywords(), "SIZE")
}

func TestParseExtensionsEdgeCases(t *testing.T) {
	r, err := ParseReply([]string{"250-mx", "250-SIZE", "250 AUTH=LOGIN"})
	require.NoError(t, err)
	e := ParseExtensions(r)
	size, ok := e.Size()
	assert.True(t, ok)
	assert.Zero(t, size, "SIZE without a number means no fixed limit")
	assert.Equal(t, []string{"LOGIN"}, e.AuthMechanisms())
	assert.False(t, e.StartTLS())

	one, err := ParseReply([]string{"250 mx.example.com"})
	require.NoError(t, err)
	assert.Empty(t, ParseExtensions(one).Keywords())

	var nilExt *Extensions
	assert.False(t, nilExt.Has("SIZE"))
	assert.Nil(t, nilExt.AuthMechanisms())
	_, ok = nilExt.Size()
	assert.False(t, ok)
}

func TestStateString(t *testing.T) {
	assert.Equal(t, "rcpt", StateRcpt.String())
	assert.Equal(t, "broken", StateBroken.String())
	assert.Equal(t, "State(?)", State(99).String())
	assert.True(t, StateMail.InTransaction())
	assert.False(t, StateHello.InTransaction())
}

func TestXtext(t *testing.T) {
	assert.Equal(t, "a+2Bb+3Dc+20d", string(appendXtext(nil, "a+b=c d")))
	assert.Equal(t, "user@example.com", string(appendXtext(nil, "user@example.com")))
}
