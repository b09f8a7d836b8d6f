#!/usr/bin/env python3
"""The shim's architecture rule, checked (README, "How it works").

    hook -> remote -> linux -> core -> usrsctp, and base under all of them

A file may include headers of its own layer and of the layers below it,
never above; from outside usrsctp/ only its boundary headers (stack.h,
gate.h).  The two SCTP ABIs never meet: <usrsctp.h> is seen only under
usrsctp/, the Linux SCTP headers only under linux/ and hook/, and no
translation unit sees both.  Modules (a header and the .c files that
implement it) include each other without a cycle.

With --objects DIR (the shared library's object files), the same rule
is checked on the calls themselves: no object calls a function defined
in a higher layer, or one of the libc names the hook layer intercepts
(the shim's own I/O goes through base/real.h), and files call each
other without a cycle.

Usage: layers.py SHIM_DIR [--objects DIR] | layers.py --self-test
Exits 0 when every rule holds, 1 with one line per violation otherwise.
"""
import os
import re
import subprocess
import sys

LAYERS = ["base", "usrsctp", "core", "linux", "remote", "hook"]  # bottom to top
RANK = {name: i for i, name in enumerate(LAYERS)}
BOUNDARY = {"usrsctp/stack.h", "usrsctp/gate.h"}
LINUX_ABI = {"netinet/sctp.h", "linux/sctp.h"}
LINUX_ABI_LAYERS = {"linux", "hook"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def read_includes(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # commented-out lines
    return [(kind == "<", name) for kind, name in INCLUDE.findall(text)]


def layer_of(rel):
    return rel.split("/", 1)[0] if "/" in rel else None


def scan(shim):
    files = {}
    for layer in sorted(os.listdir(shim)):
        d = os.path.join(shim, layer)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                rel = layer + "/" + name
                files[rel] = read_includes(os.path.join(d, name))
    return files


def module_of(rel):
    """A module is x.h with x.c beside it; a .c file without a header of
    its own name (send_api.c, which implements part of send.h) stands
    alone, so that a header shared by several files (stack.h) is not made
    one knot with everything they use."""
    return rel[:-2]


def find_cycles(edges):
    """Strongly connected components with more than one member."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check_includes(shim):
    bad = []
    files = scan(shim)
    for rel, incs in files.items():
        layer = layer_of(rel)
        if layer not in RANK:
            bad.append(f"{rel}: folder {layer}/ is not a layer ({', '.join(LAYERS)})")
            continue
        for system, name in incs:
            if system:
                if name == "usrsctp.h" and layer != "usrsctp":
                    bad.append(f"{rel}: includes <usrsctp.h> outside usrsctp/")
                if name in LINUX_ABI and layer not in LINUX_ABI_LAYERS:
                    bad.append(f"{rel}: includes <{name}> outside linux/ and hook/")
                continue
            target = layer_of(name)
            if target is None:
                if not os.path.exists(os.path.join(shim, "..", "include", name)):
                    bad.append(f'{rel}: includes "{name}" without its layer folder')
                continue  # the public header in include/ (sctpshim.h)
            if name not in files:
                bad.append(f'{rel}: includes "{name}", which is not in shim/')
            elif RANK[target] > RANK[layer]:
                bad.append(f'{rel}: includes "{name}" from the {target} layer, above {layer}')
            elif target == "usrsctp" and layer != "usrsctp" and name not in BOUNDARY:
                bad.append(f'{rel}: includes "{name}", private to usrsctp/ '
                           f"(use {' or '.join(sorted(BOUNDARY))})")

    # What each translation unit sees, headers included through headers.
    def closure(rel, seen):
        for system, name in files.get(rel, ()):
            key = ("<%s>" if system else "%s") % name
            if key not in seen:
                seen.add(key)
                if not system:
                    closure(name, seen)
        return seen

    for rel in files:
        if rel.endswith(".c"):
            seen = closure(rel, set())
            if "<usrsctp.h>" in seen and seen & {f"<{h}>" for h in LINUX_ABI}:
                bad.append(f"{rel}: sees both <usrsctp.h> and the Linux SCTP headers")

    edges = {}
    for rel, incs in files.items():
        src = module_of(rel)
        for system, name in incs:
            if not system and name in files and module_of(name) != src:
                edges.setdefault(src, set()).add(module_of(name))
    for cycle in find_cycles(edges):
        bad.append("include cycle between modules: " + " <-> ".join(cycle))
    return bad


def nm(path, defined):
    args = ["nm", "--defined-only" if defined else "--undefined-only", path]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if defined and len(parts) == 3 and parts[1] in "TDBRtdbr" and parts[1].isupper():
            syms.add(parts[2])
        elif not defined and parts:
            syms.add(parts[-1])
    return syms


def check_objects(objdir):
    """Meson names a library's objects <folder>_<file>.c.o."""
    bad = []
    objs = {}
    for name in sorted(os.listdir(objdir)):
        m = re.match(r"(%s)_(.+)\.c\.o$" % "|".join(LAYERS), name)
        if m:
            objs[m.group(1) + "/" + m.group(2) + ".c"] = os.path.join(objdir, name)
    if not objs:
        return [f"{objdir}: no object files of the shim's layers"]
    owner = {}
    for rel, path in objs.items():
        for sym in nm(path, True):
            owner[sym] = rel
    edges = {}
    for rel, path in objs.items():
        layer = layer_of(rel)
        for sym in sorted(nm(path, False)):
            target = owner.get(sym)
            if target is None or target == rel:
                continue
            edges.setdefault(rel, set()).add(target)
            tlayer = layer_of(target)
            if tlayer == "hook" and layer != "hook":
                bad.append(f"{rel}: calls {sym}, intercepted by {target} "
                           "(the shim's own calls go through base/real.h)")
            elif RANK[tlayer] > RANK[layer]:
                bad.append(f"{rel}: calls {sym} in {target}, a layer above")
    for cycle in find_cycles(edges):
        bad.append("call cycle between files: " + " <-> ".join(cycle))
    return bad


def self_test():
    """The checks above, on a small tree with one violation of each kind:
    each must be reported (a check that cannot fail proves nothing)."""
    import tempfile
    tree = {
        "include/pub.h": "",
        "shim/base/real.h": "",
        "shim/usrsctp/stack.h": "",
        "shim/usrsctp/usr.h": "#include <usrsctp.h>\n",
        "shim/usrsctp/io.c": '#include "usrsctp/usr.h"\n#include <netinet/sctp.h>\n',
        "shim/core/sock.h": '#include "usrsctp/stack.h"\n',
        "shim/core/sock.c": '#include "core/sock.h"\n#include "linux/conn.h"\n'
                            '#include "core/watch.h"\n#include "usrsctp/usr.h"\n',
        "shim/core/watch.h": "",
        "shim/core/watch.c": '#include "core/watch.h"\n#include "core/sock.h"\n',
        "shim/linux/conn.h": "#include <netinet/sctp.h>\n",
        "shim/linux/conn.c": '#include "linux/conn.h"\n#include "real.h"\n'
                             '#include "pub.h"\n#include <usrsctp.h>\n',
        "shim/remote/calls.h": "",
        "shim/remote/calls.c": '#include "remote/calls.h"\n#include "linux/conn.h"\n',
        "shim/linux/recv.c": '#include "remote/calls.h"\n',
        "shim/misc/x.c": "",
    }
    want = [
        "usrsctp/io.c: includes <netinet/sctp.h> outside linux/ and hook/",
        "usrsctp/io.c: sees both <usrsctp.h> and the Linux SCTP headers",
        'core/sock.c: includes "linux/conn.h" from the linux layer, above core',
        'core/sock.c: includes "usrsctp/usr.h", private to usrsctp/',
        "core/sock.c: sees both <usrsctp.h> and the Linux SCTP headers",
        "include cycle between modules: core/sock <-> core/watch",
        'linux/conn.c: includes "real.h" without its layer folder',
        "linux/conn.c: includes <usrsctp.h> outside usrsctp/",
        "linux/conn.c: sees both <usrsctp.h> and the Linux SCTP headers",
        'linux/recv.c: includes "remote/calls.h" from the remote layer, above linux',
        "folder misc/ is not a layer",
    ]
    with tempfile.TemporaryDirectory() as top:
        for rel, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(top, rel)), exist_ok=True)
            with open(os.path.join(top, rel), "w", encoding="utf-8") as f:
                f.write(text)
        got = check_includes(os.path.join(top, "shim"))
    missed = [w for w in want if not any(w in g for g in got)]
    for w in missed:
        print("layers: self-test: not reported: " + w)
    extra = [g for g in got if not any(w in g for w in want)]
    for g in extra:
        print("layers: self-test: reported for nothing: " + g)
    return not missed and not extra


def main(argv):
    if argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--objects"):
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    bad = check_includes(argv[1])
    if len(argv) == 4:
        bad += check_objects(argv[3])
    for line in bad:
        print("layers: " + line)
    if not bad:
        print("layers: every include and call points down; no cycles")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
