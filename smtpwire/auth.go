package smtpwire

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
)

// Mechanism is one SASL mechanism for AUTH (RFC 4954). Implementations
// see decoded challenges and return raw responses; the client does the
// base64 and the wire.
type Mechanism interface {
	// Name is the mechanism name sent after AUTH, such as "PLAIN".
	Name() string
	// Start returns the initial response (RFC 4954 §4), or nil to send
	// none. A non-nil empty slice is sent as "=".
	Start() ([]byte, error)
	// Next answers one decoded 334 challenge. An error makes the client
	// cancel the exchange with "*" (RFC 4954 §4).
	Next(challenge []byte) ([]byte, error)
}

// PlainAuth returns the PLAIN mechanism (RFC 4616): the authorization
// identity (usually ""), user name and password, sent as the initial
// response.
func PlainAuth(identity, username, password string) Mechanism {
	return &plainAuth{identity, username, password}
}

type plainAuth struct{ identity, username, password string }

func (a *plainAuth) Name() string { return "PLAIN" }

func (a *plainAuth) Start() ([]byte, error) {
	// RFC 4616 §2: message = [authzid] NUL authcid NUL passwd; none of
	// them may contain NUL.
	if strings.ContainsRune(a.identity+a.username+a.password, 0) {
		return nil, errors.New("smtpwire: PLAIN credentials must not contain NUL")
	}
	return []byte(a.identity + "\x00" + a.username + "\x00" + a.password), nil
}

// MaxChallenges is zero: the credentials go in the initial response.
func (a *plainAuth) MaxChallenges() int { return 0 }

func (a *plainAuth) Next(challenge []byte) ([]byte, error) {
	return nil, fmt.Errorf("smtpwire: PLAIN: unexpected challenge %q after the initial response", challenge)
}

// LoginAuth returns the LOGIN mechanism (draft-murchison-sasl-login): the
// server asks "Username:" and "Password:" in turn. The challenge text is
// used when the server sends the usual words, the order otherwise.
func LoginAuth(username, password string) Mechanism {
	return &loginAuth{username: username, password: password}
}

// LoginAuthInitialResponse is LOGIN with the user name as the initial
// response ("AUTH LOGIN <base64 user>", RFC 4954 §4), saving a round trip;
// the server then asks only for the password. Dovecot, Postfix, Exim and
// Exchange take it; LoginAuth is the form every LOGIN server knows.
func LoginAuthInitialResponse(username, password string) Mechanism {
	return &loginAuth{username: username, password: password, initial: true}
}

type loginAuth struct {
	username, password string
	initial            bool
	step               int
}

func (a *loginAuth) Name() string { return "LOGIN" }

func (a *loginAuth) Start() ([]byte, error) {
	if a.initial {
		a.step = 1 // the next challenge is the password's
		return []byte(a.username), nil
	}
	return nil, nil
}

// MaxChallenges is two: "Username:" and "Password:", nothing more.
func (a *loginAuth) MaxChallenges() int { return 2 }

// Next answers "Username:" with the user name and "Password:" with the
// password, in that order only: a server that asks for the password first
// or again, or for the user name twice, is refused (the client then
// cancels with "*"), so that a confused or hostile server never gets the
// password more than once nor before the user name.
func (a *loginAuth) Next(challenge []byte) ([]byte, error) {
	step := a.step
	a.step++
	ch := strings.ToLower(string(challenge))
	switch {
	case step > 1:
		return nil, fmt.Errorf("smtpwire: LOGIN: unexpected challenge %d (LOGIN has two: user name, then password)", step+1)
	case strings.HasPrefix(ch, "user") && step != 0:
		return nil, errors.New("smtpwire: LOGIN: the server asked for the user name again, after it")
	case strings.HasPrefix(ch, "pass") && step != 1:
		return nil, errors.New("smtpwire: LOGIN: the server asked for the password before the user name")
	case step == 0:
		return []byte(a.username), nil
	}
	return []byte(a.password), nil
}

