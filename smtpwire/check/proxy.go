package check

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// StageProxy is the SOCKS5 proxy layer, run instead of the TCP stage when
// Options.Proxy is set: the proxy reached, then the target through it.
const StageProxy = "proxy"

// proxyHost is the proxy's host:port, without credentials, for the report.
func proxyHost(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return "?"
}

// remoteDNS reports a socks5h:// proxy, which resolves names itself.
func remoteDNS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "socks5h"
}

// skipLookup is the DNS stage with a socks5h:// proxy: the proxy resolves.
func (r *runner) skipLookup() {
	st, done := r.stage(StageDNS)
	defer done()
	st.see(msg("proxy.dns_remote", "host", r.o.Host, "proxy", proxyHost(r.o.Proxy)))
}

// connectProxy is the proxy stage: TCP to the proxy, then SOCKS5 CONNECT
// (RFC 1928) to the server through it; the session goes on over that
// connection, and any later connection (the TLS probe) goes through the
// proxy too.
func (r *runner) connectProxy(ctx context.Context) bool {
	st, done := r.stage(StageProxy)
	defer done()
	proxy := proxyHost(r.o.Proxy)
	dctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Connect)
	defer cancel()
	t0 := time.Now()
	conn, err := r.dial(dctx, "tcp", proxy)
	if err != nil {
		st.see(msg("proxy.seen_unreachable", "proxy", proxy, "error", errorText(err)))
		r.fail(st, ProxyUnreachable)
		return false
	}
	conn.Close()
	st.see(msg("proxy.seen_reached", "proxy", proxy, "took", ms(time.Since(t0))))
	dial, err := smtpwire.ProxyDialer(r.o.Proxy, r.dial)
	if err != nil {
		st.see(msg("session.seen_error", "error", err.Error()))
		r.fail(st, ProxyRefused)
		return false
	}
	target := net.JoinHostPort(r.o.Host, strconv.Itoa(r.o.Port))
	if len(r.addrs) > 0 {
		target = netip.AddrPortFrom(r.addrs[0], uint16(r.o.Port)).String()
	}
	t0 = time.Now()
	conn, err = dial(dctx, "tcp", target)
	var pe *smtpwire.ProxyError
	switch {
	case err == nil:
	case errors.As(err, &pe) && pe.Failure == smtpwire.ProxyRefused:
		st.see(msg("proxy.seen_refused", "proxy", proxy, "error", pe.Err.Error()))
		r.fail(st, ProxyRefused)
		return false
	case errors.As(err, &pe) && pe.Failure == smtpwire.ProxyUnreachable:
		st.see(msg("proxy.seen_unreachable", "proxy", proxy, "error", pe.Err.Error()))
		r.fail(st, ProxyUnreachable)
		return false
	default:
		if pe != nil {
			err = pe.Err
		}
		st.see(msg("proxy.seen_target", "addr", target, "error", errorText(err)))
		r.fail(st, ProxyTargetFailed)
		return false
	}
	st.see(msg("proxy.seen_connected", "addr", target, "took", ms(time.Since(t0))))
	r.conn, r.addr, r.dial = conn, target, dial
	return true
}

// proxyAdvice is the advice for the proxy problems.
func (r *runner) proxyAdvice(code string) []Msg {
	a := func(id string) Msg { return msg(id, "host", r.o.Host, "port", strconv.Itoa(r.o.Port)) }
	switch code {
	case ProxyUnreachable:
		return []Msg{a("adv.proxy_unreachable")}
	case ProxyRefused:
		return []Msg{a("adv.proxy_refused")}
	case ProxyTargetFailed:
		return []Msg{a("adv.proxy_target")}
	}
	return nil
}
