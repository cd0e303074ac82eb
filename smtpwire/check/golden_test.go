package check_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/check"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ from the current output")

const (
	demoUser = "demo@smtpsh.demo"
	demoPass = "demo-password"
)

// submissionServer is a server like the providers' 587: STARTTLS, and
// AUTH only inside TLS.
func submissionServer(t *testing.T) *smtptest.MailServer {
	t.Helper()
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{
		Users:           map[string]string{demoUser: demoPass},
		AuthRequiresTLS: true,
		Timeout:         10 * time.Second,
	})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, ps, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	port, err := strconv.Atoi(ps)
	require.NoError(t, err)
	return host, port
}

// baseOptions checks addr with STARTTLS, trusting the test CA.
func baseOptions(t *testing.T, addr string) check.Options {
	host, port := hostPort(t, addr)
	d := 5 * time.Second
	return check.Options{
		Host: host, Port: port, TLS: check.ModeStartTLS,
		Config: smtpwire.Config{
			LocalName:  "client.test",
			ServerName: "localhost",
			TLSConfig:  &tls.Config{RootCAs: smtptest.CertPool()},
			Timeouts:   smtpwire.Timeouts{Connect: d, TLS: d, Greeting: d, Command: d},
		},
	}
}

func TestCheckGolden(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T) check.Options
		failed string // the layer of the verdict; "" for a pass
	}{
		{"pass", func(t *testing.T) check.Options {
			srv := submissionServer(t)
			o := baseOptions(t, srv.Addr())
			o.User, o.Password, o.To = demoUser, demoPass, []string{"bob@example.com"}
			t.Cleanup(func() { assert.Empty(t, srv.Messages(), "the check sends no mail") })
			return o
		}, ""},
		{"auth-fail", func(t *testing.T) check.Options {
			srv := submissionServer(t)
			o := baseOptions(t, srv.Addr())
			o.User, o.Password, o.To = demoUser, "not-the-password", []string{"bob@example.com"}
			return o
		}, check.StageAuth},
		{"refused", func(t *testing.T) check.Options {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			ln.Close()
			return baseOptions(t, addr)
		}, check.StageTCP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.setup(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep := check.Run(ctx, o)
			v := rep.Verdict()
			assert.Equal(t, tt.failed == "", v.OK)
			assert.Equal(t, tt.failed, v.Layer)
			for lang, name := range map[check.Lang]string{check.English: "en", check.Chinese: "zh", check.TraditionalChinese: "zh-Hant"} {
				var text, js bytes.Buffer
				require.NoError(t, check.WriteText(&text, rep, lang))
				require.NoError(t, check.WriteJSON(&js, rep, lang))
				assert.True(t, json.Valid(js.Bytes()))
				golden(t, tt.name+"."+name+".txt", stable(text.String(), o.Port))
				golden(t, tt.name+"."+name+".json", stable(js.String(), o.Port))
			}
		})
	}
}

// stable replaces what changes from run to run: the port, durations,
// dates, days left, and the cipher suite (AES or ChaCha20 depending on
// the CPU).
func stable(s string, port int) string {
	for _, r := range []struct{ re, with string }{
		{`\b` + strconv.Itoa(port) + `\b`, "PORT"},
		{`\b\d+ms\b`, "Nms"},
		{`"duration_ms": \d+`, `"duration_ms": 0`},
		{`\d{4}-\d{2}-\d{2}`, "YYYY-MM-DD"},
		{`\d+ days left`, "N days left"},
		{`剩余 \d+ 天`, "剩余 N 天"},
		{`TLS_[A-Z0-9_]+`, "TLS_CIPHER"},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./smtpwire/check/ -run TestGolden -update to create it")
	assert.Equal(t, string(want), got, "%s differs: read the diff, then rerun with -update if the change is intended", path)
}
