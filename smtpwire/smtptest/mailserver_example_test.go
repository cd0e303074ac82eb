package smtptest_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

func ExampleMailServer() {
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{
		Users:           map[string]string{"alice": "s3cret"},
		AuthRequiresTLS: true,
		OnMessage: func(m smtptest.Message) {
			fmt.Printf("message %s from <%s> to %q, TLS %v, user %q:\n", m.ID, m.From, m.To, m.TLS, m.AuthUser)
			fmt.Print(strings.ReplaceAll(string(m.Data), "\r\n", "\n"))
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{
		TLSConfig: &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(c.Greeting())
	steps := []func() error{
		func() error { return c.Hello(ctx, "client.example") },
		func() error { return c.StartTLS(ctx) },
		func() error { return c.Auth(ctx, smtpwire.PlainAuth("", "alice", "s3cret")) },
		func() error { return c.Mail(ctx, "alice@example.com", nil) },
		func() error { return c.Rcpt(ctx, "bob@example.com", nil) },
		func() error {
			w, err := c.Data(ctx)
			if err != nil {
				return err
			}
			io.WriteString(w, "Subject: hello\r\n\r\nHi Bob.\r\n")
			return w.Close()
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(c.LastReply())
	c.Quit(ctx)
	// Output:
	// 220 smtpsh.demo ESMTP smtpsh demo server
	// message 00000001 from <alice@example.com> to ["bob@example.com"], TLS true, user "alice":
	// Subject: hello
	//
	// Hi Bob.
	// 250 2.0.0 Ok: queued as 00000001
}
