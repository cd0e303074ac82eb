package providers

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantKeys is the command-line vocabulary other code and users rely on.
var wantKeys = []string{
	"qq", "foxmail", "163", "126", "sina", "sohu", "tom", "139", "china",
	"aliyun", "mxhichina", "directmail", "sendgrid", "gmail", "outlook",
	"hotmail", "yahoo", "icloud", "zoho",
}

func TestProviderKeys(t *testing.T) {
	assert.Equal(t, wantKeys, Keys())
}

func TestProviderDataSanity(t *testing.T) {
	names := map[string]string{} // key or alias -> owning key
	hosts := map[string]string{} // other host -> owning key
	for i := range All {
		p := &All[i]
		t.Run(p.Key, func(t *testing.T) {
			assert.NotEmpty(t, p.Key)
			assert.Equal(t, strings.ToLower(p.Key), p.Key, "key must be lower-case")
			assert.NotContains(t, p.Key, ":", "a key with a colon could not be told from HOST:PORT")
			for _, n := range append([]string{p.Key}, p.Aliases...) {
				assert.Equal(t, strings.ToLower(n), n, "name %q must be lower-case", n)
				assert.Equal(t, strings.TrimSpace(n), n)
				if owner, dup := names[n]; dup {
					t.Errorf("name %q of %s is already used by %s", n, p.Key, owner)
				}
				names[n] = p.Key
			}
			assert.NotEmpty(t, p.Name)
			assert.NotEmpty(t, p.NameZH)
			assert.NotEmpty(t, p.Host)
			assert.Equal(t, strings.ToLower(p.Host), p.Host)
			assert.Contains(t, p.Host, ".")
			for _, h := range p.OtherHosts {
				assert.Equal(t, strings.ToLower(h), h)
				assert.NotEqual(t, p.Host, h, "other host repeats the host")
				if owner, dup := hosts[h]; dup {
					t.Errorf("other host %q of %s is already listed by %s", h, p.Key, owner)
				}
				hosts[h] = p.Key
			}
			require.NotEmpty(t, p.Ports, "at least one port")
			seen := map[int]bool{}
			for _, pt := range p.Ports {
				assert.True(t, pt.Number > 0 && pt.Number < 65536, "port %d out of range", pt.Number)
				assert.True(t, ValidTLS(pt.TLS), "port %d: TLS mode %q", pt.Number, pt.TLS)
				assert.False(t, seen[pt.Number], "port %d listed twice", pt.Number)
				assert.Equal(t, pt.Note == "", pt.NoteZH == "", "port %d: a note in one language only", pt.Number)
				assertChinese(t, pt.NoteZH)
				seen[pt.Number] = true
			}
			assert.NotEqual(t, Plain, p.DefaultPort().TLS, "the recommended port must not send the password in clear")
			for _, d := range p.Domains {
				assert.Equal(t, strings.ToLower(d), d, "domain %q must be lower-case", d)
				assert.NotContains(t, d, "@")
			}
			assert.NotEmpty(t, p.User)
			assert.NotEmpty(t, p.UserZH)
			assert.True(t, p.Secret.Valid(), "secret kind %q", p.Secret)
			assert.NotEmpty(t, p.Password)
			assert.NotEmpty(t, p.PasswordZH)
			require.Len(t, p.AdviceZH, len(p.Advice), "the Chinese advice goes line for line with the English")
			for _, a := range p.AdviceZH {
				assertChinese(t, a)
			}
			for _, c := range p.Corrections {
				assert.NotEmpty(t, c.Claim)
				assert.NotEmpty(t, c.Fact)
				assert.NotEmpty(t, c.Source, "correction %q has no source", c.Claim)
				assert.NotEmpty(t, c.FactZH, "correction %q has no Chinese fact", c.Claim)
				assertChinese(t, c.FactZH)
			}
		})
	}
	// Aliases are checked against keys above (one namespace); domains must
	// point at one provider only, or ForAddress would depend on order.
	domains := map[string]string{}
	for _, p := range All {
		for _, d := range p.Domains {
			if owner, dup := domains[d]; dup {
				t.Errorf("domain %q is served by both %s and %s", d, owner, p.Key)
			}
			domains[d] = p.Key
		}
	}
	for _, c := range GeneralCorrections {
		assert.NotEmpty(t, c.Source, "general correction %q has no source", c.Claim)
	}
	assert.NotEmpty(t, Troubleshooting)
}

