"""The SCTP packets of a capture, one dict each, from tshark: IP
addresses, UDP source port (when SCTP rides in UDP), SCTP ports, CRC32c
status, and the chunks, with the DATA fields, the INIT's initial TSN and
an ABORT's cause.  Shared by tests/net/pcap_check.py and
tests/net/interop_check.py.
"""
import subprocess
import sys

NAMES = {0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT",
         5: "HEARTBEAT_ACK", 6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK",
         10: "COOKIE_ECHO", 11: "COOKIE_ACK", 14: "SHUTDOWN_COMPLETE",
         192: "FORWARD_TSN", 64: "I_DATA", 194: "I_FORWARD_TSN"}
FIELDS = ["frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "udp.srcport", "sctp.srcport", "sctp.dstport", "sctp.checksum.status",
          "sctp.chunk_type", "sctp.data_tsn_raw", "sctp.data_sid",
          "sctp.data_payload_proto_id", "sctp.data_u_bit", "sctp.data_b_bit",
          "sctp.data_e_bit", "data.data", "sctp.init_initial_tsn",
          "sctp.initack_initial_tsn", "sctp.cause_code", "sctp.cause_information",
          "sctp.forward_tsn_tsn"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def ok(msg):
    print("ok: " + msg)


def tshark_rows(pcap, fields, args=()):
    """Yields, for each SCTP packet of pcap, (cols, lists, take): each
    field's text, each field's values, and take(field), which deals out
    a field tshark lists once per chunk that has it to the chunks in
    order.  Every CRC32c is checked."""
    cmd = ["tshark", "-r", pcap, "-o", "sctp.checksum:crc-32c", "-Y", "sctp",
           "-T", "fields", "-E", "separator=\t", "-E", "aggregator=;"] + list(args)
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        cols = dict(zip(fields, line.split("\t")))
        lists = {k: (v.split(";") if v else []) for k, v in cols.items()}
        pos = {k: 0 for k in fields}

        def take(field, lists=lists, pos=pos):
            i = pos[field]
            pos[field] += 1
            vals = lists[field]
            return vals[i] if i < len(vals) else ""
        yield cols, lists, take


def packets(pcap, wire=False, data_ppids=()):
    """One dict per SCTP packet; wire: SCTP over UDP port 9899;
    data_ppids: PPIDs whose payload is shown as bytes rather than given
    to the dissector tshark has for them (WebRTC's 51, 53)."""
    args = ["-d", "udp.port==9899,sctp"] if wire else []
    for ppid in data_ppids:
        args += ["-d", "sctp.ppi==%d,data" % ppid]
    result = []
    for cols, lists, take in tshark_rows(pcap, FIELDS, args):
        chunks = []
        for t in lists["sctp.chunk_type"]:
            t = int(t)
            c = {"type": NAMES.get(t, str(t))}
            if t == 0:
                c.update(tsn=int(take("sctp.data_tsn_raw")),
                         sid=int(take("sctp.data_sid"), 0),
                         ppid=int(take("sctp.data_payload_proto_id") or 0),
                         u=take("sctp.data_u_bit"), b=take("sctp.data_b_bit"),
                         e=take("sctp.data_e_bit"),
                         payload=bytes.fromhex(take("data.data").replace(":", "")))
            elif t == 1:
                c["itsn"] = int(take("sctp.init_initial_tsn"))
            elif t == 2:
                c["itsn"] = int(take("sctp.initack_initial_tsn"))
            elif t == 192:
                c["cum"] = int(take("sctp.forward_tsn_tsn"))
            elif t == 6:
                code = take("sctp.cause_code")
                c["cause"] = int(code, 0) if code else None
                c["info"] = bytes.fromhex(take("sctp.cause_information").replace(":", ""))
            chunks.append(c)
        result.append({
            "frame": cols["frame.number"],
            "src": cols["ip.src"] or cols["ipv6.src"],
            "dst": cols["ip.dst"] or cols["ipv6.dst"],
            "udp": cols["udp.srcport"],
            "sport": cols["sctp.srcport"], "dport": cols["sctp.dstport"],
            "csum": cols["sctp.checksum.status"], "chunks": chunks})
    return result


