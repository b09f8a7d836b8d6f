#!/usr/bin/env python3
"""Sends one SCTP-over-UDP packet holding an ABORT chunk, IPv4, from any
source address (a raw socket builds the IP header), for tests/net/checksum.sh.

usage: net_inject.py SRC UDP_SPORT DST UDP_DPORT SCTP_SPORT SCTP_DPORT VTAG good|bad

VTAG is the receiver's verification tag (hex); "bad" sends the packet
with its CRC32c off by one bit, "good" with the right one.
"""
import socket
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def main():
    src, usport, dst, udport, ssport, sdport, vtag, mode = sys.argv[1:9]
    sctp = struct.pack("!HHII", int(ssport), int(sdport), int(vtag, 16), 0)
    sctp += struct.pack("!BBH", 6, 0, 4)  # ABORT, T bit 0, no causes
    crc = crc32c(sctp)
    if mode == "bad":
        crc ^= 1
    sctp = sctp[:8] + struct.pack("<I", crc) + sctp[12:]
    udp = struct.pack("!HHHH", int(usport), int(udport), 8 + len(sctp), 0) + sctp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0x1234, 0, 64,
                     socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip + udp, (dst, 0))


if __name__ == "__main__":
    main()
