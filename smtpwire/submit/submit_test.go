package submit_test

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite failing transcripts with what the client sent")

func transcript(name string) string {
	return filepath.Join("..", "..", "testdata", "transcripts", name)
}

// msg builds a message whose size and content Inspect tells.
func msg(t *testing.T, from string, body string, to ...submit.Recipient) *submit.Message {
	t.Helper()
	size, content, err := submit.Inspect(strings.NewReader(body))
	require.NoError(t, err)
	return &submit.Message{From: from, To: to, Body: strings.NewReader(body), Size: size, Content: content}
}

func rcpts(addrs ...string) []submit.Recipient {
	var out []submit.Recipient
	for _, a := range addrs {
		out = append(out, submit.Recipient{Addr: a})
	}
	return out
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// sendAll replays a transcript against a session that sends msgs and
// returns the results and errors per message.
func sendAll(t *testing.T, name string, o submit.Options, msgs ...*submit.Message) (res []submit.Result, errs []error, trips int) {
	t.Helper()
	smtptest.Replay(t, transcript(name), *update, func(addr string, _ *tls.Config) error {
		res, errs = nil, nil
		o.Addr = addr
		o.Config.LocalName = "client.example.test"
		if o.TLS == submit.TLSOpportunistic {
			o.TLS = submit.TLSNone
		}
		s, err := submit.Dial(ctx(t), o)
		if err != nil {
			return err
		}
		err = s.SendAll(ctx(t), func(yield func(*submit.Message) bool) {
			for _, m := range msgs {
				if !yield(m) {
					return
				}
			}
		}, func(_ *submit.Message, r *submit.Result, err error) bool {
			c := *r
			c.Recipients = append([]submit.RcptResult(nil), r.Recipients...)
			res, errs = append(res, c), append(errs, err)
			return true
		})
		trips = s.RoundTrips()
		if err != nil {
			s.Close()
			return nil // the transcript ends where the session broke
		}
		return s.Quit(ctx(t))
	})
	return res, errs, trips
}

func TestPipelinedStream(t *testing.T) {
	res, errs, trips := sendAll(t, "pipeline-stream.txt", submit.Options{Chunking: submit.Never},
		msg(t, "a@example.test", "Subject: one\n\n.first\n", rcpts("b@example.test")...),
		msg(t, "a@example.test", "Subject: two\n\n中文\n", rcpts("b@example.test")...))
	require.Len(t, res, 2)
	assert.Equal(t, []error{nil, nil}, errs)
	assert.Equal(t, "250 2.0.0 Ok: queued as 1", res[0].Reply.String())
	assert.Equal(t, "250 2.0.0 Ok: queued as 2", res[1].Reply.String())
	assert.True(t, res[0].Pipelined)
	assert.Equal(t, 2, trips, "one round trip per message")
}

func TestPipelinedRecipientRefused(t *testing.T) {
	res, errs, _ := sendAll(t, "pipeline-rcpt-refused.txt", submit.Options{},
		msg(t, "a@example.test", "Subject: hi\n\nhello\n", rcpts("b@example.test", "nobody@example.test", "c@example.test")...))
	require.Len(t, res, 1)
	require.NoError(t, errs[0], "the message went to the others")
	assert.Equal(t, 2, res[0].Accepted())
	var re *smtpwire.ReplyError
	require.ErrorAs(t, res[0].Recipients[1].Err, &re)
	assert.Equal(t, 550, re.Code)
	assert.Equal(t, "nobody@example.test", res[0].Recipients[1].Addr)
	assert.NoError(t, res[0].Recipients[0].Err)
	assert.NoError(t, res[0].Recipients[2].Err)
}

func TestPipelinedAllRefused(t *testing.T) {
	res, errs, _ := sendAll(t, "pipeline-all-refused.txt", submit.Options{},
		msg(t, "a@example.test", "Subject: one\n\nnever sent\n", rcpts("x@elsewhere.test")...),
		msg(t, "a@example.test", "Subject: two\n\nok\n", rcpts("b@example.test")...))
	require.Len(t, errs, 2)
	assert.ErrorIs(t, errs[0], submit.ErrNoRecipients)
	var se *submit.Error
	require.ErrorAs(t, errs[0], &se)
	assert.Equal(t, submit.StageRcpt, se.Stage)
	assert.NoError(t, errs[1])
	assert.Equal(t, "250 2.0.0 Ok: queued as 8", res[1].Reply.String())
}

func TestPipelinedMailRefused(t *testing.T) {
	_, errs, _ := sendAll(t, "pipeline-mail-refused.txt", submit.Options{},
		msg(t, "spammer@example.test", "Subject: x\n\nx\n", rcpts("b@example.test")...))
	require.Len(t, errs, 1)
	var se *submit.Error
	require.ErrorAs(t, errs[0], &se)
	assert.Equal(t, submit.StageMail, se.Stage)
	var re *smtpwire.ReplyError
	require.ErrorAs(t, errs[0], &re)
	assert.Equal(t, 553, re.Code)
}

func TestPipelinedServerClosesMidGroup(t *testing.T) {
	_, errs, _ := sendAll(t, "pipeline-closed-mid-group.txt", submit.Options{},
		msg(t, "a@example.test", "Subject: x\n\nx\n", rcpts("b@example.test")...))
	require.Len(t, errs, 1)
	var se *submit.Error
	require.ErrorAs(t, errs[0], &se)
	assert.Equal(t, submit.StageRcpt, se.Stage, "the reply to RCPT never came")
	assert.Contains(t, errs[0].Error(), "RCPT: server closed the connection")
}

func TestChunkingWithDSN(t *testing.T) {
	m := msg(t, "a@example.test", "Subject: c\n\n.not stuffed\n",
		submit.Recipient{Addr: "b@example.test", Notify: []string{"SUCCESS", "FAILURE"}, ORcpt: "b@example.test"})
	m.Ret, m.EnvID = "HDRS", "id+1"
	res, errs, trips := sendAll(t, "chunking-bdat.txt", submit.Options{}, m)
	require.Len(t, errs, 1)
	require.NoError(t, errs[0])
	assert.True(t, res[0].Chunked)
	assert.Equal(t, 1, trips)
}

func TestLockstepWithoutPipelining(t *testing.T) {
	res, errs, trips := sendAll(t, "lockstep-no-pipelining.txt", submit.Options{},
		msg(t, "a@example.test", "Subject: s\n\nbody\n", rcpts("b@example.test")...))
	require.NoError(t, errs[0])
	assert.False(t, res[0].Pipelined)
	assert.Equal(t, 4, trips, "MAIL, RCPT, DATA and the message each wait for a reply")
}

// Local refusals: nothing is sent for a message the server cannot take,
// and the session goes on in sync.
func TestLocalRefusals(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()
	sink.NoChunking, sink.No8BitMIME, sink.NoSMTPUTF8, sink.NoDSN, sink.MaxSize = true, true, true, true, 100
	for _, tt := range []struct {
		name string
		o    submit.Options
		m    func() *submit.Message
		want error
	}{
		{"binary without BINARYMIME", submit.Options{}, func() *submit.Message {
			return msg(t, "a@example.test", "a\x00b\n", rcpts("b@example.test")...)
		}, submit.ErrBinaryUnsupported},
		{"8-bit without 8BITMIME", submit.Options{}, func() *submit.Message {
			return msg(t, "a@example.test", "中文\n", rcpts("b@example.test")...)
		}, submit.Err8BitUnsupported},
		{"over SIZE", submit.Options{}, func() *submit.Message {
			return msg(t, "a@example.test", strings.Repeat("x", 200)+"\n", rcpts("b@example.test")...)
		}, submit.ErrTooLarge},
		{"UTF-8 address without SMTPUTF8", submit.Options{}, func() *submit.Message {
			return msg(t, "张三@example.test", "x\n", rcpts("b@example.test")...)
		}, submit.ErrUTF8Unsupported},
		{"DSN without DSN", submit.Options{}, func() *submit.Message {
			return msg(t, "a@example.test", "x\n", submit.Recipient{Addr: "b@example.test", Notify: []string{"NEVER"}})
		}, submit.ErrDSNUnsupported},
		{"BDAT forced without CHUNKING", submit.Options{Chunking: submit.Always}, func() *submit.Message {
			return msg(t, "a@example.test", "x\n", rcpts("b@example.test")...)
		}, submit.ErrChunkingUnsupported},
		{"REQUIRETLS without TLS", submit.Options{}, func() *submit.Message {
			m := msg(t, "a@example.test", "x\n", rcpts("b@example.test")...)
			m.RequireTLS = true
			return m
		}, submit.ErrRequireTLS},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Addr, o.TLS = sink.Addr(), submit.TLSNone
			s, err := submit.Dial(ctx(t), o)
			require.NoError(t, err)
			defer s.Quit(ctx(t))
			before := sink.Messages.Load()
			_, err = s.Send(ctx(t), tt.m())
			assert.ErrorIs(t, err, tt.want)
			var se *submit.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, submit.StageMail, se.Stage, "refused before MAIL")
			if tt.o.Chunking == submit.Always {
				return // every message is refused on this session
			}
			_, err = s.Send(ctx(t), msg(t, "a@example.test", "ok\n", rcpts("b@example.test")...))
			require.NoError(t, err, "the session is still in sync")
			assert.Equal(t, before+1, sink.Messages.Load())
		})
	}
}

