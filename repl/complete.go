package repl

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Prompt shows where the session stands: "smtp[tls auth] MAIL> " names
// the TLS and AUTH status and the command that usually comes next;
// "data> " in DATA mode.
func (s *Shell) Prompt() string {
	if s.data != nil {
		return "data> "
	}
	if s.c == nil {
		return "smtp> "
	}
	var flags []string
	if s.c.TLS() {
		flags = append(flags, "tls")
	}
	if s.c.Authenticated() {
		flags = append(flags, "auth")
	}
	p := "smtp"
	if len(flags) > 0 {
		p += "[" + strings.Join(flags, " ") + "]"
	}
	if next := NextCommands(s.c.State(), s.c.TLS(), s.c.Authenticated(), s.c.Extensions()); len(next) > 0 {
		p += " " + next[0]
	}
	return p + "> "
}

// Complete returns the completions of line, each a whole line that
// starts with what was typed (case aside): the SMTP commands valid next,
// shell commands after "/", and arguments of shell commands.
func (s *Shell) Complete(line string) []string {
	if s.data != nil {
		if rest, ok := strings.CutPrefix(line, "/file "); ok {
			return prefixAll("/file ", completePath(rest))
		}
		if strings.HasPrefix("/file ", line) && line != "" {
			return []string{"/file "}
		}
		return nil
	}
	if strings.HasPrefix(line, "/") {
		name, arg, hasArg := strings.Cut(line[1:], " ")
		if !hasArg {
			var out []string
			for _, c := range commands {
				if strings.HasPrefix(c.name, strings.ToLower(name)) {
					out = append(out, "/"+c.name)
				}
			}
			return out
		}
		if c, ok := lookupCommand(name); ok && c.complete != nil {
			return prefixAll("/"+name+" ", c.complete(s, arg))
		}
		if name == "record" {
			return prefixAll("/record ", completePath(arg))
		}
		return nil
	}
	if s.c == nil {
		return nil
	}
	var out []string
	for _, name := range NextCommands(s.c.State(), s.c.TLS(), s.c.Authenticated(), s.c.Extensions()) {
		insert := name
		if c, ok := LookupSMTP(name); ok && c.Insert != "" {
			insert = c.Insert
		}
		if name == "EHLO" || name == "HELO" {
			insert = name + " " + s.opts.Config.LocalName
		}
		if strings.HasPrefix(strings.ToUpper(insert), strings.ToUpper(line)) {
			out = append(out, insert)
		}
	}
	return out
}

// completePath completes a file name.
func completePath(prefix string) []string {
	matches, _ := filepath.Glob(prefix + "*")
	var out []string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			m += string(filepath.Separator)
		}
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

func prefixAll(prefix string, list []string) []string {
	for i := range list {
		list[i] = prefix + list[i]
	}
	return list
}
