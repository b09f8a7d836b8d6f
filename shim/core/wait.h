/* How a blocking call waits, with the kernel's rules for timeouts and
 * signals.  A call on a shim socket may wake up several times before it
 * can go on (the stack said ready, the call still cannot proceed).  The
 * kernel decides once per system call; so does this:
 *   - SO_RCVTIMEO / SO_SNDTIMEO set one deadline when the call first
 *     waits, whatever the wake-ups in between;
 *   - from its first wait to its end, the call runs with the program's
 *     signals blocked, and waits with a signalfd for those the program
 *     lets in: a signal is handled only while the call waits, and then
 *     the call fails with EINTR or, when every handler that ran has
 *     SA_RESTART and there is no timeout, restarts, as sock_intr_errno()
 *     decides in the kernel.  A signal that arrives while the call is
 *     busy is handled at its next wait or at its end, as the kernel
 *     handles it on the way out of the system call. */
#ifndef SCTPSHIM_WAIT_H
#define SCTPSHIM_WAIT_H

#include <signal.h>
#include <time.h>

struct wait_call {
    struct wait_call *prev;   /* a call made by a signal handler nests */
    int armed;                /* the deadline below is set */
    struct timespec deadline; /* CLOCK_MONOTONIC; tv_sec < 0: none */
    int masked;               /* signals blocked since the first wait */
    sigset_t saved;           /* the program's mask, back at the end */
    int sfd;                  /* signalfd for the program's signals, -1 */
};

/* Around each call on a shim socket (the hooks do it). */
void wait_call_begin(struct wait_call *c);
void wait_call_end(struct wait_call *c);

/* Waits until the program's descriptor fd is readable (for_write 0) or
 * writable, applying fd's receive or send timeout to the whole call.
 * Returns 0 (try again), 1 (a signal handler ran and, SA_RESTART, the
 * call restarts: try again, or what a restarted call says), or -1 with
 * EAGAIN (the timeout) or EINTR. */
int wait_fd(int fd, int for_write);
/* The next wait_fd of this thread returns 0 (try again) after ms at the
 * most: for a call that waits for what the descriptor cannot show. */
void wait_fd_bound(int ms);
/* The next wait_fd of this thread also returns 0 (try again) when fd is
 * readable or hung up: a holder's channel to the owner of its socket,
 * whose end says the owner is gone. */
void wait_fd_also(int fd);
/* This thread never waits: wait_fd answers EAGAIN at once (the owner's
 * server thread, which runs every call non-blocking for its holders). */
void wait_never_here(void);

#endif
