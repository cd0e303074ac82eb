package explain

// extensionCatalog: what each EHLO keyword means, "kw.*", one line that
// starts with the keyword (the shell's /status, explain KEYWORD). The
// short forms under a reply line of smtpsh check are "ext.*".
func extensionCatalog() map[string][3]string {
	return map[string][3]string{
		"kw.AUTH_legacy":         {"AUTH={mechs}: the pre-standard form of AUTH, for old Outlook clients", "AUTH={mechs}:AUTH 的旧式写法,兼容老版本 Outlook", "AUTH={mechs}:AUTH 的舊式寫法,兼容老版本 Outlook"},
		"kw.SIZE_none":           {"SIZE: no fixed size limit announced (RFC 1870); a big message may still be refused", "SIZE:未声明固定的大小上限(RFC 1870);大邮件仍可能被拒", "SIZE:未聲明固定的大小上限(RFC 1870);大郵件仍可能被拒"},
		"kw.SIZE_bad":            {"SIZE: message size limit (RFC 1870), announced as {params}, which is not a number", "SIZE:邮件大小上限(RFC 1870),声明为 {params},但这不是数字", "SIZE:郵件大小上限(RFC 1870),聲明為 {params},但這不是數字"},
		"kw.SIZE":                {"SIZE: messages up to {size} ({bytes} bytes, RFC 1870); base64 makes attachments ~37% bigger", "SIZE:邮件最大 {size}({bytes} 字节,RFC 1870);base64 编码会让附件大约增大 37%", "SIZE:郵件最大 {size}({bytes} 字節,RFC 1870);base64 編碼會讓附件大約增大 37%"},
		"kw.AUTH_none":           {"AUTH: login is possible but no mechanism was listed (RFC 4954)", "AUTH:支持登录,但未列出登录方式(RFC 4954)", "AUTH:支持登錄,但未列出登錄方式(RFC 4954)"},
		"kw.AUTH":                {"AUTH: log in with {mechs} (RFC 4954){notes}", "AUTH:可用 {mechs} 方式登录(RFC 4954){notes}", "AUTH:可用 {mechs} 方式登錄(RFC 4954){notes}"},
		"kw.AUTH_oauth":          {"; OAuth2 token: {mechs}", ";OAuth2 令牌:{mechs}", ";OAuth2 令牌:{mechs}"},
		"kw.AUTH_vendor":         {"; vendor-specific: {mechs}", ";厂商私有:{mechs}", ";廠商私有:{mechs}"},
		"kw.STARTTLS":            {"STARTTLS: this connection can be upgraded to TLS (RFC 3207): do it before AUTH, then EHLO again", "STARTTLS:此连接可升级为 TLS 加密(RFC 3207):请在 AUTH 之前执行,之后再发 EHLO", "STARTTLS:此連接可升級為 TLS 加密(RFC 3207):請在 AUTH 之前執行,之後再發 EHLO"},
		"kw.PIPELINING":          {"PIPELINING: a client may send commands in batches, not waiting for each reply (RFC 2920)", "PIPELINING:客户端可批量发送命令,不必逐条等待应答(RFC 2920)", "PIPELINING:客戶端可批量發送命令,不必逐條等待應答(RFC 2920)"},
		"kw.8BITMIME":            {"8BITMIME: 8-bit message bodies accepted; declare them with BODY=8BITMIME on MAIL (RFC 6152)", "8BITMIME:接受 8 位邮件正文;在 MAIL 中用 BODY=8BITMIME 声明(RFC 6152)", "8BITMIME:接受 8 位郵件正文;在 MAIL 中用 BODY=8BITMIME 聲明(RFC 6152)"},
		"kw.SMTPUTF8":            {"SMTPUTF8: UTF-8 in addresses and headers; add SMTPUTF8 to MAIL FROM to use it (RFC 6531)", "SMTPUTF8:地址和邮件头可用 UTF-8;使用时在 MAIL FROM 后加 SMTPUTF8(RFC 6531)", "SMTPUTF8:地址和郵件頭可用 UTF-8;使用時在 MAIL FROM 後加 SMTPUTF8(RFC 6531)"},
		"kw.UTF8SMTP":            {"UTF8SMTP: the experimental name of SMTPUTF8 (RFC 5336), replaced by RFC 6531", "UTF8SMTP:SMTPUTF8 的实验性旧名(RFC 5336),已被 RFC 6531 取代", "UTF8SMTP:SMTPUTF8 的實驗性舊名(RFC 5336),已被 RFC 6531 取代"},
		"kw.DSN":                 {"DSN: delivery status notifications: NOTIFY= and ORCPT= on RCPT, RET= and ENVID= on MAIL (RFC 3461)", "DSN:投递状态通知:RCPT 上的 NOTIFY= 和 ORCPT=,MAIL 上的 RET= 和 ENVID=(RFC 3461)", "DSN:投遞狀態通知:RCPT 上的 NOTIFY= 和 ORCPT=,MAIL 上的 RET= 和 ENVID=(RFC 3461)"},
		"kw.CHUNKING":            {"CHUNKING: BDAT <size> [LAST] may replace DATA (RFC 3030); smtpsh sends messages with DATA", "CHUNKING:可用 BDAT <大小> [LAST] 代替 DATA(RFC 3030);smtpsh 用 DATA 发送邮件", "CHUNKING:可用 BDAT <大小> [LAST] 代替 DATA(RFC 3030);smtpsh 用 DATA 發送郵件"},
		"kw.BINARYMIME":          {"BINARYMIME: binary bodies with BODY=BINARYMIME, sent with BDAT (RFC 3030)", "BINARYMIME:用 BODY=BINARYMIME 发送二进制正文,需配合 BDAT(RFC 3030)", "BINARYMIME:用 BODY=BINARYMIME 發送二進制正文,需配合 BDAT(RFC 3030)"},
		"kw.ENHANCEDSTATUSCODES": {"ENHANCEDSTATUSCODES: replies carry a detail code such as 5.7.8 (RFC 2034, RFC 3463)", "ENHANCEDSTATUSCODES:应答带有 5.7.8 这样的详细状态码(RFC 2034、RFC 3463)", "ENHANCEDSTATUSCODES:應答帶有 5.7.8 這樣的詳細狀態碼(RFC 2034、RFC 3463)"},
		"kw.HELP":                {"HELP: the server answers HELP with text for humans (RFC 5321 §4.1.1.8)", "HELP:服务器用给人看的文字回答 HELP(RFC 5321 §4.1.1.8)", "HELP:服務器用給人看的文字回答 HELP(RFC 5321 §4.1.1.8)"},
		"kw.VRFY":                {"VRFY: the server says it answers address verification (RFC 5321 §3.5)", "VRFY:服务器声明支持地址验证(RFC 5321 §3.5)", "VRFY:服務器聲明支持地址驗證(RFC 5321 §3.5)"},
		"kw.EXPN":                {"EXPN: the server says it expands mailing lists (RFC 5321 §3.5)", "EXPN:服务器声明可展开邮件列表(RFC 5321 §3.5)", "EXPN:服務器聲明可展開郵件列表(RFC 5321 §3.5)"},
		"kw.ETRN":                {"ETRN: a backup MX can be asked to deliver its queue for a domain (RFC 1985)", "ETRN:可请求备用 MX 投递某个域名的邮件队列(RFC 1985)", "ETRN:可請求備用 MX 投遞某個域名的郵件隊列(RFC 1985)"},
		"kw.DELIVERBY":           {"DELIVERBY: a sender may set a delivery deadline with BY= on MAIL (RFC 2852)", "DELIVERBY:发件人可在 MAIL 上用 BY= 设置投递期限(RFC 2852)", "DELIVERBY:發件人可在 MAIL 上用 BY= 設置投遞期限(RFC 2852)"},
		"kw.REQUIRETLS":          {"REQUIRETLS: a message may demand TLS on every hop, REQUIRETLS on MAIL (RFC 8689)", "REQUIRETLS:邮件可要求每一跳都用 TLS,在 MAIL 上加 REQUIRETLS(RFC 8689)", "REQUIRETLS:郵件可要求每一跳都用 TLS,在 MAIL 上加 REQUIRETLS(RFC 8689)"},
		"kw.MT-PRIORITY":         {"MT-PRIORITY: message priorities with MT-PRIORITY= on MAIL (RFC 6710)", "MT-PRIORITY:在 MAIL 上用 MT-PRIORITY= 设置邮件优先级(RFC 6710)", "MT-PRIORITY:在 MAIL 上用 MT-PRIORITY= 設置郵件優先級(RFC 6710)"},
		"kw.FUTURERELEASE":       {"FUTURERELEASE: the server can hold a message until a later time (RFC 4865)", "FUTURERELEASE:服务器可把邮件保留到以后再投递(RFC 4865)", "FUTURERELEASE:服務器可把郵件保留到以後再投遞(RFC 4865)"},
		"kw.LIMITS":              {"LIMITS: the server's limits (RFC 9422): {params}", "LIMITS:服务器的各项限制(RFC 9422):{params}", "LIMITS:服務器的各項限制(RFC 9422):{params}"},
		"kw.BURL":                {"BURL: the message can be fetched from an IMAP URL instead of sent (RFC 4468)", "BURL:邮件可从 IMAP URL 获取,而不必直接发送(RFC 4468)", "BURL:郵件可從 IMAP URL 獲取,而不必直接發送(RFC 4468)"},
		"kw.NO-SOLICITING":       {"NO-SOLICITING: the server refuses solicitations with the keywords given (RFC 3865)", "NO-SOLICITING:服务器拒绝带有所列关键字的推销邮件(RFC 3865)", "NO-SOLICITING:服務器拒絕帶有所列關鍵字的推銷郵件(RFC 3865)"},
		"kw.XCLIENT":             {"XCLIENT: vendor-specific (Postfix): lets a trusted proxy pass on client details", "XCLIENT:厂商私有(Postfix):让受信任的代理转告客户端信息", "XCLIENT:廠商私有(Postfix):讓受信任的代理轉告客戶端信息"},
		"kw.XFORWARD":            {"XFORWARD: vendor-specific (Postfix): lets a trusted proxy pass on client details", "XFORWARD:厂商私有(Postfix):让受信任的代理转告客户端信息", "XFORWARD:廠商私有(Postfix):讓受信任的代理轉告客戶端信息"},
		"kw.microsoft":           {"{kw}: vendor-specific (Microsoft Exchange), for server-to-server use", "{kw}:厂商私有(Microsoft Exchange),用于服务器之间", "{kw}:廠商私有(Microsoft Exchange),用於服務器之間"},
		"kw.XALIOAUTH":           {"XALIOAUTH: vendor-specific (Aliyun): a private login mechanism; use PLAIN or LOGIN", "XALIOAUTH:厂商私有(阿里云):私有的登录方式;请用 PLAIN 或 LOGIN", "XALIOAUTH:廠商私有(阿里雲):私有的登錄方式;請用 PLAIN 或 LOGIN"},
		"kw.vendor":              {"{kw}: vendor-specific: private keywords start with X and are in no RFC (RFC 5321 §4.1.5)", "{kw}:厂商私有:私有关键字以 X 开头,不属于任何 RFC(RFC 5321 §4.1.5)", "{kw}:廠商私有:私有關鍵字以 X 開頭,不屬於任何 RFC(RFC 5321 §4.1.5)"},
		"kw.unknown":             {"{kw}: an extension smtpsh does not know (see the IANA SMTP Service Extensions registry)", "{kw}:smtpsh 不认识的扩展(见 IANA SMTP 服务扩展注册表)", "{kw}:smtpsh 不認識的擴展(見 IANA SMTP 服務擴展註冊表)"},
	}
}
