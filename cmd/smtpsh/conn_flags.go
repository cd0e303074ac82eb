package main

import (
	"bufio"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// connFlags are the flags that every command which connects shares
// beyond TLS: a client certificate (for EXTERNAL, or a server that asks
// for one), the OAuth 2.0 token, the protocol and a SOCKS5 proxy.
type connFlags struct {
	cert, key string
	tokenFile string
	protocol  string
	proxy     string

	// Filled in by load.
	certs []tls.Certificate
	token string
	dial  smtpwire.DialFunc // through the proxy; nil without one
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.cert, "cert", "", "TLS client certificate, PEM `FILE` (with --key): for AUTH EXTERNAL, or servers that ask for one")
	fs.StringVar(&c.key, "key", "", "private key of --cert, PEM `FILE`")
	fs.StringVar(&c.tokenFile, "oauth2-token-file", "", "read the OAuth 2.0 access token for XOAUTH2/OAUTHBEARER from `FILE` (else SMTPSH_OAUTH2_TOKEN)")
	fs.StringVar(&c.protocol, "protocol", "smtp", "smtp, or lmtp (RFC 2033: LHLO, one reply per recipient; TARGET may be unix:/path)")
	fs.StringVar(&c.proxy, "proxy", "", "connect through a SOCKS5 proxy, `URL` socks5://[user@]host:port (socks5h://: the proxy resolves names); "+
		"default SMTPSH_PROXY; the proxy password from SMTPSH_PROXY_PASSWORD, out of argv")
}

// load checks the flags and reads the files they name, before anything
// is dialled, so that a mistake is a usage error (exit 2).
func (c *connFlags) load(getenv func(string) string) error {
	switch c.protocol {
	case "smtp", "lmtp":
	default:
		return fmt.Errorf("--protocol %q: want smtp or lmtp", c.protocol)
	}
	if (c.cert == "") != (c.key == "") {
		return errors.New("--cert and --key go together")
	}
	if c.cert != "" {
		pair, err := tls.LoadX509KeyPair(c.cert, c.key)
		if err != nil {
			return fmt.Errorf("--cert/--key: %w", err)
		}
		c.certs = []tls.Certificate{pair}
	}
	if c.tokenFile != "" {
		t, err := readFirstLine(c.tokenFile)
		t = strings.TrimSpace(t) // a token has no spaces; an editor may add some
		if err != nil {
			return fmt.Errorf("--oauth2-token-file: %w", err)
		}
		if t == "" {
			return fmt.Errorf("--oauth2-token-file %s: the file is empty", c.tokenFile)
		}
		c.token = t
	} else {
		c.token = strings.TrimSpace(getenv("SMTPSH_OAUTH2_TOKEN"))
	}
	if c.proxy == "" {
		c.proxy = getenv("SMTPSH_PROXY")
	}
	if c.proxy != "" {
		if pw := getenv("SMTPSH_PROXY_PASSWORD"); pw != "" {
			u, err := url.Parse(c.proxy)
			if err == nil && u.User != nil {
				if _, has := u.User.Password(); !has {
					u.User = url.UserPassword(u.User.Username(), pw)
					c.proxy = u.String()
				}
			}
		}
		d, err := smtpwire.ProxyDialer(c.proxy, nil)
		if err != nil {
			return fmt.Errorf("--proxy: %w", err)
		}
		c.dial = d
	}
	return nil
}

// readFirstLine returns the first line of a file (at most 64 KiB read),
// without its line end: a password or token kept in a file.
func readFirstLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// apply puts the flags into a client configuration.
func (c *connFlags) apply(cfg *smtpwire.Config) {
	if len(c.certs) > 0 {
		tc := &tls.Config{}
		if cfg.TLSConfig != nil {
			tc = cfg.TLSConfig.Clone()
		}
		tc.Certificates = c.certs
		cfg.TLSConfig = tc
	}
	cfg.LMTP = c.protocol == "lmtp"
	if c.dial != nil {
		cfg.DialContext = c.dial
	}
}

// credentials are what AUTH can use, besides the password.
func (c *connFlags) credentials(user, password string) smtpwire.Credentials {
	return smtpwire.Credentials{User: user, Password: password, Token: c.token, ClientCert: len(c.certs) > 0}
}

// checkAuthFlag checks --auth MECH: a known mechanism or auto, and what
// it needs besides the password: a token for the OAuth ones.
func (c *connFlags) checkAuthFlag(mech string) error {
	m := strings.ToUpper(mech)
	if m != "AUTO" && !containsFold(smtpwire.MechanismNames(), m) {
		return fmt.Errorf("--auth %q: want auto or one of %s", mech, strings.ToLower(strings.Join(smtpwire.MechanismNames(), ", ")))
	}
	if (m == "XOAUTH2" || m == "OAUTHBEARER") && c.token == "" {
		return fmt.Errorf("--auth %s: no OAuth 2.0 access token: set SMTPSH_OAUTH2_TOKEN or use --oauth2-token-file FILE", mech)
	}
	if m == "EXTERNAL" && len(c.certs) == 0 {
		return errors.New("--auth external: give the client certificate with --cert FILE --key FILE")
	}
	return nil
}

// authNeedsPassword reports whether --auth MECH logs in with a password:
// not the OAuth ones nor EXTERNAL, and not auto when a token is given.
func (c *connFlags) authNeedsPassword(mech string) bool {
	switch strings.ToUpper(mech) {
	case "XOAUTH2", "OAUTHBEARER", "EXTERNAL":
		return false
	case "AUTO":
		return c.token == ""
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// proxyHost is --proxy's host:port, without credentials; "" without one.
func (c *connFlags) proxyHost() string {
	if c.proxy == "" {
		return ""
	}
	if u, err := url.Parse(c.proxy); err == nil {
		return u.Host
	}
	return ""
}
