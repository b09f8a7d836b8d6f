#!/bin/bash
# exit_wait.sh SENDER CASE: a program that leaves with data queued loses
# nothing, as on a kernel, which keeps the association after the process.
# In a private network namespace, where iptables drops packets:
#   down  Every way of leaving (exit, return from main, exit from another
#         thread, SIGTERM and SIGINT at their default action, the
#         program's own SIGTERM handler, a one-to-many socket), while the
#         path is down (every UDP packet dropped): each still waits when
#         the path comes back 7 s later, dies with the status a kernel
#         gives, and its data arrives.  SENDER is tests/net/life_sender.c
#         under the shim; socat receives.  Then the bounds: an
#         association that fails ends the wait, SCTPSHIM_LINGER_MS bounds
#         it.
#   loss  socat sends a file and exits at once, over a path that drops
#         10% of the packets each way (iptables statistic), to a receiver
#         that starts reading 7 s later: socat exits with status 0 after
#         the receiver has read everything.
# 7 s is longer than the 5 s the shim used to wait before aborting.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-26100}
sender=$1
case_=$2
DOWN_S=7
LOSS=0.1

NAME=exit_$case_
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
netns_reap
# down: 128 KiB fits a sender's queue with the path down.  loss: with the
# receiver stalled, its window (128 KiB) and pipe take part of 256 KiB
# and the sender's queue the rest, so socat's writes all return and it
# exits with data the peer cannot take yet.
if [ "$case_" = down ]; then bytes=131072; else bytes=262144; fi
head -c "$bytes" /dev/urandom >"$tmp/data"
size=$(stat -c %s "$tmp/data")
declare -A rpid spid go

# start_receiver I PORT: socat writes what arrives on PORT to $tmp/recv.I.
start_receiver() {
    in_ns timeout -k 5 90 "$SCTPSHIM" socat -u \
        "SCTP-LISTEN:$2,bind=127.0.0.1,reuseaddr" "OPEN:$tmp/recv.$1,creat,trunc" \
        </dev/null >/dev/null 2>"$tmp/recv.$1.err" &
    rpid[$1]=$!
    bg_pids+=("${rpid[$1]}")
}

# start_sender I MODE PORT [ENV...]: life_sender under the shim; it waits
# for a byte on its FIFO before writing.  A shell in the namespace keeps
# its exit status (128 + N when killed by signal N) in $tmp/status.I.
# (No timeout(1) around it: that passes signals on to the whole group and
# kills 5 s later; the waits below are bounded.)
start_sender() {
    local i=$1 mode=$2 port=$3
    shift 3
    mkfifo "$tmp/go.$i"
    exec {fd}<>"$tmp/go.$i"
    go[$i]=$fd
    in_ns env STATUS="$tmp/status.$i" sh -c '"$@"; echo $? >"$STATUS"' sh env "$@" \
        "$SCTPSHIM" "$sender" "$mode" 127.0.0.1 "$port" "$tmp/data" \
        <"$tmp/go.$i" >"$tmp/send.$i" 2>"$tmp/send.$i.err" &
    spid[$i]=$!
    bg_pids+=("${spid[$i]}")
}

says() { grep -q "^$2" "$tmp/send.$1"; }
# sender_done I SECS: the sender's shell is gone within SECS; sets status.
sender_done() {
    wait_exit "${spid[$1]}" "$2" || return 1
    status=$(cat "$tmp/status.$1" 2>/dev/null || echo none)
}
path_down() { in_ns iptables -I INPUT -p udp -j DROP; }
path_up() { in_ns iptables -D INPUT -p udp -j DROP; }

