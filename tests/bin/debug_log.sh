#!/bin/bash
# debug_log.sh: SCTP sockets made by an unmodified python3 under the shim
# report SO_PROTOCOL 132 and the right SO_TYPE; unsupported calls fail with
# the proper errno (setsockopt SO_BINDTODEVICE: ENOPROTOOPT, ioctl TIOCGWINSZ:
# ENOTTY) and, with SCTPSHIM_DEBUG=1, log exactly one "not supported" line per
# call on stderr; without SCTPSHIM_DEBUG stderr stays empty.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7160}   # unused: no socket is bound

NAME=debug_log
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

cat >"$tmp/probe.py" <<'PY'
import errno, fcntl, os, socket, sys, termios

mode, n = sys.argv[1], int(sys.argv[2])
print("pid", os.getpid())
if mode == "plain":  # no shim: the kernel has no SCTP
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)
        print("socket created")
    except OSError as e:
        print("socket errno", e.errno)
    sys.exit(0)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)
print("fd", s.fileno())
if mode == "info":
    print("stream SO_PROTOCOL", s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
    print("stream SO_TYPE", s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
    print("stream SO_DOMAIN", s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN))
    q = socket.socket(socket.AF_INET, socket.SOCK_SEQPACKET, 132)
    print("seqpacket SO_PROTOCOL", q.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
    print("seqpacket SO_TYPE", q.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
for i in range(n):
    try:
        if mode == "setsockopt":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
        elif mode == "ioctl":
            fcntl.ioctl(s.fileno(), termios.TIOCGWINSZ, bytes(8))
        print(mode, "succeeded")
    except OSError as e:
        print(mode, "errno", e.errno, errno.errorcode.get(e.errno))
PY

# run NAME DEBUG(0|1) LAUNCHER MODE N: runs the probe; NAME.out / NAME.err.
run() {
    local name=$1 dbg=$2 launcher=$3 rc=0
    shift 3
    if [ "$dbg" = 1 ]; then
        timeout -k 5 20 env SCTPSHIM_DEBUG=1 "$launcher" python3 "$tmp/probe.py" "$@" \
            </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
    else
        timeout -k 5 20 env -u SCTPSHIM_DEBUG "$launcher" python3 "$tmp/probe.py" "$@" \
            </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
    fi
    [ "$rc" -eq 0 ] || { show "$tmp/$name.out"; show "$tmp/$name.err"; fail "$name: python3 exited with $rc"; }
    pid=$(sed -n 's/^pid //p' "$tmp/$name.out")
    fd=$(sed -n 's/^fd //p' "$tmp/$name.out")
}
# expect_out NAME LINES...: the probe's stdout, minus pid/fd, must be LINES.
expect_out() {
    local name=$1
    shift
    printf '%s\n' "$@" >"$tmp/$name.want"
    grep -v '^pid \|^fd ' "$tmp/$name.out" >"$tmp/$name.got" || true
    if ! cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
        diff -u "$tmp/$name.want" "$tmp/$name.got" >&2 || true
        fail "$name: unexpected output"
    fi
}
expect_empty_stderr() {
    [ ! -s "$tmp/$1.err" ] || { show "$tmp/$1.err"; fail "$1: stderr not empty without SCTPSHIM_DEBUG"; }
}
# expect_log NAME N LINE: with SCTPSHIM_DEBUG=1, stderr must hold exactly N
# "not supported" lines, each exactly LINE, and only lines from the shim.
expect_log() {
    local name=$1 n=$2 line=$3 got
    got=$(grep -c 'not supported' "$tmp/$name.err" || true)
    [ "$got" -eq "$n" ] || { show "$tmp/$name.err"; fail "$name: $got 'not supported' lines, expected $n"; }
    if [ "$n" -gt 0 ]; then
        got=$(grep -cxF "$line" "$tmp/$name.err" || true)
        [ "$got" -eq "$n" ] || { show "$tmp/$name.err"; fail "$name: expected $n lines '$line'"; }
    fi
    if [ -n "$(grep -v "^sctpshim\[$pid\]: " "$tmp/$name.err" || true)" ]; then
        show "$tmp/$name.err"; fail "$name: stderr has lines not from the shim"
    fi
}

echo "check: without the shim, python3 cannot create an SCTP socket"
run plain 0 env plain 0
expect_out plain "socket errno 93"
ok "plain python3: socket(AF_INET, SOCK_STREAM, 132) fails with EPROTONOSUPPORT (93)"

echo "check: SO_PROTOCOL / SO_TYPE / SO_DOMAIN of SCTP sockets under the shim"
for dbg in 0 1; do
    run "info$dbg" "$dbg" "$SCTPSHIM" info 0
    expect_out "info$dbg" "stream SO_PROTOCOL 132" "stream SO_TYPE 1" "stream SO_DOMAIN 2" \
        "seqpacket SO_PROTOCOL 132" "seqpacket SO_TYPE 5"
done
expect_empty_stderr info0
expect_log info1 0 ""
ok "SOCK_STREAM: SO_PROTOCOL 132, SO_TYPE 1, SO_DOMAIN 2; SOCK_SEQPACKET: 132, 5; supported calls log nothing"

for n in 1 2; do
    echo "check: $n x setsockopt(SOL_SOCKET, SO_BINDTODEVICE)"
    want=()
    for ((i = 0; i < n; i++)); do want+=("setsockopt errno 92 ENOPROTOOPT"); done
    run "sso0-$n" 0 "$SCTPSHIM" setsockopt "$n"
    expect_out "sso0-$n" "${want[@]}"
    expect_empty_stderr "sso0-$n"
    run "sso1-$n" 1 "$SCTPSHIM" setsockopt "$n"
    expect_out "sso1-$n" "${want[@]}"
    expect_log "sso1-$n" "$n" "sctpshim[$pid]: setsockopt: option 1/25 not supported"
    ok "setsockopt SO_BINDTODEVICE x$n: errno 92 (ENOPROTOOPT); $n log line(s) with SCTPSHIM_DEBUG=1, none without"

    echo "check: $n x ioctl(TIOCGWINSZ)"
    want=()
    for ((i = 0; i < n; i++)); do want+=("ioctl errno 25 ENOTTY"); done
    run "ioc0-$n" 0 "$SCTPSHIM" ioctl "$n"
    expect_out "ioc0-$n" "${want[@]}"
    expect_empty_stderr "ioc0-$n"
    run "ioc1-$n" 1 "$SCTPSHIM" ioctl "$n"
    expect_out "ioc1-$n" "${want[@]}"
    expect_log "ioc1-$n" "$n" "sctpshim[$pid]: ioctl($fd, 0x5413): not supported on SCTP sockets"
    ok "ioctl TIOCGWINSZ x$n: errno 25 (ENOTTY); $n log line(s) with SCTPSHIM_DEBUG=1, none without"
done
echo "sample log line: $(grep 'not supported' "$tmp/ioc1-1.err")"

echo "PASS: debug_log.sh"
