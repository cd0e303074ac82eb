package submit

import "github.com/smtpsh/smtpsh/smtpwire"

// lmtp reports an LMTP session (RFC 2033): the end of a message has one
// reply per accepted recipient.
func (s *Session) lmtp() bool { return s.opts.Config.LMTP }

// lmtpReply pairs the next per-recipient reply with its recipient, in
// RCPT order.
func (t *txn) lmtpReply(r *smtpwire.Reply) {
	n := len(t.res.LMTP)
	for _, rc := range t.res.Recipients {
		if rc.Err != nil {
			continue
		}
		if n == 0 {
			t.res.LMTP = append(t.res.LMTP, smtpwire.RecipientReply{Rcpt: rc.Addr, Reply: r})
			return
		}
		n--
	}
	t.res.LMTP = append(t.res.LMTP, smtpwire.RecipientReply{Reply: r})
}
