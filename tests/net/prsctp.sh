#!/bin/bash
# prsctp.sh PROGRAM: PR-SCTP under real loss.  PROGRAM
# (tests/net/wire_prsctp.c) runs under the shim in a private network
# namespace, drops chosen messages with iptables and checks what the
# sender and receiver applications see; here, the capture must show that
# both ends announced PR-SCTP (Forward-TSN-Supported in INIT and INIT ACK),
# how often each abandoned message was transmitted (the RTX policy's
# count), and a FORWARD TSN moving the receiver past each of them.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-22200}
prog=$1

NAME=prsctp
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

run_captured "$prog" 50
c=$tmp/chunks.txt
srv=$TEST_PORT

expect_chunk "$c" "the client's INIT announces Forward-TSN-Supported (0xc000)" \
    "dport=$srv .*chunk=INIT params=.*0xc000"
expect_chunk "$c" "the server's INIT ACK announces Forward-TSN-Supported" \
    "sport=$srv .*chunk=INIT_ACK params=.*0xc000"

# abandoned BODY TIMES: BODY went out TIMES times (0: any), and a later
# FORWARD TSN from the same sender covers its TSN.
abandoned() {
    local body=$1 times=$2 line sport tsn n
    line=$(grep -m1 "chunk=DATA .*payload=$body\$" "$c") ||
        { show "$c"; fail "$body never went out"; }
    sport=$(sed -E 's/.* sport=([0-9]+) .*/\1/' <<<"$line")
    tsn=$(sed -E 's/.* tsn=([0-9]+) .*/\1/' <<<"$line")
    # (tshark shows no payload for a retransmission: count by TSN)
    n=$(grep -c "sport=$sport .*chunk=DATA tsn=$tsn " "$c" || true)
    [ "$times" -eq 0 ] || [ "$n" -eq "$times" ] ||
        { show "$c"; fail "$body was transmitted $n times, expected $times"; }
    grep "sport=$sport dport=$srv .*chunk=FORWARD_TSN" "$c" |
        awk -v t="$tsn" '{ sub(/.*new_cum_tsn=/, ""); d = ($0 - t) % 4294967296;
                           if (d < 0) d += 4294967296; if (d < 2147483648) f = 1 }
                         END { exit !f }' ||
        { show "$c"; fail "no FORWARD TSN from port $sport covers TSN $tsn of $body"; }
    ok "on the wire: $body sent $n time(s), then skipped by FORWARD TSN"
}
abandoned PR-TTL-SENDV-LOST 0
abandoned PR-RTX1-SENDMSG-LOST 2
abandoned PR-DEFAULT-TTL-LOST 0
abandoned PR-DEFAULT-RTX0-LOST 1
abandoned PR-TTL-SNDRCV-LOST 0
[ "$(grep -c 'chunk=FORWARD_TSN' "$c")" -ge 5 ] || fail "too few FORWARD TSNs under random loss"
ok "on the wire: $(grep -c 'chunk=FORWARD_TSN' "$c") FORWARD TSN chunks in all"
