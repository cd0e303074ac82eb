package repl

import (
	"crypto/x509"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// showTLS describes the TLS session of the shell.
func (s *Shell) showTLS() {
	if info, ok := s.c.TLSInfo(); ok {
		s.p.note(TLSSummary(info, s.opts.Lang)...)
	}
}

// TLSSummary describes a TLS session in a few lines, in lang: version,
// cipher, certificate subject, names, issuer, expiry and whether it
// verified.
func TLSSummary(info smtpwire.TLSInfo, lang explain.Lang) []string {
	t := func(id string, kv ...string) string { return explain.M(id, kv...).Text(lang) }
	out := []string{t("tlsinfo.version", "version", strings.TrimPrefix(info.Version(), "TLS "), "cipher", info.CipherSuite())}
	if certs := info.State.PeerCertificates; len(certs) > 0 {
		leaf := certs[0]
		out = append(out, t("tlsinfo.cert", "subject", leaf.Subject.String()))
		names := append([]string(nil), leaf.DNSNames...)
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) > 0 {
			out = append(out, "  "+t("tlsinfo.names", "names", strings.Join(names, ", ")))
		}
		out = append(out, "  "+t("tlsinfo.issuer", "issuer", leaf.Issuer.String()))
		days := int(time.Until(leaf.NotAfter).Hours() / 24)
		out = append(out, "  "+t("tlsinfo.valid_until", "date", leaf.NotAfter.UTC().Format("2006-01-02"), "days", strconv.Itoa(days)))
	}
	switch {
	case info.Verified:
		out = append(out, "  "+t("tlsinfo.verified", "name", info.ServerName))
	case info.VerifyError != nil:
		out = append(out, "  "+t("tlsinfo.insecure", "err", info.VerifyError.Error()))
	default:
		out = append(out, "  "+t("tlsinfo.not_verified"))
	}
	return out
}

// TLSAdvice explains a failed TLS upgrade or handshake in plain words.
func TLSAdvice(err error) []explain.Msg {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var ie *smtpwire.StartTLSInjectionError
	switch {
	case errors.As(err, &ie):
		return tlsAdvice("tlsadv.injection", "tlsadv.injection2")
	case errors.As(err, &ua):
		return tlsAdvice("tlsadv.unknown_ca", "tlsadv.unknown_ca2")
	case errors.As(err, &he):
		return tlsAdvice("tlsadv.name", "tlsadv.name2")
	case errors.As(err, &ce) && ce.Reason == x509.Expired:
		return tlsAdvice("tlsadv.expired")
	case strings.Contains(err.Error(), "first record does not look like a TLS handshake"):
		return tlsAdvice("tlsadv.plaintext", "tlsadv.plaintext2")
	case strings.Contains(err.Error(), "protocol version"):
		return tlsAdvice("tlsadv.version")
	}
	return tlsAdvice("tlsadv.other")
}

func tlsAdvice(ids ...string) []explain.Msg {
	out := make([]explain.Msg, len(ids))
	for i, id := range ids {
		out[i] = explain.M(id)
	}
	return out
}
