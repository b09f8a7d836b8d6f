/* Lifetime of the shim's sockets: creation, descriptor references (dup),
 * close, and what fork and exit do to them. */
#include "sock.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"
#include "gate.h"
#include "lifecycle.h"
#include "linger.h"
#include "log.h"
#include "watch.h"
#include "real.h"
#include "registry.h"

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ssock *live;

static void live_add(struct ssock *s)
{
    pthread_mutex_lock(&live_lock);
    s->next = live;
    s->prev = NULL;
    if (live)
        live->prev = s;
    live = s;
    pthread_mutex_unlock(&live_lock);
}

static void live_remove(struct ssock *s)
{
    pthread_mutex_lock(&live_lock);
    if (s->prev)
        s->prev->next = s->next;
    else if (live == s)
        live = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
    pthread_mutex_unlock(&live_lock);
}

struct ssock *sock_alloc(int family, int type)
{
    struct ssock *s = calloc(1, sizeof *s);
    if (!s) {
        errno = ENOBUFS;
        return NULL;
    }
    atomic_init(&s->refs, 1);
    s->family = family;
    s->type = type;
    s->v4mapped = 1; /* Linux's default */
    s->m.x = s->m.y = -1;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void sock_free(struct ssock *s)
{
    mirror_destroy(&s->m);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void sock_upcall(void *arg)
{
    struct ssock *s = arg;
    atomic_fetch_add(&s->inflight, 1);
    /* The stack may call before stk_socket/stk_accept has returned the
     * handle; publish() syncs the mirror once the socket is complete. */
    if (__atomic_load_n(&s->stk, __ATOMIC_ACQUIRE) && !s->orphaned) {
        mirror_note_upcall(s);
        mirror_sync_upcall(s);
    }
    atomic_fetch_sub(&s->inflight, 1);
}

/* The program's descriptor goes into the table last, once the socket is
 * complete: until then no other thread can reach it. */
static int publish(struct ssock *s, int fd)
{
    if (fdtab_set(fd, s) < 0) {
        int e = errno;
        real.close(fd);
        errno = e;
        return -1;
    }
    live_add(s);
    mirror_sync(s);
    return fd;
}

int sock_create(int family, int type, int cloexec, int nonblock)
{
    if (lifecycle_first_socket() < 0 || stk_global_init() < 0)
        return -1;
    watch_start();
    struct ssock *s = sock_alloc(family, type);
    int fd;
    if (!s)
        return -1;
    if (mirror_init(&s->m, &fd, cloexec, nonblock) < 0) {
        free(s);
        return -1;
    }
    struct stk_sock *stk = stk_socket(family, type == SOCK_SEQPACKET,
                                      sock_upcall, s);
    __atomic_store_n(&s->stk, stk, __ATOMIC_RELEASE);
    if (!s->stk) {
        int e = errno;
        real.close(fd);
        sock_free(s);
        errno = e ? e : ENOBUFS;
        return -1;
    }
    if (publish(s, fd) < 0) {
        stk_close_gated(s->stk, 1);
        sock_free(s);
        return -1;
    }
    return fd;
}

int sock_adopt(struct ssock *parent, struct stk_sock *stk, struct ssock *s,
               int fd)
{
    s->connected = 1;
    s->events = parent->events;
    s->recvrcvinfo = parent->recvrcvinfo;
    s->recvnxtinfo = parent->recvnxtinfo;
    s->defaults = parent->defaults;
    s->v4mapped = parent->v4mapped;
    __atomic_store_n(&s->stk, stk, __ATOMIC_RELEASE);
    if (publish(s, fd) < 0) {
        stk_close_gated(stk, 1);
        sock_free(s);
        return -1;
    }
    return fd;
}

void sock_ref(struct ssock *s)
{
    atomic_fetch_add(&s->refs, 1);
}

/* usrsctp aborts an association on close when anything is left unread;
 * Linux only when unread data is (notifications do not count).  So unread
 * notifications are discarded first, and an abort stays an abort. */
static int unread_data_at_close(struct ssock *s)
{
    char sink[4096]; /* on the stack: the shim adds no TLS to threads */
    struct iovec iv = {sink, sizeof sink};
    struct stk_rcvinfo ri;
    int flags, data = 0;
    ssize_t r;
    while ((r = stk_recvv(s->stk, &iv, 1, NULL, NULL, &ri, &flags, 0)) > 0)
        if (!(flags & STK_F_NOTIFICATION))
            data = 1;
    return data;
}

/* Closes the stack side; the port claim goes with it (now, or when a
 * lingering association is done). */
static void close_stack_socket(struct ssock *s)
{
    stk_detach_upcall(s->stk);
    /* An upcall that started before the detach may still be using s. */
    while (atomic_load(&s->inflight))
        sched_yield();
    /* No packet may be handled between the drain below and the close:
     * usrsctp aborts an association, instead of shutting it down, when
     * anything is unread at close, even a notification that arrived in
     * between. */
    gate_shut();
    /* A one-to-one listener has no data of its own to leave unread. */
    int abort = s->type == SOCK_STREAM && s->listening
                    ? 0
                    : unread_data_at_close(s);
    /* SO_LINGER on with a zero timeout: Linux aborts at close. */
    int lv[2] = {0, 0};
    size_t ll = sizeof lv;
    if (!abort && stk_getopt(s->stk, STK_O_LINGER, lv, &ll) == 0 && lv[0] &&
        lv[1] == 0)
        abort = 1;
    if (!abort && s->type == SOCK_STREAM && s->connected && !s->eof) {
        /* Closing usrsctp sockets while their association shuts down
         * races its receive thread; let the association finish first. */
        linger_add(s->stk, s->claimed_port);
    } else {
        stk_close(s->stk, abort);
        if (s->claimed_port)
            registry_release(s->claimed_port);
    }
    gate_open();
    s->claimed_port = 0;
    linger_reap();
}

static void sock_destroy(struct ssock *s)
{
    live_remove(s);
    if (!s->orphaned)
        close_stack_socket(s);
    sock_free(s);
}

void sock_release(struct ssock *s)
{
    if (atomic_fetch_sub(&s->refs, 1) == 1)
        sock_destroy(s);
}

int sock_close_fd(int fd, struct ssock *s)
{
    int r = real.close(fd);
    sock_release(s);
    return r;
}

void sock_send_blocked(struct ssock *s, unsigned seen)
{
    if (mirror_send_blocked(s, seen) && s->type == SOCK_SEQPACKET)
        watch_kick();
}

int sock_resync_all(void)
{
    int blocked = 0;
    /* Holding the list lock keeps every listed socket alive: destroying
     * one starts by taking it off the list. */
    pthread_mutex_lock(&live_lock);
    for (struct ssock *s = live; s; s = s->next) {
        if (s->orphaned || !__atomic_load_n(&s->stk, __ATOMIC_ACQUIRE))
            continue;
        /* usrsctp does not always call back when a one-to-many
         * association's send queue drains: a sender waiting for that
         * retries now, as after an upcall.  (One-to-one sockets do get
         * their upcall; waking their senders for nothing would only widen
         * the window in which a signal lands between two waits and is
         * not seen as EINTR.) */
        if (s->type == SOCK_SEQPACKET &&
            __atomic_load_n(&s->m.send_blocked, __ATOMIC_RELAXED)) {
            mirror_note_upcall(s);
            blocked = 1;
        }
        mirror_sync(s);
        /* usrsctp can free a one-to-one association (SHUTDOWN done while
         * data was still unread) without ever flagging the socket
         * readable; Linux reports end of file. */
        if (s->type == SOCK_STREAM && s->connected && !s->eof &&
            !s->m.readable && !s->m.rd_hup && !stk_assoc_alive(s->stk)) {
            SHIM_LOG("association of %d gone without end of file", s->m.x);
            mirror_hangup(s, s->shut_wr);
        }
    }
    pthread_mutex_unlock(&live_lock);
    return blocked;
}

void sock_orphan_all(void)
{
    pthread_mutex_init(&live_lock, NULL);
    for (struct ssock *s = live; s; s = s->next) {
        s->orphaned = 1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_mutex_init(&s->m.lock, NULL);
    }
}

void sock_close_all(void)
{
    pthread_mutex_lock(&live_lock);
    struct ssock *s = live;
    live = NULL;
    pthread_mutex_unlock(&live_lock);
    while (s) {
        struct ssock *next = s->next;
        if (!s->orphaned) {
            /* As the kernel does when a process exits: a graceful close,
             * whose data and SHUTDOWN the exit drain waits for. */
            close_stack_socket(s);
            s->orphaned = 1;
        }
        s = next;
    }
}
