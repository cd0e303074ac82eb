package explain

// sessionCatalog: the notes of the shell and of send around the replies
// ("ui.*"), what a failed TLS handshake means ("tlsadv.*"), and the log of
// the built-in server ("srv.*").
func sessionCatalog() map[string][3]string {
	return map[string][3]string{
		"ui.connected":      {"connected to {addr} ({remote}, {how}) in {took}", "已连接到 {addr}({remote},{how}),用时 {took}", "已連接到 {addr}({remote},{how}),用時 {took}"},
		"ui.how_plain":      {"plain TCP", "明文 TCP", "明文 TCP"},
		"ui.how_unix":       {"Unix socket", "Unix 套接字", "Unix 套接字"},
		"ui.how_proxy":      {"plain TCP through the SOCKS5 proxy", "经 SOCKS5 代理的明文 TCP", "經 SOCKS5 代理的明文 TCP"},
		"ui.how_tls":        {"implicit TLS", "隐式 TLS", "隱式 TLS"},
		"ui.no_greeting":    {"no greeting: if this port expects TLS from the first byte (465, 994), use --tls implicit", "没有欢迎信息:如果该端口要求连接即加密(465、994),请用 --tls implicit", "沒有歡迎信息:如果該端口要求連接即加密(465、994),請用 --tls implicit"},
		"ui.say_hello":      {"say hello next: EHLO <your name> (RFC 5321 §4.1.1.1); /help for more", "下一步打招呼:EHLO <你的主机名>(RFC 5321 §4.1.1.1);/help 查看更多", "下一步打招呼:EHLO <你的主機名>(RFC 5321 §4.1.1.1);/help 查看更多"},
		"ui.no_answer":      {"nothing answered: a firewall, a cloud security group or the ISP may drop this port", "没有任何应答:防火墙、云安全组或运营商可能丢弃了发往该端口的数据", "沒有任何應答:防火牆、雲安全組或運營商可能丟棄了發往該端口的數據"},
		"ui.port25":         {"(port 25 is blocked by most cloud providers; try 465 or 587)", "(大多数云服务商封禁 25 端口;请试 465 或 587)", "(大多數雲服務商封禁 25 端口;請試 465 或 587)"},
		"ui.refused":        {"the connection was refused or the host is unreachable: check the host name and port", "连接被拒绝或主机不可达:检查主机名和端口", "連接被拒絕或主機不可達:檢查主機名和端口"},
		"ui.out_of_sync":    {"the session is out of sync and cannot go on", "会话已失去同步,无法继续", "會話已失去同步,無法繼續"},
		"ui.tls_up_reehlo":  {"TLS is up; RFC 3207 §4.2: send EHLO again, the server's earlier answers no longer count", "TLS 已建立;按 RFC 3207 §4.2 请再发一次 EHLO,服务器之前的应答不再有效", "TLS 已建立;按 RFC 3207 §4.2 請再發一次 EHLO,服務器之前的應答不再有效"},
		"ui.tls_up_ehlo":    {"TLS is up; send EHLO now (RFC 3207 §4.2)", "TLS 已建立;现在请发送 EHLO(RFC 3207 §4.2)", "TLS 已建立;現在請發送 EHLO(RFC 3207 §4.2)"},
		"ui.data_mode":      {"DATA mode: each line you type is a message line; headers first, an empty line, then the body.", "DATA 模式:你输入的每一行都是邮件内容;先写邮件头,然后一个空行,再写正文。", "DATA 模式:你輸入的每一行都是郵件內容;先寫郵件頭,然後一個空行,再寫正文。"},
		"ui.data_mode_end":  {"A line with a single \".\" ends the message; /file PATH sends a file's contents; Ctrl-C to abort.", "只有一个 \".\" 的行结束邮件;/file 路径 发送文件内容;Ctrl-C 中止。", "只有一個 \".\" 的行結束郵件;/file 路徑 發送文件內容;Ctrl-C 中止。"},
		"ui.dot_stuffed":    {"dot-stuffed: sent as {line} so the server does not take it for the end (RFC 5321 §4.5.2)", "已加点转义:实际发送 {line},以免服务器把它当作结束行(RFC 5321 §4.5.2)", "已加點轉義:實際發送 {line},以免服務器把它當作結束行(RFC 5321 §4.5.2)"},
		"ui.more_lines":     {"... and {n} more lines, not shown here", "……另有 {n} 行,此处不显示", "……另有 {n} 行,此處不顯示"},
		"ui.file_sent":      {"{n} bytes from {path} sent (line endings made CRLF, dots stuffed); type \".\" to end the message", "已发送 {path} 的 {n} 字节(换行已转为 CRLF,行首点已转义);输入 \".\" 结束邮件", "已發送 {path} 的 {n} 字節(換行已轉為 CRLF,行首點已轉義);輸入 \".\" 結束郵件"},
		"ui.positive_wrong": {"{code} is a positive reply, but not the one {cmd} expects: the server does not really implement it", "{code} 是肯定应答,但不是 {cmd} 应得到的那种:服务器并没有真正实现这个命令", "{code} 是肯定應答,但不是 {cmd} 應得到的那種:服務器並沒有真正實現這個命令"},

		"tlsadv.injection":     {"the server sent data between its STARTTLS reply and the handshake: a broken server,", "服务器在 STARTTLS 应答与握手之间发送了数据:服务器有缺陷,", "服務器在 STARTTLS 應答與握手之間發送了數據:服務器有缺陷,"},
		"tlsadv.injection2":    {"or someone on the way injecting commands (RFC 3207 §6); nothing more was sent", "或途中有人注入命令(RFC 3207 §6);没有再发送任何内容", "或途中有人注入命令(RFC 3207 §6);沒有再發送任何內容"},
		"tlsadv.unknown_ca":    {"the certificate is not signed by an authority this machine trusts:", "证书不是由本机信任的机构签发的:", "證書不是由本機信任的機構簽發的:"},
		"tlsadv.unknown_ca2":   {"a private CA (use --ca FILE), a self-signed server, an outdated CA bundle, or someone in between", "私有 CA(请用 --ca 文件)、自签名的服务器、过时的 CA 证书包,或中间人", "私有 CA(請用 --ca 文件)、自簽名的服務器、過時的 CA 證書包,或中間人"},
		"tlsadv.name":          {"the certificate is for other names than the one dialled:", "证书适用的名称与所连接的不同:", "證書適用的名稱與所連接的不同:"},
		"tlsadv.name2":         {"check the host name (or --servername NAME for SNI)", "检查主机名(或用 --servername 名称 指定 SNI)", "檢查主機名(或用 --servername 名稱 指定 SNI)"},
		"tlsadv.expired":       {"the certificate has expired or is not valid yet (check this machine's clock too)", "证书已过期或尚未生效(也检查一下本机时钟)", "證書已過期或尚未生效(也檢查一下本機時鐘)"},
		"tlsadv.plaintext":     {"the server answered in plain text: this port does not speak TLS from the first byte;", "服务器以明文应答:该端口不是连接即加密;", "服務器以明文應答:該端口不是連接即加密;"},
		"tlsadv.plaintext2":    {"use --tls starttls (or --tls none), or port 465 for implicit TLS", "请用 --tls starttls(或 --tls none),或用 465 端口的隐式 TLS", "請用 --tls starttls(或 --tls none),或用 465 端口的隱式 TLS"},
		"tlsadv.version":       {"no TLS version in common: the server may only offer TLS 1.0/1.1, which this client refuses", "没有共同支持的 TLS 版本:服务器可能只提供 TLS 1.0/1.1,本客户端拒绝使用", "沒有共同支持的 TLS 版本:服務器可能只提供 TLS 1.0/1.1,本客戶端拒絕使用"},
		"tlsadv.other":         {"the TLS handshake failed; --insecure skips certificate checks (only for testing)", "TLS 握手失败;--insecure 可跳过证书检查(仅用于测试)", "TLS 握手失敗;--insecure 可跳過證書檢查(僅用於測試)"},
		"tlsinfo.version":      {"TLS {version}, cipher {cipher}", "TLS {version},加密套件 {cipher}", "TLS {version},加密套件 {cipher}"},
		"tlsinfo.cert":         {"certificate: {subject}", "证书:{subject}", "證書:{subject}"},
		"tlsinfo.names":        {"names: {names}", "适用名称:{names}", "適用名稱:{names}"},
		"tlsinfo.issuer":       {"issuer: {issuer}", "签发者:{issuer}", "簽發者:{issuer}"},
		"tlsinfo.valid_until":  {"valid until {date} ({days} days left)", "有效期至 {date}(剩余 {days} 天)", "有效期至 {date}(剩餘 {days} 天)"},
		"tlsinfo.verified":     {"verified: yes, for {name}", "验证:通过,名称为 {name}", "驗證:通過,名稱為 {name}"},
		"tlsinfo.insecure":     {"verified: NO ({err}); going on because of --insecure", "验证:未通过({err});因为 --insecure 而继续", "驗證:未通過({err});因為 --insecure 而繼續"},
		"tlsinfo.not_verified": {"verified: no", "验证:未验证", "驗證:未驗證"},

		"srv.message":   {"message {id} received: from <{from}> to <{to}>, {bytes} bytes", "收到邮件 {id}:发件人 <{from}>,收件人 <{to}>,{bytes} 字节", "收到郵件 {id}:發件人 <{from}>,收件人 <{to}>,{bytes} 字節"},
		"srv.over_tls":  {", over TLS", ",经 TLS 加密", ",經 TLS 加密"},
		"srv.authed":    {", authenticated as {user}", ",登录用户 {user}", ",登錄用戶 {user}"},
		"srv.listening": {"listening on {addr} (STARTTLS{implicit}); AUTH after TLS as {user} / {password}; Ctrl-C stops", "正在 {addr} 上监听(STARTTLS{implicit});TLS 之后用 {user} / {password} 登录;Ctrl-C 停止", "正在 {addr} 上監聽(STARTTLS{implicit});TLS 之後用 {user} / {password} 登錄;Ctrl-C 停止"},
		"srv.implicit":  {"; implicit TLS on {addr}", ";隐式 TLS 在 {addr}", ";隱式 TLS 在 {addr}"},
		"srv.demo":      {"smtpsh demo: a built-in SMTP server on {addr} (STARTTLS) and {tlsaddr} (implicit TLS).", "smtpsh demo:内置 SMTP 服务器,{addr}(STARTTLS)和 {tlsaddr}(隐式 TLS)。", "smtpsh demo:內置 SMTP 服務器,{addr}(STARTTLS)和 {tlsaddr}(隱式 TLS)。"},
		"srv.demo_cert": {"Its certificate was made just now; this session trusts it. Log in as", "它的证书是刚刚生成的,本会话信任它。登录账号:", "它的證書是剛剛生成的,本會話信任它。登錄賬號:"},
		"srv.demo_user": {"  user {user}, password {password}", "  用户名 {user},密码 {password}", "  用戶名 {user},密碼 {password}"},
		"srv.demo_try":  {"Try, one line at a time (Tab completes what fits next, /help explains):", "逐行试试(Tab 补全下一步可用的命令,/help 查看说明):", "逐行試試(Tab 補全下一步可用的命令,/help 查看說明):"},
		"srv.demo_tls":  {"(then EHLO again: TLS starts a fresh session)", "(之后再发 EHLO:TLS 会开始一个新会话)", "(之後再發 EHLO:TLS 會開始一個新會話)"},
		"srv.demo_data": {"(type the message; a line with a single \".\" ends it)", "(输入邮件内容;只有一个 \".\" 的行表示结束)", "(輸入郵件內容;只有一個 \".\" 的行表示結束)"},
	}
}

