#include "remote/owners.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/real.h"
#include "base/thread.h"
#include "core/fdtab.h"
#include "core/privfd.h"
#include "core/sock.h"
#include "remote/chan.h"
#include "remote/migrate.h"
#include "remote/proto.h"

/* Held while the thread works, let go while it polls: fork takes it. */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static int running;
static int wake[2] = {-1, -1};

struct gather {
    struct pollfd *p;
    struct chan **who;
    size_t n, cap;
};

static void gather_one(struct chan *c, void *arg)
{
    struct gather *g = arg;
    if (c->fd < 0 || __atomic_load_n(&c->dead, __ATOMIC_ACQUIRE))
        return;
    if (g->n == g->cap) {
        size_t cap = g->cap * 2;
        struct pollfd *p = realloc(g->p, cap * sizeof *p);
        if (p)
            g->p = p;
        struct chan **w = p ? realloc(g->who, cap * sizeof *w) : NULL;
        if (!w)
            return;
        g->who = w;
        g->cap = cap;
    }
    /* Only the end: an answer to a call in progress (POLLIN) is the
     * caller's to read. */
    g->p[g->n] = (struct pollfd){c->fd, POLLRDHUP, 0};
    g->who[g->n++] = c;
}

/* The owner behind c is gone: every descriptor of this process that it
 * served wakes, so that a program waiting for it comes to call.  One that
 * will be made again here (a listener, an unconnected socket) gets a
 * token; one whose associations died with the owner shows the hang-up
 * it will keep (migrate.h), which wakes every waiter whatever the state
 * of its readiness mirror. */
static void owner_gone(struct chan *c)
{
    __atomic_store_n(&c->dead, 1, __ATOMIC_RELEASE);
    size_t bound = fdtab_program_bound();
    int woken = 0;
    for (size_t fd = 0; fd < bound; fd++) {
        struct ssock *s = fdtab_sock((int)fd) ? sock_get((int)fd) : NULL;
        if (!s)
            continue;
        if (s->remote == c) {
            if (migrate_movable(s))
                mirror_poke(&s->m);
            else
                mirror_hangup(&s->m, 1);
            woken++;
        }
        sock_release(s);
    }
    SHIM_LOG("the owner of %d inherited SCTP descriptor(s) is gone", woken);
}

static void *owners_loop(void *arg)
{
    (void)arg;
    struct gather g = {malloc(8 * sizeof *g.p), malloc(8 * sizeof *g.who), 0, 8};
    pthread_mutex_lock(&busy);
    for (;;) {
        if (!g.p || !g.who) {
            /* No memory for the list: look again later. */
            pthread_mutex_unlock(&busy);
            real.poll(NULL, 0, 1000);
            pthread_mutex_lock(&busy);
            if (!g.p)
                g.p = malloc(8 * sizeof *g.p);
            if (!g.who)
                g.who = malloc(8 * sizeof *g.who);
            continue;
        }
        g.n = 1;
        g.p[0] = (struct pollfd){wake[0], POLLIN, 0};
        g.who[0] = NULL;
        chan_each(gather_one, &g);
        pthread_mutex_unlock(&busy);
        int ready = real.poll(g.p, (nfds_t)g.n, -1);
        pthread_mutex_lock(&busy);
        if (ready <= 0)
            continue;
        if (g.p[0].revents) {
            char b[64];
            while (real.read(wake[0], b, sizeof b) > 0)
                ;
        }
        for (size_t i = 1; i < g.n; i++)
            if (g.p[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
                owner_gone(g.who[i]);
    }
    return NULL;
}

void owners_watch(void)
{
    if (running) {
        real.write(wake[1], "w", 1);
        return;
    }
    int w[2];
    if (rp_pair(w) < 0)
        return;
    real.fcntl(w[0], F_SETFL, O_NONBLOCK);
    wake[0] = w[0];
    wake[1] = w[1];
    int e = thread_start(owners_loop, NULL, 128 * 1024, "sctpshim holder");
    if (e != 0) {
        SHIM_LOG("cannot watch the owners of inherited sockets: %s", strerror(e));
        privfd_close(wake[0]);
        privfd_close(wake[1]);
        wake[0] = wake[1] = -1;
        return;
    }
    running = 1;
}

void owners_park(void)
{
    if (running)
        pthread_mutex_lock(&busy);
}

void owners_unpark(void)
{
    if (running)
        pthread_mutex_unlock(&busy);
}

void owners_forget_after_fork(void)
{
    pthread_mutex_init(&busy, NULL);
    if (!running)
        return;
    running = 0;
    privfd_close(wake[0]);
    privfd_close(wake[1]);
    wake[0] = wake[1] = -1;
}
