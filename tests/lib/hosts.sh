# Sourced after lib.sh by the tests that need two hosts: network
# namespaces $nsa and $nsb joined by veth pairs, each side with the shim's
# own registry and UDP port 9899, and tshark on either side's links.
# shellcheck shell=bash

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
# The programs the tests run (meson passes the build's tests/net).
NET_BIN=${NET_BIN:-$(dirname -- "${BASH_SOURCE[0]}")/../../build/tests}

# hosts_up LINKS [MTU]: namespaces $nsa and $nsb joined by LINKS veth
# pairs.  Link i is a$i (host A: 10.0.i.1/24, fd00:0:0:i::1/64) to b$i
# (host B: 10.0.i.2/24, fd00:0:0:i::2/64).  Deleted when the script exits.
# Skips the test (77) without the privilege.
hosts_up() {
    local links=$1 mtu=${2:-1500} i
    nsa=sctpshim-$NAME-a-$$
    nsb=sctpshim-$NAME-b-$$
    if ! ip netns add "$nsa" 2>"$tmp/netns.err"; then
        cat "$tmp/netns.err" >&2
        echo "SKIP: cannot create a network namespace" >&2
        exit 77
    fi
    exit_hooks+=("ip netns del $nsa 2>/dev/null")
    ip netns add "$nsb"
    exit_hooks+=("ip netns del $nsb 2>/dev/null")
    for ns in "$nsa" "$nsb"; do
        ip -n "$ns" link set lo up
        # No duplicate address detection: addresses work at once; and a
        # link taken down keeps its IPv6 addresses, as IPv4 does.
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0 \
            net.ipv6.conf.all.keep_addr_on_down=1 \
            net.ipv6.conf.default.keep_addr_on_down=1
    done
    for ((i = 1; i <= links; i++)); do
        ip link add "a$i" netns "$nsa" mtu "$mtu" type veth peer name "b$i" \
            netns "$nsb" mtu "$mtu"
        ip -n "$nsa" addr add "10.0.$i.1/24" dev "a$i"
        ip -n "$nsb" addr add "10.0.$i.2/24" dev "b$i"
        ip -n "$nsa" addr add "fd00:0:0:$i::1/64" dev "a$i" nodad
        ip -n "$nsb" addr add "fd00:0:0:$i::2/64" dev "b$i" nodad
        ip -n "$nsa" link set "a$i" up
        ip -n "$nsb" link set "b$i" up
    done
}

in_a() { ip netns exec "$nsa" "$@"; }
in_b() { ip netns exec "$nsb" "$@"; }

# cap_start NS IFACE FILE: tshark records IFACE of namespace NS into FILE
# (pcapng); cap_stop PID ends it.  Sets cap_pid.
cap_start() {
    local ns=$1 ifc=$2 file=$3 log=$3.log i
    : >"$log" # as in shim_bg
    ip netns exec "$ns" tshark -q -i "$ifc" -w "$file" >"$log" 2>&1 &
    cap_pid=$!
    bg_pids+=("$cap_pid")
    for ((i = 0; i < 100; i++)); do
        if grep -q "Capturing on" "$log"; then
            sleep 0.2
            return 0
        fi
        is_running "$cap_pid" || break
        sleep 0.1
    done
    show "$log"
    fail "tshark did not start capturing on $ifc"
}
cap_stop() {
    sleep 0.3
    kill -TERM "$1"
    wait_exit "$1" 10 || fail "tshark did not stop"
}

# count PCAP FILTER: how many frames of PCAP match the display FILTER.
count() {
    tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

# shim_bg NS LOG CMD...: runs CMD under the shim in NS in the background
# (bounded by timeout); sets bg.
shim_bg() {
    local ns=$1 log=$2
    shift 2
    # Emptied here, not in the background job: a waiter must never read
    # the previous run's log (its LISTENING) before the job truncates it.
    : >"$log"
    ip netns exec "$ns" env SCTPSHIM_DEBUG=1 timeout -k 5 "${LIMIT:-120}" "$SCTPSHIM" "$@" >"$log" 2>&1 &
    bg=$!
    bg_pids+=("$bg")
}

# wait_log SECS PID LOG REGEX: waits until a line of LOG matches.
wait_log() {
    wait_until "$1" "$2" "$3" "/$4/ in $3" grep -Eq -- "$4" "$3"
}

# finish PID LOG DESC [SECS]: PID exits within SECS (30) with status 0.
finish() {
    wait_exit "$1" "${4:-30}" || { show "$2"; fail "$3: still running"; }
    [ "$exit_rc" -eq 0 ] || { show "$2"; fail "$3: exit status $exit_rc"; }
}

# routed_up: host A and host B on two links joined by a router R (all
# three network namespaces, $nsa, $nsr, $nsb): a1 (10.0.1.1,
# fd00:0:0:1::1) - r1 (10.0.1.254, fd00:0:0:1::fe), r2 (10.0.2.254,
# fd00:0:0:2::fe) - b1 (10.0.2.2, fd00:0:0:2::2), default routes through R.
routed_up() {
    local ns
    nsa=sctpshim-$NAME-a-$$
    nsr=sctpshim-$NAME-r-$$
    nsb=sctpshim-$NAME-b-$$
    if ! ip netns add "$nsa" 2>"$tmp/netns.err"; then
        cat "$tmp/netns.err" >&2
        echo "SKIP: cannot create a network namespace" >&2
        exit 77
    fi
    exit_hooks+=("ip netns del $nsa 2>/dev/null")
    ip netns add "$nsr"
    exit_hooks+=("ip netns del $nsr 2>/dev/null")
    ip netns add "$nsb"
    exit_hooks+=("ip netns del $nsb 2>/dev/null")
    for ns in "$nsa" "$nsr" "$nsb"; do
        ip -n "$ns" link set lo up
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0
    done
    ip netns exec "$nsr" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    ip link add a1 netns "$nsa" type veth peer name r1 netns "$nsr"
    ip link add r2 netns "$nsr" type veth peer name b1 netns "$nsb"
    ip -n "$nsa" addr add 10.0.1.1/24 dev a1
    ip -n "$nsa" addr add fd00:0:0:1::1/64 dev a1 nodad
    ip -n "$nsr" addr add 10.0.1.254/24 dev r1
    ip -n "$nsr" addr add fd00:0:0:1::fe/64 dev r1 nodad
    ip -n "$nsr" addr add 10.0.2.254/24 dev r2
    ip -n "$nsr" addr add fd00:0:0:2::fe/64 dev r2 nodad
    ip -n "$nsb" addr add 10.0.2.2/24 dev b1
    ip -n "$nsb" addr add fd00:0:0:2::2/64 dev b1 nodad
    for l in "$nsa a1" "$nsr r1" "$nsr r2" "$nsb b1"; do
        # shellcheck disable=SC2086
        set -- $l
        ip -n "$1" link set "$2" up
    done
    ip -n "$nsa" route add default via 10.0.1.254
    ip -n "$nsa" -6 route add default via fd00:0:0:1::fe
    ip -n "$nsb" route add default via 10.0.2.254
    ip -n "$nsb" -6 route add default via fd00:0:0:2::fe
}