// Unknown content to a 7-bit server: sent as it goes, and abandoned at
// the first 8-bit octet, without the final dot, so nothing is delivered.
func TestUnknownContentStopsAtEightBit(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()
	sink.No8BitMIME, sink.NoChunking = true, true
	s, err := submit.Dial(ctx(t), submit.Options{Addr: sink.Addr(), TLS: submit.TLSNone})
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Send(ctx(t), &submit.Message{From: "a@example.test", To: rcpts("b@example.test"),
		Body: strings.NewReader("Subject: x\n\nascii, then é\n")})
	assert.ErrorIs(t, err, submit.Err8BitUnsupported)
	assert.Equal(t, int64(0), sink.Messages.Load())
}

// Binary content goes as BDAT with BODY=BINARYMIME, byte for byte.
func TestBinaryMIME(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()
	var sent []string
	s, err := submit.Dial(ctx(t), submit.Options{Addr: sink.Addr(), TLS: submit.TLSNone,
		Config: smtpwire.Config{Trace: func(ev smtpwire.TraceEvent) {
			if ev.Dir == smtpwire.Sent && !ev.Data {
				sent = append(sent, ev.Line)
			}
		}}})
	require.NoError(t, err)
	defer s.Quit(ctx(t))
	body := "Subject: bin\r\n\r\n\x00\x01\r\xff lone CR and NUL\n"
	r, err := s.Send(ctx(t), msg(t, "a@example.test", body, rcpts("b@example.test")...))
	require.NoError(t, err)
	assert.True(t, r.Chunked)
	assert.Contains(t, sent, fmt.Sprintf("MAIL FROM:<a@example.test> SIZE=%d BODY=BINARYMIME", len(body)))
	assert.Equal(t, int64(len(body)), sink.Bytes.Load(), "binary goes unchanged: no CRLF added")
}

