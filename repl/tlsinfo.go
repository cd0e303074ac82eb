package repl

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// showTLS describes the TLS session of the shell.
func (s *Shell) showTLS() {
	if info, ok := s.c.TLSInfo(); ok {
		s.p.note(TLSSummary(info)...)
	}
}

// TLSSummary describes a TLS session in a few lines: version, cipher,
// certificate subject, names, issuer, expiry and whether it verified.
func TLSSummary(info smtpwire.TLSInfo) []string {
	out := []string{fmt.Sprintf("TLS %s, cipher %s", strings.TrimPrefix(info.Version(), "TLS "), info.CipherSuite())}
	if certs := info.State.PeerCertificates; len(certs) > 0 {
		leaf := certs[0]
		out = append(out, "certificate: "+leaf.Subject.String())
		names := append([]string(nil), leaf.DNSNames...)
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) > 0 {
			out = append(out, "  names: "+strings.Join(names, ", "))
		}
		out = append(out, "  issuer: "+leaf.Issuer.String())
		days := int(time.Until(leaf.NotAfter).Hours() / 24)
		out = append(out, fmt.Sprintf("  valid until %s (%d days left)", leaf.NotAfter.UTC().Format("2006-01-02"), days))
	}
	switch {
	case info.Verified:
		out = append(out, "  verified: yes, for "+info.ServerName)
	case info.VerifyError != nil:
		out = append(out, "  verified: NO ("+info.VerifyError.Error()+"); going on because of --insecure")
	default:
		out = append(out, "  verified: no")
	}
	return out
}

// TLSAdvice explains a failed TLS upgrade or handshake in plain words.
func TLSAdvice(err error) []string {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var ie *smtpwire.StartTLSInjectionError
	switch {
	case errors.As(err, &ie):
		return []string{"the server sent data between its STARTTLS reply and the handshake: a broken server,",
			"or someone on the way injecting commands (RFC 3207 §6); nothing more was sent"}
	case errors.As(err, &ua):
		return []string{"the certificate is not signed by an authority this machine trusts:",
			"a private CA (use --ca FILE), a self-signed server, an outdated CA bundle, or someone in between"}
	case errors.As(err, &he):
		return []string{"the certificate is for other names than the one dialled:",
			"check the host name (or --servername NAME for SNI)"}
	case errors.As(err, &ce) && ce.Reason == x509.Expired:
		return []string{"the certificate has expired or is not valid yet (check this machine's clock too)"}
	case strings.Contains(err.Error(), "first record does not look like a TLS handshake"):
		return []string{"the server answered in plain text: this port does not speak TLS from the first byte;",
			"use --tls starttls (or --tls none), or port 465 for implicit TLS"}
	case strings.Contains(err.Error(), "protocol version"):
		return []string{"no TLS version in common: the server may only offer TLS 1.0/1.1, which this client refuses"}
	}
	return []string{"the TLS handshake failed; --insecure skips certificate checks (only for testing)"}
}
