/* sctp_peeloff and sctp_peeloff_flags (libsctp's SCTP_SOCKOPT_PEELOFF and
 * SCTP_SOCKOPT_PEELOFF_FLAGS getsockopt), as Linux's sctp_do_peeloff. */
#ifndef SCTPSHIM_LX_PEELOFF_H
#define SCTPSHIM_LX_PEELOFF_H

#include <stdint.h>
#include <sys/socket.h>

struct ssock;

/* Association id of one-to-many socket s on a descriptor of its own, a
 * one-to-one socket (SO_TYPE SOCK_SEQPACKET, as Linux's); flags:
 * SOCK_CLOEXEC, SOCK_NONBLOCK.  The descriptor, or -1/errno. */
int lx_peeloff(struct ssock *s, uint32_t id, int flags);
/* Linux refuses an association with a peer that an association peeled
 * off this port still has (EADDRNOTAVAIL): 0, or -1/errno, for each
 * address of a connect. */
int lx_peeloff_check_peer(const struct ssock *s, const struct sockaddr *peer);

#endif
