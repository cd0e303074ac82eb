package main

import (
	"context"
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

// A message sent with smtpsh send appears in the page without a reload,
// its HTML renders inside the sandboxed iframe with the script removed,
// and its session shows the conversation with explanations.
func TestBrowserLiveMessageAndSession(t *testing.T) {
	smtpAddr, httpAddr, _ := startServe(t, "--quiet", "--auth", "off")
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate("http://"+httpAddr+"/"),
		chromedp.WaitVisible(chromedp.CSS("#live.on")),
	))

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
