package message

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixed is the Date of the golden messages: Beijing time.
var fixed = time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func addr(t *testing.T, s string) *mail.Address {
	t.Helper()
	a, err := mail.ParseAddress(s)
	require.NoError(t, err)
	return a
}

func addrs(t *testing.T, s ...string) []*mail.Address {
	var out []*mail.Address
	for _, x := range s {
		out = append(out, addr(t, x))
	}
	return out
}

func content(s string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// stable pins what WriteTo would make up.
func stable(m *Message) *Message {
	m.Date = fixed
	m.MessageID = "<golden.1@example.com>"
	m.Boundary = "GOLDEN"
	return m
}

func goldenMessages(t *testing.T) map[string]*Message {
	return map[string]*Message{
		"plain-ascii": {
			From: addr(t, "Alice <alice@example.com>"), To: addrs(t, "bob@example.com"),
			Subject: "Hello", Text: "Hi Bob,\n\n.a line with a dot\nSee you.\n",
		},
		"chinese": {
			From: addr(t, "张三 <zhang@example.com>"), To: addrs(t, "李四 <li@example.cn>", "wang@example.cn"),
			Cc: addrs(t, "\"Zhao, Liu\" <zhao@example.cn>"), Subject: "测试邮件",
			Text: "你好，李四：\n\n这是一封测试邮件。\n张三\n",
		},
		"long-subject": {
			From: addr(t, "zhang@example.com"), To: addrs(t, "li@example.cn"),
			Subject: "这是一个非常长的中文主题，用来测试折叠是否正确工作，以及编码后的长度是否超过限制",
			Text:    "x",
		},
		"quoted-printable": {
			From: addr(t, "Zoë <zoe@example.com>"), To: addrs(t, "bob@example.com"), Subject: "Café",
			Text: "Voilà: a mostly English body with one accent, and a line that is much longer than seventy-six characters so it gets a soft break.\n",
		},
		"html-alternative": {
			From: addr(t, "alice@example.com"), To: addrs(t, "bob@example.com"), Subject: "Report",
			Text: "The report is ready.\n", HTML: "<p>The report is <b>ready</b>.</p>\n",
		},
		"html-only": {
			From: addr(t, "alice@example.com"), To: addrs(t, "bob@example.com"), HTML: "<p>hi</p>",
		},
		"attachments": {
			From: addr(t, "alice@example.com"), To: addrs(t, "bob@example.com"), Subject: "files",
			Text: "Two files.\n", HTML: "<p>Two files.</p>\n",
			Attachments: []Attachment{
				{Filename: "report.pdf", Open: content(strings.Repeat("%PDF-1.4 fake ", 10))},
				{Filename: "季度报告 2025 第一季度.xlsx", ContentType: "application/vnd.ms-excel", Open: content("\x00\x01\x02")},
			},
		},
		"attachment-only": {
			From: addr(t, "alice@example.com"), Cc: addrs(t, "carol@example.com"),
			Attachments: []Attachment{{Filename: "notes.txt", Open: content("hello\n")}},
		},
		"extra-fields": {
			From: addr(t, "app@example.com"), To: addrs(t, "user@example.com"), Subject: "fields",
			Header: []Field{
				{"From", "系统通知 <noreply@example.com>"},
				{"Reply-To", "客服 <support@example.com>"},
				{"X-Mailer", "smtpsh"},
				{"X-Note", "中文备注"},
				{"List-Unsubscribe", "<mailto:unsub@example.com>"},
				{"Date", "Sat, 01 Mar 2025 10:00:00 +0800"},
			},
			Text: "body\n",
		},
		"no-recipients-visible": {
			From: addr(t, "alice@example.com"), Subject: "bcc only", Text: "hi\n",
		},
		"empty": {
			From: addr(t, "alice@example.com"), To: addrs(t, "bob@example.com"),
		},
	}
}

// TestGolden writes each message and compares it with its golden file
// (LF line ends in the file; the message itself must use CRLF only).
func TestGolden(t *testing.T) {
	for name, m := range goldenMessages(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := stable(m).WriteTo(&buf)
			require.NoError(t, err)
			assert.Equal(t, int64(buf.Len()), n)
			got := buf.String()
			assertCRLF(t, got)
			assertLineLengths(t, got)

			path := filepath.Join("testdata", name+".golden")
			lf := strings.ReplaceAll(got, "\r\n", "\n")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(lf), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./smtpwire/message -update to create it")
			assert.Equal(t, string(want), lf)

			var again bytes.Buffer
			_, err = m.WriteTo(&again)
			require.NoError(t, err)
			assert.Equal(t, got, again.String(), "the same message writes the same bytes")
		})
	}
}