// providersCatalog: the labels of smtpsh providers.
func providersCatalog() map[string][3]string {
	return map[string][3]string{
		"prov.col.key":      {"KEY", "代号", "代號"},
		"prov.col.name":     {"NAME", "名称", "名稱"},
		"prov.col.host":     {"HOST", "服务器", "服務器"},
		"prov.col.ports":    {"PORTS", "端口", "端口"},
		"prov.col.password": {"PASSWORD", "密码类型", "密碼類型"},

		"prov.label.aliases":     {"aliases", "别名", "別名"},
		"prov.label.host":        {"host", "服务器", "服務器"},
		"prov.label.also":        {"also known as", "其他主机名", "其他主機名"},
		"prov.label.ports":       {"ports", "端口", "端口"},
		"prov.label.domains":     {"domains", "邮箱域名", "郵箱域名"},
		"prov.label.user":        {"user", "用户名", "用戶名"},
		"prov.label.password":    {"password", "密码", "密碼"},
		"prov.label.connect":     {"connect", "连接", "連接"},
		"prov.label.advice":      {"advice", "建议", "建議"},
		"prov.label.corrections": {"corrections (where the guides are out of date)", "更正(指南中过时或有误之处)", "更正(指南中過時或有誤之處)"},
		"prov.label.claim":       {"guide says", "指南说", "指南說"},
		"prov.label.fact":        {"fact", "实际", "實際"},
		"prov.label.source":      {"source", "来源", "來源"},
		"prov.label.general":     {"about all providers", "适用于所有服务商", "適用於所有服務商"},
		"prov.label.fails":       {"if it still fails", "仍然发不出去时", "仍然發不出去時"},
		"prov.label.recommended": {"recommended", "推荐", "推薦"},

		"prov.tls.implicit": {"implicit TLS", "隐式 TLS(SSL)", "隱式 TLS(SSL)"},
		"prov.tls.starttls": {"STARTTLS", "STARTTLS", "STARTTLS"},
		"prov.tls.none":     {"plain", "明文", "明文"},
	}
}

