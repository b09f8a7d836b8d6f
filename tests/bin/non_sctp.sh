#!/bin/bash
# non_sctp.sh: programs that use no SCTP behave identically with and without
# the shim, and the shim stays dormant in them (no thread, no socket, usrsctp
# not even loaded):
#   a. python3 http.server + curl: same bytes, same exit codes;
#   b. tar: byte-identical archives, same listing, same extracted tree;
#   c. ssh-keygen: key generated under the shim is valid, same fingerprints;
#   d. threads, file descriptors and mappings of a process under the shim.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7150}

NAME=non_sctp
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
sha() { sha256sum <"$1" | cut -d' ' -f1; }
# same DESC FILE1 FILE2: the two files must be byte-identical.
same() {
    if ! cmp -s "$2" "$3"; then
        diff -u "$2" "$3" >&2 || true
        fail "$1: outputs differ"
    fi
}

########################################################################
echo "== a. HTTP: python3 http.server + curl"
www=$tmp/www
mkdir "$www"
head -c 300000 /dev/urandom >"$www/payload.bin"
printf 'plain text file\n' >"$www/hello.txt"

# One server without the shim (TEST_PORT), one under it (TEST_PORT+1).
start_http() { # PORT LOG [LAUNCHER...]
    local port=$1 log=$2 pid i
    shift 2
    timeout -k 5 50 "$@" python3 -m http.server "$port" --bind 127.0.0.1 \
        --directory "$www" >"$log" 2>&1 &
    pid=$!
    bg_pids+=("$pid")
    for ((i = 0; i < 100; i++)); do
        [ -n "$(ss -ltnH "sport = :$port")" ] && return 0
        is_running "$pid" || { show "$log"; fail "http.server on $port died"; }
        sleep 0.1
    done
    show "$log"
    fail "http.server on $port not listening after 10 s"
}
start_http "$TEST_PORT" "$tmp/http-plain.log" env
start_http "$((TEST_PORT + 1))" "$tmp/http-shim.log" "$SCTPSHIM"
ok "http servers listening on $TEST_PORT (plain) and $((TEST_PORT + 1)) (under the shim)"

want=$(sha "$www/payload.bin")
for port in "$TEST_PORT" "$((TEST_PORT + 1))"; do
    for mode in plain shim; do
        launcher=env
        [ "$mode" = shim ] && launcher=$SCTPSHIM
        base=$tmp/curl-$port-$mode
        rc=0
        timeout -k 5 20 "$launcher" curl -s -o "$base.payload" -w '%{http_code}\n' \
            "http://127.0.0.1:$port/payload.bin" >"$base.code" || rc=$?
        echo "$rc" >"$base.rc"
        rc=0
        timeout -k 5 20 "$launcher" curl -s "http://127.0.0.1:$port/" >"$base.index" || rc=$?
        echo "$rc" >>"$base.rc"
        rc=0
        timeout -k 5 20 "$launcher" curl -s -f "http://127.0.0.1:$port/missing" \
            >"$base.missing" || rc=$?
        echo "$rc" >>"$base.rc"
    done
    p=$tmp/curl-$port-plain s=$tmp/curl-$port-shim
    printf '0\n0\n22\n' | cmp -s - "$p.rc" || fail "curl exit codes without the shim: $(echo $(cat "$p.rc")), expected 0 0 22"
    same "curl exit codes (server port $port)" "$p.rc" "$s.rc"
    echo 200 | cmp -s - "$p.code" || fail "HTTP status without the shim: $(cat "$p.code")"
    same "HTTP status (server port $port)" "$p.code" "$s.code"
    [ "$(sha "$p.payload")" = "$want" ] || fail "payload via port $port without the shim: wrong sha256"
    [ "$(sha "$s.payload")" = "$want" ] || fail "payload via port $port under the shim: wrong sha256"
    same "directory listing (server port $port)" "$p.index" "$s.index"
    grep -qF 'href="payload.bin"' "$s.index" || fail "directory listing lacks payload.bin"
    same "404 body (server port $port)" "$p.missing" "$s.missing"
    ok "port $port: curl with/without shim: exit codes 0 0 22, HTTP 200, payload sha256 $want, same listing"
