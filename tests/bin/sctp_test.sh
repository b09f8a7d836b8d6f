#!/bin/bash
# sctp_test.sh: lksctp-tools' sctp_test, server and client both under the
# shim.  The client sends 10 rounds of 10 one-byte messages on a one-to-many
# (SOCK_SEQPACKET) socket; the server must receive all 100 in order, see the
# association come up and end with a graceful SHUTDOWN_COMPLETE.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7100}
SPORT=$TEST_PORT            # server
CPORT=$((TEST_PORT + 1))    # client

NAME=sctp_test
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"


srv_log=$tmp/server.log
cli_log=$tmp/client.log

echo "starting sctp_test server on 127.0.0.1:$SPORT"
timeout -k 5 50 stdbuf -oL "$SCTPSHIM" sctp_test -H 127.0.0.1 -P "$SPORT" -l \
    >"$srv_log" 2>&1 &
srv_pid=$!
bg_pids+=("$srv_pid")
wait_until 10 "$srv_pid" "$srv_log" "SCTP port $SPORT to be bound" port_bound "$SPORT"
# Printed right after listen() returned.
wait_until 10 "$srv_pid" "$srv_log" "server to listen" grep -q '^Server: Receiving packets\.$' "$srv_log"
ok "server listening"

echo "running sctp_test client 127.0.0.1:$CPORT -> 127.0.0.1:$SPORT"
rc=0
timeout -k 5 20 "$SCTPSHIM" sctp_test -H 127.0.0.1 -P "$CPORT" \
    -h 127.0.0.1 -p "$SPORT" -s >"$cli_log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { show "$cli_log"; fail "client exited with status $rc"; }
ok "client exit status 0"

grep -qxF 'Client: Sending packets.(10/10)' "$cli_log" \
    || { show "$cli_log"; fail "client did not print 'Client: Sending packets.(10/10)'"; }
rounds=$(grep -c '^Client: Sending packets\.([0-9]*/10)$' "$cli_log" || true)
[ "$rounds" -eq 10 ] || { show "$cli_log"; fail "client printed $rounds rounds, expected 10"; }
sent=$(grep -cE '^	sendmsg\(sk=[0-9]+, assoc=0\)    1 bytes\.$' "$cli_log" || true)
[ "$sent" -eq 100 ] || { show "$cli_log"; fail "client sent $sent messages, expected 100"; }
ok "client: 'Client: Sending packets.(10/10)', 10 rounds, 100 one-byte sendmsg"

# The client closes its socket at exit: the server must see a graceful end.
# (Wait for its detail line, printed after the notification line.)
shutdown_seen() {
    grep -q 'SCTP_ASSOC_CHANGE(SHUTDOWN_COMPLETE)' "$srv_log" &&
        [ "$(grep -c '^		(assoc_change: ' "$srv_log")" -ge 2 ]
}
wait_until 10 "$srv_pid" "$srv_log" "SHUTDOWN_COMPLETE on the server" shutdown_seen

count() { grep -c -- "$1" "$srv_log" || true; }
[ "$(count 'Notification: SCTP_ASSOC_CHANGE(COMMUNICATION_UP)$')" -eq 1 ] \
    || { show "$srv_log"; fail "server: expected exactly one COMMUNICATION_UP"; }
[ "$(count 'Notification: SCTP_ASSOC_CHANGE(SHUTDOWN_COMPLETE)$')" -eq 1 ] \
    || { show "$srv_log"; fail "server: expected exactly one SHUTDOWN_COMPLETE"; }
[ "$(count 'COMMUNICATION_LOST')" -eq 0 ] \
    || { show "$srv_log"; fail "server: association was lost (COMMUNICATION_LOST)"; }
[ "$(count '\*\*\*')" -eq 0 ] || { show "$srv_log"; fail "server printed an error (***)"; }
grep -qxF '		(assoc_change: state=0, error=0, instr=10 outstr=10)' "$srv_log" \
    || { show "$srv_log"; fail "server: COMMUNICATION_UP details not 'state=0, error=0, instr=10 outstr=10'"; }
grep -qxF '		(assoc_change: state=3, error=0, instr=10 outstr=10)' "$srv_log" \
    || { show "$srv_log"; fail "server: SHUTDOWN_COMPLETE details not 'state=3, error=0, instr=10 outstr=10'"; }
ok "server: one COMMUNICATION_UP (state=0), one SHUTDOWN_COMPLETE (state=3), no COMMUNICATION_LOST"

data_re='^	recvmsg\(sk=[0-9]+\) Data 1 bytes\. First 1 bytes: <empty> text\[0\]=0$'
got=$(grep -cE "$data_re" "$srv_log" || true)
[ "$got" -eq 100 ] || { show "$srv_log"; fail "server received $got data messages, expected 100"; }
up_line=$(grep -n 'COMMUNICATION_UP' "$srv_log" | cut -d: -f1)
down_line=$(grep -n 'SHUTDOWN_COMPLETE' "$srv_log" | cut -d: -f1)
first_data=$(grep -nE "$data_re" "$srv_log" | awk -F: 'NR == 1 { print $1 }')
last_data=$(grep -nE "$data_re" "$srv_log" | awk -F: '{ n = $1 } END { print n }')
[ "$up_line" -lt "$first_data" ] && [ "$last_data" -lt "$down_line" ] \
    || { show "$srv_log"; fail "server: notifications out of order with data"; }
ok "server: exactly 100 'Data 1 bytes' messages, between COMMUNICATION_UP and SHUTDOWN_COMPLETE"

# Ancillary data.  sctp_test does not reset msg_controllen after reading a
# notification, so the first message after COMMUNICATION_UP is read without
# room for a cmsg (the kernel behaves the same): 99 SNDRCV blocks for 100
# messages.  Their ppids must be the client's last 99, in order; all were
# sent unordered (flags=0x1) on stream 0, and TSNs must be consecutive.
grep -oE 'ppid=[0-9]+$' "$cli_log" | cut -d= -f2 >"$tmp/sent_ppids"
sed -nE 's/^	  SNDRCV\(stream=0 ssn=0 tsn=([0-9]+) flags=0x1 ppid=([0-9]+)$/\1 \2/p' \
    "$srv_log" >"$tmp/rcv"
n_sndrcv=$(grep -c 'SNDRCV' "$srv_log" || true)
[ "$(wc -l <"$tmp/sent_ppids")" -eq 100 ] || { show "$cli_log"; fail "client: expected 100 ppids"; }
[ "$n_sndrcv" -eq 99 ] && [ "$(wc -l <"$tmp/rcv")" -eq 99 ] \
    || { show "$srv_log"; fail "server: expected 99 SNDRCV(stream=0 ssn=0 ... flags=0x1) blocks, got $n_sndrcv"; }
tail -n 99 "$tmp/sent_ppids" | cmp -s - <(cut -d' ' -f2 "$tmp/rcv") \
    || { paste "$tmp/sent_ppids" <(cut -d' ' -f2 "$tmp/rcv") >&2; fail "server: received ppids differ from sent ppids"; }
awk 'NR > 1 && $1 != (prev + 1) % 4294967296 { bad = 1 } { prev = $1 } END { exit bad }' "$tmp/rcv" \
    || { show "$srv_log"; fail "server: TSNs not consecutive"; }
ok "server: 99 SNDRCV blocks, ppids match the client's in order, consecutive TSNs"

echo "PASS: sctp_test.sh"
