package explain

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Replies that providers really send, and what they are.
func TestClassifyProviderTexts(t *testing.T) {
	for text, want := range map[string]Kind{
		"501 mail from address must be same as authorization user":                                          SenderMismatch,
		"553 Mail from must equal authorized user":                                                          SenderMismatch,
		"553 5.7.1 <a@b.c>: Sender address rejected: not owned by user d@e.f":                               SenderMismatch,
		"550 5.7.60 SMTP; Client does not have permissions to send as this sender SendAsDenied":             SenderMismatch,
		"554 DT:SPM 163 smtp10,DsCowAB3fKgJ spam":                                                           Spam163,
		"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox":     BasicAuthDisabled,
		"534 5.7.9 Application-specific password required":                                                  AppPassword,
		"503 need EHLO and AUTH first !":                                                                    NeedsAuth,
		"450 4.2.0 <a@b.c>: Recipient address rejected: Greylisted, see https://postgrey":                   Greylisted,
		"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org":             Blocklisted,
		"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table": UnknownUser,
		"554 5.7.1 <x@example.org>: Relay access denied":                                                    Relay,
		"530 5.7.0 Must issue a STARTTLS command first":                                                     NeedsTLS,
		"452 4.5.3 Error: too many recipients":                                                              TooManyRecipients,
		"552 5.2.2 Mailbox full: quota exceeded":                                                            MailboxFull,
		"Data Ok: queued as freedom ###envid=148316944":                                                     Queued,
	} {
		assert.True(t, Classify(text).Has(want), "%q is %v, want %v", text, Classify(text).Names(), want.Names())
	}
	assert.Equal(t, Kind(0), Classify("250 2.1.0 Ok"))
}

// Every server line of the provider guides is understood: its code, its
// extension, its AUTH prompt, or (for the line without a code) its text.
func TestSeedRepliesExplained(t *testing.T) {
	f, err := os.Open("testdata/seed-replies.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		r, err := smtpwire.ParseReply([]string{strings.Replace(line, "-", " ", 1)})
		if err != nil {
			assert.NotEqual(t, Kind(0), Classify(line), "%q: no code and not classified", line)
			ms, err := Input(line)
			assert.NoError(t, err)
			assert.NotEqual(t, "text.unclassified", ms[0].ID, line)
			continue
		}
		if r.Code == 250 && strings.Contains(line, "-") && line != "250-smtp.aliyun-inc.com" || line == "250 DSN" {
			kw, params, _ := strings.Cut(r.Message(), " ")
			assert.NotContains(t, []string{"kw.unknown", "kw.vendor"}, Extension(kw, params).ID, line)
			continue
		}
		if r.Code == 334 {
			assert.Contains(t, []string{"step.username", "step.password"}, AuthStep(r)[0].ID, line)
			continue
		}
		ms := Reply("", r)
		assert.Equal(t, "code.named", ms[0].ID, line)
		assert.GreaterOrEqual(t, len(ms), 2, line)
	}
	assert.Equal(t, 15, n)
}

func TestInputExplainsCodesAndTexts(t *testing.T) {
	ms, err := Input("535 5.7.8")
	assert.NoError(t, err)
	assert.Equal(t, "535: Authentication credentials invalid (RFC 4954 §6)", ms[0].Text(En))

	ms, err = Input("501 mail from address must be same as authorization user")
	assert.NoError(t, err)
	assert.Equal(t, []string{"code.named", "rep.sender_mismatch", "text.kinds"}, msgIDs(ms))
	assert.Equal(t, "应答文字表明:发件人不是你登录的账户。", ms[2].Text(ZhHans))

	ms, err = Input("mail from address must be same as authorization user")
	assert.NoError(t, err)
	assert.Equal(t, []string{"text.kinds", "rep.sender_mismatch"}, msgIDs(ms))

	ms, err = Input("rcpt")
	assert.NoError(t, err)
	assert.Equal(t, []string{"cmd.RCPT.summary", "cmd.RCPT.detail"}, msgIDs(ms))
	ms, err = Input("SIZE 35882577")
	assert.NoError(t, err)
	assert.Equal(t, "SIZE:邮件最大 34.2 MiB(35882577 字节,RFC 1870);base64 编码会让附件大约增大 37%", ms[0].Text(ZhHans))
	ms, err = Input("XALIOAUTH")
	assert.NoError(t, err)
	assert.Equal(t, []string{"kw.XALIOAUTH"}, msgIDs(ms))
	ms, err = Input("Relay access denied")
	assert.NoError(t, err)
	assert.Equal(t, []string{"text.kinds", "rep.relay_denied"}, msgIDs(ms))

	// Without its command, a 550 or 554 is not taken for the greeting's,
	// which means the client's IP address is refused: the advice follows
	// what the reply says.
	ms, err = Code("550 5.1.1")
	assert.NoError(t, err)
	assert.Equal(t, "rep.unknown_rcpt", ms[len(ms)-1].ID)
	ms, err = Code("550")
	assert.NoError(t, err)
	assert.NotContains(t, msgIDs(ms), "rep.ip_blocked")
	ms, err = Code("554")
	assert.NoError(t, err)
	assert.NotContains(t, msgIDs(ms), "rep.no_service")
	ms, err = Input("550 5.1.1 <x@example.com>: Recipient address rejected: User unknown")
	assert.NoError(t, err)
	assert.Equal(t, []string{"code.named", "enh.named", "rep.unknown_rcpt", "text.kinds"}, msgIDs(ms))
	ms, err = Input("554 5.7.1 <x@example.org>: Relay access denied")
	assert.NoError(t, err)
	assert.Contains(t, msgIDs(ms), "rep.relay_denied")
	ms, err = Input("550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org")
	assert.NoError(t, err)
	assert.Contains(t, msgIDs(ms), "rep.ip_blocked")

	_, err = Input("5.9")
	assert.EqualError(t, err, `"5.9" is neither a reply code like 535 nor an enhanced status code like 5.7.8`)
	_, err = Input(" ")
	assert.Error(t, err)
}

func msgIDs(ms []Msg) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// What a server sent cannot drive the terminal through an explanation.
func TestServerTextEscaped(t *testing.T) {
	assert.Equal(t, `X-EVIL\x1b[2J: vendor-specific: private keywords start with X and are in no RFC (RFC 5321 §4.1.5)`,
		Extension("x-evil\x1b[2J", "").Text(En))
	assert.Equal(t, `LIMITS: the server's limits (RFC 9422): RCPTMAX=10\x07`, Extension("LIMITS", "RCPTMAX=10\a").Text(En))
	assert.Equal(t, `FOO \x1b]0;x\x07: an extension smtpsh does not explain`, ExtensionLine("FOO \x1b]0;x\a").Text(En))
	assert.Equal(t, `a\xffb`, printable("a\xffb"))
	assert.Equal(t, "ok 好", printable("ok 好"))
	r, err := smtpwire.ParseReply([]string{"334 eyJzdGF0dXMiOiJcdTAwMWIifRs="})
	require.NoError(t, err)
	assert.NotContains(t, AuthStep(r)[0].Text(En), "\x1b")
}
