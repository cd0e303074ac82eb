package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/dnsx"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

const mxUsage = `usage: smtpsh mx DOMAIN [--resolver ADDR] [--probe] [--json]

List the mail exchangers of DOMAIN by preference, with the addresses of
each, as a sending server finds them (RFC 5321 §5.1). With --probe, connect
to each on port 25 and report the banner, EHLO, STARTTLS and TLS.

Exit status: 0 records found (and, with --probe, every host passed);
2 usage; 3 DNS failure (no such domain, no records, a null MX, resolver
failure or time-out) or, with --probe, a host could not be reached;
1, 4 or 5 a probed host answered negatively, failed TLS, or broke the
session (the first failing host by preference decides).

flags:
`

// mxFlags are the flags of smtpsh mx.
type mxFlags struct {
	resolver   string
	dnsTimeout time.Duration
	probe      bool
	json       bool
	port       string
	timeout    time.Duration
	ehlo       string
	ca         string
	proxy      string            // --proxy, a SOCKS5 URL
	dial       smtpwire.DialFunc // through --proxy; nil without one
	lang       string
}

func (f *mxFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.resolver, "resolver", "", "DNS server `ADDR` (IP[:port], port 53 by default); default: the first nameserver of /etc/resolv.conf")
	fs.DurationVar(&f.dnsTimeout, "dns-timeout", dnsx.DefaultTimeout, "wait for each DNS reply (each query is sent up to 3 times)")
	fs.BoolVar(&f.probe, "probe", false, "connect to each MX host and report banner, EHLO, STARTTLS and TLS")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	fs.StringVar(&f.lang, "lang", "", "`LANG` of the notes: en, zh or zh-Hant (default: from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVar(&f.port, "port", "25", "`PORT` to probe; MX hosts take mail on 25, other values are for local test servers")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit for each probe step: connect, banner, EHLO, TLS")
	fs.StringVar(&f.ehlo, "ehlo", defaultEHLOName(), "`NAME` to offer in the probe's EHLO")
	fs.StringVar(&f.ca, "ca", "", "PEM `FILE` of CA certificates to verify probed hosts against instead of the system's")
	fs.StringVar(&f.proxy, "proxy", "", "probe through a SOCKS5 proxy, `URL` socks5://[user@]host:port (default SMTPSH_PROXY; password from SMTPSH_PROXY_PASSWORD)")
}

// mxHost is one MX host with its addresses, as looked up, and the probe
// result when there is one. It is also the JSON form.
type mxHost struct {
	Host      string       `json:"host"`
	Pref      uint16       `json:"pref"`
	Addrs     []netip.Addr `json:"addrs"`
	AddrError string       `json:"addr_error,omitempty"`
	Probe     *probeResult `json:"probe,omitempty"`
}

// mxReport is the JSON output of smtpsh mx.
type mxReport struct {
	Domain    string   `json:"domain"`
	Resolver  string   `json:"resolver"`
	ElapsedMS int64    `json:"elapsed_ms"`
	Implicit  bool     `json:"implicit,omitempty"`
	MX        []mxHost `json:"mx"`
	Error     string   `json:"error,omitempty"`
	ErrorKind string   `json:"error_kind,omitempty"` // see dnsErrorKind
}

