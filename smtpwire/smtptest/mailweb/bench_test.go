package mailweb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest/mailweb"
)

// BenchmarkThroughput sends b.N messages through the SMTP side over four
// connections while a page's event stream is open, and reports messages
// a second, how long after the last 250 the event stream delivered the
// last message ("lag-ms") and how long listing the messages then took
// ("list-ms"): the API must keep up.
//
//	go test -run '^$' -bench Throughput -benchtime 5000x ./smtpwire/smtptest/mailweb/
func BenchmarkThroughput(b *testing.B) {
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{MaxConnections: 16})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	web := httptest.NewServer(mailweb.New(srv, nil))
	defer web.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// The page's event stream: seen gets each newest message ID.
	seen := make(chan string, 1024)
	req, _ := http.NewRequestWithContext(ctx, "GET", web.URL+"/api/v1/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var u mailweb.Update
			if json.Unmarshal([]byte(data), &u) == nil && len(u.Messages) > 0 {
				seen <- u.Messages[len(u.Messages)-1].ID
			}
		}
		close(seen)
	}()

	const conns = 4
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for c := range conns {
		n := b.N / conns
		if c < b.N%conns {
			n++
		}
		wg.Go(func() {
			if err := sendMany(ctx, srv.Addr(), c, n); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	sent := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	last := fmt.Sprintf("%08X", b.N)
	// The event stream delivers the last message...
	for id := range seen {
		if id == last {
			break
		}
	}
	lag := time.Since(start) - sent
	// ...and the API lists it at once.
	t0 := time.Now()
	lresp, err := http.Get(web.URL + "/api/v1/messages?limit=50")
	if err != nil {
		b.Fatal(err)
	}
	var l mailweb.MessageList
	json.NewDecoder(lresp.Body).Decode(&l)
	lresp.Body.Close()
	if len(l.Messages) == 0 || l.Messages[0].ID != last {
		b.Fatalf("the API lists %+v first, want message %s", l.Messages[:min(1, len(l.Messages))], last)
	}
	b.ReportMetric(float64(time.Since(t0).Microseconds())/1000, "list-ms")
	b.ReportMetric(float64(b.N)/sent.Seconds(), "msgs/s")
	b.ReportMetric(float64(lag.Microseconds())/1000, "lag-ms")
}

// sendMany sends n messages over one connection.
func sendMany(ctx context.Context, addr string, conn, n int) error {
	c, err := smtpwire.Dial(ctx, addr, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(ctx, "bench.test"); err != nil {
		return err
	}
	for i := range n {
		if err := c.Mail(ctx, "app@example.com", nil); err != nil {
			return err
		}
		if err := c.Rcpt(ctx, fmt.Sprintf("user%d@example.com", conn), nil); err != nil {
			return err
		}
		w, err := c.Data(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "From: app@example.com\r\nTo: user@example.com\r\nSubject: c%d-%d\r\n\r\nHello number %d.\r\n", conn, i, i)
		if err := w.Close(); err != nil {
			return err
		}
	}
	return c.Quit(ctx)
}
