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

// proxyCatalog: the proxy stage's messages, problems and advice.
func proxyCatalog() map[string][2]string {
	return map[string][2]string{
		"stage.proxy":            {"SOCKS5 proxy", "SOCKS5 代理"},
		"proxy.dns_remote":       {"{host}: resolved by the proxy {proxy} (socks5h://)", "{host}:由代理 {proxy} 解析(socks5h://)"},
		"proxy.seen_reached":     {"proxy {proxy}: connected in {took}", "代理 {proxy}:连接成功,用时 {took}"},
		"proxy.seen_unreachable": {"proxy {proxy}: {error}", "代理 {proxy}:{error}"},
		"proxy.seen_refused":     {"proxy {proxy} refused: {error}", "代理 {proxy} 拒绝:{error}"},
		"proxy.seen_target":      {"{addr} through the proxy: {error}", "经代理连接 {addr}:{error}"},
		"proxy.seen_connected":   {"{addr} through the proxy: connected in {took}", "经代理连接 {addr}:成功,用时 {took}"},

		"problem.proxy.unreachable":   {"the SOCKS5 proxy cannot be reached", "无法连接 SOCKS5 代理"},
		"problem.proxy.refused":       {"the SOCKS5 proxy refused the connection", "SOCKS5 代理拒绝了连接"},
		"problem.proxy.target_failed": {"the proxy works, but cannot reach {host} on port {port}", "代理正常,但它无法连接 {host} 的 {port} 端口"},

		"adv.proxy_unreachable": {"check the proxy's host and port in --proxy, and that the proxy runs", "检查 --proxy 中代理的主机和端口,并确认代理正在运行"},
		"adv.proxy_refused":     {"check the user and password in --proxy (socks5://user:pass@host:port) and the proxy's rules", "检查 --proxy 中的用户名和密码(socks5://user:pass@host:port)以及代理的访问规则"},
		"adv.proxy_target":      {"the server refused the proxy or is unreachable from it: try the check without --proxy, or from the proxy's machine; with socks5:// the name is resolved here, with socks5h:// by the proxy", "服务器拒绝了代理的连接,或代理无法到达服务器:请不带 --proxy 再检查,或在代理所在机器上检查;socks5:// 在本机解析域名,socks5h:// 由代理解析"},
	}
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
