package check

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// expiresSoon is when a valid certificate starts to get a warning.
const expiresSoon = 14 * 24 * time.Hour

// connect hands the TCP connection of the TCP stage to a new client.
func (r *runner) connect(ctx context.Context, implicit bool) error {
	cfg := r.cfg
	cfg.ImplicitTLS = implicit
	conn := r.conn
	r.conn = nil
	cfg.DialContext = func(context.Context, string, string) (net.Conn, error) {
		if conn == nil {
			return nil, errors.New("check: the connection was already used")
		}
		c := conn
		conn = nil
		return c, nil
	}
	c, err := smtpwire.Connect(ctx, net.JoinHostPort(r.o.Host, strconv.Itoa(r.o.Port)), &cfg)
	if conn != nil {
		conn.Close()
	}
	r.c = c
	return err
}

// plainConnect starts the session in plain text (STARTTLS, auto, none).
func (r *runner) plainConnect(ctx context.Context) bool {
	if err := r.connect(ctx, false); err != nil {
		st, done := r.stage(StageBanner)
		defer done()
		r.sessionFail(st, err)
		return false
	}
	return true
}

// implicitTLS is the TLS stage of an implicit-TLS port: the handshake
// before anything else.
func (r *runner) implicitTLS(ctx context.Context) bool {
	st, done := r.stage(StageTLS)
	defer done()
	if r.rootsErr != nil {
		st.see(msg("tls.seen_ca_file", "file", r.o.Config.CAFile, "error", r.rootsErr.Error()))
		r.fail(st, TLSCAFile)
		return false
	}
	if err := r.connect(ctx, true); err != nil {
		r.handshakeFailed(st, err)
		return false
	}
	info, _ := r.c.TLSInfo()
	r.inspect(st, info)
	return true
}

// startTLS is the TLS stage of a plain port: STARTTLS when the mode and
// the server allow it, then the EHLO again.
func (r *runner) startTLS(ctx context.Context) bool {
	st, done := r.stage(StageTLS)
	defer done()
	offered := r.c.Extensions().StartTLS()
	switch {
	case r.o.TLS == ModeNone && offered:
		st.see(msg("tls.seen_not_used"))
		r.warn(st, TLSNotUsed)
		return true
	case r.o.TLS == ModeNone:
		st.see(msg("tls.seen_none"))
		r.warn(st, TLSNone)
		return true
	case !offered:
		st.see(msg("tls.seen_not_offered"))
		if r.o.TLS == ModeStartTLS {
			r.fail(st, TLSStartTLSNotOffered)
			return false
		}
		r.warn(st, TLSStartTLSNotOffered)
		return true
	case r.rootsErr != nil:
		st.see(msg("tls.seen_ca_file", "file", r.o.Config.CAFile, "error", r.rootsErr.Error()))
		r.fail(st, TLSCAFile)
		return false
	}
	// The upgrade and the EHLO inside TLS are submit's Secure, as for
	// send; the check reads each step's reply from its events.
	var rep, again *smtpwire.Reply
	var againErr error
	sess := submit.Attach(r.c, submit.Options{TLS: submit.TLSRequired, Events: func(ev submit.Event) {
		switch ev.Stage {
		case submit.StageStartTLS:
			rep = ev.Reply
		case submit.StageHello:
			again, againErr = ev.Reply, ev.Err
		}
	}})
	err := sess.Secure(ctx)
	if rep == nil {
		r.sessionFail(st, err)
		return false
	}
	st.see(msg("tls.seen_starttls", "reply", replyText(rep)))
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		r.fail(st, SessionClosing)
		return false
	case rep.Code/100 == 4:
		r.fail(st, TLSStartTLSUnavailable)
		return false
	case rep.Code != smtpwire.CodeReady:
		r.fail(st, TLSStartTLSRefused)
		return false
	case err != nil && again == nil && againErr == nil:
		var inj *smtpwire.StartTLSInjectionError
		if errors.As(err, &inj) {
			st.see(msg("tls.seen_injection", "bytes", quote(inj.Data)))
			r.fail(st, TLSStartTLSInjection)
			return false
		}
		r.handshakeFailed(st, err)
		return false
	}
	info, _ := r.c.TLSInfo()
	r.inspect(st, info)
	done()
	return r.ehloAgain(again, againErr)
}

