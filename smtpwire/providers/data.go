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
			{465, Implicit, ""},
			{587, StartTLS, "STARTTLS, not SSL from the first byte"},
			{25, Plain, note25},
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
		Corrections: []Correction{
			{
				Claim:  "\"SMTP port: 465 or 587 for SSL-encrypted email\", \"SMTP Encryption: must SSL\" (seeds 000, 001, 002)",
				Fact:   "465 is implicit TLS (SSL from the first byte); 587 is plain first, then STARTTLS. A client set to \"SSL\" on 587 hangs or fails the handshake",
				Source: srcQQ,
			},
			{
				Claim:  "QQ邮箱 SMTP smtp.qq.com (端口:25) (seed 004)",
				Fact:   "25 is plain SMTP and blocked on most cloud servers; use 465 (implicit TLS) or 587 (STARTTLS)",
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
			{465, Implicit, ""},
			{587, StartTLS, ""},
			{25, Plain, note25},
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
		Corrections: []Correction{
			{
				Claim:  "Foxmail SMTP.foxmail.com (端口:25) (seed 004)",
				Fact:   "the service is QQ Mail's: implicit TLS on 465 or STARTTLS on 587 with the authorization code; 25 is plain and blocked on cloud servers",
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
			{465, Implicit, ""},
			{994, Implicit, noteNetEa2},
			{25, Plain, note25},
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
		Corrections: []Correction{
			{
				Claim:  "the guides disagree: seeds 000-002 give \"465 or 994 for SSL-encrypted email\", seed 004 gives only smtp.163.com (端口:25)",
				Fact:   "all three are right: 465 and 994 are implicit TLS, 25 is plain (and blocked on most cloud servers)",
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
			{465, Implicit, ""},
			{994, Implicit, noteNetEa2},
			{25, Plain, note25},
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
			{465, Implicit, ""},
			{25, Plain, note25},
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
			{465, Implicit, ""},
			{25, Plain, note25},
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
	},
	{
		Key:    "tom",
		Name:   "TOM Mail",
		NameZH: "TOM 邮箱",
		Host:   "smtp.tom.com",
		Ports: []Port{
			{465, Implicit, "seen in public client configs; the TOM help page gives only the host"},
			{25, Plain, note25},
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
			{465, Implicit, ""},
			{25, Plain, note25},
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
		Corrections: []Correction{
			{
				Claim:  "移动139邮箱 SMTP.139.com (端口:25), with the mailbox password (seed 004)",
				Fact:   "implicit TLS on 465 is available, and third-party clients log in with a 16-character authorization code",
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
			{465, Implicit, "seen in public client configs; the seed lists only 25"},
			{25, Plain, note25},
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
	},
	{
		Key:    "aliyun",
		Name:   "Aliyun Mail (personal)",
		NameZH: "阿里云邮箱(个人版)",
		Host:   "smtp.aliyun.com",
		Ports: []Port{
			{465, Implicit, ""},
			{25, Plain, note25},
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
	},
	{
		Key:        "mxhichina",
		Aliases:    []string{"aliyun-enterprise", "qiye"},
		Name:       "Alibaba Mail (enterprise)",
		NameZH:     "阿里企业邮箱",
		Host:       "smtp.qiye.aliyun.com",
		OtherHosts: []string{"smtp.mxhichina.com"},
		Ports: []Port{
			{465, Implicit, ""},
			{80, Plain, "plain, for networks where 25 is blocked"},
			{25, Plain, note25},
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
		Corrections: []Correction{
			{
				Claim:  "SMTP host: smtp.mxhichina.com, port 465 only, password: email password (seeds 000, 001, 002)",
				Fact:   "the documented host is now smtp.qiye.aliyun.com (smtp.mxhichina.com is the older name); ports 25 and 80 plain, 465 implicit TLS; third-party clients are off by default for new purchases and a client security password may be required",
				Source: srcAliMail,
			},
			{
				Claim:  "\"阿里企業郵箱開啟 SMTP 發信功能\": log in to the 郵件推送 (DirectMail) console and set an SMTP password for a sender address (seed 003)",
				Fact:   "those steps are for Aliyun DirectMail (smtpdm.aliyun.com), a separate sending service; they do nothing for an enterprise mailbox",
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
			{465, Implicit, ""},
			{80, StartTLS, "STARTTLS offered; use where 25 is blocked"},
			{25, StartTLS, note25TLS},
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
		Corrections: []Correction{
			{
				Claim:  "the guides give only \"SSL Port: 465\" (seed 000) or telnet to port 25 (seed 003)",
				Fact:   "DirectMail listens on 25, 80 and 465 (implicit TLS), with STARTTLS on 25 and 80; 25 is closed on ECS, so 80 or 465 from Aliyun servers",
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
			{587, StartTLS, "recommended by SendGrid"},
			{465, Implicit, ""},
			{2525, StartTLS, "STARTTLS offered; for networks that block 25 and 587"},
			{25, StartTLS, note25TLS},
		},
		User:       "the literal string apikey",
		UserZH:     "固定字符串 apikey",
		Secret:     APIKey,
		Password:   "an API key with at least Mail Send permission, created in the SendGrid console",
		PasswordZH: "在 SendGrid 控制台创建的 API 密钥(至少需要 Mail Send 权限)",
		Advice: []string{
			"paste the key without line breaks or spaces: a stray newline makes AUTH fail",
		},
		Corrections: []Correction{
			{
				Claim:  "\"Replace USERNAME with your SendGrid account username and PASSWORD with your SendGrid account password\" (seeds 000, 001, 002)",
				Fact:   "the user name is the literal string apikey and the password is an API key; account credentials are not accepted",
				Source: "Twilio SendGrid docs, \"Integrating with the SMTP API\": https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
			},
			{
				Claim:  "\"25 or 587 for unencrypted/TLS email, 465 for SSL-encrypted email\" (seeds 000, 001, 002)",
				Fact:   "25, 587 and 2525 start plain and offer STARTTLS; 465 is implicit TLS",
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
			{465, Implicit, ""},
			{587, StartTLS, ""},
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
		Corrections: []Correction{
			{
				Claim:  "\"Gmail SMTP password: Your Gmail password\" (seeds 000, 001, 002)",
				Fact:   "since 30 May 2022 Google refuses third-party sign-in with only the account password: use an app password (with 2-Step Verification on) or OAuth2 (XOAUTH2)",
				Source: "Google Account Help, \"Sign in with app passwords\": https://support.google.com/accounts/answer/185833; Google's notice quoted in https://github.com/rstudio/blastula/issues/282",
			},
			{
				Claim:  "谷歌邮箱 SMTP smtp.gmail.com (SSL启用端口:587) (seed 004)",
				Fact:   "587 is STARTTLS (plain first); implicit TLS is on 465",
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
			{587, StartTLS, ""},
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
		Corrections: []Correction{
			{
				Claim:  "\"Password: Your Outlook.com password\" (seeds 000, 001, 002)",
				Fact:   "Outlook.com requires Modern Auth (OAuth2) for SMTP; Basic Authentication ended on 16 September 2024",
				Source: srcOutlook + "; " + srcOutlookBA,
			},
			{
				Claim:  "\"SMTP Port 587, SMTP TLS/SSL Encryption Required: Yes\" (seeds 000, 001, 002)",
				Fact:   "587 is STARTTLS: connect in plain text, then upgrade; there is no implicit-TLS port",
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
			{587, StartTLS, ""},
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
		Corrections: []Correction{
			{
				Claim:  "\"Hotmail SMTP Server: smtp.live.com\" (seeds 000, 001, 002, 004)",
				Fact:   "Hotmail is served by Outlook.com: smtp-mail.outlook.com:587 with STARTTLS (Microsoft 365 accounts: smtp.office365.com:587)",
				Source: srcOutlook,
			},
			{
				Claim:  "\"Hotmail SMTP Password: Your Windows Live Hotmail password\" (seeds 000, 001, 002)",
				Fact:   "OAuth2 is required; Basic Authentication for Outlook.com personal accounts ended on 16 September 2024",
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
			{465, Implicit, ""},
			{587, StartTLS, ""},
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
			{587, StartTLS, ""},
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
			{465, Implicit, ""},
			{587, StartTLS, ""},
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
		Corrections: []Correction{
			{
				Claim:  "\"Zoho Mail SMTP port: 465\", \"password: Your Zoho Mail password\" (seeds 000, 001, 002)",
				Fact:   "587 with STARTTLS works as well; with two-factor authentication on, an application-specific password is needed; organisation and non-US accounts use other hosts",
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

// GeneralCorrections are corrections to the guides' troubleshooting
// advice, which is not about one provider.
var GeneralCorrections = []Correction{
	{
		Claim:  "\"telnet smtp.qq.com 465\": if you see 220 smtp.*.com Esmtp Mail Server ... the connection works (seeds 000, 001, 002)",
		Fact:   "465 is implicit TLS: the server says nothing until the TLS handshake, so telnet only shows \"Connected\"/\"Escape character is '^]'\"; no 220 appears. Test with openssl s_client -connect smtp.qq.com:465 -crlf, or smtpsh smtp.qq.com:465 --tls implicit",
		Source: "RFC 8314 section 3.3 (implicit TLS: the TLS handshake starts as soon as the connection opens): https://www.rfc-editor.org/rfc/rfc8314#section-3.3",
	},
}
