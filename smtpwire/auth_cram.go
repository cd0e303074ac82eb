package smtpwire

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// CRAMMD5Auth returns the CRAM-MD5 mechanism (RFC 2195): the server sends
// a challenge such as "<1896.697170952@postoffice.example.net>" and the
// client answers "user HMAC-MD5(secret, challenge)" in lower-case hex
// (RFC 2104). The secret never crosses the wire, but the server must keep
// it in clear, and an eavesdropper can try passwords offline against the
// pair: use it over TLS all the same.
func CRAMMD5Auth(username, secret string) Mechanism {
	return &cramMD5{username: username, secret: secret}
}

type cramMD5 struct {
	notes
	username, secret string
	done             bool
}

func (a *cramMD5) Name() string           { return "CRAM-MD5" }
func (a *cramMD5) Start() ([]byte, error) { return nil, nil }

func (a *cramMD5) Next(challenge []byte) ([]byte, error) {
	if a.done {
		return nil, fmt.Errorf("smtpwire: CRAM-MD5: unexpected second challenge %q", challenge)
	}
	a.done = true
	if len(challenge) == 0 {
		return nil, errors.New("smtpwire: CRAM-MD5: the server sent an empty challenge")
	}
	mac := hmac.New(md5.New, []byte(a.secret))
	mac.Write(challenge)
	digest := hex.EncodeToString(mac.Sum(nil))
	a.note("cram_digest", "digest", digest)
	a.note("cram_response", "user", strconv.Quote(a.username))
	return []byte(a.username + " " + digest), nil
}
