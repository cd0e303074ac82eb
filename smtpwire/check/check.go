package check

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/providers"
)

// TLS modes for Options.TLS. ModeAuto runs STARTTLS when the server
// offers it and warns when it does not; the caller decides beforehand
// whether a port is implicit TLS (465 and 994 are, for smtpsh).
const (
	ModeAuto     = "auto"
	ModeImplicit = providers.Implicit
	ModeStartTLS = providers.StartTLS
	ModeNone     = providers.Plain
)

// Stage names, as in Stage.Name and the JSON report.
const (
	StageDNS      = "dns"
	StageTCP      = "tcp"
	StageTLS      = "tls"
	StageBanner   = "banner"
	StageEHLO     = "ehlo"
	StageAuth     = "auth"
	StageEnvelope = "envelope"
)

// Status is the outcome of a stage.
type Status string

// Stage outcomes. A warning does not stop the check nor fail it.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip" // not run: not asked for, or not reached
)

// Resolver looks up the addresses of a host name; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Options says what to check. Host, Port and TLS are required.
type Options struct {
	// Target is the argument as the user typed it ("qq", "smtp.qq.com:465"),
	// for the report; default Host:Port.
	Target string
	Host   string // a name or an IP address, without brackets
	Port   int
	TLS    string // ModeImplicit, ModeStartTLS, ModeNone, else ModeAuto

	// Provider is the provider the target names, if any; when nil the
	// host, then the user's and the sender's domains, are looked up.
	Provider *providers.Provider

	// Config is the base client configuration: LocalName, ServerName,
	// CAFile, TLSConfig (RootCAs, MinVersion), InsecureSkipVerify,
	// AllowInsecureAuth, Timeouts, DialContext and Trace are used. Zero
	// timeouts take this package's defaults (15s to connect and for the
	// TLS handshake, 30s for a reply), shorter than smtpwire's. The
	// handshake itself always skips crypto/tls's verification: Run
	// verifies afterwards, so that a failure can be named and the chain
	// still shown; credentials are not sent over a connection that failed
	// unless InsecureSkipVerify is set.
	Config smtpwire.Config

	User     string // AUTH user; "" skips the AUTH stage
	Password string // AUTH password
	// Mechanism is the AUTH mechanism (smtpwire.NewMechanism names);
	// "" or "auto" picks the strongest offered (smtpwire.PickMechanism).
	Mechanism string
	// Token is the OAuth 2.0 access token for XOAUTH2 and OAUTHBEARER.
	Token string
	// Proxy, if set, is a SOCKS5 proxy URL (smtpwire.ProxyDialer): the
	// proxy stage replaces the TCP stage, and every connection goes
	// through it. With socks5h:// the DNS stage is left to the proxy.
	Proxy string
	From  string   // MAIL FROM; "" means User when it is an address
	To    []string // RCPT TO, each tried; no DATA is ever sent

	// Resolver resolves Host; default net.DefaultResolver.
	Resolver Resolver
	// BannerWait is how long the banner may take before it counts as
	// slow and, on a plain connection, before a TLS handshake is tried on
	// a second connection to see whether the port expects implicit TLS.
	// Default: a quarter of the greeting timeout, at most 5s.
	BannerWait time.Duration
	// Now is the clock for certificate validity; default time.Now.
	Now func() time.Time
}

// Stage is one layer of the check.
type Stage struct {
	Name     string
	Status   Status
	Duration time.Duration
	Seen     []Msg  // what was seen, in order
	Problem  string // a problem code (problems.go); "" when none
	Advice   []Msg  // what to do about Problem
}

// Report is the outcome of Run.
type Report struct {
	Target   string
	Host     string
	Port     int
	TLSMode  string
	Provider *providers.Provider // the target's provider, or nil
	Stages   []Stage             // every stage, in the order they run
}

// Failed returns the first failing stage, or nil when none failed.
func (r *Report) Failed() *Stage {
	for i := range r.Stages {
		if r.Stages[i].Status == Fail {
			return &r.Stages[i]
		}
	}
	return nil
}

// Stage returns the stage with the given name, or nil.
func (r *Report) Stage(name string) *Stage {
	for i := range r.Stages {
		if r.Stages[i].Name == name {
			return &r.Stages[i]
		}
	}
	return nil
}

