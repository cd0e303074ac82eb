package repl

import (
	"context"
	"fmt"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// authUsage is the usage line of /auth.
const authUsage = "usage: /auth plain|login|cram-md5|scram-sha-256|scram-sha-1|xoauth2|oauthbearer|external|auto [USER]"

// authMechanismNames are the /auth arguments, for completion.
var authMechanismNames = []string{"plain", "login", "cram-md5", "scram-sha-256", "scram-sha-1", "xoauth2", "oauthbearer", "external", "auto"}

// authMech runs /auth for the mechanisms other than PLAIN and LOGIN (and
// auto): it asks for what the mechanism needs (a password, or an OAuth 2.0
// token unless Options.OAuth2Token has one; nothing for EXTERNAL) and
// narrates each step with the mechanism's own notes, which never hold the
// secret.
func (s *Shell) authMech(ctx context.Context, mech string, f []string) {
	cred := smtpwire.Credentials{
		Token:      s.opts.OAuth2Token,
		ClientCert: s.opts.Config.TLSConfig != nil && len(s.opts.Config.TLSConfig.Certificates) > 0,
	}
	if len(f) == 2 {
		cred.User = f[1]
	} else if mech != "EXTERNAL" {
		u, err := s.in.ReadLine("Username: ")
		if err != nil {
			return
		}
		cred.User = strings.TrimSpace(u)
	}
	offered := s.c.Extensions().AuthMechanisms()
	oauth := func(m string) bool { return m == "XOAUTH2" || m == "OAUTHBEARER" }
	if mech == "AUTO" {
		if cred.Token == "" && !(cred.ClientCert && !hasMech(offered, "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN", "LOGIN")) {
			if !s.readSecret(&cred.Password, "Password: ") {
				return
			}
		}
		secure := s.c.TLS() || s.opts.Config.AllowInsecureAuth || isLoopbackAddr(s.opts.Addr)
		picked, err := smtpwire.PickMechanism(offered, secure, cred)
		if err != nil {
			s.p.fail(err.Error())
			return
		}
		s.say(explain.M("sasl.auto_pick", "mech", picked))
		mech = picked
	} else {
		if len(s.c.Extensions().Keywords()) > 0 && !s.c.Extensions().SupportsAuth(mech) {
			s.p.warn(fmt.Sprintf("the server did not announce AUTH %s (it offers: %s); trying anyway", mech, strings.Join(offered, " ")))
		}
		switch {
		case oauth(mech) && cred.Token == "":
			if !s.readSecret(&cred.Token, "OAuth2 access token: ") {
				return
			}
		case !oauth(mech) && mech != "EXTERNAL":
			if !s.readSecret(&cred.Password, "Password: ") {
				return
			}
		}
	}
	m, err := smtpwire.NewMechanism(mech, cred)
	if err != nil {
		s.p.fail(err.Error())
		return
	}
	s.say(mechanismIntro(m.Name()))
	if err := s.c.Auth(ctx, &explainedMech{Mechanism: m, p: s.p, lang: s.opts.Lang}); err != nil {
		s.reportError(err)
		return
	}
	if cred.User == "" {
		s.say(explain.M("sasl.authenticated_cert", "mech", m.Name()))
		return
	}
	s.say(explain.M("sasl.authenticated", "who", cred.User, "mech", m.Name()))
}

// readSecret reads a password or token without echo into dst.
func (s *Shell) readSecret(dst *string, prompt string) bool {
	v, err := s.in.ReadPassword(prompt)
	if err != nil {
		s.p.fail("nothing read: " + err.Error())
		return false
	}
	*dst = v
	return true
}

func hasMech(offered []string, names ...string) bool {
	for _, o := range offered {
		for _, n := range names {
			if strings.EqualFold(o, n) {
				return true
			}
		}
	}
	return false
}

// isLoopbackAddr reports a loopback "host:port".
func isLoopbackAddr(addr string) bool {
	host := addr
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		host = strings.Trim(addr[:i], "[]")
	}
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// mechanismIntro says in one line how a mechanism works.
func mechanismIntro(name string) explain.Msg {
	switch name {
	case "CRAM-MD5":
		return explain.M("sasl.intro_cram")
	case "SCRAM-SHA-256", "SCRAM-SHA-1":
		return explain.M("sasl.intro_scram", "mech", name)
	case "XOAUTH2":
		return explain.M("sasl.intro_xoauth2")
	case "OAUTHBEARER":
		return explain.M("sasl.intro_oauthbearer")
	case "EXTERNAL":
		return explain.M("sasl.intro_external")
	}
	return explain.M("sasl.intro_other", "mech", name)
}

// explainedMech prints a mechanism's notes after each step.
type explainedMech struct {
	smtpwire.Mechanism
	p    *printer
	lang explain.Lang
}

func (e *explainedMech) flush() {
	if x, ok := e.Mechanism.(smtpwire.Explainer); ok {
		e.p.note(explain.SASLNotes(x.Explain(), e.lang)...)
	}
}

func (e *explainedMech) Start() ([]byte, error) {
	ir, err := e.Mechanism.Start()
	e.flush()
	return ir, err
}

func (e *explainedMech) Next(challenge []byte) ([]byte, error) {
	resp, err := e.Mechanism.Next(challenge)
	e.flush()
	return resp, err
}

// MaxChallenges passes the mechanism's bound on challenges through the
// wrapper (smtpwire.DefaultMaxAuthChallenges when it has none).
func (e *explainedMech) MaxChallenges() int {
	if mc, ok := e.Mechanism.(interface{ MaxChallenges() int }); ok {
		return mc.MaxChallenges()
	}
	return smtpwire.DefaultMaxAuthChallenges
}

// Verify passes the server's proof check (SCRAM) through the wrapper.
func (e *explainedMech) Verify() error {
	if v, ok := e.Mechanism.(smtpwire.Verifier); ok {
		return v.Verify()
	}
	return nil
}

// authHelp is /help auth.
const authHelp = `Runs AUTH (RFC 4954) with MECH and shows each step decoded and explained;
the secret is read without echo and never shown, recorded or kept in history.
  plain           RFC 4616: "\0user\0password" in base64 on the AUTH line (base64 is
                  not encryption: use TLS)
  login           "Username:" and "Password:" challenges, each answered in base64
  cram-md5        RFC 2195: the reply is HMAC-MD5(password, challenge); the password
                  is not sent, but the server keeps it in clear
  scram-sha-256   RFC 7677 (and scram-sha-1, RFC 5802): nonces, salt, iterations, a
                  proof; the server proves it knows the password too, or smtpsh refuses it
  xoauth2         Google/Microsoft OAuth 2.0: "user=U ^A auth=Bearer TOKEN ^A ^A"
  oauthbearer     RFC 7628, the standard form; a refused token comes back as JSON
                  in a 334, answered with ^A
  external        RFC 4422: the identity of the TLS client certificate (--cert, --key)
  auto            the strongest offered: SCRAM, then CRAM-MD5, then PLAIN/LOGIN on TLS;
                  OAUTHBEARER/XOAUTH2 with a token; EXTERNAL with a certificate only
The OAuth 2.0 token comes from SMTPSH_OAUTH2_TOKEN or --oauth2-token-file, else
it is asked for like a password.`

// lmtpVerdicts says, after the end of an LMTP message, what became of it
// for each recipient (RFC 2033 §4.2: one reply each, in RCPT order).
func (s *Shell) lmtpVerdicts(replies []smtpwire.RecipientReply) {
	if len(replies) == 0 {
		return
	}
	for _, rr := range replies {
		verdict := "delivered"
		switch {
		case rr.Reply.Code >= 500:
			verdict = "refused"
		case rr.Reply.Code >= 400:
			verdict = "deferred, try again later"
		}
		s.p.note(fmt.Sprintf("LMTP: <%s>: %s (%d)", rr.Rcpt, verdict, rr.Reply.Code))
	}
}
