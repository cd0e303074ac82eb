#!/usr/bin/env bash
# bench-send.sh: time whole-process sends of the same small message to a
# local smtp-sink, with "smtpsh send" and with swaks, and print both means
# and their ratio. Each run is a fresh process: connect, EHLO, MAIL, RCPT,
# DATA, QUIT, exit; swaks also pays for starting Perl.
#
#   scripts/bench-send.sh [RUNS]      (default 50; or RUNS=N in the environment)
#   ROUNDS=N scripts/bench-send.sh    (with hyperfine: RUNS split into N rounds, default 5)
#
# Needs Go, swaks and smtp-sink (Debian: apt-get install swaks postfix;
# postfix provides /usr/sbin/smtp-sink). Uses hyperfine when installed,
# else a loop timed with date +%s%N. Talks to 127.0.0.1 only.
set -euo pipefail

runs=${1:-${RUNS:-50}}
case $runs in '' | *[!0-9]*) echo "bench-send: RUNS must be a number, not '$runs'" >&2; exit 2 ;; esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ! command -v swaks >/dev/null; then
	echo "bench-send: swaks not found: apt-get install swaks" >&2
	exit 1
fi

tmp=$(mktemp -d)
# shellcheck source=scripts/sink.sh
. "$root/scripts/sink.sh"
cleanup() {
	stop_sink
	rm -rf "$tmp"
}
trap cleanup EXIT

# Built as it should be installed: CGO_ENABLED=0 gives a static binary
# with Go's own resolver. With cgo, the dynamic loader and libc cost about
# 2.5 ms more at every start (measured here: 15.6 ms against 13.1 ms).
echo "# building smtpsh (CGO_ENABLED=0, static)"
(cd "$root" && CGO_ENABLED=0 go build -o "$tmp/smtpsh" ./cmd/smtpsh)
start_sink bench-send "$tmp"

smtpsh_cmd="$tmp/smtpsh send --server 127.0.0.1:$port --from a@example.test --to b@example.test --body x --quiet"
swaks_cmd="swaks --server 127.0.0.1:$port --from a@example.test --to b@example.test --body x --silent 2"

# Each must succeed before it is timed.
for cmd in "$smtpsh_cmd" "$swaks_cmd"; do
	if ! $cmd >"$tmp/check.out" 2>&1; then
		echo "bench-send: this command failed against smtp-sink:" >&2
		echo "  $cmd" >&2
		cat "$tmp/check.out" >&2
		exit 1
	fi
done

