package explain

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

// Every message has its three texts, with the same placeholders.
func TestCatalogThreeLanguagesSamePlaceholders(t *testing.T) {
	for _, id := range IDs() {
		tm, _ := Templates(id)
		for l, text := range tm {
			assert.NotEmpty(t, text, "%s has no %s text", id, Lang(l))
		}
		want := placeholders(tm[En])
		slices.Sort(want)
		for _, l := range []Lang{ZhHans, ZhHant} {
			got := placeholders(tm[l])
			slices.Sort(got)
			assert.Equal(t, want, got, "%s: the placeholders of %s differ from English", id, l)
		}
	}
}

// The Traditional texts hold no character that only Simplified Chinese
// writes (a sample of the commonest in this catalog).
func TestCatalogTraditionalIsTraditional(t *testing.T) {
	for _, id := range IDs() {
		tm, _ := Templates(id)
		for _, r := range "务码认证邮发设户须请应为这钥络选择" {
			assert.NotContains(t, tm[ZhHant], string(r), "%s: %q is Simplified", id, r)
		}
	}
}

func TestTextFillsArgumentsPerLanguage(t *testing.T) {
	m := M("hint.user", "user", "you@qq.com").With("provider", "QQ Mail", "QQ 邮箱")
	assert.Equal(t, "QQ Mail: the user name is you@qq.com", m.Text(En))
	assert.Equal(t, "QQ 邮箱:用户名是you@qq.com", m.Text(ZhHans))
	assert.Equal(t, "!no.such.id", M("no.such.id").Text(En))
	sub := M("rep.syntax_noargs").WithMsg("cmd", M("class.2"))
	assert.Equal(t, "positive completion takes no arguments (RFC 5321 §4.1.1).", sub.Text(En))
	assert.Equal(t, "肯定完成 不带参数(RFC 5321 §4.1.1)。", sub.Text(ZhHans))
}

// Every reply code a server may send (the first digit 2 to 5, the second
// 0 to 5) is explained in each language, with a word on what to do.
func TestEveryReplyCodeExplained(t *testing.T) {
	for code := 200; code < 600; code++ {
		if code/10%10 > 5 {
			continue
		}
		ms, err := Code(strconv.Itoa(code))
		if !assert.NoError(t, err, code) {
			continue
		}
		assert.GreaterOrEqual(t, len(ms), 3, code)
		for _, l := range Langs {
			for _, m := range ms {
				text := m.Text(l)
				assert.NotContains(t, text, "!", "%d in %s: %s", code, l, m.ID)
				assert.NotContains(t, text, "{", "%d in %s: %s", code, l, m.ID)
			}
		}
	}
}

// rfc3463 lists the subject and detail codes of RFC 3463 §3.1-3.8 and
// those the IANA registry (RFC 5248) added since.
var rfc3463 = []string{
	"0.0",
	"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10",
	"2.0", "2.1", "2.2", "2.3", "2.4",
	"3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
	"4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7",
	"5.0", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6",
	"6.0", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10",
	"7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9", "7.10",
	"7.11", "7.12", "7.13", "7.14", "7.15", "7.16", "7.17", "7.18", "7.19", "7.20",
	"7.21", "7.22", "7.23", "7.24", "7.25", "7.26", "7.27", "7.28", "7.29", "7.30",
}

func TestEveryEnhancedCodeExplained(t *testing.T) {
	for _, sd := range rfc3463 {
		for _, class := range []string{"2", "4", "5"} {
			e, ok := smtpwire.ParseEnhancedCode(class + "." + sd)
			if !assert.True(t, ok, sd) {
				continue
			}
			assert.True(t, enhancedKnown(e), "%s has no text", e)
			for _, l := range Langs {
				text := EnhancedMeaning(e).Text(l)
				assert.True(t, strings.HasPrefix(text, e.String()), text)
				assert.Contains(t, text, M(enhancedID(e)).Text(l))
			}
		}
	}
	assert.Equal(t, "5.7.8: Permanent failure: resending unchanged will fail again; Authentication credentials invalid",
		EnhancedMeaning(smtpwire.EnhancedCode{Class: 5, Subject: 7, Detail: 8}).Text(En))
	assert.Equal(t, "5.7.8:永久失败:原样重发仍会失败;认证凭据无效",
		EnhancedMeaning(smtpwire.EnhancedCode{Class: 5, Subject: 7, Detail: 8}).Text(ZhHans))
}

// Every extension the client knows (smtpwire's typed accessors) and every
// one the catalog names has its own explanation, in both forms.
func TestEveryKnownExtensionExplained(t *testing.T) {
	client := []string{"SIZE", "AUTH", "STARTTLS", "PIPELINING", "8BITMIME", "SMTPUTF8", "DSN", "CHUNKING", "ENHANCEDSTATUSCODES"}
	for _, kw := range append(client, KnownKeywords()...) {
		m := Extension(kw, "PLAIN")
		assert.NotEqual(t, "kw.unknown", m.ID, kw)
		assert.NotEqual(t, "kw.vendor", m.ID, kw)
		for _, l := range Langs {
			assert.True(t, strings.HasPrefix(m.Text(l), kw), "%s in %s: %s", kw, l, m.Text(l))
		}
	}
	for _, kw := range client {
		assert.NotEqual(t, "ext.other", ExtensionLine(kw+" 1").ID, kw)
	}
	assert.Equal(t, "SIZE: messages up to 34.2 MiB (35882577 bytes, RFC 1870); base64 makes attachments ~37% bigger",
		Extension("size", "35882577").Text(En))
	assert.Equal(t, "AUTH:可用 PLAIN LOGIN XALIOAUTH 方式登录(RFC 4954);厂商私有:XALIOAUTH",
		Extension("AUTH", "PLAIN LOGIN XALIOAUTH").Text(ZhHans))
}

