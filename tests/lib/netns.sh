# Sourced after lib.sh by the tests that need a private network namespace
# (so iptables rules and captures see only the test's own traffic, and the
# shim inside takes UDP port 9899 for itself) and tshark.
# shellcheck shell=bash

# The encapsulation port of the first shimmed process in the namespace.
udp_port=9899

# netns_up: creates the namespace $ns with its loopback up; it is deleted
# when the script exits.  Skips the test (77) without the privilege.
netns_up() {
    ns=sctpshim-$NAME-$$
    if ! ip netns add "$ns" 2>"$tmp/netns.err"; then
        cat "$tmp/netns.err" >&2
        echo "SKIP: cannot create a network namespace" >&2
        exit 77
    fi
    exit_hooks+=("ip netns del $ns 2>/dev/null")
    ip -n "$ns" link set lo up
}

# netns_pair A4 B4 [A6 B6]: $ns (netns_up) and a second namespace $ns_b,
# joined by a veth pair ($veth_a in $ns, $veth_b in $ns_b) with the
# addresses A4 (and A6) on $ns's end, B4 (and B6) on the other; /24 and
# /64, IPv6 without duplicate address detection.  Both are deleted when
# the script exits.
netns_pair() {
    netns_up
    ns_b=$ns-b
    ip netns add "$ns_b" || fail "ip netns add $ns_b"
    exit_hooks+=("ip netns del $ns_b 2>/dev/null")
    ip -n "$ns_b" link set lo up
    veth_a=va$$ veth_b=vb$$
    ip link add "$veth_a" netns "$ns" type veth peer name "$veth_b" netns "$ns_b"
    ip -n "$ns" addr add "$1/24" dev "$veth_a"
    ip -n "$ns_b" addr add "$2/24" dev "$veth_b"
    if [ $# -ge 4 ]; then
        ip -n "$ns" addr add "$3/64" dev "$veth_a" nodad
        ip -n "$ns_b" addr add "$4/64" dev "$veth_b" nodad
    fi
    ip -n "$ns" link set "$veth_a" up
    ip -n "$ns_b" link set "$veth_b" up
}

# in_ns CMD...: runs CMD inside the namespace.
in_ns() { ip netns exec "$ns" "$@"; }

# capture_start FILE [IFACE [SETTLE]]: tshark records the namespace's
# loopback (or IFACE) into FILE; SETTLE seconds after it says it captures
# (0.2; it says so a little early on a busy machine).
capture_start() {
    local i
    # Not through in_ns: a function run in the background is a subshell,
    # and stopping it would leave tshark running.  `ip netns exec` execs
    # tshark in its own process, so $! is tshark.  The log is emptied
    # here, not in the background job: the wait below must never read
    # the previous capture's "Capturing on" (pcap.sh's second capture saw
    # nothing on the wire).
    : >"$tmp/tshark.log"
    ip netns exec "$ns" tshark -q -i "${2:-lo}" -w "$1" >"$tmp/tshark.log" 2>&1 &
    cap_pid=$!
    bg_pids+=("$cap_pid")
    for ((i = 0; i < 100; i++)); do
        if grep -q "Capturing on" "$tmp/tshark.log"; then
            sleep "${3:-0.2}"
            return 0
        fi
        is_running "$cap_pid" || break
        sleep 0.1
    done
    show "$tmp/tshark.log"
    fail "tshark did not start capturing"
}

# capture_stop: tshark writes out what it has and exits.
capture_stop() {
    sleep 0.3
    kill -TERM "$cap_pid" # (INT is ignored by background jobs)
    wait_exit "$cap_pid" 10 || fail "tshark did not stop"
    [ "$(cat /proc/"$cap_pid"/comm 2>/dev/null)" != tshark ] || fail "tshark still running"
}

# chunks PCAP OUT: one line per SCTP chunk of PCAP (see sctp_chunks.py).
chunks() {
    python3 "$(dirname -- "${BASH_SOURCE[0]}")/sctp_chunks.py" "$1" "$udp_port" >"$2" ||
        fail "tshark could not decode $1"
}

# expect_chunk FILE DESC REGEX: some chunk line of FILE matches REGEX.
expect_chunk() {
    grep -Eq -- "$3" "$1" || { show "$1"; fail "on the wire: $2 (no chunk matches /$3/)"; }
    ok "on the wire: $2"
}

# first_frame FILE REGEX: the frame number of the first chunk matching.
first_frame() {
    grep -E -- "$2" "$1" | head -n1 | sed -E 's/^frame=([0-9]+) .*/\1/'
}

# run_captured PROG LIMIT: PROG runs under the shim in the namespace (at
# most LIMIT seconds) while tshark records its loopback; the chunks of the
# capture are then in $tmp/chunks.txt.
run_captured() {
    netns_up
    capture_start "$tmp/cap.pcap"
    in_ns env TEST_PORT="$TEST_PORT" timeout -k 5 "$2" "$SCTPSHIM" "$1" \
        >"$tmp/prog.log" 2>&1 || { show "$tmp/prog.log"; fail "$1 failed"; }
    cat "$tmp/prog.log"
    capture_stop
    chunks "$tmp/cap.pcap" "$tmp/chunks.txt"
}

# netns_reap: what still runs in the namespace when the script ends (a
# receiver whose peer vanished, say) is killed before it is deleted.
netns_reap() {
    exit_hooks=("ip netns pids $ns | xargs -r kill -KILL" "${exit_hooks[@]}")
}

# ns_port_bound PORT: port_bound, inside the namespace.
ns_port_bound() { in_ns grep -q " @sctpshim/port/$1\$" /proc/net/unix; }
