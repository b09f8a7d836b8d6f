/* A safety net under the upcall-driven readiness mirror. */
#ifndef SCTPSHIM_WATCH_H
#define SCTPSHIM_WATCH_H

/* Starts, once, a thread that re-syncs every socket's mirror a few times
 * a second.  usrsctp defers some wake-ups while a reader is inside it
 * (SCTP_PCB_FLAGS_DONT_WAKE) and, rarely, one is never delivered: seen
 * as an end of file that poll never reported.  Only in processes that
 * have opened an SCTP socket. */
void watch_start(void);
/* A one-to-many sender has just found its queue full: start retrying it
 * now rather than at the next idle tick. */
void watch_kick(void);
void watch_forget_after_fork(void);

#endif
