package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

const benchUsage = `usage: smtpsh bench --server HOST[:PORT] [--count N] [--size BYTES] [--connections C] [flags]

Send N generated messages of BYTES octets over C connections, pipelined
(RFC 2920) and with BDAT (RFC 3030) when the server offers them, and
report throughput and per-message latency, like Postfix's smtp-source:

  smtpsh bench --server 127.0.0.1:2525 --count 10000 --size 1024 --connections 8
  smtpsh bench --server 127.0.0.1:2525 --count 20 --size 10MiB --json

Latency is from the moment a message's first command is queued to the
server's verdict on it. Exit status: 0 every message accepted, 1 some
refused, 2 usage, 3 connection, 4 TLS, 5 protocol or time-out, 7 AUTH.

flags:
`

// benchOptions are the flags of "smtpsh bench".
type benchOptions struct {
	session  sessionFlags
	password passwordFlags

	server      string
	count       int
	size        string
	connections int
	from, to    string
	user        string
	pipelining  string
	chunking    string
	asJSON      bool
}

func (o *benchOptions) register(fs *flag.FlagSet) {
	o.session.register(fs)
	o.password.register(fs)
	fs.StringVar(&o.server, "server", "", "the SMTP server, `HOST[:PORT]`")
	fs.IntVar(&o.count, "count", 1000, "messages to send, `N` in all")
	fs.StringVar(&o.size, "size", "1024", "message size in `BYTES` (suffixes KiB, MiB, GiB)")
	fs.IntVar(&o.connections, "connections", 1, "`C` sessions in parallel")
	fs.StringVar(&o.from, "from", "bench@smtpsh.test", "envelope sender `ADDR`")
	fs.StringVar(&o.to, "to", "sink@smtpsh.test", "envelope recipient `ADDR`")
	fs.StringVar(&o.user, "user", "", "log in as `USER` (password as for send)")
	fs.StringVar(&o.pipelining, "pipelining", "auto", "PIPELINING: auto or never (lockstep, to compare)")
	fs.StringVar(&o.chunking, "chunking", "auto", "BDAT: auto, always or never")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON document")
}

// parseSize reads "1024", "64KiB", "10MiB", "1GiB".
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.n
			break
		}
	}
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil || n < 0 || n > 1<<40/mult {
		return 0, fmt.Errorf("--size %q: want a number of bytes such as 1024, 64KiB or 10MiB", s)
	}
	return n * mult, nil
}

