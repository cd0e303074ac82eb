package main

import (
	"fmt"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// lmtpVerdicts shows what became of an LMTP message for each recipient
// (RFC 2033 §4.2: one reply each, in RCPT order) and reports whether it
// counts as refused: only when no recipient got it, as a refused RCPT
// among accepted ones is a warning, not a failure.
func (s *sender) lmtpVerdicts(replies []smtpwire.RecipientReply) (refused bool) {
	delivered := 0
	for _, rr := range replies {
		if rr.Reply.Code == smtpwire.CodeOK {
			delivered++
			s.out.note(fmt.Sprintf("LMTP: <%s>: delivered", rr.Rcpt))
			continue
		}
		s.out.warn(fmt.Sprintf("LMTP: <%s>: not delivered: %s", rr.Rcpt, rr.Reply))
	}
	return delivered == 0
}
