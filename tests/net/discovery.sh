#!/bin/bash
# discovery.sh NET_XFER NET_CHURN: discovery never misses a live peer.
# A shimmed listener holds port P; net_churn makes abstract names come
# and go in the very hash chain of the listener's registry name, where a
# scan of /proc/net/unix resumes by position and so can skip a name that
# is bound all along.  100 shimmed clients, each a new process with a
# new look-up, connect to P: every one must get through (before the fix,
# most got ECONNREFUSED).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25100}
xfer=$1
churn=$2

NAME=discovery
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
P=$((TEST_PORT + 1))
in_ns timeout -k 5 100 "$SCTPSHIM" "$xfer" sink -p "$P" -w 90 >"$tmp/sink.log" 2>&1 &
sink=$!
bg_pids+=("$sink")
wait_until 10 "$sink" "$tmp/sink.log" "the listener" grep -q LISTENING "$tmp/sink.log"
in_ns timeout -k 5 100 "$churn" "@sctpshim/map/$P/" >"$tmp/churn.log" 2>&1 &
ch=$!
bg_pids+=("$ch")
wait_until 10 "$ch" "$tmp/churn.log" "the churn" grep -q churning "$tmp/churn.log"

refused=0 other=0
for ((i = 1; i <= 100; i++)); do
    rc=0
    in_ns timeout -k 5 20 "$SCTPSHIM" "$xfer" connect -c 127.0.0.1 -p "$P" -x \
        >"$tmp/c.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        if grep -q ECONNREFUSED "$tmp/c.log"; then refused=$((refused + 1))
        else other=$((other + 1)); show "$tmp/c.log"; fi
    fi
done
is_running "$sink" || { show "$tmp/sink.log"; fail "the listener died"; }
[ "$other" -eq 0 ] || fail "$other of 100 connects failed otherwise"
[ "$refused" -eq 0 ] || fail "$refused of 100 connects to a live listener got ECONNREFUSED"
ok "100 of 100 connects found the live listener while its registry chain churned"
