#!/bin/bash
# pmtu.sh NET_XFER: path MTU changes are followed.  20 MiB go from one
# host to the other (paced, about 3 s) and the path's MTU falls from 1500
# to 1280 bytes a quarter of the way through:
#   1. on the link between the two hosts (both ends of the veth): the
#      sender's kernel refuses the larger packets (IPv4 and IPv6 over UDP,
#      IPv4 over raw IP, whose packets the shim fragments itself);
#   2. on a router's far link: the router answers ICMP "fragmentation
#      needed" / "packet too big" (IPv4 and IPv6 over UDP).
# Every byte arrives (sha256), and after the fall the receiver's link
# sees IP fragments only for the packets already cut for the old MTU (a
# few dozen; without the shim following the path, every packet).
set -euo pipefail

TEST_PORT=${TEST_PORT:-25050}
xfer=$1

NAME=pmtu
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

size=20971520
head -c $size /dev/urandom >"$tmp/in"
# At most this many fragments after the fall: the packets in flight and
# the retransmissions of chunks cut for 1500 bytes.
bound=300

out_size() { stat -c %s "$tmp/out" 2>/dev/null || echo 0; }
past_quarter() { [ "$(out_size)" -ge $((size / 4)) ]; }

# fall DESC FAMILY ADDR PORT CAPNS CAPIF CMD...: A sends to B while tshark
# records CAPIF in CAPNS; CMD lowers the MTU a quarter of the way through.
fall() {
    local desc=$1 fam=$2 addr=$3 port=$4 capns=$5 capif=$6 t frag full
    shift 6
    rm -f "$tmp/out"
    cap_start "$capns" "$capif" "$tmp/$port.pcap"
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen "-$fam" -p "$port" -o "$tmp/out"
    local l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    shim_bg "$nsa" "$tmp/c.log" "$xfer" connect "-$fam" -c "$addr" -p "$port" \
        -i "$tmp/in" -d 8
    local c=$bg
    wait_until 30 "$c" "$tmp/c.log" "a quarter of the data" past_quarter
    t=$(date +%s.%N)
    "$@"
    echo "$desc: MTU lowered at $(out_size) bytes"
    finish "$c" "$tmp/c.log" "$desc: sender" 60
    finish "$l" "$tmp/l.log" "$desc: receiver" 10
    cap_stop "$cap_pid"
    same_file "$desc" "$tmp/in" "$tmp/out" $size
    if [ "$fam" = 4 ]; then
        frag=$(count "$tmp/$port.pcap" "frame.time_epoch > $t && (ip.flags.mf==1 || ip.frag_offset>0)")
        full=$(count "$tmp/$port.pcap" "frame.time_epoch > $t && ip.len > 1220 && ip.len <= 1280")
    else
        frag=$(count "$tmp/$port.pcap" "frame.time_epoch > $t && ipv6.fragment")
        full=$(count "$tmp/$port.pcap" "frame.time_epoch > $t && ipv6.plen > 1180 && ipv6.plen <= 1240")
    fi
    [ "$frag" -le $bound ] || fail "$desc: $frag IP fragments after the MTU fell (at most $bound expected)"
    [ "$full" -gt 5000 ] || fail "$desc: only $full packets of the new MTU's size after the fall"
    ok "$desc: $frag fragments after the fall, $full packets of 1280 bytes"
}

link_mtu() { ip -n "$nsa" link set a1 mtu "$1"; ip -n "$nsb" link set b1 mtu "$1"; }

hosts_up 1
export SCTPSHIM_TRANSPORT=udp
fall "IPv4 link" 4 10.0.1.2 $((TEST_PORT + 1)) "$nsb" b1 link_mtu 1280
link_mtu 1500
fall "IPv6 link" 6 fd00:0:0:1::2 $((TEST_PORT + 2)) "$nsb" b1 link_mtu 1280
link_mtu 1500
export SCTPSHIM_TRANSPORT=raw
fall "raw IPv4 link" 4 10.0.1.2 $((TEST_PORT + 3)) "$nsb" b1 link_mtu 1280
export SCTPSHIM_TRANSPORT=udp
ip netns del "$nsa"
ip netns del "$nsb"

routed_up
far_mtu() { ip -n "$nsr" link set r2 mtu "$1"; ip -n "$nsb" link set b1 mtu "$1"; }
fall "IPv4 router (ICMP fragmentation needed)" 4 10.0.2.2 $((TEST_PORT + 4)) "$nsb" b1 far_mtu 1280
far_mtu 1500
fall "IPv6 router (ICMPv6 packet too big)" 6 fd00:0:0:2::2 $((TEST_PORT + 5)) "$nsb" b1 far_mtu 1280
