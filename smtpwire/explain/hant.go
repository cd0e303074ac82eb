package explain

import (
	"strings"
	"sync"
)

// hantPairs maps Simplified characters to Traditional ones, two by two,
// for the texts that come from outside the catalog in Simplified Chinese
// only: the provider presets' Chinese texts (smtpwire/providers). It
// covers every character of those texts that differs
// (TestHantCoversProviderTexts), and was made with OpenCC (s2tw, one
// character at a time); 里 is left out, as in 阿里 it is a name, not 裡
// "inside".
const hantPairs = "与與专專业業两兩个個为為么麼书書买買于於云雲从從会會关關写寫凭憑则則创創删刪别別务務动動华華协協单單双雙发發台臺号號后後听聽启啟员員国國学學对對属屬带帶帮幫并並应應开開录錄户戶托託报報换換据據数數旧舊时時显顯机機权權来來样樣档檔检檢没沒测測现現电電监監码碼确確称稱级級组組织織给給络絡绝絕网網脑腦腾騰荐薦获獲见見规規认認让讓讯訊记記许許设設访訪证證试試话話该該误誤说說请請败敗账賬购購贴貼费費转轉软軟过過运運还還这這连連邮郵钥鑰错錯门門闭閉问問隐隱页頁项項须須验驗骤驟"

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