// runMX is smtpsh mx.
func runMX(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh mx", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mxUsage); fs.PrintDefaults() }
	var f mxFlags
	f.register(fs)
	arg, code, ok := parseOne(fs, args)
	if !ok {
		return code
	}
	lang, err := pickLang(f.lang, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh mx: --lang:", err)
		return repl.ExitUsage
	}
	if n, err := strconv.Atoi(f.port); err != nil || n < 1 || n > 65535 {
		fmt.Fprintf(stderr, "smtpsh mx: --port %q: want a number from 1 to 65535\n", f.port)
		return repl.ExitUsage
	}
	domain, err := dnsx.FQDN(arg)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh mx:", strings.TrimPrefix(err.Error(), "dnsx: "))
		return repl.ExitUsage
	}
	proxy := connFlags{protocol: "smtp", proxy: f.proxy}
	if err := proxy.load(os.Getenv); err != nil {
		fmt.Fprintln(stderr, "smtpsh mx:", err)
		return repl.ExitUsage
	}
	f.dial = proxy.dial
	r := &dnsx.Resolver{Timeout: f.dnsTimeout}
	if f.resolver != "" {
		if r.Server, err = dnsx.ParseServer(f.resolver); err != nil {
			fmt.Fprintln(stderr, "smtpsh mx: --resolver:", strings.TrimPrefix(err.Error(), "dnsx: "))
			return repl.ExitUsage
		}
	}
	server, err := r.ServerAddr()
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh mx:", err)
		return repl.ExitUsage
	}
	rep := mxReport{Domain: strings.TrimSuffix(domain, "."), Resolver: server, MX: []mxHost{}}

	start := time.Now()
	mxs, err := r.LookupMX(ctx, domain)
	elapsed := time.Since(start)
	rep.ElapsedMS = elapsed.Milliseconds()
	if err != nil {
		return mxFailed(ctx, &rep, err, f.json, lang, stdout, stderr)
	}
	rep.Implicit = mxs[0].Implicit
	rep.MX = lookupAddrs(ctx, r, mxs)

	if !f.json {
		printMX(stdout, &rep, elapsed, lang)
	}
	code = repl.ExitOK
	if f.probe {
		code = probeAll(ctx, &f, rep.MX, f.json, lang, stdout)
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	}
	return code
}

// mxFailed reports a failed MX lookup and returns its exit status.
func mxFailed(ctx context.Context, rep *mxReport, err error, asJSON bool, lang explain.Lang, stdout, stderr io.Writer) int {
	msg := strings.TrimPrefix(err.Error(), "dnsx: ")
	fmt.Fprintf(stderr, "smtpsh mx: %s\n", msg)
	var nf *dnsx.NotFoundError
	var te *dnsx.TimeoutError
	switch {
	case errors.As(err, &nf):
		fmt.Fprintln(stderr, "# "+explain.M("mx.not_found").Text(lang))
	case errors.As(err, &te):
		fmt.Fprintln(stderr, "# "+explain.M("mx.dns_timeout").Text(lang))
	}
	if asJSON {
		rep.Error, rep.ErrorKind = msg, dnsErrorKind(err)
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	}
	if ctx.Err() != nil {
		return repl.ExitAborted
	}
	return repl.ExitConnect
}

// dnsErrorKind names a lookup failure for scripts reading --json.
func dnsErrorKind(err error) string {
	var (
		nf *dnsx.NotFoundError
		nd *dnsx.NoDataError
		se *dnsx.ServerError
		te *dnsx.TimeoutError
		me *dnsx.MalformedError
		nm *dnsx.NullMXError
	)
	switch {
	case errors.As(err, &nf):
		return "nxdomain"
	case errors.As(err, &nd):
		return "nodata"
	case errors.As(err, &nm):
		return "null_mx"
	case errors.As(err, &se):
		return strings.ToLower(dnsx.RCodeName(se.RCode)) // "servfail", "refused", ...
	case errors.As(err, &te):
		return "timeout"
	case errors.As(err, &me):
		return "malformed"
	}
	return "error"
}

// lookupAddrs finds the addresses of every MX host at once.
func lookupAddrs(ctx context.Context, r *dnsx.Resolver, mxs []dnsx.MX) []mxHost {
	hosts := make([]mxHost, len(mxs))
	var wg sync.WaitGroup
	for i, mx := range mxs {
		hosts[i] = mxHost{Host: mx.Host, Pref: mx.Pref, Addrs: []netip.Addr{}}
		wg.Go(func() {
			addrs, err := r.LookupHost(ctx, mx.Host)
			if err != nil {
				hosts[i].AddrError = strings.TrimPrefix(err.Error(), "dnsx: ")
				return
			}
			hosts[i].Addrs = addrs
		})
	}
	wg.Wait()
	return hosts
}

// printMX writes the table of MX hosts.
func printMX(w io.Writer, rep *mxReport, elapsed time.Duration, lang explain.Lang) {
	note := func(id string, kv ...string) { fmt.Fprintln(w, "# "+explain.M(id, kv...).Text(lang)) }
	note("mx.records", "domain", rep.Domain, "resolver", rep.Resolver, "took", shortDuration(elapsed))
	if rep.Implicit {
		note("mx.implicit")
	}
	prefW, hostW := 0, 0
	for _, h := range rep.MX {
		prefW = max(prefW, len(strconv.Itoa(int(h.Pref))))
		hostW = max(hostW, len(h.Host))
	}
	reachable := false
	for _, h := range rep.MX {
		addrs := explain.M("mx.no_address", "error", h.AddrError).Text(lang)
		if len(h.Addrs) > 0 {
			reachable = true
			s := make([]string, len(h.Addrs))
			for i, a := range h.Addrs {
				s[i] = a.String()
			}
			addrs = strings.Join(s, ", ")
		}
		fmt.Fprintf(w, "%-*d  %-*s  %s\n", prefW, h.Pref, hostW, h.Host, addrs)
	}
	if !reachable {
		note("mx.unreachable")
	}
}

