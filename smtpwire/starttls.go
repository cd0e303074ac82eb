package smtpwire

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
)

// TLSInfo describes the TLS layer of a session.
type TLSInfo struct {
	// State is the negotiated connection: version, cipher suite, peer
	// certificate chain.
	State tls.ConnectionState
	// Implicit is true for TLS from the first byte (RFC 8314), false for
	// STARTTLS (RFC 3207).
	Implicit bool
	// Verified reports that the peer chain verified against the trusted
	// roots for the server name. With Config.InsecureSkipVerify the
	// session goes on either way and VerifyError says why it did not.
	Verified    bool
	VerifyError error
	// ServerName is the name the certificate was checked against: the
	// dialled host (which may be an IP address, sent without SNI) or
	// Config.ServerName.
	ServerName string
}

// Version returns the TLS version name, such as "TLS 1.3".
func (t TLSInfo) Version() string { return tls.VersionName(t.State.Version) }

// CipherSuite returns the cipher suite name.
func (t TLSInfo) CipherSuite() string { return tls.CipherSuiteName(t.State.CipherSuite) }

// StartTLS upgrades the session to TLS (RFC 3207): STARTTLS, the 220
// reply, the handshake, and then EHLO again with the last hello name,
// because RFC 3207 §4.2 makes the client forget what it learnt before. A
// negative reply is a *ReplyError and the session stays in plain text;
// bytes the server sent between its 220 and the handshake fail the session
// with a *StartTLSInjectionError.
func (c *Client) StartTLS(ctx context.Context) error {
	if c.tls != nil {
		return &StateError{Command: "STARTTLS", State: c.State(), Reason: "TLS is already active"}
	}
	if _, err := c.simple(ctx, "STARTTLS", CodeReady); err != nil {
		return err
	}
	if c.hello == "" {
		return nil
	}
	return c.Hello(ctx, c.hello)
}

// upgrade runs the client side of STARTTLS after the server's 220.
func (c *Client) upgrade(ctx context.Context) error {
	// RFC 3207 §6 / CVE-2011-0411: anything already buffered arrived in
	// plain text after the 220 and could have been injected by an attacker;
	// it must not be taken as a reply inside TLS.
	if n := c.br.Buffered(); n > 0 {
		data, _ := c.br.Peek(n)
		return c.fail(&StartTLSInjectionError{Data: append([]byte(nil), data...)})
	}
	conf, err := c.cfg.tlsConfig(c.host)
	if err != nil {
		return c.fail(err)
	}
	return c.handshake(ctx, conf, false)
}

// handshake turns the connection into TLS and forgets the plain-text
// session: extensions, hello, authentication (RFC 3207 §4.2).
func (c *Client) handshake(ctx context.Context, conf *tls.Config, implicit bool) error {
	var verifyErr error
	if conf.InsecureSkipVerify {
		// Verify anyway, to report the result; do not enforce it.
		prev := conf.VerifyConnection
		conf.VerifyConnection = func(cs tls.ConnectionState) error {
			verifyErr = verifyChain(conf, cs)
			if prev != nil {
				return prev(cs)
			}
			return nil
		}
	}
	tc := tls.Client(c.conn, conf)
	hctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.TLS)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no handshake within %v: %w", c.cfg.Timeouts.TLS, err)
		}
		return c.fail(&TLSError{ServerName: conf.ServerName, Err: err})
	}
	c.setConn(tc)
	c.noteTLS(tc, implicit)
	c.tls.ServerName = conf.ServerName
	if t := c.tls; t != nil && conf.InsecureSkipVerify {
		t.Verified, t.VerifyError = verifyErr == nil, verifyErr
	}
	c.ext, c.ehlo, c.authed = nil, false, false
	if !implicit {
		c.state = StateTLS
	}
	return nil
}

// noteTLS records the TLS state of conn if it is a completed TLS conn.
func (c *Client) noteTLS(conn net.Conn, implicit bool) {
	tc, ok := conn.(*tls.Conn)
	if !ok {
		return
	}
	cs := tc.ConnectionState()
	if !cs.HandshakeComplete {
		return
	}
	c.tls = &TLSInfo{State: cs, Implicit: implicit, Verified: len(cs.VerifiedChains) > 0}
}

// verifyChain checks the peer chain as crypto/tls would without
// InsecureSkipVerify.
func verifyChain(conf *tls.Config, cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("server sent no certificate")
	}
	opts := x509.VerifyOptions{Roots: conf.RootCAs, DNSName: conf.ServerName, Intermediates: x509.NewCertPool()}
	for _, ic := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(ic)
	}
	_, err := cs.PeerCertificates[0].Verify(opts)
	return err
}

// TLSError reports a failed TLS handshake. Err is crypto/tls's error, for
// errors.As with x509.UnknownAuthorityError, x509.HostnameError,
// x509.CertificateInvalidError or tls.AlertError.
type TLSError struct {
	ServerName string
	Err        error
}

func (e *TLSError) Error() string {
	return fmt.Sprintf("smtpwire: TLS handshake with %q failed: %v", e.ServerName, e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// tlsConfig builds the client TLS configuration from a clone of the
// caller's: never the caller's own object.
func (c *Config) tlsConfig(host string) (*tls.Config, error) {
	var conf *tls.Config
	if c.TLSConfig != nil {
		conf = c.TLSConfig.Clone()
	} else {
		conf = &tls.Config{}
	}
	switch {
	case c.ServerName != "":
		conf.ServerName = c.ServerName
	case conf.ServerName == "":
		conf.ServerName = host
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("smtpwire: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("smtpwire: CA file %s holds no PEM certificate", c.CAFile)
		}
		conf.RootCAs = pool
	}
	if c.InsecureSkipVerify {
		conf.InsecureSkipVerify = true
	}
	return conf, nil
}