// TestProviderFacts pins the facts the corrections are about, so an edit
// that brings back a guide's mistake fails.
func TestProviderFacts(t *testing.T) {
	tests := []struct {
		key, host string
		ports     string // number/tls, space-separated, in order
		secret    Secret
	}{
		{"qq", "smtp.qq.com", "465/implicit 587/starttls 25/none", AuthCode},
		{"163", "smtp.163.com", "465/implicit 994/implicit 25/none", AuthCode},
		{"126", "smtp.126.com", "465/implicit 994/implicit 25/none", AuthCode},
		{"sina", "smtp.sina.com", "465/implicit 25/none", AuthCode},
		{"mxhichina", "smtp.qiye.aliyun.com", "465/implicit 80/none 25/none", AccountPassword},
		{"directmail", "smtpdm.aliyun.com", "465/implicit 80/starttls 25/starttls", SMTPPassword},
		{"sendgrid", "smtp.sendgrid.net", "587/starttls 465/implicit 2525/starttls 25/starttls", APIKey},
		{"gmail", "smtp.gmail.com", "465/implicit 587/starttls", AppPassword},
		{"outlook", "smtp-mail.outlook.com", "587/starttls", OAuth2},
		{"hotmail", "smtp-mail.outlook.com", "587/starttls", OAuth2},
		{"yahoo", "smtp.mail.yahoo.com", "465/implicit 587/starttls", AppPassword},
		{"icloud", "smtp.mail.me.com", "587/starttls", AppPassword},
		{"zoho", "smtp.zoho.com", "465/implicit 587/starttls", AccountPassword},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			p, ok := Lookup(tt.key)
			require.True(t, ok)
			assert.Equal(t, tt.host, p.Host)
			var got []string
			for _, pt := range p.Ports {
				got = append(got, strconv.Itoa(pt.Number)+"/"+pt.TLS)
			}
			assert.Equal(t, tt.ports, strings.Join(got, " "))
			assert.Equal(t, tt.secret, p.Secret)
		})
	}
	sg, _ := Lookup("sendgrid")
	assert.Contains(t, sg.User, "apikey")
	hm, _ := Lookup("hotmail")
	assert.Contains(t, hm.OtherHosts, "smtp.live.com", "the old name stays findable")
	assert.NotEqual(t, "smtp.live.com", hm.Host)
}

// TestProviderCorrectionsPresent checks the corrections the guides need
// are recorded, each under the provider it is about.
func TestProviderCorrectionsPresent(t *testing.T) {
	tests := []struct{ key, claim, fact string }{
		{"hotmail", "smtp.live.com", "smtp-mail.outlook.com"},
		{"gmail", "Your Gmail password", "app password"},
		{"yahoo", "Your Yahoo Mail password", "app password"},
		{"sendgrid", "account username", "apikey"},
		{"163", "994", "994"},
		{"sina", "smtp.sina.com.cn", "smtp.sina.com"},
		{"qq", "587 for SSL", "STARTTLS"},
		{"icloud", "SSL required", "STARTTLS"},
		{"mxhichina", "smtp.mxhichina.com", "smtp.qiye.aliyun.com"},
		{"outlook", "Outlook.com password", "OAuth2"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			p, ok := Lookup(tt.key)
			require.True(t, ok)
			found := false
			for _, c := range p.Corrections {
				if strings.Contains(c.Claim, tt.claim) && strings.Contains(c.Fact, tt.fact) {
					found = true
				}
			}
			assert.True(t, found, "no correction of %q with %q in %s", tt.claim, tt.fact, tt.key)
		})
	}
}

func TestProviderLookup(t *testing.T) {
	tests := []struct{ name, key string }{
		{"qq", "qq"},
		{"QQ", "qq"},
		{"  Gmail ", "gmail"},
		{"163", "163"},
		{"aliyun-enterprise", "mxhichina"},
		{"QIYE", "mxhichina"},
		{"dm", "directmail"},
		{"smtpdm", "directmail"},
		{"live", "hotmail"},
		{"nosuch", ""},
		{"", ""},
		{"smtp.qq.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := Lookup(tt.name)
			if tt.key == "" {
				assert.False(t, ok)
				assert.Nil(t, p)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.key, p.Key)
		})
	}
}

func TestProviderForHost(t *testing.T) {
	tests := []struct{ host, key string }{
		{"smtp.qq.com", "qq"},
		{"SMTP.QQ.COM.", "qq"},
		{"smtp.163.com", "163"},
		{"smtp.mxhichina.com", "mxhichina"}, // the old name
		{"smtp.qiye.aliyun.com", "mxhichina"},
		{"smtp.live.com", "hotmail"},
		{"smtp-mail.outlook.com", "outlook"}, // shared with hotmail: the first entry wins
		{"smtp.office365.com", "outlook"},
		{"smtpdm-us-east-1.aliyuncs.com", "directmail"},
		{"smtppro.zoho.com", "zoho"},
		{"smtp.example.com", ""},
		{"qq", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			p, ok := ForHost(tt.host)
			if tt.key == "" {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.key, p.Key)
		})
	}
}

