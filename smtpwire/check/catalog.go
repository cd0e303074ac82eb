package check

import (
	"maps"
	"strconv"
	"strings"
	"sync"
)

// catalog maps every message ID to its English and Chinese templates.
// Placeholders are {name}; both languages use the same ones (the catalog
// test checks it). It is built from the tables of this file (what the
// report shows) and of advice_catalog.go (problems and advice).
//
// It is built on first use, not at start-up: every smtpsh command links
// this package, and most never print a check report.
var catalog = sync.OnceValue(func() map[string][2]string {
	all := map[string][2]string{}
	for _, part := range []map[string][2]string{reportCatalog(), extCatalog(), problemCatalog(), adviceCatalog(), proxyCatalog()} {
		maps.Copy(all, part)
	}
	return all
})

// reportCatalog: the frame of the report and what each stage saw.
func reportCatalog() map[string][2]string {
	return map[string][2]string{
		"stage.dns":      {"DNS lookup", "DNS 解析"},
		"stage.tcp":      {"TCP connection", "TCP 连接"},
		"stage.tls":      {"TLS", "TLS 加密"},
		"stage.banner":   {"banner (greeting)", "欢迎信息(banner)"},
		"stage.ehlo":     {"EHLO", "EHLO"},
		"stage.auth":     {"AUTH (login)", "AUTH 登录"},
		"stage.envelope": {"envelope (MAIL FROM, RCPT TO)", "信封(MAIL FROM、RCPT TO)"},

		"status.pass": {"[ OK ]", "[通过]"},
		"status.fail": {"[FAIL]", "[失败]"},
		"status.warn": {"[WARN]", "[警告]"},
		"status.skip": {"[SKIP]", "[跳过]"},

		"mode.implicit": {"implicit (TLS from the first byte)", "隐式 TLS(SSL,连接即加密)"},
		"mode.starttls": {"STARTTLS", "STARTTLS"},
		"mode.auto":     {"auto (STARTTLS when offered)", "自动(服务器提供时使用 STARTTLS)"},
		"mode.none":     {"none (plain text)", "不加密(明文)"},
		"port.implicit": {"implicit TLS", "SSL/隐式 TLS"},
		"port.starttls": {"STARTTLS", "STARTTLS"},
		"port.none":     {"plain", "明文"},

		"render.header":   {"smtpsh check {target}: {host}, port {port}, TLS {mode}", "smtpsh check {target}:主机 {host},端口 {port},TLS 模式 {mode}"},
		"render.provider": {"provider: {provider}", "服务商:{provider}"},
		"render.problem":  {"problem: {text}", "问题:{text}"},
		"render.fail":     {"Verdict: {layer} failed: {message}.", "结论:{layer}失败:{message}。"},
		"render.ok":       {"Verdict: {message}.", "结论:{message}。"},
		"render.fix":      {"Fix: {fix}", "解决办法:{fix}"},
		"render.next":     {"Next: {fix}", "下一步:{fix}"},

		"verdict.ok":          {"all checks passed", "所有检查均通过"},
		"verdict.ok_warnings": {"passed, with {n} warning(s) above", "通过,但上面有 {n} 个警告"},
		"verdict.ok_fix": {"if the application still fails, run this same check on the application's own server (a test from your own computer proves nothing about the server's network), and compare the application's host, port, TLS mode (465: SSL; 587: STARTTLS), user name and password with the ones checked here; an old TLS library (OpenSSL) or CA bundle in the application also fails where this check passes.",
			"如果应用仍然发不出邮件:请在应用所在的服务器上运行同样的检查(在自己电脑上测试成功不代表服务器网络也通),并核对应用里的主机、端口、加密方式(465 用 SSL,587 用 STARTTLS)、用户名和密码是否与这里一致;应用的 TLS 库(OpenSSL)过旧或 CA 证书包缺失,也会在本检查通过时仍然失败。"},

		"skip.not_reached":   {"not reached: an earlier stage failed", "未执行:前面的步骤失败"},
		"skip.no_user":       {"not tried: give --user to test the login", "未测试:加 --user 参数可测试登录"},
		"skip.no_envelope":   {"not tried: give --from and --to to test the sender and the recipients", "未测试:加 --from 和 --to 参数可测试发件人和收件人"},
		"skip.unverified":    {"not tried: the TLS connection failed its checks, and smtpsh sends no password or address over it (--insecure to try anyway)", "未测试:TLS 连接未通过检查,smtpsh 不会通过它发送密码或地址(加 --insecure 可强制尝试)"},
		"session.seen_error": {"{error}", "{error}"},

		"dns.literal": {"{addr} is an IP address: nothing to look up", "{addr} 是 IP 地址,无需解析"},
		"dns.addrs":   {"{host} → {addrs}", "{host} → {addrs}"},
		"dns.error":   {"looking up {host}: {error}", "解析 {host} 失败:{error}"},
		"dns.empty":   {"{host} has no A or AAAA record", "{host} 没有 A 或 AAAA 记录"},

		"tcp.connected":    {"{addr}: connected in {took}", "{addr}:连接成功,用时 {took}"},
		"tcp.seen_timeout": {"{addr}: no answer within {timeout} (the packets are dropped on the way)", "{addr}:{timeout} 内无响应(数据包在途中被丢弃)"},
		"tcp.seen_refused": {"{addr}: connection refused", "{addr}:连接被拒绝"},
		"tcp.seen_error":   {"{addr}: {error}", "{addr}:{error}"},

		"tls.seen_ca_file":           {"--ca {file}: {error}", "--ca {file}:{error}"},
		"tls.seen_not_used":          {"the server offers STARTTLS, but --tls none skips it", "服务器提供 STARTTLS,但 --tls none 跳过了它"},
		"tls.seen_none":              {"no TLS: --tls none, and the server does not offer STARTTLS either", "没有加密:指定了 --tls none,服务器也未提供 STARTTLS"},
		"tls.seen_not_offered":       {"the server does not offer STARTTLS on this port", "服务器在此端口未提供 STARTTLS"},
		"tls.seen_starttls":          {"STARTTLS → {reply}", "STARTTLS → {reply}"},
		"tls.seen_injection":         {"the server sent {bytes} after its 220 and before the handshake", "服务器在 220 之后、握手之前发送了 {bytes}"},
		"tls.seen_plaintext":         {"implicit TLS tried, but the server answered in plain text: {bytes}...", "尝试了隐式 TLS,但服务器以明文应答:{bytes}…"},
		"tls.seen_not_tls":           {"the server's first bytes are not TLS: {bytes}", "服务器发来的前几个字节不是 TLS:{bytes}"},
		"tls.seen_alert":             {"the server refused the handshake: {alert}", "服务器拒绝握手:{alert}"},
		"tls.seen_handshake_timeout": {"no answer to the TLS handshake within {timeout}", "{timeout} 内 TLS 握手没有应答"},
		"tls.seen_handshake_error":   {"handshake failed: {error}", "握手失败:{error}"},
		"tls.seen_version":           {"{version}, cipher {cipher}", "{version},加密套件 {cipher}"},
		"tls.seen_no_cert":           {"the server sent no certificate", "服务器没有发送证书"},
		"tls.seen_subject":           {"certificate: {subject}", "证书:{subject}"},
		"tls.seen_names":             {"valid for: {names}", "适用名称:{names}"},
		"tls.seen_issuer":            {"issued by: {issuer}", "签发者:{issuer}"},
		"tls.seen_chain":             {"intermediate: {subject}, issued by {issuer}", "中间证书:{subject},签发者 {issuer}"},
		"tls.seen_validity":          {"valid from {from} until {until} ({days} days left)", "有效期 {from} 至 {until}(剩余 {days} 天)"},
		"tls.seen_old_version":       {"{version} is the newest version the server offers; TLS 1.2 is today's minimum", "{version} 是服务器支持的最高版本;如今最低要求是 TLS 1.2"},
		"tls.seen_not_yet_valid":     {"NOT VALID YET: valid from {from}, and this machine's date is {now}", "尚未生效:证书从 {from} 起有效,而本机日期是 {now}"},
		"tls.seen_expired":           {"EXPIRED on {until}, {days} day(s) ago", "已过期:于 {until} 过期,已过 {days} 天"},
		"tls.seen_name_mismatch":     {"NAME MISMATCH: the certificate is for {names}, not {name}", "名称不符:证书适用于 {names},而不是 {name}"},
		"tls.seen_no_roots":          {"NO CA CERTIFICATES on this machine to verify with: {error}", "本机没有可用于验证的 CA 证书:{error}"},
		"tls.seen_unknown_authority": {"UNKNOWN AUTHORITY: \"{issuer}\" leads to no CA this machine trusts", "未知签发机构:“{issuer}”无法追溯到本机信任的 CA"},
		"tls.seen_verify_error":      {"verification failed: {error}", "验证失败:{error}"},
		"tls.roots_system":           {"the system's CA certificates", "系统 CA 证书"},
		"tls.roots_file":             {"--ca {file}", "--ca {file}"},
		"tls.roots_config":           {"the configured CA certificates", "所配置的 CA 证书"},
		"tls.seen_verified":          {"verified: valid for {name}, trusted through {roots}", "验证通过:证书适用于 {name},经{roots}信任"},
		"tls.seen_insecure":          {"going on anyway because of --insecure; an application that verifies certificates fails here", "因 --insecure 继续执行;会验证证书的应用在这里会失败"},
		"tls.seen_no_banner":         {"no banner within {wait} on a plain connection", "明文连接 {wait} 内没有收到欢迎信息"},
		"tls.seen_probe_ok":          {"a TLS handshake on a second connection succeeded ({version})", "在第二个连接上尝试 TLS 握手成功({version})"},
		"tls.seen_probe_alert":       {"a TLS handshake on a second connection got a TLS answer: {alert}", "在第二个连接上尝试 TLS 握手,收到了 TLS 应答:{alert}"},
		"tls.seen_tls_bytes":         {"the server sent TLS bytes instead of a banner: {bytes}", "服务器发来的是 TLS 数据而不是欢迎信息:{bytes}"},

		"banner.seen_tls_port": {"no SMTP banner: the port expects TLS first (see the TLS stage)", "没有 SMTP 欢迎信息:该端口要求先建立 TLS(见 TLS 一项)"},
		"banner.seen_reply":    {"{reply} (after {took})", "{reply}(用时 {took})"},
		"banner.seen_garbage":  {"the server sent something that is not an SMTP reply: {bytes}", "服务器发来的不是 SMTP 应答:{bytes}"},
		"banner.seen_timeout":  {"connected, but no banner within {timeout}", "已连接,但 {timeout} 内没有收到欢迎信息"},
		"banner.seen_closed":   {"the server closed the connection without a banner: {error}", "服务器未发欢迎信息就关闭了连接:{error}"},

		"ehlo.seen_reply":       {"{cmd} → {reply}", "{cmd} → {reply}"},
		"ehlo.seen_more":        {"{reply}", "{reply}"},
		"ehlo.seen_after_tls":   {"after STARTTLS: {cmd} → {reply}", "STARTTLS 之后:{cmd} → {reply}"},
		"ehlo.seen_starttls_no": {"STARTTLS: not offered", "STARTTLS:未提供"},
		"ehlo.seen_auth":        {"AUTH mechanisms: {mechs}", "AUTH 登录方式:{mechs}"},
		"ehlo.seen_auth_after":  {"AUTH mechanisms after TLS: {mechs} (before TLS: {before})", "TLS 之后的 AUTH 登录方式:{mechs}(TLS 之前:{before})"},
		"ehlo.none":             {"none", "无"},

		"auth.seen_not_offered": {"the last EHLO lists no AUTH mechanism", "最后一次 EHLO 的应答中没有 AUTH 登录方式"},
		"auth.seen_mechs":       {"offered: {mechs}; none fits the credentials given", "服务器提供:{mechs};没有与所给凭据相符的方式"},
		"auth.seen_ok":          {"AUTH {mech} as {user} → {reply}", "以 {user} 进行 AUTH {mech} → {reply}"},
		"auth.seen_failed":      {"AUTH {mech} as {user} → {reply}", "以 {user} 进行 AUTH {mech} → {reply}"},
		"auth.seen_plaintext":   {"the password was not sent: the connection to {host} is not encrypted", "未发送密码:到 {host} 的连接没有加密"},

		"envelope.seen_from_user":    {"no --from: the AUTH user {from} is the sender", "未指定 --from:以登录用户 {from} 作为发件人"},
		"envelope.seen_reply":        {"{cmd} → {reply}", "{cmd} → {reply}"},
		"envelope.seen_rset":         {"RSET → {reply}", "RSET → {reply}"},
		"envelope.seen_quit":         {"QUIT → {reply}", "QUIT → {reply}"},
		"envelope.seen_nothing_sent": {"no DATA: the check sends no mail", "未发送 DATA:检查不会发出任何邮件"},
	}
}

