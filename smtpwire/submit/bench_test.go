package submit_test

import (
	"bytes"
	"context"
	"fmt"
	"net/smtp"
	"sync"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// The benchmarks send the same messages to the same in-process sink
// (smtptest.Sink) with this package and with net/smtp, one session per
// connection, so their ratio is the client's cost:
//
//	go test ./smtpwire/submit -run XXX -bench . -benchmem
//
// scripts/bench-send.sh compares smtpsh bench with net/smtp and
// smtp-source against Postfix's smtp-sink instead.

func benchBody(size int) []byte {
	line := []byte("The quick brown fox jumps over the lazy dog, again and again.\r\n")
	var b bytes.Buffer
	b.WriteString("From: a@example.test\r\nTo: b@example.test\r\nSubject: bench\r\n\r\n")
	for b.Len() < size {
		b.Write(line)
	}
	return b.Bytes()[:size]
}

func BenchmarkSend(b *testing.B) {
	for _, size := range []int{1 << 10, 10 << 20} {
		for _, conns := range []int{1, 8} {
			if size > 1<<10 && conns > 1 {
				continue
			}
			name := fmt.Sprintf("%dKiB/conns=%d", size>>10, conns)
			b.Run("submit/"+name, func(b *testing.B) { benchSubmit(b, size, conns) })
			b.Run("netsmtp/"+name, func(b *testing.B) { benchNetSMTP(b, size, conns) })
		}
	}
}

// split runs n messages over conns goroutines.
func split(b *testing.B, conns int, run func(n int) error) {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		n := b.N / conns
		if i < b.N%conns {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(n); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

func benchSubmit(b *testing.B, size, conns int) {
	sink, err := smtptest.NewSink()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	benchSubmitAt(b, sink.Addr(), size, conns, sink)
}

// benchSubmitAt sends b.N messages to addr; with sink it checks that
// every one arrived.
func benchSubmitAt(b *testing.B, addr string, size, conns int, sink *smtptest.Sink) {
	body := benchBody(size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	split(b, conns, func(n int) error {
		ctx := context.Background()
		s, err := submit.Dial(ctx, submit.Options{Addr: addr, TLS: submit.TLSNone, Chunking: submit.Never})
		if err != nil {
			return err
		}
		defer s.Quit(ctx)
		r := bytes.NewReader(body)
		m := &submit.Message{From: "a@example.test", To: []submit.Recipient{{Addr: "b@example.test"}},
			Body: r, Size: int64(len(body)), Content: submit.Content7Bit}
		var failed error
		err = s.SendAll(ctx, func(yield func(*submit.Message) bool) {
			for range n {
				r.Reset(body)
				if !yield(m) {
					return
				}
			}
		}, func(_ *submit.Message, _ *submit.Result, err error) bool {
			failed = err
			return err == nil
		})
		if err != nil {
			return err
		}
		return failed
	})
	b.StopTimer()
	if sink != nil && sink.Messages.Load() != int64(b.N) {
		b.Fatalf("the sink got %d messages, want %d", sink.Messages.Load(), b.N)
	}
}

func benchNetSMTP(b *testing.B, size, conns int) {
	sink, err := smtptest.NewSink()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	benchNetSMTPAt(b, sink.Addr(), size, conns, sink)
}

// benchNetSMTPAt is benchSubmitAt with net/smtp: one connection per
// goroutine, Mail, Rcpt, Data and Close per message, in lockstep.
func benchNetSMTPAt(b *testing.B, addr string, size, conns int, sink *smtptest.Sink) {
	body := benchBody(size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	split(b, conns, func(n int) error {
		c, err := smtp.Dial(addr)
		if err != nil {
			return err
		}
		defer c.Quit()
		for range n {
			if err := c.Mail("a@example.test"); err != nil {
				return err
			}
			if err := c.Rcpt("b@example.test"); err != nil {
				return err
			}
			w, err := c.Data()
			if err != nil {
				return err
			}
			if _, err := w.Write(body); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	b.StopTimer()
	if sink != nil && sink.Messages.Load() != int64(b.N) {
		b.Fatalf("the sink got %d messages, want %d", sink.Messages.Load(), b.N)
	}
}
