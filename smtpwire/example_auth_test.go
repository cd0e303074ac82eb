package smtpwire_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// Log in with the strongest mechanism the server offers that the
// credentials fit: here SCRAM-SHA-256, in which the server proves it
// knows the password too.
func ExamplePickMechanism() {
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{
		Users:          map[string]string{"alice@example.com": "s3cret"},
		AuthMechanisms: smtptest.AllAuthMechanisms,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := smtpwire.Dial(ctx, srv.Addr(), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello(ctx, "client.example.com"); err != nil {
		log.Fatal(err)
	}
	cred := smtpwire.Credentials{User: "alice@example.com", Password: "s3cret"}
	// secure: true because the server is on loopback; over the network,
	// c.TLS() after StartTLS.
	name, err := smtpwire.PickMechanism(c.Extensions().AuthMechanisms(), true, cred)
	if err != nil {
		log.Fatal(err)
	}
	m, err := smtpwire.NewMechanism(name, cred)
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Auth(ctx, m); err != nil {
		log.Fatal(err)
	}
	fmt.Println(name, c.LastReply())
	c.Quit(ctx)
	// Output: SCRAM-SHA-256 235 2.7.0 Authentication successful
}

// Connect through a SOCKS5 proxy: ProxyDialer gives Config.DialContext.
func ExampleProxyDialer() {
	srv, err := smtptest.NewMailServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	proxy, err := smtptest.NewSOCKS5Server("user", "proxy-password")
	if err != nil {
		log.Fatal(err)
	}
	defer proxy.Close()
	dial, err := smtpwire.ProxyDialer("socks5://user:proxy-password@"+proxy.Addr(), nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{DialContext: dial})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(c.Greeting())
	c.Quit(ctx)
	// Output: 220 smtpsh.demo ESMTP smtpsh demo server
}
