package smtptest_test

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

func ExampleParse() {
	script, err := smtptest.Parse("auth-plain.txt", strings.NewReader(`# AUTH PLAIN with the secret redacted.
S: 220 mx.example.test ESMTP
C: AUTH PLAIN [redacted]
S: 235 2.7.0 ok
`))
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range script.Steps {
		fmt.Printf("%s:%d: %s\n", script.Name, st.Line, st)
	}

	_, err = smtptest.Parse("bad.txt", strings.NewReader("S: 220 hi\nC:QUIT\n"))
	fmt.Println(err)
	// Output:
	// auth-plain.txt:2: S: 220 mx.example.test ESMTP
	// auth-plain.txt:3: C: AUTH PLAIN [redacted]
	// auth-plain.txt:4: S: 235 2.7.0 ok
	// bad.txt:2: missing space after "C:" in "C:QUIT"
}

func ExampleServer() {
	script, err := smtptest.Parse("quit.txt", strings.NewReader(`# Greeting, EHLO, QUIT.
S: 220 mx.example.test ESMTP
C: EHLO client.example.test
S: 250-mx.example.test
S: 250 8BITMIME
C: QUIT
S: 221 bye
`))
	if err != nil {
		log.Fatal(err)
	}
	srv, err := smtptest.NewServer(script, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// The code under test would go here; this client sends a wrong EHLO.
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		log.Fatal(err)
	}
	r := bufio.NewReader(conn)
	greeting, _ := r.ReadString('\n')
	fmt.Printf("greeting: %q\n", greeting)
	fmt.Fprintf(conn, "EHLO other.example.test\r\n")
	conn.Close()

	fmt.Println(srv.Wait())
	// Output:
	// greeting: "220 mx.example.test ESMTP\r\n"
	// quit.txt:3: client sent "EHLO other.example.test", want "EHLO client.example.test"
}
