package smtpwire

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// SCRAM iteration bounds. RFC 7677 §4 asks for at least 4096 iterations
// with SHA-256 and RFC 5802 §5.1 at least 4096 too; the upper bound keeps a
// hostile server from making the client hash for minutes.
const (
	scramMinIterations = 4096
	scramMaxIterations = 1 << 20
)

// SCRAMAuth returns SCRAM-SHA-256 (RFC 7677) or SCRAM-SHA-1 (RFC 5802)
// without channel binding ("n,," GS2 header): hash is "SHA-256" or
// "SHA-1". authzid is usually "". The client proves it knows the password
// without sending it, and checks the server's signature in turn: a server
// that cannot prove it knows the credentials fails Client.Auth even after
// a 235 (see Verifier). The user name and password are prepared with
// SASLprep (RFC 4013) first, as RFC 5802 requires; an ASCII password is
// unchanged.
func SCRAMAuth(hashName, authzid, username, password string) (Mechanism, error) {
	var h func() hash.Hash
	switch strings.ToUpper(hashName) {
	case "SHA-256":
		h = sha256.New
	case "SHA-1":
		h = sha1.New
	default:
		return nil, fmt.Errorf("smtpwire: SCRAM: unknown hash %q (want SHA-256 or SHA-1)", hashName)
	}
	return &scram{name: "SCRAM-" + strings.ToUpper(hashName), h: h, authzid: authzid, username: username, password: password}, nil
}

type scram struct {
	notes
	name                        string
	h                           func() hash.Hash
	authzid, username, password string
	nonce                       string // client nonce; pinned by tests through setSCRAMNonce

	step            int
	clientFirstBare string
	serverSignature []byte
	verified        bool
}

func (a *scram) Name() string { return a.name }

// saslName escapes "=" and "," in a SCRAM user name (RFC 5802 §5.1).
func saslName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

func (a *scram) gs2Header() string {
	if a.authzid == "" {
		return "n,,"
	}
	return "n,a=" + saslName(a.authzid) + ","
}

func (a *scram) Start() ([]byte, error) {
	// SASLprep, RFC 5802 §2.2 (the password, a stored string) and §5.1
	// (the user name, a query).
	user, err := saslPrep(a.username, false)
	if err != nil {
		return nil, fmt.Errorf("smtpwire: %s: the user name cannot be prepared with SASLprep: %w", a.name, err)
	}
	pw, err := saslPrep(a.password, true)
	if err != nil {
		return nil, fmt.Errorf("smtpwire: %s: the password cannot be prepared with SASLprep: %w", a.name, err)
	}
	if user != a.username {
		a.note("scram_saslprep_user", "user", user)
	}
	if pw != a.password {
		a.note("scram_saslprep_password")
	}
	a.username, a.password = user, pw
	if a.nonce == "" {
		b := make([]byte, 18)
		rand.Read(b) // never fails (crypto/rand)
		a.nonce = base64.RawStdEncoding.EncodeToString(b)
	}
	a.clientFirstBare = "n=" + saslName(a.username) + ",r=" + a.nonce
	a.note("scram_client_first", "message", a.gs2Header()+a.clientFirstBare, "gs2", strconv.Quote(a.gs2Header()))
	return []byte(a.gs2Header() + a.clientFirstBare), nil
}

func (a *scram) Next(challenge []byte) ([]byte, error) {
	a.step++
	switch a.step {
	case 1:
		return a.clientFinal(string(challenge))
	case 2:
		return a.serverFinal(string(challenge))
	}
	return nil, fmt.Errorf("smtpwire: %s: unexpected challenge %q after the server's final message", a.name, challenge)
}

// scramAttrs parses "k=v,k=v" (RFC 5802 §7).
func scramAttrs(msg string) map[string]string {
	attrs := map[string]string{}
	for _, f := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(f, "="); ok && len(k) == 1 {
			if _, dup := attrs[k]; !dup {
				attrs[k] = v
			}
		}
	}
	return attrs
}

