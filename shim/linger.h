/* Sockets the program has closed whose association is still finishing:
 * as the kernel does, the data queued before close() is still delivered
 * and the association ends with SHUTDOWN.  Kept here until it is gone. */
#ifndef SCTPSHIM_LINGER_H
#define SCTPSHIM_LINGER_H

#include <stdint.h>

struct stk_sock;

/* Takes over a closed one-to-one socket (its upcall already detached)
 * and its port claim; starts the graceful shutdown. */
void linger_add(struct stk_sock *stk, uint16_t claimed_port);
/* Closes the lingering sockets whose association is gone. */
void linger_reap(void);
/* At exit: waits up to ms for the rest, then aborts what remains, so the
 * peer sees an ABORT rather than silence. */
void linger_finish(int ms);
/* Fork child: the parent's lingering sockets are the parent's. */
void linger_forget_after_fork(void);

#endif
