package explain

// uiCatalog: the errors of explaining, and the words of the explain
// command's own output.
func uiCatalog() map[string][3]string {
	return map[string][3]string{
		"err.usage":                {"usage: /explain CODE, such as 535, 5.7.8 or \"535 5.7.8\", or a reply text", "用法:/explain 应答码,如 535、5.7.8 或 \"535 5.7.8\",或一段应答文字", "用法:/explain 應答碼,如 535、5.7.8 或 \"535 5.7.8\",或一段應答文字"},
		"err.two_enhanced":         {"two enhanced status codes: give one, with or without a reply code", "有两个增强状态码:请只给一个,可带或不带应答码", "有兩個增強狀態碼:請只給一個,可帶或不帶應答碼"},
		"err.not_code":             {"{arg} is neither a reply code like 535 nor an enhanced status code like 5.7.8", "{arg} 既不是 535 这样的应答码,也不是 5.7.8 这样的增强状态码", "{arg} 既不是 535 這樣的應答碼,也不是 5.7.8 這樣的增強狀態碼"},
		"err.two_codes":            {"two reply codes: give one, with or without an enhanced status code", "有两个应答码:请只给一个,可带或不带增强状态码", "有兩個應答碼:請只給一個,可帶或不帶增強狀態碼"},
		"err.bad_code":             {"{arg} is not an SMTP reply code: the first digit is 2 to 5, the second 0 to 5 (RFC 5321 §4.2)", "{arg} 不是 SMTP 应答码:第一位是 2 到 5,第二位是 0 到 5(RFC 5321 §4.2)", "{arg} 不是 SMTP 應答碼:第一位是 2 到 5,第二位是 0 到 5(RFC 5321 §4.2)"},
		"err.unknown_input":        {"{arg} is neither a reply code like 535, an enhanced status code like 5.7.8, nor a reply text smtpsh recognises", "{arg} 既不是 535 这样的应答码、5.7.8 这样的增强状态码,也不是 smtpsh 认识的应答文字", "{arg} 既不是 535 這樣的應答碼、5.7.8 這樣的增強狀態碼,也不是 smtpsh 認識的應答文字"},
		"text.kinds":               {"The text says: {kinds}.", "应答文字表明:{kinds}。", "應答文字表明:{kinds}。"},
		"text.unclassified":        {"smtpsh does not recognise this text; its code says more.", "smtpsh 不认识这段文字;请看其应答码的含义。", "smtpsh 不認識這段文字;請看其應答碼的含義。"},
		"kind.sender_mismatch":     {"the sender is not the account you logged in as", "发件人不是你登录的账户", "發件人不是你登錄的賬戶"},
		"kind.greylisted":          {"greylisting", "灰名单", "灰名單"},
		"kind.basic_auth_disabled": {"SMTP AUTH is turned off (Microsoft 365)", "SMTP AUTH 已关闭(Microsoft 365)", "SMTP AUTH 已關閉(Microsoft 365)"},
		"kind.blocklisted":         {"the IP address is on a blocklist", "IP 地址在黑名单中", "IP 地址在黑名單中"},
		"kind.blocked":             {"blocked (reputation or policy)", "被拦截(信誉或策略)", "被攔截(信譽或策略)"},
		"kind.unknown_user":        {"unknown mailbox", "邮箱不存在", "郵箱不存在"},
		"kind.relay_denied":        {"relaying", "转发(relay)", "轉發(relay)"},
		"kind.spam_163":            {"163/126 spam filter (DT:SPM)", "163/126 垃圾邮件过滤(DT:SPM)", "163/126 垃圾郵件過濾(DT:SPM)"},
		"kind.needs_tls":           {"TLS", "TLS 加密", "TLS 加密"},
		"kind.needs_auth":          {"authentication required", "需要认证", "需要認證"},
		"kind.too_many_recipients": {"too many recipients", "收件人过多", "收件人過多"},
		"kind.mailbox_full":        {"mailbox full", "邮箱已满", "郵箱已滿"},
		"kind.too_long":            {"a line too long", "行太长", "行太長"},
		"kind.queued":              {"accepted and queued for delivery", "已接受并进入投递队列", "已接受並進入投遞隊列"},
		"kind.app_password":        {"an app password is needed", "需要应用专用密码", "需要應用專用密碼"},
		"kind.mentions_auth":       {"authentication", "认证", "認證"},
		"lang.now":                 {"language: {lang}", "语言:{lang}", "語言:{lang}"},
		"lang.usage":               {"usage: /lang en|zh|zh-Hant", "用法:/lang en|zh|zh-Hant", "用法:/lang en|zh|zh-Hant"},
	}
}