echo "# $runs runs each of:"
echo "#   smtpsh: $smtpsh_cmd"
echo "#   swaks:  $swaks_cmd"
if command -v hyperfine >/dev/null; then
	# In rounds, the order of the two swapped each round, and the ratio
	# is the median of the rounds' ratios: on a small virtual machine the
	# cost of starting a process drifts by a quarter within a minute, and
	# a drift between one command's runs and the other's would be taken
	# for a difference between them.
	rounds=${ROUNDS:-5}
	case $rounds in '' | 0 | *[!0-9]*) echo "bench-send: ROUNDS must be a number above 0, not '$rounds'" >&2; exit 2 ;; esac
	per=$(((runs + rounds - 1) / rounds))
	for r in $(seq "$rounds"); do
		if [ $((r % 2)) -eq 1 ]; then
			order=(-n smtpsh "$smtpsh_cmd" -n swaks "$swaks_cmd")
		else
			order=(-n swaks "$swaks_cmd" -n smtpsh "$smtpsh_cmd")
		fi
		echo "# round $r of $rounds: $per runs each" >&2
		hyperfine -N --warmup 2 --runs "$per" --export-csv "$tmp/round$r.csv" "${order[@]}" >/dev/null
	done
	# command,mean,stddev,median,user,system,min,max (seconds), one file a round
	read -r smtpsh_mean smtpsh_median smtpsh_min swaks_mean swaks_median swaks_min ratio_median ratio_lo ratio_hi < <(
		awk -F, '
		function median(v, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		FNR == 1 { r++ ; next }
		{ mean[$1, r] = $2; med[$1, r] = $4; if (!($1 in lo) || $7 < lo[$1]) lo[$1] = $7 }
		END {
			for (i = 1; i <= r; i++) {
				sm += mean["smtpsh", i]; wm += mean["swaks", i]
				smed[i] = med["smtpsh", i]; wmed[i] = med["swaks", i]
				ratio[i] = mean["swaks", i] / mean["smtpsh", i]
				if (i == 1 || ratio[i] < rlo) rlo = ratio[i]
				if (i == 1 || ratio[i] > rhi) rhi = ratio[i]
			}
			printf "%f %f %f %f %f %f %f %f %f\n", sm / r, median(smed, r), lo["smtpsh"],
				wm / r, median(wmed, r), lo["swaks"], median(ratio, r), rlo, rhi
		}' $(for r in $(seq "$rounds"); do echo "$tmp/round$r.csv"; done))
	how="hyperfine -N, $rounds rounds of $per runs each, the order swapped every round"
else
	# times_of CMD: mean, median and min wall time in seconds over $runs runs.
	times_of() {
		local start end
		for _ in $(seq "$runs"); do
			start=$(date +%s%N)
			$1 >/dev/null 2>&1
			end=$(date +%s%N)
			echo $((end - start))
		done | sort -n | awk '{ t[NR] = $1; s += $1 } END { printf "%.6f %.6f %.6f\n", s / NR / 1e9, t[int((NR + 1) / 2)] / 1e9, t[1] / 1e9 }'
	}
	# The loop's own cost (forking date, waiting) is measured on
	# /bin/true and taken off both.
	read -r base_mean base_median base_min < <(times_of /bin/true)
	read -r smtpsh_mean smtpsh_median smtpsh_min < <(times_of "$smtpsh_cmd")
	read -r swaks_mean swaks_median swaks_min < <(times_of "$swaks_cmd")
	read -r smtpsh_mean smtpsh_median smtpsh_min swaks_mean swaks_median swaks_min < <(awk \
		-v b="$base_mean $base_median $base_min" -v s="$smtpsh_mean $smtpsh_median $smtpsh_min" \
		-v w="$swaks_mean $swaks_median $swaks_min" 'BEGIN {
			split(b, B, " "); split(s, S, " "); split(w, W, " ")
			for (i = 1; i <= 3; i++) printf "%.6f ", S[i] - B[i]
			for (i = 1; i <= 3; i++) printf "%.6f ", W[i] - B[i]
			print ""
		}')
	how=$(awk -v m="$base_mean" 'BEGIN { printf "a shell loop timed with date +%%s%%N (hyperfine not installed), less the loop cost of %.2f ms measured on /bin/true", m * 1000 }')
fi

awk -v a="$smtpsh_mean" -v am="$smtpsh_median" -v a0="$smtpsh_min" \
	-v b="$swaks_mean" -v bm="$swaks_median" -v b0="$swaks_min" -v how="$how" 'BEGIN {
	printf "# timed with %s; milliseconds per whole process\n", how
	printf "%-12s %8s %8s %8s\n", "", "mean", "median", "min"
	printf "%-12s %8.2f %8.2f %8.2f\n", "smtpsh send", a * 1000, am * 1000, a0 * 1000
	printf "%-12s %8.2f %8.2f %8.2f\n", "swaks", b * 1000, bm * 1000, b0 * 1000
	printf "ratio swaks / smtpsh: %.1fx (means), %.1fx (medians)\n", b / a, bm / am
}'
if [ -n "${ratio_median:-}" ]; then
	awk -v m="$ratio_median" -v lo="$ratio_lo" -v hi="$ratio_hi" \
		'BEGIN { printf "ratio of the rounds (means of each): median %.1fx, from %.1fx to %.1fx\n", m, lo, hi }'
fi
