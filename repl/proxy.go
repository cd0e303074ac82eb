package repl

import "github.com/smtpsh/smtpsh/smtpwire"

// ProxyAdvice says what to do about a connection that failed through a
// SOCKS5 proxy, by the hop that failed.
func ProxyAdvice(pe *smtpwire.ProxyError) string {
	switch pe.Failure {
	case smtpwire.ProxyUnreachable:
		return "the SOCKS5 proxy " + pe.Proxy + " does not answer: check its host and port in --proxy, and that it runs"
	case smtpwire.ProxyRefused:
		return "the SOCKS5 proxy " + pe.Proxy + " refused: check the user and password in --proxy (socks5://user:pass@host:port) and the proxy's rules"
	}
	return "the proxy works but could not reach " + pe.Target + ": the server refused it or is unreachable from the proxy (with socks5h:// the proxy resolves the name)"
}
