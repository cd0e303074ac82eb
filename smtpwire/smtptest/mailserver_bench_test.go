package smtptest_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// BenchmarkMailServerData sends a 1 MiB message of 76-octet lines per
// iteration over one connection: the server's DATA path, session log
// included.
//
//	go test -run '^$' -bench MailServerData -benchmem ./smtpwire/smtptest/
func BenchmarkMailServerData(b *testing.B) {
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{KeepMessages: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c, err := smtpwire.Dial(ctx, srv.Addr(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello(ctx, "bench.test"); err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat(strings.Repeat("x", 74)+"\r\n", (1<<20)/76)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		if err := c.Mail(ctx, "a@example.com", nil); err != nil {
			b.Fatal(err)
		}
		if err := c.Rcpt(ctx, "b@example.com", nil); err != nil {
			b.Fatal(err)
		}
		w, err := c.Data(ctx)
		if err != nil {
			b.Fatal(err)
		}
		io.WriteString(w, body)
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
