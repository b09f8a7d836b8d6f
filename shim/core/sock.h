/* The shim's SCTP socket as the program sees it: the stack's socket, the
 * readiness mirror whose end X is the program's descriptor (mirror.h),
 * and the state Linux semantics keep for it.  ABI-neutral: values that
 * differ between Linux and usrsctp are in the neutral form of stack.h. */
#ifndef SCTPSHIM_SOCK_H
#define SCTPSHIM_SOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/held.h"
#include "core/assoc_opts.h"
#include "core/mirror.h"
#include "usrsctp/stack.h"

struct ssock {
    atomic_int refs;       /* program descriptors naming this socket, and
                            * calls in progress on it: as a file's count,
                            * the socket goes when both are gone */
    atomic_int inflight;   /* upcalls running now */
    struct stk_sock *stk;
    struct mirror m;
    struct ssock *next, *prev; /* all live sockets, for exit and fork */

    int family;            /* AF_INET / AF_INET6 */
    int type;              /* SOCK_STREAM (one-to-one) / SOCK_SEQPACKET */
    int listening;
    int connected;
    int connecting;
    int shut_wr;
    int eof;
    int reset_told;        /* a send reported conn_err (or ECONNRESET) */
    int conn_err;          /* what ended the association: ECONNRESET,
                            * ETIMEDOUT..., 0 while alive or after a
                            * graceful end (see lx_conn_error) */
    int rd_err_told;       /* a receive reported conn_err */
    int we_shut_first;     /* shutdown(SHUT_WR) before the peer's SHUTDOWN */
    int peer_shut;         /* the peer's SHUTDOWN ended what we read, while
                            * the association lives on (sock_resync_all) */
    long peer_shut_seen;   /* when the resync first saw it (ms), 0: not */
    int shut_rd;           /* shutdown(SHUT_RD): later data is dropped */
    int stk_done;          /* the stack's queue was taken to its end */
    int conn_tried;        /* one-to-one: its stack socket has associated */
    struct held held;      /* read from the stack, not yet by the program */
    int orphaned;          /* inherited by a fork child: no stack here */
    void *remote;          /* inherited: the channel to the owner's
                            * process (remote/), which runs the calls */
    uint64_t remote_id;    /* the socket as the owner knows it */
    int backlog;           /* as listen() was given it, for a migration */
    int peeled;            /* peeled off a one-to-many socket: one-to-one
                              in behaviour, SOCK_SEQPACKET in SO_TYPE */
    uint16_t claimed_port; /* host order, 0 when none */
    struct sockaddr_storage bound; /* as bound, for getsockname */
    int bound_set;
    int for_tcp;           /* made for a TCP socket (SCTPSHIM_TCP) */
    int v4mapped;          /* SCTP_I_WANT_MAPPED_V4_ADDR */
    int v6only;            /* IPV6_V6ONLY */
    uint32_t maxseg;       /* SCTP_MAXSEG the socket was given, 0: none */
    int auto_asconf;       /* SCTP_AUTO_ASCONF */

    /* Linux-side receive options: which ancillary data and events the
     * program asked for, in the Linux sense. */
    uint32_t events;       /* bit per enum stk_notif_type */
    int recvrcvinfo, recvnxtinfo;
    struct stk_sndinfo defaults; /* SCTP_DEFAULT_SEND_PARAM / SNDINFO */
    /* What associations of a one-to-many socket were told apart from it
     * (core/assoc_opts.h). */
    struct assoc_opts assoc;

    /* The socket lock, as the kernel's lock_sock(): every call on the
     * socket holds it, and lets go only while it waits (lx_block).
     * usrsctp's userland build leaves out the kernel's receive-buffer
     * lock (sblock), so two threads in usrsctp_recvv on one socket
     * corrupt its queue; this serialises them, and every other call. */
    pthread_mutex_t lock;
};

/* Creates a socket and returns the program's descriptor, or -1/errno. */
int sock_create(int family, int type, int cloexec, int nonblock);
/* Wraps a stack socket that accept() returned. */
int sock_adopt(struct ssock *parent, struct stk_sock *stk, struct ssock *s,
               int fd);
struct ssock *sock_alloc(int family, int type);
void sock_free(struct ssock *s);
/* The upcall function handed to the stack. */
void sock_upcall(void *arg);

/* The socket behind the program's descriptor fd, with a reference that
 * keeps it alive whatever other threads do to fd, or NULL. */
struct ssock *sock_get(int fd);
/* A call on fd starts: sock_get, then the socket lock, then the stack's
 * gate (usrsctp/gate.h: no packet or timer tick is handled meanwhile).
 * NULL when fd is not (or no longer) a shim socket. */
struct ssock *sock_call_begin(int fd);
/* ... and ends: the gate, the lock and the reference go (the socket with
 * it, if its last descriptor was closed meanwhile). */
void sock_call_end(struct ssock *s);
/* A call lets go of lock and gate while it waits, and takes them back. */
void sock_call_pause(struct ssock *s);
void sock_call_resume(struct ssock *s);
/* A descriptor of the program now names s too (dup). */
void sock_ref(struct ssock *s);
/* A program descriptor naming s is gone. */
void sock_release(struct ssock *s);
/* The program closed fd, which named s. */
int sock_close_fd(int fd, struct ssock *s);

/* Brings every socket's mirror in line with the stack.  Returns non-zero
 * when a sender is waiting for room the stack may not announce. */
int sock_resync_all(void);
/* A socket whose mirror is drained (mirror.h) has the stack's queue moved
 * into its held queue by fn, from the watch thread when the stack's
 * upcall says there is something: the upcall itself may not read. */
void sock_set_drain(void (*fn)(struct ssock *s));
/* A send was refused for lack of room (seen: the upcall count before it;
 * to_program: the caller returns EAGAIN rather than wait): see
 * mirror_send_blocked.  usrsctp never announces room in a one-to-many
 * queue, so sock_resync_all retries such a sender, starting now rather
 * than at the watch thread's next idle tick. */
void sock_send_blocked(struct ssock *s, unsigned seen, int to_program);
/* Brings the program's descriptor's readiness in line with the stack's. */
static inline void sock_sync(struct ssock *s)
{
    mirror_sync(&s->m, s->stk);
}
/* Fork child: no inherited socket has a stack socket here any more. */
void sock_orphan_all(void);
/* Whether s became unusable (fork child, exit).  Atomic: the exiting
 * thread orphans sockets other threads are still calling on. */
static inline int sock_orphaned(const struct ssock *s)
{
    return __atomic_load_n(&s->orphaned, __ATOMIC_ACQUIRE);
}
/* Fork child, after sock_orphan_all: the inherited sockets the child
 * has no descriptor of (all but held[0..n)) are let go. */
void sock_forget_unheld_after_fork(struct ssock *const *held, size_t n);
/* A socket whose stack lives in another process, for the program's
 * descriptor fd (remote/ makes the calls); -1/errno. */
struct ssock *sock_attach_remote(int fd, int family, int type, void *remote,
                                 uint64_t id);
/* Gives an inherited socket a stack socket of this process's own (its
 * owner is gone); the caller binds and listens again.  -1/errno. */
int sock_localize(struct ssock *s, int fd);
/* What a holder does when its last descriptor of a remote socket goes,
 * and what the owner does for its holders after sock_close_all. */
void sock_set_remote_hooks(void (*release)(struct ssock *s),
                           void (*at_exit)(void));
/* Exit: every socket's associations end as for close() (linger.h holds
 * them until they are done); each socket becomes unusable, nothing is
 * freed. */
void sock_close_all(void);


#endif