func assertCRLF(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') || s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			t.Fatalf("bare CR or LF at byte %d: %q", i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
	assert.True(t, strings.HasSuffix(s, "\r\n"), "ends with a line break")
}

// assertLineLengths checks the RFC 5322 limits: header lines of at most 78
// characters, every line of at most 998, and 7-bit output.
func assertLineLengths(t *testing.T, s string) {
	t.Helper()
	head, _, _ := strings.Cut(s, "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		assert.LessOrEqual(t, len(l), MaxLineLength, "header line %q", l)
	}
	for _, l := range strings.Split(s, "\r\n") {
		assert.LessOrEqual(t, len(l), 998)
	}
	assert.True(t, isASCII(s), "7-bit output")
}

// read parses a written message with net/mail.
func read(t *testing.T, m *Message) *mail.Message {
	t.Helper()
	var buf bytes.Buffer
	_, err := stable(m).WriteTo(&buf)
	require.NoError(t, err)
	msg, err := mail.ReadMessage(&buf)
	require.NoError(t, err)
	return msg
}

func TestChineseDecodes(t *testing.T) {
	m := goldenMessages(t)["chinese"]
	msg := read(t, m)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, "测试邮件", subject)

	from, err := msg.Header.AddressList("From")
	require.NoError(t, err)
	assert.Equal(t, "张三", from[0].Name)
	assert.Equal(t, "zhang@example.com", from[0].Address)
	to, err := msg.Header.AddressList("To")
	require.NoError(t, err)
	require.Len(t, to, 2)
	assert.Equal(t, "李四", to[0].Name)
	cc, err := msg.Header.AddressList("Cc")
	require.NoError(t, err)
	assert.Equal(t, "Zhao, Liu", cc[0].Name)

	assert.Equal(t, "base64", msg.Header.Get("Content-Transfer-Encoding"))
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "text/plain", mt)
	assert.Equal(t, "utf-8", params["charset"])
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(m.Text, "\n", "\r\n"), string(body))
}

func TestLongSubjectFoldsAndDecodes(t *testing.T) {
	m := goldenMessages(t)["long-subject"]
	msg := read(t, m)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, m.Subject, subject, "folding whitespace between encoded-words disappears when decoded")
}

func TestQuotedPrintableDecodes(t *testing.T) {
	m := goldenMessages(t)["quoted-printable"]
	msg := read(t, m)
	assert.Equal(t, "quoted-printable", msg.Header.Get("Content-Transfer-Encoding"))
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(m.Text, "\n", "\r\n"), string(body))
}

func TestAttachmentsDecode(t *testing.T) {
	m := goldenMessages(t)["attachments"]
	msg := read(t, m)
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/mixed", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])

	p, err := mr.NextPart()
	require.NoError(t, err)
	mt, aparams, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/alternative", mt)
	ar := multipart.NewReader(p, aparams["boundary"])
	for _, want := range []struct{ typ, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		ap, err := ar.NextPart()
		require.NoError(t, err)
		assert.Contains(t, ap.Header.Get("Content-Type"), want.typ)
		b, err := io.ReadAll(ap)
		require.NoError(t, err)
		assert.Equal(t, strings.ReplaceAll(want.text, "\n", "\r\n"), string(b))
	}
	_, err = ar.NextPart()
	assert.Equal(t, io.EOF, err)

	var dec mime.WordDecoder
	for _, a := range m.Attachments {
		p, err := mr.NextPart()
		require.NoError(t, err)
		assert.Equal(t, "base64", p.Header.Get("Content-Transfer-Encoding"))
		// RFC 2231 filename*= is what mime.ParseMediaType (and p.FileName) reads.
		assert.Equal(t, a.Filename, p.FileName())
		// The RFC 2047 forms, for older readers.
		_, dp, err := mime.ParseMediaType(strings.Replace(p.Header.Get("Content-Disposition"), "filename*", "x-ignored*", 1))
		require.NoError(t, err)
		name, err := dec.DecodeHeader(dp["filename"])
		require.NoError(t, err)
		assert.Equal(t, a.Filename, name)
		_, cp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		name, err = dec.DecodeHeader(cp["name"])
		require.NoError(t, err)
		assert.Equal(t, a.Filename, name)

		got, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		require.NoError(t, err)
		r, _ := a.Open()
		want, _ := io.ReadAll(r)
		assert.Equal(t, want, got)
	}
	_, err = mr.NextPart()
	assert.Equal(t, io.EOF, err)
}