func TestCancelledContextStopsAStream(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()
	s, err := submit.Dial(ctx(t), submit.Options{Addr: sink.Addr(), TLS: submit.TLSNone})
	require.NoError(t, err)
	defer s.Close()
	c, cancel := context.WithCancel(ctx(t))
	n := 0
	err = s.SendAll(c, func(yield func(*submit.Message) bool) {
		for {
			if !yield(msg(t, "a@example.test", "x\n", rcpts("b@example.test")...)) {
				return
			}
		}
	}, func(_ *submit.Message, _ *submit.Result, err error) bool {
		if n++; n == 10 {
			cancel()
		}
		return true
	})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.LessOrEqual(t, n, 12)
}

func TestPipelinedReplyAheadIsAProtocolError(t *testing.T) {
	for _, name := range []string{"pipeline-reply-ahead.txt", "pipeline-verdict-before-dot.txt"} {
		t.Run(name, func(t *testing.T) {
			_, errs, _ := sendAll(t, name, submit.Options{},
				msg(t, "a@example.test", "Subject: x\n\nx\n", rcpts("b@example.test")...))
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], smtpwire.ErrUnexpectedReply)
		})
	}
}

func TestPipelinedAllRefusedButDataAccepted(t *testing.T) {
	res, errs, _ := sendAll(t, "pipeline-all-refused-354.txt", submit.Options{},
		msg(t, "a@example.test", "Subject: x\n\nnever sent\n", rcpts("x@elsewhere.test")...))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], submit.ErrNoRecipients)
	assert.Equal(t, 0, res[0].Accepted())
}

// A stream stopped by its done function leaves the session in sync: the
// message already on its way is finished, and QUIT works.
func TestStoppedStreamStaysInSync(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()
	s, err := submit.Dial(ctx(t), submit.Options{Addr: sink.Addr(), TLS: submit.TLSNone, Chunking: submit.Never})
	require.NoError(t, err)
	n := 0
	err = s.SendAll(ctx(t), func(yield func(*submit.Message) bool) {
		for {
			if !yield(msg(t, "a@example.test", "x\n", rcpts("b@example.test")...)) {
				return
			}
		}
	}, func(*submit.Message, *submit.Result, error) bool {
		n++
		return n < 3
	})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.NoError(t, s.Quit(ctx(t)), "no reply left unread")
	assert.Equal(t, int64(4), sink.Messages.Load(), "the fourth was already on its way when the third was reported")
}

// A server that does not know EHLO: Hello falls back to HELO (RFC 5321
// §3.2) and reports both replies, the refused EHLO without an error.
func TestHelloFallsBackToHELO(t *testing.T) {
	var evs []submit.Event
	smtptest.Replay(t, transcript("ehlo-rejected-helo.txt"), *update, func(addr string, _ *tls.Config) error {
		evs = nil
		o := submit.Options{Addr: addr, TLS: submit.TLSNone, Events: func(ev submit.Event) {
			if ev.Stage == submit.StageHello {
				evs = append(evs, ev)
			}
		}}
		o.Config.LocalName = "client.example.com"
		s, err := submit.Dial(ctx(t), o)
		if err != nil {
			return err
		}
		return s.Quit(ctx(t))
	})
	require.Len(t, evs, 2)
	assert.Equal(t, 500, evs[0].Reply.Code)
	assert.NoError(t, evs[0].Err)
	assert.Contains(t, evs[0].Note, "HELO")
	assert.Equal(t, 250, evs[1].Reply.Code)
	assert.NoError(t, evs[1].Err)
}
