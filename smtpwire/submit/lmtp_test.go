package submit_test

import (
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// LMTP: the engine reads one reply per accepted recipient after the
// message, pairs each with its recipient, and stays in step for QUIT.
func TestLMTPPerRecipientReplies(t *testing.T) {
	res, errs, _ := sendAll(t, "lmtp-pipelined.txt", submit.Options{Config: smtpwire.Config{LMTP: true}},
		msg(t, "a@example.test", "Subject: hi\n\nhello\n", rcpts("b@example.test", "nobody@example.test", "c@example.test")...))
	require.Len(t, res, 1)
	var re *smtpwire.ReplyError
	if assert.ErrorAs(t, errs[0], &re) {
		assert.Equal(t, 452, re.Code, "the first negative per-recipient reply fails the transaction")
	}
	got := res[0].LMTP
	if assert.Len(t, got, 2) {
		assert.Equal(t, "b@example.test", got[0].Rcpt)
		assert.Equal(t, 250, got[0].Reply.Code)
		assert.Equal(t, "c@example.test", got[1].Rcpt)
		assert.Equal(t, 452, got[1].Reply.Code)
	}
}
