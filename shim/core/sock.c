/* Lifetime of the shim's sockets: creation, descriptor references (dup),
 * close, and what fork and exit do to them. */
#include "core/sock.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/real.h"
#include "core/fdtab.h"
#include "core/life.h"
#include "core/linger.h"
#include "core/registry.h"
#include "core/privfd.h"
#include "core/samehost.h"
#include "core/watch.h"
#include "usrsctp/gate.h"

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ssock *live;
static void (*drain_fn)(struct ssock *s);
static void (*remote_release_fn)(struct ssock *s);
static void (*remote_exit_fn)(void);

void sock_set_remote_hooks(void (*release)(struct ssock *s),
                           void (*at_exit)(void))
{
    __atomic_store_n(&remote_release_fn, release, __ATOMIC_RELEASE);
    __atomic_store_n(&remote_exit_fn, at_exit, __ATOMIC_RELEASE);
}

void sock_set_drain(void (*fn)(struct ssock *s))
{
    __atomic_store_n(&drain_fn, fn, __ATOMIC_RELEASE);
}

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
    s->m.x = -1;
    pthread_mutex_init(&s->lock, NULL);
    held_init(&s->held);
    assoc_opts_init(&s->assoc);
    return s;
}

void sock_free(struct ssock *s)
{
    mirror_destroy(&s->m);
    assoc_opts_free(&s->assoc);
    pthread_mutex_destroy(&s->lock);
    held_destroy(&s->held);
    free(s);
}

