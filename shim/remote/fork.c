#include "remote/fork.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/real.h"
#include "core/fdtab.h"
#include "core/life.h"
#include "core/privfd.h"
#include "core/sock.h"
#include "core/watch.h"
#include "remote/chan.h"
#include "remote/owners.h"
#include "remote/proto.h"
#include "remote/remote.h"
#include "remote/server.h"
#include "usrsctp/gate.h"

/* One fork at a time; what prepare found is the child's to use. */
static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

struct heldsock {
    struct ssock *s;
    int fds; /* the program's descriptors naming it */
};

static struct {
    struct heldsock *v;
    size_t n;
    struct ssock **owned;
    size_t nowned;
    int child_fd;   /* the child's connection to this process, or -1 */
    struct via {
        struct chan *c;
        int fd;     /* the child's connection to c's owner, or -1 */
    } *via;
    size_t nvia, capvia;
    int parked;
} f;

static void note(struct ssock *s)
{
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].s == s) {
            f.v[i].fds++;
            return;
        }
    struct heldsock *v = realloc(f.v, (f.n + 1) * sizeof *v);
    if (!v)
        return;
    f.v = v;
    f.v[f.n++] = (struct heldsock){s, 1};
    if (!sock_orphaned(s)) {
        struct ssock **o = realloc(f.owned, (f.nowned + 1) * sizeof *o);
        if (o) {
            f.owned = o;
            f.owned[f.nowned++] = s;
        }
    }
}

static void ask_owner(struct chan *c, void *arg)
{
    (void)arg;
    if (f.nvia == f.capvia) {
        size_t cap = f.capvia ? 2 * f.capvia : 4;
        struct via *v = realloc(f.via, cap * sizeof *v);
        if (!v)
            return;
        f.via = v;
        f.capvia = cap;
    }
    int fd = -1;
    if (!__atomic_load_n(&c->dead, __ATOMIC_ACQUIRE)) {
        struct rp_req q = {.op = RP_FORK};
        struct rp_resp *r = chan_call(c, &q, NULL, 0, &fd);
        if (r && r->ret < 0 && fd >= 0) {
            real.close(fd);
            fd = -1;
        }
        free(r);
    }
    if (fd >= 0) {
        int p = privfd_dup(fd); /* above the program's numbers */
        real.close(fd);
        fd = p;
    }
    f.via[f.nvia++] = (struct via){c, fd};
}

void remote_fork_prepare(void)
{
    pthread_mutex_lock(&fork_lock);
    f.n = f.nowned = f.nvia = 0;
    f.child_fd = -1;
    f.parked = 0;
    if (!__atomic_load_n(&fdtab_slots, __ATOMIC_ACQUIRE))
        return; /* never an SCTP socket here */
    size_t bound = fdtab_program_bound();
    for (size_t fd = 0; fd < bound; fd++) {
        struct ssock *s = fdtab_sock((int)fd);
        if (s && (!sock_orphaned(s) || s->remote))
            note(s);
    }
    remote_init();
    if (f.nowned)
        f.child_fd = server_new_holder(f.owned, f.nowned);
    chan_each(ask_owner, NULL);
    /* No shim or stack thread may hold a lock, its allocator's included,
     * at the moment the process is copied. */
    server_park();
    if (watch_running())
        watch_park();
    life_park();
    owners_park();
    gate_shut();
    f.parked = 1;
}

static void unpark(void)
{
    if (!f.parked)
        return;
    gate_open();
    owners_unpark();
    life_unpark();
    if (watch_running())
        watch_unpark();
    server_unpark();
}

void remote_fork_parent(void)
{
    unpark();
    privfd_close(f.child_fd);
    for (size_t i = 0; i < f.nvia; i++)
        privfd_close(f.via[i].fd);
    pthread_mutex_unlock(&fork_lock);
}

void remote_fork_child(void)
{
    pthread_mutex_init(&fork_lock, NULL);
    if (!f.parked)
        return;
    server_forget_after_fork();
    chan_forget_after_fork();
    owners_forget_after_fork();
    for (size_t i = 0; i < f.nvia; i++) {
        struct chan *c = f.via[i].c;
        privfd_close(c->fd); /* the parent's connection */
        c->fd = f.via[i].fd;
        if (c->fd < 0)
            c->dead = 1;
    }
    struct chan *mine = f.child_fd >= 0 ? chan_of_fd(f.child_fd) : NULL;
    struct ssock **held = malloc((f.n ? f.n : 1) * sizeof *held);
    for (size_t i = 0; held && i < f.n; i++)
        held[i] = f.v[i].s;
    if (held)
        sock_forget_unheld_after_fork(held, f.n);
    free(held);
    for (size_t i = 0; i < f.n; i++) {
        struct ssock *s = f.v[i].s;
        if (!s->remote) { /* the parent's own */
            s->remote = mine;
            s->remote_id = (uint64_t)(uintptr_t)s;
            if (!mine)
                s->remote = NULL; /* no connection: unusable, as before */
        }
        /* The child's own count: its descriptors, no call in progress. */
        atomic_store(&s->refs, f.v[i].fds);
    }
    int watched = mine != NULL;
    for (size_t i = 0; i < f.nvia; i++)
        watched |= f.via[i].fd >= 0;
    if (watched)
        owners_watch();
}
