/* A safety net under the upcall-driven readiness mirror, and the thread
 * that does what a signal handler may not. */
#ifndef SCTPSHIM_WATCH_H
#define SCTPSHIM_WATCH_H

/* Starts, once, a thread that calls tick a few times a second to re-sync
 * every socket's mirror (sock_resync_all; a callback, so that this file
 * stays below the sockets it serves).  tick returns non-zero while a
 * sender waits for room the stack will not announce: then it is called
 * every millisecond.  usrsctp defers some wake-ups while a reader is inside it
 * (SCTP_PCB_FLAGS_DONT_WAKE) and, rarely, one is never delivered: seen
 * as an end of file that poll never reported.  Only in processes that
 * have opened an SCTP socket. */
void watch_start(int (*tick)(void));
/* Calls tick now rather than at the next idle tick: a one-to-many sender
 * has just found its queue full, or a closed socket's association moved.
 * Async-signal-safe. */
void watch_kick(void);
/* Whether this process's watch thread runs (not in a fork child until it
 * opens a socket of its own). */
int watch_running(void);
/* The watch thread calls fn, once, as soon as it can: for a signal
 * handler, which may itself call none of the shim.  Async-signal-safe;
 * set_request_fn comes first. */
void watch_set_request_fn(void (*fn)(void));
void watch_request(void);
/* Around fork: the thread is between two ticks, holding nothing. */
void watch_park(void);
void watch_unpark(void);
void watch_forget_after_fork(void);

#endif
