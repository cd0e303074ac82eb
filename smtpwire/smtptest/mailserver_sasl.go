package smtptest

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"
)

// AllAuthMechanisms lists every mechanism a MailServer can offer, for
// MailServerOptions.AuthMechanisms.
var AllAuthMechanisms = []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER", "EXTERNAL"}

// scramIterations is the PBKDF2 count the server asks for: the minimum of
// RFC 7677 §4.
const scramIterations = 4096

// firstResponse returns the client's first response: the initial
// response if there was one, else the answer to an empty 334.
func (s *mailSession) firstResponse(ir string, hasIR bool) ([]byte, error) {
	if hasIR {
		return decodeAuth(ir, true)
	}
	return s.authExchange("334 ")
}

// authCRAMMD5 runs CRAM-MD5 (RFC 2195): a "<random.time@host>" challenge,
// answered with "user hex(HMAC-MD5(password, challenge))".
func (s *mailSession) authCRAMMD5(hasIR bool) (string, error) {
	if hasIR {
		return "", authFailed("501 5.5.2 CRAM-MD5 takes no initial response")
	}
	challenge := fmt.Sprintf("<%s.%d@%s>", rand.Text()[:12], time.Now().Unix(), s.srv.opts.Hostname)
	resp, err := s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte(challenge)))
	if err != nil {
		return "", err
	}
	user, digest, ok := strings.Cut(string(resp), " ")
	if !ok {
		return "", authFailed("501 5.5.2 Malformed CRAM-MD5 response")
	}
	pass, known := s.srv.opts.Users[user]
	mac := hmac.New(md5.New, []byte(pass))
	mac.Write([]byte(challenge))
	want := hex.EncodeToString(mac.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(digest))) != 1 || !known {
		return "", authInvalid
	}
	return user, nil
}

// authSCRAM runs SCRAM (RFC 5802 §3, RFC 7677) without channel binding:
// client-first, server-first (nonce, salt, iterations), client-final with
// the proof, server-final with the server's signature, an empty response.
func (s *mailSession) authSCRAM(h func() hash.Hash, ir string, hasIR bool) (string, error) {
	first, err := s.firstResponse(ir, hasIR)
	if err != nil {
		return "", err
	}
	gs2, bare, ok := cutGS2(string(first))
	if !ok || !strings.HasPrefix(bare, "n=") {
		return "", authFailed("501 5.5.2 Malformed SCRAM client-first message")
	}
	attrs := saslAttrs(bare)
	user := strings.NewReplacer("=2C", ",", "=3D", "=").Replace(attrs["n"])
	if attrs["r"] == "" || (gs2 != "n,," && gs2 != "n,a="+attrs["n"]+",") {
		return "", authFailed("501 5.5.2 Malformed SCRAM client-first message")
	}
	salt := []byte(rand.Text()[:16])
	nonce := attrs["r"] + rand.Text()
	serverFirst := fmt.Sprintf("r=%s,s=%s,i=%d", nonce, base64.StdEncoding.EncodeToString(salt), scramIterations)
	final, err := s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte(serverFirst)))
	if err != nil {
		return "", err
	}
	withoutProof, proof64, ok := strings.Cut(string(final), ",p=")
	fattrs := saslAttrs(withoutProof)
	proof, perr := base64.StdEncoding.DecodeString(proof64)
	if !ok || perr != nil || fattrs["r"] != nonce || fattrs["c"] != base64.StdEncoding.EncodeToString([]byte(gs2)) {
		return "", authFailed("501 5.5.2 Malformed SCRAM client-final message")
	}
	pass, known := s.srv.opts.Users[user]
	salted, err := pbkdf2.Key(h, pass, salt, scramIterations, h().Size())
	if err != nil {
		return "", err
	}
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(h, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	authMessage := bare + "," + serverFirst + "," + withoutProof
	clientKey := mac(salted, "Client Key")
	stored := h()
	stored.Write(clientKey)
	clientSig := mac(stored.Sum(nil), authMessage)
	if len(proof) != len(clientSig) || !known || !hmac.Equal(proof, xor(clientKey, clientSig)) {
		return "", authInvalid
	}
	serverSig := mac(mac(salted, "Server Key"), authMessage)
	if _, err := s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte("v="+base64.StdEncoding.EncodeToString(serverSig)))); err != nil {
		return "", err
	}
	return user, nil
}

