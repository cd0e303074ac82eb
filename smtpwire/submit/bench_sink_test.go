//go:build integration

package submit_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest/realservers"
)

// BenchmarkSmtpSink is BenchmarkSend against Postfix's smtp-sink, a
// server in another process, as scripts/bench-engine.sh runs it:
//
//	SMTPSH_BENCH_SINK=127.0.0.1:PORT go test -tags integration ./smtpwire/submit -run XXX -bench SmtpSink -benchmem
//
// Without SMTPSH_BENCH_SINK it uses the smtp-sink of scripts/servers.sh.
func BenchmarkSmtpSink(b *testing.B) {
	addr := os.Getenv("SMTPSH_BENCH_SINK")
	if addr == "" {
		addr = realservers.Load(b).Sink
	}
	for _, size := range []int{1 << 10, 10 << 20} {
		for _, conns := range []int{1, 8} {
			if size > 1<<10 && conns > 1 {
				continue
			}
			name := fmt.Sprintf("%dKiB/conns=%d", size>>10, conns)
			b.Run("submit/"+name, func(b *testing.B) { benchSubmitAt(b, addr, size, conns, nil) })
			b.Run("netsmtp/"+name, func(b *testing.B) { benchNetSMTPAt(b, addr, size, conns, nil) })
		}
	}
}
