#include "linger.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "registry.h"
#include "stack.h"

struct lingering {
    struct stk_sock *stk;
    uint16_t port;
    struct lingering *next;
};

static pthread_mutex_t linger_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lingering *lingering;

void linger_add(struct stk_sock *stk, uint16_t claimed_port)
{
    struct lingering *l = malloc(sizeof *l);
    if (!l) {
        stk_close(stk, 0); /* the caller holds the gate */
        if (claimed_port)
            registry_release(claimed_port);
        return;
    }
    /* SHUTDOWN goes out once the queued data is acknowledged. */
    stk_shutdown(stk, SHUT_WR);
    l->stk = stk;
    l->port = claimed_port;
    pthread_mutex_lock(&linger_lock);
    l->next = lingering;
    lingering = l;
    pthread_mutex_unlock(&linger_lock);
}

/* Gone when a receive no longer says "nothing yet": end of file or an
 * error.  Data the peer still sends is discarded, as for a closed socket. */
static int association_gone(struct stk_sock *stk)
{
    char sink[4096];
    struct iovec iv = {sink, sizeof sink};
    struct stk_rcvinfo ri;
    int flags;
    ssize_t r;
    while ((r = stk_recvv(stk, &iv, 1, NULL, NULL, &ri, &flags, 0)) > 0)
        ;
    return r == 0 || !stk_is_nonblocking_errno(errno);
}

static void reap(int force)
{
    struct lingering *done = NULL;
    pthread_mutex_lock(&linger_lock);
    for (struct lingering **p = &lingering; *p;) {
        struct lingering *l = *p;
        if (force || association_gone(l->stk)) {
            *p = l->next;
            l->next = done;
            done = l;
        } else {
            p = &l->next;
        }
    }
    pthread_mutex_unlock(&linger_lock);
    if (force && done)
        SHIM_LOG("exit: aborting associations still shutting down");
    while (done) {
        struct lingering *next = done->next;
        stk_close_gated(done->stk, force);
        if (done->port)
            registry_release(done->port);
        free(done);
        done = next;
    }
}

void linger_reap(void)
{
    if (__atomic_load_n(&lingering, __ATOMIC_RELAXED))
        reap(0);
}

void linger_finish(int ms)
{
    struct timespec ts = {0, 5 * 1000 * 1000};
    for (int waited = 0; __atomic_load_n(&lingering, __ATOMIC_RELAXED); waited += 5) {
        reap(waited >= ms);
        if (lingering)
            nanosleep(&ts, NULL);
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
