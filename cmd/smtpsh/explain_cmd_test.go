package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// smtpsh explain answers as /explain does, without the "# ".
func TestExplainCmdSameAsShell(t *testing.T) {
	for _, in := range []string{"535 5.7.8", "5.1.1", "421", "501 mail from address must be same as authorization user"} {
		want, err := repl.ExplainCode(in)
		require.NoError(t, err)
		code, out, stderr := runCmd(t, "", append([]string{"explain", "--lang", "en"}, strings.Fields(in)...)...)
		assert.Equal(t, repl.ExitOK, code, in)
		assert.Empty(t, stderr)
		assert.Equal(t, strings.Join(want, "\n")+"\n", out, in)
	}
}

func TestExplainCmdLanguages(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_TW.UTF-8")
	_, out, _ := runCmd(t, "", "explain", "535")
	assert.True(t, strings.HasPrefix(out, "535:認證憑據無效"), out)
	_, out, _ = runCmd(t, "", "explain", "--lang", "zh", "535")
	assert.True(t, strings.HasPrefix(out, "535:认证凭据无效"), out)
	_, out, _ = runCmd(t, "", "explain", "535", "--lang", "en")
	assert.True(t, strings.HasPrefix(out, "535: Authentication credentials invalid"), out)

	code, _, stderr := runCmd(t, "", "explain", "--lang", "fr", "535")
	assert.Equal(t, repl.ExitUsage, code)
	assert.Contains(t, stderr, "--lang")
	code, out, stderr = runCmd(t, "", "explain", "5.9")
	assert.Equal(t, repl.ExitUsage, code)
	assert.Empty(t, out)
	assert.Equal(t, "smtpsh explain: \"5.9\" 既不是 535 這樣的應答碼,也不是 5.7.8 這樣的增強狀態碼\n", stderr)
	code, _, _ = runCmd(t, "", "explain")
	assert.Equal(t, repl.ExitUsage, code)
}

func TestExplainCmdJSON(t *testing.T) {
	code, out, _ := runCmd(t, "", "explain", "--json", "--lang", "zh", "553 Mail from must equal authorized user")
	assert.Equal(t, repl.ExitOK, code)
	var got explainJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "zh-Hans", got.Lang)
	assert.Equal(t, []string{"sender_mismatch"}, got.Kinds)
	ids := []string{}
	for _, m := range got.Messages {
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{"code.named", "rep.sender_mismatch", "text.kinds"}, ids)
	assert.Equal(t, "553:邮箱名不被允许(RFC 5321 §4.2.3)", got.Messages[0].Text)
}

// A Chinese user sees send's explanations in their script; the wire and
// the recording do not change.
func TestSendWrongPasswordInTraditionalChinese(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", "my-qq-login-password")
	srv := mailServer(t, nil)
	rec := filepath.Join(t.TempDir(), "rec.txt")
	code, _, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--from", sendUser, "--to", "li@example.cn", "--body", "x", "--quiet", "--record", rec,
		"--lang", "zh-Hant")
	assert.Equal(t, repl.ExitAuth, code)
	assert.Contains(t, stderr, "# 535:認證憑據無效")
	assert.Contains(t, stderr, "授權碼")
	assert.NotContains(t, stderr, "/b64", "no advice about the shell's commands")
	recorded, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Contains(t, string(recorded), "C: AUTH PLAIN [redacted]\nS: 535 5.7.8")
}

// The built-in server's log speaks the language asked for.
func TestServeLogLanguages(t *testing.T) {
	m := smtptest.Message{ID: "7", From: "a@example.com", To: []string{"b@example.com", "c@example.com"},
		Data: []byte("Subject: x\r\n\r\nhi\r\n"), TLS: true, AuthUser: "a@example.com"}
	assert.Equal(t, "# message 7 received: from <a@example.com> to <b@example.com>, <c@example.com>, 18 bytes, over TLS, authenticated as a@example.com\n",
		describeMessage(m, false, explain.En))
	assert.Equal(t, "# 收到邮件 7:发件人 <a@example.com>,收件人 <b@example.com>, <c@example.com>,18 字节,经 TLS 加密,登录用户 a@example.com\n",
		describeMessage(m, false, explain.ZhHans))
	assert.Contains(t, describeMessage(m, true, explain.ZhHant), "# 收到郵件 7")
	assert.Contains(t, describeMessage(m, true, explain.ZhHant), "#   Subject: x\n")
}

// providers takes zh-Hant: the labels are Traditional (the provider data
// itself has English and Simplified Chinese only).
func TestProvidersTraditionalLabels(t *testing.T) {
	code, out, _ := runCmd(t, "", "providers", "qq", "--lang", "zh-Hant")
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, out, "  服務器    smtp.qq.com\n")
	assert.Contains(t, out, "465  隱式 TLS(SSL)  推薦")
}

// mx speaks the language asked for; hosts and addresses stay as they are.
func TestMXNotesLanguages(t *testing.T) {
	rep := &mxReport{Domain: "example.com", Resolver: "127.0.0.1:53", Implicit: true,
		MX: []mxHost{{Host: "example.com.", AddrError: "no A or AAAA record"}}}
	var b strings.Builder
	printMX(&b, rep, 0, explain.ZhHans)
	assert.Equal(t, "# example.com 的 MX 记录(DNS 服务器 127.0.0.1:53,用时 <1ms)\n"+
		"# 没有 MX 记录:邮件投递到该域名自身的地址(隐式 MX,RFC 5321 §5.1)\n"+
		"0  example.com.  (没有地址:no A or AAAA record)\n"+
		"# 没有一个 MX 主机有地址:发往该域名的邮件无法投递\n", b.String())
	b.Reset()
	printMX(&b, rep, 0, explain.En)
	assert.Contains(t, b.String(), "# no MX records: mail goes to the domain's own address (implicit MX, RFC 5321 §5.1)\n")
}
