package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runProvidersCmd runs "smtpsh providers ARGS" through run, as main
// would, with the locale variables set to lang (empty: unset).
func runProvidersCmd(t *testing.T, lang string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"providers"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// tableLine returns the line of a table that starts with key.
func tableLine(t *testing.T, out, key string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, key+" ") {
			return l
		}
	}
	t.Fatalf("no line for %q in:\n%s", key, out)
	return ""
}

func TestProvidersCmdTableEnglish(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "en_US.UTF-8")
	require.Equal(t, repl.ExitOK, code, errOut)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(providers.All)+1, "a header and one line per provider")
	assert.Regexp(t, `^KEY +NAME +HOST +PORTS +PASSWORD$`, lines[0])

	assert.Regexp(t, `^qq +QQ Mail +smtp\.qq\.com +465/implicit 587/starttls 25/none +authorization code$`, tableLine(t, out, "qq"))
	assert.Regexp(t, `^163 +NetEase 163 Mail +smtp\.163\.com +465/implicit 994/implicit 25/none +authorization code$`, tableLine(t, out, "163"))
	assert.Regexp(t, `^sendgrid +Twilio SendGrid +smtp\.sendgrid\.net +587/starttls .* +API key$`, tableLine(t, out, "sendgrid"))
	assert.Regexp(t, `^gmail +Gmail +smtp\.gmail\.com +465/implicit 587/starttls +app password$`, tableLine(t, out, "gmail"))
	assert.Regexp(t, `^hotmail +.* smtp-mail\.outlook\.com +587/starttls +OAuth2 token$`, tableLine(t, out, "hotmail"))

	// Aligned: every column starts at the same offset on every line.
	hostCol := strings.Index(lines[0], "HOST")
	for _, l := range lines[1:] {
		key := strings.Fields(l)[0]
		p, ok := providers.Lookup(key)
		require.True(t, ok, key)
		assert.Equal(t, hostCol, strings.Index(l, p.Host), "HOST column of %s", key)
		assert.Equal(t, strings.TrimRight(l, " "), l, "trailing blanks on %s", key)
	}
}

func TestProvidersCmdTableChinese(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "zh_CN.UTF-8")
	require.Equal(t, repl.ExitOK, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Regexp(t, `^代号 +名称 +服务器 +端口 +密码类型$`, lines[0])
	assert.Regexp(t, `^qq +QQ 邮箱 +smtp\.qq\.com +465/implicit 587/starttls 25/none +授权码$`, tableLine(t, out, "qq"))
	assert.Regexp(t, `^gmail +Gmail 谷歌邮箱 +smtp\.gmail\.com .* +应用专用密码$`, tableLine(t, out, "gmail"))
	assert.Regexp(t, `^directmail +阿里云邮件推送 +smtpdm\.aliyun\.com .* +SMTP 密码$`, tableLine(t, out, "directmail"))

	// Aligned as a terminal shows it: Chinese characters are two columns wide.
	hostCol := displayWidth(lines[0][:strings.Index(lines[0], "服务器")])
	for _, l := range lines[1:] {
		p, ok := providers.Lookup(strings.Fields(l)[0])
		require.True(t, ok)
		assert.Equal(t, hostCol, displayWidth(l[:strings.Index(l, p.Host)]), "HOST column of %s", p.Key)
	}
}

func TestProvidersCmdLangFlagOverridesEnv(t *testing.T) {
	code, out, _ := runProvidersCmd(t, "zh_CN.UTF-8", "--lang", "en")
	require.Equal(t, repl.ExitOK, code)
	assert.Contains(t, tableLine(t, out, "qq"), "QQ Mail")

	code, out, _ = runProvidersCmd(t, "C", "--lang=zh")
	require.Equal(t, repl.ExitOK, code)
	assert.Contains(t, tableLine(t, out, "qq"), "QQ 邮箱")
}

// The default language (of providers, and of every command: pickLang).
func TestProvidersCmdLangFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, "zh-Hans"},
		{map[string]string{"LANG": "zh_TW"}, "zh-Hant"},
		{map[string]string{"LANG": "zh_HK.UTF-8"}, "zh-Hant"},
		{map[string]string{"LANG": "ZH_cn"}, "zh-Hans"},
		{map[string]string{"LANG": "en_US.UTF-8"}, "en"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-Hans"},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"},
		{map[string]string{"LANG": "en_US", "LC_MESSAGES": "zh_CN"}, "zh-Hans"},
		{map[string]string{"LC_MESSAGES": "en_GB", "LANG": "zh_CN"}, "en"},
	}
	for _, tt := range tests {
		got, err := pickLang("", func(k string) string { return tt.env[k] })
		assert.NoError(t, err)
		assert.Equal(t, tt.want, got.String(), "%v", tt.env)
	}
}