// mxCatalog: the notes of smtpsh mx.
func mxCatalog() map[string][3]string {
	return map[string][3]string{
		"mx.not_found":        {"check the spelling: the domain is not registered, or has expired", "检查拼写:该域名未注册或已过期", "檢查拼寫:該域名未註冊或已過期"},
		"mx.dns_timeout":      {"the resolver did not answer: check --resolver, or whether a firewall drops DNS (port 53)", "DNS 服务器没有应答:检查 --resolver,或防火墙是否丢弃了 DNS(53 端口)", "DNS 服務器沒有應答:檢查 --resolver,或防火牆是否丟棄了 DNS(53 端口)"},
		"mx.records":          {"MX records of {domain} (resolver {resolver}, {took})", "{domain} 的 MX 记录(DNS 服务器 {resolver},用时 {took})", "{domain} 的 MX 記錄(DNS 服務器 {resolver},用時 {took})"},
		"mx.implicit":         {"no MX records: mail goes to the domain's own address (implicit MX, RFC 5321 §5.1)", "没有 MX 记录:邮件投递到该域名自身的地址(隐式 MX,RFC 5321 §5.1)", "沒有 MX 記錄:郵件投遞到該域名自身的地址(隱式 MX,RFC 5321 §5.1)"},
		"mx.no_address":       {"(no address: {error})", "(没有地址:{error})", "(沒有地址:{error})"},
		"mx.unreachable":      {"no MX host has an address: mail to this domain cannot be delivered", "没有一个 MX 主机有地址:发往该域名的邮件无法投递", "沒有一個 MX 主機有地址:發往該域名的郵件無法投遞"},
		"mx.probing":          {"probing each MX host on port {port}; outbound port 25 is blocked by most cloud providers", "逐个探测 MX 主机的 {port} 端口;大多数云服务商", "逐個探測 MX 主機的 {port} 端口;大多數雲服務商"},
		"mx.probing2":         {"and many ISPs: a time-out here most likely means that, not a dead server", "和很多运营商封禁出站 25 端口:这里超时多半是这个原因,而不是服务器宕机", "和很多運營商封禁出站 25 端口:這裡超時多半是這個原因,而不是服務器宕機"},
		"mx.step.connect":     {"connect", "连接", "連接"},
		"mx.step.banner":      {"banner", "问候语", "問候語"},
		"mx.connected":        {"{addr} in {took}", "{addr},用时 {took}", "{addr},用時 {took}"},
		"mx.failed":           {"failed: {error}", "失败:{error}", "失敗:{error}"},
		"mx.timeout25":        {"(a time-out on port 25 is most often the network blocking it, not the host)", "(25 端口超时多半是网络封禁,而不是主机的问题)", "(25 端口超時多半是網絡封禁,而不是主機的問題)"},
		"mx.host":             {"{host} (preference {pref})", "{host}(优先级 {pref})", "{host}(優先級 {pref})"},
		"mx.extensions":       {"{n} extensions: {list} ({took})", "{n} 个扩展:{list}(用时 {took})", "{n} 個擴展:{list}(用時 {took})"},
		"mx.no_starttls":      {"not offered: mail to this host travels in clear text", "未提供:发往该主机的邮件以明文传输", "未提供:發往該主機的郵件以明文傳輸"},
		"mx.starttls":         {"offered", "已提供", "已提供"},
		"mx.verified":         {"certificate verified for {host}", "证书已验证,适用于 {host}", "證書已驗證,適用於 {host}"},
		"mx.not_verified":     {"certificate not verified", "证书未通过验证", "證書未通過驗證"},
		"mx.not_verified_why": {"certificate not verified: {error}", "证书未通过验证:{error}", "證書未通過驗證:{error}"},
	}
}

