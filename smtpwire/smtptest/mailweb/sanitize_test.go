package mailweb

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSanitizeHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p style="color:red">hi</p>`, `<p style="color:red">hi</p>`},
		{`<a href="https://example.com/x">x</a>`, `<a href="https://example.com/x">x</a>`},
		{`<a href=" JaVaScRiPt:alert(1)">x</a>`, `<a>x</a>`},
		{`<img src="javascript:alert(1)" onerror="alert(1)">`, `<img/>`},
		{`<img src="data:image/png;base64,AAAA">`, `<img src="data:image/png;base64,AAAA"/>`},
		{`<img src="data:text/html;base64,AAAA">`, `<img/>`},
		{`<div style="background:url(http://tracker/x)">t</div>`, `<div>t</div>`},
		{`<script>alert(1)</script><p>ok</p>`, `<p>ok</p>`},
		{`<iframe src="https://x"></iframe><object data="x"></object><embed src="x">`, ``},
		{`<meta http-equiv="refresh" content="0;url=https://x"><base href="https://x/">`, ``},
		{`<svg><script>alert(1)</script></svg><math></math>`, ``},
		{`<form action="https://x"><input name="p"><button>go</button></form>`, ``},
		{`<!-- <script>x</script> --><b>b</b>`, `<b>b</b>`},
		{`<p>unclosed <b>tags`, `<p>unclosed <b>tags</b></p>`},
		{`<img src="cid:nowhere@x">`, `<img/>`},
	} {
		got := sanitizeHTML(tc.in, nil)
		got = strings.TrimSuffix(strings.TrimPrefix(got, "<html><head></head><body>"), "</body></html>")
		assert.Equal(t, tc.want, got, tc.in)
	}
}

// A message's inline images (multipart/related, Content-ID) show: each
// cid: URL that names an image part becomes a data: URL of that part,
// which the page's CSP allows. Anything else a cid: URL names is dropped.
func TestSanitizeInlinesCIDImages(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake")
	atts := []Attachment{
		{ContentType: "image/png", ContentID: "logo@Example.test", data: png},
		{ContentType: "image/svg+xml", ContentID: "vector@example.test", data: []byte("<svg/>")},
		{ContentType: "application/pdf", ContentID: "doc@example.test", data: []byte("%PDF")},
		{ContentType: "image/gif", ContentID: "a b@example.test", data: []byte("GIF89a")},
	}
	want := `data:image/png;base64,` + base64.StdEncoding.EncodeToString(png)
	for _, tc := range []struct{ in, want string }{
		{`<img src="cid:logo@Example.test">`, `<img src="` + want + `"/>`},
		{`<img src=" CID:logo@example.test ">`, `<img src="` + want + `"/>`}, // domain in any case, scheme too
		{`<table><tr><td background="cid:logo@Example.test">x</td></tr></table>`, `<table><tbody><tr><td background="` + want + `">x</td></tr></tbody></table>`},
		{`<img src="cid:a%20b@example.test">`, `<img src="data:image/gif;base64,` + base64.StdEncoding.EncodeToString([]byte("GIF89a")) + `"/>`},
		{`<img src="cid:vector@example.test">`, `<img/>`}, // an SVG can hold script
		{`<a href="cid:doc@example.test">pdf</a>`, `<a>pdf</a>`},
		{`<img src="cid:%zz">`, `<img/>`},
		{`<img src="cid:">`, `<img/>`},
	} {
		got := sanitizeHTML(tc.in, atts)
		got = strings.TrimSuffix(strings.TrimPrefix(got, "<html><head></head><body>"), "</body></html>")
		assert.Equal(t, tc.want, got, tc.in)
	}

	// A page that names one image many times gets it until the budget
	// is spent, then no more: it cannot grow without bound.
	big := Attachment{ContentType: "image/png", ContentID: "big@x", data: make([]byte, 3<<20)}
	page := strings.Repeat(`<img src="cid:big@x">`, 20)
	out := sanitizeHTML(page, []Attachment{big})
	assert.Less(t, len(out), maxInlined+4096)
	each := len("data:image/png;base64,") + base64.StdEncoding.EncodedLen(3<<20)
	assert.Equal(t, maxInlined/each, strings.Count(out, "data:image/png"))
	assert.Equal(t, 20, strings.Count(out, "<img"))
}

func TestParseMessageBadInput(t *testing.T) {
	// No header section at all: shown as text, with the reason.
	p := parseMessage([]byte("just text, no blank line"))
	assert.Equal(t, "just text, no blank line", p.Text)
	assert.Contains(t, p.Err, "headers")

	// A multipart without its closing boundary, bad base64, and a deep
	// nest: parsed as far as possible, no panic, bounded depth.
	deep := "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for i := 1; i < 50; i++ {
		deep += "--b" + strconv.Itoa(i-1) + "\r\nContent-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\r\n\r\n"
	}
	p = parseMessage([]byte(deep))
	assert.LessOrEqual(t, len(p.Attachments), 1)

	p = parseMessage([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n"))
	assert.NotEmpty(t, p.Err)

	p = parseMessage([]byte("Content-Type: text/plain; charset=iso-8859-1\r\nSubject: =?iso-8859-1?q?caf=E9?=\r\n\r\ncaf\xe9\r\n"))
	assert.Equal(t, "café", p.Subject)
	assert.Equal(t, "café\r\n", p.Text)
}
