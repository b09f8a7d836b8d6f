#!/bin/bash
# checksctp.sh: lksctp-tools' checksctp reports SCTP support only under the
# shim; without it the kernel has no SCTP (so the shim is what provides it).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7190}   # unused: checksctp opens no port

NAME=checksctp
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

# expect DESC EXPECTED_RC EXPECTED_TEXT FILE ACTUAL_RC
expect() {
    local desc=$1 want_rc=$2 want=$3 file=$4 rc=$5
    echo "check: $desc"
    if [ "$rc" -ne "$want_rc" ]; then
        echo "--- output:" >&2; cat "$file" >&2
        fail "$desc: exit status $rc, expected $want_rc"
    fi
    if ! printf '%s\n' "$want" | cmp -s - "$file"; then
        echo "--- expected:" >&2; printf '%s\n' "$want" >&2
        echo "--- got:" >&2; cat -A "$file" >&2
        fail "$desc: output differs"
    fi
    ok "$desc: exit $rc, output '$want'"
}

# 1. Without the shim: the kernel has no SCTP.
rc=0
timeout -k 5 10 env -u LD_PRELOAD checksctp >"$tmp/plain.out" 2>&1 || rc=$?
expect "checksctp without the shim fails" 1 \
    "checksctp: Protocol not supported" "$tmp/plain.out" "$rc"

# 2. With the shim: SCTP sockets work.
rc=0
timeout -k 5 10 "$SCTPSHIM" checksctp >"$tmp/shim.out" 2>&1 || rc=$?
expect "checksctp under the shim succeeds" 0 \
    "SCTP supported" "$tmp/shim.out" "$rc"

echo "PASS: checksctp.sh"
