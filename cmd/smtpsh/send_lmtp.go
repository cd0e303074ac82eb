package main

import (
	"fmt"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
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

// authNotes names who logged in, and what the mechanism learnt from a
// refusal that helps (an OAuth JSON error, a certificate refused); never
// a secret.
func (s *sender) authNotes() (who string, notes []string) {
	who = s.o.user
	if who == "" {
		who = "the client certificate"
	}
	if x, ok := s.authMech.(smtpwire.Explainer); ok {
		var refused []smtpwire.Note
		for _, n := range x.Explain() {
			switch n.ID {
			case "oauth_refused", "oauth_expired", "oauth_scope":
				refused = append(refused, n)
			}
		}
		notes = append(notes, explain.SASLNotes(refused, s.out.lang)...)
	}
	if strings.EqualFold(s.mech, "EXTERNAL") {
		notes = append(notes, "the server does not take this certificate as "+who+
			": give the certificate and key the server's administrator registered (--cert, --key)")
	}
	return who, notes
}