// extCatalog explains EHLO keywords, one line each.
func extCatalog() map[string][2]string {
	return map[string][2]string{
		"ext.SIZE":                {"{line}: messages up to {size} (RFC 1870)", "{line}:邮件最大 {size}(RFC 1870)"},
		"ext.SIZE_none":           {"{line}: no fixed size limit announced (RFC 1870)", "{line}:未声明固定的大小上限(RFC 1870)"},
		"ext.AUTH":                {"{line}: login with {params} (RFC 4954)", "{line}:可用 {params} 方式登录(RFC 4954)"},
		"ext.AUTH_none":           {"{line}: login possible, but no mechanism listed (RFC 4954)", "{line}:支持登录,但未列出登录方式(RFC 4954)"},
		"ext.AUTH_legacy":         {"{line}: the pre-standard form of AUTH, for old Outlook clients", "{line}:AUTH 的旧式写法,兼容老版本 Outlook"},
		"ext.STARTTLS":            {"{line}: the connection can be upgraded to TLS (RFC 3207)", "{line}:可将连接升级为 TLS 加密(RFC 3207)"},
		"ext.PIPELINING":          {"{line}: commands may be sent in batches (RFC 2920)", "{line}:可批量发送命令(RFC 2920)"},
		"ext.8BITMIME":            {"{line}: 8-bit message bodies accepted (RFC 6152)", "{line}:接受 8 位邮件正文(RFC 6152)"},
		"ext.SMTPUTF8":            {"{line}: UTF-8 in addresses and headers (RFC 6531)", "{line}:地址和邮件头可用 UTF-8(RFC 6531)"},
		"ext.DSN":                 {"{line}: delivery status notifications (RFC 3461)", "{line}:投递状态通知(RFC 3461)"},
		"ext.CHUNKING":            {"{line}: BDAT may replace DATA (RFC 3030)", "{line}:可用 BDAT 代替 DATA(RFC 3030)"},
		"ext.BINARYMIME":          {"{line}: binary bodies, sent with BDAT (RFC 3030)", "{line}:二进制正文,用 BDAT 发送(RFC 3030)"},
		"ext.ENHANCEDSTATUSCODES": {"{line}: replies carry detail codes such as 5.7.8 (RFC 2034)", "{line}:应答带有 5.7.8 这样的详细状态码(RFC 2034)"},
		"ext.HELP":                {"{line}: HELP gives text for humans", "{line}:HELP 命令提供帮助文字"},
		"ext.VRFY":                {"{line}: address verification (RFC 5321 §3.5)", "{line}:地址验证(RFC 5321 §3.5)"},
		"ext.ETRN":                {"{line}: remote queue start (RFC 1985)", "{line}:远程触发队列投递(RFC 1985)"},
		"ext.REQUIRETLS":          {"{line}: a message may require TLS on every hop (RFC 8689)", "{line}:邮件可要求每一跳都用 TLS(RFC 8689)"},
		"ext.DELIVERBY":           {"{line}: delivery deadlines with BY= (RFC 2852)", "{line}:可用 BY= 设定投递期限(RFC 2852)"},
		"ext.vendor":              {"{line}: vendor-specific extension", "{line}:厂商私有扩展"},
		"ext.other":               {"{line}: an extension smtpsh does not explain", "{line}:smtpsh 不认识的扩展"},
	}
}

// extMsg explains one extension line of an EHLO reply.
func extMsg(line string) Msg {
	line = strings.TrimSpace(line)
	kw, params, _ := strings.Cut(line, " ")
	kw = strings.ToUpper(kw)
	params = strings.TrimSpace(params)
	switch {
	case strings.HasPrefix(kw, "AUTH="):
		return msg("ext.AUTH_legacy", "line", line)
	case kw == "AUTH" && params == "":
		return msg("ext.AUTH_none", "line", line)
	case kw == "SIZE":
		n, err := strconv.ParseInt(params, 10, 64)
		if err != nil || n <= 0 {
			return msg("ext.SIZE_none", "line", line)
		}
		return msg("ext.SIZE", "line", line, "size", sizeText(n))
	}
	if _, ok := catalog()["ext."+kw]; ok {
		return msg("ext."+kw, "line", line, "params", params)
	}
	if strings.HasPrefix(kw, "X") {
		return msg("ext.vendor", "line", line)
	}
	return msg("ext.other", "line", line)
}

// sizeText formats a byte count with binary units: "34.2 MiB".
func sizeText(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size {
			v := strconv.FormatFloat(float64(n)/float64(u.size), 'f', 1, 64)
			return strings.TrimSuffix(v, ".0") + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