// handshakeFailed names a failed handshake.
func (r *runner) handshakeFailed(st *Stage, err error) {
	var rhe tls.RecordHeaderError
	alert, sent := remoteAlert(err)
	switch {
	case errors.As(err, &rhe) && looksSMTP(rhe.RecordHeader[:]):
		st.see(msg("tls.seen_plaintext", "bytes", quote(rhe.RecordHeader[:])))
		r.fail(st, TLSPlaintextPort)
	case errors.As(err, &rhe):
		st.see(msg("tls.seen_not_tls", "bytes", quote(rhe.RecordHeader[:])))
		r.fail(st, TLSNotTLS)
	case sent && strings.Contains(alert, "protocol version"):
		st.see(msg("tls.seen_alert", "alert", alert))
		r.fail(st, TLSNoCommonVersion)
	case sent:
		st.see(msg("tls.seen_alert", "alert", alert))
		r.fail(st, TLSHandshakeFailed)
	case isTimeout(err):
		st.see(msg("tls.seen_handshake_timeout", "timeout", r.cfg.Timeouts.TLS.String()))
		r.fail(st, TLSHandshakeTimeout)
	default:
		st.see(msg("tls.seen_handshake_error", "error", unwrapTLS(err)))
		r.fail(st, TLSHandshakeFailed)
	}
}

// remoteAlert returns the alert the server sent to end the handshake:
// crypto/tls reports it as a *net.OpError with Op "remote error".
func remoteAlert(err error) (string, bool) {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "remote error" {
		return oe.Err.Error(), true
	}
	return "", false
}

// unwrapTLS drops smtpwire's prefix from a handshake error.
func unwrapTLS(err error) string {
	var te *smtpwire.TLSError
	if errors.As(err, &te) {
		return te.Err.Error()
	}
	return err.Error()
}

// looksSMTP reports bytes that start like an SMTP reply: three digits.
func looksSMTP(b []byte) bool {
	return len(b) >= 3 && b[0] >= '2' && b[0] <= '5' && b[1] >= '0' && b[1] <= '9' && b[2] >= '0' && b[2] <= '9'
}