// shortDuration shows a duration to the millisecond.
func shortDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

// probeAll probes the hosts in preference order and returns the exit
// status: 0 if every host passed, else that of the first failure.
func probeAll(ctx context.Context, f *mxFlags, hosts []mxHost, asJSON bool, lang explain.Lang, stdout io.Writer) int {
	out := stdout
	if asJSON {
		out = io.Discard
	}
	opts := probeOptions{Port: f.port, Timeout: f.timeout, EHLO: f.ehlo, CAFile: f.ca, Lang: lang, Dial: f.dial}
	fmt.Fprintln(out, "\n# "+explain.M("mx.probing", "port", f.port).Text(lang))
	fmt.Fprintln(out, "# "+explain.M("mx.probing2").Text(lang))
	code := repl.ExitOK
	for i := range hosts {
		res, err := probeMX(ctx, hosts[i], opts, out)
		hosts[i].Probe = &res
		if err != nil && code == repl.ExitOK {
			code = probeExit(ctx, err)
		}
		if ctx.Err() != nil {
			return repl.ExitAborted
		}
	}
	return code
}

// probeOptions are the settings of probeMX.
type probeOptions struct {
	Port    string            // "25" but for tests
	Timeout time.Duration     // for each step
	EHLO    string            // EHLO argument
	CAFile  string            // roots to verify against; "" for the system's
	Lang    explain.Lang      // of the notes
	Dial    smtpwire.DialFunc // through a proxy; nil: a net.Dialer
}

// probeResult is what probeMX saw; it is part of the JSON output.
type probeResult struct {
	Addr        string   `json:"addr,omitempty"` // the address connected to
	ConnectMS   int64    `json:"connect_ms"`
	Banner      string   `json:"banner,omitempty"`
	BannerMS    int64    `json:"banner_ms"`
	Extensions  []string `json:"extensions,omitempty"`
	StartTLS    bool     `json:"starttls"`
	TLSVersion  string   `json:"tls_version,omitempty"`
	Verified    bool     `json:"verified"`
	VerifyError string   `json:"verify_error,omitempty"`
	Error       string   `json:"error,omitempty"`
}

