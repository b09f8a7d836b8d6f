/* What happens around the shim's sockets at first use, fork and exit. */
#ifndef SCTPSHIM_LIFECYCLE_H
#define SCTPSHIM_LIFECYCLE_H

/* Registers the fork handler and the exit signal handlers, once, when the
 * process opens its first SCTP socket (a process that never does is left
 * alone). */
int lifecycle_first_socket(void);
/* A call on a socket that the exit has taken over: another thread's
 * waits here for the process to end (on a kernel it would be gone);
 * the exiting thread's own returns, and the call fails. */
void lifecycle_hold_if_exiting(void);

#endif
