#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Static checks of the source tree, one `ok`/`not ok` line each (docs/testing.md):
#   format     every C file is as clang-format-16 and .clang-format want it
#   includes   core/ and vdev/ name no arch-private or driver header; vdev/ includes no
#              hyp/arch/ header at all (device models are pure)
#   no-panic   vdev/ never calls panic(): guest input must not stop the hypervisor
#   spdx       every source file starts with an SPDX line
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2

status=0
report() { # name, failure text (empty: passed)
	if [ -z "$2" ]; then
		echo "ok check.$1"
	else
		echo "not ok check.$1: $(echo "$2" | head -n1)"
		echo "$2" | sed 's/^/  | /' | head -n 20 >&2
		status=1
	fi
}

mapfile -t c_files < <(git ls-files '*.c' '*.h')
mapfile -t src_files < <(git ls-files '*.c' '*.h' '*.S' '*.ld' '*.py' '*.sh' '*.mk' 'Makefile')

if command -v clang-format-16 >/dev/null; then
	report format "$(clang-format-16 --dry-run "${c_files[@]}" 2>&1 | grep -E 'warning:' |
		sed 's/:[0-9]*:[0-9]*: warning:.*//' | sort -u)"
else
	report format "clang-format-16 is not installed (tools/deps.sh installs it)"
fi

report includes "$(grep -nE '#include "(arch|drivers)/' $(git ls-files 'core/*' 'vdev/*'); \
	grep -nE '#include "hyp/arch/' $(git ls-files 'vdev/*'))"

report no-panic "$(grep -nE '\bpanic *\(|\bCHECK *\(' $(git ls-files 'vdev/*.c'))"

missing=""
for f in "${src_files[@]}"; do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier' || missing+="$f"$'\n'
done
report spdx "${missing%$'\n'}"

exit $status