func TestProviderForAddress(t *testing.T) {
	tests := []struct{ addr, key string }{
		{"123456@qq.com", "qq"},
		{"<Someone@QQ.COM>", "qq"},
		{"a@foxmail.com", "foxmail"},
		{"a@163.com", "163"},
		{"a@sina.cn", "sina"},
		{"a@googlemail.com", "gmail"},
		{"a@live.com", "hotmail"},
		{"a@me.com", "icloud"},
		{"a@example.com", ""},
		{"no-at-sign", ""},
		{"a@b@126.com", "126"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			p, ok := ForAddress(tt.addr)
			if tt.key == "" {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.key, p.Key)
		})
	}
}

func TestProviderResolve(t *testing.T) {
	tests := []struct {
		arg  string
		host string
		port int
		tls  string
		key  string
		ok   bool
	}{
		{"qq", "smtp.qq.com", 465, Implicit, "qq", true},
		{"QQ", "smtp.qq.com", 465, Implicit, "qq", true},
		{"qq:587", "smtp.qq.com", 587, StartTLS, "qq", true},
		{"qq:25", "smtp.qq.com", 25, Plain, "qq", true},
		{"qq:2525", "smtp.qq.com", 2525, "", "qq", true}, // not listed: the caller decides
		{"163:994", "smtp.163.com", 994, Implicit, "163", true},
		{"gmail", "smtp.gmail.com", 465, Implicit, "gmail", true},
		{"sendgrid", "smtp.sendgrid.net", 587, StartTLS, "sendgrid", true},
		{"dm", "smtpdm.aliyun.com", 465, Implicit, "directmail", true},
		{"smtpdm:80", "smtpdm.aliyun.com", 80, StartTLS, "directmail", true},
		{"aliyun-enterprise", "smtp.qiye.aliyun.com", 465, Implicit, "mxhichina", true},
		{"icloud", "smtp.mail.me.com", 587, StartTLS, "icloud", true},
		{" outlook ", "smtp-mail.outlook.com", 587, StartTLS, "outlook", true},
		// Not provider names: hosts for the caller.
		{"smtp.qq.com", "", 0, "", "", false},
		{"smtp.qq.com:465", "", 0, "", "", false},
		{"localhost:2525", "", 0, "", "", false},
		{"127.0.0.1", "", 0, "", "", false},
		{"::1", "", 0, "", "", false},
		{"[::1]:25", "", 0, "", "", false},
		{"", "", 0, "", "", false},
		// Provider names with a bad port: left to the host parser to reject.
		{"qq:", "", 0, "", "", false},
		{"qq:abc", "", 0, "", "", false},
		{"qq:0", "", 0, "", "", false},
		{"qq:70000", "", 0, "", "", false},
		{"qq:+465", "", 0, "", "", false},
		{"qq:0465", "", 0, "", "", false},
		{"qq :465", "", 0, "", "", false},
		{"qq:465:1", "", 0, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			host, port, tls, p, ok := Resolve(tt.arg)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.host, host)
			assert.Equal(t, tt.port, port)
			assert.Equal(t, tt.tls, tls)
			if tt.key == "" {
				assert.Nil(t, p)
				return
			}
			require.NotNil(t, p)
			assert.Equal(t, tt.key, p.Key)
		})
	}
}

func TestProviderSecretLabel(t *testing.T) {
	assert.Equal(t, "authorization code", AuthCode.Label(false))
	assert.Equal(t, "授权码", AuthCode.Label(true))
	assert.Equal(t, "app password", AppPassword.Label(false))
	assert.Equal(t, "mystery", Secret("mystery").Label(true), "unknown kinds print as themselves")
	assert.False(t, Secret("mystery").Valid())
}

// The Chinese texts are there, line for line, and are Chinese: each has a
// Han character (an English line copied into a ZH field would not).
func TestChineseTextsBesideEnglish(t *testing.T) {
	require.Len(t, TroubleshootingZH, len(Troubleshooting))
	for _, s := range TroubleshootingZH {
		assertChinese(t, s)
	}
	for _, c := range GeneralCorrections {
		require.NotEmpty(t, c.FactZH)
		assertChinese(t, c.FactZH)
	}
}

func assertChinese(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	assert.True(t, strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }), "%q is not Chinese", s)
}
