#!/bin/bash
# icmp.sh NET_XFER: another host's ICMP errors about our packets.
#   1. A connect to a host where no SCTP stack listens on the UDP
#      encapsulation port fails with ECONNREFUSED within 2 s (the host's
#      ICMP port unreachable quotes our INIT), not after the INIT timer.
#   2. The peer process of an association with data in flight is killed
#      (SIGKILL): its port answers ICMP port unreachable, and the sender
#      reports COMM_LOST within 1 s, then ECONNRESET and EPIPE.
#   3. The same with two paths: the association ends only once both of
#      the peer's addresses have reported it (within 10 s).
# IPv4 and IPv6.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25350}
xfer=$1

NAME=icmp
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 2
head -c 20971520 /dev/urandom >"$tmp/in"
now() { date +%s%3N; }
logged_at() { grep -m1 -E "$2" "$1" | sed -E 's/.* w=([0-9]+)\.([0-9]{3}) .*/\1\2/'; }
# Background runs that are killed must not be under timeout(1): $! must be
# net_xfer itself (ip netns exec and the launcher exec it).
run_in() { # NS LOG ARGS...
    local ns=$1 log=$2
    shift 2
    # Emptied here, not in the background job: a waiter must never read
    # the previous run's log (its LISTENING) before the job truncates it.
    : >"$log"
    ip netns exec "$ns" env SCTPSHIM_DEBUG=1 "$SCTPSHIM" "$xfer" "$@" -w 60 >"$log" 2>&1 &
    bg=$!
    bg_pids+=("$bg")
}

for v in 4 6; do
    if [ $v = 4 ]; then b1=10.0.1.2 b2=10.0.2.2; else b1=fd00:0:0:1::2 b2=fd00:0:0:2::2; fi
    port=$((TEST_PORT + 10 * v))

    # 1. Nothing on the peer's UDP port.
    t0=$(now)
    rc=0
    in_a timeout -k 5 30 "$SCTPSHIM" "$xfer" connect "-$v" -c $b1 -p $port \
        >"$tmp/r.log" 2>&1 || rc=$?
    # From the program's start (the process start-up aside, long under ASan).
    ms=$(sed -nE 's/^t=([0-9]+)\.([0-9]{3}) .*RESULT.*/\1\2/p' "$tmp/r.log" | sed 's/^0*//')
    ms=${ms:-0}
    [ $rc -eq 2 ] && grep -q "errno=ECONNREFUSED (connect)" "$tmp/r.log" ||
        { show "$tmp/r.log"; fail "IPv$v: connect to a host without SCTP: status $rc"; }
    [ $ms -lt 2000 ] || fail "IPv$v: ECONNREFUSED after $ms ms"
    ok "IPv$v: connect to a host without an SCTP stack: ECONNREFUSED in $ms ms"

    # 2. and 3. The peer process dies with data in flight.
    for paths in 1 2; do
        port=$((port + 1))
        # One path: the listener bound to one address; two: to both.
        peers=$b1 bound=$b1
        [ $paths = 2 ] && peers=$b1,$b2 bound=$b1,$b2
        run_in "$nsb" "$tmp/l.log" listen "-$v" -p $port -b $bound -o /dev/null
        l=$bg
        wait_log 10 "$l" "$tmp/l.log" LISTENING
        run_in "$nsa" "$tmp/c.log" connect "-$v" -c $peers -p $port -i "$tmp/in" \
            -d 20 -e -k -r 200,1000
        c=$bg
        wait_until 10 "$c" "$tmp/c.log" "the association" grep -q "state=COMM_UP" "$tmp/c.log"
        sleep 0.5
        t0=$(now)
        kill -KILL "$l"
        wait_until 20 "$c" "$tmp/c.log" "COMM_LOST" grep -q "state=COMM_LOST" "$tmp/c.log"
        ms=$(($(logged_at "$tmp/c.log" "state=COMM_LOST") - t0))
        limit=1000
        [ $paths = 2 ] && limit=10000
        [ $ms -lt $limit ] || { show "$tmp/c.log"; fail "IPv$v, $paths path(s): COMM_LOST $ms ms after the peer died"; }
        wait_exit "$c" 10 || fail "IPv$v: the sender did not stop"
        grep "SEND errno" "$tmp/c.log" | head -n1 | grep -q ECONNRESET &&
            grep "SEND errno" "$tmp/c.log" | sed -n 2p | grep -q EPIPE ||
            { show "$tmp/c.log"; fail "IPv$v: sends after COMM_LOST did not fail with ECONNRESET, then EPIPE"; }
        if [ $paths = 2 ]; then
            grep -q "one path of an association is unreachable" "$tmp/c.log" ||
                { show "$tmp/c.log"; fail "IPv$v: the first path's report alone ended the association"; }
        fi
        ok "IPv$v, $paths path(s): COMM_LOST $ms ms after the peer's process died, then ECONNRESET, EPIPE"
    done
done