// looksTLS reports bytes that start like a TLS record: handshake (22) or
// alert (21), version 3.x.
func looksTLS(b []byte) bool {
	return len(b) >= 2 && (b[0] == 21 || b[0] == 22) && b[1] == 3
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

// quote shows raw bytes for a report line, at most 60 of them: quoted
// when they are text, in hex when they are binary (a TLS record).
func quote(b []byte) string {
	more := ""
	if len(b) > 60 {
		b, more = b[:60], "..."
	}
	for _, c := range b {
		if (c < ' ' || c > '~') && c != '\r' && c != '\n' && c != '\t' {
			return fmt.Sprintf("[% x]%s", b, more)
		}
	}
	return strconv.Quote(string(b)) + more
}

// inspect reports a completed handshake: version, cipher, chain, names,
// expiry, and the verification Run does itself.
func (r *runner) inspect(st *Stage, info smtpwire.TLSInfo) {
	cs := info.State
	st.see(msg("tls.seen_version", "version", info.Version(), "cipher", info.CipherSuite()))
	if len(cs.PeerCertificates) == 0 {
		st.see(msg("tls.seen_no_cert"))
		r.badTLS(st, TLSVerifyFailed)
		return
	}
	leaf := cs.PeerCertificates[0]
	st.see(msg("tls.seen_subject", "subject", leaf.Subject.String()))
	if names := certNames(leaf); names != "" {
		st.see(msg("tls.seen_names", "names", names))
	}
	st.see(msg("tls.seen_issuer", "issuer", leaf.Issuer.String()))
	for _, c := range cs.PeerCertificates[1:] {
		st.see(msg("tls.seen_chain", "subject", c.Subject.String(), "issuer", c.Issuer.String()))
	}
	now := r.now()
	days := strconv.Itoa(int(leaf.NotAfter.Sub(now).Hours() / 24))
	st.see(msg("tls.seen_validity", "from", day(leaf.NotBefore), "until", day(leaf.NotAfter), "days", days))
	old := cs.Version < tls.VersionTLS12
	if old {
		st.see(msg("tls.seen_old_version", "version", info.Version()))
		r.badTLS(st, TLSOldVersion)
	}
	name := r.serverName()
	problems := r.verify(st, cs.PeerCertificates, name, now)
	for _, code := range problems {
		r.badTLS(st, code)
	}
	if (old || len(problems) > 0) && r.insecure() {
		st.see(msg("tls.seen_insecure"))
	}
	if len(problems) == 0 {
		roots := msg("tls.roots_system")
		if r.o.Config.CAFile != "" {
			roots = msg("tls.roots_file", "file", r.o.Config.CAFile)
		} else if r.roots != nil {
			roots = msg("tls.roots_config")
		}
		st.see(msg("tls.seen_verified", "name", name).WithMsg("roots", roots))
		if leaf.NotAfter.Sub(now) < expiresSoon {
			r.warn(st, TLSExpiresSoon)
		}
	}
}

// badTLS records a TLS problem that makes the connection unfit for
// credentials: a failure, or a warning under --insecure.
func (r *runner) badTLS(st *Stage, code string) {
	if r.insecure() {
		r.warn(st, code)
		return
	}
	r.tlsBad = true
	r.fail(st, code)
}

// serverName is the name the certificate must hold.
func (r *runner) serverName() string {
	switch {
	case r.o.Config.ServerName != "":
		return r.o.Config.ServerName
	case r.cfg.TLSConfig != nil && r.cfg.TLSConfig.ServerName != "":
		return r.cfg.TLSConfig.ServerName
	}
	return strings.Trim(r.o.Host, "[]")
}

// verify checks the chain as crypto/tls would, but each point on its own
// so that every failure is named: validity dates, the name, the
// authority. It returns the problem codes, most specific first.
func (r *runner) verify(st *Stage, certs []*x509.Certificate, name string, now time.Time) []string {
	leaf := certs[0]
	var codes []string
	switch {
	case now.Before(leaf.NotBefore):
		st.see(msg("tls.seen_not_yet_valid", "from", day(leaf.NotBefore), "now", day(now)))
		codes = append(codes, TLSNotYetValid)
	case now.After(leaf.NotAfter):
		ago := strconv.Itoa(int(now.Sub(leaf.NotAfter).Hours()/24) + 1)
		st.see(msg("tls.seen_expired", "until", day(leaf.NotAfter), "days", ago))
		codes = append(codes, TLSExpired)
	}
	if err := leaf.VerifyHostname(name); err != nil {
		st.see(msg("tls.seen_name_mismatch", "name", name, "names", certNames(leaf)))
		codes = append(codes, TLSNameMismatch)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	// The dates were checked above: verify the chain at a moment the leaf
	// is valid, so an expired certificate does not hide an unknown CA.
	at := now
	if at.Before(leaf.NotBefore) || at.After(leaf.NotAfter) {
		at = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: r.roots, Intermediates: inter, CurrentTime: at})
	var ua x509.UnknownAuthorityError
	var sr x509.SystemRootsError
	switch {
	case err == nil:
	case errors.As(err, &sr):
		st.see(msg("tls.seen_no_roots", "error", err.Error()))
		codes = append(codes, TLSNoSystemRoots)
	case errors.As(err, &ua):
		st.see(msg("tls.seen_unknown_authority", "issuer", leaf.Issuer.String()))
		codes = append(codes, TLSUnknownAuthority)
	default:
		st.see(msg("tls.seen_verify_error", "error", err.Error()))
		codes = append(codes, TLSVerifyFailed)
	}
	return codes
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName+" (CN only)")
	}
	return strings.Join(names, ", ")
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// probeResult is what a TLS handshake on a second connection found.
type probeResult struct {
	tls   bool
	state tls.ConnectionState
	alert string
}

// probeTLS tries a TLS handshake on a new connection to the same
// address, to tell an implicit-TLS port (it answers the handshake) from a
// server that is merely slow to greet.
func (r *runner) probeTLS(ctx context.Context) probeResult {
	pctx, cancel := context.WithTimeout(ctx, min(r.wait, r.cfg.Timeouts.TLS))
	defer cancel()
	conn, err := r.dial(pctx, "tcp", r.addr)
	if err != nil {
		return probeResult{}
	}
	defer conn.Close()
	conf := r.cfg.TLSConfig.Clone()
	conf.InsecureSkipVerify = true
	conf.ServerName = r.serverName()
	tc := tls.Client(conn, conf)
	err = tc.HandshakeContext(pctx)
	if err == nil {
		return probeResult{tls: true, state: tc.ConnectionState()}
	}
	if alert, sent := remoteAlert(err); sent {
		return probeResult{tls: true, alert: alert}
	}
	return probeResult{}
}

// implicitPort reports a plain connection to a port that expects TLS
// first, in the TLS stage.
func (r *runner) implicitPort(seen Msg, p probeResult) {
	st, done := r.stage(StageTLS)
	defer done()
	st.Seen = nil
	st.see(seen)
	switch {
	case p.alert != "":
		st.see(msg("tls.seen_probe_alert", "alert", p.alert))
	case p.tls:
		st.see(msg("tls.seen_probe_ok", "version", tls.VersionName(p.state.Version)))
		if len(p.state.PeerCertificates) > 0 {
			st.see(msg("tls.seen_subject", "subject", p.state.PeerCertificates[0].Subject.String()))
		}
	}
	r.fail(st, TLSImplicitPort)
}
