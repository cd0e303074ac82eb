package explain

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Lang is a language of the catalog.
type Lang int

// The languages of the catalog, in the order of its columns.
const (
	En     Lang = iota // English
	ZhHans             // Simplified Chinese (zh, zh-CN, zh-SG)
	ZhHant             // Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant)
)

// Langs lists every language of the catalog.
var Langs = []Lang{En, ZhHans, ZhHant}

// String is the BCP 47 tag of the language: "en", "zh-Hans", "zh-Hant".
func (l Lang) String() string {
	switch l {
	case ZhHans:
		return "zh-Hans"
	case ZhHant:
		return "zh-Hant"
	}
	return "en"
}

// Chinese reports whether l is one of the Chinese scripts.
func (l Lang) Chinese() bool { return l == ZhHans || l == ZhHant }

// matcher picks the nearest catalog language for any tag: zh-TW and zh-HK
// are matched to zh-Hant through their script, zh-CN and plain zh to
// zh-Hans. Built on first use: every command of the binary starts with
// this package linked, and most never parse a locale.
var matcher = sync.OnceValue(func() language.Matcher {
	return language.NewMatcher([]language.Tag{
		language.English, language.SimplifiedChinese, language.TraditionalChinese,
	})
})

// ParseLang reads a language tag ("en", "zh", "zh-Hant", "zh_TW",
// "zh_HK.UTF-8", "en_US") and returns the catalog language nearest to it.
// A tag that is not one ("C", "POSIX") or names a language the catalog
// does not have ("fr") is an error.
func ParseLang(s string) (Lang, error) {
	tag, err := parseLocale(s)
	if err != nil {
		return En, fmt.Errorf("language %q: %w (use en, zh or zh-Hant)", s, err)
	}
	_, i, conf := matcher().Match(tag)
	if conf == language.No {
		return En, fmt.Errorf("language %q: not in the catalog (use en, zh or zh-Hant)", s)
	}
	return Langs[i], nil
}

// parseLocale turns a POSIX locale name (zh_TW.UTF-8, sr_RS@latin) or a
// BCP 47 tag into a tag.
func parseLocale(s string) (language.Tag, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if s == "" || s == "C" || s == "POSIX" {
		return language.Und, fmt.Errorf("not a language")
	}
	return language.Parse(strings.ReplaceAll(s, "_", "-"))
}

// FromEnv picks the language from the locale variables, in POSIX order of
// precedence: the first of LC_ALL, LC_MESSAGES and LANG that is set
// decides; English when none is, or when it names no language of the
// catalog (C, POSIX, fr_FR).
func FromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := getenv(v); val != "" {
			l, err := ParseLang(val)
			if err != nil {
				return En
			}
			return l
		}
	}
	return En
}
