#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs every test tier in turn and ends with one line: `N passed, N failed`.
#
#   unit   make unit         host-built unit tests (tests/unit)
#   fuzz   make fuzz-short   deterministic short pass over the fuzz targets (tests/fuzz)
#   guest  make test-guest   bare-metal test guests under Tessera (tests/guest)
#   linux  make test-linux   Debian's Linux under Tessera (tests/linux)
#
# A tier reports one line per test: `ok <name>` or `not ok <name>[: detail]`; this script counts
# those lines across all tiers. A tier whose command fails without any `not ok` line (a build
# error, a crash, a missing make target, a timeout) counts as `not ok <tier>.exit-status`, so
# no failure goes unseen. Each tier's full output is kept in $BUILD/test-logs/<tier>.log.
#
# Usage: tools/run-tests.sh [TIER...]   (default: check unit fuzz guest linux)
# Environment: MAKE (default make), BUILD (default build),
#              TEST_TIER_TIMEOUT (seconds per tier, default 1500).
# Exit status: 0 when nothing failed, 1 otherwise.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
LIMIT=${TEST_TIER_TIMEOUT:-1500}
LOGS=$BUILD/test-logs
mkdir -p "$LOGS"

target_of() {
	case $1 in
	check) echo check ;;
	unit) echo unit ;;
	fuzz) echo fuzz-short ;;
	guest) echo test-guest ;;
	linux) echo test-linux ;;
	*) return 1 ;;
	esac
}

tiers=("$@")
[ "${#tiers[@]}" -gt 0 ] || tiers=(check unit fuzz guest linux)

passed=0
failed=0
for tier in "${tiers[@]}"; do
	target=$(target_of "$tier") || { echo "run-tests: unknown tier '$tier'" >&2; exit 2; }
	log=$LOGS/$tier.log
	echo "# tier $tier: $MAKE $target"
	start=$SECONDS
	# The tier's output goes to the terminal and to its log as it comes.
	# shellcheck disable=SC2086 # $MAKE may carry options, as make passes it
	timeout -k 10 "$LIMIT" $MAKE --no-print-directory BUILD="$BUILD" "$target" </dev/null 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	ok=$(grep -c '^ok ' "$log")
	nok=$(grep -c '^not ok ' "$log")
	if [ "$status" -ne 0 ] && [ "$nok" -eq 0 ]; then
		if grep -q "No rule to make target '$target'" "$log"; then
			why="no '$target' make target: the $tier tier does not exist yet"
		elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
			why="'$MAKE $target' timed out after ${LIMIT}s"
		else
			why="'$MAKE $target' exited with status $status"
		fi
		echo "not ok $tier.exit-status: $why (log $log)" | tee -a "$log"
		nok=1
	elif [ "$status" -eq 0 ] && [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
		# A tier that succeeds without running a single test has hidden something.
		echo "not ok $tier.no-tests: '$MAKE $target' reported no ok/not ok lines (log $log)" | tee -a "$log"
		nok=1
	fi
	echo "# tier $tier: $ok passed, $nok failed in $((SECONDS - start))s (log $log)"
	passed=$((passed + ok))
	failed=$((failed + nok))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