done

########################################################################
echo "== b. tar"
src=$tmp/tree
mkdir -p "$src/sub/deeper"
head -c 70000 /dev/urandom >"$src/random.bin"
printf 'line 1\nline 2\n' >"$src/sub/text.txt"
: >"$src/sub/deeper/empty"
ln -s ../random.bin "$src/sub/link"
chmod 640 "$src/sub/text.txt"
timeout -k 5 20 tar --sort=name -cf "$tmp/plain.tar" -C "$src" .
timeout -k 5 20 "$SCTPSHIM" tar --sort=name -cf "$tmp/shim.tar" -C "$src" .
same "tar archives (byte for byte)" "$tmp/plain.tar" "$tmp/shim.tar"
timeout -k 5 20 tar -tvf "$tmp/plain.tar" >"$tmp/plain.list"
timeout -k 5 20 "$SCTPSHIM" tar -tvf "$tmp/shim.tar" >"$tmp/shim.list"
same "tar -tvf listings" "$tmp/plain.list" "$tmp/shim.list"
[ "$(wc -l <"$tmp/shim.list")" -eq 7 ] || { show "$tmp/shim.list"; fail "listing should have 7 entries"; }
grep -q '^lrwxrwxrwx .* \./sub/link -> \.\./random\.bin$' "$tmp/shim.list" \
    || { show "$tmp/shim.list"; fail "listing lacks the symlink"; }
mkdir "$tmp/x-plain" "$tmp/x-shim"
timeout -k 5 20 tar -xf "$tmp/plain.tar" -C "$tmp/x-plain"
timeout -k 5 20 "$SCTPSHIM" tar -xf "$tmp/shim.tar" -C "$tmp/x-shim"
diff -r --no-dereference "$src" "$tmp/x-shim" >&2 || fail "tree extracted under the shim differs from the source"
diff -r --no-dereference "$tmp/x-plain" "$tmp/x-shim" >&2 || fail "extracted trees differ"
[ "$(stat -c %a "$tmp/x-shim/sub/text.txt")" = 640 ] || fail "mode not preserved under the shim"
ok "tar: identical archives ($(sha "$tmp/shim.tar")), identical 7-entry listings, identical extracted trees"

########################################################################
echo "== c. ssh-keygen"
rc=0
timeout -k 5 20 "$SCTPSHIM" ssh-keygen -q -t ed25519 -N '' -C sctpshim-test \
    -f "$tmp/key" </dev/null >"$tmp/keygen.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/keygen.out"; fail "ssh-keygen under the shim exited with $rc"; }
timeout -k 5 20 ssh-keygen -l -f "$tmp/key.pub" >"$tmp/fp-plain"
timeout -k 5 20 "$SCTPSHIM" ssh-keygen -l -f "$tmp/key.pub" >"$tmp/fp-shim"
same "ssh-keygen -l fingerprints" "$tmp/fp-plain" "$tmp/fp-shim"
grep -qxE '256 SHA256:[A-Za-z0-9+/]{43} sctpshim-test \(ED25519\)' "$tmp/fp-shim" \
    || { show "$tmp/fp-shim"; fail "unexpected fingerprint line"; }
# The private key made under the shim must yield the same public key.
timeout -k 5 20 ssh-keygen -y -f "$tmp/key" | cut -d' ' -f1,2 >"$tmp/derived"
cut -d' ' -f1,2 "$tmp/key.pub" >"$tmp/pub"
same "public key derived from the private key" "$tmp/pub" "$tmp/derived"
ok "ssh-keygen: key made under the shim is consistent; fingerprint $(cut -d' ' -f2 "$tmp/fp-shim") same with and without the shim"

