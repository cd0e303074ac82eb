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

func (a *loginAuth) Next(challenge []byte) ([]byte, error) {
	defer func() { a.step++ }()
	ch := strings.ToLower(string(challenge))
	switch {
	case strings.HasPrefix(ch, "user"):
		return []byte(a.username), nil
	case strings.HasPrefix(ch, "pass"):
		return []byte(a.password), nil
	case a.step == 0:
		return []byte(a.username), nil
	case a.step == 1:
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("smtpwire: LOGIN: unexpected third challenge %q", challenge)
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
	r, err := c.exchange(ctx, line, shown, c.cfg.Timeouts.Command)
	for err == nil && r.Code == CodeAuthChallenge {
		challenge, cerr := r.Challenge()
		var resp []byte
		if cerr == nil && deferred != nil && len(challenge) == 0 {
			resp, deferred = deferred, nil
		} else if cerr == nil {
			resp, cerr = m.Next(challenge)
		}
		if cerr != nil {
			// RFC 4954 §4: "*" cancels; the server answers 501.
			if r, err = c.exchange(ctx, "*", "*", c.cfg.Timeouts.Command); err != nil {
				return err
			}
			return fmt.Errorf("smtpwire: AUTH %s cancelled: %w (server: %s)", m.Name(), cerr, r)
		}
		// Only an initial response uses "=" for empty (RFC 4954 §4); a
		// continuation is the bare base64, possibly an empty line.
		next := base64.StdEncoding.EncodeToString(resp)
		shown = next
		if !c.cfg.TraceSecrets {
			shown = Redacted
		}
		r, err = c.exchange(ctx, next, shown, c.cfg.Timeouts.Command)
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

// encodeResponse base64-encodes a SASL response; empty is "=" (RFC 4954 §4).
func encodeResponse(b []byte) string {
	if len(b) == 0 {
		return "="
	}
	return base64.StdEncoding.EncodeToString(b)
}