// isLoopback reports whether host is a loopback address or "localhost".
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Auth authenticates with m (RFC 4954). It refuses with ErrInsecureAuth,
// before writing anything, on a connection without TLS, unless the server
// is on loopback or Config.AllowInsecureAuth is set. Responses are
// redacted in the trace unless Config.TraceSecrets is set. A 334 that is
// not base64, or an error from m, cancels the exchange with "*". A
// negative final reply is a *ReplyError.
func (c *Client) Auth(ctx context.Context, m Mechanism) error {
	if c.tls == nil && !c.cfg.AllowInsecureAuth && !isLoopback(c.host) {
		return ErrInsecureAuth
	}
	ir, err := m.Start()
	if err != nil {
		return err
	}
	line := "AUTH " + m.Name()
	var deferred []byte // an initial response too long for the AUTH line
	if ir != nil {
		if len(line)+1+len(encodeResponse(ir))+2 > maxAuthLine {
			// RFC 4954 §4: past the line limit, no initial response; it
			// goes after the server's empty 334 instead.
			deferred = ir
		} else {
			line += " " + encodeResponse(ir)
		}
	}
	shown := line
	if !c.cfg.TraceSecrets {
		shown = redactAuthLine(line)
	}
	step := "AUTH " + m.Name()
	if ir != nil {
		step += " initial response"
		c.rememberSecret(encodeResponse(ir), ir, true)
	}
	r, err := c.exchangeStep(ctx, step, line, shown, c.cfg.Timeouts.Command)
	limit := maxChallenges(m)
	if deferred != nil {
		limit++ // the empty 334 that asks for the initial response
	}
	for n := 1; err == nil && r.Code == CodeAuthChallenge; n++ {
		var cerr error
		var resp []byte
		if n > limit {
			cerr = fmt.Errorf("the server sent more than %d challenges", limit)
		} else {
			var challenge []byte
			if challenge, cerr = r.Challenge(); cerr == nil && deferred != nil && len(challenge) == 0 {
				resp, deferred = deferred, nil // the initial response, after the empty 334
			} else if cerr == nil {
				resp, cerr = m.Next(challenge)
			}
		}
		if cerr != nil {
			return c.cancelAuth(ctx, m, cerr)
		}
		// Only an initial response uses "=" for empty (RFC 4954 §4); a
		// continuation is the bare base64, possibly an empty line.
		next := base64.StdEncoding.EncodeToString(resp)
		shown = next
		if !c.cfg.TraceSecrets {
			shown = Redacted
		}
		step := authStep(m, n)
		c.rememberSecret(next, resp, !strings.HasSuffix(step, "user name"))
		r, err = c.exchangeStep(ctx, step, next, shown, c.cfg.Timeouts.Command)
	}
	if err := expect("AUTH "+m.Name(), r, err, CodeAuthOK); err != nil {
		return err
	}
	if v, ok := m.(Verifier); ok {
		return v.Verify() // SCRAM: the server must have proved itself
	}
	return nil
}

// maxAuthLine is the longest AUTH command line with an initial response,
// CRLF included: RFC 5321 §4.5.3.1.4's 512 octets, which RFC 4954 §4 keeps.
const maxAuthLine = 512

// cancelAuth ends an AUTH exchange with "*" (RFC 4954 §4), to which the
// server must answer 501. A server that answers with another challenge,
// or accepts, is out of step with the client: the session is failed.
func (c *Client) cancelAuth(ctx context.Context, m Mechanism, cause error) error {
	r, err := c.exchange(ctx, "*", "*", c.cfg.Timeouts.Command)
	if err != nil {
		return err
	}
	err = fmt.Errorf("smtpwire: AUTH %s cancelled: %w (server: %s)", m.Name(), cause, r)
	if r.Code == CodeAuthChallenge || r.Code == CodeAuthOK {
		c.inAuth = false
		return c.fail(&ProtocolError{Reason: fmt.Sprintf("AUTH %s cancelled (%v) and the server answered the cancelling \"*\" with %d, not 501", m.Name(), cause, r.Code), Line: r.Raw[0], Err: err})
	}
	return err
}

// authStep names the nth response of an AUTH exchange for errors:
// "AUTH LOGIN password", never the payload.
func authStep(m Mechanism, n int) string {
	if m.Name() == "LOGIN" && n <= 2 {
		return [...]string{"AUTH LOGIN user name", "AUTH LOGIN password"}[n-1]
	}
	return fmt.Sprintf("AUTH %s response %d", m.Name(), n)
}

// encodeResponse base64-encodes a SASL response; empty is "=" (RFC 4954 §4).
func encodeResponse(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}
