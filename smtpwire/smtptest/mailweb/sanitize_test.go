package mailweb

import (
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
	} {
		got := sanitizeHTML(tc.in)
		got = strings.TrimSuffix(strings.TrimPrefix(got, "<html><head></head><body>"), "</body></html>")
		assert.Equal(t, tc.want, got, tc.in)
	}
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