// shellCatalog: the shell's /status and /help frames, and what its own
// commands do ("shell.NAME"; the English is the shell's command table).
func shellCatalog() map[string][3]string {
	return map[string][3]string{
		"sh.status.server":        {"server {addr}, state {state}", "服务器 {addr},状态 {state}", "服務器 {addr},狀態 {state}"},
		"sh.status.tls":           {"TLS: {version}, {cipher}", "TLS:{version},{cipher}", "TLS:{version},{cipher}"},
		"sh.status.no_tls":        {"TLS: none (plain text)", "TLS:无(明文)", "TLS:無(明文)"},
		"sh.status.authed":        {"authenticated: yes", "已登录:是", "已登錄:是"},
		"sh.status.not_authed":    {"authenticated: no", "已登录:否", "已登錄:否"},
		"sh.status.extensions":    {"extensions (from the last EHLO):", "扩展(来自最近一次 EHLO):", "擴展(來自最近一次 EHLO):"},
		"sh.status.no_extensions": {"extensions: none known (send EHLO)", "扩展:未知(请发送 EHLO)", "擴展:未知(請發送 EHLO)"},
		"sh.status.recording":     {"recording to {path}", "正在录制到 {path}", "正在錄製到 {path}"},
		"sh.status.next":          {"next: {cmds}", "下一步:{cmds}", "下一步:{cmds}"},

		"help.smtp":   {"SMTP commands (type them as they go on the wire; Tab completes what fits next):", "SMTP 命令(按线上传输的样子输入;Tab 补全下一步可用的命令):", "SMTP 命令(按線上傳輸的樣子輸入;Tab 補全下一步可用的命令):"},
		"help.shell":  {"Shell commands:", "Shell 命令:", "Shell 命令:"},
		"help.footer": {"/help NAME explains one; /explain CODE explains a reply.", "/help 名称 查看某个命令的说明;/explain 应答码 解释一个应答。", "/help 名稱 查看某個命令的說明;/explain 應答碼 解釋一個應答。"},

		"shell.help":     {"list commands, or explain one (SMTP or shell)", "列出命令,或说明其中一个(SMTP 或 shell 命令)", "列出命令,或說明其中一個(SMTP 或 shell 命令)"},
		"shell.explain":  {"what a reply code (535, 5.7.8, \"535 5.7.8\") or text means, what to do", "应答码(535、5.7.8、\"535 5.7.8\")或应答文字的含义和对策", "應答碼(535、5.7.8、\"535 5.7.8\")或應答文字的含義和對策"},
		"shell.lang":     {"show or switch the language of the explanations", "显示或切换说明文字的语言", "顯示或切換說明文字的語言"},
		"shell.b64":      {"base64-encode TEXT (\\0 is a NUL byte, for AUTH PLAIN)", "对 TEXT 做 base64 编码(\\0 表示 NUL 字节,用于 AUTH PLAIN)", "對 TEXT 做 base64 編碼(\\0 表示 NUL 字節,用於 AUTH PLAIN)"},
		"shell.unb64":    {"decode base64 TEXT", "解码 base64 的 TEXT", "解碼 base64 的 TEXT"},
		"shell.auth":     {"authenticate (plain, login, cram-md5, scram-*, xoauth2, oauthbearer, external, auto); the secret without echo", "登录认证(plain、login、cram-md5、scram-*、xoauth2、oauthbearer、external、auto);不回显地读取密码或令牌", "登錄認證(plain、login、cram-md5、scram-*、xoauth2、oauthbearer、external、auto);不回顯地讀取密碼或令牌"},
		"shell.starttls": {"upgrade to TLS (RFC 3207), EHLO again, show the certificate", "升级为 TLS(RFC 3207),再发 EHLO,显示证书", "升級為 TLS(RFC 3207),再發 EHLO,顯示證書"},
		"shell.tls":      {"show the TLS version, cipher and certificate again", "再次显示 TLS 版本、加密套件和证书", "再次顯示 TLS 版本、加密套件和證書"},
		"shell.status":   {"session state, TLS, authentication, server extensions", "会话状态、TLS、登录情况、服务器扩展", "會話狀態、TLS、登錄情況、服務器擴展"},
		"shell.record":   {"record the session (from its start) as a replayable transcript", "把会话(从头开始)录制为可回放的记录", "把會話(從頭開始)錄製為可回放的記錄"},
		"shell.stop":     {"stop recording", "停止录制", "停止錄製"},
		"shell.quit":     {"send QUIT and leave (Ctrl-D does the same)", "发送 QUIT 并退出(Ctrl-D 效果相同)", "發送 QUIT 並退出(Ctrl-D 效果相同)"},
		"shell.file":     {"in DATA mode: send a file's contents as message lines", "DATA 模式下:把文件内容作为邮件行发送", "DATA 模式下:把文件內容作為郵件行發送"},
	}
}

