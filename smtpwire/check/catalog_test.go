package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkPrefixes are the parts of the catalog only check uses.
var checkPrefixes = []string{"stage.", "status.", "mode.", "port.", "render.", "verdict.", "skip.", "session.",
	"dns.", "tcp.", "tls.", "banner.", "ehlo.", "auth.seen", "envelope.", "problem.", "adv.", "hint.", "proxy."}

func known(id string) bool {
	_, ok := explain.Templates(id)
	return ok
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestCatalogCoversEveryMessage reads this package's source and checks
// that every literal ID given to msg (and every ID built from a prefix:
// stages, statuses, problems, modes, ports) is in the catalog, and that
// nothing in the catalog's part for check (checkPrefixes) is left unused.
func TestCheckCatalogCoversEveryMessage(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			fn := ""
			switch f := call.Fun.(type) {
			case *ast.Ident:
				fn = f.Name
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			}
			if fn != "msg" && fn != "providerMsg" && fn != "a" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, _ := strconv.Unquote(lit.Value)
				used[id] = true
				assert.True(t, known(id), "%s: %s", fset.Position(lit.Pos()), id)
			}
			return true
		})
	}
	for _, s := range []string{StageDNS, StageTCP, StageProxy, StageTLS, StageBanner, StageEHLO, StageAuth, StageEnvelope} {
		used["stage."+s] = true
	}
	for _, s := range []Status{Pass, Warn, Fail, Skip} {
		used["status."+string(s)] = true
	}
	for _, m := range []string{ModeAuto, ModeImplicit, ModeStartTLS, ModeNone} {
		used["mode."+m] = true
	}
	for _, m := range []string{providers.Implicit, providers.StartTLS, providers.Plain} {
		used["port."+m] = true
	}
	for _, code := range Problems {
		used["problem."+code] = true
	}
	for _, id := range explain.IDs() {
		if strings.HasPrefix(id, "ext.") {
			used[id] = true // built from the keyword by extMsg
		}
	}
	for _, id := range explain.IDs() {
		for _, p := range checkPrefixes {
			if strings.HasPrefix(id, p) {
				assert.True(t, used[id], "%s is in the catalog but never used", id)
			}
		}
	}
	for id := range used {
		assert.True(t, known(id), id)
	}
}

func TestCheckEveryProblemHasTitleAdviceAndLayer(t *testing.T) {
	layers := []string{"dns", "tcp", "proxy", "tls", "banner", "ehlo", "auth", "envelope", "session"}
	seen := map[string]bool{}
	for _, code := range Problems {
		assert.False(t, seen[code], "%s listed twice", code)
		seen[code] = true
		assert.Contains(t, layers, Layer(code), code)
		assert.True(t, known("problem."+code), code)
		for _, hint := range []*providers.Provider{nil, mustProvider(t, "qq"), mustProvider(t, "directmail")} {
			r := newRunner(Options{Host: "smtp.example.com", Port: 587, TLS: ModeStartTLS, User: "me@example.com"})
			r.hint, r.rep.Provider = hint, hint
			adv := r.advice(code)
			if assert.NotEmpty(t, adv, "%s has advice", code) {
				for _, m := range adv {
					for _, lang := range []Lang{English, Chinese, TraditionalChinese} {
						text := m.Text(lang)
						assert.NotContains(t, text, "!", "%s: %s", code, m.ID)
						assert.NotRegexp(t, placeholder, text, "%s: %s: every placeholder filled", code, m.ID)
					}
				}
			}
		}
	}
	// Every code constant of problems.go is in Problems.
	src, err := os.ReadFile("problems.go")
	require.NoError(t, err)
	consts := regexp.MustCompile(`(?m)^\t[A-Z]\w+ += "([a-z]+\.[a-z_]+)"`).FindAllSubmatch(src, -1)
	assert.Len(t, Problems, len(consts))
	for _, m := range consts {
		assert.Contains(t, Problems, string(m[1]))
	}
}

func mustProvider(t *testing.T, key string) *providers.Provider {
	p, ok := providers.Lookup(key)
	require.True(t, ok, key)
	return p
}

func TestCheckMsgText(t *testing.T) {
	m := msg("tcp.connected", "addr", "127.0.0.1:25", "took", "3ms")
	assert.Equal(t, "127.0.0.1:25: connected in 3ms", m.Text(English))
	assert.Equal(t, "127.0.0.1:25:连接成功,用时 3ms", m.Text(Chinese))
	p := msg("hint.user").With("provider", "QQ Mail", "QQ 邮箱").With("user", "the full address", "完整邮箱地址")
	assert.Equal(t, "QQ Mail: the user name is the full address", p.Text(English))
	assert.Equal(t, "QQ 邮箱:用户名是完整邮箱地址", p.Text(Chinese))
	assert.Equal(t, "!no.such.id", msg("no.such.id").Text(English))
	assert.Equal(t, "", Msg{}.Text(Chinese))
}

func TestCheckExtMsg(t *testing.T) {
	tests := []struct{ line, en string }{
		{"SIZE 35882577", "SIZE 35882577: messages up to 34.2 MiB (RFC 1870)"},
		{"SIZE", "SIZE: no fixed size limit announced (RFC 1870)"},
		{"AUTH PLAIN LOGIN XALIOAUTH", "AUTH PLAIN LOGIN XALIOAUTH: login with PLAIN LOGIN XALIOAUTH (RFC 4954)"},
		{"AUTH=PLAIN LOGIN", "AUTH=PLAIN LOGIN: the pre-standard form of AUTH, for old Outlook clients"},
		{"starttls", "starttls: the connection can be upgraded to TLS (RFC 3207)"},
		{"XALIOAUTH", "XALIOAUTH: vendor-specific extension"},
		{"FROBNICATE", "FROBNICATE: an extension smtpsh does not explain"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.en, extMsg(tt.line).Text(English))
		assert.NotContains(t, extMsg(tt.line).Text(Chinese), "{")
	}
}