func TestSizeText(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1023, "1023 bytes"},
		{1024, "1 KiB"},
		{35882577, "34.2 MiB"},
		{52428800, "50 MiB"},
		{1 << 31, "2 GiB"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SizeText(tt.n), "SizeText(%d)", tt.n)
	}
}

// Every part of the catalog (a func named ...Catalog) is in it, and no ID
// is defined in two parts.
func TestCatalogHasEveryPart(t *testing.T) {
	src, err := os.ReadFile("catalog.go")
	require.NoError(t, err)
	files, err := filepath.Glob("cat_*.go")
	require.NoError(t, err)
	parts := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`(?m)^func (\w+Catalog)\(\)`).FindAllSubmatch(b, -1) {
			parts++
			assert.Contains(t, string(src), string(m[1])+"()", "%s: %s is not in the catalog", f, m[1])
		}
	}
	assert.GreaterOrEqual(t, parts, 10)
	n := 0
	for _, part := range []map[string][3]string{
		reportCatalog(), extCatalog(), problemCatalog(), adviceCatalog(),
		codeCatalog(), enhancedCatalog(), replyAdviceCatalog(), extensionCatalog(),
		commandCatalog(), warnCatalog(), uiCatalog(), sessionCatalog(), providersCatalog(), mxCatalog(),
		shellCatalog(), shellNotesCatalog(), sendCatalog(), saslCatalog(), proxyCatalog(),
	} {
		n += len(part)
	}
	assert.Equal(t, n, len(IDs()), "an ID is defined in two parts")
}

// providerTextsZH is every Chinese text of the provider presets that is
// shown through Hant (the guides' claims are quoted as written).
func providerTextsZH() []string {
	texts := append([]string{}, providers.TroubleshootingZH...)
	for _, c := range providers.GeneralCorrections {
		texts = append(texts, c.FactZH)
	}
	for _, p := range providers.All {
		texts = append(texts, p.NameZH, p.UserZH, p.PasswordZH, p.Secret.Label(true))
		texts = append(texts, p.AdviceZH...)
		for _, pt := range p.Ports {
			texts = append(texts, pt.NoteZH)
		}
		for _, c := range p.Corrections {
			texts = append(texts, c.FactZH)
		}
	}
	return texts
}

// hantSame is every Han character of the provider presets' Chinese texts
// that Traditional Chinese writes the same (OpenCC s2tw, one character at
// a time), plus 里 (see hantPairs).
const hantSame = "一三上下不且中串之也了事二些人什他付代令以件份企位住作你使供信停允先免入全公其再出列到制前加助包升南卡即原取受口另只可各同名向否含告和商器固在地址坡域基增外多天失如始字它安完定客密封少就州工己已常平年建式微德心必性成或所手才找抄把拒持指授接控推提握搜支改放整文新方日明易是更月有服期未本杭查校格次歌步每求浪添版牌狐理生用由登的直相看示禁移空站端符第等管箱粘缺置美群者而能自至致若虎行表被要谷起身送通那都配里重量阿限除雅需面黑默"

// Hant knows every Han character of the provider presets' Chinese texts:
// each is either converted (hantPairs) or known to be the same in both
// scripts (hantSame). A new text with a character in neither fails here
// until it is sorted: echo CHAR | opencc -c s2tw.json.
func TestHantCoversProviderTexts(t *testing.T) {
	simplified := map[rune]bool{}
	pairs := []rune(hantPairs)
	for i := 0; i+1 < len(pairs); i += 2 {
		simplified[pairs[i]] = true
	}
	same := map[rune]bool{}
	for _, r := range hantSame {
		same[r] = true
		assert.False(t, simplified[r], "%c is in hantPairs and in hantSame", r)
	}
	unknown := map[rune]bool{}
	for _, s := range providerTextsZH() {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) && !simplified[r] && !same[r] {
				unknown[r] = true
			}
		}
		h := Hant(s)
		for _, r := range h {
			assert.False(t, simplified[r], "%q still has %c in Traditional", h, r)
		}
	}
	var list []string
	for r := range unknown {
		list = append(list, string(r))
	}
	slices.Sort(list)
	assert.Empty(t, list, "characters of the provider texts that Hant does not know")
	assert.Equal(t, "阿里雲郵件推送", Hant("阿里云邮件推送"))
}

// No ID is in two parts of the catalog: lookup takes the first part that
// has it, so a second entry would never be shown.
func TestCatalogPartsDisjoint(t *testing.T) {
	where := map[string]int{}
	total := 0
	for i, part := range catalogParts() {
		for id := range part {
			if j, ok := where[id]; ok {
				t.Errorf("%q is in parts %d and %d of the catalog", id, j, i)
			}
			where[id] = i
			total++
		}
	}
	assert.Len(t, IDs(), total)
	assert.Greater(t, total, 500, "the catalog looks empty")
}