void sock_upcall(void *arg)
{
    struct ssock *s = arg;
    atomic_fetch_add(&s->inflight, 1);
    /* The stack may call before stk_socket/stk_accept has returned the
     * handle; publish() syncs the mirror once the socket is complete. */
    if (__atomic_load_n(&s->stk, __ATOMIC_ACQUIRE) &&
        !sock_orphaned(s)) {
        mirror_note_upcall(&s->m);
        if (mirror_sync_upcall(&s->m, s->stk) && !s->stk_done)
            watch_kick();
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
    stk_set_fd(s->stk, fd);
    sock_sync(s);
    return fd;
}

static int stack_up(void)
{
    if (stk_global_init() < 0)
        return -1;
    watch_start(sock_resync_all);
    life_publish(stk_local_udp_port());
    return 0;
}

int sock_create(int family, int type, int cloexec, int nonblock)
{
    if (stack_up() < 0)
        return -1;
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
    s->for_tcp = parent->for_tcp;
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

struct ssock *sock_get(int fd)
{
    fdtab_lock(fd);
    struct ssock *s = fdtab_sock(fd);
    if (s)
        sock_ref(s);
    fdtab_unlock(fd);
    return s;
}

void sock_call_resume(struct ssock *s)
{
    pthread_mutex_lock(&s->lock);
    gate_shut();
}

void sock_call_pause(struct ssock *s)
{
    gate_open();
    pthread_mutex_unlock(&s->lock);
}

struct ssock *sock_call_begin(int fd)
{
    struct ssock *s = sock_get(fd);
    if (s)
        sock_call_resume(s);
    return s;
}

void sock_call_end(struct ssock *s)
{
    sock_call_pause(s);
    sock_release(s);
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

/* Whether closing s aborts its associations, as Linux's close() does:
 * data left unread, or SO_LINGER on with a zero timeout. */
static int close_aborts(struct ssock *s)
{
    /* A one-to-one listener has no data of its own to leave unread. */
    if (s->type == SOCK_STREAM && s->listening)
        return 0;
    /* What a partial read left in the shim counts as unread too. */
    if (unread_data_at_close(s) || held_has_data(&s->held))
        return 1;
    int lv[2] = {0, 0};
    size_t ll = sizeof lv;
    return stk_getopt(s->stk, STK_O_LINGER, lv, &ll) == 0 && lv[0] &&
           lv[1] == 0;
}

/* No upcall may use s once this returns. */
static void detach(struct ssock *s)
{
    stk_detach_upcall(s->stk);
    /* An upcall that started before the detach may still be using s. */
    while (atomic_load(&s->inflight))
        sched_yield();
}

/* Closes the stack side; the port claim goes with it, now or when the
 * last association is gone (linger.h). */
static void close_stack_socket(struct ssock *s)
{
    detach(s);
    /* No packet may be handled between the drain in close_aborts and the
     * close: usrsctp aborts an association, instead of shutting it down,
     * when anything is unread at close, even a notification that arrived
     * in between. */
    gate_shut();
    int abortive = close_aborts(s);
    int wait = !abortive && s->type == SOCK_STREAM && !s->listening &&
               s->connected && samehost_close_waits(s->stk);
    linger_close(s->stk, s->claimed_port, abortive);
    gate_open();
    s->claimed_port = 0;
    if (wait)
        samehost_close_wait(s->stk);
}

static void sock_destroy(struct ssock *s)
{
    live_remove(s);
    if (!sock_orphaned(s))
        close_stack_socket(s);
    else if (s->remote) {
        void (*fn)(struct ssock *) =
            __atomic_load_n(&remote_release_fn, __ATOMIC_ACQUIRE);
        if (fn)
            fn(s);
    }
    sock_free(s);
}

void sock_forget_unheld_after_fork(struct ssock *const *held, size_t n)
{
    for (struct ssock *s = live, *next; s; s = next) {
        next = s->next;
        size_t i = 0;
        while (i < n && held[i] != s)
            i++;
        if (i < n)
            continue;
        /* Neither this process's nor held here: its duplicate of the
         * descriptor would only keep the parent's socket file open. */
        privfd_close(s->m.x);
        s->m.x = -1;
        live_remove(s);
    }
}

struct ssock *sock_attach_remote(int fd, int family, int type, void *remote,
                                 uint64_t id)
{
    struct ssock *s = sock_alloc(family, type);
    if (!s)
        return NULL;
    s->m.x = privfd_dup(fd);
    if (s->m.x < 0) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->m.lock, NULL);
    pthread_cond_init(&s->m.changed, NULL);
    s->m.namelen = sizeof s->m.name;
    real.getsockname(fd, (struct sockaddr *)&s->m.name, &s->m.namelen);
    s->orphaned = 1;
    s->remote = remote;
    s->remote_id = id;
    if (fdtab_set(fd, s) < 0) {
        sock_free(s);
        return NULL;
    }
    live_add(s);
    return s;
}

int sock_localize(struct ssock *s, int fd)
{
    if (stack_up() < 0)
        return -1;
    struct stk_sock *stk = stk_socket(s->family, s->type == SOCK_SEQPACKET,
                                      sock_upcall, s);
    if (!stk)
        return -1;
    s->remote = NULL;
    s->connected = s->connecting = s->conn_tried = 0;
    s->claimed_port = 0;
    s->bound_set = 0;
    s->listening = 0;
    __atomic_store_n(&s->stk, stk, __ATOMIC_RELEASE);
    __atomic_store_n(&s->orphaned, 0, __ATOMIC_RELEASE);
    stk_set_fd(stk, fd);
    sock_sync(s);
    return 0;
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

void sock_send_blocked(struct ssock *s, unsigned seen, int to_program)
{
    if (mirror_send_blocked(&s->m, s->stk, seen, to_program) &&
        s->type == SOCK_SEQPACKET)
        watch_kick();
}

/* Linux takes the peer's SHUTDOWN as the end of what a one-to-one
 * socket reads (RCV_SHUTDOWN on SHUTDOWN_RECEIVED); usrsctp only the
 * association's end, which waits for our data, or for minutes when our
 * SHUTDOWN-COMPLETE was lost and the peer's process is gone.  The shim
 * says end of file once the association has stayed so, with nothing to
 * read, for a second: by then usrsctp's SHUTDOWN event, which it may queue
 * after it changed the state, has come. */
#define PEER_SHUT_SETTLE_MS 1000

static int peer_shut_settled(struct ssock *s)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long now = ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
    if (!s->peer_shut_seen) {
        s->peer_shut_seen = now;
        return 0;
    }
    return now - s->peer_shut_seen >= PEER_SHUT_SETTLE_MS;
}

/* Drained sockets (sock_set_drain) whose stack has something, each with
 * a reference: drained after the list lock is let go, since a drain
 * takes the socket's lock and the gate as a call does, and calls take
 * the list lock inside those (a new socket). */
struct drain_list {
    struct ssock **v;
    size_t n, cap;
};

/* A reference, unless the socket is already on its way out. */
static int ref_if_live(struct ssock *s)
{
    int r = atomic_load(&s->refs);
    while (r > 0)
        if (atomic_compare_exchange_weak(&s->refs, &r, r + 1))
            return 1;
    return 0;
}

static void drain_later(struct drain_list *l, struct ssock *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct ssock **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return; /* the next tick tries again */
        l->v = v;
        l->cap = cap;
    }
    if (ref_if_live(s))
        l->v[l->n++] = s;
}

static void drain_now(struct drain_list *l)
{
    void (*drain)(struct ssock *) = __atomic_load_n(&drain_fn, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < l->n; i++) {
        struct ssock *s = l->v[i];
        /* A socket in a call now is drained by that call or next time. */
        if (drain && pthread_mutex_trylock(&s->lock) == 0) {
            gate_shut();
            if (!s->stk_done && !sock_orphaned(s))
                drain(s);
            gate_open();
            pthread_mutex_unlock(&s->lock);
        }
        sock_release(s);
    }
    free(l->v);
}

int sock_resync_all(void)
{
    int blocked = 0;
    struct drain_list later = {NULL, 0, 0};
    /* Holding the list lock keeps every listed socket alive: destroying
     * one starts by taking it off the list. */
    pthread_mutex_lock(&live_lock);
    for (struct ssock *s = live; s; s = s->next) {
        if (sock_orphaned(s) ||
            !__atomic_load_n(&s->stk, __ATOMIC_ACQUIRE))
            continue;
        /* usrsctp does not always call back when a one-to-many
         * association's send queue drains: a sender waiting for that
         * retries now, as after an upcall.  (One-to-one sockets do get
         * their upcall; waking their senders for nothing would only widen
         * the window in which a signal lands between two waits and is
         * not seen as EINTR.) */
        if (s->type == SOCK_SEQPACKET &&
            __atomic_load_n(&s->m.send_blocked, __ATOMIC_RELAXED)) {
            mirror_note_upcall(&s->m);
            blocked = 1;
        }
        /* The socket's state is the calls' to change, and a call may
         * replace its stack socket (stk_renew closes the old one under
         * the socket's lock): a socket in a call now is seen next time,
         * or by the call itself. */
        if (pthread_mutex_trylock(&s->lock) != 0)
            continue;
        int to_drain = mirror_sync(&s->m, s->stk);
        if (to_drain)
            drain_later(&later, s);
        if (s->type != SOCK_STREAM) {
            pthread_mutex_unlock(&s->lock);
            continue;
        }
        /* usrsctp can free a one-to-one association (SHUTDOWN done while
         * data was still unread) without ever flagging the socket
         * readable.  (Not where this side shut down first: Linux reports
         * nothing there.) */
        int drained = __atomic_load_n(&s->m.drained, __ATOMIC_ACQUIRE);
        /* (A reader still gets what is queued first, so readiness need
         * not be quiet; usrsctp sometimes flags such a socket readable
         * with nothing to read.) */
        if (s->connected && !s->eof && !s->peer_shut && !drained &&
            !mirror_read_hung(&s->m)) {
            int ps = stk_peer_state(s->stk);
            if (ps == STK_PEER_GONE) {
                SHIM_LOG("association of %d gone without end of file", s->m.x);
                mirror_hangup(&s->m, s->shut_wr);
            } else if (ps == STK_PEER_SHUT && peer_shut_settled(s)) {
                s->peer_shut = 1;
                mirror_hangup(&s->m, s->shut_wr);
            } else if (ps != STK_PEER_SHUT) {
                s->peer_shut_seen = 0;
            }
        }
        pthread_mutex_unlock(&s->lock);
    }
    pthread_mutex_unlock(&live_lock);
    drain_now(&later);
    linger_reap();
    stk_wire_tick();
    return blocked;
}

void sock_orphan_all(void)
{
    pthread_mutex_init(&live_lock, NULL);
    for (struct ssock *s = live; s; s = s->next) {
        __atomic_store_n(&s->orphaned, 1, __ATOMIC_RELEASE);
        pthread_mutex_init(&s->lock, NULL);
        pthread_mutex_init(&s->assoc.lock, NULL);
        pthread_mutex_init(&s->m.lock, NULL);
        pthread_mutex_init(&s->held.lock, NULL);
        pthread_mutex_init(&s->held.take, NULL);
    }
}

void sock_close_all(void)
{
    /* Each socket with a reference, taken under the list lock: other
     * threads may still close (and so unlist) sockets meanwhile, and the
     * list stays whole for them.  The references are never given back:
     * nothing is freed at exit. */
    struct ssock **v = NULL;
    size_t n = 0, cap = 0;
    pthread_mutex_lock(&live_lock);
    for (struct ssock *s = live; s; s = s->next) {
        if (sock_orphaned(s))
            continue;
        if (n == cap) {
            size_t c = cap ? 2 * cap : 16;
            struct ssock **w = realloc(v, c * sizeof *w);
            if (!w)
                break;
            v = w;
            cap = c;
        }
        if (ref_if_live(s))
            v[n++] = s;
    }
    pthread_mutex_unlock(&live_lock);
    for (size_t i = 0; i < n; i++) {
        struct ssock *s = v[i];
        /* As the kernel does when a process exits: a close, whose data
         * and SHUTDOWN the exit waits for.  Another thread may still be
         * inside a call on s (orphaned, its next call waits for the end,
         * lifecycle.h). */
        detach(s);
        __atomic_store_n(&s->orphaned, 1, __ATOMIC_RELEASE);
        /* Outside any program call: the gate is taken here, as every
         * program call into usrsctp takes it (usrsctp/gate.h). */
        gate_shut();
        linger_at_exit(s->stk, close_aborts(s));
        gate_open();
    }
    free(v);
    void (*fn)(void) = __atomic_load_n(&remote_exit_fn, __ATOMIC_ACQUIRE);
    if (fn)
        fn();
}
