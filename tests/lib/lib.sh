# Shared by the scripts in tests/bin and tests/net: a temporary folder, background
# processes stopped on exit, and reporting.  The caller sets NAME first and
# sources this file; KEEP_TMP=1 keeps the folder for debugging.
# shellcheck shell=bash

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpshim-$NAME.XXXXXX")
bg_pids=()   # background processes started by this script (KEEP_TMP=1 keeps $tmp)
exit_hooks=() # commands cleanup runs last (deleting a network namespace, say)

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
    for p in ${exit_hooks[@]+"${exit_hooks[@]}"}; do eval "$p"; done
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
show() { echo "--- $1:" >&2; cat "$1" >&2 || true; echo "--- end of $1" >&2; }

# port_bound PORT: a shimmed process holds SCTP port PORT (the shim's
# registry name, bound once the socket is bound).
port_bound() { grep -q " @sctpshim/port/$1\$" /proc/net/unix; }

# wait_until SECONDS PID LOG DESC CMD...: poll CMD every 0.1 s; fail, showing
# LOG, if PID dies or the time runs out.
wait_until() {
    local secs=$1 pid=$2 log=$3 desc=$4 i
    shift 4
    for ((i = 0; i < secs * 10; i++)); do
        if "$@"; then return 0; fi
        # It may have written what we wait for just before it ended.
        is_running "$pid" || "$@" || { show "$log"; fail "process $pid died while waiting for $desc"; }
        sleep 0.1
    done
    show "$log"
    fail "timed out after ${secs}s waiting for $desc"
}

# same_file DESC SENT RECEIVED SIZE: RECEIVED is SIZE bytes, equal to SENT
# by sha256.
same_file() {
    local desc=$1 a=$2 b=$3 size=$4 ha hb sz
    sz=$(stat -c %s "$b")
    ha=$(sha256sum <"$a" | cut -d' ' -f1)
    hb=$(sha256sum <"$b" | cut -d' ' -f1)
    [ "$sz" -eq "$size" ] || fail "$desc: received $sz bytes, expected $size"
    [ "$ha" = "$hb" ] || fail "$desc: sha256 differs: sent $ha, received $hb"
    ok "$desc: $sz bytes, sha256 $hb identical"
}
