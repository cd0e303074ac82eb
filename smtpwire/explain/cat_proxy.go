package explain

// proxyCatalog: the SOCKS5 proxy stage of smtpsh check, its problems and
// advice.
func proxyCatalog() map[string][3]string {
	return map[string][3]string{
		"stage.proxy":            {"SOCKS5 proxy", "SOCKS5 代理", "SOCKS5 代理"},
		"proxy.dns_remote":       {"{host}: resolved by the proxy {proxy} (socks5h://)", "{host}:由代理 {proxy} 解析(socks5h://)", "{host}:由代理 {proxy} 解析(socks5h://)"},
		"proxy.seen_reached":     {"proxy {proxy}: connected in {took}", "代理 {proxy}:连接成功,用时 {took}", "代理 {proxy}:連接成功,用時 {took}"},
		"proxy.seen_unreachable": {"proxy {proxy}: {error}", "代理 {proxy}:{error}", "代理 {proxy}:{error}"},
		"proxy.seen_refused":     {"proxy {proxy} refused: {error}", "代理 {proxy} 拒绝:{error}", "代理 {proxy} 拒絕:{error}"},
		"proxy.seen_target":      {"{addr} through the proxy: {error}", "经代理连接 {addr}:{error}", "經代理連接 {addr}:{error}"},
		"proxy.seen_connected":   {"{addr} through the proxy: connected in {took}", "经代理连接 {addr}:成功,用时 {took}", "經代理連接 {addr}:成功,用時 {took}"},

		"problem.proxy.unreachable":   {"the SOCKS5 proxy cannot be reached", "无法连接 SOCKS5 代理", "無法連接 SOCKS5 代理"},
		"problem.proxy.refused":       {"the SOCKS5 proxy refused the connection", "SOCKS5 代理拒绝了连接", "SOCKS5 代理拒絕了連接"},
		"problem.proxy.target_failed": {"the proxy works, but cannot reach {host} on port {port}", "代理正常,但它无法连接 {host} 的 {port} 端口", "代理正常,但它無法連接 {host} 的 {port} 端口"},

		"adv.proxy_unreachable": {"check the proxy's host and port in --proxy, and that the proxy runs", "检查 --proxy 中代理的主机和端口,并确认代理正在运行", "檢查 --proxy 中代理的主機和端口,並確認代理正在運行"},
		"adv.proxy_refused":     {"check the user and password in --proxy (socks5://user:pass@host:port) and the proxy's rules", "检查 --proxy 中的用户名和密码(socks5://user:pass@host:port)以及代理的访问规则", "檢查 --proxy 中的用戶名和密碼(socks5://user:pass@host:port)以及代理的訪問規則"},
		"adv.proxy_target":      {"the server refused the proxy or is unreachable from it: try the check without --proxy, or from the proxy's machine; with socks5:// the name is resolved here, with socks5h:// by the proxy", "服务器拒绝了代理的连接,或代理无法到达服务器:请不带 --proxy 再检查,或在代理所在机器上检查;socks5:// 在本机解析域名,socks5h:// 由代理解析", "服務器拒絕了代理的連接,或代理無法到達服務器:請不帶 --proxy 再檢查,或在代理所在機器上檢查;socks5:// 在本機解析域名,socks5h:// 由代理解析"},
	}
}
