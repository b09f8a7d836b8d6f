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
 * found in the registry when the address is on this host (-1 with
 * ECONNREFUSED when no process has the port), the well-known one else. */
int lx_addr_remote_udp(const struct sockaddr *sa, uint16_t *udp_port);

/* Whether the kernel has a route to sa (always true for local ones). */
int lx_addr_reachable(const struct sockaddr *sa);

#endif
