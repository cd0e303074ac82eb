package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

const providersUsage = `usage:
  smtpsh providers [--lang en|zh] [--json]          list the known providers
  smtpsh providers [--lang en|zh] [--json] NAME     show one: ports, user, password, advice, corrections

flags:
`

// runProviders is "smtpsh providers": the provider table, or one entry.
// It does no I/O beyond its writers, so the context is not needed.
func runProviders(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh providers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, providersUsage); fs.PrintDefaults() }
	lang := fs.String("lang", langFromEnv(os.Getenv), "`LANG` of names and password notes: en or zh (default from LC_ALL, LC_MESSAGES, LANG)")
	asJSON := fs.Bool("json", false, "print JSON, for scripts (both languages)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return repl.ExitOK
		}
		return repl.ExitUsage
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(stderr, "smtpsh providers: --lang %q: want en or zh\n", *lang)
		return repl.ExitUsage
	}
	zh := *lang == "zh"
	if len(pos) > 1 {
		fs.Usage()
		return repl.ExitUsage
	}

	if len(pos) == 0 {
		if *asJSON {
			return writeJSON(stdout, stderr, providers.All)
		}
		writeProviderTable(stdout, providers.All, zh)
		return repl.ExitOK
	}
	p, ok := providers.Lookup(pos[0])
	if !ok {
		fmt.Fprintf(stderr, "smtpsh providers: unknown provider %q; known: %s\n", pos[0], strings.Join(providers.Keys(), ", "))
		return repl.ExitUsage
	}
	if *asJSON {
		return writeJSON(stdout, stderr, p)
	}
	writeProviderDetail(stdout, p, zh)
	return repl.ExitOK
}

// langFromEnv picks the default language as the C library would pick the
// messages locale: the first of LC_ALL, LC_MESSAGES and LANG that is set.
func langFromEnv(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, "smtpsh providers:", err)
		return repl.ExitUsage
	}
	return repl.ExitOK
}

// portList renders ports as "465/implicit 587/starttls".
func portList(ports []providers.Port) string {
	s := make([]string, len(ports))
	for i, pt := range ports {
		s[i] = strconv.Itoa(pt.Number) + "/" + pt.TLS
	}
	return strings.Join(s, " ")
}

// writeProviderTable writes one aligned line per provider.
func writeProviderTable(w io.Writer, all []providers.Provider, zh bool) {
	header := []string{"KEY", "NAME", "HOST", "PORTS", "PASSWORD"}
	if zh {
		header = []string{"代号", "名称", "服务器", "端口", "密码类型"}
	}
	rows := [][]string{header}
	for i := range all {
		p := &all[i]
		name := p.Name
		if zh {
			name = p.NameZH
		}
		rows = append(rows, []string{p.Key, name, p.Host, portList(p.Ports), p.Secret.Label(zh)})
	}
	writeColumns(w, rows)
}

// writeColumns pads every column but the last to its widest cell, counting
// CJK characters as two columns wide as terminals show them (text/tabwriter
// counts runes, which misaligns Chinese names).
func writeColumns(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// displayWidth is the number of terminal columns s takes: two for East
// Asian wide and fullwidth characters, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
			r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, // CJK radicals ... Yi
			r >= 0xAC00 && r <= 0xD7A3,                // Hangul syllables
			r >= 0xF900 && r <= 0xFAFF,                // CJK compatibility ideographs
			r >= 0xFE30 && r <= 0xFE4F,                // CJK compatibility forms
			r >= 0xFF00 && r <= 0xFF60,                // fullwidth forms
			r >= 0xFFE0 && r <= 0xFFE6,
			r >= 0x20000 && r <= 0x3FFFD: // CJK extensions
			n += 2
		default:
			n++
		}
	}
	return n
}

// detailLabels are the field names of the detail view, English then Chinese.
var detailLabels = map[string][2]string{
	"aliases":     {"aliases", "别名"},
	"host":        {"host", "服务器"},
	"also":        {"also known as", "其他主机名"},
	"ports":       {"ports", "端口"},
	"domains":     {"domains", "邮箱域名"},
	"user":        {"user", "用户名"},
	"password":    {"password", "密码"},
	"connect":     {"connect", "连接"},
	"advice":      {"advice", "建议"},
	"corrections": {"corrections (where the guides are out of date)", "更正(指南中过时或有误之处)"},
	"claim":       {"guide says", "指南说"},
	"fact":        {"fact", "实际"},
	"source":      {"source", "来源"},
	"general":     {"about all providers", "适用于所有服务商"},
	"fails":       {"if it still fails", "仍然发不出去时"},
	"recommended": {"recommended", "推荐"},
}

