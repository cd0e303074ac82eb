package smtpwire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net/textproto"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dotRefEncode is the obviously-correct, byte-at-a-time reference for
// dotWriter: RFC 5321 §2.3.8 line endings, §4.5.2 stuffing, terminator.
func dotRefEncode(in []byte) []byte {
	var out []byte
	bol := true
	for i := 0; i < len(in); i++ {
		switch c := in[i]; c {
		case '\r':
			out = append(out, '\r', '\n')
			if i+1 < len(in) && in[i+1] == '\n' {
				i++
			}
			bol = true
		case '\n':
			out = append(out, '\r', '\n')
			bol = true
		default:
			if bol && c == '.' {
				out = append(out, '.')
			}
			out = append(out, c)
			bol = false
		}
	}
	if !bol {
		out = append(out, '\r', '\n')
	}
	return append(out, '.', '\r', '\n')
}

// dotNormalize is the input with every line ending (CRLF, bare CR, bare LF)
// made CRLF and a final CRLF added if missing: what the receiver must get.
func dotNormalize(in []byte) []byte {
	s := strings.ReplaceAll(string(in), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\n", "\r\n")
	if s != "" && !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	return []byte(s)
}

// dotServerDecode reads DATA output the way a strict server does: CRLF
// lines up to the first "." line, which must be the end of the output;
// other lines lose one leading ".". It also rejects any bare CR or LF, which
// a lenient server might take for a line break.
func dotServerDecode(out []byte) ([]byte, error) {
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			return nil, errors.New("bare CR in output")
		}
		if c == '\n' && (i == 0 || out[i-1] != '\r') {
			return nil, errors.New("bare LF in output")
		}
	}
	var body []byte
	rest := out
	for {
		line, after, ok := bytes.Cut(rest, []byte("\r\n"))
		if !ok {
			return nil, errors.New("no terminator")
		}
		if string(line) == "." {
			if len(after) != 0 {
				return nil, errors.New("terminator before end of output (smuggling)")
			}
			return body, nil
		}
		if len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		body = append(append(body, line...), '\r', '\n')
		rest = after
	}
}

// dotTraceWant is what onLine must report for the encoded output out.
func dotTraceWant(out []byte) []string {
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	for i, l := range lines {
		if len(l) > dotTraceMax {
			lines[i] = l[:dotTraceMax] + dotTraceMark
		}
	}
	return lines
}

// dotEncode runs in through a dotWriter in chunks of the given sizes (the
// rest in one final Write), on a bufio.Writer of size bufSize, and returns
// the output and the traced lines.
func dotEncode(t testing.TB, in []byte, sizes []int, bufSize int) ([]byte, []string) {
	t.Helper()
	var out bytes.Buffer
	var traced []string
	bw := bufio.NewWriterSize(&out, bufSize)
	d := newDotWriter(bw, func(line []byte) { traced = append(traced, string(line)) })
	rest := in
	for _, n := range sizes {
		n = min(n, len(rest))
		k, err := d.Write(rest[:n])
		require.NoError(t, err)
		require.Equal(t, n, k)
		rest = rest[n:]
	}
	k, err := d.Write(rest)
	require.NoError(t, err)
	require.Equal(t, len(rest), k)
	require.NoError(t, d.finish())
	require.NoError(t, bw.Flush())
	return out.Bytes(), traced
}

// dotEncodeUntraced is dotEncode with a nil onLine.
func dotEncodeUntraced(t testing.TB, in []byte, sizes []int, bufSize int) []byte {
	t.Helper()
	var out bytes.Buffer
	bw := bufio.NewWriterSize(&out, bufSize)
	d := newDotWriter(bw, nil)
	rest := in
	for _, n := range sizes {
		n = min(n, len(rest))
		_, err := d.Write(rest[:n])
		require.NoError(t, err)
		rest = rest[n:]
	}
	_, err := d.Write(rest)
	require.NoError(t, err)
	require.NoError(t, d.finish())
	require.NoError(t, bw.Flush())
	return out.Bytes()
}