func xor(a, b []byte) []byte {
	out := make([]byte, len(a))
	subtle.XORBytes(out, a, b)
	return out
}

// cutGS2 splits a GS2 header ("n,," or "n,a=authzid,") from the rest.
func cutGS2(msg string) (gs2, rest string, ok bool) {
	cbind, after, ok := strings.Cut(msg, ",")
	if !ok || cbind != "n" {
		return "", "", false
	}
	authz, rest, ok := strings.Cut(after, ",")
	if !ok || (authz != "" && !strings.HasPrefix(authz, "a=")) {
		return "", "", false
	}
	return "n," + authz + ",", rest, true
}

// saslAttrs parses "k=v,k=v" (RFC 5802 §7), the first of each key.
func saslAttrs(msg string) map[string]string {
	attrs := map[string]string{}
	for _, f := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(f, "="); ok {
			if _, dup := attrs[k]; !dup {
				attrs[k] = v
			}
		}
	}
	return attrs
}

// authOAuth runs XOAUTH2 (user=U ^A auth=Bearer T ^A ^A) and OAUTHBEARER
// (RFC 7628: n,a=U, ^A auth=Bearer T ^A ^A). A bad token gets a 334 with a
// JSON error (RFC 7628 §3.2.2); after the client's answer (empty for
// XOAUTH2, ^A for OAUTHBEARER), 535.
func (s *mailSession) authOAuth(mech, ir string, hasIR bool) (string, error) {
	resp, err := s.firstResponse(ir, hasIR)
	if err != nil {
		return "", err
	}
	msg := string(resp)
	var user string
	if mech == "OAUTHBEARER" {
		gs2, rest, ok := cutGS2(msg)
		if !ok {
			return "", authFailed("501 5.5.2 Malformed OAUTHBEARER response")
		}
		user, msg = strings.TrimSuffix(strings.TrimPrefix(gs2, "n,a="), ","), rest
	}
	var token string
	for _, kv := range strings.Split(msg, "\x01") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "user":
			if mech == "XOAUTH2" {
				user = v
			}
		case "auth":
			token, _ = strings.CutPrefix(v, "Bearer ")
		}
	}
	owner, known := s.srv.opts.Tokens[token]
	if token == "" || !known || (user != "" && owner != user) {
		status := `{"status":"invalid_token","schemes":"bearer","scope":"smtp"}`
		if mech == "XOAUTH2" {
			status = `{"status":"401","schemes":"bearer","scope":"smtp"}`
		}
		if _, err := s.authExchange("334 " + base64.StdEncoding.EncodeToString([]byte(status))); err != nil {
			return "", err
		}
		return "", authInvalid
	}
	return owner, nil
}

// authExternal runs EXTERNAL (RFC 4422 Appendix A): the identity is the
// common name of the client certificate verified in the TLS handshake; an
// authorization identity, if given, must be the same.
func (s *mailSession) authExternal(ir string, hasIR bool) (string, error) {
	authz, err := s.firstResponse(ir, hasIR)
	if err != nil {
		return "", err
	}
	tc, ok := s.conn.(*tls.Conn)
	if !ok || len(tc.ConnectionState().PeerCertificates) == 0 {
		return "", authFailed("535 5.7.1 EXTERNAL needs a TLS client certificate")
	}
	user := tc.ConnectionState().PeerCertificates[0].Subject.CommonName
	if _, known := s.srv.opts.Users[user]; !known || (len(authz) > 0 && string(authz) != user) {
		return "", authInvalid
	}
	return user, nil
}
