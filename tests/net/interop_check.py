#!/usr/bin/env python3
"""What tshark saw on the veth during tests/net/pion.sh (SCTP over UDP
port 9899 between pion/sctp at PION and the shim at SHIM).

usage: interop_check.py talk PCAP PION SHIM
         the handshake; stream 1 PPID 51, stream 2 with the U bit, a
         61,440-byte message on stream 3 in fragments, each way; FORWARD
         TSN from each side past the message it abandoned; pion's ABORT
         with cause 12 and its reason
       interop_check.py shutdown PCAP FIRST OTHER
         SHUTDOWN from FIRST, SHUTDOWN ACK from OTHER, SHUTDOWN COMPLETE
         from FIRST, and no ABORT
       interop_check.py echo PCAP PION SHIM BYTES
         at least BYTES of DATA payload each way
       interop_check.py abort PCAP FROM
         prints the causes of FROM's ABORT, fails if there is none
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sctp_packets import fail, ok, packets  # noqa: E402


def chunks(pkts, src, kind=None):
    return [c for p in pkts if p["src"] == src for c in p["chunks"]
            if kind is None or c["type"] == kind]


def one_message(pkts, src, sid):
    """The payload of the (first) message on sid from src, with its DATA
    chunks' ppid and U bit, checking B and E."""
    frags = [c for c in chunks(pkts, src, "DATA") if c["sid"] == sid]
    if not frags:
        fail("no DATA on stream %d from %s" % (sid, src))
    msg = []
    for c in frags:
        msg.append(c)
        if c["e"] == "1":
            break
    if msg[0]["b"] != "1" or msg[-1]["e"] != "1" or any(c["b"] == "1" for c in msg[1:]):
        fail("stream %d from %s: B/E bits %r" % (sid, src, [(c["b"], c["e"]) for c in msg]))
    return b"".join(c["payload"] for c in msg), {c["ppid"] for c in msg}, {c["u"] for c in msg}, len(msg)


def talk(pcap, pion, shim):
    pkts = packets(pcap, wire=True, data_ppids=(51, 53))
    first = [(p["src"], p["chunks"][0]["type"]) for p in pkts[:4]]
    if first != [(pion, "INIT"), (shim, "INIT_ACK"), (pion, "COOKIE_ECHO"), (shim, "COOKIE_ACK")]:
        fail("the handshake: %r" % first)
    ok("set-up: INIT from pion, INIT ACK, COOKIE ECHO, COOKIE ACK from the shim")
    big = bytes(ord("a") + i % 26 for i in range(61440))
    for who, src in (("pion", pion), ("shim", shim)):
        for sid, ppid, u, body in ((1, 51, "0", b"PION-ORDERED"), (2, 51, "1", b"PION-UNORDERED"),
                                   (3, 53, "0", big)):
            got, ppids, us, n = one_message(pkts, src, sid)
            if got != body or ppids != {ppid} or us != {u}:
                fail("%s, stream %d: %d bytes %r..., ppid %r, U %r; expected %d bytes, ppid %d, U %s"
                     % (who, sid, len(got), got[:16], ppids, us, len(body), ppid, u))
            ok("%s: stream %d, PPID %d, U=%s, %d bytes in %d DATA chunk%s"
               % (who, sid, ppid, u, len(body), n, "" if n == 1 else "s"))
    for who, src, lost in (("pion", pion, b"PION-LOST"), ("shim", shim, b"PR-LOST")):
        tsns = [c["tsn"] for c in chunks(pkts, src, "DATA") if c["payload"] == lost]
        fwd = [c["cum"] for c in chunks(pkts, src, "FORWARD_TSN")]
        if not tsns:
            fail("%s: %s never went out" % (who, lost.decode()))
        if not any((f - tsns[0]) % (1 << 32) < (1 << 31) for f in fwd):
            fail("%s: no FORWARD TSN past %s (TSN %d): %r" % (who, lost.decode(), tsns[0], fwd))
        ok("%s: %s (TSN %d) abandoned, FORWARD TSN to %d on the wire"
           % (who, lost.decode(), tsns[0], max(fwd, key=lambda f: (f - tsns[0]) % (1 << 32))))
    aborts = chunks(pkts, pion, "ABORT")
    if not aborts or aborts[0].get("cause") != 12 or aborts[0].get("info") != b"pion says bye":
        fail("pion's ABORT: %r" % aborts)
    ok("pion's ABORT: cause 12 (user-initiated abort), reason \"pion says bye\"")


def shutdown(pcap, first, other):
    pkts = packets(pcap, wire=True)
    seq = [(p["src"], c["type"]) for p in pkts for c in p["chunks"]
           if c["type"].startswith("SHUTDOWN") or c["type"] == "ABORT"]
    if seq != [(first, "SHUTDOWN"), (other, "SHUTDOWN_ACK"), (first, "SHUTDOWN_COMPLETE")]:
        fail("the shutdown: %r" % seq)
    ok("graceful shutdown: SHUTDOWN from %s, SHUTDOWN ACK, SHUTDOWN COMPLETE, no ABORT" % first)


def echo(pcap, pion, shim, size):
    pkts = packets(pcap, wire=True, data_ppids=(53,))
    for who, src in (("pion", pion), ("shim", shim)):
        n = sum(len(c["payload"]) for c in chunks(pkts, src, "DATA"))
        if n < size:
            fail("%s sent %d bytes of DATA, expected at least %d" % (who, n, size))
        ok("%s sent %d bytes of DATA on the wire" % (who, n))


def abort(pcap, src):
    aborts = chunks(packets(pcap, wire=True), src, "ABORT")
    if not aborts:
        fail("no ABORT from %s" % src)
    c = aborts[0]
    print("cause %s: %s" % (c.get("cause"), c.get("info", b"").decode(errors="replace")))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "talk":
        talk(*args)
    elif cmd == "shutdown":
        shutdown(*args)
    elif cmd == "echo":
        echo(args[0], args[1], args[2], int(args[3]))
    else:
        abort(*args)
