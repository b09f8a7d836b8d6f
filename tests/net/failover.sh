#!/bin/bash
# failover.sh NET_XFER: one link goes down in the middle of a 50 MiB
# transfer between two hosts joined by two veth pairs.  The sender's
# heartbeat interval (300 ms) and path retransmission limit (2) come from
# SCTP_PEER_ADDR_PARAMS, its RTO bounds (200-1000 ms) from SCTP_RTOINFO.
# It must report the peer's address on that link SCTP_ADDR_UNREACHABLE
# (within 10 s), carry on over the other link, report it
# SCTP_ADDR_AVAILABLE once the link is back (within 10 s), and every byte
# must arrive (sha256).  IPv4, then IPv6.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25300}
xfer=$1

NAME=failover
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 2
size=52428800
head -c $size /dev/urandom >"$tmp/in"
out_size() { stat -c %s "$tmp/out" 2>/dev/null || echo 0; }
past() { [ "$(out_size)" -ge "$1" ]; }
now() { date +%s%3N; }
logged_at() { grep -m1 -E "$2" "$1" | sed -E 's/.* w=([0-9]+)\.([0-9]{3}) .*/\1\2/'; }

for v in 4 6; do
    if [ $v = 4 ]; then b1=10.0.1.2; else b1=fd00:0:0:1::2; fi
    port=$((TEST_PORT + v))
    rm -f "$tmp/out"
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen "-$v" -p $port -o "$tmp/out"
    l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    shim_bg "$nsa" "$tmp/c.log" "$xfer" connect "-$v" -c $b1 -p $port -i "$tmp/in" \
        -e -H 300 -R 2 -r 200,1000 -d 6
    c=$bg
    wait_until 60 "$c" "$tmp/c.log" "10 MiB across" past $((10 << 20))
    down=$(now)
    ip -n "$nsb" link set b1 down
    echo "IPv$v: link 1 down at $(out_size) bytes"
    wait_until 20 "$c" "$tmp/c.log" "ADDR_UNREACHABLE" \
        grep -q "PEER_ADDR_CHANGE addr=$b1 state=ADDR_UNREACHABLE" "$tmp/c.log"
    ms=$(($(logged_at "$tmp/c.log" "addr=$b1 state=ADDR_UNREACHABLE") - down))
    [ "$ms" -lt 10000 ] || { show "$tmp/c.log"; fail "IPv$v: ADDR_UNREACHABLE $ms ms after the link went down"; }
    ok "IPv$v: $b1 ADDR_UNREACHABLE $ms ms after its link went down"
    at=$(out_size)
    wait_until 30 "$c" "$tmp/c.log" "data over the other link" past $((at + (5 << 20)))
    ok "IPv$v: the transfer went on over the other link ($(out_size) bytes so far)"
    up=$(now)
    ip -n "$nsb" link set b1 up
    wait_until 20 "$c" "$tmp/c.log" "ADDR_AVAILABLE" \
        grep -q "PEER_ADDR_CHANGE addr=$b1 state=ADDR_AVAILABLE" "$tmp/c.log"
    ms=$(($(logged_at "$tmp/c.log" "addr=$b1 state=ADDR_AVAILABLE") - up))
    [ "$ms" -lt 10000 ] || { show "$tmp/c.log"; fail "IPv$v: ADDR_AVAILABLE $ms ms after the link came back"; }
    ok "IPv$v: $b1 ADDR_AVAILABLE $ms ms after its link came back"
    finish "$c" "$tmp/c.log" "IPv$v sender" 120
    finish "$l" "$tmp/l.log" "IPv$v receiver"
    same_file "IPv$v, 50 MiB across a failover" "$tmp/in" "$tmp/out" $size
done
