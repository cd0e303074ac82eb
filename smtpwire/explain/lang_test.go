package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{
		"en": En, "en_US.UTF-8": En, "en-GB": En,
		"zh": ZhHans, "zh-CN": ZhHans, "zh_CN.UTF-8": ZhHans, "zh-Hans": ZhHans, "zh_SG": ZhHans,
		"zh-Hant": ZhHant, "zh_TW": ZhHant, "zh_TW.UTF-8": ZhHant, "zh_HK.UTF-8": ZhHant, "zh-MO": ZhHant, "zh-Hant-CN": ZhHant,
	} {
		got, err := ParseLang(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "C", "POSIX", "not a tag!", "zh_", "fr", "de_DE.UTF-8"} {
		_, err := ParseLang(bad)
		assert.Error(t, err, bad)
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, En, FromEnv(env(nil)))
	assert.Equal(t, ZhHans, FromEnv(env(map[string]string{"LANG": "zh_CN.UTF-8"})))
	assert.Equal(t, ZhHant, FromEnv(env(map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"})))
	assert.Equal(t, En, FromEnv(env(map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"})))
	assert.Equal(t, En, FromEnv(env(map[string]string{"LANG": "fr_FR.UTF-8"})))
	assert.Equal(t, ZhHant, FromEnv(env(map[string]string{"LC_ALL": "zh_HK", "LANG": "en_US"})))
}
