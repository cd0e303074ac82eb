package providers

// This file is the provider table. Its starting point is the guides in
// shared/seeds (a Websoft9 "third-party SMTP" page in Chinese and English,
// a RabbitMQ-style "SMTP sheets" page, an Alibaba Cloud DirectMail FAQ in
// traditional Chinese, and a Chinese "SMTP server addresses" list); where
// they are out of date or disagree, the entry says so in a Correction and
// names the document the fact comes from.

// Notes shared by several ports.
const (
	note25     = "plain; outbound port 25 is blocked on most cloud servers (Aliyun ECS, Tencent Cloud, AWS...)"
	note25TLS  = "STARTTLS offered; outbound port 25 is blocked on most cloud servers"
	noteNetEa2 = "NetEase's second implicit-TLS port, for networks that block 465"

	note25ZH     = "明文;多数云服务器(阿里云 ECS、腾讯云、AWS 等)封禁出站 25 端口"
	note25TLSZH  = "提供 STARTTLS;多数云服务器封禁出站 25 端口"
	noteNetEa2ZH = "网易的第二个隐式 TLS 端口,供封禁 465 的网络使用"
)

// Sources cited by several entries.
const (
	srcNetEase    = "NetEase Mail help, client settings table: https://help.mail.163.com/faq.do?m=OTUw&id=MjQ5Nw== (SMTP: SSL 465/994, non-SSL 25); the same ports in the koishi.chat mail adapter docs (https://koishi.chat/plugins/adapter/mail.html)"
	srcQQ         = "QQ Mail help: https://service.mail.qq.com/detail/0/428 (465 SSL, 587 STARTTLS, 授权码); Python example at https://www.russky.net/zixun/189553.html: port 587 needs SMTP() + starttls(), 465 needs SMTP_SSL()"
	srcOutlook    = "Microsoft Support, \"POP, IMAP, and SMTP settings for Outlook.com\" (support.microsoft.com/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353): smtp-mail.outlook.com, 587, STARTTLS, OAuth2/Modern Auth; Thunderbird ISPDB hotmail.com.xml (github.com/thunderbird/autoconfig)"
	srcOutlookBA  = "Microsoft ended Basic Authentication for Outlook.com personal accounts on 16 September 2024 (timeline reported at https://techissuestoday.com/how-to-update-outlook-email-settings-to-avoid-losing-access-after-september-16/ and https://patriotmail.ai/blog/microsoft-modern-authentication-outlook-app-passwords)"
	srcAliMail    = "Alibaba Cloud help, \"Send emails from Alibaba Mail using SMTP\": https://help.aliyun.com/document_detail/36687.html (smtp.qiye.aliyun.com; ports 25, 80, 465 SSL; third-party clients off by default for new purchases)"
	srcDirectMail = "Alibaba Cloud DirectMail, \"SMTP service endpoints\": https://www.alibabacloud.com/help/pt-br/direct-mail/smtp-endpoints (ports 25, 80, 465 SSL; STARTTLS on 25 and 80; 25 closed on ECS)"
	srcDMSMTP     = "Alibaba Cloud DirectMail, \"Send emails using SMTP\": https://www.alibabacloud.com/help/es/direct-mail/user-guide/send-emails-using-smtp (SMTP password set per sender address; the authenticated user must equal the sender)"
)

