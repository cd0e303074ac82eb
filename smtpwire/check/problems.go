package check

import "strings"

// Problem codes: machine-readable, stable, "layer.name". The layer prefix
// says which exit status smtpsh check uses (see Layer); the stage a
// problem appears in is Stage.Name (a session.* problem can appear in any
// stage after the TCP one).
const (
	DNSNotFound  = "dns.not_found"  // the name does not exist (NXDOMAIN)
	DNSTimeout   = "dns.timeout"    // no answer from the DNS server
	DNSFailed    = "dns.failed"     // the lookup failed otherwise (SERVFAIL, ...)
	DNSNoAddress = "dns.no_address" // the name exists but has no address

	TCPRefused     = "tcp.refused"     // nothing listens on the port, or a firewall rejects
	TCPTimeout     = "tcp.timeout"     // no answer: a firewall, security group or ISP drops the packets
	TCPUnreachable = "tcp.unreachable" // no route to the address (or an ICMP reject)
	TCPFailed      = "tcp.failed"      // any other connect error
	TCPPartial     = "tcp.partial"     // warning: some addresses failed, one worked

	TLSCAFile              = "tls.ca_file"              // the --ca file cannot be used
	TLSPlaintextPort       = "tls.plaintext_port"       // implicit TLS tried, the server greeted in plain text
	TLSNotTLS              = "tls.not_tls"              // implicit TLS tried, the server sent something else
	TLSImplicitPort        = "tls.implicit_port"        // plain connection to a port that expects TLS first
	TLSHandshakeTimeout    = "tls.handshake_timeout"    // no answer to the ClientHello
	TLSHandshakeFailed     = "tls.handshake_failed"     // the handshake failed otherwise
	TLSNoCommonVersion     = "tls.no_common_version"    // protocol_version alert: no TLS version in common
	TLSOldVersion          = "tls.old_version"          // the server offers nothing newer than TLS 1.0/1.1
	TLSUnknownAuthority    = "tls.unknown_authority"    // the chain ends at a CA this machine does not trust
	TLSNoSystemRoots       = "tls.no_system_roots"      // this machine has no CA certificates at all
	TLSNameMismatch        = "tls.name_mismatch"        // the certificate is for other names
	TLSExpired             = "tls.expired"              // the certificate has expired
	TLSNotYetValid         = "tls.not_yet_valid"        // the certificate is not valid yet (or the clock is wrong)
	TLSVerifyFailed        = "tls.verify_failed"        // any other verification failure
	TLSExpiresSoon         = "tls.expires_soon"         // warning: valid, but expires within 14 days
	TLSStartTLSNotOffered  = "tls.starttls_not_offered" // no STARTTLS in EHLO (a failure with --tls starttls, else a warning)
	TLSStartTLSUnavailable = "tls.starttls_unavailable" // STARTTLS answered 4yz (454 TLS not available)
	TLSStartTLSRefused     = "tls.starttls_refused"     // STARTTLS answered 5yz
	TLSStartTLSInjection   = "tls.starttls_injection"   // bytes between the 220 and the handshake
	TLSNotUsed             = "tls.not_used"             // warning: --tls none, though STARTTLS is offered
	TLSNone                = "tls.none"                 // warning: --tls none, and no STARTTLS either

	BannerTimeout    = "banner.timeout"    // connected, but no greeting
	BannerSlow       = "banner.slow"       // warning: the greeting came late
	BannerRefused    = "banner.refused"    // 554 greeting: no service for this client
	BannerBusy       = "banner.busy"       // 421 greeting: too busy, or too many connections
	BannerUnexpected = "banner.unexpected" // another code than 220
	BannerClosed     = "banner.closed"     // the server hung up before greeting
	BannerGarbage    = "banner.garbage"    // the server sent something that is not SMTP

	EHLORejected = "ehlo.rejected"  // EHLO (and HELO) refused
	EHLOHeloOnly = "ehlo.helo_only" // warning: only HELO works: no extensions

	AuthBadCredentials       = "auth.bad_credentials"       // 535, 5.7.8
	AuthBadToken             = "auth.bad_token"             // 535 to XOAUTH2 or OAUTHBEARER: the token
	AuthTooWeak              = "auth.too_weak"              // 534, 5.7.9: an app password is required
	AuthRequiresTLS          = "auth.requires_tls"          // 530/538: AUTH only after TLS
	AuthNotOffered           = "auth.not_offered"           // no AUTH in EHLO
	AuthMechanismUnsupported = "auth.mechanism_unsupported" // neither PLAIN nor LOGIN, or 504
	AuthTemporary            = "auth.temporary"             // 454 and other 4yz
	AuthPlaintextRefused     = "auth.plaintext_refused"     // smtpsh refused to send a password without TLS
	AuthBasicDisabled        = "auth.basic_disabled"        // Microsoft: SMTP AUTH (basic) is turned off
	AuthRejected             = "auth.rejected"              // any other refusal

	EnvelopeSenderNotOwned   = "envelope.sender_not_owned"   // the sender must be the authenticated user
	EnvelopeSenderSyntax     = "envelope.sender_syntax"      // 501 on MAIL
	EnvelopeSenderRejected   = "envelope.sender_rejected"    // any other refusal of MAIL
	EnvelopeAuthRequired     = "envelope.auth_required"      // 530: log in first
	EnvelopeUnknownRecipient = "envelope.unknown_recipient"  // 550 5.1.1
	EnvelopeRelayDenied      = "envelope.relay_denied"       // 554/550 5.7.1 relay access denied
	EnvelopeGreylisted       = "envelope.greylisted"         // 450/451 greylisting
	EnvelopeTemporary        = "envelope.temporary"          // any other 4yz
	EnvelopeRecipientRefused = "envelope.recipient_rejected" // any other refusal of RCPT

	SessionTimeout = "session.timeout" // no reply in time
	SessionClosed  = "session.closed"  // the server hung up
	SessionGarbage = "session.garbage" // a reply that is not SMTP
	SessionClosing = "session.closing" // 421: the server is closing the connection

	ProxyUnreachable  = "proxy.unreachable"   // no TCP connection to the SOCKS5 proxy
	ProxyRefused      = "proxy.refused"       // the proxy refused: credentials, rules, not SOCKS5
	ProxyTargetFailed = "proxy.target_failed" // the proxy could not reach the server
)