// dotCheck runs every check on one input and split: output equals the
// reference, decodes back to the normalised input, has exactly one
// terminator, and the trace matches the output lines.
func dotCheck(t testing.TB, in []byte, sizes []int, bufSize int) {
	t.Helper()
	want := dotRefEncode(in)
	got, traced := dotEncode(t, in, sizes, bufSize)
	require.Equal(t, string(want), string(got), "input %q sizes %v", in, sizes)
	require.Equal(t, string(want), string(dotEncodeUntraced(t, in, sizes, bufSize)), "untraced, input %q sizes %v", in, sizes)
	body, err := dotServerDecode(got)
	require.NoError(t, err, "input %q output %q", in, got)
	require.Equal(t, string(dotNormalize(in)), string(body), "input %q", in)
	require.Equal(t, dotTraceWant(got), traced, "input %q sizes %v", in, sizes)
}

func TestDotWriterTable(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty body", "", ".\r\n"},
		{"crlf text unchanged", "hello\r\nworld\r\n", "hello\r\nworld\r\n.\r\n"},
		{"blank lines", "\r\n\r\na\r\n\r\n", "\r\n\r\na\r\n\r\n.\r\n"},
		{"no final line break", "hello\r\nworld", "hello\r\nworld\r\n.\r\n"},
		{"single byte", "x", "x\r\n.\r\n"},
		{"leading dot", "a\r\n.hidden\r\nb\r\n", "a\r\n..hidden\r\nb\r\n.\r\n"},
		{"two dots", "a\r\n..\r\n", "a\r\n...\r\n.\r\n"},
		{"lone dot line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
		{"dot first byte", ".a\r\n", "..a\r\n.\r\n"},
		{"dot only body", ".", "..\r\n.\r\n"},
		{"dot line only body", ".\r\n", "..\r\n.\r\n"},
		{"dot mid line", "a.b.\r\n", "a.b.\r\n.\r\n"},
		{"dot after bare LF", "a\n.b\n", "a\r\n..b\r\n.\r\n"},
		{"dot after bare CR", "a\r.b\r", "a\r\n..b\r\n.\r\n"},
		{"LF to CRLF", "a\nb\nc", "a\r\nb\r\nc\r\n.\r\n"},
		{"CR to CRLF", "a\rb\rc", "a\r\nb\r\nc\r\n.\r\n"},
		{"CRCR", "a\r\rb", "a\r\n\r\nb\r\n.\r\n"},
		{"LFCR", "a\n\rb", "a\r\n\r\nb\r\n.\r\n"},
		{"LFLF", "a\n\nb", "a\r\n\r\nb\r\n.\r\n"},
		{"CRCRLF", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n"},
		{"bare CR in CRLF run", "a\r\nb\rc\r\nd\r\n", "a\r\nb\r\nc\r\nd\r\n.\r\n"},
		{"bare LF after CRLF run", "a\r\nb\r\nc\nd\r\n", "a\r\nb\r\nc\r\nd\r\n.\r\n"},
		{"dot in CRLF run", "a\r\nb\r\n.c\r\nd", "a\r\nb\r\n..c\r\nd\r\n.\r\n"},
		{"lone CRLF", "\r\n", "\r\n.\r\n"},
		{"lone LF", "\n", "\r\n.\r\n"},
		{"lone CR", "\r", "\r\n.\r\n"},
		{"trailing CR", "a\r", "a\r\n.\r\n"},
		{"trailing LF", "a\n", "a\r\n.\r\n"},
		// SMTP smuggling: every way a lenient receiver could see an
		// end-of-data line inside the body must come out stuffed.
		{"smuggle LF.LF", "a\n.\nMAIL FROM:<x>\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CR.CR", "a\r.\rMAIL FROM:<x>\r", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle LF.CRLF", "a\n.\r\nMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CRLF.LF", "a\r\n.\nMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CRLF.CR", "a\r\n.\rMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CR.LF", "a\r.\nMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CRLF.CRLF", "a\r\n.\r\nMAIL FROM:<x>\r\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle at start", ".\nMAIL FROM:<x>\n", "..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CR at start", ".\rMAIL FROM:<x>", "..\r\nMAIL FROM:<x>\r\n.\r\n"},
		{"smuggle CRCR.CR", "a\r\r.\r\r", "a\r\n\r\n..\r\n\r\n.\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			require.Equal(t, tt.want, string(dotRefEncode(in)), "reference encoder")
			// One Write, then every split into two and three Writes.
			// Traced and untraced (which may take the CRLF-run fast path).
			got, _ := dotEncode(t, in, nil, 4096)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, tt.want, string(dotEncodeUntraced(t, in, nil, 4096)))
			for i := 0; i <= len(in); i++ {
				for j := i; j <= len(in); j++ {
					got, _ := dotEncode(t, in, []int{i, j - i}, 4096)
					assert.Equal(t, tt.want, string(got), "splits at %d, %d", i, j)
					got = dotEncodeUntraced(t, in, []int{i, j - i}, 4096)
					assert.Equal(t, tt.want, string(got), "untraced, splits at %d, %d", i, j)
				}
			}
			ones := make([]int, len(in))
			for i := range ones {
				ones[i] = 1
			}
			dotCheck(t, in, ones, 16)
			// Exactly one "\r\n.\r\n", at the very end (a leading
			// ".\r\n" would also end DATA, hence the prepended CRLF).
			wire := "\r\n" + tt.want
			assert.Equal(t, len(wire)-5, strings.Index(wire, "\r\n.\r\n"), "early end-of-data")
		})
	}
}

