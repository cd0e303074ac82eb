package explain

// saslCatalog: what each step of an AUTH mechanism did (smtpwire.Note),
// for the shell that shows them. Never a secret: only what is on the wire.
func saslCatalog() map[string][3]string {
	return map[string][3]string{
		"sasl.cram_digest":             {"HMAC-MD5(password, challenge) = {digest} (RFC 2195 §2; the password itself is not sent)", "HMAC-MD5(密码, 挑战) = {digest}(RFC 2195 §2;密码本身不发送)", "HMAC-MD5(密碼, 挑戰) = {digest}(RFC 2195 §2;密碼本身不發送)"},
		"sasl.cram_response":           {"response: {user} + \" \" + digest", "应答:{user} + \" \" + 摘要", "應答:{user} + \" \" + 摘要"},
		"sasl.external_empty":          {"initial response \"=\" (empty): act as the identity of the TLS client certificate", "初始应答 \"=\"(空):以 TLS 客户端证书的身份登录", "初始應答 \"=\"(空):以 TLS 客戶端憑證的身份登錄"},
		"sasl.external_authzid":        {"initial response {authzid}: act as this identity, if the certificate's owner may", "初始应答 {authzid}:以这个身份登录(如果证书持有者有此权限)", "初始應答 {authzid}:以這個身份登錄(如果憑證持有者有此權限)"},
		"sasl.xoauth2_ir":              {"initial response: user={user} ^A auth=Bearer [token] ^A ^A", "初始应答:user={user} ^A auth=Bearer [令牌] ^A ^A", "初始應答:user={user} ^A auth=Bearer [權杖] ^A ^A"},
		"sasl.oauthbearer_ir":          {"initial response: n,a={user}, ^A auth=Bearer [token] ^A ^A (RFC 7628 §3.1)", "初始应答:n,a={user}, ^A auth=Bearer [令牌] ^A ^A(RFC 7628 §3.1)", "初始應答:n,a={user}, ^A auth=Bearer [權杖] ^A ^A(RFC 7628 §3.1)"},
		"sasl.oauth_not_json":          {"the server sent {challenge}, not the JSON error of RFC 7628 §3.2.2", "服务器发来的是 {challenge},而不是 RFC 7628 §3.2.2 的 JSON 错误", "伺服器發來的是 {challenge},而不是 RFC 7628 §3.2.2 的 JSON 錯誤"},
		"sasl.oauth_refused":           {"the server refused the token: {detail}", "服务器拒绝了令牌:{detail}", "伺服器拒絕了權杖:{detail}"},
		"sasl.oauth_expired":           {"the token is wrong or expired: get a fresh access token", "令牌错误或已过期:请获取新的访问令牌", "權杖錯誤或已過期:請取得新的存取權杖"},
		"sasl.oauth_scope":             {"the token lacks the scope for SMTP (Google: https://mail.google.com/, Microsoft: https://outlook.office.com/SMTP.Send)", "令牌缺少 SMTP 所需的权限范围(Google:https://mail.google.com/,Microsoft:https://outlook.office.com/SMTP.Send)", "權杖缺少 SMTP 所需的權限範圍(Google:https://mail.google.com/,Microsoft:https://outlook.office.com/SMTP.Send)"},
		"sasl.xoauth2_answer":          {"answering with an empty line; the server then fails the AUTH", "以空行应答;随后服务器让 AUTH 失败", "以空行應答;隨後伺服器讓 AUTH 失敗"},
		"sasl.oauthbearer_answer":      {"answering with ^A (%x01), RFC 7628 §3.2.3; the server then fails the AUTH", "以 ^A(%x01)应答,RFC 7628 §3.2.3;随后服务器让 AUTH 失败", "以 ^A(%x01)應答,RFC 7628 §3.2.3;隨後伺服器讓 AUTH 失敗"},
		"sasl.scram_client_first":      {"client-first: {message} (GS2 header {gs2}: no channel binding; r= is the client nonce)", "client-first:{message}(GS2 头 {gs2}:不做通道绑定;r= 是客户端随机数)", "client-first:{message}(GS2 標頭 {gs2}:不做通道綁定;r= 是客戶端隨機數)"},
		"sasl.scram_server_first":      {"combined nonce r={nonce} (the client's {client} + the server's {server}), salt {salt}, {i} iterations", "合并随机数 r={nonce}(客户端的 {client} + 服务器的 {server}),盐 {salt},迭代 {i} 次", "合併隨機數 r={nonce}(客戶端的 {client} + 伺服器的 {server}),鹽 {salt},迭代 {i} 次"},
		"sasl.scram_saslprep_user":     {"the user name, prepared with SASLprep (RFC 4013, as RFC 5802 §5.1 asks), is {user}", "用户名经 SASLprep 处理(RFC 4013,RFC 5802 §5.1 的要求)后为 {user}", "使用者名稱經 SASLprep 處理(RFC 4013,RFC 5802 §5.1 的要求)後為 {user}"},
		"sasl.scram_saslprep_password": {"the password was changed by SASLprep (RFC 4013, as RFC 5802 §2.2 asks: spaces, compatibility characters); a server that does not prepare passwords the same way refuses it, and AUTH PLAIN over TLS would send it as typed", "密码经 SASLprep 处理后有变化(RFC 4013,RFC 5802 §2.2 的要求:空格、兼容字符);不以同样方式处理密码的服务器会拒绝它,而 TLS 下的 AUTH PLAIN 会按原样发送", "密碼經 SASLprep 處理後有變化(RFC 4013,RFC 5802 §2.2 的要求:空格、相容字元);不以同樣方式處理密碼的伺服器會拒絕它,而 TLS 下的 AUTH PLAIN 會按原樣發送"},
		"sasl.scram_keys":              {"SaltedPassword = PBKDF2(password, salt, iterations); ClientKey = HMAC(SaltedPassword, \"Client Key\")", "SaltedPassword = PBKDF2(密码, 盐, 迭代次数);ClientKey = HMAC(SaltedPassword, \"Client Key\")", "SaltedPassword = PBKDF2(密碼, 鹽, 迭代次數);ClientKey = HMAC(SaltedPassword, \"Client Key\")"},
		"sasl.scram_auth_message":      {"AuthMessage = client-first-bare,server-first,client-final-without-proof = {message}", "AuthMessage = client-first-bare,server-first,client-final-without-proof = {message}", "AuthMessage = client-first-bare,server-first,client-final-without-proof = {message}"},
		"sasl.scram_proof":             {"proof p={proof} (ClientKey XOR HMAC(H(ClientKey), AuthMessage))", "证明 p={proof}(ClientKey XOR HMAC(H(ClientKey), AuthMessage))", "證明 p={proof}(ClientKey XOR HMAC(H(ClientKey), AuthMessage))"},
		"sasl.scram_expected":          {"expected server signature v={signature} (HMAC(HMAC(SaltedPassword, \"Server Key\"), AuthMessage))", "预期的服务器签名 v={signature}(HMAC(HMAC(SaltedPassword, \"Server Key\"), AuthMessage))", "預期的伺服器簽名 v={signature}(HMAC(HMAC(SaltedPassword, \"Server Key\"), AuthMessage))"},
		"sasl.auto_pick":               {"auto: the strongest mechanism offered that fits: {mech} (order: SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, then PLAIN and LOGIN on TLS; OAUTHBEARER or XOAUTH2 with a token; EXTERNAL with a client certificate)", "auto:选用服务器提供且适用的最强机制:{mech}(顺序:SCRAM-SHA-256、SCRAM-SHA-1、CRAM-MD5,然后是 TLS 上的 PLAIN 和 LOGIN;有令牌时用 OAUTHBEARER 或 XOAUTH2;有客户端证书时用 EXTERNAL)", "auto:選用伺服器提供且適用的最強機制:{mech}(順序:SCRAM-SHA-256、SCRAM-SHA-1、CRAM-MD5,然後是 TLS 上的 PLAIN 和 LOGIN;有權杖時用 OAUTHBEARER 或 XOAUTH2;有客戶端憑證時用 EXTERNAL)"},
		"sasl.authenticated":           {"authenticated as {who} with {mech}", "已用 {mech} 以 {who} 身份通过认证", "已用 {mech} 以 {who} 身份通過認證"},
		"sasl.authenticated_cert":      {"authenticated as the identity of the client certificate with {mech}", "已用 {mech} 以客户端证书的身份通过认证", "已用 {mech} 以客戶端憑證的身份通過認證"},
		"sasl.intro_cram":              {"CRAM-MD5 (RFC 2195): the server sends a challenge, the client answers with HMAC-MD5(password, challenge); the password never crosses the wire", "CRAM-MD5(RFC 2195):服务器发来挑战,客户端以 HMAC-MD5(密码, 挑战) 应答;密码从不在线路上传输", "CRAM-MD5(RFC 2195):伺服器發來挑戰,客戶端以 HMAC-MD5(密碼, 挑戰) 應答;密碼從不在線路上傳輸"},
		"sasl.intro_scram":             {"{mech} (RFC 5802, RFC 7677): nonces, a salted proof instead of the password, and the server proves it knows the password too", "{mech}(RFC 5802、RFC 7677):随机数、以加盐证明代替密码,服务器也要证明它知道密码", "{mech}(RFC 5802、RFC 7677):隨機數、以加鹽證明代替密碼,伺服器也要證明它知道密碼"},
		"sasl.intro_xoauth2":           {"XOAUTH2 (Google, Microsoft): the OAuth 2.0 access token goes in the initial response; shown redacted", "XOAUTH2(Google、Microsoft):OAuth 2.0 访问令牌放在初始应答中;显示时已隐去", "XOAUTH2(Google、Microsoft):OAuth 2.0 存取權杖放在初始應答中;顯示時已隱去"},
		"sasl.intro_oauthbearer":       {"OAUTHBEARER (RFC 7628): the OAuth 2.0 access token goes in the initial response; shown redacted", "OAUTHBEARER(RFC 7628):OAuth 2.0 访问令牌放在初始应答中;显示时已隐去", "OAUTHBEARER(RFC 7628):OAuth 2.0 存取權杖放在初始應答中;顯示時已隱去"},
		"sasl.intro_external":          {"EXTERNAL (RFC 4422): log in as the TLS client certificate's identity; no password", "EXTERNAL(RFC 4422):以 TLS 客户端证书的身份登录;不用密码", "EXTERNAL(RFC 4422):以 TLS 客戶端憑證的身份登錄;不用密碼"},
		"sasl.intro_other":             {"{mech}", "{mech}", "{mech}"},
		"sasl.scram_verified":          {"server-final: {message}: the server's signature matches; it knows the credentials too", "server-final:{message}:服务器签名相符;它也知道凭据", "server-final:{message}:伺服器簽名相符;它也知道憑據"},
	}
}
