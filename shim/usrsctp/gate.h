/* Keeps usrsctp's own work (a packet handled by a receive thread, a tick
 * of the timer thread) and the program's calls into usrsctp apart, as
 * the kernel keeps a socket's packet processing away from the system
 * call that owns the socket (lock_sock).  usrsctp 0.9.5 races when they
 * overlap:
 *   - its receive path reads a new association's listening socket twice
 *     while usrsctp_accept() clears it, and crashes on the NULL in between
 *     (usrsctp issues #554 and #697, fixed upstream in 2024);
 *   - closing a socket while a packet for it is handled takes the same two
 *     locks in the other order (issue #711);
 *   - an association freed (ABORT received, or a timer giving up) while a
 *     program call holds a reference on it is freed later by the timer
 *     thread, and if a partially delivered message of it was read to its
 *     end meanwhile, the reader freed it while it was still queued on its
 *     stream: the timer thread's sctp_free_assoc -> sctp_clean_up_stream
 *     then walks freed memory (seen as a SIGSEGV in the timer thread about
 *     once in 20 runs of the events test).
 * The shim sees both sides: a receive thread handles a packet between two
 * recvmsg() calls on its socket, the timer thread a tick between two
 * nanosleep() calls, so each holds the gate alone from the return of one
 * to the start of the next; every program call on a shim socket holds it
 * shared (except while it waits).  Stack threads also exclude each other,
 * and program calls do not. */
#ifndef SCTPSHIM_GATE_H
#define SCTPSHIM_GATE_H

/* A stack thread is about to wait for its next packet or tick: it lets
 * go. */
void gate_packet_wait(void);
/* It has one, and holds the gate alone until its next wait (or its end). */
void gate_packet_got(void);
/* Around a program's calls into usrsctp: waits for the packet or tick
 * being handled, and keeps the next ones waiting.  Nests. */
void gate_shut(void);
void gate_open(void);
void gate_forget_after_fork(void);
/* Same-host timing (stk_backlog): a receive thread is about to take a
 * packet off its socket (coming), found none (none: also at its next
 * wait); gate_busy() says whether one holds a packet taken off. */
void gate_packet_coming(void);
void gate_packet_none(void);
int gate_busy(void);
unsigned gate_packets_handled(void);
/* Stack threads that have come to their first wait for a packet or a
 * tick: started, and holding none of their start-up's locks. */
int gate_arrived(void);

#endif
