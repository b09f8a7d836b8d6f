#!/bin/bash
# checksctp.sh: lksctp-tools' checksctp reports SCTP support only under the
# shim; without it the kernel has no SCTP (so the shim is what provides it).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7190}   # unused: checksctp opens no port

NAME=checksctp
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpshim-$NAME.XXXXXX")
bg_pids=()   # background processes started by this script (KEEP_TMP=1 keeps $tmp)

# is_running PID: PID is still our (this shell's) child and has not exited.
# (Checking the parent guards against a reused PID after bash reaped it.)
is_running() {
    local st
    st=$(awk '/^State:/ { s = $2 } /^PPid:/ { p = $2 } END { print s, p }' \
        "/proc/$1/status" 2>/dev/null) || return 1
    [ "${st#* }" = "$$" ] && [ "${st%% *}" != Z ]
}
# wait_exit PID SECS: wait at most SECS for PID to exit; sets exit_rc.
wait_exit() {
    local pid=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        is_running "$pid" || break
        sleep 0.1
    done
    is_running "$pid" && return 1
    exit_rc=0
    wait "$pid" 2>/dev/null || exit_rc=$?
    return 0
}
cleanup() {
    local rc=$? p
    set +e
    trap - EXIT TERM INT
    for p in ${bg_pids[@]+"${bg_pids[@]}"}; do
        is_running "$p" && kill "$p" 2>/dev/null
    done
    for p in ${bg_pids[@]+"${bg_pids[@]}"}; do
        wait_exit "$p" 5 || { kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; }
    done
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
show() { echo "--- $1:" >&2; cat "$1" >&2 || true; echo "--- end of $1" >&2; }

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
