/* SCTPSHIM_PCAP=FILE: every SCTP packet of the process, as IP packets
 * (protocol 132, the real addresses) in a pcap file that Wireshark and
 * tshark read with no decode-as: the UDP encapsulation is left out.
 * A process that finds FILE held by a live process (its parent, before
 * a fork, or another program given the same name) writes FILE with its
 * pid before the extension instead. */
#ifndef SCTPSHIM_PCAP_H
#define SCTPSHIM_PCAP_H

#include "usrsctp/packet.h"

void pcap_enable(const char *path);
int pcap_enabled(void);
void pcap_packet(const struct wire_pkt *p);
/* Writes out what is buffered (the watch thread's tick, fork, exit). */
void pcap_flush(void);
void pcap_after_fork_child(void);

#endif