// dotRandSizes returns random chunk sizes (zero-length Writes included)
// covering at least n bytes.
func dotRandSizes(r *rand.Rand, n int) []int {
	var sizes []int
	for total := 0; total < n; {
		var k int
		switch r.IntN(4) {
		case 0:
			k = 0
		case 1:
			k = 1
		case 2:
			k = r.IntN(8)
		default:
			k = r.IntN(n + 1)
		}
		sizes = append(sizes, k)
		total += k
	}
	return sizes
}

func TestDotWriterProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "a.\r\n"
	iters := 20000
	if testing.Short() {
		iters = 2000
	}
	for range iters {
		in := make([]byte, r.IntN(64))
		for i := range in {
			in[i] = alphabet[r.IntN(len(alphabet))]
		}
		bufSize := 16 // bufio's minimum: exercises the spill paths
		if r.IntN(2) == 0 {
			bufSize = 4096
		}
		dotCheck(t, in, dotRandSizes(r, len(in)), bufSize)
	}
	// Longer inputs with longer lines, including lines past the trace cap.
	for range 200 {
		in := make([]byte, r.IntN(8000))
		for i := range in {
			switch x := r.IntN(400); {
			case x == 0:
				in[i] = '\r'
			case x == 1:
				in[i] = '\n'
			case x < 5:
				in[i] = '.'
			default:
				in[i] = 'a'
			}
		}
		dotCheck(t, in, dotRandSizes(r, len(in)), 16+r.IntN(3000))
	}
}

func FuzzDotWriter(f *testing.F) {
	seeds := []string{
		"", ".", "\r", "\n", "\r\n", ".\r\n", "a\n.\nb", "a\r.\rb", "a\n.\r\nb",
		"a\r\n.\nb", "a\r\n.\r\nb", "a\r\rb", "a\n\rb", "..\r\n..", "hello\r\nworld",
	}
	for i, s := range seeds {
		f.Add([]byte(s), []byte{byte(i), 1, 0, 3})
	}
	// The messages of the golden transcripts, as the client sent them.
	for i, m := range transcriptMessages(f) {
		f.Add(m, []byte{byte(i), 7, 0, 31})
	}
	f.Fuzz(func(t *testing.T, in, split []byte) {
		sizes := make([]int, len(split))
		for i, b := range split {
			sizes[i] = int(b % 32)
		}
		bufSize := 16
		if len(split) > 0 && split[0]&0x80 != 0 {
			bufSize = 4096
		}
		dotCheck(t, in, sizes, bufSize)
	})
}

