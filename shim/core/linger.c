#include "core/linger.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/real.h"
#include "core/registry.h"
#include "usrsctp/gate.h"
#include "core/watch.h"
#include "usrsctp/stack.h"

struct lingering {
    struct stk_sock *stk;
    int owned;     /* closed by the program: closed here when done */
    uint16_t port; /* its port claim, released then (0: none) */
    long acked_at; /* at exit: when all our data was acknowledged (ms) */
    long grace_ms; /* how long the end may take after that */
    struct lingering *next;
};

enum reap_mode { REAP_GONE, REAP_AT_EXIT, REAP_FORCE };

static pthread_mutex_t linger_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lingering *lingering;
static int reap_pending; /* a lingering socket's association moved */
static struct timespec last_reap;

static unsigned moves; /* upcalls of lingering sockets (linger_moves) */

/* The upcall of every lingering socket. */
static void moved(void)
{
    __atomic_add_fetch(&moves, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&reap_pending, 1, __ATOMIC_RELEASE);
    watch_kick();
}

static void add(struct stk_sock *stk, int owned, uint16_t port)
{
    struct lingering *l = malloc(sizeof *l);
    if (!l) {
        /* Nothing to wait with: the association ends as usrsctp's close
         * ends it, and the port goes now. */
        if (owned) {
            stk_close(stk, 0); /* the caller holds the gate */
            if (port)
                registry_release(port);
        }
        return;
    }
    l->stk = stk;
    l->owned = owned;
    l->port = port;
    l->acked_at = 0;
    l->grace_ms = 0;
    pthread_mutex_lock(&linger_lock);
    l->next = lingering;
    /* linger_reap looks without the lock */
    __atomic_store_n(&lingering, l, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&linger_lock);
}

void linger_close(struct stk_sock *stk, uint16_t claimed_port, int abortive)
{
    if (!abortive && stk_end_assocs(stk, 0) > 0) {
        /* The upcall now only says "look again": on the association's
         * end, the watch thread reaps at once, not at the next tick. */
        stk_set_wake(stk, moved);
        add(stk, 1, claimed_port);
        return;
    }
    stk_close(stk, abortive);
    if (claimed_port)
        registry_release(claimed_port);
}

void linger_at_exit(struct stk_sock *stk, int abortive)
{
    if (stk_end_assocs(stk, abortive) > 0)
        add(stk, 0, 0);
}

/* Data the peer still sends is discarded, as for a closed socket: left
 * unread, it would close the peer's window and keep the association from
 * ever finishing. */
static int gone(struct stk_sock *stk)
{
    char sink[4096];
    struct iovec iv = {sink, sizeof sink};
    struct stk_rcvinfo ri;
    int flags;
    while (stk_recvv(stk, &iv, 1, NULL, NULL, &ri, &flags, 0) > 0)
        ;
    return stk_assocs_left(stk) == 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* At exit, the wait is for our data and for the peer to learn that we
 * are done (our SHUTDOWN answered).  What is left after that, the last
 * SHUTDOWN-ACK or SHUTDOWN-COMPLETE, is waited for a few retransmission
 * timeouts more, not until the peer gives up: a lost SHUTDOWN-COMPLETE is
 * never sent again, and the kernel that would answer the peer's next
 * SHUTDOWN-ACK after the process is gone is not there. */
static int done_at_exit(struct lingering *l)
{
    int rto_ms = 0;
    if (stk_assocs_owing(l->stk, &rto_ms) > 0) {
        l->acked_at = 0;
        return 0;
    }
    long now = now_ms();
    if (!l->acked_at) {
        l->acked_at = now;
        l->grace_ms = 3L * (rto_ms > 0 ? rto_ms : 1000);
        if (l->grace_ms > 5000)
            l->grace_ms = 5000;
    }
    return now - l->acked_at >= l->grace_ms;
}

static void reap(enum reap_mode mode)
{
    struct lingering *done = NULL;
    gate_shut(); /* before linger_lock: close_stack_socket nests them so */
    pthread_mutex_lock(&linger_lock);
    for (struct lingering **p = &lingering; *p;) {
        struct lingering *l = *p;
        if (mode == REAP_FORCE || gone(l->stk) ||
            (mode == REAP_AT_EXIT && done_at_exit(l))) {
            __atomic_store_n(p, l->next, __ATOMIC_RELAXED);
            l->next = done;
            done = l;
        } else {
            p = &l->next;
        }
    }
    pthread_mutex_unlock(&linger_lock);
    int force = mode == REAP_FORCE;
    if (force && done)
        SHIM_LOG("exit: aborting associations still shutting down");
    while (done) {
        struct lingering *next = done->next;
        if (done->owned) {
            stk_close_gated(done->stk, force);
            if (done->port)
                registry_release(done->port);
        } else if (force) {
            stk_end_assocs(done->stk, 1);
        }
        free(done);
        done = next;
    }
    gate_open();
}

unsigned linger_moves(void)
{
    return __atomic_load_n(&moves, __ATOMIC_ACQUIRE);
}

int linger_ending(struct stk_sock *stk)
{
    int r = 0;
    gate_shut(); /* before linger_lock, as in reap */
    pthread_mutex_lock(&linger_lock);
    for (struct lingering *l = lingering; l; l = l->next)
        if (l->stk == stk) {
            r = stk_assocs_left(stk) > 0;
            break;
        }
    pthread_mutex_unlock(&linger_lock);
    gate_open();
    return r;
}

/* The watch thread calls this on every tick, which may come each
 * millisecond (see watch.h): the sockets are looked at when one of them
 * moved, or else a few times a second. */
void linger_reap(void)
{
    if (!__atomic_load_n(&lingering, __ATOMIC_RELAXED))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long since_ms = (now.tv_sec - last_reap.tv_sec) * 1000 +
                    (now.tv_nsec - last_reap.tv_nsec) / 1000000;
    if (!__atomic_exchange_n(&reap_pending, 0, __ATOMIC_ACQ_REL) &&
        since_ms < 200)
        return;
    last_reap = now;
    reap(REAP_GONE);
}

void linger_finish(int ms)
{
    const long step_ms = 5;
    struct timespec ts = {0, step_ms * 1000 * 1000};
    for (long waited = 0; __atomic_load_n(&lingering, __ATOMIC_RELAXED);
         waited += step_ms) {
        reap(ms >= 0 && waited >= ms ? REAP_FORCE : REAP_AT_EXIT);
        if (__atomic_load_n(&lingering, __ATOMIC_RELAXED))
            real.nanosleep(&ts, NULL);
    }
}

void linger_forget_after_fork(void)
{
    pthread_mutex_init(&linger_lock, NULL);
    while (lingering) {
        struct lingering *next = lingering->next;
        free(lingering);
        lingering = next;
    }
}
