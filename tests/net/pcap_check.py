#!/usr/bin/env python3
"""Checks a capture file written by SCTPSHIM_PCAP (tests/net/pcap.sh).

usage: pcap_check.py exchange PCAP LOCAL PEER WIRE_PCAP
         the client's file of pcap_peer's known exchange: IP packets of
         protocol 132 between LOCAL and PEER, decoded by tshark with no
         option, every CRC32c good, the handshake, the three messages
         (chunk types, stream ids, PPIDs, U/B/E bits, TSNs counted from
         each side's initial TSN), the shutdown, and each direction's
         chunks the same as tshark saw on the wire (WIRE_PCAP, SCTP over
         UDP port 9899 on the veth)
       pcap_check.py payloads PCAP BODY...
         the DATA payloads of PCAP are exactly BODY... (in order)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sctp_packets import fail, ok, packets  # noqa: E402

def data_of(pkts, src):
    return [c for p in pkts if p["src"] == src for c in p["chunks"] if c["type"] == "DATA"]


def sequence(pkts, src):
    """The direction's chunks, as comparable tuples."""
    seq = []
    for p in pkts:
        if p["src"] != src:
            continue
        for c in p["chunks"]:
            seq.append(tuple(sorted((k, v) for k, v in c.items())))
    return seq


def check_data(chunks, itsn, who):
    want = [(1, 0x11223344, "0", b"PCAP-ONE"), (2, 7, "1", b"PCAP-TWO")]
    if len(chunks) < 4:
        fail("%s: %d DATA chunks, expected the 3 messages" % (who, len(chunks)))
    for i, (sid, ppid, u, body) in enumerate(want):
        c = chunks[i]
        if (c["tsn"], c["sid"], c["ppid"], c["u"], c["b"], c["e"], c["payload"]) != \
                (itsn + i, sid, ppid, u, "1", "1", body):
            fail("%s: DATA %d is %r, expected tsn %d sid %d ppid %#x u=%s %r"
                 % (who, i, c, itsn + i, sid, ppid, u, body))
    frags = chunks[2:]
    body = b"".join(c["payload"] for c in frags)
    tsns = [c["tsn"] for c in frags]
    if (body != b"X" * 4000 or tsns != list(range(itsn + 2, itsn + 2 + len(frags)))
            or any(c["sid"] != 3 or c["ppid"] != 9 for c in frags)
            or frags[0]["b"] != "1" or frags[-1]["e"] != "1"
            or any(c["b"] == "1" for c in frags[1:]) or any(c["e"] == "1" for c in frags[:-1])):
        fail("%s: the 4000-byte message: %r" % (who, [(c["tsn"], c["sid"], c["ppid"], c["b"], c["e"],
                                                        len(c["payload"])) for c in frags]))
    ok("%s: PCAP-ONE sid 1 ppid 0x11223344 tsn %d, PCAP-TWO sid 2 ppid 7 unordered tsn %d, "
       "4000 bytes sid 3 ppid 9 in %d fragments tsn %d-%d"
       % (who, itsn, itsn + 1, len(frags), tsns[0], tsns[-1]))


def exchange(pcap, local, peer, wire):
    pkts = packets(pcap)
    if not pkts:
        fail("tshark decodes no SCTP packet in " + pcap)
    for p in pkts:
        if {p["src"], p["dst"]} != {local, peer} or p["udp"]:
            fail("packet %s: %s -> %s (udp %s), expected SCTP over IP between %s and %s"
                 % (p["frame"], p["src"], p["dst"], p["udp"], local, peer))
        if p["csum"] != "1":
            fail("packet %s: CRC32c status %s" % (p["frame"], p["csum"]))
    ok("%d packets, all SCTP over IP between %s and %s, every CRC32c good"
       % (len(pkts), local, peer))
    first = [(p["src"], p["chunks"][0]["type"]) for p in pkts[:4]]
    if first != [(local, "INIT"), (peer, "INIT_ACK"), (local, "COOKIE_ECHO"), (peer, "COOKIE_ACK")]:
        fail("the handshake: %r" % first)
    last = [(p["src"], c["type"]) for p in pkts for c in p["chunks"]
            if c["type"].startswith("SHUTDOWN")]
    if last != [(local, "SHUTDOWN"), (peer, "SHUTDOWN_ACK"), (local, "SHUTDOWN_COMPLETE")]:
        fail("the shutdown: %r" % last)
    ok("INIT, INIT ACK, COOKIE ECHO, COOKIE ACK ... SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE")
    check_data(data_of(pkts, local), pkts[0]["chunks"][0]["itsn"], "sent")
    check_data(data_of(pkts, peer), pkts[1]["chunks"][0]["itsn"], "echoed")
    onwire = packets(wire, wire=True)
    for who in (local, peer):
        a, b = sequence(pkts, who), sequence(onwire, who)
        if a != b:
            fail("from %s: %d chunks in the file, %d on the wire, or not the same:\n%r\n%r"
                 % (who, len(a), len(b), a, b))
    ok("each direction's %d and %d chunks are those tshark saw on the veth, in order"
       % (len(sequence(pkts, local)), len(sequence(pkts, peer))))


def payloads(pcap, bodies):
    got = [c["payload"].decode(errors="replace") for p in packets(pcap)
           for c in p["chunks"] if c["type"] == "DATA"]
    if got != bodies:
        fail("%s: DATA payloads %r, expected %r" % (pcap, got, bodies))
    ok("%s holds exactly %r" % (pcap.rsplit("/", 1)[-1], bodies))


if __name__ == "__main__":
    if sys.argv[1] == "exchange":
        exchange(*sys.argv[2:6])
    else:
        payloads(sys.argv[2], sys.argv[3:])