// All is every known provider, in the order "smtpsh providers" lists them:
// Chinese mailboxes, Chinese sending services, then the rest.
var All = []Provider{
	{
		Key:    "qq",
		Name:   "QQ Mail",
		NameZH: "QQ 邮箱",
		Host:   "smtp.qq.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{587, StartTLS, "STARTTLS, not SSL from the first byte", "STARTTLS,不是一连上就用 SSL"},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"qq.com"},
		User:       "the full address (123456@qq.com)",
		UserZH:     "完整邮箱地址(如 123456@qq.com)",
		Secret:     AuthCode,
		Password:   "the authorization code (授权码) generated after turning on the SMTP service in QQ Mail's settings (Settings → Account → POP3/IMAP/SMTP service); not the QQ password",
		PasswordZH: "授权码:在 QQ 邮箱网页版「设置 → 账户 → POP3/IMAP/SMTP 服务」开启后生成,不是 QQ 密码",
		Advice: []string{
			"turn on the SMTP service in the webmail settings first; the authorization code is shown once",
			"on a cloud server use 465 or 587: outbound 25 is usually blocked",
		},
		AdviceZH: []string{
			"先在网页版邮箱的设置中开启 SMTP 服务;授权码只显示一次",
			"在云服务器上请用 465 或 587:出站 25 端口通常被封禁",
		},
		Corrections: []Correction{
			{
				Claim:  "\"SMTP port: 465 or 587 for SSL-encrypted email\", \"SMTP Encryption: must SSL\" (seeds 000, 001, 002)",
				Fact:   "465 is implicit TLS (SSL from the first byte); 587 is plain first, then STARTTLS. A client set to \"SSL\" on 587 hangs or fails the handshake",
				FactZH: "465 是隐式 TLS(一连上就是 SSL);587 先明文,再 STARTTLS。客户端在 587 上设成「SSL」会卡住或握手失败",
				Source: srcQQ,
			},
			{
				Claim:  "QQ邮箱 SMTP smtp.qq.com (端口:25) (seed 004)",
				Fact:   "25 is plain SMTP and blocked on most cloud servers; use 465 (implicit TLS) or 587 (STARTTLS)",
				FactZH: "25 是明文 SMTP,且在多数云服务器上被封禁;请用 465(隐式 TLS)或 587(STARTTLS)",
				Source: srcQQ,
			},
		},
	},
	{
		Key:    "foxmail",
		Name:   "Foxmail",
		NameZH: "Foxmail 邮箱",
		Host:   "smtp.foxmail.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{587, StartTLS, "", ""},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"foxmail.com"},
		User:       "the full @foxmail.com address",
		UserZH:     "完整的 @foxmail.com 邮箱地址",
		Secret:     AuthCode,
		Password:   "the QQ Mail authorization code (授权码): a foxmail.com address is a QQ Mail account, set up in QQ Mail's settings",
		PasswordZH: "QQ 邮箱授权码:foxmail.com 地址属于 QQ 邮箱账户,在 QQ 邮箱设置中开启 SMTP 并生成",
		Advice: []string{
			"a foxmail.com mailbox is a QQ Mail account: smtp.qq.com works too, with the same authorization code",
		},
		AdviceZH: []string{
			"foxmail.com 邮箱就是 QQ 邮箱账户:用 smtp.qq.com 和同一个授权码也可以",
		},
		Corrections: []Correction{
			{
				Claim:  "Foxmail SMTP.foxmail.com (端口:25) (seed 004)",
				Fact:   "the service is QQ Mail's: implicit TLS on 465 or STARTTLS on 587 with the authorization code; 25 is plain and blocked on cloud servers",
				FactZH: "这就是 QQ 邮箱的服务:465 隐式 TLS 或 587 STARTTLS,用授权码登录;25 是明文,且在云服务器上被封禁",
				Source: srcQQ,
			},
		},
	},
	{
		Key:    "163",
		Name:   "NetEase 163 Mail",
		NameZH: "网易 163 邮箱",
		Host:   "smtp.163.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{994, Implicit, noteNetEa2, noteNetEa2ZH},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"163.com"},
		User:       "the full @163.com address",
		UserZH:     "完整的 @163.com 邮箱地址",
		Secret:     AuthCode,
		Password:   "the client authorization code (授权码) added after turning on POP3/SMTP/IMAP in 163 Mail's settings; not the login password",
		PasswordZH: "客户端授权码:在 163 邮箱「设置 → POP3/SMTP/IMAP」开启服务后新增,不是登录密码",
		Advice: []string{
			"free accounts get a limited number of authorization codes at a time; delete an old one to add another",
		},
		AdviceZH: []string{
			"免费账户同时可有的授权码数量有限;删除旧的才能新增",
		},
		Corrections: []Correction{
			{
				Claim:  "the guides disagree: seeds 000-002 give \"465 or 994 for SSL-encrypted email\", seed 004 gives only smtp.163.com (端口:25)",
				Fact:   "all three are right: 465 and 994 are implicit TLS, 25 is plain (and blocked on most cloud servers)",
				FactZH: "三者都对:465 和 994 是隐式 TLS,25 是明文(且在多数云服务器上被封禁)",
				Source: srcNetEase,
			},
		},
	},
	{
		Key:    "126",
		Name:   "NetEase 126 Mail",
		NameZH: "网易 126 邮箱",
		Host:   "smtp.126.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{994, Implicit, noteNetEa2, noteNetEa2ZH},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"126.com"},
		User:       "the full @126.com address",
		UserZH:     "完整的 @126.com 邮箱地址",
		Secret:     AuthCode,
		Password:   "the client authorization code (授权码) added after turning on POP3/SMTP/IMAP in 126 Mail's settings; not the login password",
		PasswordZH: "客户端授权码:在 126 邮箱「设置 → POP3/SMTP/IMAP」开启服务后新增,不是登录密码",
		Corrections: []Correction{
			{
				Claim:  "126邮箱 smtp.126.com (端口:25), with POP3 server pop.live.com (seed 004)",
				Fact:   "126 runs on the same NetEase platform as 163: implicit TLS on 465 (or 994), plain on 25; pop.live.com is Microsoft's server, pasted from the Hotmail line",
				FactZH: "126 与 163 同在网易的平台上:465(或 994)隐式 TLS,25 明文;pop.live.com 是微软的服务器,是从 Hotmail 那一行误抄来的",
				Source: srcNetEase,
			},
		},
	},
	{
		Key:        "sina",
		Name:       "Sina Mail",
		NameZH:     "新浪邮箱",
		Host:       "smtp.sina.com",
		OtherHosts: []string{"smtp.sina.com.cn"},
		Ports: []Port{
			{465, Implicit, "", ""},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"sina.com", "sina.cn", "sina.com.cn"},
		User:       "the full address",
		UserZH:     "完整邮箱地址",
		Secret:     AuthCode,
		Password:   "the client authorization code (客户端授权码) shown after turning on POP3/IMAP/SMTP in Sina Mail's settings (Settings → Client)",
		PasswordZH: "客户端授权码:在新浪邮箱「设置 → 客户端 POP/IMAP/SMTP」开启后获取",
		Corrections: []Correction{
			{
				Claim:  "新浪邮箱(sina.com): SMTP服务器地址 smtp.sina.com.cn (端口:25) (seed 004)",
				Fact:   "current guides and client configs use smtp.sina.com with implicit TLS on 465 and the client authorization code; smtp.sina.com.cn is the old name, and plain 25 is blocked on cloud servers",
				FactZH: "现在的指南和客户端配置用 smtp.sina.com、465 隐式 TLS 和客户端授权码;smtp.sina.com.cn 是旧名称,明文 25 在云服务器上被封禁",
				Source: "msmtp config for Sina, pointing at Sina's 客户端授权码 help (help.sina.com.cn/comquestiondetail/view/1566/): https://gist.github.com/kkew3/e63be53780443e4013b2be07753a9796; Spring Boot guide with smtp.sina.com:465 and the 授权码: https://blog.csdn.net/m0_47878878/article/details/127253730",
			},
		},
	},
	{
		Key:    "sohu",
		Name:   "Sohu Mail",
		NameZH: "搜狐邮箱",
		Host:   "smtp.sohu.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"sohu.com"},
		User:       "the full @sohu.com address",
		UserZH:     "完整的 @sohu.com 邮箱地址",
		Secret:     AuthCode,
		Password:   "the client authorization password (客户端授权密码) set when turning on POP3/SMTP in Sohu Mail's settings, if one is set; otherwise the mailbox password",
		PasswordZH: "客户端授权密码:在搜狐邮箱设置中开启 POP3/SMTP 时设置;未设置时为邮箱密码",
		Advice: []string{
			"the seed lists only plain port 25; current client configs use implicit TLS on 465 (not confirmed from a Sohu help page)",
		},
		AdviceZH: []string{
			"原始指南只列出明文 25 端口;现在的客户端配置用 465 隐式 TLS(未能在搜狐帮助页面上确认)",
		},
	},
	{
		Key:    "tom",
		Name:   "TOM Mail",
		NameZH: "TOM 邮箱",
		Host:   "smtp.tom.com",
		Ports: []Port{
			{465, Implicit, "seen in public client configs; the TOM help page gives only the host", "见于公开的客户端配置;TOM 帮助页面只给出服务器地址"},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"tom.com"},
		User:       "the full @tom.com address",
		UserZH:     "完整的 @tom.com 邮箱地址",
		Secret:     AccountPassword,
		Password:   "the mailbox password",
		PasswordZH: "邮箱密码",
		Corrections: []Correction{
			{
				Claim:  "Tom邮箱(top.com) (seed 004)",
				Fact:   "the domain is tom.com; the SMTP host smtp.tom.com is right",
				FactZH: "域名是 tom.com;SMTP 服务器 smtp.tom.com 没错",
				Source: "TOM Mail help centre: https://mail.tom.com/webmail-static/help/tomcom/index.html (pop.tom.com, smtp.tom.com)",
			},
		},
	},
	{
		Key:    "139",
		Name:   "China Mobile 139 Mail",
		NameZH: "中国移动 139 邮箱",
		Host:   "smtp.139.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"139.com"},
		User:       "the full address (phone-number@139.com)",
		UserZH:     "完整邮箱地址(手机号@139.com)",
		Secret:     AuthCode,
		Password:   "the authorization code (授权码) shown once after turning on IMAP/SMTP in 139 Mail's settings (Settings → Account → POP3/IMAP); not the login password",
		PasswordZH: "授权码:在 139 邮箱「设置 → 账户 → POP3/IMAP 服务」开启 IMAP/SMTP 后获取,只显示一次,不是登录密码",
		Advice: []string{
			"139's servers are reported to negotiate only TLS 1.0/1.1; a modern client that requires TLS 1.2 may fail the handshake on 465",
		},
		AdviceZH: []string{
			"据报告 139 的服务器只协商 TLS 1.0/1.1;要求 TLS 1.2 的新客户端在 465 上可能握手失败",
		},
		Corrections: []Correction{
			{
				Claim:  "移动139邮箱 SMTP.139.com (端口:25), with the mailbox password (seed 004)",
				Fact:   "implicit TLS on 465 is available, and third-party clients log in with a 16-character authorization code",
				FactZH: "可以用 465 隐式 TLS,第三方客户端用 16 位授权码登录",
				Source: "139 Mail skill guide (enable IMAP/SMTP at mail.10086.cn, use the 授权码; server TLS 1.0/1.1 only): https://skills.sh/openclaw/skills/139mail",
			},
		},
	},
	{
		Key:    "china",
		Name:   "China.com Mail",
		NameZH: "中华网邮箱",
		Host:   "smtp.china.com",
		Ports: []Port{
			{465, Implicit, "seen in public client configs; the seed lists only 25", "见于公开的客户端配置;原始指南只列出 25"},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"china.com"},
		User:       "the full @china.com address",
		UserZH:     "完整的 @china.com 邮箱地址",
		Secret:     AccountPassword,
		Password:   "the mailbox password",
		PasswordZH: "邮箱密码",
		Advice: []string{
			"the host smtp.china.com is as the seed gives it; no current guide from china.com itself was found to confirm it",
			"some copied lists give smtp.china.com for 139 Mail: it is China.com's server, 139 Mail's is smtp.139.com",
		},
		AdviceZH: []string{
			"服务器 smtp.china.com 取自原始指南;未找到中华网自己的现行指南加以确认",
			"有些转抄的列表把 smtp.china.com 写成 139 邮箱的服务器:它是中华网的,139 邮箱的是 smtp.139.com",
		},
	},
	{
		Key:    "aliyun",
		Name:   "Aliyun Mail (personal)",
		NameZH: "阿里云邮箱(个人版)",
		Host:   "smtp.aliyun.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{25, Plain, note25, note25ZH},
		},
		Domains:    []string{"aliyun.com"},
		User:       "the full @aliyun.com address",
		UserZH:     "完整的 @aliyun.com 邮箱地址",
		Secret:     AccountPassword,
		Password:   "the mailbox password, or the third-party client password if one is set in the mailbox's security settings",
		PasswordZH: "邮箱密码;若在账户安全中开启了三方客户端密码,则用该密码",
		Advice: []string{
			"not the enterprise mailbox: addresses on your own domain hosted by Alibaba Mail use the mxhichina entry",
			"Aliyun ECS closes outbound 25 by default: use 465",
		},
		AdviceZH: []string{
			"这不是企业邮箱:托管在阿里邮箱的自有域名地址请看 mxhichina 一项",
			"阿里云 ECS 默认封禁出站 25 端口:请用 465",
		},
	},
	{
		Key:        "mxhichina",
		Aliases:    []string{"aliyun-enterprise", "qiye"},
		Name:       "Alibaba Mail (enterprise)",
		NameZH:     "阿里企业邮箱",
		Host:       "smtp.qiye.aliyun.com",
		OtherHosts: []string{"smtp.mxhichina.com"},
		Ports: []Port{
			{465, Implicit, "", ""},
			{80, Plain, "plain, for networks where 25 is blocked", "明文,供封禁 25 的网络使用"},
			{25, Plain, note25, note25ZH},
		},
		User:       "the full address on your domain",
		UserZH:     "企业域名下的完整邮箱地址",
		Secret:     AccountPassword,
		Password:   "the mailbox password, or the third-party client security password if the administrator or user turned that on",
		PasswordZH: "邮箱密码;若管理员或员工开启了三方客户端安全密码,则用该安全密码",
		Advice: []string{
			"new purchases have third-party clients turned off: the administrator must allow them before SMTP login works",
			"smtp.YOURDOMAIN works too once it has a CNAME to the Alibaba Mail server",
		},
		AdviceZH: []string{
			"新购买的企业邮箱默认关闭三方客户端:须由管理员开启后才能用 SMTP 登录",
			"smtp.你的域名 在加上指向阿里邮箱服务器的 CNAME 记录后也可使用",
		},
		Corrections: []Correction{
			{
				Claim:  "SMTP host: smtp.mxhichina.com, port 465 only, password: email password (seeds 000, 001, 002)",
				Fact:   "the documented host is now smtp.qiye.aliyun.com (smtp.mxhichina.com is the older name); ports 25 and 80 plain, 465 implicit TLS; third-party clients are off by default for new purchases and a client security password may be required",
				FactZH: "文档给出的服务器现为 smtp.qiye.aliyun.com(smtp.mxhichina.com 是旧名称);25 和 80 端口明文,465 隐式 TLS;新购买的默认关闭三方客户端,还可能需要三方客户端安全密码",
				Source: srcAliMail,
			},
			{
				Claim:  "\"阿里企業郵箱開啟 SMTP 發信功能\": log in to the 郵件推送 (DirectMail) console and set an SMTP password for a sender address (seed 003)",
				Fact:   "those steps are for Aliyun DirectMail (smtpdm.aliyun.com), a separate sending service; they do nothing for an enterprise mailbox",
				FactZH: "这些步骤属于阿里云邮件推送(smtpdm.aliyun.com),那是另一项发信服务;对企业邮箱不起作用",
				Source: srcDMSMTP,
			},
		},
	},
	{
		Key:     "directmail",
		Aliases: []string{"dm", "smtpdm"},
		Name:    "Aliyun DirectMail",
		NameZH:  "阿里云邮件推送",
		Host:    "smtpdm.aliyun.com",
		OtherHosts: []string{
			"smtpdm-ap-southeast-1.aliyuncs.com", "smtpdm-us-east-1.aliyuncs.com", "smtpdm-eu-central-1.aliyuncs.com",
			"smtpdm-ap-southeast-1.aliyun.com", "smtpdm-ap-southeast-2.aliyun.com",
		},
		Ports: []Port{
			{465, Implicit, "", ""},
			{80, StartTLS, "STARTTLS offered; use where 25 is blocked", "提供 STARTTLS;在 25 被封禁时使用"},
			{25, StartTLS, note25TLS, note25TLSZH},
		},
		User:       "the sender address created in the DirectMail console; the authenticated user must equal the envelope sender (MAIL FROM)",
		UserZH:     "在邮件推送控制台创建的发信地址;认证用户名必须与发件人(MAIL FROM)一致",
		Secret:     SMTPPassword,
		Password:   "the SMTP password set for that sender address in the DirectMail console (Sender Addresses → Set SMTP Password)",
		PasswordZH: "在邮件推送控制台「发信地址 → 设置 SMTP 密码」中为该发信地址设置的 SMTP 密码",
		Advice: []string{
			"add and verify the sending domain in the console (DNS records) before creating sender addresses",
			"smtpdm.aliyun.com is China (Hangzhou); other regions have their own endpoints: Singapore smtpdm-ap-southeast-1.aliyuncs.com, US smtpdm-us-east-1.aliyuncs.com, Germany smtpdm-eu-central-1.aliyuncs.com; use the one of your console's region",
			"Aliyun ECS closes outbound 25 by default: use 80 or 465",
		},
		AdviceZH: []string{
			"先在控制台添加并验证发信域名(DNS 记录),再创建发信地址",
			"smtpdm.aliyun.com 是中国(杭州);其他地域有各自的地址:新加坡 smtpdm-ap-southeast-1.aliyuncs.com,美国 smtpdm-us-east-1.aliyuncs.com,德国 smtpdm-eu-central-1.aliyuncs.com;请用控制台所在地域的地址",
			"阿里云 ECS 默认封禁出站 25 端口:请用 80 或 465",
		},
		Corrections: []Correction{
			{
				Claim:  "the guides give only \"SSL Port: 465\" (seed 000) or telnet to port 25 (seed 003)",
				Fact:   "DirectMail listens on 25, 80 and 465 (implicit TLS), with STARTTLS on 25 and 80; 25 is closed on ECS, so 80 or 465 from Aliyun servers",
				FactZH: "邮件推送监听 25、80 和 465(隐式 TLS),25 和 80 提供 STARTTLS;ECS 上 25 被封禁,所以从阿里云服务器请用 80 或 465",
				Source: srcDirectMail,
			},
		},
	},
	{
		Key:    "sendgrid",
		Name:   "Twilio SendGrid",
		NameZH: "SendGrid",
		Host:   "smtp.sendgrid.net",
		Ports: []Port{
			{587, StartTLS, "recommended by SendGrid", "SendGrid 推荐"},
			{465, Implicit, "", ""},
			{2525, StartTLS, "STARTTLS offered; for networks that block 25 and 587", "提供 STARTTLS;供封禁 25 和 587 的网络使用"},
			{25, StartTLS, note25TLS, note25TLSZH},
		},
		User:       "the literal string apikey",
		UserZH:     "固定字符串 apikey",
		Secret:     APIKey,
		Password:   "an API key with at least Mail Send permission, created in the SendGrid console",
		PasswordZH: "在 SendGrid 控制台创建的 API 密钥(至少需要 Mail Send 权限)",
		Advice: []string{
			"paste the key without line breaks or spaces: a stray newline makes AUTH fail",
		},
		AdviceZH: []string{
			"粘贴密钥时不要带换行或空格:多出一个换行就会让 AUTH 失败",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Replace USERNAME with your SendGrid account username and PASSWORD with your SendGrid account password\" (seeds 000, 001, 002)",
				Fact:   "the user name is the literal string apikey and the password is an API key; account credentials are not accepted",
				FactZH: "用户名是固定字符串 apikey,密码是 API 密钥;不接受账户的用户名和密码",
				Source: "Twilio SendGrid docs, \"Integrating with the SMTP API\": https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
			},
			{
				Claim:  "\"25 or 587 for unencrypted/TLS email, 465 for SSL-encrypted email\" (seeds 000, 001, 002)",
				Fact:   "25, 587 and 2525 start plain and offer STARTTLS; 465 is implicit TLS",
				FactZH: "25、587 和 2525 先明文,提供 STARTTLS;465 是隐式 TLS",
				Source: "Twilio SendGrid docs, \"Integrating with the SMTP API\" (SMTP ports section): https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
			},
		},
	},
	{
		Key:    "gmail",
		Name:   "Gmail",
		NameZH: "Gmail 谷歌邮箱",
		Host:   "smtp.gmail.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"gmail.com", "googlemail.com"},
		User:       "the full Gmail address",
		UserZH:     "完整的 Gmail 地址",
		Secret:     AppPassword,
		Password:   "a 16-character app password (Google Account → Security → App passwords, needs 2-Step Verification), or an OAuth2 token; the account password is refused",
		PasswordZH: "16 位应用专用密码(Google 账号 → 安全性 → 应用专用密码,需先开启两步验证),或 OAuth2 令牌;账号密码会被拒绝",
		Advice: []string{
			"Gmail limits how many messages an account may send a day; for bulk or transactional mail use a sending service",
		},
		AdviceZH: []string{
			"Gmail 限制每个账户每天的发信数量;群发或事务邮件请用专门的发信服务",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Gmail SMTP password: Your Gmail password\" (seeds 000, 001, 002)",
				Fact:   "since 30 May 2022 Google refuses third-party sign-in with only the account password: use an app password (with 2-Step Verification on) or OAuth2 (XOAUTH2)",
				FactZH: "自 2022 年 5 月 30 日起,Google 拒绝第三方应用只凭账号密码登录:请用应用专用密码(需开启两步验证)或 OAuth2(XOAUTH2)",
				Source: "Google Account Help, \"Sign in with app passwords\": https://support.google.com/accounts/answer/185833; Google's notice quoted in https://github.com/rstudio/blastula/issues/282",
			},
			{
				Claim:  "谷歌邮箱 SMTP smtp.gmail.com (SSL启用端口:587) (seed 004)",
				Fact:   "587 is STARTTLS (plain first); implicit TLS is on 465",
				FactZH: "587 是 STARTTLS(先明文);隐式 TLS 在 465",
				Source: "Google, \"Check Gmail through other email platforms\" (support.google.com/mail/answer/7126229), as quoted at https://mailconfiguration.com/gmail/gmail-imap-pop-smtp-settings/: use 465, or 587 if the client starts in plain text and issues STARTTLS",
			},
		},
	},
	{
		Key:        "outlook",
		Name:       "Outlook.com",
		NameZH:     "Outlook.com 邮箱",
		Host:       "smtp-mail.outlook.com",
		OtherHosts: []string{"smtp.office365.com"},
		Ports: []Port{
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"outlook.com"},
		User:       "the full Outlook.com address (not an alias)",
		UserZH:     "完整的 Outlook.com 地址(不是别名)",
		Secret:     OAuth2,
		Password:   "an OAuth2 access token (AUTH XOAUTH2): Outlook.com no longer accepts the account password or app passwords from third-party apps",
		PasswordZH: "OAuth2 访问令牌(AUTH XOAUTH2):Outlook.com 已不再接受第三方应用使用账号密码或应用密码登录",
		Advice: []string{
			"Microsoft 365 work or school mailboxes use smtp.office365.com:587 with STARTTLS, and SMTP AUTH must be enabled for the mailbox by an administrator",
			"for an app that only knows user and password, use a sending service instead",
		},
		AdviceZH: []string{
			"Microsoft 365 工作或学校邮箱用 smtp.office365.com:587 加 STARTTLS,且须由管理员为该邮箱启用 SMTP AUTH",
			"只支持用户名和密码的应用,请改用发信服务",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Password: Your Outlook.com password\" (seeds 000, 001, 002)",
				Fact:   "Outlook.com requires Modern Auth (OAuth2) for SMTP; Basic Authentication ended on 16 September 2024",
				FactZH: "Outlook.com 的 SMTP 要求现代身份验证(OAuth2);基本身份验证已于 2024 年 9 月 16 日停用",
				Source: srcOutlook + "; " + srcOutlookBA,
			},
			{
				Claim:  "\"SMTP Port 587, SMTP TLS/SSL Encryption Required: Yes\" (seeds 000, 001, 002)",
				Fact:   "587 is STARTTLS: connect in plain text, then upgrade; there is no implicit-TLS port",
				FactZH: "587 是 STARTTLS:先明文连接,再升级加密;没有隐式 TLS 端口",
				Source: srcOutlook,
			},
		},
	},
	{
		Key:        "hotmail",
		Aliases:    []string{"live"},
		Name:       "Hotmail / Windows Live",
		NameZH:     "Hotmail 邮箱",
		Host:       "smtp-mail.outlook.com",
		OtherHosts: []string{"smtp.live.com"},
		Ports: []Port{
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"hotmail.com", "live.com", "msn.com", "live.cn"},
		User:       "the full address (@hotmail.com, @live.com, @msn.com)",
		UserZH:     "完整邮箱地址(@hotmail.com、@live.com、@msn.com)",
		Secret:     OAuth2,
		Password:   "an OAuth2 access token (AUTH XOAUTH2): Hotmail is Outlook.com, and it no longer accepts passwords from third-party apps",
		PasswordZH: "OAuth2 访问令牌(AUTH XOAUTH2):Hotmail 即 Outlook.com,已不再接受第三方应用的密码登录",
		Advice: []string{
			"Hotmail, Live and MSN addresses are Outlook.com accounts: same server, same rules",
		},
		AdviceZH: []string{
			"Hotmail、Live 和 MSN 地址都是 Outlook.com 账户:服务器相同,规则相同",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Hotmail SMTP Server: smtp.live.com\" (seeds 000, 001, 002, 004)",
				Fact:   "Hotmail is served by Outlook.com: smtp-mail.outlook.com:587 with STARTTLS (Microsoft 365 accounts: smtp.office365.com:587)",
				FactZH: "Hotmail 由 Outlook.com 提供服务:smtp-mail.outlook.com:587 加 STARTTLS(Microsoft 365 账户:smtp.office365.com:587)",
				Source: srcOutlook,
			},
			{
				Claim:  "\"Hotmail SMTP Password: Your Windows Live Hotmail password\" (seeds 000, 001, 002)",
				Fact:   "OAuth2 is required; Basic Authentication for Outlook.com personal accounts ended on 16 September 2024",
				FactZH: "必须用 OAuth2;Outlook.com 个人账户的基本身份验证已于 2024 年 9 月 16 日停用",
				Source: srcOutlookBA,
			},
		},
	},
	{
		Key:    "yahoo",
		Name:   "Yahoo Mail",
		NameZH: "雅虎邮箱",
		Host:   "smtp.mail.yahoo.com",
		Ports: []Port{
			{465, Implicit, "", ""},
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"yahoo.com"},
		User:       "the full Yahoo address (including @yahoo.com)",
		UserZH:     "完整的雅虎邮箱地址(含 @yahoo.com)",
		Secret:     AppPassword,
		Password:   "an app password generated under Account Security → Generate app password; the account password is refused",
		PasswordZH: "在「账户安全 → 生成应用密码」中生成的应用专用密码;账号密码会被拒绝",
		Corrections: []Correction{
			{
				Claim:  "\"Yahoo Mail SMTP password: Your Yahoo Mail password\" (seeds 000, 001, 002)",
				Fact:   "third-party apps need an app password generated in Yahoo's Account Security page",
				FactZH: "第三方应用需要在雅虎「账户安全」页面生成的应用专用密码",
				Source: "Yahoo Help, \"Generate and manage 3rd-party app passwords\": https://help.yahoo.com/kb/generate-manage-rd-party-passwords-sln15241.html",
			},
		},
	},
	{
		Key:    "icloud",
		Name:   "iCloud Mail",
		NameZH: "iCloud 邮箱",
		Host:   "smtp.mail.me.com",
		Ports: []Port{
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"icloud.com", "me.com", "mac.com"},
		User:       "the full iCloud address",
		UserZH:     "完整的 iCloud 邮箱地址",
		Secret:     AppPassword,
		Password:   "an app-specific password created at account.apple.com (Sign-In and Security), which needs two-factor authentication",
		PasswordZH: "在 account.apple.com「登录与安全」中创建的 App 专用密码(需开启双重认证)",
		Corrections: []Correction{
			{
				Claim:  "\"SSL required: Yes\", \"Port: 587\" (seeds 000, 001, 002)",
				Fact:   "587 is STARTTLS: the session starts in plain text and is upgraded; a client set to implicit SSL on 587 fails",
				FactZH: "587 是 STARTTLS:会话先以明文开始,再升级加密;客户端在 587 上设成隐式 SSL 会失败",
				Source: "Apple Support, \"iCloud Mail server settings\": https://support.apple.com/en-us/102525 (formerly HT202304); Thunderbird ISPDB me.com.xml (github.com/thunderbird/autoconfig): smtp.mail.me.com 587 STARTTLS",
			},
		},
	},
	{
		Key:        "zoho",
		Name:       "Zoho Mail",
		NameZH:     "Zoho 邮箱",
		Host:       "smtp.zoho.com",
		OtherHosts: []string{"smtppro.zoho.com", "smtp.zoho.eu", "smtp.zoho.in", "smtp.zoho.com.au", "smtp.zoho.jp", "smtp.zoho.com.cn"},
		Ports: []Port{
			{465, Implicit, "", ""},
			{587, StartTLS, "", ""},
		},
		Domains:    []string{"zoho.com", "zohomail.com"},
		User:       "the full Zoho address (or your own-domain address hosted by Zoho)",
		UserZH:     "完整的 Zoho 邮箱地址(或托管在 Zoho 的自有域名地址)",
		Secret:     AccountPassword,
		Password:   "the account password, or an application-specific password when two-factor authentication is on",
		PasswordZH: "账号密码;开启双重认证后需用应用专用密码",
		Advice: []string{
			"paid organisation accounts on their own domain use smtppro.zoho.com",
			"use your data centre's host: smtp.zoho.eu, smtp.zoho.in, smtp.zoho.com.au, smtp.zoho.jp, smtp.zoho.com.cn; the wrong region fails authentication",
			"the From address must be the account's address or one of its aliases",
		},
		AdviceZH: []string{
			"使用自有域名的付费组织账户用 smtppro.zoho.com",
			"请用账户所在数据中心的服务器:smtp.zoho.eu、smtp.zoho.in、smtp.zoho.com.au、smtp.zoho.jp、smtp.zoho.com.cn;地域不对会认证失败",
			"发件人(From)必须是该账户的地址或其别名之一",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Zoho Mail SMTP port: 465\", \"password: Your Zoho Mail password\" (seeds 000, 001, 002)",
				Fact:   "587 with STARTTLS works as well; with two-factor authentication on, an application-specific password is needed; organisation and non-US accounts use other hosts",
				FactZH: "587 加 STARTTLS 同样可用;开启双重认证后需要应用专用密码;组织账户和美国以外的账户用其他服务器",
				Source: "Zoho Mail help, \"SMTP Server Configuration\" (https://www.zoho.com/mail/help/zoho-smtp.html), as reproduced at https://wiki.stretchpowered.com/books/zoho/page/how-to-configure-email-server-with-zoho-smtp-settings",
			},
		},
	},
}

