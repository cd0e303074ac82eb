package check

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

type greeting struct {
	reply *smtpwire.Reply
	err   error
	took  time.Duration
}

// banner is the banner stage: the server's 220 and how long it took. On
// a plain connection, a banner that does not come within BannerWait
// makes Run try TLS on a second connection: a port that answers it
// expects implicit TLS, and the check says so in the TLS stage.
func (r *runner) banner(ctx context.Context, implicit bool) bool {
	st, done := r.stage(StageBanner)
	defer done()
	t0 := time.Now()
	c := r.c
	ch := make(chan greeting, 1)
	go func() {
		err := submit.Attach(c, submit.Options{}).Greet(ctx)
		var se *submit.Error
		if errors.As(err, &se) {
			err = se.Err // the stage is this one
		}
		ch <- greeting{c.Greeting(), err, time.Since(t0)}
	}()
	timer := time.NewTimer(r.wait)
	defer timer.Stop()
	var g greeting
	select {
	case g = <-ch:
	case <-timer.C:
		if !implicit {
			if p := r.probeTLS(ctx); p.tls {
				c.Close() // Greet returns at once
				<-ch
				st.Status, st.Seen = Skip, []Msg{msg("banner.seen_tls_port")}
				r.implicitPort(msg("tls.seen_no_banner", "wait", r.wait.String()), p)
				return false
			}
		}
		g = <-ch
	}
	var re *smtpwire.ReplyError
	var pe *smtpwire.ProtocolError
	switch {
	case g.err == nil:
		st.see(msg("banner.seen_reply", "reply", replyText(g.reply), "took", ms(g.took)))
		if g.took > r.wait {
			r.warn(st, BannerSlow)
		}
		return true
	case errors.As(g.err, &re):
		st.see(msg("banner.seen_reply", "reply", replyText(re.Reply), "took", ms(g.took)))
		switch re.Code {
		case smtpwire.CodeTransactionFail:
			r.fail(st, BannerRefused)
		case smtpwire.CodeNotAvailable:
			r.fail(st, BannerBusy)
		default:
			r.fail(st, BannerUnexpected)
		}
	case errors.As(g.err, &pe) && !implicit && looksTLS([]byte(pe.Line)):
		st.Status, st.Seen = Skip, []Msg{msg("banner.seen_tls_port")}
		r.implicitPort(msg("tls.seen_tls_bytes", "bytes", quote([]byte(pe.Line))), probeResult{})
	case errors.As(g.err, &pe) && pe.Line != "":
		st.see(msg("banner.seen_garbage", "bytes", quote([]byte(pe.Line))))
		r.fail(st, BannerGarbage)
	case isTimeout(g.err):
		st.see(msg("banner.seen_timeout", "timeout", r.cfg.Timeouts.Greeting.String()))
		r.fail(st, BannerTimeout)
	default:
		st.see(msg("banner.seen_closed", "error", errorText(g.err)))
		r.fail(st, BannerClosed)
	}
	return false
}

// ehlo is the EHLO stage: the extensions, STARTTLS and AUTH; HELO when
// the server does not know EHLO. submit's Hello sends them; each reply
// comes back as an event.
func (r *runner) ehlo(ctx context.Context) bool {
	st, done := r.stage(StageEHLO)
	defer done()
	var replies []*smtpwire.Reply
	err := submit.Attach(r.c, submit.Options{Events: func(ev submit.Event) {
		if ev.Stage == submit.StageHello && ev.Reply != nil {
			replies = append(replies, ev.Reply)
		}
	}}).Hello(ctx)
	if len(replies) == 0 {
		r.sessionFail(st, err)
		return false
	}
	rep := replies[0]
	st.see(msg("ehlo.seen_reply", "cmd", r.helloVerb()+" "+r.name, "reply", firstLine(rep)))
	switch {
	case rep.Code == smtpwire.CodeOK:
	case rep.Code == smtpwire.CodeNotAvailable:
		r.fail(st, SessionClosing)
		return false
	case smtpwire.EHLOUnknown(rep) && r.cfg.LMTP:
		r.fail(st, EHLORejected) // LMTP has no HELO (RFC 2033 §4.1)
		return false
	case smtpwire.EHLOUnknown(rep):
		if len(replies) < 2 {
			r.sessionFail(st, err)
			return false
		}
		hrep := replies[1]
		st.see(msg("ehlo.seen_reply", "cmd", "HELO "+r.name, "reply", replyText(hrep)))
		if hrep.Code != smtpwire.CodeOK {
			r.fail(st, EHLORejected)
			return false
		}
		r.ext0 = r.c.Extensions()
		r.warn(st, EHLOHeloOnly)
		return true
	default:
		if len(rep.Raw) > 1 {
			st.see(msg("ehlo.seen_more", "reply", replyText(rep)))
		}
		r.fail(st, EHLORejected)
		return false
	}
	r.ext0, r.ehloReply = r.c.Extensions(), rep
	for _, line := range rep.Lines[1:] {
		st.see(extMsg(line))
	}
	if !r.c.TLS() && !r.ext0.StartTLS() {
		st.see(msg("ehlo.seen_starttls_no"))
	}
	r.seeAuth(st, msg("ehlo.seen_auth"), "")
	return true
}

