package smtpwire

import (
	"fmt"
	"strconv"
)

// ExternalAuth returns EXTERNAL (RFC 4422 Appendix A): the identity is the
// one already established outside SASL, here the TLS client certificate
// (Config.TLSConfig.Certificates). The initial response is the
// authorization identity, usually "" (sent as "="), which means "the
// identity of my certificate".
func ExternalAuth(authzid string) Mechanism {
	return &external{authzid: authzid}
}

type external struct {
	notes
	authzid  string
	answered bool
}

func (a *external) Name() string { return "EXTERNAL" }

func (a *external) Start() ([]byte, error) {
	if a.authzid == "" {
		a.note("external_empty")
	} else {
		a.note("external_authzid", "authzid", strconv.Quote(a.authzid))
	}
	return []byte(a.authzid), nil
}

func (a *external) Next(challenge []byte) ([]byte, error) {
	if len(challenge) == 0 && !a.answered {
		a.answered = true
		return []byte(a.authzid), nil // a server that ignored the initial response
	}
	return nil, fmt.Errorf("smtpwire: EXTERNAL: unexpected challenge %q", challenge)
}
