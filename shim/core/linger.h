/* Sockets the program has let go of whose associations are still
 * finishing: as the kernel does, the data queued before close() (or
 * before exit) is still delivered and each association ends with
 * SHUTDOWN.  A closed socket is kept here until its last association is
 * gone, then closed, and its port claim goes with it at once: its upcall
 * wakes the watch thread, which reaps (sock_resync_all). */
#ifndef SCTPSHIM_LINGER_H
#define SCTPSHIM_LINGER_H

#include <stdint.h>

struct stk_sock;

/* The program closed a socket (its upcall already detached; the caller
 * holds the gate, gate.h): ends its associations as Linux's close() does
 * (abortive: with ABORT) and closes it, now or once they are gone, with
 * its port claim. */
void linger_close(struct stk_sock *stk, uint16_t claimed_port, int abortive);
/* At exit, a socket the program still holds: its associations end as
 * for close(), and linger_finish waits for them; the stack socket is left
 * as it is (another thread may still be inside a call on it). */
void linger_at_exit(struct stk_sock *stk, int abortive);
/* Counts the upcalls of lingering sockets: an association of one moved
 * (core/samehost.h). */
unsigned linger_moves(void);
/* The closed socket stk is lingering and has associations left. */
int linger_ending(struct stk_sock *stk);
/* Lets go of the sockets whose associations are gone. */
void linger_reap(void);
/* At exit: waits until the peers have acknowledged all our data and the
 * associations are gone (their end is given a few retransmission timeouts
 * once the data is acknowledged), or (ms >= 0) at most ms, then aborts
 * what remains, so the peer sees an ABORT rather than silence. */
void linger_finish(int ms);
/* Fork child: the parent's lingering sockets are the parent's. */
void linger_forget_after_fork(void);

#endif
