#!/bin/bash
# local.sh NET_XFER: any local address the kernel accepts, on one host
# (a private network namespace), tshark on lo:
#   1. two shimmed processes, one bound to 127.0.0.2, the other to
#      127.0.0.3 (neither configured on any interface: all of 127/8 is
#      local), exchange 1 MiB, every packet between those two addresses;
#   2. a listener bound to 127.0.1.1, reached from a wildcard endpoint;
#   3. ::1;
#   4. an address added to lo (a /32, and an IPv6 /128) after the
#      listener started: connecting to it works (before: it hung with no
#      packet sent), and the listener answers from it.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25400}
xfer=$1

NAME=local
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
head -c 1048576 /dev/urandom >"$tmp/in"
port=$TEST_PORT

# pair DESC FAM LISTEN-BIND CLIENT-BIND PEER [BEFORE-CONNECT-CMD...]
pair() {
    local desc=$1 fam=$2 lb=$3 cb=$4 peer=$5
    shift 5
    port=$((port + 1))
    local largs=(listen "-$fam" -p $port -o "$tmp/out") cargs=(connect "-$fam" -c "$peer" -p $port -i "$tmp/in")
    [ "$lb" = - ] || largs+=(-b "$lb")
    [ "$cb" = - ] || cargs+=(-b "$cb")
    # Emptied here, not in the background job: the wait below must never
    # read the previous pair's LISTENING before the job truncates the log
    # (then the client ran first and took UDP port 9899 for itself).
    : >"$tmp/l.log"
    in_ns env SCTPSHIM_DEBUG=1 timeout -k 5 30 "$SCTPSHIM" "$xfer" "${largs[@]}" >"$tmp/l.log" 2>&1 &
    local l=$!
    bg_pids+=("$l")
    wait_until 10 "$l" "$tmp/l.log" "the listener" grep -q LISTENING "$tmp/l.log"
    if [ $# -gt 0 ]; then "$@"; fi
    in_ns env SCTPSHIM_DEBUG=1 timeout -k 5 20 "$SCTPSHIM" "$xfer" "${cargs[@]}" \
        >"$tmp/c.log" 2>&1 || { show "$tmp/c.log"; show "$tmp/l.log"; fail "$desc: the client failed"; }
    wait_exit "$l" 10 || { show "$tmp/l.log"; fail "$desc: listener still running"; }
    [ "$exit_rc" -eq 0 ] || { show "$tmp/l.log"; fail "$desc: listener status $exit_rc"; }
    same_file "$desc" "$tmp/in" "$tmp/out" 1048576
}

# wire PCAP DESC FILTER-ALL FILTER-GOOD [MIN]: every SCTP packet
# matching FILTER-ALL also matches FILTER-GOOD, and there are at least MIN.
wire() {
    local all good
    all=$(tshark -r "$1" -d udp.port==$udp_port,sctp -Y "sctp && ($3)" 2>/dev/null | wc -l)
    good=$(tshark -r "$1" -d udp.port==$udp_port,sctp -Y "sctp && ($3) && ($4)" 2>/dev/null | wc -l)
    [ "$all" -ge "${5:-10}" ] && [ "$all" -eq "$good" ] ||
        fail "$2: $good of $all packets as expected"
    ok "$2: all $all packets on the wire as expected"
}

capture_start "$tmp/a.pcap"
pair "127.0.0.2 <-> 127.0.0.3" 4 127.0.0.2 127.0.0.3 127.0.0.2
capture_stop
wire "$tmp/a.pcap" "127.0.0.2 <-> 127.0.0.3" "udp" \
    "(ip.src==127.0.0.3 && ip.dst==127.0.0.2) || (ip.src==127.0.0.2 && ip.dst==127.0.0.3)"

pair "a listener on 127.0.1.1" 4 127.0.1.1 - 127.0.1.1
pair "::1" 6 ::1 - ::1

add_v4() { ip -n "$ns" addr add 10.7.7.7/32 dev lo; sleep 0.2; }
add_v6() { ip -n "$ns" addr add fd00:77::7/128 dev lo nodad; sleep 0.2; }
capture_start "$tmp/b.pcap"
pair "10.7.7.7/32 added to lo after the listener started" 4 - - 10.7.7.7 add_v4
pair "fd00:77::7/128 added to lo after the listener started" 6 - - fd00:77::7 add_v6
capture_stop
wire "$tmp/b.pcap" "the INIT ACK from the address added (IPv4)" \
    "ip && sctp.chunk_type==2" "ip.src==10.7.7.7" 1
wire "$tmp/b.pcap" "the INIT ACK from the address added (IPv6)" \
    "ipv6 && sctp.chunk_type==2" "ipv6.src==fd00:77::7" 1
