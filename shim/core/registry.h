/* Host-wide SCTP port registry for shimmed processes.
 *
 * usrsctp gives each process its own UDP encapsulation port, so two
 * processes on one host must learn each other's.  A process that binds
 * SCTP port P holds two abstract AF_UNIX names: "sctpshim/port/P", which
 * only one process can hold (EADDRINUSE, as for a kernel port), and
 * "sctpshim/map/P/U", which publishes its UDP port U.  Abstract names are
 * scoped to the network namespace like SCTP ports, are listed in
 * /proc/net/unix, and vanish when the process dies, even by SIGKILL. */
#ifndef SCTPSHIM_REGISTRY_H
#define SCTPSHIM_REGISTRY_H

#include <stdint.h>

/* Ports are in host order.  Returns 0, or -1 with EADDRINUSE (or
 * EMFILE, ENFILE, ENOBUFS when the name cannot be made at all). */
int registry_claim(uint16_t port);
void registry_release(uint16_t port);
/* Claims a free port from the ephemeral range; 0 with errno EADDRINUSE
 * when none is free (or as registry_claim says). */
uint16_t registry_claim_ephemeral(void);
/* 1 and *udp_port set when a process in this network namespace holds
 * port; 0 when none does. */
int registry_lookup(uint16_t port, uint16_t *udp_port);
/* Fork child: the parent keeps its claims. */
void registry_forget_after_fork(void);

#endif