func TestProvidersCmdDetailEnglish(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "", "qq")
	require.Equal(t, repl.ExitOK, code, errOut)
	assert.Empty(t, errOut)
	assert.True(t, strings.HasPrefix(out, "qq  QQ Mail (QQ 邮箱)\n"), out)
	assert.Regexp(t, `(?m)^  host +smtp\.qq\.com$`, out)
	assert.Regexp(t, `(?m)^  ports +465 +implicit TLS +recommended$`, out)
	assert.Regexp(t, `(?m)^ +587 +STARTTLS +STARTTLS, not SSL`, out)
	assert.Regexp(t, `(?m)^ +25 +plain +plain; outbound port 25 is blocked`, out)
	assert.Regexp(t, `(?m)^  password +authorization code — .*not the QQ password$`, out)
	assert.Regexp(t, `(?m)^  connect +smtpsh smtp\.qq\.com:465 --tls implicit$`, out)
	assert.Contains(t, out, "\nadvice:\n")
	assert.Contains(t, out, "\ncorrections (where the guides are out of date):\n")
	assert.Regexp(t, `(?m)^  - guide says: +"SMTP port: 465 or 587 for SSL-encrypted email"`, out)
	assert.Regexp(t, `(?m)^    source: +QQ Mail help: https://service\.mail\.qq\.com/`, out)
	assert.Contains(t, out, "(about all providers) \"telnet smtp.qq.com 465\"")
	assert.Contains(t, out, "\nif it still fails:\n  - port 25 is blocked on most cloud servers")
}

func TestProvidersCmdDetailChinese(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "zh_CN.UTF-8", "163")
	require.Equal(t, repl.ExitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "163  网易 163 邮箱 (NetEase 163 Mail)\n"), out)
	assert.Regexp(t, `(?m)^  服务器 +smtp\.163\.com$`, out)
	assert.Regexp(t, `(?m)^  端口 +465 +隐式 TLS\(SSL\) +推荐$`, out)
	assert.Regexp(t, `(?m)^ +994 +隐式 TLS\(SSL\) +网易的第二个隐式 TLS 端口`, out)
	assert.Regexp(t, `(?m)^ +25 +明文 `, out)
	assert.Regexp(t, `(?m)^  用户名 +完整的 @163\.com 邮箱地址$`, out)
	assert.Regexp(t, `(?m)^  密码 +授权码 — 客户端授权码`, out)
	assert.Contains(t, out, "\n更正(指南中过时或有误之处):\n  - 指南说:")
	assert.Contains(t, out, "\n建议:\n  - 免费账户同时可有的授权码数量有限")
	assert.Regexp(t, `(?m)^    实际: +三者都对:465 和 994 是隐式 TLS`, out)
	assert.Contains(t, out, "\n仍然发不出去时:\n  - 多数云服务器封禁 25 端口")
	assert.NotContains(t, out, "authorization code —", "the English password note stays out")
}

// zh-Hant shows the same Chinese texts in Traditional characters, all of
// them: notes, advice, facts and the troubleshooting list.
func TestProvidersCmdDetailTraditional(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "zh_TW.UTF-8", "directmail")
	require.Equal(t, repl.ExitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "directmail  阿里雲郵件推送 (Aliyun DirectMail)\n"), out)
	assert.Regexp(t, `(?m)^ +80 +STARTTLS +提供 STARTTLS;在 25 被封禁時使用$`, out)
	assert.Contains(t, out, "  - 先在控制臺添加並驗證發信域名(DNS 記錄),再創建發信地址\n")
	assert.Regexp(t, `(?m)^    實際: +郵件推送監聽 25、80 和 465\(隱式 TLS\)`, out)
	assert.Contains(t, out, "  - 檢查雲服務器安全組的出方向規則是否放行 SMTP 端口(465、587)\n")
}

