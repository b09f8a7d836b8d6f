#!/bin/bash
# events.sh PROGRAM: with SCTPSHIM_DEBUG=1 the shim logs each association
# event, one line each, with the pid and the program's descriptor: up
# (on the listener, which holds the association until accept), down
# after a graceful SHUTDOWN (by us, by the peer), aborted when a peer's
# process dies (its next incarnation, from the same port, is a new
# association), aborted with the cause (SO_LINGER 0; SCTP_ABORT's cause 12 with its
# reason), and nothing per message: 1000 messages add no line.
# SCTPSHIM_LOG=FILE sends the lines to FILE and none to stderr.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25520}
prog=$1

NAME=events
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

P=$TEST_PORT
netns_up
ns_port_bound() { in_ns grep -q " @sctpshim/port/$1\$" /proc/net/unix; }
# run NAME ROLE ARGS...: a shimmed role with the log in $tmp/NAME.log.
run() {
    local name=$1
    shift
    in_ns env SCTPSHIM_DEBUG=1 SCTPSHIM_LOG="$tmp/$name.log" timeout -k 5 30 \
        "$SCTPSHIM" "$prog" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
# expect_line LOG DESC REGEX: exactly one line of LOG matches.
expect_line() {
    local n
    n=$(grep -cE -- "$3" "$1" || true)
    [ "$n" -eq 1 ] || { show "$1"; fail "$2: $n lines match /$3/, expected 1"; }
    ok "$2: $(grep -E -- "$3" "$1")"
}

in_ns env SCTPSHIM_DEBUG=1 SCTPSHIM_LOG="$tmp/srv.log" timeout -k 5 60 "$SCTPSHIM" "$prog" server "$P" \
    >"$tmp/srv.out" 2>"$tmp/srv.err" &
srv=$!
bg_pids+=("$srv")
wait_until 20 "$srv" "$tmp/srv.err" "the server to listen" ns_port_bound $((P + 1))
spid=$(sed -n 's/^pid \([0-9]*\) listener.*/\1/p' "$tmp/srv.out")
lfd=$(sed -n 's/.* listener fd \([0-9]*\) .*/\1/p' "$tmp/srv.out")
mfd=$(sed -n 's/.* one-to-many fd \([0-9]*\)$/\1/p' "$tmp/srv.out")

echo "check: a graceful association with 1000 messages"
run graceful graceful "$P" 1000 || { show "$tmp/graceful.err"; fail "graceful client"; }
gpid=$(sed -n 's/^pid \([0-9]*\) fd.*/\1/p' "$tmp/graceful.out")
gfd=$(sed -n 's/.* fd \([0-9]*\) connected$/\1/p' "$tmp/graceful.out")
[ ! -s "$tmp/graceful.err" ] || { show "$tmp/graceful.err"; fail "with SCTPSHIM_LOG, stderr is not empty"; }
g=$tmp/graceful.log
up="^sctpshim\[$gpid\]: association up: fd $gfd, local 127\.0\.0\.1:([0-9]+), peer 127\.0\.0\.1:$P, streams 10 out 10 in\$"
expect_line "$g" "client: up, with pid, fd, addresses and streams" "$up"
gport=$(grep -E "$up" "$g" | sed -E "s/$up/\\1/")
expect_line "$g" "client: down after its close" \
    "^sctpshim\[$gpid\]: association down: fd $gfd, local 127\.0\.0\.1:$gport, peer 127\.0\.0\.1:$P, shutdown by us\$"
[ "$(grep -c 'association' "$g")" -eq 2 ] || { show "$g"; fail "1000 messages made association lines"; }
ok "1000 messages: no line of their own (2 association lines in all)"

wait_until 10 "$srv" "$tmp/srv.out" "the server to read the graceful association" \
    grep -q "^fd [0-9]*: 16000 bytes, then end of file" "$tmp/srv.out"
afd=$(sed -n "s/^accepted fd \([0-9]*\) peer port $gport\$/\1/p" "$tmp/srv.out")
s=$tmp/srv.log
expect_line "$s" "server: up on the listener before accept" \
    "^sctpshim\[$spid\]: association up: fd $lfd, local 127\.0\.0\.1:$P, peer 127\.0\.0\.1:$gport, streams 10 out 10 in\$"
expect_line "$s" "server: down on the accepted descriptor, started by the peer" \
    "^sctpshim\[$spid\]: association down: fd $afd, local 127\.0\.0\.1:$P, peer 127\.0\.0\.1:$gport, shutdown by peer\$"

echo "check: the peer dies (SIGKILL), then comes back from the same ports"
hport=$((P + 5))
udp=$((P + 400))
in_ns env SCTPSHIM_DEBUG=1 SCTPSHIM_LOG="$tmp/hold.log" SCTPSHIM_UDP_PORT=$udp timeout -k 5 30 \
    "$SCTPSHIM" "$prog" hold "$P" "$hport" >"$tmp/hold.out" 2>&1 &
hold=$!
bg_pids+=("$hold")
wait_until 10 "$hold" "$tmp/hold.out" "the first incarnation" grep -q '^holding' "$tmp/hold.out"
wait_until 10 "$srv" "$tmp/srv.out" "the server to accept it" grep -q "^accepted fd [0-9]* peer port $hport\$" "$tmp/srv.out"
# The program itself (under timeout), which sends nothing as it dies.
kill -KILL "$(sed -n 's/^pid \([0-9]*\) fd.*/\1/p' "$tmp/hold.out")"
wait_exit "$hold" 10 || fail "the first incarnation did not die"
in_ns env SCTPSHIM_DEBUG=1 SCTPSHIM_LOG="$tmp/reset.log" SCTPSHIM_UDP_PORT=$udp timeout -k 5 30 \
    "$SCTPSHIM" "$prog" reset "$P" "$hport" >"$tmp/reset.out" 2>"$tmp/reset.err" ||
    { show "$tmp/reset.err"; fail "the second incarnation"; }
rpid=$(sed -n 's/^pid \([0-9]*\) fd.*/\1/p' "$tmp/reset.out")
rfd=$(sed -n 's/.* fd \([0-9]*\) connected$/\1/p' "$tmp/reset.out")
# Each incarnation is an association of its own, accepted on its own.
hfd=$(sed -n "s/^accepted fd \([0-9]*\) peer port $hport\$/\1/p" "$tmp/srv.out" | head -1)
hfd2=$(sed -n "s/^accepted fd \([0-9]*\) peer port $hport\$/\1/p" "$tmp/srv.out" | tail -1)
wait_until 10 "$srv" "$tmp/srv.out" "the server to see the abort" grep -q "^fd $hfd: .* then Connection reset" "$tmp/srv.out"
# A peer on the same host that dies is seen at once (core/life.c), as a
# kernel aborts a dead process's associations: no restart follows here.
expect_line "$s" "server: the killed peer's association aborted at its death" \
    "^sctpshim\[$spid\]: association aborted by peer: fd $hfd, local 127\.0\.0\.1:$P, peer 127\.0\.0\.1:$hport, no cause\$"
expect_line "$s" "server: aborted by the peer (SO_LINGER 0), with the cause" \
    "^sctpshim\[$spid\]: association aborted by peer: fd $hfd2, local 127\.0\.0\.1:$P, peer 127\.0\.0\.1:$hport, cause 12 \(user-initiated abort\)\$"
r=$tmp/reset.log
expect_line "$r" "restarted peer: up, as a new association" \
    "^sctpshim\[$rpid\]: association up: fd $rfd, local 127\.0\.0\.1:$hport, peer 127\.0\.0\.1:$P, "
expect_line "$r" "restarted peer: aborted by us" \
    "^sctpshim\[$rpid\]: association aborted by us: fd $rfd, local 127\.0\.0\.1:$hport, peer 127\.0\.0\.1:$P, cause 12 \(user-initiated abort\)\$"

echo "check: SCTP_ABORT with a reason on a one-to-many socket"
run reason reason "$P" || { show "$tmp/reason.err"; fail "reason client"; }
qpid=$(sed -n 's/^pid \([0-9]*\) fd.*/\1/p' "$tmp/reason.out")
qfd=$(sed -n 's/.* fd \([0-9]*\) sent$/\1/p' "$tmp/reason.out")
expect_line "$tmp/reason.log" "sender: aborted by us, cause 12 with the reason" \
    "^sctpshim\[$qpid\]: association aborted by us: fd $qfd, local 127\.0\.0\.1:[0-9]+, peer 127\.0\.0\.1:$((P + 1)), cause 12 \(user-initiated abort\) \"WHY-ABORT\"\$"
wait_until 10 "$srv" "$s" "the server's line for it" grep -q 'WHY-ABORT' "$s"
expect_line "$s" "server: up on the one-to-many socket" \
    "^sctpshim\[$spid\]: association up: fd $mfd, local 127\.0\.0\.1:$((P + 1)), "
expect_line "$s" "server: aborted by the peer, cause 12 with the reason" \
    "^sctpshim\[$spid\]: association aborted by peer: fd $mfd, local 127\.0\.0\.1:$((P + 1)), peer 127\.0\.0\.1:[0-9]+, cause 12 \(user-initiated abort\) \"WHY-ABORT\"\$"

echo "check: without SCTPSHIM_DEBUG, no line"
in_ns env -u SCTPSHIM_DEBUG SCTPSHIM_LOG="$tmp/quiet.log" timeout -k 5 30 \
    "$SCTPSHIM" "$prog" graceful "$P" 10 >"$tmp/quiet.out" 2>"$tmp/quiet.err" || fail "quiet client"
[ ! -s "$tmp/quiet.log" ] && [ ! -s "$tmp/quiet.err" ] || { show "$tmp/quiet.log"; fail "lines without SCTPSHIM_DEBUG"; }
ok "without SCTPSHIM_DEBUG: no line, no log file written"
[ ! -s "$tmp/srv.err" ] || { show "$tmp/srv.err"; fail "the server wrote to stderr despite SCTPSHIM_LOG"; }
ok "SCTPSHIM_LOG: every line in the file, stderr empty"
echo "PASS: events.sh"
