#!/bin/bash
# timeout.sh NET_XFER: an association that dies by retransmission timeout
# (the peer's host goes silent: every packet to it dropped) reports
# COMM_LOST, then ETIMEDOUT once from send, as Linux's sock_error does
# (usrsctp says ECONNABORTED), then EPIPE.  IPv4 and IPv6.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25480}
xfer=$1

NAME=timeout
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 1
head -c 20971520 /dev/urandom >"$tmp/in"

for v in 4 6; do
    if [ $v = 4 ]; then b=10.0.1.2 ipt=iptables; else b=fd00:0:0:1::2 ipt=ip6tables; fi
    port=$((TEST_PORT + v))
    shim_bg "$nsb" "$tmp/l$v.log" "$xfer" listen "-$v" -p $port -o /dev/null
    l=$bg
    wait_log 10 "$l" "$tmp/l$v.log" LISTENING
    # RTO 100-300 ms: usrsctp's 10 retransmissions take about 3 s.
    shim_bg "$nsa" "$tmp/c$v.log" "$xfer" connect "-$v" -c $b -p $port \
        -i "$tmp/in" -d 20 -e -k -r 100,300
    c=$bg
    wait_log 10 "$c" "$tmp/c$v.log" "state=COMM_UP"
    sleep 0.5
    # Host B goes silent: nothing reaches its stack, nothing answers.
    in_b "$ipt" -A INPUT -p udp --dport 9899 -j DROP
    wait_log 30 "$c" "$tmp/c$v.log" "state=COMM_LOST"
    wait_exit "$c" 10 || fail "IPv$v: the sender did not stop"
    in_b "$ipt" -D INPUT -p udp --dport 9899 -j DROP
    grep "SEND errno" "$tmp/c$v.log" | head -n1 | grep -q ETIMEDOUT &&
        grep "SEND errno" "$tmp/c$v.log" | sed -n 2p | grep -q EPIPE ||
        { show "$tmp/c$v.log"; fail "IPv$v: sends after the timeout did not fail with ETIMEDOUT, then EPIPE"; }
    kill "$l" 2>/dev/null || true
    wait_exit "$l" 10 || true
    ok "IPv$v: retransmission timeout: COMM_LOST, then ETIMEDOUT, EPIPE"
done
