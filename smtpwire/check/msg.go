package check

import (
	"strconv"
	"strings"
)

// Lang is a language of the catalog.
type Lang string

// The languages of the catalog.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// ParseLang accepts "en" and "zh".
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case English, Chinese:
		return Lang(s), true
	}
	return "", false
}

// LangFromEnv picks the language from the locale variables, in POSIX
// order of precedence: the first of LC_ALL, LC_MESSAGES and LANG that is
// set decides, Chinese for zh* (zh_CN.UTF-8, zh_TW...), English otherwise.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := getenv(v); val != "" {
			if strings.HasPrefix(strings.ToLower(val), "zh") {
				return Chinese
			}
			return English
		}
	}
	return English
}

// Msg is one human message: an ID in the catalog and the values of its
// {placeholders}. An argument may have a Chinese form under the key with
// "@zh" appended (a provider's Chinese name, for instance).
type Msg struct {
	ID   string
	Args map[string]string
}

// msg builds a message from an ID and key, value pairs.
func msg(id string, kv ...string) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[kv[i]] = kv[i+1]
		}
	}
	return m
}

// with returns m with one more argument, in both languages.
func (m Msg) with(key, en, zh string) Msg {
	args := make(map[string]string, len(m.Args)+2)
	for k, v := range m.Args {
		args[k] = v
	}
	args[key] = en
	if zh != "" && zh != en {
		args[key+"@zh"] = zh
	}
	m.Args = args
	return m
}

// IsZero reports an empty message.
func (m Msg) IsZero() bool { return m.ID == "" }

// Text renders the message in lang. An ID missing from the catalog
// renders as "!ID" (the catalog test forbids it).
func (m Msg) Text(lang Lang) string {
	if m.ID == "" {
		return ""
	}
	e, ok := catalog()[m.ID]
	if !ok {
		return "!" + m.ID
	}
	tmpl := e[0]
	if lang == Chinese {
		tmpl = e[1]
	}
	if len(m.Args) == 0 || !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		key := tmpl[i+1 : i+j]
		b.WriteString(tmpl[:i])
		if v, ok := m.Args[key+"@zh"]; ok && lang == Chinese {
			b.WriteString(v)
		} else if v, ok := m.Args[key]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