func TestProvidersCmdDetailByAliasAndCase(t *testing.T) {
	for _, name := range []string{"aliyun-enterprise", "QIYE", "mxhichina"} {
		code, out, _ := runProvidersCmd(t, "", name)
		require.Equal(t, repl.ExitOK, code, name)
		assert.True(t, strings.HasPrefix(out, "mxhichina  Alibaba Mail (enterprise)"), name)
		assert.Regexp(t, `(?m)^  aliases +aliyun-enterprise, qiye$`, out)
		assert.Regexp(t, `(?m)^  also known as +smtp\.mxhichina\.com$`, out)
	}
	// Flags after the name work too.
	code, out, _ := runProvidersCmd(t, "", "dm", "--lang", "zh")
	require.Equal(t, repl.ExitOK, code)
	assert.Regexp(t, `(?m)^  用户名 +在邮件推送控制台创建的发信地址`, out)
}

func TestProvidersCmdEveryProviderHasADetailView(t *testing.T) {
	for _, key := range providers.Keys() {
		for _, lang := range []string{"en", "zh"} {
			code, out, errOut := runProvidersCmd(t, "", "--lang", lang, key)
			require.Equal(t, repl.ExitOK, code, "%s %s: %s", key, lang, errOut)
			assert.True(t, strings.HasPrefix(out, key+"  "), "%s %s", key, lang)
			p, _ := providers.Lookup(key)
			for _, c := range p.Corrections {
				assert.Contains(t, out, c.Source, "%s %s: a correction's source is missing", key, lang)
			}
			if lang == "zh" {
				// Only the guides' claims and the sources stay in
				// English; what smtpsh says is in Chinese.
				english := append([]string{}, p.Advice...)
				english = append(english, providers.Troubleshooting...)
				for _, c := range p.Corrections {
					english = append(english, c.Fact)
				}
				for _, pt := range p.Ports {
					if pt.Note != "" {
						english = append(english, pt.Note)
					}
				}
				for _, e := range english {
					assert.NotContains(t, out, e, "%s zh: an English text", key)
				}
			}
		}
	}
}

func TestProvidersCmdJSONList(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "zh_CN.UTF-8", "--json")
	require.Equal(t, repl.ExitOK, code, errOut)
	var got []providers.Provider
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, providers.All, got, "the JSON parses back to the table")

	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	require.NotEmpty(t, raw)
	assert.Equal(t, "qq", raw[0]["key"])
	assert.Equal(t, "smtp.qq.com", raw[0]["host"])
	assert.Equal(t, "authcode", raw[0]["secret"])
	ports := raw[0]["ports"].([]any)
	assert.Equal(t, map[string]any{"number": 465.0, "tls": "implicit"}, ports[0])
	assert.Contains(t, out, "faq.do?m=OTUw&id=MjQ5Nw==", "URLs are not HTML-escaped (no \\u0026)")
}

func TestProvidersCmdJSONOne(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "", "sendgrid", "--json")
	require.Equal(t, repl.ExitOK, code, errOut)
	var got providers.Provider
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	want, _ := providers.Lookup("sendgrid")
	assert.Equal(t, *want, got)
	assert.Equal(t, providers.APIKey, got.Secret)
}

func TestProvidersCmdUnknownName(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "", "hotmale")
	assert.Equal(t, repl.ExitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `unknown provider "hotmale"`)
	assert.Contains(t, errOut, "known: "+strings.Join(providers.Keys(), ", "))
}

func TestProvidersCmdBadUsage(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--lang", "fr"}, `--lang: language "fr": not in the catalog`},
		{[]string{"qq", "163"}, "usage:"},
		{[]string{"--nosuch"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runProvidersCmd(t, "", tt.args...)
			assert.Equal(t, repl.ExitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}

func TestProvidersCmdHelp(t *testing.T) {
	code, out, errOut := runProvidersCmd(t, "", "-h")
	assert.Equal(t, repl.ExitOK, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "smtpsh providers [--lang en|zh|zh-Hant] [--json] NAME")
	assert.Contains(t, errOut, "-json")
}

func TestProviderDisplayWidth(t *testing.T) {
	assert.Equal(t, 3, displayWidth("abc"))
	assert.Equal(t, 4, displayWidth("邮箱"))
	assert.Equal(t, 7, displayWidth("QQ 邮箱"))
	assert.Equal(t, 2, displayWidth("\uff08"), "fullwidth parenthesis")
	assert.Equal(t, 1, displayWidth("—"))
}
