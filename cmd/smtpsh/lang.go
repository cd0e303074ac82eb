package main

import (
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// pickLang is the language of the explanations: --lang when given (en,
// zh, zh-Hant, or a locale name such as zh_TW), else the locale
// variables LC_ALL, LC_MESSAGES and LANG, else English.
func pickLang(flagValue string, getenv func(string) string) (explain.Lang, error) {
	if flagValue != "" {
		return explain.ParseLang(flagValue)
	}
	return explain.FromEnv(getenv), nil
}

// stepLabel names a step of a table (send's timings, mx --probe): a
// protocol word such as EHLO, TLS or AUTH as it is, a lower-case key such
// as connect from the catalog, under prefix, in lang.
func stepLabel(prefix, name string, lang explain.Lang) string {
	if name == "" || strings.ToLower(name) != name {
		return name
	}
	return explain.M(prefix + name).Text(lang)
}
