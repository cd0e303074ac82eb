package explain

import (
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// What the first explanation of a run costs: building the catalog.
func BenchmarkCatalogBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if len(buildCatalogParts()) == 0 {
			b.Fatal("empty catalog")
		}
	}
}

// What each explained reply costs afterwards.
func BenchmarkReplyText(b *testing.B) {
	r, err := smtpwire.ParseReply([]string{"535 5.7.8 Error: authentication failed"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range Reply("AUTH", r) {
			_ = m.Text(ZhHant)
		}
	}
}