func label(key string, zh bool) string {
	if zh {
		return detailLabels[key][1]
	}
	return detailLabels[key][0]
}

// tlsLabel names a port's TLS mode for people.
func tlsLabel(mode string, zh bool) string {
	switch mode {
	case providers.Implicit:
		if zh {
			return "隐式 TLS(SSL)"
		}
		return "implicit TLS"
	case providers.StartTLS:
		return "STARTTLS"
	case providers.Plain:
		if zh {
			return "明文"
		}
		return "plain"
	}
	return mode
}

// connectCommand is the smtpsh command line that opens a session on the
// provider's recommended port with the right TLS mode.
func connectCommand(p *providers.Provider) string {
	d := p.DefaultPort()
	return fmt.Sprintf("smtpsh %s:%d --tls %s", p.Host, d.Number, d.TLS)
}

// writeProviderDetail writes everything known about one provider.
func writeProviderDetail(w io.Writer, p *providers.Provider, zh bool) {
	name, other := p.Name, p.NameZH
	if zh {
		name, other = p.NameZH, p.Name
	}
	if name == other {
		fmt.Fprintf(w, "%s  %s\n", p.Key, name)
	} else {
		fmt.Fprintf(w, "%s  %s (%s)\n", p.Key, name, other)
	}

	var rows [][]string
	field := func(key, value string) { rows = append(rows, []string{label(key, zh), value}) }
	if len(p.Aliases) > 0 {
		field("aliases", strings.Join(p.Aliases, ", "))
	}
	field("host", p.Host)
	if len(p.OtherHosts) > 0 {
		field("also", strings.Join(p.OtherHosts, ", "))
	}
	var ports [][]string
	for i, pt := range p.Ports {
		note := pt.Note
		if i == 0 {
			note = strings.TrimSuffix(label("recommended", zh)+"; "+note, "; ")
		}
		ports = append(ports, []string{strconv.Itoa(pt.Number), tlsLabel(pt.TLS, zh), note})
	}
	portLines := columnLines(ports)
	field("ports", portLines[0])
	for _, l := range portLines[1:] {
		field("", l)
	}
	if len(p.Domains) > 0 {
		field("domains", strings.Join(p.Domains, ", "))
	}
	if zh {
		field("user", p.UserZH)
		field("password", p.Secret.Label(true)+" — "+p.PasswordZH)
	} else {
		field("user", p.User)
		field("password", p.Secret.Label(false)+" — "+p.Password)
	}
	field("connect", connectCommand(p))
	for _, l := range columnLines(rows) {
		fmt.Fprintln(w, "  "+l)
	}

	if len(p.Advice) > 0 {
		fmt.Fprintf(w, "\n%s:\n", label("advice", zh))
		for _, a := range p.Advice {
			fmt.Fprintf(w, "  - %s\n", a)
		}
	}
	fmt.Fprintf(w, "\n%s:\n", label("corrections", zh))
	for _, c := range p.Corrections {
		writeCorrection(w, c, zh)
	}
	for _, c := range providers.GeneralCorrections {
		writeCorrection(w, providers.Correction{Claim: "(" + label("general", zh) + ") " + c.Claim, Fact: c.Fact, Source: c.Source}, zh)
	}
	fmt.Fprintf(w, "\n%s:\n", label("fails", zh))
	for _, a := range providers.Troubleshooting {
		fmt.Fprintf(w, "  - %s\n", a)
	}
}

func writeCorrection(w io.Writer, c providers.Correction, zh bool) {
	lines := columnLines([][]string{
		{label("claim", zh) + ":", c.Claim},
		{label("fact", zh) + ":", c.Fact},
		{label("source", zh) + ":", c.Source},
	})
	fmt.Fprintf(w, "  - %s\n", lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// columnLines is writeColumns into a slice of lines, trailing blanks cut.
func columnLines(rows [][]string) []string {
	var b strings.Builder
	writeColumns(&b, rows)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}
