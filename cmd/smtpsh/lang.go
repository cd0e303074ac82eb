package main

import "github.com/smtpsh/smtpsh/smtpwire/explain"

// pickLang is the language of the explanations: --lang when given (en,
// zh, zh-Hant, or a locale name such as zh_TW), else the locale
// variables LC_ALL, LC_MESSAGES and LANG, else English.
func pickLang(flagValue string, getenv func(string) string) (explain.Lang, error) {
	if flagValue != "" {
		return explain.ParseLang(flagValue)
	}
	return explain.FromEnv(getenv), nil
}
