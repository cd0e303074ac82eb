package smtpwire

import (
	"fmt"
	"slices"
	"strings"
)

// Credentials are what a user can log in with; which fields a mechanism
// needs depends on it (see NewMechanism).
type Credentials struct {
	User     string // authentication identity (user name, mailbox)
	Password string // for PLAIN, LOGIN, CRAM-MD5, SCRAM-*
	Token    string // OAuth 2.0 access token, for XOAUTH2 and OAUTHBEARER
	Authzid  string // authorization identity, usually "" (act as User)
	// ClientCert reports that the TLS configuration presents a client
	// certificate, which EXTERNAL uses.
	ClientCert bool
}

// Mechanisms lists the mechanism names NewMechanism knows, strongest
// first within each kind.
var mechanismNames = []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2", "EXTERNAL"}

// MechanismNames returns the mechanism names NewMechanism accepts.
func MechanismNames() []string { return slices.Clone(mechanismNames) }

// NewMechanism returns the mechanism called name (case-insensitive) for
// cred. It fails, naming what is missing, when cred lacks what the
// mechanism needs: a password for PLAIN, LOGIN, CRAM-MD5 and SCRAM, a token
// for XOAUTH2 and OAUTHBEARER, a client certificate for EXTERNAL.
func NewMechanism(name string, cred Credentials) (Mechanism, error) {
	name = strings.ToUpper(name)
	needUser := func() error {
		if cred.User == "" {
			return fmt.Errorf("smtpwire: AUTH %s needs a user name", name)
		}
		return nil
	}
	switch name {
	case "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256", "SCRAM-SHA-1":
		if err := needUser(); err != nil {
			return nil, err
		}
	case "XOAUTH2", "OAUTHBEARER":
		if err := needUser(); err != nil {
			return nil, err
		}
		if cred.Token == "" {
			return nil, fmt.Errorf("smtpwire: AUTH %s: %w", name, errNoToken)
		}
	}
	switch name {
	case "PLAIN":
		return PlainAuth(cred.Authzid, cred.User, cred.Password), nil
	case "LOGIN":
		return LoginAuth(cred.User, cred.Password), nil
	case "CRAM-MD5":
		return CRAMMD5Auth(cred.User, cred.Password), nil
	case "SCRAM-SHA-256", "SCRAM-SHA-1":
		return SCRAMAuth(strings.TrimPrefix(name, "SCRAM-"), cred.Authzid, cred.User, cred.Password)
	case "XOAUTH2":
		return XOAuth2Auth(cred.User, cred.Token), nil
	case "OAUTHBEARER":
		return OAuthBearerAuth(cred.User, cred.Token), nil
	case "EXTERNAL":
		if !cred.ClientCert {
			return nil, fmt.Errorf("smtpwire: AUTH EXTERNAL needs a TLS client certificate (--cert FILE --key FILE)")
		}
		return ExternalAuth(cred.Authzid), nil
	}
	return nil, fmt.Errorf("smtpwire: unknown AUTH mechanism %q (known: %s)", name, strings.Join(mechanismNames, ", "))
}

// NoMechanismError reports that none of the mechanisms a server offers
// suits the credentials or the connection.
type NoMechanismError struct {
	Offered []string
	Reason  string
}

func (e *NoMechanismError) Error() string {
	offered := strings.Join(e.Offered, " ")
	if offered == "" {
		offered = "none"
	}
	return fmt.Sprintf("smtpwire: no usable AUTH mechanism (offered: %s): %s", offered, e.Reason)
}

// PickMechanism chooses the strongest of the offered mechanisms (EHLO's
// AUTH keyword) that cred can use. With a token: OAUTHBEARER, then
// XOAUTH2. With a client certificate and no password: EXTERNAL. With a
// password: SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, which never send the
// password, then PLAIN and LOGIN, only when secure is true (the connection
// is TLS, or the caller accepts clear text, e.g. on loopback).
func PickMechanism(offered []string, secure bool, cred Credentials) (string, error) {
	has := func(m string) bool {
		return slices.ContainsFunc(offered, func(o string) bool { return strings.EqualFold(o, m) })
	}
	first := func(names ...string) string {
		for _, n := range names {
			if has(n) {
				return n
			}
		}
		return ""
	}
	fail := func(reason string) (string, error) {
		return "", &NoMechanismError{Offered: offered, Reason: reason}
	}
	if len(offered) == 0 {
		return fail("the server offers no AUTH (after STARTTLS it may; or it needs no login)")
	}
	if cred.Token != "" {
		if m := first("OAUTHBEARER", "XOAUTH2"); m != "" {
			return m, nil
		}
		return fail("an OAuth 2.0 token was given but the server offers neither OAUTHBEARER nor XOAUTH2")
	}
	if cred.ClientCert && cred.Password == "" {
		if has("EXTERNAL") {
			return "EXTERNAL", nil
		}
		return fail("a client certificate was given but the server does not offer EXTERNAL")
	}
	if m := first("SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5"); m != "" {
		return m, nil
	}
	if m := first("PLAIN", "LOGIN"); m != "" {
		if !secure {
			return fail("PLAIN and LOGIN send the password readable; use TLS first (STARTTLS or port 465)")
		}
		return m, nil
	}
	return fail("smtpsh knows " + strings.Join(mechanismNames, ", "))
}
