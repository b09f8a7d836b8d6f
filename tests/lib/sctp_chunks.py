#!/usr/bin/env python3
"""Prints the SCTP chunks of a capture one per line, for the wire tests:

  frame=3 sport=51005 dport=22000 csum=good chunk=DATA tsn=.. sid=1
      ssn=0 ppid=0x44332211 u=0 i=0 b=1 e=1 payload=WIRE-PPID-RAW

usage: sctp_chunks.py PCAP UDP_PORT

tshark decodes UDP_PORT as SCTP over UDP (RFC 6951) and checks every
packet's CRC32c.  tshark gives per-packet lists (one entry per chunk that
has the field); they are dealt out to the chunks in order.  ppid is the
wire's 4 bytes read big-endian, so 0x44332211 means 44 33 22 11 on the
wire.  A payload of printable ASCII is shown as text, otherwise as hex.
"""
import sys

from sctp_packets import tshark_rows

NAMES = {0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT",
         5: "HEARTBEAT_ACK", 6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK",
         9: "ERROR", 10: "COOKIE_ECHO", 11: "COOKIE_ACK",
         14: "SHUTDOWN_COMPLETE", 15: "AUTH", 64: "I_DATA", 128: "ASCONF_ACK",
         130: "RE_CONFIG", 192: "FORWARD_TSN", 193: "ASCONF",
         194: "I_FORWARD_TSN"}
FIELDS = ["frame.number", "sctp.srcport", "sctp.dstport", "sctp.checksum.status",
          "sctp.chunk_type", "sctp.data_tsn_raw", "sctp.data_sid", "sctp.data_ssn",
          "sctp.data_payload_proto_id", "sctp.data_u_bit", "sctp.data_i_bit",
          "sctp.data_b_bit", "sctp.data_e_bit", "data.data", "sctp.cause_code",
          "sctp.cause_information", "sctp.forward_tsn_tsn", "sctp.parameter_type",
          "sctp.adaptation_layer_indication"]
CSUM = {"0": "bad", "1": "good", "2": "unverified"}


def text(hexstr):
    raw = bytes.fromhex(hexstr.replace(":", ""))
    if raw and all(32 < b < 127 for b in raw):
        return raw.decode()
    return "hex:" + raw.hex()


def main():
    pcap, port = sys.argv[1], sys.argv[2]
    for cols, lists, take in tshark_rows(pcap, FIELDS, ["-d", "udp.port==%s,sctp" % port]):
        head = "frame=%s sport=%s dport=%s csum=%s" % (
            cols["frame.number"], cols["sctp.srcport"], cols["sctp.dstport"],
            CSUM.get(cols["sctp.checksum.status"], "none"))
        for t in lists["sctp.chunk_type"]:
            t = int(t)
            desc = "chunk=" + NAMES.get(t, str(t))
            if t == 0:
                ppid = int(take("sctp.data_payload_proto_id") or 0)
                desc += " tsn=%s sid=%d ssn=%s ppid=0x%08x u=%s i=%s b=%s e=%s" % (
                    take("sctp.data_tsn_raw"), int(take("sctp.data_sid"), 0),
                    take("sctp.data_ssn"), ppid, take("sctp.data_u_bit"),
                    take("sctp.data_i_bit"), take("sctp.data_b_bit"),
                    take("sctp.data_e_bit"))
                payload = take("data.data")
                desc += " payload=" + (text(payload) if payload else "")
            elif t in (6, 9):
                code = take("sctp.cause_code")
                if code:
                    desc += " cause=%d" % int(code, 0)
                    info = take("sctp.cause_information")
                    desc += " info=" + (text(info) if info else "")
            elif t == 192:
                desc += " new_cum_tsn=%s" % take("sctp.forward_tsn_tsn")
            elif t in (1, 2):
                params = ",".join("0x%04x" % int(p, 0)
                                  for p in lists["sctp.parameter_type"])
                desc += " params=" + params
                ind = cols["sctp.adaptation_layer_indication"]
                if ind:
                    desc += " adaptation=0x%08x" % int(ind, 0)
            print(head, desc)


if __name__ == "__main__":
    main()
