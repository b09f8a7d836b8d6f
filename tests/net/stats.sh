#!/bin/bash
# stats.sh PROGRAM: SCTPSHIM_STATS prints at exit one line per
# association whose figures match a known transfer (tests/net/stats_peer.c):
# messages and bytes each way, DATA retransmissions (iptables drops the
# first transmission of three messages), PR-SCTP messages abandoned (four
# messages with RTX 0 always dropped), the smoothed RTT, the path's
# state, the duration and how it ended; SCTPSHIM_STATS=1 writes to stderr,
# SCTPSHIM_STATS=FILE appends to FILE.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25560}
prog=$1

NAME=stats
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
in_ns iptables -w -A INPUT -p udp -m string --algo bm --string RTX- \
    -m statistic --mode nth --every 2 --packet 0 -j DROP
in_ns iptables -w -A INPUT -p udp -m string --algo bm --string PRDROP- -j DROP

capture_start "$tmp/wire.pcap"
in_ns env SCTPSHIM_STATS=1 timeout -k 5 60 "$SCTPSHIM" "$prog" server "$TEST_PORT" \
    >"$tmp/srv.out" 2>"$tmp/srv.err" &
srv=$!
bg_pids+=("$srv")
wait_until 10 "$srv" "$tmp/srv.err" "the server" grep -q listening "$tmp/srv.out"
echo "from an earlier run" >"$tmp/cli.stats"
in_ns env SCTPSHIM_STATS="$tmp/cli.stats" timeout -k 5 60 "$SCTPSHIM" "$prog" client "$TEST_PORT" \
    >"$tmp/cli.out" 2>"$tmp/cli.err" || { show "$tmp/cli.err"; fail "client"; }
wait_exit "$srv" 20 || fail "the server did not finish"
[ "$exit_rc" -eq 0 ] || { show "$tmp/srv.err"; fail "the server exited with $exit_rc"; }
cat "$tmp/cli.out" "$tmp/srv.out"
capture_stop
chunks "$tmp/wire.pcap" "$tmp/chunks.txt"
# rtx_on_wire SPORT: DATA chunks from SPORT whose TSN went out before
# (tshark on lo sees each transmission, also those iptables drops).
rtx_on_wire() {
    grep -E "sport=$1 .*chunk=DATA " "$tmp/chunks.txt" |
        sed -E 's/.* tsn=([0-9]+) .*/\1/' | sort | uniq -d -c | awk '{ n += $1 - 1 } END { print n + 0 }'
}
in_ns iptables -w -L INPUT -v -n >"$tmp/rules"

[ "$(head -n1 "$tmp/cli.stats")" = "from an earlier run" ] || fail "SCTPSHIM_STATS=FILE did not append"
! grep -v '^client: ' "$tmp/cli.err" || { show "$tmp/cli.err"; fail "SCTPSHIM_STATS=FILE wrote to stderr"; }
# field LINE KEY: the value of KEY=value in LINE
field() { sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
expect_assoc() { # WHO FILE KEY=VALUE...
    local who=$1 file=$2 line kv k v got
    shift 2
    [ "$(grep -c 'assoc [0-9]*:' "$file")" -eq 1 ] || { show "$file"; fail "$who: expected one association line"; }
    line=$(grep 'assoc 1:' "$file")
    grep -q "stats: 1 association\$" "$file" || { show "$file"; fail "$who: no header line"; }
    for kv in "$@"; do
        k=${kv%%=*} v=${kv#*=}
        got=$(field "$line" "$k")
        [[ "$got" =~ ^($v)$ ]] || { echo "$line" >&2; fail "$who: $k=$got, expected $v"; }
    done
    ok "$who: $line"
}
cport=$(field "$(grep 'assoc 1:' "$tmp/cli.stats")" local)
cport=${cport##*:}
crtx=$(rtx_on_wire "$cport")
srtx=$(rtx_on_wire "$TEST_PORT")
# Three by design; a spurious timeout on a loaded machine adds one, and
# the figure must say so as the wire does.
[ "$crtx" -ge 3 ] || { show "$tmp/chunks.txt"; fail "only $crtx retransmissions on the wire"; }
ok "on the wire: $crtx DATA retransmissions by the client, $srtx by the server"
expect_assoc client "$tmp/cli.stats" \
    "local=127\.0\.0\.1:[0-9]+" "peer=127\.0\.0\.1:$TEST_PORT" "end=shutdown-by-us" \
    sent_msgs=107 sent_bytes=100047 recv_msgs=4 recv_bytes=22 \
    retransmissions="$crtx" abandoned=4 "srtt=[0-9]+ms" "paths=127\.0\.0\.1/active/[0-9]+ms" \
    "duration=[0-9]+\.[0-9]{3}s" "fd=[0-9]+"
expect_assoc server "$tmp/srv.err" \
    "local=127\.0\.0\.1:$TEST_PORT" "peer=127\.0\.0\.1:[0-9]+" "end=shutdown-by-peer" \
    sent_msgs=4 sent_bytes=22 recv_msgs=103 recv_bytes=100015 \
    retransmissions="$srtx" abandoned=0 "srtt=[0-9]+ms" "paths=127\.0\.0\.1/active/[0-9]+ms"
# The figures against the wire: iptables dropped what the counts say.
grep -E "DROP .*STRING match +\"RTX-\"" "$tmp/rules" | awk '{ exit !($1 >= 3) }' ||
    { show "$tmp/rules"; fail "iptables dropped fewer than 3 RTX- packets"; }
grep -E "DROP .*STRING match +\"PRDROP-\"" "$tmp/rules" | awk '{ exit !($1 >= 1) }' ||
    { show "$tmp/rules"; fail "iptables dropped no PRDROP- packet"; }
ok "iptables dropped the first transmission of each RTX- message and every PRDROP- packet"
d=$(field "$(grep 'assoc 1:' "$tmp/cli.stats")" duration)
awk -v d="${d%s}" 'BEGIN { exit !(d > 0.2 && d < 30) }' || fail "duration $d"
ok "duration $d covers the lost packets' timeouts"
echo "PASS: stats.sh"
