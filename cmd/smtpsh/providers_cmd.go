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
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

const providersUsage = `usage:
  smtpsh providers [--lang en|zh|zh-Hant] [--json]        list the known providers
  smtpsh providers [--lang en|zh|zh-Hant] [--json] NAME   show one: ports, user, password, advice, corrections

flags:
`

// runProviders is "smtpsh providers": the provider table, or one entry.
// It does no I/O beyond its writers, so the context is not needed.
func runProviders(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh providers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, providersUsage); fs.PrintDefaults() }
	langFlag := fs.String("lang", "", "`LANG` of everything but the guides' quoted claims and the sources: en, zh or zh-Hant (default from LC_ALL, LC_MESSAGES, LANG)")
	asJSON := fs.Bool("json", false, "print JSON, for scripts (both languages)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return repl.ExitOK
		}
		return repl.ExitUsage
	}
	lang, err := pickLang(*langFlag, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "smtpsh providers: --lang: %v\n", err)
		return repl.ExitUsage
	}
	if len(pos) > 1 {
		fs.Usage()
		return repl.ExitUsage
	}

	if len(pos) == 0 {
		if *asJSON {
			return writeJSON(stdout, stderr, providers.All)
		}
		writeProviderTable(stdout, providers.All, lang)
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
	writeProviderDetail(stdout, p, lang)
	return repl.ExitOK
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
// The provider data has English and Simplified Chinese texts; zh-Hant
// shows the Chinese ones in Traditional characters (zhText).
func writeProviderTable(w io.Writer, all []providers.Provider, lang explain.Lang) {
	zh := lang.Chinese()
	var header []string
	for _, k := range []string{"key", "name", "host", "ports", "password"} {
		header = append(header, explain.M("prov.col."+k).Text(lang))
	}
	rows := [][]string{header}
	for i := range all {
		p := &all[i]
		name := p.Name
		if zh {
			name = zhText(p.NameZH, lang)
		}
		rows = append(rows, []string{p.Key, name, p.Host, portList(p.Ports), zhText(p.Secret.Label(zh), lang)})
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

// padRight pads s with spaces to width terminal columns.
func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-displayWidth(s)))
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

// zhText is a Chinese text of the provider data in lang's script.
func zhText(s string, lang explain.Lang) string {
	if lang == explain.ZhHant {
		return explain.Hant(s)
	}
	return s
}

// label is the name of a field of the detail view.
// The empty key labels a continuation line.
func label(key string, lang explain.Lang) string {
	if key == "" {
		return ""
	}
	return explain.M("prov.label." + key).Text(lang)
}

// tlsLabel names a port's TLS mode for people.
func tlsLabel(mode string, lang explain.Lang) string {
	switch mode {
	case providers.Implicit, providers.StartTLS, providers.Plain:
		return explain.M("prov.tls." + mode).Text(lang)
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
func writeProviderDetail(w io.Writer, p *providers.Provider, lang explain.Lang) {
	zh := lang.Chinese()
	name, other := p.Name, p.NameZH
	if zh {
		name, other = zhText(p.NameZH, lang), p.Name
	} else {
		other = zhText(other, lang)
	}
	if name == other {
		fmt.Fprintf(w, "%s  %s\n", p.Key, name)
	} else {
		fmt.Fprintf(w, "%s  %s (%s)\n", p.Key, name, other)
	}

	var rows [][]string
	field := func(key, value string) { rows = append(rows, []string{label(key, lang), value}) }
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
		if zh {
			note = zhText(pt.NoteZH, lang)
		}
		if i == 0 {
			note = strings.TrimSuffix(label("recommended", lang)+"; "+note, "; ")
		}
		ports = append(ports, []string{strconv.Itoa(pt.Number), tlsLabel(pt.TLS, lang), note})
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
		field("user", zhText(p.UserZH, lang))
		field("password", zhText(p.Secret.Label(true)+" — "+p.PasswordZH, lang))
	} else {
		field("user", p.User)
		field("password", p.Secret.Label(false)+" — "+p.Password)
	}
	field("connect", connectCommand(p))
	for _, l := range columnLines(rows) {
		fmt.Fprintln(w, "  "+l)
	}

	advice, trouble := p.Advice, providers.Troubleshooting
	if zh {
		advice, trouble = p.AdviceZH, providers.TroubleshootingZH
	}
	if len(advice) > 0 {
		fmt.Fprintf(w, "\n%s:\n", label("advice", lang))
		for _, a := range advice {
			fmt.Fprintf(w, "  - %s\n", zhText(a, lang))
		}
	}
	fmt.Fprintf(w, "\n%s:\n", label("corrections", lang))
	for _, c := range p.Corrections {
		writeCorrection(w, c, lang)
	}
	for _, c := range providers.GeneralCorrections {
		c.Claim = "(" + label("general", lang) + ") " + c.Claim
		writeCorrection(w, c, lang)
	}
	fmt.Fprintf(w, "\n%s:\n", label("fails", lang))
	for _, a := range trouble {
		fmt.Fprintf(w, "  - %s\n", zhText(a, lang))
	}
}

func writeCorrection(w io.Writer, c providers.Correction, lang explain.Lang) {
	fact := c.Fact
	if lang.Chinese() {
		fact = zhText(c.FactZH, lang)
	}
	lines := columnLines([][]string{
		{label("claim", lang) + ":", c.Claim},
		{label("fact", lang) + ":", fact},
		{label("source", lang) + ":", c.Source},
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