// Verdict sums a report up: the first failing layer and its fix.
type Verdict struct {
	OK      bool
	Layer   string // the failing stage's name; "" when OK
	Problem string // its problem code; "" when OK
	Message Msg
	Fix     Msg // zero when there is nothing to do
}

// Verdict returns the verdict of the report.
func (r *Report) Verdict() Verdict {
	if st := r.Failed(); st != nil {
		v := Verdict{Layer: st.Name, Problem: st.Problem, Message: msg("problem."+st.Problem, "host", r.Host, "port", strconv.Itoa(r.Port))}
		if len(st.Advice) > 0 {
			v.Fix = st.Advice[0]
		}
		return v
	}
	warns := 0
	for _, st := range r.Stages {
		if st.Status == Warn {
			warns++
		}
	}
	if warns > 0 {
		return Verdict{OK: true, Message: msg("verdict.ok_warnings", "n", strconv.Itoa(warns)), Fix: msg("verdict.ok_fix")}
	}
	return Verdict{OK: true, Message: msg("verdict.ok"), Fix: msg("verdict.ok_fix")}
}

// runner holds one run's state.
type runner struct {
	o        Options
	cfg      smtpwire.Config // the session's: timeouts filled in, verification deferred to Run
	rep      *Report
	now      func() time.Time
	wait     time.Duration // BannerWait
	roots    *x509.CertPool
	rootsErr error
	hint     *providers.Provider // for provider-specific advice

	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	addrs     []netip.Addr
	addr      string   // the address connected to, "ip:port"
	conn      net.Conn // the TCP connection, until the client takes it
	c         *smtpwire.Client
	ext0      *smtpwire.Extensions // the first EHLO's extensions
	ehloReply *smtpwire.Reply      // and its reply
	name      string               // the EHLO name

	tlsBad bool // TLS failed its checks: no credentials or addresses over it
}

// Run checks the server described by o, layer by layer, and returns the
// report. It stops at the first layer that makes the next meaningless;
// the stages it did not reach are in the report with status Skip. It
// never sends a message: the envelope stage ends with RSET and QUIT.
func Run(ctx context.Context, o Options) *Report {
	r := newRunner(o)
	defer r.close()
	implicit := r.o.TLS == ModeImplicit
	order := []string{StageDNS, StageTCP, StageBanner, StageEHLO, StageTLS, StageAuth, StageEnvelope}
	if implicit {
		order = []string{StageDNS, StageTCP, StageTLS, StageBanner, StageEHLO, StageAuth, StageEnvelope}
	}
	if r.o.Proxy != "" {
		order[1] = StageProxy
	}
	for _, name := range order {
		r.rep.Stages = append(r.rep.Stages, Stage{Name: name, Status: Skip, Seen: []Msg{msg("skip.not_reached")}})
	}
	if r.o.Proxy != "" {
		if remoteDNS(r.o.Proxy) {
			r.skipLookup()
		} else if !r.lookup(ctx) {
			return r.rep
		}
		if !r.connectProxy(ctx) {
			return r.rep
		}
	} else if !r.lookup(ctx) || !r.connectTCP(ctx) {
		return r.rep
	}
	if implicit {
		if !r.implicitTLS(ctx) || !r.banner(ctx, true) || !r.ehlo(ctx) {
			return r.rep
		}
	} else {
		if !r.plainConnect(ctx) || !r.banner(ctx, false) || !r.ehlo(ctx) || !r.startTLS(ctx) {
			return r.rep
		}
	}
	if r.auth(ctx) {
		r.envelope(ctx)
	}
	return r.rep
}

