/* sctpshim: SCTP sockets for unmodified Linux programs on kernels without
 * SCTP, through the userland stack usrsctp, loaded with LD_PRELOAD.
 *
 * Programs need nothing from this header to use the shim: they call the
 * ordinary socket API and libsctp.  It is for programs that want to know
 * whether the shim is present, for the shim's configuration names, and
 * for the two calls FreeBSD and Solaris have and Linux's libsctp lacks,
 * sctp_sendx and sctp_sendmsgx (link with -lsctpshim).  Their structures
 * and flag values are Linux's, from <netinet/sctp.h>. */
#ifndef SCTPSHIM_H
#define SCTPSHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCTPSHIM_VERSION "0.1.0"

/* Environment variables the shim reads (all optional):
 *   SCTPSHIM_DEBUG=1           one line on stderr per unsupported call
 *   SCTPSHIM_TRANSPORT=raw     raw IP (protocol 132) instead of UDP
 *   SCTPSHIM_UDP_PORT=N        this process's UDP encapsulation port
 *   SCTPSHIM_UDP_PEER_PORT=N   encapsulation port of peers on other hosts
 *   SCTPSHIM_LINGER_MS=N       how long exit waits for queued data */
#define SCTPSHIM_ENV_DEBUG "SCTPSHIM_DEBUG"
#define SCTPSHIM_ENV_TRANSPORT "SCTPSHIM_TRANSPORT"
#define SCTPSHIM_ENV_UDP_PORT "SCTPSHIM_UDP_PORT"
#define SCTPSHIM_ENV_UDP_PEER_PORT "SCTPSHIM_UDP_PEER_PORT"
#define SCTPSHIM_ENV_LINGER_MS "SCTPSHIM_LINGER_MS"

/* The shim's version when it is loaded.  Declared weak so that a program
 * can test for the shim: the address is null without it. */
const char *sctpshim_version(void) __attribute__((weak));

/* sctp_send with a list of addrcnt packed sockaddr_in/sockaddr_in6: on a
 * one-to-many socket with no association to addrs[0] (and no
 * sinfo_assoc_id), one is set up with all of them, as by sctp_connectx,
 * and the message rides on the handshake.  An association id, when
 * given, wins over the addresses. */
ssize_t sctp_sendx(int sd, const void *msg, size_t len,
                   struct sockaddr *addrs, int addrcnt,
                   struct sctp_sndrcvinfo *sinfo, int flags);

/* sctp_sendmsg with the same list of addresses as sctp_sendx. */
ssize_t sctp_sendmsgx(int sd, const void *msg, size_t len,
                      struct sockaddr *addrs, int addrcnt, uint32_t ppid,
                      uint32_t flags, uint16_t stream_no,
                      uint32_t timetolive, uint32_t context);

#ifdef __cplusplus
}
#endif

#endif
