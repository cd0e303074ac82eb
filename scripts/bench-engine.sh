#!/usr/bin/env bash
# bench-engine.sh: the sending engine's performance table, every figure a
# ratio measured in the same run against the same Postfix smtp-sink on
# loopback:
#
#   1. smtpwire/submit against net/smtp (go test -bench SmtpSink): 1 KiB on
#      1 and 8 connections, 10 MiB on 1; allocations per message;
#   2. smtpsh bench against Postfix's smtp-source: N messages of 1 KiB on
#      one connection, whole processes, timed with hyperfine;
#   3. smtpsh bench's peak memory (RSS) for one message of 1 KiB, 10 MiB,
#      100 MiB and 1 GiB.
#
#   scripts/bench-engine.sh [COUNT]      (default 5000 messages for step 2)
#   ROUNDS=N scripts/bench-engine.sh     (rounds of step 1, default 5)
#
# Needs Go, smtp-sink and smtp-source (Debian: apt-get install postfix),
# hyperfine. Talks to 127.0.0.1 only. The figures are only as quiet as the
# machine: run it with nothing else busy.
set -euo pipefail

count=${1:-5000}
case $count in '' | *[!0-9]*) echo "bench-engine: COUNT must be a number, not '$count'" >&2; exit 2 ;; esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in hyperfine smtp-source; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
		echo "bench-engine: $tool not found: apt-get install hyperfine postfix" >&2
		exit 1
	}
done
source_cmd=$(command -v smtp-source || echo /usr/sbin/smtp-source)

tmp=$(mktemp -d)
# shellcheck source=scripts/sink.sh
. "$root/scripts/sink.sh"
cleanup() {
	stop_sink
	rm -rf "$tmp"
}
trap cleanup EXIT
echo "# building smtpsh (CGO_ENABLED=0, static)"
(cd "$root" && CGO_ENABLED=0 go build -o "$tmp/smtpsh" ./cmd/smtpsh)
start_sink bench-engine "$tmp"
addr=127.0.0.1:$port

# The two clients take turns (-count runs the whole benchmark again, so
# submit and net/smtp alternate), and each figure is the median of the
# rounds: on a small virtual machine the cost of a round trip drifts by
# tens of percent over a minute, and a single pair of runs can land on
# either side of the drift.
rounds=${ROUNDS:-5}
case $rounds in '' | 0 | *[!0-9]*) echo "bench-engine: ROUNDS must be a number above 0, not '$rounds'" >&2; exit 2 ;; esac
echo "## 1. smtpwire/submit against net/smtp ($rounds rounds, medians; ns per message, allocations per message)"
(cd "$root" && SMTPSH_BENCH_SINK=$addr go test -tags integration ./smtpwire/submit -run XXX \
	-bench SmtpSink -benchmem -benchtime 2s -count "$rounds") | tee "$tmp/go.txt" | grep '^Benchmark'
awk '
function median(list,   v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
/^BenchmarkSmtpSink/ {
	split($1, f, "/"); key = f[3] "/" f[4]; sub(/-[0-9]+$/, "", key)
	ns[f[2] "/" key] = ns[f[2] "/" key] " " $3
	for (i = 4; i <= NF; i++) if ($(i+1) == "allocs/op") allocs[f[2] "/" key] = $i
	keys[key] = 1
}
END {
	for (k in keys) {
		a = median(ns["submit/" k]); b = median(ns["netsmtp/" k])
		# the ratio of each round, for the spread
		n = split(ns["submit/" k], sa, " "); split(ns["netsmtp/" k], na, " "); lo = 0; hi = 0
		for (i = 1; i <= n; i++) { r = na[i] / sa[i]; if (lo == 0 || r < lo) lo = r; if (r > hi) hi = r }
		printf "%-22s submit %10.0f ns, net/smtp %10.0f ns: %.2fx (rounds %.2f-%.2fx); allocs/msg %s against %s\n",
			k, a, b, b / a, lo, hi, allocs["submit/" k], allocs["netsmtp/" k]
	}
}' "$tmp/go.txt" | sort

echo "## 2. smtpsh bench against smtp-source: $count messages of 1 KiB, one connection"
bench_cmd="$tmp/smtpsh bench --server $addr --tls none --count $count --size 1024"
source_run="$source_cmd -s 1 -m $count -l 1024 -f bench@smtpsh.test -t sink@smtpsh.test $addr"
$bench_cmd >/dev/null
$source_run >/dev/null
hyperfine -N --warmup 1 --runs 5 --export-csv "$tmp/times.csv" -n smtpsh-bench "$bench_cmd" -n smtp-source "$source_run" >&2
read -r a < <(awk -F, '$1 == "smtpsh-bench" { print $2 }' "$tmp/times.csv")
read -r b < <(awk -F, '$1 == "smtp-source" { print $2 }' "$tmp/times.csv")
awk -v a="$a" -v b="$b" -v n="$count" 'BEGIN {
	printf "smtpsh bench %.3f s (%.0f msgs/s), smtp-source %.3f s (%.0f msgs/s): %.2fx\n", a, n / a, b, n / b, b / a
}'

echo "## 3. peak memory of smtpsh bench, one message"
for size in 1KiB 10MiB 100MiB 1GiB; do
	"$tmp/smtpsh" bench --server "$addr" --tls none --count 1 --size "$size" --json >"$tmp/rss.json"
	awk -v s="$size" -F': ' '/"max_rss_mib"/ { gsub(/,/, "", $2); r = $2 } /"mb_per_sec"/ { gsub(/,/, "", $2); m = $2 }
		END { printf "%-7s RSS %6.1f MiB, %7.1f MB/s\n", s, r, m }' "$tmp/rss.json"
done
