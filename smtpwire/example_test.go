package smtpwire_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// exampleServer replays a short session on loopback, so the examples run
// for real without any mail server.
func exampleServer(script string) *smtptest.Server {
	s, err := smtptest.Parse("example.txt", strings.NewReader(script))
	if err != nil {
		log.Fatal(err)
	}
	srv, err := smtptest.NewServer(s, nil)
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

// Send one message with the verb methods: each negative reply comes back
// as a *smtpwire.ReplyError.
func Example() {
	srv := exampleServer(`
S: 220 mx.example.com ESMTP
C: EHLO client.example.com
S: 250-mx.example.com
S: 250 AUTH PLAIN
C: AUTH PLAIN AHVzZXIAc2VjcmV0
S: 235 2.7.0 Authentication successful
C: MAIL FROM:<user@example.com>
S: 250 2.1.0 Ok
C: RCPT TO:<friend@example.com>
S: 250 2.1.5 Ok
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
C: Subject: hi
C:
C: ..a line that starts with a dot
C: .
S: 250 2.0.0 Ok: queued as 12345
C: QUIT
S: 221 2.0.0 Bye
`)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{LocalName: "client.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	steps := []func() error{
		func() error { return c.Hello(ctx, "") },
		func() error { return c.Auth(ctx, smtpwire.PlainAuth("", "user", "secret")) },
		func() error { return c.Mail(ctx, "user@example.com", nil) },
		func() error { return c.Rcpt(ctx, "friend@example.com", nil) },
		func() error {
			w, err := c.Data(ctx)
			if err != nil {
				return err
			}
			fmt.Fprint(w, "Subject: hi\n\n.a line that starts with a dot\n")
			return w.Close()
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(c.LastReply().Message())
	if err := c.Quit(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.Wait())
	// Output:
	// Ok: queued as 12345
	// <nil>
}

// Drive a session line by line, as a shell does: Cmd returns every reply,
// a 5yz included, and fails only when no well-formed reply arrived. The
// trace hook sees each wire line, with AUTH payloads redacted and 334
// challenges decoded.
func ExampleClient_Cmd() {
	srv := exampleServer(`
S: 220 mx.example.com ESMTP
C: RCPT TO:<someone@example.com>
S: 503 5.5.1 Error: need MAIL command
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 235 2.7.0 Authentication successful
C: QUIT
S: 221 2.0.0 Bye
`)
	defer srv.Close()

	ctx := context.Background()
	trace := func(ev smtpwire.TraceEvent) {
		if ev.Decoded != "" {
			fmt.Printf("%s: %s   # %s\n", ev.Dir, ev.Line, ev.Decoded)
			return
		}
		fmt.Printf("%s: %s\n", ev.Dir, ev.Line)
	}
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{Trace: trace})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for _, line := range []string{"RCPT TO:<someone@example.com>", "AUTH LOGIN", "dXNlcg==", "c2VjcmV0", "QUIT"} {
		r, err := c.Cmd(ctx, line)
		if err != nil {
			log.Fatal(err)
		}
		if r.Code == 503 {
			fmt.Println("#", explain.CodeMeaning(r.Code).Text(explain.En))
		}
	}
	fmt.Println("# state:", c.State())
	// Output:
	// S: 220 mx.example.com ESMTP
	// C: RCPT TO:<someone@example.com>
	// S: 503 5.5.1 Error: need MAIL command
	// # 503: Bad sequence of commands (RFC 5321 §4.2.3)
	// C: AUTH LOGIN
	// S: 334 VXNlcm5hbWU6   # Username:
	// C: [redacted]
	// S: 334 UGFzc3dvcmQ6   # Password:
	// C: [redacted]
	// S: 235 2.7.0 Authentication successful
	// C: QUIT
	// S: 221 2.0.0 Bye
	// # state: closed
}

// Parse a reply read elsewhere, and look up what its codes mean (in the
// explain package, which has them in English and Chinese).
func ExampleParseReply() {
	r, err := smtpwire.ParseReply([]string{"535 5.7.8 Error: authentication failed"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Code, r.Enhanced, r.Message())
	fmt.Println(explain.CodeMeaning(r.Code).Text(explain.En))
	fmt.Println(explain.EnhancedMeaning(r.Enhanced).Text(explain.ZhHans))
	// Output:
	// 535 5.7.8 Error: authentication failed
	// 535: Authentication credentials invalid (RFC 4954 §6)
	// 5.7.8:永久失败:原样重发仍会失败;认证凭据无效
}
