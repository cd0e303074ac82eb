package submit_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// Send one message: the session is brought up as the options say, and
// the message goes pipelined when the server offers PIPELINING.
func ExampleSession_Send() {
	sink, _ := smtptest.NewSink() // stands for smtp.example.com:587
	defer sink.Close()
	ctx := context.Background()
	s, err := submit.Dial(ctx, submit.Options{
		Addr: sink.Addr(),
		TLS:  submit.TLSNone, // TLSRequired for a real server
		// Auth: func(*smtpwire.Extensions, bool) (smtpwire.Mechanism, error) {
		//	return smtpwire.PlainAuth("", user, password), nil
		// },
		Config: smtpwire.Config{LocalName: "client.example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Quit(ctx)
	body := "From: <me@example.com>\r\nTo: <you@example.com>\r\nSubject: hi\r\n\r\nhello\r\n"
	size, content, _ := submit.Inspect(strings.NewReader(body))
	res, err := s.Send(ctx, &submit.Message{
		From: "me@example.com", To: []submit.Recipient{{Addr: "you@example.com"}},
		Body: strings.NewReader(body), Size: size, Content: content,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Reply, "| pipelined:", res.Pipelined, "| round trips:", s.RoundTrips())
	// Output: 250 2.0.0 Ok: queued | pipelined: true | round trips: 1
}

// A stream of messages on one session: one round trip each.
func ExampleSession_SendAll() {
	sink, _ := smtptest.NewSink()
	defer sink.Close()
	ctx := context.Background()
	s, err := submit.Dial(ctx, submit.Options{Addr: sink.Addr(), TLS: submit.TLSNone, Chunking: submit.Never})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Quit(ctx)
	messages := func(yield func(*submit.Message) bool) {
		for i := range 3 {
			body := fmt.Sprintf("Subject: %d\r\n\r\nmessage %d\r\n", i, i)
			if !yield(&submit.Message{From: "me@example.com", To: []submit.Recipient{{Addr: "you@example.com"}},
				Body: strings.NewReader(body), Content: submit.Content7Bit}) {
				return
			}
		}
	}
	err = s.SendAll(ctx, messages, func(m *submit.Message, r *submit.Result, err error) bool {
		fmt.Println(r.Reply, err)
		return true
	})
	fmt.Println("stream:", err, "| round trips:", s.RoundTrips())
	// Output:
	// 250 2.0.0 Ok: queued <nil>
	// 250 2.0.0 Ok: queued <nil>
	// 250 2.0.0 Ok: queued <nil>
	// stream: <nil> | round trips: 3
}
