package message

import (
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// clientLines returns the client ("C:") lines of every golden
// transcript, read with smtptest's parser: the seeds of the fuzz targets.
func clientLines(f *testing.F) []string {
	f.Helper()
	files, err := filepath.Glob("../../testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden transcripts to seed from: %v", err)
	}
	var out []string
	for _, file := range files {
		script, err := smtptest.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, st := range script.Steps {
			if st.Kind == smtptest.StepClient {
				out = append(out, st.Text)
			}
		}
	}
	return out
}

// transcriptHeaderLines returns the header-looking client lines of the
// golden transcripts ("Subject: ..."), seeds for the header fuzzers.
func transcriptHeaderLines(f *testing.F) []string {
	var out []string
	for _, l := range clientLines(f) {
		if strings.Contains(l, ": ") && !strings.HasPrefix(l, "AUTH") {
			out = append(out, l)
		}
	}
	return out
}

// checkFolded fails unless folded is header text that cannot inject a
// field: CRLF only as a fold, each continuation starting with a space.
func checkFolded(t *testing.T, in, folded string) {
	t.Helper()
	for i, line := range strings.Split(folded, "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("bare CR or LF in %q (from %q)", folded, in)
		}
		if i > 0 && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			t.Fatalf("continuation line %q does not start with a space (from %q)", line, in)
		}
	}
}

// FuzzHeaderField: any "Name: value" is refused or encoded into header
// text that cannot start another field, and an unstructured value decodes
// back to what was given.
func FuzzHeaderField(f *testing.F) {
	for _, l := range transcriptHeaderLines(f) {
		f.Add(l)
	}
	f.Add("Subject: 测试邮件 =?UTF-8?b?x?=")
	f.Add("X-Note: a\r\nBcc: victim@example.com")
	f.Add("Reply-To: 李四 <li@example.com>, bob@example.com")
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := ParseField(s)
		if err != nil {
			return
		}
		v, err := encodeValue(fl)
		if err != nil {
			return
		}
		folded := fold(fl.Name, v)
		checkFolded(t, s, folded)
		if fieldKinds[strings.ToLower(fl.Name)] == 0 && !strings.Contains(fl.Value, "=?") && isASCII(fl.Value) {
			unfolded := strings.ReplaceAll(folded, "\r\n", "")
			if got := strings.TrimPrefix(unfolded, fl.Name+": "); got != fl.Value {
				t.Fatalf("value %q came back as %q", fl.Value, got)
			}
		}
		if !isASCII(fl.Value) && fieldKinds[strings.ToLower(fl.Name)] == 0 {
			dec, err := new(mime.WordDecoder).DecodeHeader(v)
			if err == nil && dec != fl.Value {
				t.Fatalf("value %q decodes back as %q", fl.Value, dec)
			}
		}
	})
}

// FuzzAddress: any address list is refused or written as header text
// that cannot start another field and parses back to the same addresses.
func FuzzAddress(f *testing.F) {
	for _, l := range transcriptLines(f, "MAIL FROM:<", "RCPT TO:<") {
		f.Add(l)
	}
	f.Add("张三 <zhang@example.cn>")
	f.Add(`"a\"b" <a@b.example>, c@d.example`)
	f.Fuzz(func(t *testing.T, s string) {
		list, err := mail.ParseAddressList(s)
		if err != nil {
			return
		}
		for _, a := range list {
			if checkAddress("To", a) != nil {
				return
			}
		}
		out, err := encodeValue(Field{"To", s})
		if len(list) == 0 {
			if err == nil {
				t.Fatalf("%q has no address, and was written as %q", s, out)
			}
			return
		}
		if err != nil {
			return
		}
		checkFolded(t, s, fold("To", out))
		back, err := mail.ParseAddressList(out)
		if err != nil {
			t.Fatalf("%q written as %q, which does not parse: %v", s, out, err)
		}
		if len(back) != len(list) {
			t.Fatalf("%d addresses written as %q, %d read back", len(list), out, len(back))
		}
		for i := range list {
			if back[i].Address != list[i].Address {
				t.Fatalf("address %q came back as %q (via %q)", list[i].Address, back[i].Address, out)
			}
		}
	})
}

// transcriptLines returns the addresses of the client lines that start
// with one of prefixes ("MAIL FROM:<", "RCPT TO:<").
func transcriptLines(f *testing.F, prefixes ...string) []string {
	var out []string
	for _, l := range clientLines(f) {
		for _, p := range prefixes {
			if rest, ok := strings.CutPrefix(l, p); ok {
				addr, _, _ := strings.Cut(rest, ">")
				out = append(out, addr)
			}
		}
	}
	return out
}