// shellNotesCatalog: what the shell says about its own commands and
// Ctrl-C, "sh.*".
func shellNotesCatalog() map[string][3]string {
	return map[string][3]string{
		"sh.eof_in_data":          {"input ended inside DATA: closing the connection without ending the message, so nothing is delivered", "输入在 DATA 中途结束:不结束邮件就关闭连接,因此不会投递任何内容", "輸入在 DATA 中途結束:不結束郵件就關閉連接,因此不會投遞任何內容"},
		"sh.ctrl_c":               {"Ctrl-D or /quit ends the session (QUIT is sent)", "Ctrl-D 或 /quit 结束会话(会发送 QUIT)", "Ctrl-D 或 /quit 結束會話(會發送 QUIT)"},
		"sh.abort":                {"SMTP cannot cancel a message once DATA has begun. Either:", "DATA 开始后 SMTP 无法取消邮件。可以选择:", "DATA 開始後 SMTP 無法取消郵件。可以選擇:"},
		"sh.abort_send":           {"  send  - end it with \".\" now: the server takes what you typed so far;", "  send  - 现在用 \".\" 结束:服务器接收你已输入的内容;", "  send  - 現在用 \".\" 結束:服務器接收你已輸入的內容;"},
		"sh.abort_close":          {"  close - drop the connection: the server discards the unfinished message (RFC 5321 §3.8);", "  close - 断开连接:服务器丢弃未完成的邮件(RFC 5321 §3.8);", "  close - 斷開連接:服務器丟棄未完成的郵件(RFC 5321 §3.8);"},
		"sh.abort_continue":       {"  continue typing the message.", "  continue - 继续输入邮件。", "  continue - 繼續輸入郵件。"},
		"sh.abort_prompt":         {"abort message? [send/close/continue]", "中止邮件?[send/close/continue]", "中止郵件?[send/close/continue]"},
		"sh.closed_undelivered":   {"connection closed; the message was not delivered", "连接已关闭;邮件没有投递", "連接已關閉;郵件沒有投遞"},
		"sh.go_on":                {"go on typing; a line with a single \".\" ends the message", "请继续输入;只有一个 \".\" 的行结束邮件", "請繼續輸入;只有一個 \".\" 的行結束郵件"},
		"sh.file_outside_data":    {"/file works in DATA mode, after the server's 354 reply to DATA", "/file 只能在 DATA 模式下使用,即服务器对 DATA 应答 354 之后", "/file 只能在 DATA 模式下使用,即服務器對 DATA 應答 354 之後"},
		"sh.unknown_command":      {"unknown command /{name}; /help lists them (SMTP commands are typed without /)", "未知命令 /{name};/help 列出所有命令(SMTP 命令输入时不带 /)", "未知命令 /{name};/help 列出所有命令(SMTP 命令輸入時不帶 /)"},
		"sh.no_help":              {"no help for {arg}; /help lists what there is", "没有 {arg} 的帮助;/help 列出所有可查看的内容", "沒有 {arg} 的幫助;/help 列出所有可查看的內容"},
		"sh.b64_usage":            {"usage: /b64 TEXT", "用法:/b64 TEXT", "用法:/b64 TEXT"},
		"sh.not_base64":           {"not base64: {error}", "不是 base64:{error}", "不是 base64:{error}"},
		"sh.tls_active":           {"TLS is already active; /tls shows it", "TLS 已经建立;/tls 可查看", "TLS 已經建立;/tls 可查看"},
		"sh.starttls_unannounced": {"the server did not announce STARTTLS in its EHLO reply (send EHLO first?); trying anyway", "服务器的 EHLO 应答中没有 STARTTLS(先发 EHLO?);仍然尝试", "服務器的 EHLO 應答中沒有 STARTTLS(先發 EHLO?);仍然嘗試"},
		"sh.no_tls":               {"no TLS: the session is in plain text; /starttls upgrades it if the server offers STARTTLS", "没有 TLS:会话是明文;如果服务器提供 STARTTLS,可用 /starttls 升级", "沒有 TLS:會話是明文;如果服務器提供 STARTTLS,可用 /starttls 升級"},
		"sh.record_usage":         {"usage: /record FILE", "用法:/record 文件", "用法:/record 文件"},
		"sh.already_recording":    {"already recording to {path}; /stop first", "已经在录制到 {path};请先 /stop", "已經在錄製到 {path};請先 /stop"},
		"sh.recording":            {"recording to {path} (from the start of the session; AUTH payloads redacted)", "正在录制到 {path}(从会话开始;AUTH 内容已隐去)", "正在錄製到 {path}(從會話開始;AUTH 內容已隱去)"},
		"sh.not_recording":        {"not recording", "没有在录制", "沒有在錄製"},
		"sh.recording_saved":      {"recording saved to {path}", "录制已保存到 {path}", "錄製已保存到 {path}"},
		"sh.recording_failed":     {"saving the recording: {error}", "保存录制失败:{error}", "保存錄制失敗:{error}"},
	}
}
