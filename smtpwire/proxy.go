package smtpwire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/proxy"
)

// ProxyFailure says which hop of a proxied connection failed.
type ProxyFailure int

const (
	// ProxyUnreachable: no TCP connection to the proxy itself.
	ProxyUnreachable ProxyFailure = iota + 1
	// ProxyRefused: the proxy answered but refused: a wrong user or
	// password, no common authentication method, or its rules (RFC 1928
	// reply 02), or it does not speak SOCKS5.
	ProxyRefused
	// ProxyTargetFailed: the proxy could not reach the target: refused,
	// unreachable, or a name it could not resolve (RFC 1928 replies 01,
	// 03-06).
	ProxyTargetFailed
)

func (f ProxyFailure) String() string {
	switch f {
	case ProxyUnreachable:
		return "proxy unreachable"
	case ProxyRefused:
		return "proxy refused"
	case ProxyTargetFailed:
		return "target refused through the proxy"
	}
	return "proxy failure"
}

// ProxyError is a failed connection through a SOCKS5 proxy.
type ProxyError struct {
	Proxy   string // host:port of the proxy; never the password
	Target  string
	Failure ProxyFailure
	Err     error
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("smtpwire: via SOCKS5 proxy %s to %s: %s: %v", e.Proxy, e.Target, e.Failure, e.Err)
}

func (e *ProxyError) Unwrap() error { return e.Err }

// DialFunc dials like net.Dialer.DialContext; it is Config.DialContext's type.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// ProxyDialer returns a dialer through the SOCKS5 proxy (RFC 1928) named
// by rawURL, for Config.DialContext: "socks5://[user:pass@]host:port"
// resolves the target's name here and gives the proxy an address;
// "socks5h://..." gives the proxy the name to resolve (RFC 1928 §5,
// ATYP 03), for names only the proxy's side can resolve. User and
// password are sent with RFC 1929. forward dials the proxy; nil means a
// net.Dialer. Errors of the returned dialer are *ProxyError.
func ProxyDialer(rawURL string, forward DialFunc) (DialFunc, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtpwire: proxy URL: want socks5://[user:pass@]host:port: %v", redactURLError(err))
	}
	if u.Scheme != "socks5" && u.Scheme != "socks5h" {
		return nil, fmt.Errorf("smtpwire: proxy scheme %q: want socks5:// or socks5h://", u.Scheme)
	}
	if u.Port() == "" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("smtpwire: proxy %q: want socks5://[user:pass@]host:port", u.Redacted())
	}
	var auth *proxy.Auth
	if u.User != nil {
		pass, _ := u.User.Password()
		auth = &proxy.Auth{User: u.User.Username(), Password: pass}
	}
	if forward == nil {
		forward = (&net.Dialer{}).DialContext
	}
	remote := u.Scheme == "socks5h"
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		reached := false
		fwd := contextDialer(func(ctx context.Context, network, a string) (net.Conn, error) {
			conn, err := forward(ctx, network, a)
			reached = err == nil
			return conn, err
		})
		d, err := proxy.SOCKS5("tcp", u.Host, auth, fwd)
		if err != nil {
			return nil, err
		}
		target := addr
		if !remote {
			if target, err = resolveHere(ctx, addr); err != nil {
				return nil, err // a DNS error, as without a proxy
			}
		}
		conn, err := d.(proxy.ContextDialer).DialContext(ctx, network, target)
		if err == nil {
			return conn, nil
		}
		pe := &ProxyError{Proxy: u.Host, Target: addr, Failure: ProxyTargetFailed, Err: unwrapOp(err)}
		msg := err.Error()
		switch {
		case !reached:
			pe.Failure = ProxyUnreachable
		case strings.Contains(msg, "authentication"), strings.Contains(msg, "not allowed by ruleset"),
			strings.Contains(msg, "unexpected protocol version"), strings.Contains(msg, "EOF"):
			pe.Failure = ProxyRefused
		}
		return nil, pe
	}, nil
}

// contextDialer adapts a DialFunc to proxy.Dialer and proxy.ContextDialer.
type contextDialer DialFunc

func (d contextDialer) Dial(network, addr string) (net.Conn, error) {
	return d(context.Background(), network, addr)
}

func (d contextDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return d(ctx, network, addr)
}

// resolveHere turns "name:port" into "ip:port" with the local resolver.
func resolveHere(ctx context.Context, addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || net.ParseIP(host) != nil {
		return addr, err
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(ips[0].IP.String(), port), nil
}

// unwrapOp drops the *net.OpError wrapper x/net/proxy adds, whose text
// repeats the addresses.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// redactURLError keeps a password out of a url.Parse error.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
