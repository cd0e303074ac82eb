package smtpwire

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// XOAuth2Auth returns XOAUTH2, the OAuth 2.0 mechanism of Google and
// Microsoft (developers.google.com/gmail/imap/xoauth2-protocol): the
// initial response is "user=USER ^A auth=Bearer TOKEN ^A ^A". On a bad
// token the server sends a 334 holding a JSON error; the client answers
// with an empty line and the server then fails the AUTH.
func XOAuth2Auth(username, token string) Mechanism {
	return &oauth{name: "XOAUTH2", username: username, token: token}
}

// OAuthBearerAuth returns OAUTHBEARER (RFC 7628): the initial response is
// the GS2 header "n,a=USER," then "^A auth=Bearer TOKEN ^A ^A" (§3.1). On a
// bad token the server sends a 334 holding a JSON error (§3.2.2); the
// client answers with a single ^A (%x01) and the server then fails the
// AUTH.
func OAuthBearerAuth(username, token string) Mechanism {
	return &oauth{name: "OAUTHBEARER", username: username, token: token}
}

type oauth struct {
	notes
	name, username, token string
	failed                bool
}

func (a *oauth) Name() string { return a.name }

func (a *oauth) Start() ([]byte, error) {
	if strings.ContainsAny(a.username+a.token, "\x01") {
		return nil, fmt.Errorf("smtpwire: %s: the user name or token holds ^A (%%x01), which the mechanism cannot carry", a.name)
	}
	if a.token == "" {
		return nil, fmt.Errorf("smtpwire: %s needs an OAuth 2.0 access token", a.name)
	}
	if a.name == "XOAUTH2" {
		a.note("xoauth2_ir", "user", a.username)
		return []byte("user=" + a.username + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
	}
	a.note("oauthbearer_ir", "user", a.username)
	// The user is the GS2 header's authzid, a saslname: "=" and "," are
	// escaped as =3D and =2C (RFC 5801 §4, RFC 7628 §3.1).
	return []byte("n,a=" + saslName(a.username) + ",\x01auth=Bearer " + a.token + "\x01\x01"), nil
}

// OAuthError is the JSON error a server returns in a 334 when it refuses
// an OAuth token (RFC 7628 §3.2.2; XOAUTH2 uses the same fields).
type OAuthError struct {
	Status  string `json:"status"`          // e.g. "invalid_token", "400"
	Scope   string `json:"scope,omitempty"` // the scope the token needs
	Config  string `json:"openid-configuration,omitempty"`
	Schemes string `json:"schemes,omitempty"`
}

func (a *oauth) Next(challenge []byte) ([]byte, error) {
	if a.failed {
		return nil, fmt.Errorf("smtpwire: %s: unexpected challenge %q after the server's error", a.name, challenge)
	}
	a.failed = true
	var e OAuthError
	if err := json.Unmarshal(challenge, &e); err != nil {
		a.note("oauth_not_json", "challenge", strconv.Quote(string(challenge)))
	} else {
		a.note("oauth_refused", "detail", e.fields())
		switch e.Status {
		case "invalid_token", "401":
			a.note("oauth_expired")
		case "insufficient_scope", "403":
			a.note("oauth_scope")
		}
	}
	if a.name == "XOAUTH2" {
		a.note("xoauth2_answer")
		return []byte{}, nil
	}
	a.note("oauthbearer_answer")
	return []byte{0x01}, nil
}

// fields are the error's fields as the server sent them (RFC 7628
// §3.2.2): status, scope, openid-configuration.
func (e OAuthError) fields() string {
	parts := []string{"status=" + e.Status}
	if e.Scope != "" {
		parts = append(parts, "scope="+e.Scope)
	}
	if e.Config != "" {
		parts = append(parts, "openid-configuration="+e.Config)
	}
	return strings.Join(parts, " ")
}

// errNoToken is returned by NewMechanism for an OAuth mechanism without a token.
var errNoToken = errors.New("no OAuth 2.0 access token: set SMTPSH_OAUTH2_TOKEN or use --oauth2-token-file")
