#!/bin/bash
# mtu.sh NET_XFER: packets that fit the path.  Two hosts (network
# namespaces) joined by a 1500-byte veth and a 1280-byte one; 2 MiB go
# each way, for both families and both transports (UDP encapsulation and
# raw IP), while tshark records host A's side of the links.  On the wire:
# no IP fragment at all, no packet larger than the link's MTU, and the
# bulk of the data in packets that fill it.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25000}
xfer=$1

NAME=mtu
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 2
ip -n "$nsa" link set a2 mtu 1280
ip -n "$nsb" link set b2 mtu 1280
head -c 2097152 /dev/urandom >"$tmp/in"

# transfer DESC DIR FAMILY ADDR PORT: 2 MiB from A to B (DIR up) or from B
# to A (down); the listener is always on B, bound to the wildcard address.
transfer() {
    local desc=$1 dir=$2 fam=$3 addr=$4 port=$5 lsend= csend= lout= cout=
    if [ "$dir" = up ]; then csend="-i $tmp/in"; lout="-o $tmp/out"
    else lsend="-i $tmp/in"; cout="-o $tmp/out"; fi
    rm -f "$tmp/out"
    # shellcheck disable=SC2086
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen "-$fam" -p "$port" $lsend $lout
    local l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    # shellcheck disable=SC2086
    in_a env SCTPSHIM_DEBUG=1 timeout -k 5 60 "$SCTPSHIM" "$xfer" connect "-$fam" -c "$addr" -p "$port" \
        $csend $cout >"$tmp/c.log" 2>&1 || { show "$tmp/c.log"; show "$tmp/l.log"; fail "$desc: client failed"; }
    wait_exit "$l" 20 || { show "$tmp/l.log"; fail "$desc: listener still running"; }
    [ "$exit_rc" -eq 0 ] || { show "$tmp/l.log"; fail "$desc: listener exit status $exit_rc"; }
    same_file "$desc" "$tmp/in" "$tmp/out" 2097152
}

# check PCAP DESC V MTU: no fragment and no packet over MTU in PCAP (IP
# version V), and more than 1000 packets within 60 bytes of the MTU.
check() {
    local pcap=$1 desc=$2 v=$3 mtu=$4 frag big full
    if [ "$v" = 4 ]; then
        frag=$(count "$pcap" "ip.flags.mf==1 || ip.frag_offset>0")
        big=$(count "$pcap" "ip.len>$mtu")
        full=$(count "$pcap" "ip.len>$((mtu - 60))")
    else
        frag=$(count "$pcap" "ipv6.nxt==44 || ipv6.fragment")
        big=$(count "$pcap" "ipv6.plen>$((mtu - 40))")
        full=$(count "$pcap" "ipv6.plen>$((mtu - 100))")
    fi
    [ "$frag" -eq 0 ] || fail "$desc: $frag IP fragments on the wire"
    [ "$big" -eq 0 ] || fail "$desc: $big packets larger than the $mtu-byte MTU"
    [ "$full" -gt 1000 ] || fail "$desc: only $full packets fill the $mtu-byte path"
    ok "$desc: no fragment, nothing over $mtu bytes, $full packets fill the path"
}

port=$TEST_PORT
for transport in udp raw; do
    export SCTPSHIM_TRANSPORT=$transport
    for v in 4 6; do
        if [ "$v" = 4 ]; then addr=10.0.1.2; else addr=fd00:0:0:1::2; fi
        cap_start "$nsa" a1 "$tmp/$transport$v.pcap"
        for dir in up down; do
            port=$((port + 1))
            transfer "$transport IPv$v, $dir" "$dir" "$v" "$addr" "$port"
        done
        cap_stop "$cap_pid"
        check "$tmp/$transport$v.pcap" "$transport IPv$v, 1500-byte link" "$v" 1500
    done
done

# A 1280-byte IPv6 link: IPv6's minimum MTU.
export SCTPSHIM_TRANSPORT=udp
cap_start "$nsa" a2 "$tmp/v6-1280.pcap"
for dir in up down; do
    port=$((port + 1))
    transfer "udp IPv6 1280, $dir" "$dir" 6 fd00:0:0:2::2 "$port"
done
cap_stop "$cap_pid"
check "$tmp/v6-1280.pcap" "udp IPv6, 1280-byte link" 6 1280
