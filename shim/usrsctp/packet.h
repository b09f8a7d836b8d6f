/* One SCTP packet as the stack sent or received it on its own socket,
 * with the IP addresses it travels between.  Filled by wire.c for the
 * packet capture (pcap.c) and the association tracker (track.c); the
 * bytes stay in the caller's iovec (usrsctp's mbufs), read on demand. */
#ifndef SCTPSHIM_PACKET_H
#define SCTPSHIM_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

struct wire_pkt {
    int outgoing;
    /* IP addresses, port 0; a family of 0 when unknown. */
    struct sockaddr_storage src, dst;
    /* The SCTP packet: len bytes from offset off of iov. */
    const struct iovec *iov;
    int iovcnt;
    size_t off, len;
    struct timespec when; /* CLOCK_REALTIME */
};

/* Copies n bytes at offset at of the SCTP packet into out; returns how
 * many were there. */
size_t wire_read(const struct wire_pkt *p, size_t at, void *out, size_t n);

static inline uint16_t wire_be16(const unsigned char *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t wire_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* SCTP chunk types (RFC 9260, 3758, 8260). */
enum wire_chunk {
    WC_DATA = 0, WC_INIT = 1, WC_INIT_ACK = 2, WC_SACK = 3,
    WC_ABORT = 6, WC_SHUTDOWN = 7, WC_SHUTDOWN_ACK = 8,
    WC_COOKIE_ECHO = 10, WC_COOKIE_ACK = 11, WC_SHUTDOWN_COMPLETE = 14,
    WC_I_DATA = 64, WC_FORWARD_TSN = 192, WC_I_FORWARD_TSN = 194,
};

#endif