// benchReport is what bench measured; the JSON keys are its interface.
type benchReport struct {
	Server      string  `json:"server"`
	Messages    int64   `json:"messages"`
	Size        int64   `json:"size"`
	Connections int     `json:"connections"`
	Seconds     float64 `json:"seconds"`
	MsgsPerSec  float64 `json:"msgs_per_sec"`
	MBPerSec    float64 `json:"mb_per_sec"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	RoundTrips  float64 `json:"round_trips_per_msg"`
	Errors      int64   `json:"errors"`
	Pipelined   bool    `json:"pipelined"`
	Chunked     bool    `json:"chunked"`
	// MaxRSSMiB is the process's peak resident memory, for checking that
	// it stays flat whatever the message size.
	MaxRSSMiB  float64 `json:"max_rss_mib"`
	FirstError string  `json:"first_error,omitempty"`
}

func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o benchOptions
	fs := flag.NewFlagSet("smtpsh bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	o.register(fs)
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "smtpsh bench: "+format+"\n", a...)
		return repl.ExitUsage
	}
	if o.server == "" {
		return usageErr("--server HOST[:PORT] is required")
	}
	addr, implicit, _, err := o.session.target(o.server)
	if err == nil {
		err = o.session.checkCA()
	}
	if err != nil {
		return usageErr("%v", err)
	}
	size, err := parseSize(o.size)
	if err != nil {
		return usageErr("%v", err)
	}
	if o.count < 1 || o.connections < 1 || o.connections > 1000 {
		return usageErr("--count must be at least 1 and --connections from 1 to 1000")
	}
	if strings.ContainsAny(o.from+o.to, "\r\n") {
		return usageErr("--from and --to must be one line each")
	}
	password := ""
	if o.user != "" {
		if password, err = o.password.get(o.user, stdin, stderr); err != nil {
			return usageErr("%v", err)
		}
	}
	cfg := o.session.config(implicit)
	opts := submit.Options{Addr: addr, Config: cfg, TLS: tlsPolicy(implicit, o.session.tlsMode),
		Pipelining: sendMode(o.pipelining), Chunking: sendMode(o.chunking)}
	if o.user != "" {
		opts.Auth = func(ext *smtpwire.Extensions, _ bool) (smtpwire.Mechanism, error) {
			if ext.SupportsAuth("PLAIN") || !ext.SupportsAuth("LOGIN") {
				return smtpwire.PlainAuth("", o.user, password), nil
			}
			return smtpwire.LoginAuth(o.user, password), nil
		}
	}
	progress := wantColor(stderr, "") && !o.asJSON // a terminal
	rep, err := bench(ctx, opts, size, o.count, o.connections, o.from, o.to, func(done, errs int64) {
		if progress {
			fmt.Fprintf(stderr, "\r%d/%d messages, %d errors ", done, o.count, errs)
		}
	})
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	rep.Server = addr
	rep.MaxRSSMiB = maxRSSMiB()
	if err != nil && rep.Messages == 0 {
		fmt.Fprintln(stderr, "smtpsh bench:", err)
		return benchExit(err)
	}
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		how := "lockstep"
		if rep.Pipelined {
			how = "pipelined"
		}
		if rep.Chunked {
			how += ", BDAT"
		}
		fmt.Fprintf(stdout, "%s of %s over %s to %s (%s) in %.3fs\n", plural(rep.Messages, "message"),
			sendByteSize(rep.Size, explain.En), plural(rep.Connections, "connection"), addr, how, rep.Seconds)
		fmt.Fprintf(stdout, "  %.0f msgs/s, %.2f MB/s\n", rep.MsgsPerSec, rep.MBPerSec)
		fmt.Fprintf(stdout, "  latency per message: p50 %.3f ms, p99 %.3f ms\n", rep.P50ms, rep.P99ms)
		fmt.Fprintf(stdout, "  %.2f round trips per message, %d errors\n", rep.RoundTrips, rep.Errors)
		fmt.Fprintf(stdout, "  peak memory (RSS): %.1f MiB\n", rep.MaxRSSMiB)
		if rep.FirstError != "" {
			fmt.Fprintf(stdout, "  first error: %s\n", rep.FirstError)
		}
	}
	if err != nil {
		return benchExit(err)
	}
	if rep.Errors > 0 {
		return repl.ExitNegative
	}
	return repl.ExitOK
}

// benchExit maps a session failure to the exit status scheme.
func benchExit(err error) int {
	var se *submit.Error
	var te *smtpwire.TLSError
	switch {
	case errors.Is(err, context.Canceled): // first: a dial cut short is no refused connection
		return repl.ExitAborted
	case errors.As(err, &te), errors.Is(err, submit.ErrNoStartTLS):
		return repl.ExitTLS
	case errors.As(err, &se) && se.Stage == submit.StageConnect:
		return repl.ExitConnect
	case errors.As(err, &se) && se.Stage == submit.StageAuth:
		return repl.ExitAuth
	}
	return repl.ExitProtocol
}

// tlsPolicy is the submit policy for the --tls flag.
func tlsPolicy(implicit bool, mode string) submit.TLSPolicy {
	switch {
	case implicit:
		return submit.TLSImplicit
	case mode == "none":
		return submit.TLSNone
	case mode == "starttls":
		return submit.TLSRequired
	}
	return submit.TLSOpportunistic
}

// benchBody generates a 7-bit message of exactly size octets with CRLF
// lines, as a stream: a 1 GiB message is never held in memory.
type benchBody struct {
	size, pos int64
}

const (
	benchHead = "From: <bench@smtpsh.test>\r\nTo: <sink@smtpsh.test>\r\nSubject: smtpsh bench\r\n\r\n"
	benchLine = "smtpsh bench: the quick brown fox jumps over the lazy dog 0123456789\r\n"
)

// Reset starts the message again.
func (b *benchBody) Reset() { b.pos = 0 }

func (b *benchBody) Read(p []byte) (int, error) {
	if b.pos >= b.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), b.size-b.pos)]
	n := 0
	for n < len(p) {
		var src string
		switch head := int64(len(benchHead)); {
		case b.pos < head:
			src = benchHead[b.pos:]
		default:
			src = benchLine[(b.pos-head)%int64(len(benchLine)):]
		}
		k := copy(p[n:], src)
		n += k
		b.pos += int64(k)
	}
	if b.pos == b.size && b.size >= 2 {
		// The message ends with a line break, wherever the size cut it.
		copy(p[n-min(n, 2):], "\r\n"[2-min(n, 2):])
	}
	return n, nil
}

// bench sends count messages over conns sessions and measures them.
func bench(ctx context.Context, opts submit.Options, size int64, count, conns int, from, to string, progress func(done, errs int64)) (benchReport, error) {
	rep := benchReport{Size: size, Connections: conns}
	var next, done, errs, trips atomic.Int64
	var mu sync.Mutex
	var firstErr, sessErr error
	lat := make([][]time.Duration, conns)
	var pipelined, chunked atomic.Bool
	stop := make(chan struct{})
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				progress(done.Load(), errs.Load())
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := submit.Dial(ctx, opts)
			if err != nil {
				mu.Lock()
				if sessErr == nil {
					sessErr = err
				}
				mu.Unlock()
				return
			}
			defer s.Close()
			r := &benchBody{size: size}
			m := &submit.Message{From: from, To: []submit.Recipient{{Addr: to}}, Body: r,
				Size: size, Content: submit.Content7Bit}
			var queued []time.Time // when each message in flight was handed over
			mine := make([]time.Duration, 0, count/conns+1)
			err = s.SendAll(ctx, func(yield func(*submit.Message) bool) {
				for next.Add(1) <= int64(count) {
					r.Reset()
					queued = append(queued, time.Now())
					if !yield(m) {
						return
					}
				}
			}, func(_ *submit.Message, res *submit.Result, err error) bool {
				mine = append(mine, time.Since(queued[0]))
				queued = queued[1:]
				pipelined.Store(res.Pipelined)
				chunked.Store(res.Chunked)
				done.Add(1)
				if err != nil {
					errs.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
				return ctx.Err() == nil
			})
			trips.Add(int64(s.RoundTrips()))
			if err != nil {
				mu.Lock()
				if sessErr == nil {
					sessErr = err
				}
				mu.Unlock()
			} else {
				qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				s.Quit(qctx)
				cancel()
			}
			lat[i] = mine
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	rep.Messages = int64(len(all))
	rep.Errors = errs.Load()
	rep.Seconds = elapsed.Seconds()
	if rep.Messages > 0 {
		rep.MsgsPerSec = float64(rep.Messages) / elapsed.Seconds()
		rep.MBPerSec = float64(rep.Messages*rep.Size) / 1e6 / elapsed.Seconds()
		rep.P50ms = ms(all[len(all)*50/100])
		rep.P99ms = ms(all[min(len(all)-1, len(all)*99/100)])
		rep.RoundTrips = float64(trips.Load()) / float64(rep.Messages)
	}
	rep.Pipelined, rep.Chunked = pipelined.Load(), chunked.Load()
	if firstErr != nil {
		rep.FirstError = firstErr.Error()
	}
	if sessErr != nil && rep.FirstError == "" {
		rep.FirstError = sessErr.Error()
	}
	if rep.Messages < int64(count) && sessErr == nil && ctx.Err() != nil {
		sessErr = ctx.Err()
	}
	return rep, sessErr
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// plural is "1 message", "2 messages".
func plural[N int | int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
