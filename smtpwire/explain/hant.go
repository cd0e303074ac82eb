package explain

import (
	"strings"
	"sync"
)

// hantPairs maps Simplified characters to Traditional ones, two by two,
// for the texts that come from outside the catalog in Simplified Chinese
// only: the provider presets' Chinese names and notes (smtpwire/providers).
// It covers every character of those texts that differs, and was made
// with OpenCC (s2tw, one character at a time); 里 is left out, as in 阿里
// it is a name, not 裡 "inside".
const hantPairs = "与與专專业業两兩个個为為于於云雲会會则則创創别別务務动動华華双雙发發台臺号號后後启啟员員国國属屬并並应應开開录錄户戶托託时時显顯机機权權码碼绝絕网網获獲认認设設访訪证證该該账賬邮郵钥鑰问問页頁须須验驗"

// hantReplacer is built on first use, like the catalog.
var hantReplacer = sync.OnceValue(func() *strings.Replacer {
	r := []rune(hantPairs)
	old := make([]string, 0, len(r))
	for i := 0; i+1 < len(r); i += 2 {
		old = append(old, string(r[i]), string(r[i+1]))
	}
	return strings.NewReplacer(old...)
})

// Hant writes a Simplified Chinese text from outside the catalog in
// Traditional characters, as far as hantPairs knows them.
func Hant(s string) string { return hantReplacer().Replace(s) }
