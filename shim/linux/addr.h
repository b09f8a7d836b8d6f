/* Socket addresses as a Linux SCTP socket takes and returns them. */
#ifndef SCTPSHIM_LX_ADDR_H
#define SCTPSHIM_LX_ADDR_H

#include <stdint.h>
#include <sys/socket.h>

struct ssock;

/* Length of one address of this family, 0 when the family is not IP. */
socklen_t lx_addr_len(const struct sockaddr *sa);
/* EINVAL / EAFNOSUPPORT checks of a caller's address, as the kernel does. */
int lx_addr_check(const struct ssock *s, const struct sockaddr *sa,
                  socklen_t len);
uint16_t lx_addr_port(const struct sockaddr *sa);
void lx_addr_set_port(struct sockaddr *sa, uint16_t port);
/* Copies an address out to the caller, v4-mapped on an AF_INET6 socket
 * as Linux does by default; *len gets the full length. */
void lx_addr_out(const struct ssock *s, const struct sockaddr *in,
                 struct sockaddr *out, socklen_t *len);
/* The peer's UDP encapsulation port (network order) for a destination:
 * found in the registry when the address is on this host and a shimmed
 * process holds the port, the configured peer port (9899) else. */
int lx_addr_remote_udp(const struct sockaddr *sa, uint16_t *udp_port);

/* Whether sa can never be an SCTP peer (Linux's sctp_v4_addr_valid and
 * sctp_v6_addr_valid): the unspecified, broadcast and multicast
 * addresses, 0.0.0.0/8 and 192.88.99.0/24 (6to4 anycast). */
int lx_addr_unusable(const struct sockaddr *sa);
/* Whether the kernel has a route to sa (always true for local ones). */
int lx_addr_reachable(const struct sockaddr *sa);
/* The address is this host's (a loopback address or a local one). */
int lx_addr_is_local(const struct sockaddr *sa);

#endif
