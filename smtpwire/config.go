package smtpwire

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// Default limits. RFC 5321 §4.5.3.1.5 caps a reply line at 512 octets
// including CRLF; real servers overshoot it in long EHLO and error lines, so
// the client accepts eight times that and fails clearly beyond.
const (
	DefaultMaxLineLength = 8 * 512 // octets per reply line, CRLF excluded
	DefaultMaxReplyLines = 1000    // lines in one multi-line reply
)

// Timeouts bounds each step of a session. A zero field takes the default
// named in its comment: the minimums of RFC 5321 §4.5.3.2 where the RFC
// gives one. A context deadline shorter than a timeout wins.
type Timeouts struct {
	Connect   time.Duration // TCP connect; default 30s (not in the RFC)
	TLS       time.Duration // TLS handshake; default 30s (not in the RFC)
	Greeting  time.Duration // initial 220; default 5m (§4.5.3.2.1)
	Mail      time.Duration // MAIL; default 5m (§4.5.3.2.2)
	Rcpt      time.Duration // RCPT; default 5m (§4.5.3.2.3)
	DataInit  time.Duration // DATA until 354; default 2m (§4.5.3.2.4)
	DataBlock time.Duration // each write of the message; default 3m (§4.5.3.2.5)
	DataTerm  time.Duration // "." until the final reply; default 10m (§4.5.3.2.6)
	Command   time.Duration // every other command; default 5m
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Connect, 30*time.Second)
	def(&t.TLS, 30*time.Second)
	def(&t.Greeting, 5*time.Minute)
	def(&t.Mail, 5*time.Minute)
	def(&t.Rcpt, 5*time.Minute)
	def(&t.DataInit, 2*time.Minute)
	def(&t.DataBlock, 3*time.Minute)
	def(&t.DataTerm, 10*time.Minute)
	def(&t.Command, 5*time.Minute)
	return t
}

// Config holds the options of a client. The zero value (or a nil *Config)
// is a plain-TCP client that verifies certificates against the system
// roots, says "EHLO localhost" and traces nothing.
type Config struct {
	// LocalName is the EHLO/HELO argument when Hello is given "";
	// default "localhost".
	LocalName string

	// ImplicitTLS makes Dial and Connect start TLS before the greeting
	// (RFC 8314 §3.3, port 465). Otherwise the session starts in plain
	// text and StartTLS upgrades it (RFC 3207).
	ImplicitTLS bool
	// TLSConfig is cloned, never modified. Nil means defaults.
	TLSConfig *tls.Config
	// ServerName overrides the name sent in SNI and checked in the
	// certificate; default: TLSConfig.ServerName, else the dialled host.
	ServerName string
	// CAFile is a PEM file of certificates to trust instead of the
	// system roots.
	CAFile string
	// InsecureSkipVerify accepts any certificate. The verification is
	// still run and its result reported by TLSInfo, but not enforced.
	InsecureSkipVerify bool

	// AllowInsecureAuth lets Auth send credentials over a connection that
	// is not TLS. Without it Auth refuses with ErrInsecureAuth, except to a
	// loopback address (127.0.0.0/8, ::1), where nobody can listen in.
	AllowInsecureAuth bool

	// LMTP speaks LMTP (RFC 2033) instead of SMTP: Hello sends LHLO, and
	// the end of DATA has one reply per accepted recipient
	// (DataWriter.RecipientReplies). Typing LHLO through Cmd does the same.
	LMTP bool

	// Timeouts per step; zero fields take RFC 5321 defaults.
	Timeouts Timeouts

	// Trace, if set, sees every wire line.
	Trace TraceFunc
	// TraceSecrets shows AUTH payloads in the trace instead of Redacted.
	TraceSecrets bool

	// MaxLineLength caps a reply line (CRLF excluded);
	// default DefaultMaxLineLength.
	MaxLineLength int
	// MaxReplyLines caps the lines of one reply; default DefaultMaxReplyLines.
	MaxReplyLines int

	// DialContext replaces the TCP dialer, for proxies and tests.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (c *Config) withDefaults() Config {
	var out Config
	if c != nil {
		out = *c
	}
	if out.LocalName == "" {
		out.LocalName = "localhost"
	}
	if out.MaxLineLength <= 0 {
		out.MaxLineLength = DefaultMaxLineLength
	}
	if out.MaxReplyLines <= 0 {
		out.MaxReplyLines = DefaultMaxReplyLines
	}
	out.Timeouts = out.Timeouts.withDefaults()
	return out
}
