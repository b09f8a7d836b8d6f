/* Keeps usrsctp's packet processing and the calls that race with it
 * apart.  usrsctp 0.9.5's receive path reads a new association's
 * listening socket twice while usrsctp_accept() clears it, and crashes on
 * the NULL in between (usrsctp issues #554 and #697, fixed upstream in
 * 2024); closing a socket while a packet for it is processed takes the
 * same two locks in the other order (issue #711).  The shim sees both
 * ends: a stack thread handles a packet between two recvmsg() calls on
 * its own socket, so it holds the gate shared from the return of one to
 * the start of the next, and accept and close hold it alone. */
#ifndef SCTPSHIM_GATE_H
#define SCTPSHIM_GATE_H

/* A stack thread is about to wait for its next packet: it lets go. */
void gate_packet_wait(void);
/* It has one, and holds the gate (shared) until its next wait. */
void gate_packet_got(void);
/* Around usrsctp_accept() and usrsctp_close(): waits for the packets
 * being handled, and keeps the next ones waiting. */
void gate_shut(void);
void gate_open(void);
void gate_forget_after_fork(void);

#endif
