#!/usr/bin/env bash
# Runs every fuzz target of the module for a short time each and fails on
# the first crasher. Go writes a crasher to testdata/fuzz/FuzzXxx/ in the
# target's package: commit it, and plain `go test` replays it from then on
# as a regression test.
#
#   scripts/fuzz.sh            # each target for ${SMTPSH_FUZZTIME:-10s}
#   SMTPSH_FUZZTIME=2m scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${SMTPSH_FUZZTIME:-10s}

# Every FuzzXxx of every package, as "package target" pairs.
mapfile -t targets < <(go test -list '^Fuzz' ./... 2>/dev/null | awk '
	/^Fuzz/ { t[n++] = $0; next }
	/^ok / { for (i = 0; i < n; i++) print $2, t[i]; n = 0 }')
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, $fuzztime each"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz PKG NAME: one run; fails on a crasher. Go's fuzzer sometimes ends
# a run with "context deadline exceeded" when -fuzztime runs out while a
# worker is busy, without any failing input: that is its clock, not a
# crasher, and the run is tried once more.
fuzz() {
	local try
	for try in 1 2; do
		if go test "$1" -run '^$' -fuzz "^${2}\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
			return 0
		fi
		if grep -q 'Failing input written to' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
			return 1
		fi
		echo "fuzz.sh: $2 ran out of time in the fuzzer's own shutdown, no failing input; again ($try)"
	done
	return 1
}

start=$SECONDS
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "== fuzz $pkg $name"
	if ! fuzz "$pkg" "$name"; then
		tail -n 30 "$log" >&2
		echo "fuzz.sh: $name in $pkg failed; the crasher is in its package's testdata/fuzz/$name/" >&2
		exit 1
	fi
	tail -n 1 "$log"
done
echo "fuzz.sh: ${#targets[@]} targets passed in $((SECONDS - start)) s"
