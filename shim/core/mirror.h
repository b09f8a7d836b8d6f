/* Readiness mirror: keeps the program's descriptor X readable and
 * writable exactly when the stack's socket is, so that poll, select,
 * epoll (level and edge), raw syscalls and FORTIFY variants all work on a
 * real kernel descriptor without the shim re-implementing any of them.
 * X is an AF_UNIX datagram socket, and the shim's only handle on it is a
 * private duplicate (one file, two descriptors): see mirror.c. */
#ifndef SCTPSHIM_MIRROR_H
#define SCTPSHIM_MIRROR_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>

struct stk_sock;

struct mirror {
    int x;                 /* private duplicate of the program's X */
    struct sockaddr_un name; /* X's own (autobound) address */
    socklen_t namelen;
    pthread_mutex_t lock;  /* orders updates of the flags below */
    atomic_uint ticket;    /* newest sync wins: see mirror_sync */
    int readable;          /* token datagrams sitting in X's queue */
    int write_blocked;     /* X is connected to the full sink */
    int rd_hup, hup;       /* X shut down for reading / both ways */
    unsigned upcalls;      /* bumped on every upcall, under lock */
    int send_blocked;      /* a send would block until the next upcall */
    int pending;           /* the shim itself has something for a reader:
                            * held messages (held.h), an error to report */
    int drained;           /* the stack's queue is moved into the held
                            * queue: its read event alone is no longer one
                            * for the program (see sock_set_drain) */
    pthread_cond_t changed; /* signalled on every upcall */
};

int mirror_init(struct mirror *m, int *app_fd, int cloexec, int nonblock);
void mirror_destroy(struct mirror *m);
/* Brings X's readiness in line with the stack socket's.  Returns non-zero
 * when the stack has something to read that a drained mirror leaves to
 * its drainer. */
int mirror_sync(struct mirror *m, struct stk_sock *stk);
/* The same, from the stack's upcall: news there is a new edge. */
int mirror_sync_upcall(struct mirror *m, struct stk_sock *stk);
void mirror_hangup(struct mirror *m, int both);
/* One more token: a new readable edge, so that a holder in another
 * process that only polls comes to look (its owner is going). */
void mirror_poke(struct mirror *m);
/* Neither readable nor hung up. */
int mirror_quiet(struct mirror *m);
/* Hung up for reading (end of file shown). */
int mirror_read_hung(struct mirror *m);
/* Block until the stack may be readable / writable, the program's timeout
 * expires (EAGAIN), or a signal interrupts (EINTR) or, SA_RESTART,
 * restarts the call (1): see wait_fd in core/wait.h. */
int mirror_wait(struct mirror *m, int for_write);
/* X is readable / writable now. */
int mirror_ready(struct mirror *m, int for_write);
/* Wait (at most ms) for the stack's next upcall: for a send that does not
 * fit while the socket counts as writable, as Linux waits for room for
 * the whole message. */
void mirror_wait_upcall(struct mirror *m, unsigned seen, int ms);
void mirror_note_upcall(struct mirror *m);
/* A send was refused for lack of room (seen: the upcall count before the
 * attempt).  X becomes not writable until the stack moves, so that room
 * appearing later is a new writable edge, as on Linux each freed chunk
 * wakes the writer.  If the stack moved during the attempt, the room it
 * made may already do: a sender that will wait just tries again, and for
 * one that gets EAGAIN (to_program), X is filled and brought in line with
 * the stack at once, itself a new edge.  Returns 1 when X stays blocked
 * until the next upcall. */
int mirror_send_blocked(struct mirror *m, struct stk_sock *stk, unsigned seen,
                        int to_program);

#endif
