/* The shim's SCTP socket as the program sees it (Linux ABI side).
 *
 * The program holds one end (X) of an AF_UNIX socketpair; the shim keeps
 * the other end (Y) and a private duplicate of X.  Readiness of the usrsctp
 * socket is mirrored onto X, so poll, select, epoll (level and edge), raw
 * syscalls and FORTIFY variants all work on the real kernel descriptor
 * without the shim re-implementing any of them. */
#ifndef SCTPSHIM_SOCK_H
#define SCTPSHIM_SOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>

#include "stack.h"

struct mirror {
    int x;                 /* private duplicate of the program's end */
    int y;                 /* the shim's end */
    pthread_mutex_t lock;  /* orders updates of the flags below */
    atomic_uint ticket;    /* newest sync wins: see mirror_sync */
    int readable;          /* token bytes sitting in X's receive queue */
    int write_blocked;     /* X's send buffer is filled to the brim */
    int rd_hup, hup;       /* Y shut down for writing / both ways */
    unsigned upcalls;      /* bumped on every upcall, under lock */
    int send_blocked;      /* a send would block until the next upcall */
    pthread_cond_t changed; /* signalled on every upcall */
};

struct ssock {
    atomic_int refs;       /* program descriptors naming this socket */
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
    int reset_told;        /* ECONNRESET was reported for a received ABORT */
    int orphaned;          /* inherited by a fork child: unusable here */
    uint16_t claimed_port; /* host order, 0 when none */
    struct sockaddr_storage bound; /* as bound, for getsockname */
    int bound_set;
    int v4mapped;          /* SCTP_I_WANT_MAPPED_V4_ADDR */
    int v6only;            /* IPV6_V6ONLY */

    /* Linux-side receive options: which ancillary data and events the
     * program asked for, in the Linux sense. */
    uint32_t events;       /* bit per enum stk_notif_type */
    int recvrcvinfo, recvnxtinfo;
    struct stk_sndinfo defaults; /* SCTP_DEFAULT_SEND_PARAM / SNDINFO */

    pthread_mutex_t lock;  /* serialises implicit association set-up */
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

/* A descriptor of the program now names s too (dup). */
void sock_ref(struct ssock *s);
/* A program descriptor naming s is gone. */
void sock_release(struct ssock *s);
/* The program closed fd, which named s. */
int sock_close_fd(int fd, struct ssock *s);

/* Brings every socket's mirror in line with the stack.  Returns non-zero
 * when a sender is waiting for room the stack may not announce. */
int sock_resync_all(void);
/* A send was refused for lack of room (seen: the upcall count before it):
 * see mirror_send_blocked.  usrsctp never announces room in a one-to-many
 * queue, so sock_resync_all retries such a sender, starting now rather
 * than at the watch thread's next idle tick. */
void sock_send_blocked(struct ssock *s, unsigned seen);
/* Fork child: every inherited socket becomes unusable. */
void sock_orphan_all(void);
/* Exit: close every socket gracefully. */
void sock_close_all(void);

/* Brings X's readiness in line with the stack's. */
void mirror_sync(struct ssock *s);
/* The same, from the stack's upcall: news there is a new edge. */
void mirror_sync_upcall(struct ssock *s);
void mirror_hangup(struct ssock *s, int both);
/* Block until the stack may be readable / writable, the program's timeout
 * expires (EAGAIN), or a signal interrupts (EINTR). */
int mirror_wait(struct ssock *s, int for_write);
/* Wait (at most ms) for the stack's next upcall: for a send that does not
 * fit while the socket counts as writable, as Linux waits for room for
 * the whole message. */
void mirror_wait_upcall(struct ssock *s, unsigned seen, int ms);
void mirror_note_upcall(struct ssock *s);
/* A send was refused for lack of room although the stack counted the
 * socket writable: keep X not writable until the stack moves (unless it
 * moved since the attempt, seen being the upcall count before it).
 * Says whether it did. */
int mirror_send_blocked(struct ssock *s, unsigned seen);
int mirror_init(struct mirror *m, int *app_fd, int cloexec, int nonblock);
void mirror_destroy(struct mirror *m);

#endif