// ehloAgain reports the EHLO sent after STARTTLS (RFC 3207 §4.2), and
// what changed, in the EHLO stage.
func (r *runner) ehloAgain(rep *smtpwire.Reply, err error) bool {
	st, done := r.stage(StageEHLO)
	defer done()
	before := map[string]bool{}
	if r.ehloReply != nil {
		for _, l := range r.ehloReply.Lines[1:] {
			before[strings.ToUpper(strings.TrimSpace(l))] = true
		}
	}
	if rep == nil {
		r.sessionFail(st, err)
		return false
	}
	st.see(msg("ehlo.seen_after_tls", "cmd", r.helloVerb()+" "+r.name, "reply", firstLine(rep)))
	if rep.Code != smtpwire.CodeOK {
		if rep.Code == smtpwire.CodeNotAvailable {
			r.fail(st, SessionClosing)
		} else {
			r.fail(st, EHLORejected)
		}
		return false
	}
	for _, line := range rep.Lines[1:] {
		if !before[strings.ToUpper(strings.TrimSpace(line))] {
			st.see(extMsg(line))
		}
	}
	r.seeAuth(st, msg("ehlo.seen_auth_after"), strings.Join(r.ext0.AuthMechanisms(), " "))
	return true
}

// seeAuth reports the AUTH mechanisms of the last EHLO with m, and
// those before TLS.
func (r *runner) seeAuth(st *Stage, m Msg, before string) {
	mechs := strings.Join(r.c.Extensions().AuthMechanisms(), " ")
	none := msg("ehlo.none")
	for key, v := range map[string]string{"mechs": mechs, "before": before} {
		if v == "" {
			m = m.WithMsg(key, none)
		} else {
			m = m.With(key, v, v)
		}
	}
	st.see(m)
}

// auth is the AUTH stage: Options.Mechanism, or the strongest mechanism
// offered that the credentials fit (smtpwire.PickMechanism).
func (r *runner) auth(ctx context.Context) bool {
	if r.tlsBad {
		// Neither a password nor the addresses go over a connection
		// that failed its checks.
		if r.o.User != "" {
			r.skip(StageAuth, msg("skip.unverified"))
		} else {
			r.skip(StageAuth, msg("skip.no_user"))
		}
		if r.o.From != "" || len(r.o.To) > 0 {
			r.skip(StageEnvelope, msg("skip.unverified"))
		} else {
			r.skip(StageEnvelope, msg("skip.no_envelope"))
		}
		return false
	}
	if r.o.User == "" {
		r.skip(StageAuth, msg("skip.no_user"))
		return true
	}
	st, done := r.stage(StageAuth)
	defer done()
	ext := r.c.Extensions()
	mechs := strings.Join(ext.AuthMechanisms(), " ")
	var m smtpwire.Mechanism
	switch {
	case mechs == "" && !r.c.TLS() && r.ext0.StartTLS():
		st.see(msg("auth.seen_not_offered"))
		r.fail(st, AuthRequiresTLS)
		return false
	case mechs == "":
		st.see(msg("auth.seen_not_offered"))
		r.fail(st, AuthNotOffered)
		return false
	}
	m, err := r.mechanism(ext)
	if err != nil {
		st.see(msg("auth.seen_mechs", "mechs", mechs))
		r.fail(st, AuthMechanismUnsupported)
		return false
	}
	// The exchange is submit's Login, as for send, with the mechanism
	// chosen above.
	err = submit.Attach(r.c, submit.Options{Auth: func(*smtpwire.Extensions, bool) (smtpwire.Mechanism, error) {
		return m, nil
	}}).Login(ctx)
	var se *submit.Error
	if errors.As(err, &se) {
		err = se.Err // the stage is this one
	}
	var re *smtpwire.ReplyError
	switch {
	case err == nil:
		st.see(msg("auth.seen_ok", "mech", m.Name(), "user", r.o.User, "reply", replyText(r.c.LastReply())))
		return true
	case errors.Is(err, smtpwire.ErrInsecureAuth):
		st.see(msg("auth.seen_plaintext", "host", r.o.Host))
		r.fail(st, AuthPlaintextRefused)
	case errors.As(err, &re):
		st.see(msg("auth.seen_failed", "mech", m.Name(), "user", r.o.User, "reply", replyText(re.Reply)))
		r.fail(st, tokenProblem(m, classifyAuth(re.Reply, r.c.TLS())))
	case r.c.State() == smtpwire.StateBroken || r.c.State() == smtpwire.StateClosed:
		r.sessionFail(st, err)
	default:
		st.see(msg("session.seen_error", "error", err.Error()))
		r.fail(st, AuthRejected)
	}
	return false
}

