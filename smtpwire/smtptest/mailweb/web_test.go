package mailweb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest/mailweb"
)

// fixture is a MailServer with its web handler on an httptest server.
type fixture struct {
	t      *testing.T
	srv    *smtptest.MailServer
	web    *httptest.Server
	faults *smtptest.Faults
}

func newFixture(t *testing.T, opts *mailweb.Options) *fixture {
	t.Helper()
	faults := smtptest.NewFaults()
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{Faults: faults, Users: map[string]string{"u": "p"}})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	if opts == nil {
		opts = &mailweb.Options{}
	}
	opts.Faults = faults
	web := httptest.NewServer(mailweb.New(srv, opts))
	t.Cleanup(web.Close)
	return &fixture{t: t, srv: srv, web: web, faults: faults}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// send delivers body from a to the recipients and returns the last reply.
func (f *fixture) send(from string, to []string, body string) string {
	f.t.Helper()
	ctx := testCtx(f.t)
	c, err := smtpwire.Dial(ctx, f.srv.Addr(), nil)
	require.NoError(f.t, err)
	defer c.Close()
	require.NoError(f.t, c.Hello(ctx, "client.test"))
	require.NoError(f.t, c.Mail(ctx, from, nil))
	for _, r := range to {
		if err := c.Rcpt(ctx, r, nil); err != nil {
			return c.LastReply().String()
		}
	}
	w, err := c.Data(ctx)
	require.NoError(f.t, err)
	io.WriteString(w, body)
	w.Close()
	reply := c.LastReply().String()
	c.Quit(ctx)
	return reply
}