func newRunner(o Options) *runner {
	r := &runner{o: o, now: o.Now}
	if r.now == nil {
		r.now = time.Now
	}
	switch o.TLS {
	case ModeImplicit, ModeStartTLS, ModeNone:
	default:
		r.o.TLS = ModeAuto
	}
	if o.Resolver == nil {
		r.o.Resolver = net.DefaultResolver
	}
	target := o.Target
	if target == "" {
		target = net.JoinHostPort(o.Host, strconv.Itoa(o.Port))
	}
	r.rep = &Report{Target: target, Host: o.Host, Port: o.Port, TLSMode: r.o.TLS, Provider: o.Provider}

	r.cfg = o.Config
	r.cfg.Timeouts = checkTimeouts(o.Config.Timeouts)
	r.cfg.InsecureSkipVerify = true // verified by Run after the handshake
	tc := &tls.Config{}
	if o.Config.TLSConfig != nil {
		tc = o.Config.TLSConfig.Clone()
	}
	if tc.MinVersion == 0 {
		// Accept TLS 1.0 and 1.1 to be able to say that the server offers
		// nothing newer; Run fails such a server itself.
		tc.MinVersion = tls.VersionTLS10
	}
	r.roots = tc.RootCAs
	if o.Config.CAFile != "" {
		r.roots, r.rootsErr = loadCAFile(o.Config.CAFile)
		tc.RootCAs = r.roots
	}
	r.cfg.CAFile = ""
	r.cfg.TLSConfig = tc
	r.name = r.cfg.LocalName
	if r.name == "" {
		r.name = "localhost"
	}
	r.dial = o.Config.DialContext
	if r.dial == nil {
		r.dial = (&net.Dialer{}).DialContext
	}
	r.wait = o.BannerWait
	if r.wait <= 0 {
		r.wait = min(5*time.Second, r.cfg.Timeouts.Greeting/4)
	}
	if r.rep.Provider == nil {
		r.rep.Provider, _ = providers.ForHost(o.Host)
	}
	r.hint = r.rep.Provider
	if r.hint == nil {
		r.hint, _ = providers.ForAddress(o.User)
	}
	if r.hint == nil {
		r.hint, _ = providers.ForAddress(o.From)
	}
	return r
}

// checkTimeouts fills the zero timeouts with values fit for a check.
func checkTimeouts(t smtpwire.Timeouts) smtpwire.Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Connect, 15*time.Second)
	def(&t.TLS, 15*time.Second)
	def(&t.Greeting, 30*time.Second)
	def(&t.Command, 30*time.Second)
	def(&t.Mail, t.Command)
	def(&t.Rcpt, t.Command)
	return t
}

func loadCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// stage starts (or, for the EHLO after STARTTLS, resumes) the named
// stage; the returned function adds the time spent to its duration, once
// however often it is called.
func (r *runner) stage(name string) (*Stage, func()) {
	st := r.rep.Stage(name)
	if st.Status == Skip {
		st.Status, st.Seen = Pass, nil
	}
	t0 := time.Now()
	var once sync.Once
	return st, func() { once.Do(func() { st.Duration += time.Since(t0) }) }
}

// skip marks a stage as not run, for the reason given.
func (r *runner) skip(name string, why Msg) {
	st := r.rep.Stage(name)
	st.Status, st.Seen = Skip, []Msg{why}
}

// fail sets the stage's problem (a failure wins over a warning) and its
// advice.
func (r *runner) fail(st *Stage, code string) { r.problem(st, Fail, code) }

// warn records a problem that does not stop the check.
func (r *runner) warn(st *Stage, code string) { r.problem(st, Warn, code) }

func (r *runner) problem(st *Stage, s Status, code string) {
	if st.Status == Fail || (st.Status == Warn && s == Warn) {
		return
	}
	st.Status, st.Problem, st.Advice = s, code, r.advice(code)
}

func (st *Stage) see(m ...Msg) { st.Seen = append(st.Seen, m...) }

// close ends the session politely when it is still in step.
func (r *runner) close() {
	if r.conn != nil {
		r.conn.Close()
	}
	if r.c == nil {
		return
	}
	if s := r.c.State(); s != smtpwire.StateClosed && s != smtpwire.StateBroken && s != smtpwire.StateData {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		r.c.Quit(ctx)
		cancel()
	}
	r.c.Close()
}

// insecure reports whether the user accepted unverified certificates.
func (r *runner) insecure() bool { return r.o.Config.InsecureSkipVerify }

// errorText is an error for a "seen" line.
func errorText(err error) string {
	var de *smtpwire.DialError
	if errors.As(err, &de) {
		err = de.Err
	}
	return err.Error()
}