// envelope is the envelope stage: MAIL and each RCPT, then RSET and
// QUIT, so that no message is sent.
func (r *runner) envelope(ctx context.Context) {
	if r.o.From == "" && len(r.o.To) == 0 {
		r.skip(StageEnvelope, msg("skip.no_envelope"))
		return
	}
	st, done := r.stage(StageEnvelope)
	defer done()
	from := r.o.From
	if from == "" && strings.Contains(r.o.User, "@") {
		from = r.o.User
		st.see(msg("envelope.seen_from_user", "from", from))
	}
	err := r.c.Mail(ctx, from, nil)
	if !r.envelopeReply(st, "MAIL FROM:<"+from+">", err, classifyMail) || st.Status == Fail {
		return
	}
	for _, to := range r.o.To {
		err := r.c.Rcpt(ctx, to, nil)
		if !r.envelopeReply(st, "RCPT TO:<"+to+">", err, classifyRcpt) {
			return
		}
	}
	var re *smtpwire.ReplyError
	if err := r.c.Rset(ctx); err == nil || errors.As(err, &re) {
		st.see(msg("envelope.seen_rset", "reply", replyText(r.c.LastReply())))
	} else {
		r.sessionFail(st, err)
		return
	}
	if err := r.c.Quit(ctx); err == nil || errors.As(err, &re) {
		st.see(msg("envelope.seen_quit", "reply", replyText(r.c.LastReply())))
	}
	st.see(msg("envelope.seen_nothing_sent"))
}

// envelopeReply reports the reply to MAIL or RCPT; it returns false when
// the session cannot go on.
func (r *runner) envelopeReply(st *Stage, cmd string, err error, classify func(*smtpwire.Reply, bool) string) bool {
	var re *smtpwire.ReplyError
	switch {
	case err == nil:
		st.see(msg("envelope.seen_reply", "cmd", cmd, "reply", replyText(r.c.LastReply())))
		return true
	case errors.As(err, &re):
		st.see(msg("envelope.seen_reply", "cmd", cmd, "reply", replyText(re.Reply)))
		code := classify(re.Reply, r.c.Authenticated())
		r.fail(st, code)
		return code != SessionClosing
	}
	r.sessionFail(st, err)
	return false
}

// sessionFail reports an error that broke the session.
func (r *runner) sessionFail(st *Stage, err error) {
	st.see(msg("session.seen_error", "error", errorText(err)))
	r.fail(st, sessionProblem(err))
}

// firstLine is the first line of a reply, without the "-" of a
// multi-line reply: "250 smtp.example.com".
func firstLine(rep *smtpwire.Reply) string {
	return strconv.Itoa(rep.Code) + " " + rep.Lines[0]
}

// replyText is a reply on one line.
func replyText(rep *smtpwire.Reply) string {
	if rep == nil {
		return ""
	}
	return strings.Join(rep.Raw, " / ")
}
