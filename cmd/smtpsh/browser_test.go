package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/repl"
)

// chromium finds Debian's Chromium, or fails the test saying how to
// install it: the web page is tested in a real browser or not at all.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: the web page tests need it; run `apt-get install -y chromium` (or .ci/run)")
	return ""
}

// browser starts a headless Chromium that reaches nothing but what the
// test opens: no sandbox (containers), no QUIC, no background or
// component traffic, a fresh profile. Sandboxed iframes stay in the
// page's process so the test can read the message HTML inside one.
func browser(t *testing.T) context.Context {
	t.Helper()
	profile, perr := os.MkdirTemp("", "smtpsh-chromium-")
	require.NoError(t, perr)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", "IsolateSandboxedIframes,site-per-process,Translate,MediaRouter,OptimizationHints"),
		chromedp.UserDataDir(profile),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelC()
		cancelB()
		cancelA()
		// Chromium's helper processes may still write to the profile for
		// a moment after the browser is gone: retry, and never fail the
		// test over a temporary directory.
		for i := 0; i < 20; i++ {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})
	_, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err, "starting chromium")
	return ctx
}

// run1 runs one action that gives a value, failing the test on error.
func run1[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	require.NoError(t, err)
	return v
}

// servePage starts smtpsh serve --http without AUTH and opens its page in
// Chromium, live updates on; it returns the SMTP address to send to.
func servePage(t *testing.T) (smtpAddr string, ctx context.Context) {
	t.Helper()
	smtpAddr, httpAddr, _ := startServe(t, "--quiet", "--auth", "off")
	ctx = browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate("http://"+httpAddr+"/"),
		chromedp.WaitVisible(chromedp.CSS("#live.on")),
	))
	return smtpAddr, ctx
}

// A message sent with smtpsh send appears in the page without a reload,
// its HTML renders inside the sandboxed iframe with the script removed,
// and its session shows the conversation with explanations.
func TestBrowserLiveMessageAndSession(t *testing.T) {
	smtpAddr, ctx := servePage(t)

	dir := t.TempDir()
	htmlFile := filepath.Join(dir, "body.html")
	require.NoError(t, os.WriteFile(htmlFile, []byte(`<p>Hello <b id="who">Browser</b></p><script>parent.document.title="pwned"</script>`), 0o600))
	code, stdout, stderr := runCmd(t, "", "send", "--server", smtpAddr, "--tls", "none", "--quiet", "--chunking", "never", // DATA, to see its 354 explained
		"--from", "app@example.com", "--to", "user@example.com", "--subject", "Live in Chromium", "--body", "plain", "--html", htmlFile)
	require.Equal(t, repl.ExitOK, code, stdout+stderr)

	row := chromedp.CSS(`#messages tbody tr[data-id="00000001"]`)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(row)))
	assert.Equal(t, "Live in Chromium", run1(t, ctx, chromedp.Text(row+" td:nth-child(4)")))
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(row), chromedp.WaitVisible(chromedp.CSS("iframe.html"))))
	sandbox := run1(t, ctx, chromedp.AttributeValue(chromedp.CSS("iframe.html"), "sandbox"))
	assert.Equal(t, chromedp.AttributeResult{Value: "", Exists: true}, sandbox, "scripts and same-origin access are off")
	frames := run1(t, ctx, chromedp.Nodes(chromedp.CSS("iframe.html")))
	require.Len(t, frames, 1)
	assert.Equal(t, "Browser", run1(t, ctx, chromedp.Text(chromedp.CSS("#who"), chromedp.FromNode(frames[0]))),
		"the HTML part renders in the iframe")
	assert.Equal(t, "smtpsh serve", run1(t, ctx, chromedp.Title()), "the message's script did not run")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[text()="Show its session"]`)),
		chromedp.WaitVisible(chromedp.CSS("#session .wire .explain")),
	))
	wire := run1(t, ctx, chromedp.Text(chromedp.CSS("#session .wire")))
	assert.Contains(t, wire, "MAIL FROM:<app@example.com>")
	assert.Contains(t, wire, "354 End data with <CR><LF>.<CR><LF>")
	assert.True(t, strings.Contains(wire, "RFC 5321"), "explanations cite the RFC:\n%s", wire)
}

// An HTML message with an inline image (multipart/related, the image
// named by Content-ID and the HTML pointing at it with cid:) shows the
// image in the page: it is laid out at its own size, 37 by 23 pixels,
// which a broken image would not be.
func TestBrowserInlineImage(t *testing.T) {
	smtpAddr, ctx := servePage(t)

	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = 0xc0
	}
	var png64 bytes.Buffer
	enc := base64.NewEncoder(base64.StdEncoding, &png64)
	require.NoError(t, png.Encode(enc, img))
	require.NoError(t, enc.Close())
	var lines []string
	for s := png64.String(); s != ""; {
		n := min(76, len(s))
		lines, s = append(lines, s[:n]), s[n:]
	}
	msg := strings.Join([]string{
		"From: app@example.com",
		"To: user@example.com",
		"Subject: Inline image",
		"MIME-Version: 1.0",
		`Content-Type: multipart/related; boundary="rel"; type="text/html"`,
		"",
		"--rel",
		"Content-Type: text/html; charset=utf-8",
		"",
		`<p>Logo: <img id="logo" src="cid:logo@example.com" alt="logo"></p>`,
		"--rel",
		"Content-Type: image/png",
		"Content-Transfer-Encoding: base64",
		"Content-ID: <logo@example.com>",
		"Content-Disposition: inline",
		"",
		strings.Join(lines, "\r\n"),
		"--rel--",
		"",
	}, "\r\n")
	file := filepath.Join(t.TempDir(), "inline.eml")
	require.NoError(t, os.WriteFile(file, []byte(msg), 0o600))
	code, stdout, stderr := runCmd(t, "", "send", "--server", smtpAddr, "--tls", "none", "--quiet",
		"--from", "app@example.com", "--to", "user@example.com", "--data", file)
	require.Equal(t, repl.ExitOK, code, stdout+stderr)

	row := chromedp.CSS(`#messages tbody tr[data-id="00000001"]`)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(row), chromedp.Click(row), chromedp.WaitVisible(chromedp.CSS("iframe.html"))))
	frames := run1(t, ctx, chromedp.Nodes(chromedp.CSS("iframe.html")))
	require.Len(t, frames, 1)
	src := run1(t, ctx, chromedp.AttributeValue(chromedp.CSS("#logo"), "src", chromedp.FromNode(frames[0])))
	assert.True(t, strings.HasPrefix(src.Value, "data:image/png;base64,"), "the cid: URL became a data: URL: %.60q", src.Value)
	// Laid out at its own size once decoded; a broken image is not.
	var w, h int64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		box := run1(t, ctx, chromedp.Dimensions(chromedp.CSS("#logo"), chromedp.FromNode(frames[0])))
		if w, h = box.Width, box.Height; w == 37 && h == 23 {
			break
		}
	}
	assert.Equal(t, [2]int64{37, 23}, [2]int64{w, h}, "the image's box")
}