func TestDotWriterOnLine(t *testing.T) {
	t.Run("split lines reported whole", func(t *testing.T) {
		in := []byte("first line\r\n.stuffed line\nbare cr\rlast")
		want := []string{"first line", "..stuffed line", "bare cr", "last", "."}
		for i := 0; i <= len(in); i++ {
			for j := i; j <= len(in); j++ {
				_, traced := dotEncode(t, in, []int{i, j - i}, 4096)
				require.Equal(t, want, traced, "splits at %d, %d", i, j)
			}
		}
	})
	t.Run("truncation cap", func(t *testing.T) {
		long := strings.Repeat("x", 5000)
		in := []byte(long + "\r\n." + long + "\r\n" + strings.Repeat("y", dotTraceMax) + "\n" + long)
		cut := strings.Repeat("x", dotTraceMax) + dotTraceMark
		want := []string{
			cut,
			".." + strings.Repeat("x", dotTraceMax-2) + dotTraceMark, // the stuffed dot counts
			strings.Repeat("y", dotTraceMax),                         // exactly at the cap: not cut
			cut,
			".",
		}
		r := rand.New(rand.NewPCG(3, 4))
		for range 50 {
			out, traced := dotEncode(t, in, dotRandSizes(r, len(in)), 4096)
			require.Equal(t, want, traced)
			require.Equal(t, string(dotRefEncode(in)), string(out))
		}
		// The line buffer never grows past its initial capacity.
		var d *dotWriter
		d = newDotWriter(bufio.NewWriter(io.Discard), func(line []byte) {
			require.LessOrEqual(t, cap(d.line), dotTraceMax+len(dotTraceMark))
		})
		for range 100 {
			_, err := d.Write([]byte(long))
			require.NoError(t, err)
		}
		require.NoError(t, d.finish())
	})
	t.Run("terminator reported", func(t *testing.T) {
		_, traced := dotEncode(t, nil, nil, 4096)
		require.Equal(t, []string{"."}, traced)
		_, traced = dotEncode(t, []byte("a"), nil, 4096)
		require.Equal(t, []string{"a", "."}, traced)
	})
	t.Run("reuse after finish", func(t *testing.T) {
		var out bytes.Buffer
		var traced []string
		bw := bufio.NewWriter(&out)
		d := newDotWriter(bw, func(line []byte) { traced = append(traced, string(line)) })
		for _, body := range []string{"one\r", "\n.two", ".three\n"} {
			_, err := d.Write([]byte(body))
			require.NoError(t, err)
			require.NoError(t, d.finish())
		}
		require.NoError(t, bw.Flush())
		// The LF of the second body is not the partner of the first body's
		// CR: finish ended that body.
		assert.Equal(t, "one\r\n.\r\n\r\n..two\r\n.\r\n..three\r\n.\r\n", out.String())
		assert.Equal(t, []string{"one", ".", "", "..two", ".", "..three", "."}, traced)
	})
}

type dotFailWriter struct{}

func (dotFailWriter) Write([]byte) (int, error) { return 0, errors.New("boom") }

func TestDotWriterError(t *testing.T) {
	bw := bufio.NewWriterSize(dotFailWriter{}, 16)
	d := newDotWriter(bw, nil)
	_, err := d.Write(bytes.Repeat([]byte("a\n"), 100))
	require.EqualError(t, err, "boom")
	_, err = d.Write([]byte("more"))
	require.EqualError(t, err, "boom")
	require.EqualError(t, d.finish(), "boom")
}

// dotBenchBody is a 10 MiB body of ~76-char lines, some starting with ".",
// ending in CRLF or in bare LF.
func dotBenchBody(crlf bool) []byte {
	const size = 10 << 20
	r := rand.New(rand.NewPCG(5, 6))
	const letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789,;:-"
	body := make([]byte, 0, size+100)
	for len(body) < size {
		n := 66 + r.IntN(21)
		for i := range n {
			c := letters[r.IntN(len(letters))]
			if i == 0 && r.IntN(20) == 0 {
				c = '.'
			}
			body = append(body, c)
		}
		if crlf {
			body = append(body, '\r')
		}
		body = append(body, '\n')
	}
	return body
}

func dotChunks(body []byte, size int) [][]byte {
	var chunks [][]byte
	for len(body) > 0 {
		n := min(size, len(body))
		chunks = append(chunks, body[:n])
		body = body[n:]
	}
	return chunks
}

func TestDotWriterAllocs(t *testing.T) {
	crlf := dotBenchBody(true)[:32<<10]
	mixed := []byte(strings.Repeat("plain line\r\n.dot\nbare cr\r\r\n\n\r..x\r\n", 1000))[:32<<10]
	for _, tc := range []struct {
		name   string
		chunk  []byte
		onLine func([]byte)
	}{
		{"crlf", crlf, nil},
		{"mixed", mixed, nil},
		{"crlf traced", crlf, func([]byte) {}},
		{"mixed traced", mixed, func([]byte) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bw := bufio.NewWriterSize(io.Discard, 64<<10)
			d := newDotWriter(bw, tc.onLine)
			// Odd-sized pieces so that Writes split lines, CRLFs and dots.
			pieces := dotChunks(tc.chunk, 1001)
			allocs := testing.AllocsPerRun(100, func() {
				for _, p := range pieces {
					if _, err := d.Write(p); err != nil {
						panic(err)
					}
				}
			})
			assert.Zero(t, allocs, "allocations per run")
			allocs = testing.AllocsPerRun(100, func() {
				if err := d.finish(); err != nil {
					panic(err)
				}
			})
			assert.Zero(t, allocs, "allocations per finish")
		})
	}
}

func TestDotWriterMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB")
	}
	// MemStats count the whole process, and in CI something else in this
	// test process twice allocated megabytes during the measurement (not
	// reproducible here, and no goroutine of an earlier test was left).
	// So the measurement runs in a process of its own, this test alone.
	if os.Getenv("SMTPSH_DOTWRITER_MEMORY") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDotWriterMemory$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SMTPSH_DOTWRITER_MEMORY=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the measurement in its own process failed:\n%s", out)
		require.Contains(t, string(out), "--- PASS: TestDotWriterMemory/one_long_line_traced", "the measurement did not run:\n%s", out)
		t.Logf("measured in a process of its own:\n%s", out)
		return
	}
	text := dotBenchBody(false)[:32<<10]
	longLine := bytes.Repeat([]byte("x"), 32<<10) // one 64 MiB line in total
	for _, tc := range []struct {
		name   string
		chunk  []byte
		onLine func([]byte)
	}{
		{"text", text, nil},
		{"text traced", text, func([]byte) {}},
		{"one long line traced", longLine, func([]byte) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total, grew := dotWriterAllocs(t, tc.chunk, tc.onLine)
			t.Logf("TotalAlloc delta %d bytes, HeapAlloc grew %d", total, grew)
			assert.Less(t, total, uint64(64<<10), "allocated while writing 64 MiB")
			assert.Less(t, grew, int64(1<<20), "heap grew")
		})
	}
}

// dotWriterAllocs writes 64 MiB of chunk through a new dotWriter and
// returns what the process allocated meanwhile and how much its heap grew.
func dotWriterAllocs(t *testing.T, chunk []byte, onLine func([]byte)) (total uint64, grew int64) {
	bw := bufio.NewWriterSize(io.Discard, 64<<10)
	d := newDotWriter(bw, onLine)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range (64 << 20) / len(chunk) {
		if _, err := d.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	require.NoError(t, d.finish())
	require.NoError(t, bw.Flush())
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

var dotBenchCases = []struct {
	name string
	crlf bool
}{
	{"crlf-text", true},
	{"lf-text", false},
}

func BenchmarkDotWriter(b *testing.B) {
	for _, bc := range dotBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			body := dotBenchBody(bc.crlf)
			chunks := dotChunks(body, 32<<10)
			bw := bufio.NewWriterSize(io.Discard, 64<<10)
			d := newDotWriter(bw, nil) // finish resets it for the next body
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				bw.Reset(io.Discard)
				for _, c := range chunks {
					if _, err := d.Write(c); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.finish(); err != nil {
					b.Fatal(err)
				}
				if err := bw.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDotWriterOnLine is BenchmarkDotWriter with a trace hook: the cost
// of per-line work.
func BenchmarkDotWriterOnLine(b *testing.B) {
	for _, bc := range dotBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			body := dotBenchBody(bc.crlf)
			chunks := dotChunks(body, 32<<10)
			bw := bufio.NewWriterSize(io.Discard, 64<<10)
			lines := 0
			d := newDotWriter(bw, func([]byte) { lines++ })
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				bw.Reset(io.Discard)
				for _, c := range chunks {
					if _, err := d.Write(c); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.finish(); err != nil {
					b.Fatal(err)
				}
				if err := bw.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTextprotoDotWriter(b *testing.B) {
	for _, bc := range dotBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			body := dotBenchBody(bc.crlf)
			chunks := dotChunks(body, 32<<10)
			bw := bufio.NewWriterSize(io.Discard, 64<<10)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				bw.Reset(io.Discard)
				dw := textproto.NewWriter(bw).DotWriter()
				for _, c := range chunks {
					if _, err := dw.Write(c); err != nil {
						b.Fatal(err)
					}
				}
				if err := dw.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
