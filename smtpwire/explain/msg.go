package explain

import (
	"maps"
	"strings"
)

// Msg is one human message: an ID in the catalog and the values of its
// {placeholders}. An argument may have a form for a language under its key
// with "@zh-Hans", "@zh-Hant" or "@zh" appended: a message rendered in
// each language, or a provider's Chinese name ("@zh", Simplified, which
// zh-Hant shows through Hant).
type Msg struct {
	ID   string            `json:"id"`
	Args map[string]string `json:"args,omitempty"`
}

// M builds a message from an ID and key, value pairs.
func M(id string, kv ...string) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[kv[i]] = kv[i+1]
		}
	}
	return m
}

// With returns m with one more argument: en for English, zh for both
// Chinese scripts ("" or the same text: en for all).
func (m Msg) With(key, en, zh string) Msg {
	m.Args = maps.Clone(m.Args)
	if m.Args == nil {
		m.Args = map[string]string{}
	}
	m.Args[key] = en
	if zh != "" && zh != en {
		m.Args[key+"@zh"] = zh
	}
	return m
}

// WithMsg returns m with the argument key set to sub, rendered in the
// language m is rendered in.
func (m Msg) WithMsg(key string, sub Msg) Msg {
	return m.WithTexts(key, func(l Lang) string { return sub.Text(l) })
}

// WithTexts returns m with the argument key set to text(l) for each
// language l.
func (m Msg) WithTexts(key string, text func(Lang) string) Msg {
	m.Args = maps.Clone(m.Args)
	if m.Args == nil {
		m.Args = map[string]string{}
	}
	m.Args[key] = text(En)
	m.Args[key+"@zh-Hans"] = text(ZhHans)
	m.Args[key+"@zh-Hant"] = text(ZhHant)
	return m
}

// IsZero reports an empty message.
func (m Msg) IsZero() bool { return m.ID == "" }

// Known reports whether m's ID is in the catalog.
func (m Msg) Known() bool {
	return has(m.ID)
}

// Text renders the message in lang. An ID missing from the catalog
// renders as "!ID" (the catalog test forbids it); a placeholder without
// an argument stays as it is.
func (m Msg) Text(lang Lang) string {
	if m.ID == "" {
		return ""
	}
	e, ok := lookup(m.ID)
	if !ok {
		return "!" + m.ID
	}
	tmpl := e[lang]
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
		b.WriteString(tmpl[:i])
		if v, ok := m.arg(tmpl[i+1:i+j], lang); ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// arg finds the value of key for lang, the most specific form first.
func (m Msg) arg(key string, lang Lang) (string, bool) {
	if lang.Chinese() {
		if v, ok := m.Args[key+"@"+lang.String()]; ok {
			return v, true
		}
		if v, ok := m.Args[key+"@zh"]; ok {
			if lang == ZhHant {
				v = Hant(v)
			}
			return v, true
		}
	}
	v, ok := m.Args[key]
	return v, ok
}

// Texts renders messages in lang.
func Texts(ms []Msg, lang Lang) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Text(lang))
	}
	return out
}

// placeholders lists the {names} of a template, for the catalog test.
func placeholders(tmpl string) []string {
	var out []string
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, tmpl[i+1:i+j])
		tmpl = tmpl[i+j+1:]
	}
}
