package check

import (
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// mechanism builds the mechanism of the AUTH stage: the one
// Options.Mechanism names, or with "" or "auto" the strongest offered
// that the credentials fit. PLAIN and LOGIN count as usable here even
// without TLS: smtpwire.Client.Auth refuses them itself, which the stage
// reports as its own problem.
func (r *runner) mechanism(ext *smtpwire.Extensions) (smtpwire.Mechanism, error) {
	cred := smtpwire.Credentials{
		User: r.o.User, Password: r.o.Password, Token: r.o.Token,
		ClientCert: r.cfg.TLSConfig != nil && len(r.cfg.TLSConfig.Certificates) > 0,
	}
	name := r.o.Mechanism
	if name == "" || strings.EqualFold(name, "auto") {
		picked, err := smtpwire.PickMechanism(ext.AuthMechanisms(), true, cred)
		if err != nil {
			return nil, err
		}
		name = picked
	}
	return smtpwire.NewMechanism(name, cred)
}

// helloVerb is EHLO, or LHLO for LMTP (RFC 2033 §4.1, Config.LMTP).
func (r *runner) helloVerb() string {
	if r.cfg.LMTP {
		return "LHLO"
	}
	return "EHLO"
}

// tokenProblem names a refused OAuth token as such: with XOAUTH2 and
// OAUTHBEARER, "bad credentials" means the token.
func tokenProblem(m smtpwire.Mechanism, code string) string {
	if code == AuthBadCredentials && (m.Name() == "XOAUTH2" || m.Name() == "OAUTHBEARER") {
		return AuthBadToken
	}
	return code
}