// clientFinal answers server-first ("r=nonce,s=salt,i=iterations") with
// client-final ("c=GS2 header,r=nonce,p=proof"), RFC 5802 §3.
func (a *scram) clientFinal(serverFirst string) ([]byte, error) {
	attrs := scramAttrs(serverFirst)
	if e, ok := attrs["e"]; ok {
		return nil, fmt.Errorf("smtpwire: %s: the server refused: %s", a.name, e)
	}
	if _, ok := attrs["m"]; ok {
		return nil, fmt.Errorf("smtpwire: %s: the server requires an extension (m=) this client does not know", a.name)
	}
	nonce, salt64, iter := attrs["r"], attrs["s"], attrs["i"]
	if nonce == "" || salt64 == "" || iter == "" {
		return nil, fmt.Errorf("smtpwire: %s: server-first message %q lacks r=, s= or i=", a.name, serverFirst)
	}
	if !strings.HasPrefix(nonce, a.nonce) || len(nonce) == len(a.nonce) {
		return nil, fmt.Errorf("smtpwire: %s: the server's nonce does not extend the client's (RFC 5802 §5.1)", a.name)
	}
	salt, err := base64.StdEncoding.DecodeString(salt64)
	if err != nil || len(salt) == 0 {
		return nil, fmt.Errorf("smtpwire: %s: the salt %q is not base64", a.name, salt64)
	}
	n, err := strconv.Atoi(iter)
	if err != nil || n < scramMinIterations || n > scramMaxIterations {
		return nil, fmt.Errorf("smtpwire: %s: iteration count %q outside %d..%d", a.name, iter, scramMinIterations, scramMaxIterations)
	}
	a.note("scram_server_first", "nonce", nonce, "client", a.nonce, "server", nonce[len(a.nonce):], "salt", salt64, "i", strconv.Itoa(n))

	size := a.h().Size()
	salted, err := pbkdf2.Key(a.h, a.password, salt, n, size)
	if err != nil {
		return nil, fmt.Errorf("smtpwire: %s: %w", a.name, err)
	}
	clientKey := a.hmac(salted, "Client Key")
	storedKey := a.sum(clientKey)
	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte(a.gs2Header())) + ",r=" + nonce
	authMessage := a.clientFirstBare + "," + serverFirst + "," + withoutProof
	clientSig := a.hmac(storedKey, authMessage)
	proof := make([]byte, size)
	subtle.XORBytes(proof, clientKey, clientSig)
	a.serverSignature = a.hmac(a.hmac(salted, "Server Key"), authMessage)
	p := base64.StdEncoding.EncodeToString(proof)
	a.note("scram_keys")
	a.note("scram_auth_message", "message", authMessage)
	a.note("scram_proof", "proof", p)
	a.note("scram_expected", "signature", base64.StdEncoding.EncodeToString(a.serverSignature))
	return []byte(withoutProof + ",p=" + p), nil
}

// serverFinal checks "v=signature" (RFC 5802 §3) and answers with an empty
// response; "e=" is the server's error.
func (a *scram) serverFinal(msg string) ([]byte, error) {
	attrs := scramAttrs(msg)
	if e, ok := attrs["e"]; ok {
		return nil, fmt.Errorf("smtpwire: %s: the server refused: %s", a.name, e)
	}
	v, err := base64.StdEncoding.DecodeString(attrs["v"])
	if err != nil || len(v) == 0 {
		return nil, fmt.Errorf("smtpwire: %s: server-final message %q has no signature v=", a.name, msg)
	}
	if !hmac.Equal(v, a.serverSignature) {
		return nil, fmt.Errorf("smtpwire: %s: the server's signature is wrong: it does not know the credentials (not the server it claims to be?)", a.name)
	}
	a.verified = true
	a.note("scram_verified", "message", msg)
	return []byte{}, nil
}

// Verify implements Verifier: the server sent a correct signature.
func (a *scram) Verify() error {
	if a.verified {
		return nil
	}
	return errors.New("smtpwire: " + a.name + ": the server accepted the login without proving itself (no server signature): refusing to trust it")
}

func (a *scram) hmac(key []byte, msg string) []byte {
	m := hmac.New(a.h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func (a *scram) sum(b []byte) []byte {
	h := a.h()
	h.Write(b)
	return h.Sum(nil)
}
