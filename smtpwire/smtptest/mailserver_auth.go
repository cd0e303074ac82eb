package smtptest

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// authFailed is a negative final reply to AUTH, such as
// "535 5.7.8 Authentication credentials invalid". It ends the AUTH
// exchange, not the session.
type authFailed string

func (r authFailed) Error() string { return string(r) }

const (
	authCancelled = authFailed("501 5.7.0 Authentication cancelled")                 // RFC 4954 §4
	authBadBase64 = authFailed("501 5.5.2 Invalid base64 data")                      // RFC 4954 §4
	authTooLong   = authFailed("500 5.5.6 Authentication Exchange line is too long") // RFC 4954 §4
	authInvalid   = authFailed("535 5.7.8 Authentication credentials invalid")       // RFC 4954 §6
)

// auth answers AUTH <mechanism> [initial-response] (RFC 4954 §4) with the
// mechanisms of MailServerOptions.AuthMechanisms: PLAIN (RFC 4616), LOGIN,
// and those of mailserver_sasl.go.
func (s *mailSession) auth(arg string) error {
	switch {
	case len(s.srv.opts.Users) == 0 && !s.srv.opts.AcceptAnyAuth:
		return s.send("502 5.5.1 AUTH not available")
	case !s.srv.authOffered(s.tls):
		return s.send("530 5.7.0 Must issue a STARTTLS command first")
	case s.helo == "":
		return s.send("503 5.5.1 Error: send EHLO first")
	case s.authUser != "":
		return s.send("503 5.5.1 Already authenticated") // §4: one AUTH per session
	case s.inMail:
		return s.send("503 5.5.1 AUTH not permitted during a mail transaction")
	}
	mech, ir, hasIR := strings.Cut(arg, " ")
	ir = strings.TrimLeft(ir, " ")
	var user string
	var err error
	mech = strings.ToUpper(mech)
	switch {
	case mech == "":
		return s.syntaxError("AUTH")
	case !slices.Contains(s.srv.opts.AuthMechanisms, mech):
		return s.send("504 5.5.4 Unrecognized authentication type")
	case mech == "PLAIN":
		user, err = s.authPlain(ir, hasIR)
	case mech == "LOGIN":
		user, err = s.authLogin(ir, hasIR)
	case mech == "CRAM-MD5":
		user, err = s.authCRAMMD5(hasIR)
	case mech == "SCRAM-SHA-256":
		user, err = s.authSCRAM(sha256.New, ir, hasIR)
	case mech == "SCRAM-SHA-1":
		user, err = s.authSCRAM(sha1.New, ir, hasIR)
	case mech == "XOAUTH2", mech == "OAUTHBEARER":
		user, err = s.authOAuth(mech, ir, hasIR)
	case mech == "EXTERNAL":
		user, err = s.authExternal(ir, hasIR)
	}
	var failed authFailed
	if errors.As(err, &failed) {
		return s.send(string(failed))
	}
	if err != nil {
		return err
	}
	s.authUser, s.authMech = user, strings.ToUpper(mech)
	s.rec.setAuth(s.authUser, s.authMech)
	return s.send("235 2.7.0 Authentication successful")
}

// authPlain runs PLAIN: one response, "[authzid] NUL authcid NUL passwd".
func (s *mailSession) authPlain(ir string, hasIR bool) (string, error) {
	var resp []byte
	var err error
	if hasIR {
		resp, err = decodeAuth(ir, true)
	} else {
		// An empty challenge is "334 " with the space (RFC 4954 §4).
		resp, err = s.authExchange("334 ")
	}
	if err != nil {
		return "", err
	}
	parts := bytes.Split(resp, []byte{0})
	if len(parts) != 3 {
		return "", authFailed("501 5.5.2 Malformed PLAIN response")
	}
	authz, user, pass := string(parts[0]), string(parts[1]), string(parts[2])
	if !s.checkPassword(user, pass) || (authz != "" && authz != user) {
		return "", authInvalid
	}
	return user, nil
}

// authLogin runs LOGIN: "Username:" and "Password:" challenges; an initial
// response, as some clients send, is the user name.
func (s *mailSession) authLogin(ir string, hasIR bool) (string, error) {
	var user []byte
	var err error
	if hasIR {
		user, err = decodeAuth(ir, true)
	} else {
		user, err = s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte("Username:")))
	}
	if err != nil {
		return "", err
	}
	pass, err := s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte("Password:")))
	if err != nil {
		return "", err
	}
	if !s.checkPassword(string(user), string(pass)) {
		return "", authInvalid
	}
	return string(user), nil
}

// authExchange sends a 334 challenge and reads and decodes the response;
// the response is traced as smtpwire.Redacted, a cancelling "*" as is.
func (s *mailSession) authExchange(challenge string) ([]byte, error) {
	if err := s.send(challenge); err != nil {
		return nil, err
	}
	line, err := s.readLine(MailAuthLineLimit + 2)
	if errors.Is(err, errMailLineTooLong) {
		s.trace(smtpwire.Sent, smtpwire.Redacted)
		return nil, authTooLong
	}
	if err != nil {
		return nil, err
	}
	if line == "*" {
		s.trace(smtpwire.Sent, line)
	} else {
		s.trace(smtpwire.Sent, smtpwire.Redacted)
	}
	return decodeAuth(line, false)
}

// decodeAuth decodes a base64 response strictly (RFC 4954 §4). "*"
// cancels; "=" is the empty initial response.
func decodeAuth(s string, initial bool) ([]byte, error) {
	switch {
	case s == "*":
		return nil, authCancelled
	case s == "=" && initial:
		return []byte{}, nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, authBadBase64
	}
	return b, nil
}

// checkPassword compares in constant time, over fixed-length hashes so
// that neither the password's length nor whether the user exists shows in
// the time taken.
func (s *mailSession) checkPassword(user, pass string) bool {
	if s.srv.opts.AcceptAnyAuth {
		return true
	}
	want, known := s.srv.opts.Users[user]
	got, exp := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(got[:], exp[:]) == 1 && known
}