// do runs a request and returns the status and body.
func (f *fixture) do(method, path, body string) (int, http.Header, string) {
	f.t.Helper()
	req, err := http.NewRequestWithContext(testCtx(f.t), method, f.web.URL+path, strings.NewReader(body))
	require.NoError(f.t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// getJSON runs GET path and decodes the JSON answer into v.
func (f *fixture) getJSON(path string, v any) {
	f.t.Helper()
	code, _, body := f.do("GET", path, "")
	require.Equal(f.t, http.StatusOK, code, body)
	require.NoError(f.t, json.Unmarshal([]byte(body), v), body)
}

const multipartMessage = "From: Alice <alice@example.com>\r\n" +
	"To: bob@example.com\r\n" +
	"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=B1\r\n" +
	"\r\n" +
	"--B1\r\n" +
	"Content-Type: multipart/alternative; boundary=B2\r\n" +
	"\r\n" +
	"--B2\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Hello Bob.\r\n" +
	"--B2\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<p onclick=3D\"evil()\">Hello <b>Bob</b>.</p><script>alert(1)</script><a href=3D\"javascript:x\">x</a>\r\n" +
	"--B2--\r\n" +
	"--B1\r\n" +
	"Content-Type: text/plain; name=notes.txt\r\n" +
	"Content-Disposition: attachment; filename=notes.txt\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"bm90ZXMK\r\n" +
	"--B1--\r\n"

func TestMessagesAPI(t *testing.T) {
	f := newFixture(t, nil)
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", f.send("alice@example.com", []string{"bob@example.com"}, multipartMessage))
	f.send("carol@example.com", []string{"dave@example.com"}, "Subject: second\r\n\r\nplain\r\n")

	var list mailweb.MessageList
	f.getJSON("/api/v1/messages", &list)
	assert.Equal(t, 2, list.Total)
	require.Len(t, list.Messages, 2)
	assert.Equal(t, "00000002", list.Messages[0].ID, "newest first")
	assert.Equal(t, "Grüße", list.Messages[1].Subject)
	assert.Equal(t, 1, list.Messages[1].Attachments)

	f.getJSON("/api/v1/messages?to=BOB@*", &list)
	assert.Equal(t, 1, list.Count)
	f.getJSON("/api/v1/messages?subject=SECOND", &list)
	require.Len(t, list.Messages, 1)
	assert.Equal(t, "carol@example.com", list.Messages[0].From)

	var m mailweb.MessageDetail
	f.getJSON("/api/v1/messages/00000001", &m)
	assert.Equal(t, "Hello Bob.", m.Text, "the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1)")
	assert.True(t, m.HasHTML)
	assert.Equal(t, []mailweb.Header{
		{Name: "From", Value: "Alice <alice@example.com>"},
		{Name: "To", Value: "bob@example.com"},
		{Name: "Subject", Value: "Grüße"},
		{Name: "Mime-Version", Value: "1.0"},
		{Name: "Content-Type", Value: "multipart/mixed; boundary=B1"},
	}, m.Headers)
	require.Len(t, m.Attachments, 1)
	assert.Equal(t, "notes.txt", m.Attachments[0].Filename)
	assert.Equal(t, "S00000001", m.Session)

	code, h, body := f.do("GET", "/api/v1/messages/00000001/html", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'none'")
	assert.Contains(t, body, "<p>Hello <b>Bob</b>.</p>")
	assert.NotContains(t, body, "script")
	assert.NotContains(t, body, "onclick")
	assert.NotContains(t, body, "javascript")

	_, _, body = f.do("GET", "/api/v1/messages/00000001/raw", "")
	assert.Equal(t, multipartMessage, body)
	code, h, body = f.do("GET", "/api/v1/messages/00000001/attachments/0", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "notes\n", body)
	assert.Equal(t, `attachment; filename="notes.txt"`, h.Get("Content-Disposition"))

	code, _, body = f.do("GET", "/api/v1/messages/00000009", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.JSONEq(t, `{"error": "no message \"00000009\""}`, body)
	code, _, _ = f.do("GET", "/api/v1/messages/00000002/html", "")
	assert.Equal(t, http.StatusNotFound, code)
	code, _, body = f.do("GET", "/api/v1/messages?wait=forever", "")
	assert.Equal(t, http.StatusBadRequest, code, body)

	code, _, _ = f.do("DELETE", "/api/v1/messages/00000001", "")
	assert.Equal(t, http.StatusNoContent, code)
	code, _, _ = f.do("DELETE", "/api/v1/messages/00000001", "")
	assert.Equal(t, http.StatusNotFound, code)
	code, _, _ = f.do("GET", "/api/v1/messages/00000002", "") // now in the cache
	assert.Equal(t, http.StatusOK, code)
	code, _, _ = f.do("DELETE", "/api/v1/messages", "")
	assert.Equal(t, http.StatusNoContent, code)
	f.getJSON("/api/v1/messages", &list)
	assert.Equal(t, 0, list.Total)
	code, _, _ = f.do("GET", "/api/v1/messages/00000002", "")
	assert.Equal(t, http.StatusNotFound, code, "deleted, though it was cached")
}

// wait answers as soon as a matching message arrives, and with an empty
// list when the time is up.
func TestMessagesWait(t *testing.T) {
	f := newFixture(t, nil)
	done := make(chan mailweb.MessageList, 1)
	go func() {
		var l mailweb.MessageList
		resp, err := http.Get(f.web.URL + "/api/v1/messages?wait=10s&to=late@example.com")
		if err == nil {
			json.NewDecoder(resp.Body).Decode(&l)
			resp.Body.Close()
		}
		done <- l
	}()
	time.Sleep(50 * time.Millisecond) // let the wait begin; the test holds either way
	f.send("a@example.com", []string{"other@example.com"}, "x\r\n")
	f.send("a@example.com", []string{"late@example.com"}, "Subject: here\r\n\r\nx\r\n")
	select {
	case l := <-done:
		require.Len(t, l.Messages, 1)
		assert.Equal(t, "here", l.Messages[0].Subject)
	case <-time.After(8 * time.Second):
		t.Fatal("wait did not answer when the message came")
	}

	start := time.Now()
	var l mailweb.MessageList
	f.getJSON("/api/v1/messages?wait=200ms&to=nobody@example.com", &l)
	assert.Empty(t, l.Messages)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
}

// since= waits for a message after a given one: the message already
// there, which matches the same filter, does not answer the wait.
func TestMessagesWaitSince(t *testing.T) {
	f := newFixture(t, nil)
	f.send("a@example.com", []string{"again@example.com"}, "Subject: old\r\n\r\nx\r\n")
	var before mailweb.MessageList
	f.getJSON("/api/v1/messages?limit=1", &before)
	require.Len(t, before.Messages, 1)
	last := before.Messages[0].ID

	done := make(chan mailweb.MessageList, 1)
	go func() {
		var l mailweb.MessageList
		resp, err := http.Get(f.web.URL + "/api/v1/messages?wait=10s&to=again@example.com&since=" + last)
		if err == nil {
			json.NewDecoder(resp.Body).Decode(&l)
			resp.Body.Close()
		}
		done <- l
	}()
	select {
	case l := <-done:
		t.Fatalf("the wait was answered by the message before it: %+v", l)
	case <-time.After(100 * time.Millisecond):
	}
	f.send("a@example.com", []string{"again@example.com"}, "Subject: new\r\n\r\nx\r\n")
	select {
	case l := <-done:
		require.Len(t, l.Messages, 1)
		assert.Equal(t, "new", l.Messages[0].Subject)
		assert.Equal(t, 1, l.Count)
		assert.Equal(t, 2, l.Total)
	case <-time.After(8 * time.Second):
		t.Fatal("wait did not answer when the new message came")
	}

	var all mailweb.MessageList
	f.getJSON("/api/v1/messages?since=0", &all)
	assert.Len(t, all.Messages, 2, "since=0 is every message")

	resp, err := http.Get(f.web.URL + "/api/v1/messages?since=zz")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "since must be a message ID")
}

// The explanations of a session are in the server's language (serve
// --lang), or in the one a request asks for with ?lang=.
func TestSessionsAPILanguage(t *testing.T) {
	f := newFixture(t, &mailweb.Options{Lang: explain.ZhHans})
	f.send("a@example.com", []string{"b@example.com"}, "Subject: s\r\n\r\nx\r\n")
	require.Eventually(t, func() bool { s := f.srv.Sessions(); return len(s) == 1 && !s[0].Open() }, 5*time.Second, 10*time.Millisecond)
	explained := func(query string) map[string]string {
		var s mailweb.SessionDetail
		f.getJSON("/api/v1/sessions/S00000001"+query, &s)
		out := map[string]string{}
		for _, l := range s.Lines {
			out[l.Text] = strings.Join(l.Explain, " ")
		}
		return out
	}
	zh := explained("")
	assert.Contains(t, zh["354 End data with <CR><LF>.<CR><LF>"], "开始输入邮件内容")
	assert.True(t, strings.HasPrefix(zh["250-PIPELINING"], "PIPELINING:"), zh["250-PIPELINING"])
	assert.NotContains(t, zh["250-PIPELINING"], "commands may be sent")
	hant := explained("?lang=zh-Hant")
	assert.Contains(t, hant["354 End data with <CR><LF>.<CR><LF>"], "開始輸入郵件內容")
	en := explained("?lang=en")
	assert.Contains(t, en["354 End data with <CR><LF>.<CR><LF>"], "Start mail input")

	code, _, body := f.do("GET", "/api/v1/sessions/S00000001?lang=fr", "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "lang")
}

func TestSessionsAPI(t *testing.T) {
	f := newFixture(t, nil)
	f.send("a@example.com", []string{"b@example.com"}, "Subject: s\r\n\r\n.dot\r\n")
	require.Eventually(t, func() bool { s := f.srv.Sessions(); return len(s) == 1 && !s[0].Open() }, 5*time.Second, 10*time.Millisecond)

	var list struct {
		Total    int                `json:"total"`
		Sessions []smtptest.Session `json:"sessions"`
	}
	f.getJSON("/api/v1/sessions", &list)
	require.Len(t, list.Sessions, 1)
	assert.Equal(t, []string{"00000001"}, list.Sessions[0].Messages)

	var s mailweb.SessionDetail
	f.getJSON("/api/v1/sessions/S00000001", &s)
	byText := map[string]mailweb.SessionLine{}
	for _, l := range s.Lines {
		byText[l.Dir+": "+l.Text] = l
	}
	assert.NotEmpty(t, byText["S: 220 smtpsh.demo ESMTP smtpsh demo server"].Explain, "the greeting is explained")
	assert.Contains(t, strings.Join(byText["S: 354 End data with <CR><LF>.<CR><LF>"].Explain, " "), "354")
	assert.Empty(t, byText["C: ..dot"].Explain)
	pipelining := byText["S: 250-PIPELINING"].Explain
	if assert.Len(t, pipelining, 1, "each EHLO keyword is explained") {
		assert.True(t, strings.HasPrefix(pipelining[0], "PIPELINING: ") && strings.Contains(pipelining[0], "RFC 2920"), pipelining[0])
	}

	code, _, transcript := f.do("GET", "/api/v1/sessions/S00000001/transcript", "")
	assert.Equal(t, http.StatusOK, code)
	_, err := smtptest.Parse("session.txt", strings.NewReader(transcript))
	require.NoError(t, err, transcript)
	assert.Contains(t, transcript, "C: ..dot\nC: .\nS: 250 2.0.0 Ok: queued as 00000001\n")

	code, _, _ = f.do("GET", "/api/v1/sessions/S00000009", "")
	assert.Equal(t, http.StatusNotFound, code)
	code, _, _ = f.do("DELETE", "/api/v1/sessions", "")
	assert.Equal(t, http.StatusNoContent, code)
	f.getJSON("/api/v1/sessions", &list)
	assert.Empty(t, list.Sessions)
}

func TestFaultsAPI(t *testing.T) {
	f := newFixture(t, nil)
	code, _, body := f.do("PUT", "/api/v1/faults", `{"rules": ["RCPT to=*@bounce.test 550 5.1.1 No such user"]}`)
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, `{"rules": ["RCPT to=*@bounce.test 550 5.1.1 No such user"]}`, body)
	assert.Equal(t, "550 5.1.1 No such user", f.send("a@example.com", []string{"x@bounce.test"}, "x\r\n"))

	code, _, body = f.do("POST", "/api/v1/faults", "DATA 451 4.3.0 rate=0.5")
	require.Equal(t, http.StatusOK, code, body)
	assert.JSONEq(t, `{"rules": ["RCPT to=*@bounce.test 550 5.1.1 No such user", "DATA 451 4.3.0 Fault injected by smtpsh rate=0.5"]}`, body)

	code, _, body = f.do("POST", "/api/v1/faults", "WHAT 550")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, `unknown command \"WHAT\"`)

	code, _, _ = f.do("DELETE", "/api/v1/faults", "")
	assert.Equal(t, http.StatusNoContent, code)
	assert.Empty(t, f.faults.List())
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", f.send("a@example.com", []string{"x@bounce.test"}, "x\r\n"))
}

func TestBasicAuth(t *testing.T) {
	f := newFixture(t, &mailweb.Options{User: "admin", Password: "s3cret"})
	code, h, _ := f.do("GET", "/api/v1/messages", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, h.Get("WWW-Authenticate"), "Basic")
	req, _ := http.NewRequest("GET", f.web.URL+"/api/v1/messages", nil)
	req.SetBasicAuth("admin", "wrong")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req.SetBasicAuth("admin", "s3cret")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	_, _, err = mailweb.ParseAuth("nopass")
	assert.Error(t, err)
	u, p, err := mailweb.ParseAuth("a:b:c")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b:c"}, []string{u, p})
}

func TestStaticPage(t *testing.T) {
	f := newFixture(t, nil)
	code, h, body := f.do("GET", "/", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, h.Get("Content-Type"), "text/html")
	assert.Contains(t, body, `<script src="app.js"></script>`)
	code, _, _ = f.do("GET", "/app.js", "")
	assert.Equal(t, http.StatusOK, code)
	code, _, body = f.do("GET", "/api/v1/nothing", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body, "no such API endpoint")
}

// The event stream sends an update with the new message and session.
func TestEvents(t *testing.T) {
	f := newFixture(t, nil)
	req, _ := http.NewRequestWithContext(testCtx(t), "GET", f.web.URL+"/api/v1/events", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "retry: 1000\n", line)

	f.send("a@example.com", []string{"b@example.com"}, "Subject: live\r\n\r\nx\r\n")
	var got []mailweb.MessageSummary
	for len(got) == 0 {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var u mailweb.Update
			require.NoError(t, json.Unmarshal([]byte(data), &u))
			got = append(got, u.Messages...)
		}
	}
	assert.Equal(t, "live", got[0].Subject)
}
