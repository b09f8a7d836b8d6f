#!/bin/bash
# deb.sh SOURCE_DIR: the Debian package.  `dpkg-buildpackage -us -uc -b`
# on a copy of the source builds sctpshim_<version>_<arch>.deb, which
# depends on libusrsctp2 and libsctp1 and has no lintian error; installed
# with apt-get, it runs unmodified programs from the installed paths only
# (/usr/bin/sctpshim, with a clean environment), builds a program with
# its pkg-config file, and shows its manual pages; then it is removed.
# Needs root (CI is root on a clean Debian 12); it does not touch an
# sctpshim package it did not install itself.
set -euo pipefail

src=${1:?usage: deb.sh SOURCE_DIR}
TEST_PORT=${TEST_PORT:-25510}

NAME=deb
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: installing a package needs root"; exit 77; }
marker=/var/lib/sctpshim-deb-test.installed
if dpkg-query -W -f='${Status}' sctpshim 2>/dev/null | grep -q ' installed$' && [ ! -e "$marker" ]; then
    echo "SKIP: an sctpshim package this test did not install is installed; left alone"
    exit 77
fi
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"; }
remove_pkg() {
    if dpkg-query -W -f='${Status}' sctpshim 2>/dev/null | grep -q ' installed$'; then
        apt_get remove sctpshim >"$tmp/remove.log" 2>&1 || { show "$tmp/remove.log"; return 1; }
    fi
    rm -f "$marker"
}
exit_hooks+=("remove_pkg")
remove_pkg || fail "could not remove a package left by an earlier run"

# A copy of the source: the build writes debian/ files and the .deb next
# to the tree.  Only the sources, none of the build trees.
mkdir "$tmp/src"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -co --exclude-standard -z | tar --null -cf - -T -) | tar -xf - -C "$tmp/src"
else
    tar -C "$src" --exclude='./build*' --exclude='./obj-*' -cf - . | tar -xf - -C "$tmp/src"
fi
version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$src/meson.build")
[ -n "$version" ] || fail "no version in meson.build"
changelog=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
[ "$changelog" = "$version" ] || fail "debian/changelog says $changelog, meson.build $version"
arch=$(dpkg --print-architecture)
deb=$tmp/sctpshim_${version}_$arch.deb

(cd "$tmp/src" && timeout -k 10 900 dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 ||
    { tail -n 60 "$tmp/build.log" >&2; fail "dpkg-buildpackage -us -uc -b"; }
[ -f "$deb" ] || { ls -l "$tmp" >&2; fail "no $(basename "$deb")"; }
ok "dpkg-buildpackage -us -uc -b built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

depends=$(dpkg-deb -f "$deb" Depends)
for d in libusrsctp2 libsctp1; do
    grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends lacks $d: $depends"
done
ok "Depends: $depends"
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/sctpshim "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libsctpshim.so" \
         ./usr/include/sctpshim.h ./usr/share/man/man1/sctpshim.1.gz ./usr/share/man/man7/sctpshim.7.gz \
         "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pkgconfig/sctpshim.pc"; do
    grep -q " $f\$" "$tmp/contents" || { show "$tmp/contents"; fail "the package lacks $f"; }
done
ok "the package holds the launcher, the library, the header, sctpshim.pc and both man pages"

lintian --fail-on error "$deb" >"$tmp/lintian.log" 2>&1 || { show "$tmp/lintian.log"; fail "lintian reports errors"; }
ok "lintian: no error ($(grep -c '^[EW]:' "$tmp/lintian.log" || true) errors and warnings)"

touch "$marker"
apt_get install --no-install-recommends "$deb" >"$tmp/install.log" 2>&1 ||
    { show "$tmp/install.log"; fail "apt-get install $(basename "$deb")"; }
[ -x /usr/bin/sctpshim ] || fail "installed, but no /usr/bin/sctpshim"
ok "apt-get install: sctpshim $(dpkg-query -W -f='${Version}' sctpshim) installed"

# From the installed paths only: a clean environment, no build tree.
inst() { env -i PATH=/usr/bin:/bin HOME="$tmp" LANG=C timeout -k 5 60 "$@"; }
out=$(inst /usr/bin/sctpshim checksctp 2>&1) || fail "sctpshim checksctp: $out"
[ "$out" = "SCTP supported" ] || fail "sctpshim checksctp said '$out'"
libdir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
maps=$(inst /usr/bin/sctpshim sh -c 'cat /proc/$$/maps')
grep -q " $libdir/libsctpshim.so\$" <<<"$maps" || fail "the installed launcher did not preload $libdir/libsctpshim.so"
ok "/usr/bin/sctpshim checksctp: $out, with $libdir/libsctpshim.so"

head -c 300000 /dev/urandom >"$tmp/data"
inst /usr/bin/sctpshim socat -u "SCTP-LISTEN:$TEST_PORT,reuseaddr" "OPEN:$tmp/got,creat,trunc" \
    >"$tmp/srv.log" 2>&1 &
srv=$!
bg_pids+=("$srv")
wait_until 20 "$srv" "$tmp/srv.log" "socat to listen on $TEST_PORT" port_bound "$TEST_PORT"
inst /usr/bin/sctpshim socat -u "FILE:$tmp/data" "SCTP:127.0.0.1:$TEST_PORT" >"$tmp/cli.log" 2>&1 ||
    { show "$tmp/cli.log"; fail "the sending socat failed"; }
wait_exit "$srv" 30 || fail "the receiving socat did not finish"
[ "$exit_rc" -eq 0 ] || { show "$tmp/srv.log"; fail "the receiving socat exited with $exit_rc"; }
same_file "two unmodified socat under /usr/bin/sctpshim" "$tmp/data" "$tmp/got" 300000

flags=$(inst pkg-config --cflags --libs sctpshim) || fail "pkg-config --cflags --libs sctpshim"
# shellcheck disable=SC2086
inst cc -o "$tmp/sendx_user" "$(dirname -- "${BASH_SOURCE[0]}")/sendx_user.c" $flags -lsctp ||
    fail "a program using sctp_sendx does not build with the installed sctpshim.pc ($flags)"
out=$(inst "$tmp/sendx_user" $((TEST_PORT + 1)) 2>&1) || fail "sendx_user: $out"
ok "built with the installed sctpshim.pc ($flags): $out"

[ "$(inst man -w sctpshim)" = /usr/share/man/man1/sctpshim.1.gz ] || fail "man -w sctpshim: $(inst man -w sctpshim)"
inst man 7 sctpshim 2>/dev/null | grep -q 'DIFFERENCES FROM A KERNEL' || fail "man 7 sctpshim"
ok "man sctpshim and man 7 sctpshim render from /usr/share/man"

remove_pkg || fail "apt-get remove sctpshim"
[ ! -e /usr/bin/sctpshim ] && [ ! -e "$libdir/libsctpshim.so" ] || fail "files left after removal"
ok "apt-get remove: /usr/bin/sctpshim and the library are gone"
echo "PASS: deb.sh"
