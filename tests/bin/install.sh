#!/bin/bash
# install.sh BUILD_DIR: `meson install` (into a DESTDIR) puts in place the library,
# the launcher, the header, sctpshim.pc and both manual pages; a program
# built only with `pkg-config --cflags --libs sctpshim` calls sctp_sendx
# and sctp_sendmsgx through the installed library; the installed launcher
# runs an unmodified program with the installed library.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25500}
build=${1:?usage: install.sh BUILD_DIR}
# Only the installed tree counts (meson test points this at the build tree).
unset LD_LIBRARY_PATH

NAME=install
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

dest=$tmp/dest
meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/install.log" 2>&1 ||
    { show "$tmp/install.log"; fail "meson install"; }
prefix=$(meson introspect "$build" --buildoptions |
    python3 -c 'import json,sys; print({o["name"]: o["value"] for o in json.load(sys.stdin)}["prefix"])')
libdir=$(meson introspect "$build" --buildoptions |
    python3 -c 'import json,sys; print({o["name"]: o["value"] for o in json.load(sys.stdin)}["libdir"])')
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
root=$dest$prefix
for f in "$dest$libdir/libsctpshim.so" "$root/bin/sctpshim" "$root/include/sctpshim.h" \
         "$dest$libdir/pkgconfig/sctpshim.pc" "$root/share/man/man1/sctpshim.1" \
         "$root/share/man/man7/sctpshim.7"; do
    [ -f "$f" ] || { find "$dest" -type f >&2; fail "meson install did not install ${f#"$dest"}"; }
done
[ -x "$root/bin/sctpshim" ] || fail "the launcher is not executable"
ok "meson install: library, launcher, header, sctpshim.pc, sctpshim(1), sctpshim(7)"

# The man pages installed are the rendered, configured ones.
grep -q "$libdir/libsctpshim.so" "$root/share/man/man1/sctpshim.1" ||
    fail "sctpshim(1) does not name the installed library $libdir/libsctpshim.so"
man -l "$root/share/man/man7/sctpshim.7" 2>/dev/null | grep -q 'DIFFERENCES FROM A KERNEL' ||
    fail "sctpshim(7) does not render"
ok "installed man pages render, sctpshim(1) names $libdir/libsctpshim.so"

# pkg-config, as a user of the installed tree would call it.
export PKG_CONFIG_PATH=$dest$libdir/pkgconfig
flags=$(pkg-config --define-variable=prefix="$root" --cflags --libs sctpshim) || fail "pkg-config --cflags --libs sctpshim"
case $flags in *"-I$root/include"*"-lsctpshim"* | *"-lsctpshim"*"-I$root/include"*) ;;
    *) fail "pkg-config gives '$flags'" ;; esac
[ "$(pkg-config --modversion sctpshim)" = "$(sed -n 's/^#define SCTPSHIM_VERSION "\(.*\)"/\1/p' "$root/include/sctpshim.h")" ] ||
    fail "sctpshim.pc and sctpshim.h disagree on the version"
# shellcheck disable=SC2086
cc -o "$tmp/sendx_user" "$(dirname -- "${BASH_SOURCE[0]}")/sendx_user.c" $flags -lsctp ||
    fail "a program using sctp_sendx does not build with pkg-config's flags ($flags)"
ok "pkg-config: $flags"

# Sanitizer runtimes, when the library was built with them, must come first.
pre=${SCTPSHIM_PRELOAD_FIRST:-}
LD_LIBRARY_PATH=$dest$libdir LD_PRELOAD=$pre timeout -k 5 30 "$tmp/sendx_user" "$TEST_PORT" \
    >"$tmp/user.log" 2>&1 || { show "$tmp/user.log"; fail "sendx_user against the installed library"; }
grep -q "^sendx_user: sctp_sendx and sctp_sendmsgx delivered" "$tmp/user.log" || { show "$tmp/user.log"; fail "sendx_user"; }
ok "sctp_sendx and sctp_sendmsgx through the installed library: $(cat "$tmp/user.log")"

# The installed launcher finds its library where it was installed to:
# here under DESTDIR, so it is named; checksctp's answer proves it loaded.
out=$(SCTPSHIM_LIB=$dest$libdir/libsctpshim.so timeout -k 5 30 "$root/bin/sctpshim" checksctp 2>&1) ||
    fail "installed launcher: checksctp: $out"
[ "$out" = "SCTP supported" ] || fail "installed launcher: checksctp said '$out'"
grep -q "^        SCTPSHIM_LIB=\"$libdir/libsctpshim.so\"" "$root/bin/sctpshim" ||
    fail "the installed launcher does not default to $libdir/libsctpshim.so"
ok "installed launcher: checksctp says '$out'"
echo "PASS: install.sh"
