package explain

// sendCatalog: the notes of "smtpsh send" and "smtpsh bench" around the
// wire lines.
func sendCatalog() map[string][3]string {
	return map[string][3]string{
		"send.connecting":     {"connecting to {addr} ({how})", "正在连接 {addr}({how})", "正在連接 {addr}({how})"},
		"send.how_plain":      {"plain TCP", "明文 TCP", "明文 TCP"},
		"send.how_implicit":   {"implicit TLS", "隐式 TLS", "隱式 TLS"},
		"send.quit_connect":   {"--quit-after connect: closing without reading the greeting (a client must not speak before it, RFC 5321 §3.1)", "--quit-after connect:不读取问候语就关闭连接(客户端在问候语之前不得发言,RFC 5321 §3.1)", "--quit-after connect:不讀取問候語就關閉連接(客戶端在問候語之前不得發言,RFC 5321 §3.1)"},
		"send.quit_stage":     {"--quit-after {stage}: stopping here; no message is sent", "--quit-after {stage}:到此为止,不发送邮件", "--quit-after {stage}:到此為止,不發送郵件"},
		"send.no_starttls":    {"the server offers no STARTTLS: the session stays in plain text", "服务器不提供 STARTTLS:会话保持明文", "伺服器不提供 STARTTLS:會話保持明文"},
		"send.starttls_plain": {"STARTTLS was refused ({reply}); --tls auto goes on in PLAIN TEXT: anyone on the way can read the session", "STARTTLS 被拒绝({reply});--tls auto 以明文继续:途中任何人都能读到会话内容", "STARTTLS 被拒絕({reply});--tls auto 以明文繼續:途中任何人都能讀到會話內容"},
		"send.no_user":        {"no --user: no AUTH", "没有 --user:不进行 AUTH", "沒有 --user:不進行 AUTH"},
		"send.from_not_user":  {"--from {from} is not --user {user}: QQ, 163, 126 and Aliyun DirectMail accept only the address you log in as", "--from {from} 与 --user {user} 不同:QQ、163、126 和阿里云邮件推送只接受你登录所用的地址", "--from {from} 與 --user {user} 不同:QQ、163、126 和阿里雲郵件推送只接受你登錄所用的地址"},
		"send.message":        {"message: {structure}", "邮件:{structure}", "郵件:{structure}"},
		"send.accepted":       {"message accepted: {size} in {took} ({rate})", "邮件已被接受:{size},用时 {took}({rate})", "郵件已被接受:{size},用時 {took}({rate})"},
		"send.refused_some":   {"{n} of {total} recipients refused; the message goes to the others:", "{total} 个收件人中有 {n} 个被拒绝;邮件发给其余收件人:", "{total} 個收件人中有 {n} 個被拒絕;郵件發給其餘收件人:"},
		"send.refused_all":    {"every recipient was refused: {list}", "所有收件人都被拒绝:{list}", "所有收件人都被拒絕:{list}"},
		"send.not_sent":       {"not sent: {why}", "未发送:{why}", "未發送:{why}"},
		"send.pipelined":      {"pipelined (RFC 2920): the next {n} commands leave in one write", "流水线(RFC 2920):接下来 {n} 条命令在一次写入中发出", "流水線(RFC 2920):接下來 {n} 條命令在一次寫入中發出"},
		"send.timing":         {"timing:", "耗时:", "耗時:"},
		"send.too_large":      {"the message is larger than the server accepts (SIZE, RFC 1870)", "邮件大于服务器接受的上限(SIZE,RFC 1870)", "郵件大於伺服器接受的上限(SIZE,RFC 1870)"},
		"send.fix_too_large":  {"the server announced its limit in EHLO (SIZE): send a smaller message, or links instead of attachments", "服务器在 EHLO 中声明了上限(SIZE):请发送更小的邮件,或用链接代替附件", "伺服器在 EHLO 中聲明了上限(SIZE):請發送更小的郵件,或用連結代替附件"},
		"send.eight_bit":      {"the message has 8-bit content and the server does not offer 8BITMIME (RFC 6152)", "邮件含有 8 位内容,而服务器不提供 8BITMIME(RFC 6152)", "郵件含有 8 位內容,而伺服器不提供 8BITMIME(RFC 6152)"},
		"send.fix_eight_bit":  {"encode the body as quoted-printable or base64 (smtpsh send does that for --body and --attach), or use a server that offers 8BITMIME", "请把正文编码为 quoted-printable 或 base64(smtpsh send 对 --body 和 --attach 会这样做),或换用提供 8BITMIME 的服务器", "請把正文編碼為 quoted-printable 或 base64(smtpsh send 對 --body 和 --attach 會這樣做),或換用提供 8BITMIME 的伺服器"},
		"send.binary":         {"the message is binary and the server does not offer BINARYMIME and CHUNKING (RFC 3030)", "邮件是二进制内容,而服务器不提供 BINARYMIME 和 CHUNKING(RFC 3030)", "郵件是二進位內容,而伺服器不提供 BINARYMIME 和 CHUNKING(RFC 3030)"},
		"send.fix_binary":     {"encode the binary part as base64 (an attachment), or use a server that offers CHUNKING and BINARYMIME", "请把二进制部分编码为 base64(作为附件),或换用提供 CHUNKING 和 BINARYMIME 的服务器", "請把二進位部分編碼為 base64(作為附件),或換用提供 CHUNKING 和 BINARYMIME 的伺服器"},
		"send.chunking":       {"BDAT was asked for and the server does not offer CHUNKING (RFC 3030)", "要求使用 BDAT,而服务器不提供 CHUNKING(RFC 3030)", "要求使用 BDAT,而伺服器不提供 CHUNKING(RFC 3030)"},
		"send.fix_chunking":   {"use --chunking auto: BDAT when the server offers it, DATA otherwise", "请用 --chunking auto:服务器提供时用 BDAT,否则用 DATA", "請用 --chunking auto:伺服器提供時用 BDAT,否則用 DATA"},
		"send.dsn":            {"DSN parameters were asked for and the server does not offer DSN (RFC 3461)", "要求了 DSN 参数,而服务器不提供 DSN(RFC 3461)", "要求了 DSN 參數,而伺服器不提供 DSN(RFC 3461)"},
		"send.fix_dsn":        {"drop --dsn-notify, --dsn-ret and --envid: this server cannot pass them on", "请去掉 --dsn-notify、--dsn-ret 和 --envid:这台服务器无法传递它们", "請去掉 --dsn-notify、--dsn-ret 和 --envid:這臺伺服器無法傳遞它們"},
		"send.requiretls":     {"REQUIRETLS needs verified TLS and a server that offers REQUIRETLS (RFC 8689)", "REQUIRETLS 需要经过验证的 TLS,且服务器提供 REQUIRETLS(RFC 8689)", "REQUIRETLS 需要經過驗證的 TLS,且伺服器提供 REQUIRETLS(RFC 8689)"},
		"send.fix_requiretls": {"REQUIRETLS needs TLS with a verified certificate (no --insecure) and a server that announces REQUIRETLS", "REQUIRETLS 需要证书经过验证的 TLS(不能用 --insecure),且服务器声明 REQUIRETLS", "REQUIRETLS 需要憑證經過驗證的 TLS(不能用 --insecure),且伺服器聲明 REQUIRETLS"},
		"send.extra_reply":    {"the server sent another reply after its verdict on the message: that is not SMTP, and the verdict above may not be its last word; check whether the message arrived", "服务器在对邮件作出结论之后又发来一个应答:这不符合 SMTP,上面的结论可能不是它的最终答复;请确认邮件是否送达", "伺服器在對郵件作出結論之後又發來一個應答:這不符合 SMTP,上面的結論可能不是它的最終答覆;請確認郵件是否送達"},
		"send.utf8":           {"an address is not ASCII, and the server does not offer SMTPUTF8 (RFC 6531) to carry it", "地址含有非 ASCII 字符,而服务器不提供 SMTPUTF8(RFC 6531)来传送它", "地址含有非 ASCII 字元,而伺服器不提供 SMTPUTF8(RFC 6531)來傳送它"},
	}
}
