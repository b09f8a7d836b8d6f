#!/bin/bash
# checksum.sh NET_XFER: packets with a wrong CRC32c are dropped.
# An ABORT is the packet to forge (tests/net/net_inject.py): taken, it
# would end the association.
#   1. From another host, into an association with it, while 2 MiB flow:
#      dropped (the receiver's usrsctp counts it), the data arrives
#      byte-exact, no COMM_LOST.
#   2. usrsctp skips the check when a packet's source address is its
#      destination address, taking it for one that never left the host.
#      Host B holds an association with itself over its own address (as
#      two processes); host A forges an ABORT for it with B's address as
#      source (B accepts local sources from outside: accept_local).  With
#      a bad CRC it is dropped and counted (before: the association
#      ended); with the right one it ends the association (so the forged
#      packet does reach it).
set -euo pipefail

TEST_PORT=${TEST_PORT:-25470}
xfer=$1
inject=$(dirname -- "${BASH_SOURCE[0]}")/net_inject.py

NAME=checksum
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 1
udp=9899
# last PCAP FILTER: "udp.srcport udp.dstport sctp.srcport sctp.dstport
# vtag" of the last packet matching FILTER.
last() {
    tshark -r "$1" -d udp.port==$udp,sctp -Y "$2" -T fields -E separator=' ' \
        -e udp.srcport -e udp.dstport -e sctp.srcport -e sctp.dstport \
        -e sctp.verification_tag 2>/dev/null | tail -n1
}

# 1. From another host.
head -c 2097152 /dev/urandom >"$tmp/in"
P=$((TEST_PORT + 1))
cap_start "$nsb" b1 "$tmp/one.pcap"
shim_bg "$nsb" "$tmp/l.log" "$xfer" listen -p $P -e -o "$tmp/out"
l=$bg
wait_log 10 "$l" "$tmp/l.log" LISTENING
shim_bg "$nsa" "$tmp/c.log" "$xfer" connect -c 10.0.1.2 -p $P -i "$tmp/in" -d 150
c=$bg
wait_log 10 "$c" "$tmp/c.log" UP
sleep 1
cap_stop "$cap_pid"
# shellcheck disable=SC2046
set -- $(last "$tmp/one.pcap" "ip.src==10.0.1.1 && udp.dstport==$udp && sctp.chunk_type==0")
[ $# -eq 5 ] || fail "no DATA from host A in the capture"
in_a python3 "$inject" 10.0.1.1 "$1" 10.0.1.2 "$2" "$3" "$4" "$5" bad
finish "$c" "$tmp/c.log" "sender"
finish "$l" "$tmp/l.log" "receiver"
same_file "from another host, a bad-CRC ABORT on the way" "$tmp/in" "$tmp/out" 2097152
! grep -q "state=COMM_LOST" "$tmp/l.log" || { show "$tmp/l.log"; fail "the bad-CRC ABORT ended the association"; }
grep -Eq "bad CRC32c: [1-9][0-9]* by usrsctp" "$tmp/l.log" ||
    { show "$tmp/l.log"; fail "the receiver counted no bad CRC32c"; }
ok "from another host: the bad-CRC ABORT was dropped and counted"

# 2. Source address = destination address, from outside.
ip netns exec "$nsb" sysctl -qw net.ipv4.conf.all.accept_local=1 \
    net.ipv4.conf.b1.accept_local=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.b1.rp_filter=0
for mode in bad good; do
    P=$((P + 1))
    cap_start "$nsb" lo "$tmp/$mode.pcap"
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen -p $P -b 10.0.1.2 -e
    l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    shim_bg "$nsb" "$tmp/c.log" "$xfer" connect -b 10.0.1.2 -c 10.0.1.2 -p $P -H 200
    c=$bg
    wait_log 10 "$l" "$tmp/l.log" "state=COMM_UP"
    sleep 1 # heartbeats, so that the capture has the tag
    cap_stop "$cap_pid"
    # shellcheck disable=SC2046
    set -- $(last "$tmp/$mode.pcap" "udp.dstport==$udp && sctp.dstport==$P && !(sctp.chunk_type==1)")
    [ $# -eq 5 ] || fail "no packet to the listener in the capture"
    in_a python3 "$inject" 10.0.1.2 "$1" 10.0.1.2 "$2" "$3" "$4" "$5" $mode
    if [ $mode = bad ]; then
        sleep 1
        ! grep -q "state=COMM_LOST" "$tmp/l.log" ||
            { show "$tmp/l.log"; fail "a bad-CRC ABORT from outside, with our address as source, was taken"; }
        grep -q "with our own address as source and a bad CRC32c" "$tmp/l.log" ||
            { show "$tmp/l.log"; fail "the forged packet was not seen and dropped"; }
        ok "source = destination from outside: the bad-CRC ABORT was dropped"
    else
        wait_log 5 "$l" "$tmp/l.log" "state=COMM_LOST"
        ok "source = destination from outside: the same ABORT with the right CRC ends the association"
    fi
    kill "$c" "$l" 2>/dev/null || true
    wait_exit "$c" 10 || true
    wait_exit "$l" 10 || true
done
