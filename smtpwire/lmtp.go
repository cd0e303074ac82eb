package smtpwire

import (
	"strings"
	"time"
)

// RecipientReply is the reply an LMTP server gives for one recipient
// after the end of the message (RFC 2033 §4.2).
type RecipientReply struct {
	Rcpt  string // the address of the accepted RCPT TO
	Reply *Reply
}

// LMTP reports an LMTP session (RFC 2033: LHLO, and a reply per
// recipient after the message): Config.LMTP, or an LHLO typed by hand.
func (c *Client) LMTP() bool { return c.cfg.LMTP || c.lmtp }

// rcptAddress is the address of a "RCPT TO:<addr> params" line.
func rcptAddress(line string) string {
	_, arg, _ := strings.Cut(line, ":")
	arg = strings.TrimSpace(arg)
	if strings.HasPrefix(arg, "<") {
		if end := strings.IndexByte(arg, '>'); end > 0 {
			return arg[1:end]
		}
	}
	addr, _, _ := strings.Cut(arg, " ")
	return addr
}

// RecipientReplies returns, after Close in an LMTP session, the reply for
// each recipient accepted by RCPT, in order (RFC 2033 §4.2); nil in SMTP.
func (w *DataWriter) RecipientReplies() []RecipientReply { return w.replies }

// closeLMTP reads one reply per accepted recipient (at least one, should
// the server have taken DATA without any). The first negative one is
// returned as a *ReplyError naming the recipient; all are kept for
// RecipientReplies.
func (w *DataWriter) closeLMTP(timeout time.Duration) error {
	c := w.c
	rcpts := c.rcpts
	if len(rcpts) == 0 {
		rcpts = []string{""}
	}
	var first error
	for _, rcpt := range rcpts {
		r, err := c.readReply()
		if err != nil {
			return c.fail(ioError(w.ctx, "end of DATA", timeout, err))
		}
		w.replies = append(w.replies, RecipientReply{Rcpt: rcpt, Reply: r})
		if r.Code == CodeNotAvailable {
			c.Close()
		}
		if r.Code != CodeOK && first == nil {
			first = &ReplyError{Command: "DATA (end of message, for <" + rcpt + ">)", Code: r.Code, Enhanced: r.Enhanced, Reply: r}
		}
	}
	c.state = c.idle()
	c.rcpts = c.rcpts[:0]
	return first
}

// finalReplies is how many replies follow the end of a message: one in
// SMTP; in LMTP one per recipient accepted (at least one).
func (c *Client) finalReplies() int {
	if !c.LMTP() || len(c.rcpts) == 0 {
		return 1
	}
	return len(c.rcpts)
}
