/* Same-host timing at close (README, "How it works"): on loopback
 * Linux's close() has the peer handle the SHUTDOWN before it returns, so
 * the peer's send already says EPIPE and its recv 0.  Here the SHUTDOWN
 * waits on the peer's UDP socket for a receive thread, in this process
 * or another: a close toward a same-host peer waits (bounded) until the
 * peer's SHUTDOWN-ACK is handled here, which the peer sends once it has
 * taken the SHUTDOWN in. */
#ifndef SCTPSHIM_SAMEHOST_H
#define SCTPSHIM_SAMEHOST_H

struct stk_sock;

/* Whether closing the connected one-to-one socket stk (its peer at a
 * loopback address) is to wait; the caller holds the gate. */
int samehost_close_waits(struct stk_sock *stk);
/* After the close of stk, with the gate let go: waits until its
 * association is gone (our SHUTDOWN-ACK handled), at most a few
 * milliseconds. */
void samehost_close_wait(struct stk_sock *stk);

#endif
