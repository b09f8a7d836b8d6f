#!/bin/bash
# wire.sh PROGRAM: what the SCTP calls of a Linux program put on the wire.
# PROGRAM (tests/net/wire_calls.c) runs under the shim in a private network
# namespace and makes libsctp and sendmsg calls, checking what its own
# receiving socket gets; tshark captures the namespace's loopback, and
# each chunk is checked here: stream ids, PPIDs byte for byte, the U and I
# bits, the graceful shutdown after queued data (SCTP_EOF), the ABORT
# cause (SCTP_ABORT), the adaptation layer indication, and every packet's
# CRC32c.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-22000}
prog=$1

NAME=wire
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

run_captured "$prog" 40
c=$tmp/chunks.txt

srv=$TEST_PORT
[ "$(grep -c . "$c")" -gt 20 ] || { show "$c"; fail "capture too short"; }
grep -qv ' csum=good ' "$c" && { show "$c"; fail "a packet has a bad or no CRC32c"; }
ok "every packet carries a valid CRC32c"

expect_chunk "$c" "SCTP_ADAPTATION_LAYER: INIT ACK carries the indication" \
    "sport=$srv .*chunk=INIT_ACK params=.*0xc006.* adaptation=0xfeedbeef\$"

# sctp_sendmsg to an address with no association sets one up, and the
# message rides in the packet of the COOKIE ECHO (the handshake's third leg).
ce=$(first_frame "$c" "dport=$srv .*chunk=COOKIE_ECHO")
d1=$(first_frame "$c" "chunk=DATA .*payload=WIRE-PPID-RAW\$")
[ -n "$ce" ] && [ "$ce" = "$d1" ] ||
    { show "$c"; fail "the first message (frame $d1) did not ride with the COOKIE ECHO (frame $ce)"; }
ok "on the wire: an implicit set-up's first message rides with the COOKIE ECHO"

# DATA chunks, one per call: stream, PPID as the program passed it, bits.
data() { # DESC SID PPID U I PAYLOAD
    expect_chunk "$c" "$1" " dport=$srv .*chunk=DATA .* sid=$2 ssn=[0-9]+ ppid=$3 u=$4 i=$5 b=1 e=1 payload=$6\$"
}
data "sctp_sendmsg ppid 0x11223344 goes out as bytes 44 33 22 11" 1 0x44332211 0 0 WIRE-PPID-RAW
data "sctp_sendmsg ppid htonl(46) goes out as 46" 2 0x0000002e 0 0 WIRE-PPID-NET
data "sctp_send SCTP_UNORDERED sets the U bit" 3 0x000000a1 1 0 WIRE-UNORDERED
data "SCTP_SNDINFO SCTP_SACK_IMMEDIATELY sets the I bit" 4 0x000000b2 0 1 WIRE-SACK-NOW
data "SCTP_SNDRCV UNORDERED|SACK_IMMEDIATELY sets both" 5 0x000000c3 1 1 WIRE-BOTH-BITS
data "queued before SCTP_EOF (1)" 6 0x000000d4 0 0 WIRE-EOF-1
data "queued before SCTP_EOF (2)" 6 0x000000d4 0 0 WIRE-EOF-2
# Ordered messages get stream sequence numbers 0, 1 on stream 6.
expect_chunk "$c" "ordered messages numbered in their stream" "sid=6 ssn=1 .*payload=WIRE-EOF-2\$"
[ "$(grep -c 'chunk=DATA' "$c")" -eq 8 ] || { show "$c"; fail "expected exactly 8 DATA chunks (no retransmission on loopback)"; }

# SCTP_EOF: SHUTDOWN, SHUTDOWN_ACK, SHUTDOWN_COMPLETE, after the data.
cport=$(grep -E "chunk=DATA .*payload=WIRE-EOF-2\$" "$c" | sed -E 's/.* sport=([0-9]+) .*/\1/')
eof2=$(first_frame "$c" "payload=WIRE-EOF-2\$")
sd=$(first_frame "$c" "sport=$cport dport=$srv .*chunk=SHUTDOWN\$")
sda=$(first_frame "$c" "sport=$srv dport=$cport .*chunk=SHUTDOWN_ACK\$")
sdc=$(first_frame "$c" "sport=$cport dport=$srv .*chunk=SHUTDOWN_COMPLETE\$")
[ -n "$sd" ] && [ -n "$sda" ] && [ -n "$sdc" ] || { show "$c"; fail "SCTP_EOF: no complete SHUTDOWN sequence"; }
[ "$eof2" -lt "$sd" ] && [ "$sd" -lt "$sda" ] && [ "$sda" -lt "$sdc" ] ||
    { show "$c"; fail "SCTP_EOF: SHUTDOWN ($sd), ACK ($sda), COMPLETE ($sdc) not after the data ($eof2)"; }
grep -E "sport=$cport .*chunk=ABORT" "$c" && fail "SCTP_EOF association was aborted"
ok "on the wire: SCTP_EOF gives SHUTDOWN, SHUTDOWN_ACK, SHUTDOWN_COMPLETE after the queued data"

# SCTP_ABORT: cause 12, User-Initiated Abort, the message is the reason.
expect_chunk "$c" "SCTP_ABORT sends ABORT, cause 12, the message as reason" \
    " dport=$srv .*chunk=ABORT cause=12 info=WIRE-ABORT-REASON\$"
grep -q "payload=WIRE-ABORT-REASON" "$c" && fail "the abort reason was also sent as DATA"
ok "the abort reason was not sent as data"