func TestTypeByName(t *testing.T) {
	assert.Equal(t, "application/pdf", TypeByName("a.pdf"))
	assert.Equal(t, "image/png", TypeByName("dir/x.PNG"))
	assert.Equal(t, "application/octet-stream", TypeByName("data.unknownext"))
	assert.Equal(t, "application/octet-stream", TypeByName("Makefile"))
}

func TestTextEncoding(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", Enc7bit},
		{"hello\r\nworld\n", Enc7bit},
		{strings.Repeat("x", 998), Enc7bit},
		{strings.Repeat("x", 999), EncQuotedPrintable},
		{"nul\x00byte", EncQuotedPrintable},
		{"Voilà, a mostly English text", EncQuotedPrintable},
		{"你好", EncBase64},
		{"中文 mixed with English words", EncBase64},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, TextEncoding(tt.text), "%.30q", tt.text)
	}
}

func TestDateAndMessageIDAdded(t *testing.T) {
	m := &Message{From: addr(t, "张三 <zhang@mail.example.cn>"), To: addrs(t, "li@example.cn"), Text: "hi"}
	before := time.Now().Add(-time.Second)
	var buf bytes.Buffer
	_, err := m.WriteTo(&buf)
	require.NoError(t, err)
	msg, err := mail.ReadMessage(&buf)
	require.NoError(t, err)
	date, err := msg.Header.Date()
	require.NoError(t, err)
	assert.WithinRange(t, date, before.Truncate(time.Second), time.Now().Add(time.Second))
	assert.Regexp(t, regexp.MustCompile(`^<\d{14}\.[0-9a-f]{16}@mail\.example\.cn>$`), msg.Header.Get("Message-ID"))
	assert.True(t, m.Date.IsZero() && m.MessageID == "", "WriteTo does not modify the message")

	assert.Regexp(t, `@localhost>$`, NewMessageID("用户@例子.中国"), "a non-ASCII domain is not used")
	assert.NotEqual(t, NewMessageID("a@b.c"), NewMessageID("a@b.c"))
	assert.NotEqual(t, NewBoundary(), NewBoundary())
}

func TestMessageIDWithoutBrackets(t *testing.T) {
	m := &Message{From: addr(t, "a@example.com"), Text: "x", MessageID: "abc@example.com"}
	var buf bytes.Buffer
	_, err := m.WriteTo(&buf)
	require.NoError(t, err)
	msg, err := mail.ReadMessage(&buf)
	require.NoError(t, err)
	assert.Equal(t, "<abc@example.com>", msg.Header.Get("Message-ID"))
}

func TestParseField(t *testing.T) {
	tests := []struct {
		in      string
		want    Field
		err     string
		isBreak bool
	}{
		{in: "X-Priority: 1", want: Field{"X-Priority", "1"}},
		{in: "Reply-To:   客服 <s@example.com>", want: Field{"Reply-To", "客服 <s@example.com>"}},
		{in: "X-Empty:", want: Field{"X-Empty", ""}},
		{in: "X-Tab: a\tb", want: Field{"X-Tab", "a\tb"}},
		{in: "no colon", err: `want "Name: value"`},
		{in: ": value", err: "empty field name"},
		{in: "Bad Name: x", err: "invalid character ' '"},
		{in: "Bad\x7fName: x", err: "invalid character"},
		{in: "名字: x", err: "invalid character"},
		{in: "X-Evil: x\r\nBcc: evil@example.com", err: "CR or LF", isBreak: true},
		{in: "X-Evil: x\nBcc: evil@example.com", err: "CR or LF", isBreak: true},
		{in: "X-Evil: x\rBcc: evil@example.com", err: "CR or LF", isBreak: true},
		{in: "X-Nul: a\x00b", err: "control character"},
		{in: "X-Bad: \xff\xfe", err: "not valid UTF-8"},
	}
	for _, tt := range tests {
		f, err := ParseField(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, "%q", tt.in)
			assert.Equal(t, tt.isBreak, errors.Is(err, ErrLineBreak), "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, f)
	}
}

func TestValidate(t *testing.T) {
	base := func() *Message {
		return &Message{From: addr(t, "a@example.com"), To: addrs(t, "b@example.com"), Text: "x"}
	}
	tests := []struct {
		name   string
		modify func(m *Message)
		err    string
	}{
		{"no from", func(m *Message) { m.From = nil }, "no From"},
		{"subject injection", func(m *Message) { m.Subject = "x\r\nBcc: evil@x" }, "CR or LF"},
		{"subject twice", func(m *Message) { m.Subject = "a"; m.Header = []Field{{"Subject", "b"}} }, "given twice"},
		{"bcc field", func(m *Message) { m.Header = []Field{{"Bcc", "x@example.com"}} }, "envelope only"},
		{"content-type field", func(m *Message) { m.Header = []Field{{"Content-Type", "text/html"}} }, "set by smtpsh"},
		{"mime-version field", func(m *Message) { m.Header = []Field{{"MIME-Version", "1.0"}} }, "set by smtpsh"},
		{"reply-to twice", func(m *Message) { m.Header = []Field{{"Reply-To", "a@x.com"}, {"reply-to", "b@x.com"}} }, "once"},
		{"bad reply-to", func(m *Message) { m.Header = []Field{{"Reply-To", "not an address"}} }, "not an address list"},
		{"bad date", func(m *Message) { m.Header = []Field{{"Date", "yesterday"}} }, "not an RFC 5322 date"},
		{"non-ascii message-id", func(m *Message) { m.Header = []Field{{"Message-ID", "<中@x>"}} }, "ASCII only"},
		{"long unfoldable", func(m *Message) { m.Header = []Field{{"X-Long", strings.Repeat("a", 1000)}} }, "998"},
		{"gbk body", func(m *Message) { m.Text = "\xc4\xe3\xba\xc3" }, "iconv -f GBK"},
		{"address injection", func(m *Message) { m.To[0].Address = "b@example.com>\r\nBcc: <evil@x" }, "CR or LF"},
		{"address without @", func(m *Message) { m.To[0].Address = "bob" }, "not an address"},
		{"attachment without content", func(m *Message) { m.Attachments = []Attachment{{Filename: "x"}} }, "no content"},
		{"attachment name injection", func(m *Message) {
			m.Attachments = []Attachment{{Filename: "a\r\nb", Open: content("")}}
		}, "CR or LF"},
		{"bad boundary", func(m *Message) { m.Boundary = strings.Repeat("b", 80) }, "boundary"},
		{"message-id with space", func(m *Message) { m.MessageID = "<a b@x>" }, "without spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.modify(m)
			assert.ErrorContains(t, m.Validate(), tt.err)
			n, err := m.WriteTo(io.Discard)
			assert.Error(t, err, "WriteTo validates too")
			assert.Zero(t, n, "nothing written")
		})
	}
	assert.NoError(t, base().Validate())
}

