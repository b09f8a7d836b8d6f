#!/bin/bash
# death.sh NET_XFER: a peer on the same host that dies is reported at
# once, as the kernel's ABORT would report it.  Two shimmed processes hold
# an idle association (nothing in flight: only a heartbeat, 30 s away,
# would find out); one is killed with SIGKILL.  The survivor must see
# COMM_LOST within 2 s (before the fix: after minutes of retransmission),
# then ECONNRESET from its next send and EPIPE from the one after.
# Both roles (the listener's accepted socket and the connector), IPv4 and
# IPv6, and a one-to-many socket.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25150}
xfer=$1

NAME=death
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
run_bg() { # LOG ARGS...: net_xfer under the shim in the namespace
    local log=$1
    shift
    # Not under timeout(1), which would be the process killed: `ip netns
    # exec` and the launcher exec, so $! is net_xfer (bounded by its -w).
    # Emptied here, not in the background job: a waiter must never read
    # the previous run's log (its LISTENING) before the job truncates it.
    : >"$log"
    ip netns exec "$ns" env SCTPSHIM_DEBUG=1 "$SCTPSHIM" "$xfer" "$@" -w 60 >"$log" 2>&1 &
    bg=$!
    bg_pids+=("$bg")
}
# The wall clock in ms, and that of the first log line matching a regex.
now() { date +%s%3N; }
logged_at() { grep -m1 -E "$2" "$1" | sed -E 's/.* w=([0-9]+)\.([0-9]{3}) .*/\1\2/'; }

# survive DESC LOG PID-TO-KILL SURVIVOR: kill, then the survivor's log
# must show COMM_LOST within 2 s, and (one-to-one) ECONNRESET then EPIPE.
survive() {
    local desc=$1 log=$2 victim=$3 survivor=$4 t0 ms
    t0=$(now)
    kill -KILL "$victim"
    wait_until 10 "$survivor" "$log" "COMM_LOST" grep -q "state=COMM_LOST" "$log"
    ms=$(($(logged_at "$log" "state=COMM_LOST") - t0))
    [ "$ms" -lt 2000 ] || { show "$log"; fail "$desc: COMM_LOST after $ms ms"; }
    if [ "${5:-}" != many ]; then
        wait_until 5 "$survivor" "$log" "two sends" grep -q "SEND errno=.*" "$log"
        sleep 0.2
        grep "SEND errno" "$log" | head -n1 | grep -q "errno=ECONNRESET" ||
            { show "$log"; fail "$desc: first send after the loss did not fail with ECONNRESET"; }
        grep "SEND errno" "$log" | sed -n 2p | grep -q "errno=EPIPE" ||
            { show "$log"; fail "$desc: second send after the loss did not fail with EPIPE"; }
    fi
    ok "$desc: COMM_LOST $ms ms after SIGKILL${5:+ (one-to-many)}"
}

port=$TEST_PORT
for v in 4 6; do
    if [ $v = 4 ]; then lo=127.0.0.1; else lo=::1; fi
    for who in listener connector; do
        port=$((port + 1))
        run_bg "$tmp/l$port.log" listen "-$v" -p $port -e -k
        l=$bg
        wait_until 10 "$l" "$tmp/l$port.log" "listening" grep -q LISTENING "$tmp/l$port.log"
        run_bg "$tmp/c$port.log" connect "-$v" -c $lo -p $port -e -k
        c=$bg
        wait_until 10 "$l" "$tmp/l$port.log" "the association" grep -q "state=COMM_UP" "$tmp/l$port.log"
        wait_until 10 "$c" "$tmp/c$port.log" "the association" grep -q "state=COMM_UP" "$tmp/c$port.log"
        if [ $who = listener ]; then
            survive "IPv$v, the listener killed" "$tmp/c$port.log" "$l" "$c"
            kill "$c" 2>/dev/null || true
        else
            survive "IPv$v, the connector killed" "$tmp/l$port.log" "$c" "$l"
            kill "$l" 2>/dev/null || true
        fi
    done
done

# One-to-many: the association of a killed connector.
port=$((port + 1))
run_bg "$tmp/sink.log" sink -p $port -e -w 50
s=$bg
wait_until 10 "$s" "$tmp/sink.log" "listening" grep -q LISTENING "$tmp/sink.log"
run_bg "$tmp/cm.log" connect -c 127.0.0.1 -p $port
c=$bg
wait_until 10 "$s" "$tmp/sink.log" "the association" grep -q "state=COMM_UP" "$tmp/sink.log"
survive "IPv4 one-to-many, the connector killed" "$tmp/sink.log" "$c" "$s" many
