#!/bin/bash
# netperfmeter.sh: NetPerfMeter (Debian's netperfmeter), both ends under
# the shim, its control channel over SCTP (the default) and three flows on
# three streams of one SCTP association, each way.  The control channel
# reads every notification in two parts, its 8-byte TLV header first and
# then the rest; when the rest was lost, the passive side said "TLV
# message end does not match with SCTP message end" and the run failed.
# Each flow's bytes sent by one end must be the bytes the other end
# received, as both ends report them (but for the few frames that may be
# on their way when the run stops).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-23250}

NAME=netperfmeter
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

command -v netperfmeter >/dev/null || { echo "SKIP: netperfmeter not installed" >&2; exit 77; }
netns_up
netns_reap
cd "$tmp"

# Data on TEST_PORT, control on TEST_PORT + 1.
in_ns timeout -k 5 60 "$SCTPSHIM" netperfmeter "$TEST_PORT" \
    </dev/null >"$tmp/passive.log" 2>&1 &
passive=$!
bg_pids+=("$passive")
wait_until 10 "$passive" "$tmp/passive.log" "passive side" ns_port_bound $((TEST_PORT + 1))
ok "passive side listening on $TEST_PORT and $((TEST_PORT + 1))"

flow=const50:const1000:const50:const1000
rc=0
in_ns timeout -k 5 60 "$SCTPSHIM" netperfmeter "127.0.0.1:$TEST_PORT" -runtime=3 \
    -scalar="$tmp/out.sca" -vector="$tmp/out.vec" -sctp "$flow" "$flow" "$flow" \
    </dev/null >"$tmp/active.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/active.log"; show "$tmp/passive.log"; fail "active side: status $rc"; }
ok "active side: status 0"
if grep -q "ERROR" "$tmp/passive.log"; then
    show "$tmp/passive.log"
    fail "the passive side reported an error"
fi

# scalar "netPerfMeter.active.flow[0]" "Transmitted Bytes" 40000
bytes() { # FILE SIDE FLOW WHAT
    awk -v k="netPerfMeter.$2.flow[$3]" -v w="$4" -F'"' \
        '$2 == k && $4 == w { split($5, f, " "); print f[1] }' "$1"
}
close_to() { # SENT RECEIVED: all of it, or all but the last frames
    [ "$2" -le "$1" ] && [ $(($1 - $2)) -le 5000 ]
}
for f in 0 1 2; do
    a_tx=$(bytes out-active.sca active $f "Transmitted Bytes")
    a_rx=$(bytes out-active.sca active $f "Received Bytes")
    p_tx=$(bytes out-passive.sca passive $f "Transmitted Bytes")
    p_rx=$(bytes out-passive.sca passive $f "Received Bytes")
    [ -n "$a_tx" ] && [ -n "$p_rx" ] && [ -n "$p_tx" ] && [ -n "$a_rx" ] ||
        { ls -l "$tmp" >&2; fail "flow $f: no figures in the scalar files"; }
    [ "$a_tx" -gt 0 ] && [ "$p_tx" -gt 0 ] || fail "flow $f: nothing sent ($a_tx, $p_tx)"
    # The run stops while each side may have frames (1000 bytes each,
    # one every 20 ms) on their way, which the other side then no longer
    # counts: one usually, two seen in CI on a loaded machine, so up to
    # five (100 ms) pass.  The exact byte count of each message is
    # checked by the tests of the shim's own calls; this one is for the
    # control channel and the three streams working under load.
    close_to "$a_tx" "$p_rx" || fail "flow $f: active sent $a_tx bytes, passive received $p_rx"
    close_to "$p_tx" "$a_rx" || fail "flow $f: passive sent $p_tx bytes, active received $a_rx"
    ok "flow $f (stream $f): $a_tx bytes out ($p_rx in), $p_tx back ($a_rx in)"
done
echo "PASS: netperfmeter.sh"