func TestFold(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"Subject", "short", "Subject: short"},
		{"Subject", strings.Repeat("word ", 20), "Subject: word word word word word word word word word word word word word word\r\n word word word word word word "},
		{"X-Long", "a" + strings.Repeat("b", 90) + " c", "X-Long: a" + strings.Repeat("b", 90) + "\r\n c"},
		{"X-None", strings.Repeat("z", 100), "X-None: " + strings.Repeat("z", 100)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fold(tt.name, tt.value))
	}
}

func TestStructure(t *testing.T) {
	ms := goldenMessages(t)
	assert.Equal(t, "text/plain (7bit)", ms["plain-ascii"].Structure())
	assert.Equal(t, "text/plain (base64)", ms["chinese"].Structure())
	assert.Equal(t, "multipart/mixed: (multipart/alternative: text/plain (7bit), text/html (7bit)), "+
		"report.pdf (application/pdf, base64), 季度报告 2025 第一季度.xlsx (application/vnd.ms-excel, base64)",
		ms["attachments"].Structure())
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	m := stable(goldenMessages(t)["attachments"])
	_, err := m.WriteTo(&errWriter{n: 100})
	assert.ErrorContains(t, err, "disk full")

	m.Attachments[0].Open = func() (io.ReadCloser, error) { return nil, os.ErrNotExist }
	_, err = m.WriteTo(io.Discard)
	assert.ErrorContains(t, err, "attachment report.pdf")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// zeros is an endless reader of zero bytes that allocates nothing.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), z.n))
	clear(p[:k])
	z.n -= int64(k)
	return k, nil
}

func (z *zeros) Close() error { return nil }

// TestAttachmentStreams writes a 10 MiB attachment and checks that memory
// allocated along the way is a small fraction of it: the content flows
// through the base64 encoder and is never held whole.
func TestAttachmentStreams(t *testing.T) {
	const size = 10 << 20
	m := stable(&Message{From: addr(t, "a@example.com"), To: addrs(t, "b@example.com"), Text: "big file",
		Attachments: []Attachment{{Filename: "big.bin", Open: func() (io.ReadCloser, error) { return &zeros{n: size}, nil }}}})
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, err := m.WriteTo(io.Discard)
			if err != nil || n < size*4/3 {
				b.Fatal(n, err)
			}
		}
	})
	perOp := allocs.AllocedBytesPerOp()
	t.Logf("WriteTo of a 10 MiB attachment allocates %d bytes", perOp)
	assert.Less(t, perOp, int64(256<<10), "allocations do not grow with the attachment")
}
