package check

import (
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

// advice returns what to do about a problem, most useful first; the
// first line is the verdict's fix. Texts are in adviceCatalog.
func (r *runner) advice(code string) []Msg {
	a := func(id string, kv ...string) Msg {
		return msg(id, append([]string{"host", r.o.Host, "port", strconv.Itoa(r.o.Port)}, kv...)...)
	}
	if Layer(code) == StageProxy {
		return r.proxyAdvice(code)
	}
	switch code {
	case DNSNotFound, DNSNoAddress:
		if p := r.rep.Provider; p != nil && strings.EqualFold(p.Host, r.o.Host) {
			// A provider's own host: the name is right, the resolver is not.
			return []Msg{providerMsg("adv.dns_known_host", r.rep.Provider), a("adv.dns_resolver"), a("adv.dns_firewall")}
		}
		return []Msg{a("adv.dns_spelling"), a("adv.dns_providers")}
	case DNSTimeout, DNSFailed:
		return []Msg{a("adv.dns_resolver"), a("adv.dns_firewall")}

	case TCPRefused:
		return r.withPorts(a("adv.tcp_refused"))
	case TCPTimeout:
		out := []Msg{a("adv.telnet"), a("adv.security_group"), a("adv.firewall")}
		if r.o.Port == 25 {
			out = append([]Msg{a("adv.port25")}, out...)
		}
		return r.withPorts(out...)
	case TCPUnreachable:
		return []Msg{a("adv.unreachable"), a("adv.firewall")}
	case TCPFailed:
		return []Msg{a("adv.telnet"), a("adv.firewall")}
	case TCPPartial:
		return []Msg{a("adv.tcp_partial")}

	case TLSCAFile:
		return []Msg{a("adv.ca_file")}
	case TLSPlaintextPort:
		return []Msg{a("adv.use_starttls"), a("adv.app_starttls")}
	case TLSNotTLS:
		return r.withPorts(a("adv.not_tls"))
	case TLSImplicitPort:
		return []Msg{a("adv.use_implicit"), a("adv.app_ssl")}
	case TLSHandshakeTimeout:
		return []Msg{a("adv.handshake_timeout"), a("adv.use_starttls")}
	case TLSHandshakeFailed:
		return []Msg{a("adv.handshake_failed"), a("adv.old_openssl")}
	case TLSNoCommonVersion:
		return []Msg{a("adv.no_common_version"), a("adv.old_openssl")}
	case TLSOldVersion:
		return []Msg{a("adv.old_version"), a("adv.old_openssl")}
	case TLSUnknownAuthority:
		return []Msg{a("adv.ca_bundle"), a("adv.private_ca"), a("adv.interception")}
	case TLSNoSystemRoots:
		return []Msg{a("adv.install_ca"), a("adv.private_ca")}
	case TLSNameMismatch:
		return []Msg{a("adv.name_mismatch", "name", r.serverName()), a("adv.interception")}
	case TLSExpired:
		return []Msg{a("adv.expired"), a("adv.clock")}
	case TLSNotYetValid:
		return []Msg{a("adv.clock"), a("adv.not_yet_valid")}
	case TLSVerifyFailed:
		return []Msg{a("adv.verify_failed"), a("adv.ca_bundle")}
	case TLSExpiresSoon:
		return []Msg{a("adv.expires_soon")}
	case TLSStartTLSNotOffered:
		return r.withPorts(a("adv.no_starttls"))
	case TLSStartTLSUnavailable:
		return r.withPorts(a("adv.starttls_unavailable"))
	case TLSStartTLSRefused:
		return r.withPorts(a("adv.starttls_refused"))
	case TLSStartTLSInjection:
		return []Msg{a("adv.injection")}
	case TLSNotUsed:
		return []Msg{a("adv.not_used")}
	case TLSNone:
		return r.withPorts(a("adv.tls_none"))

	case BannerTimeout:
		return []Msg{a("adv.banner_timeout"), a("adv.maybe_implicit"), a("adv.longer_timeout")}
	case BannerSlow:
		return []Msg{a("adv.banner_slow")}
	case BannerRefused:
		return []Msg{a("adv.banner_refused"), a("adv.use_submission")}
	case BannerBusy:
		return []Msg{a("adv.banner_busy")}
	case BannerUnexpected:
		return []Msg{a("adv.banner_unexpected")}
	case BannerClosed:
		return []Msg{a("adv.banner_closed"), a("adv.maybe_implicit")}
	case BannerGarbage:
		return r.withPorts(a("adv.banner_garbage"))

	case EHLORejected:
		return []Msg{a("adv.ehlo_name")}
	case EHLOHeloOnly:
		return []Msg{a("adv.helo_only")}

	case AuthBadCredentials:
		return r.withHints(a("adv.bad_credentials"))
	case AuthBadToken:
		return []Msg{a("adv.bad_token")}
	case AuthTooWeak:
		return r.withHints(a("adv.too_weak"))
	case AuthRequiresTLS:
		return []Msg{a("adv.auth_requires_tls")}
	case AuthNotOffered:
		return r.withPorts(a("adv.auth_not_offered"))
	case AuthMechanismUnsupported:
		return r.withHints(a("adv.mech_unsupported"))
	case AuthTemporary:
		return []Msg{a("adv.auth_temporary")}
	case AuthPlaintextRefused:
		return []Msg{a("adv.plaintext_refused")}
	case AuthBasicDisabled:
		return []Msg{a("adv.basic_disabled")}
	case AuthRejected:
		return r.withHints(a("adv.auth_rejected"))

	case EnvelopeSenderNotOwned:
		out := []Msg{a("adv.sender_not_owned", "user", r.o.User)}
		if r.hint != nil && r.hint.Secret == providers.SMTPPassword {
			out = append(out, providerMsg("hint.smtp_password", r.hint))
		}
		return out
	case EnvelopeSenderSyntax:
		return []Msg{a("adv.sender_syntax")}
	case EnvelopeSenderRejected:
		return []Msg{a("adv.sender_rejected"), a("adv.sender_not_owned", "user", r.o.User)}
	case EnvelopeAuthRequired:
		return []Msg{a("adv.envelope_auth")}
	case EnvelopeUnknownRecipient:
		return []Msg{a("adv.unknown_recipient")}
	case EnvelopeRelayDenied:
		return []Msg{a("adv.relay_denied")}
	case EnvelopeGreylisted:
		return []Msg{a("adv.greylisted")}
	case EnvelopeTemporary:
		return []Msg{a("adv.envelope_temporary")}
	case EnvelopeRecipientRefused:
		return []Msg{a("adv.recipient_rejected")}

	case SessionTimeout:
		return []Msg{a("adv.session_timeout")}
	case SessionClosed:
		return []Msg{a("adv.session_closed")}
	case SessionGarbage:
		return []Msg{a("adv.session_garbage")}
	case SessionClosing:
		return []Msg{a("adv.session_closing")}
	}
	return nil
}

// withPorts appends the ports the target's provider serves SMTP on, or
// the usual ports when the provider is unknown.
func (r *runner) withPorts(out ...Msg) []Msg {
	p := r.rep.Provider
	if p == nil {
		return append(out, msg("adv.std_ports"))
	}
	ports := func(l Lang) string {
		var s []string
		for _, pt := range p.Ports {
			n, m := strconv.Itoa(pt.Number), msg("port."+pt.TLS).Text(l)
			if l.Chinese() {
				s = append(s, n+"("+m+")")
			} else {
				s = append(s, n+" ("+m+")")
			}
		}
		if l.Chinese() {
			return strings.Join(s, "、")
		}
		return strings.Join(s, ", ")
	}
	return append(out, providerMsg("adv.provider_ports", p).WithTexts("ports", ports))
}

// providerMsg is a message about provider p: its name in both languages
// is the {provider} argument, its SMTP host {host}.
func providerMsg(id string, p *providers.Provider) Msg {
	return msg(id, "host", p.Host).With("provider", p.Name, p.NameZH)
}

// withHints puts the provider's password hints first when the provider
// is known (they are the likeliest cause), after the general advice
// otherwise.
func (r *runner) withHints(general Msg) []Msg {
	if r.hint == nil {
		return append([]Msg{general}, r.passwordHints()...)
	}
	return append(r.passwordHints(), general)
}

// passwordHints says what the password is for the provider of the
// target or of the user's address, or for the usual providers when
// neither is known.
func (r *runner) passwordHints() []Msg {
	p := r.hint
	if p == nil {
		return []Msg{msg("hint.any_authcode"), msg("hint.any_app_password"), msg("hint.any_directmail")}
	}
	var out []Msg
	switch p.Secret {
	case providers.AuthCode:
		out = append(out, providerMsg("hint.authcode", p))
	case providers.AppPassword:
		out = append(out, providerMsg("hint.app_password", p))
	case providers.APIKey:
		out = append(out, providerMsg("hint.api_key", p))
	case providers.SMTPPassword:
		out = append(out, providerMsg("hint.smtp_password", p))
	case providers.OAuth2:
		out = append(out, providerMsg("hint.oauth2", p))
	}
	if p.User != "" {
		out = append(out, providerMsg("hint.user", p).With("user", p.User, p.UserZH))
	}
	if p.Password != "" {
		out = append(out, providerMsg("hint.password", p).With("password", p.Password, p.PasswordZH))
	}
	return out
}