case_down() {
    modes=(exit return thread signal signal handler many)
    sigs=(- - - TERM INT TERM -)
    want=(0 0 0 143 130 3 0)

    n=${#modes[@]}
    for ((i = 0; i < n; i++)); do start_receiver "$i" $((TEST_PORT + i)); done
    for ((i = 0; i < n; i++)); do
        wait_until 10 "${rpid[$i]}" "$tmp/recv.$i.err" "receiver $i" ns_port_bound $((TEST_PORT + i))
    done
    for ((i = 0; i < n; i++)); do start_sender "$i" "${modes[$i]}" $((TEST_PORT + i)); done
    for ((i = 0; i < n; i++)); do
        wait_until 10 "${spid[$i]}" "$tmp/send.$i.err" "sender ${modes[$i]} to connect" says "$i" connected
    done

    echo "every sender connected: the path goes down for ${DOWN_S} s"
    path_down
    t_down=$SECONDS
    for ((i = 0; i < n; i++)); do echo g >&"${go[$i]}"; done
    for ((i = 0; i < n; i++)); do
        wait_until 10 "${spid[$i]}" "$tmp/send.$i.err" "sender ${modes[$i]} to queue its data" says "$i" queued
    done
    for ((i = 0; i < n; i++)); do
        [ "${sigs[$i]}" = - ] || kill -"${sigs[$i]}" "$(sed -n 's/^connected //p' "$tmp/send.$i")"
    done
    while ((SECONDS - t_down < DOWN_S)); do sleep 0.2; done
    for ((i = 0; i < n; i++)); do
        is_running "${spid[$i]}" || { show "$tmp/send.$i.err"; fail "sender ${modes[$i]}${sigs[$i]/-/} gone while its data could not leave"; }
    done
    ok "every sender still waits after ${DOWN_S} s with the path down"
    path_up

    for ((i = 0; i < n; i++)); do
        label="${modes[$i]}${sigs[$i]/-/}"
        sender_done "$i" 60 || { show "$tmp/send.$i.err"; fail "sender $label still running 60 s after the path came back"; }
        [ "$status" = "${want[$i]}" ] || { show "$tmp/send.$i.err"; fail "sender $label: status $status, expected ${want[$i]}"; }
        st=$status
        wait_exit "${rpid[$i]}" 30 || { show "$tmp/recv.$i.err"; fail "receiver of $label: no end of file"; }
        [ "$exit_rc" -eq 0 ] || { show "$tmp/recv.$i.err"; fail "receiver of $label: status $exit_rc"; }
        same_file "sender $label (status $st)" "$tmp/data" "$tmp/recv.$i" "$size"
    done
    echo "delivered $((SECONDS - t_down)) s after the path went down"

    # The bounds.  The association fails (2 retransmissions of at most 0.4 s)
    # while the path is down: the exit ends with it.  SCTPSHIM_LINGER_MS=1000:
    # the exit gives up after a second.
    i=$n
    start_receiver "$i" $((TEST_PORT + i))
    start_receiver $((i + 1)) $((TEST_PORT + i + 1))
    wait_until 10 "${rpid[$i]}" "$tmp/recv.$i.err" "receiver" ns_port_bound $((TEST_PORT + i))
    wait_until 10 "${rpid[$((i + 1))]}" "$tmp/recv.$((i + 1)).err" "receiver" ns_port_bound $((TEST_PORT + i + 1))
    start_sender "$i" fail $((TEST_PORT + i))
    start_sender $((i + 1)) exit $((TEST_PORT + i + 1)) SCTPSHIM_LINGER_MS=1000
    for j in "$i" $((i + 1)); do
        wait_until 10 "${spid[$j]}" "$tmp/send.$j.err" "sender $j to connect" says "$j" connected
    done
    path_down
    t_down=$SECONDS
    echo g >&"${go[$i]}"
    echo g >&"${go[$((i + 1))]}"
    for j in "$i" $((i + 1)); do
        sender_done "$j" 30 || { show "$tmp/send.$j.err"; fail "sender $j still waits 30 s after the path went down"; }
        [ "$status" = 0 ] || { show "$tmp/send.$j.err"; fail "sender $j: status $status"; }
    done
    ok "a failed association and SCTPSHIM_LINGER_MS=1000 end the wait ($((SECONDS - t_down)) s)"
    path_up
}

case_loss() {
    P=$TEST_PORT

    # The receiver's reader sleeps first: socat fills the pipe, then stops
    # reading, and the association's window closes.
    in_ns env SCTPSHIM="$SCTPSHIM" P="$P" OUT="$tmp/out" DOWN_S="$DOWN_S" sh -c '
        timeout -k 5 120 "$SCTPSHIM" socat -u "SCTP-LISTEN:$P,bind=127.0.0.1,reuseaddr" STDOUT |
            { sleep "$DOWN_S"; date +%s%N >"$OUT.reading"; cat >"$OUT"; }' </dev/null >/dev/null 2>"$tmp/recv.err" &
    rcv=$!
    bg_pids+=("$rcv")
    wait_until 10 "$rcv" "$tmp/recv.err" "receiver" ns_port_bound "$P"

    in_ns iptables -A INPUT -p udp -m statistic --mode random --probability "$LOSS" -j DROP
    echo "${LOSS} loss each way; the receiver reads after ${DOWN_S} s"
    t0=$SECONDS
    in_ns env STATUS="$tmp/status" sh -c '"$@"; echo $? >"$STATUS"' sh \
        "$SCTPSHIM" socat -u "OPEN:$tmp/data" "SCTP-CONNECT:127.0.0.1:$P" \
        </dev/null >/dev/null 2>"$tmp/send.err" &
    snd=$!
    bg_pids+=("$snd")
    wait_exit "$snd" 180 || { show "$tmp/send.err"; fail "sender still running after 180 s"; }
    exited_ns=$(date +%s%N)
    took=$((SECONDS - t0))
    [ "$(cat "$tmp/status" 2>/dev/null)" = 0 ] || { show "$tmp/send.err"; fail "sender: status $(cat "$tmp/status" 2>/dev/null || echo none)"; }
    ok "sender exited with status 0 after $took s"
    wait_exit "$rcv" 30 || { show "$tmp/recv.err"; fail "receiver: no end of file 30 s after the sender exited"; }
    [ "$exit_rc" -eq 0 ] || { show "$tmp/recv.err"; fail "receiver: status $exit_rc"; }
    same_file "delivered after the sender's exit, under ${LOSS} loss" "$tmp/data" "$tmp/out" "$size"
    # (The reader's sleep began when the receiver started, before the
    # sender did.)
    reading_ns=$(cat "$tmp/out.reading")
    [ "$exited_ns" -ge "$reading_ns" ] ||
        fail "the sender exited $(((reading_ns - exited_ns) / 1000000)) ms before the receiver began to read"
}

case_"$case_"
echo "PASS: exit_wait.sh $case_"
