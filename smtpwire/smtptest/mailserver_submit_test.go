package smtptest_test

import (
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// The project's own sending engine streams messages to the MailServer
// with PIPELINING, with DATA and with BDAT in small chunks: one round trip
// a message, every message and its DSN parameters arrive intact.
func TestMailServerWithSubmit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chunk submit.Mode
	}{{"DATA", submit.Never}, {"BDAT", submit.Always}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newMailServer(t, &smtptest.MailServerOptions{NoTLS: true})
			ctx := testCtx(t)
			s, err := submit.Dial(ctx, submit.Options{Addr: srv.Addr(), Chunking: tc.chunk, ChunkSize: 1000})
			require.NoError(t, err)
			msgs := func(yield func(*submit.Message) bool) {
				for i := range 20 {
					body := fmt.Sprintf("Subject: m%d\r\n\r\n%s.dot\r\n", i, strings.Repeat("line\r\n", 500))
					m := &submit.Message{From: "a@example.com", Ret: "HDRS", EnvID: "E+1", Body: strings.NewReader(body),
						To: []submit.Recipient{{Addr: "b@example.com", Notify: []string{"SUCCESS", "FAILURE"}, ORcpt: "b@example.com"}, {Addr: "c@example.com"}}}
					if !yield(m) {
						return
					}
				}
			}
			n := 0
			err = s.SendAll(ctx, iter.Seq[*submit.Message](msgs), func(m *submit.Message, r *submit.Result, err error) bool {
				assert.NoError(t, err)
				assert.True(t, r.Pipelined)
				assert.Equal(t, tc.chunk == submit.Always, r.Chunked)
				n++
				return true
			})
			require.NoError(t, err)
			assert.Equal(t, 20, n)
			assert.Equal(t, 20, s.RoundTrips(), "one round trip a message")
			got := srv.Messages()
			require.Len(t, got, 20)
			assert.Equal(t, smtptest.DSN{Ret: "HDRS", EnvID: "E+1", Notify: []string{"SUCCESS,FAILURE", ""}, ORcpt: []string{"rfc822;b@example.com", ""}}, got[7].DSN)
			assert.Equal(t, fmt.Sprintf("Subject: m19\r\n\r\n%s.dot\r\n", strings.Repeat("line\r\n", 500)), string(got[19].Data))
			assert.Equal(t, tc.chunk == submit.Always, got[19].Chunked)
		})
	}
}