// Troubleshooting is the guides' advice for when settings look right but
// mail still does not go out; it holds for every provider.
var Troubleshooting = []string{
	"port 25 is blocked on most cloud servers: use 465 (implicit TLS) or 587 (STARTTLS)",
	"check the cloud security group's outbound rules allow the SMTP port (465, 587)",
	"check iptables/firewalld on the server allow outbound connections to 465 and 587",
	"test from the server itself, not from your laptop: the server's IP may be blocked or blacklisted",
	"an old OpenSSL or a missing or stale CA bundle breaks the TLS handshake: update them, or try smtpsh --ca FILE",
	"do not run your own sendmail/postfix on a cloud server to send directly: use a provider",
}

// TroubleshootingZH is Troubleshooting in Chinese, line for line.
var TroubleshootingZH = []string{
	"多数云服务器封禁 25 端口:请用 465(隐式 TLS)或 587(STARTTLS)",
	"检查云服务器安全组的出方向规则是否放行 SMTP 端口(465、587)",
	"检查服务器上的 iptables/firewalld 是否允许连出到 465 和 587",
	"在服务器本机上测试,而不是在你的电脑上:服务器的 IP 可能被封禁或被列入黑名单",
	"OpenSSL 过旧、CA 证书包缺失或过期都会让 TLS 握手失败:请更新,或试试 smtpsh --ca FILE",
	"不要在云服务器上自己运行 sendmail/postfix 直接发信:请使用邮件服务商",
}

// GeneralCorrections are corrections to the guides' troubleshooting
// advice, which is not about one provider.
var GeneralCorrections = []Correction{
	{
		Claim:  "\"telnet smtp.qq.com 465\": if you see 220 smtp.*.com Esmtp Mail Server ... the connection works (seeds 000, 001, 002)",
		Fact:   "465 is implicit TLS: the server says nothing until the TLS handshake, so telnet only shows \"Connected\"/\"Escape character is '^]'\"; no 220 appears. Test with openssl s_client -connect smtp.qq.com:465 -crlf, or smtpsh smtp.qq.com:465 --tls implicit",
		FactZH: "465 是隐式 TLS:TLS 握手之前服务器什么也不说,所以 telnet 只显示 \"Connected\"/\"Escape character is '^]'\",不会出现 220。请用 openssl s_client -connect smtp.qq.com:465 -crlf 或 smtpsh smtp.qq.com:465 --tls implicit 测试",
		Source: "RFC 8314 section 3.3 (implicit TLS: the TLS handshake starts as soon as the connection opens): https://www.rfc-editor.org/rfc/rfc8314#section-3.3",
	},
}