// Problems lists every problem code.
var Problems = []string{
	DNSNotFound, DNSTimeout, DNSFailed, DNSNoAddress,
	TCPRefused, TCPTimeout, TCPUnreachable, TCPFailed, TCPPartial,
	TLSCAFile, TLSPlaintextPort, TLSNotTLS, TLSImplicitPort, TLSHandshakeTimeout, TLSHandshakeFailed,
	TLSNoCommonVersion, TLSOldVersion, TLSUnknownAuthority, TLSNoSystemRoots, TLSNameMismatch, TLSExpired,
	TLSNotYetValid, TLSVerifyFailed, TLSExpiresSoon, TLSStartTLSNotOffered, TLSStartTLSUnavailable,
	TLSStartTLSRefused, TLSStartTLSInjection, TLSNotUsed, TLSNone,
	BannerTimeout, BannerSlow, BannerRefused, BannerBusy, BannerUnexpected, BannerClosed, BannerGarbage,
	EHLORejected, EHLOHeloOnly,
	AuthBadCredentials, AuthBadToken, AuthTooWeak, AuthRequiresTLS, AuthNotOffered, AuthMechanismUnsupported,
	AuthTemporary, AuthPlaintextRefused, AuthBasicDisabled, AuthRejected,
	EnvelopeSenderNotOwned, EnvelopeSenderSyntax, EnvelopeSenderRejected, EnvelopeAuthRequired,
	EnvelopeUnknownRecipient, EnvelopeRelayDenied, EnvelopeGreylisted, EnvelopeTemporary, EnvelopeRecipientRefused,
	SessionTimeout, SessionClosed, SessionGarbage, SessionClosing,
	ProxyUnreachable, ProxyRefused, ProxyTargetFailed,
}

// Layer returns the layer of a problem code: "dns", "tcp", "proxy", "tls",
// "banner", "ehlo", "auth", "envelope" or "session".
func Layer(code string) string {
	layer, _, _ := strings.Cut(code, ".")
	return layer
}