// probeMX connects to one MX host on opts.Port, trying its addresses in
// order, and runs the steps a sending server would: banner, EHLO,
// STARTTLS (RFC 3207) and the TLS handshake, then QUIT. It writes one line
// per step to out as it goes and returns what it saw; the error is the
// step that failed. The certificate is checked and reported, not enforced,
// as most MTAs do for opportunistic TLS (RFC 7435).
//
// It stands in for the stages of smtpsh check until that can be called
// for an MX host.
func probeMX(ctx context.Context, mx mxHost, opts probeOptions, out io.Writer) (probeResult, error) {
	var res probeResult
	// step writes one line: the step's name, a protocol word or words
	// from the catalog (mx.step.), in a column, then what it saw.
	step := func(name, text string) {
		fmt.Fprintf(out, "   %s %s\n", padRight(stepLabel("mx.step.", name, opts.Lang), 9), text)
	}
	fail := func(name string, err error) (probeResult, error) {
		res.Error = err.Error()
		step(name, explain.M("mx.failed", "error", err.Error()).Text(opts.Lang))
		var de *smtpwire.DialError
		if errors.As(err, &de) && de.TimedOut || errors.Is(err, os.ErrDeadlineExceeded) {
			step("", explain.M("mx.timeout25").Text(opts.Lang))
		}
		return res, err
	}
	fmt.Fprintf(out, "## %s\n", explain.M("mx.host", "host", mx.Host, "pref", strconv.Itoa(int(mx.Pref))).Text(opts.Lang))
	if len(mx.Addrs) == 0 {
		return fail("connect", fmt.Errorf("%w (%s)", errNoAddress, mx.AddrError))
	}
	host := strings.TrimSuffix(mx.Host, ".")
	cfg := &smtpwire.Config{
		LocalName:          opts.EHLO,
		CAFile:             opts.CAFile,
		InsecureSkipVerify: true, // report verification, don't enforce it
		Timeouts: smtpwire.Timeouts{Connect: opts.Timeout, TLS: opts.Timeout, Greeting: opts.Timeout,
			Command: opts.Timeout},
		// Connect to the addresses found above, not to what the system
		// resolver says, and keep the host name for SNI and the
		// certificate check.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			dial := opts.Dial
			if dial == nil {
				dial = (&net.Dialer{}).DialContext
			}
			var err error
			for _, a := range mx.Addrs {
				addr := net.JoinHostPort(a.String(), opts.Port)
				var conn net.Conn
				if conn, err = dial(ctx, network, addr); err == nil {
					res.Addr = addr
					return conn, nil
				}
			}
			return nil, err
		},
	}
	// The bring-up is submit's, with opportunistic STARTTLS as between
	// MTAs; this function only shows each step.
	t := time.Now()
	sess, err := submit.Connect(ctx, submit.Options{Addr: net.JoinHostPort(host, opts.Port), Config: *cfg, TLS: submit.TLSOpportunistic})
	res.ConnectMS = time.Since(t).Milliseconds()
	if err != nil {
		return fail("connect", err)
	}
	defer sess.Close()
	c := sess.Client()
	step("connect", explain.M("mx.connected", "addr", res.Addr, "took", shortDuration(time.Since(t))).Text(opts.Lang))

	t = time.Now()
	err = sess.Greet(ctx)
	res.BannerMS = time.Since(t).Milliseconds()
	if greeting := c.Greeting(); greeting != nil {
		res.Banner = printableLine(greeting.Raw[0])
	}
	if err != nil {
		return fail("banner", err)
	}
	step("banner", res.Banner+" ("+shortDuration(time.Since(t))+")")

	t = time.Now()
	if err := sess.Hello(ctx); err != nil {
		return fail("EHLO", err)
	}
	res.Extensions = c.Extensions().Keywords()
	step("EHLO", explain.M("mx.extensions", "n", strconv.Itoa(len(res.Extensions)),
		"list", strings.Join(res.Extensions, " "), "took", shortDuration(time.Since(t))).Text(opts.Lang))

	res.StartTLS = c.Extensions().StartTLS()
	if !res.StartTLS {
		step("STARTTLS", explain.M("mx.no_starttls").Text(opts.Lang))
	} else {
		step("STARTTLS", explain.M("mx.starttls").Text(opts.Lang))
		t = time.Now()
		if err := sess.Secure(ctx); err != nil {
			return fail("TLS", err)
		}
		if why := sess.Plaintext(); why != "" {
			return fail("TLS", errors.New(why))
		}
		info, _ := c.TLSInfo()
		res.TLSVersion, res.Verified = info.Version(), info.Verified
		verified := explain.M("mx.verified", "host", host).Text(opts.Lang)
		if !info.Verified {
			verified = explain.M("mx.not_verified").Text(opts.Lang)
			if info.VerifyError != nil {
				res.VerifyError = info.VerifyError.Error()
				verified = explain.M("mx.not_verified_why", "error", res.VerifyError).Text(opts.Lang)
			}
		}
		step("TLS", fmt.Sprintf("%s, %s, %s (%s)", res.TLSVersion, info.CipherSuite(), verified, shortDuration(time.Since(t))))
	}
	qctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	sess.Quit(qctx)
	cancel()
	return res, nil
}

// errNoAddress fails the probe of an MX host whose name did not resolve.
var errNoAddress = errors.New("no address to connect to")

// probeExit maps a probe failure to an exit status (repl/exit.go).
func probeExit(ctx context.Context, err error) int {
	var re *smtpwire.ReplyError
	var te *smtpwire.TLSError
	var de *smtpwire.DialError
	switch {
	case ctx.Err() != nil:
		return repl.ExitAborted
	case errors.As(err, &de), errors.Is(err, errNoAddress):
		return repl.ExitConnect
	case errors.As(err, &te):
		return repl.ExitTLS
	case errors.As(err, &re):
		return repl.ExitNegative
	}
	return repl.ExitProtocol
}

// printableLine escapes control characters in a line from a server, so
// it cannot drive the terminal.
func printableLine(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
