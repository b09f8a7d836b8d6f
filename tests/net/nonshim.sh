#!/bin/bash
# nonshim.sh NET_XFER NET_USRSCTP_PEER: peers on this host that are not
# shimmed.  When no shimmed process holds the port, the shim sends the
# INIT to the configured peer UDP port (9899): a stack there that is not
# the shim's (usrsctp linked directly) is reached and receives 1 MiB
# (sha256; before: ECONNREFUSED at once from the registry); with nothing
# there, ICMP port unreachable refuses the connect within 1 s.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25450}
xfer=$1
peer=$2

NAME=nonshim
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
# The shimmed client must leave UDP 9899 to the other stack.
export SCTPSHIM_UDP_PORT=$((TEST_PORT + 40))
now() { date +%s%3N; }

# Nothing on UDP 9899.
t0=$(now)
rc=0
in_ns timeout -k 5 30 "$SCTPSHIM" "$xfer" connect -c 127.0.0.1 -p $((TEST_PORT + 1)) \
    >"$tmp/r.log" 2>&1 || rc=$?
# From the program's start (the process start-up aside, long under ASan).
ms=$(sed -nE 's/^t=([0-9]+)\.([0-9]{3}) .*RESULT.*/\1\2/p' "$tmp/r.log" | sed 's/^0*//')
ms=${ms:-0}
[ $rc -eq 2 ] && grep -q "errno=ECONNREFUSED (connect)" "$tmp/r.log" ||
    { show "$tmp/r.log"; fail "nothing on UDP 9899: status $rc"; }
[ $ms -lt 1000 ] || fail "nothing on UDP 9899: ECONNREFUSED after $ms ms"
ok "nothing on UDP 9899: ECONNREFUSED in $ms ms"

# usrsctp itself on UDP 9899.
head -c 1048576 /dev/urandom >"$tmp/in"
in_ns timeout -k 5 30 "$peer" $((TEST_PORT + 2)) "$tmp/out" >"$tmp/p.log" 2>&1 &
p=$!
bg_pids+=("$p")
wait_until 10 "$p" "$tmp/p.log" "the other stack" grep -q LISTENING "$tmp/p.log"
in_ns timeout -k 5 30 "$SCTPSHIM" "$xfer" connect -c 127.0.0.1 -p $((TEST_PORT + 2)) \
    -i "$tmp/in" >"$tmp/c.log" 2>&1 ||
    { show "$tmp/c.log"; show "$tmp/p.log"; fail "the client failed"; }
wait_exit "$p" 10 || fail "the other stack did not finish"
same_file "received by a stack that is not the shim's" "$tmp/in" "$tmp/out" 1048576