########################################################################
echo "== d. dormant shim: threads, fds, mappings"
cat >"$tmp/probe.py" <<'PY'
import os, socket, sys
if sys.argv[2] == "sctp":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)
threads = len(os.listdir("/proc/self/task"))
fds = []
for f in os.listdir("/proc/self/fd"):
    try:
        fds.append(f + " -> " + os.readlink("/proc/self/fd/" + f))
    except OSError:
        pass  # the descriptor listdir itself used, already closed
with open("/proc/self/maps") as m:
    maps = m.read()
res = ["threads %d" % threads] + sorted(fds) + [
    "libsctpshim mapped: %s" % ("libsctpshim" in maps),
    "usrsctp mapped: %s" % ("usrsctp" in maps)]
with open(sys.argv[1], "w") as out:  # opened after the measurement
    out.write("\n".join(res) + "\n")
PY
timeout -k 5 20 python3 "$tmp/probe.py" "$tmp/probe-plain" none </dev/null >/dev/null
timeout -k 5 20 "$SCTPSHIM" python3 "$tmp/probe.py" "$tmp/probe-shim" none </dev/null >/dev/null
grep -qx 'libsctpshim mapped: False' "$tmp/probe-plain" || fail "shim mapped without the launcher?"
grep -qx 'libsctpshim mapped: True' "$tmp/probe-shim" || fail "shim not loaded by the launcher"
grep -v '^libsctpshim mapped' "$tmp/probe-plain" >"$tmp/probe-plain.cmp"
grep -v '^libsctpshim mapped' "$tmp/probe-shim" >"$tmp/probe-shim.cmp"
same "threads/fds/usrsctp of a non-SCTP python3" "$tmp/probe-plain.cmp" "$tmp/probe-shim.cmp"
grep -qx 'usrsctp mapped: False' "$tmp/probe-shim" || fail "usrsctp loaded in a process without SCTP sockets"
ok "python3 under the shim: $(head -n1 "$tmp/probe-shim"), same fds as without it, usrsctp not loaded"

# Positive control: the same probe does see the stack once an SCTP socket
# exists (so the comparison above can fail).
timeout -k 5 20 "$SCTPSHIM" python3 "$tmp/probe.py" "$tmp/probe-sctp" sctp </dev/null >/dev/null
t_plain=$(sed -n 's/^threads //p' "$tmp/probe-plain")
t_sctp=$(sed -n 's/^threads //p' "$tmp/probe-sctp")
[ "$t_sctp" -gt "$t_plain" ] || fail "control: no extra thread with an SCTP socket ($t_sctp vs $t_plain)"
grep -q ' -> socket:\[' "$tmp/probe-sctp" || fail "control: no socket fd with an SCTP socket"
grep -qx 'usrsctp mapped: True' "$tmp/probe-sctp" || fail "control: usrsctp not mapped with an SCTP socket"
ok "control: with one SCTP socket the probe sees $t_sctp threads, sockets and usrsctp"

timeout -k 5 20 sh -c 'ls /proc/$$/task | wc -l; ls /proc/$$/fd' </dev/null >"$tmp/sh-plain"
timeout -k 5 20 "$SCTPSHIM" sh -c 'ls /proc/$$/task | wc -l; ls /proc/$$/fd' </dev/null >"$tmp/sh-shim"
same "sh: thread count and fd numbers" "$tmp/sh-plain" "$tmp/sh-shim"
ok "sh under the shim: $(head -n1 "$tmp/sh-shim") thread, same fds"

timeout -k 5 20 "$SCTPSHIM" cat /proc/self/maps >"$tmp/maps-shim"
timeout -k 5 20 cat /proc/self/maps >"$tmp/maps-plain"
grep -q 'libsctpshim' "$tmp/maps-shim" || fail "cat under the shim: libsctpshim not mapped"
if grep -q 'usrsctp' "$tmp/maps-shim"; then fail "cat under the shim: usrsctp mapped"; fi
if grep -q 'libsctpshim' "$tmp/maps-plain"; then fail "cat without the shim: libsctpshim mapped"; fi
ok "cat /proc/self/maps under the shim: libsctpshim mapped, usrsctp not"

echo "PASS: non_sctp.sh"
