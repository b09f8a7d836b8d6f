#include "linux/peeloff.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/real.h"
#include "core/registry.h"
#include "core/sock.h"
#include "linux/addr.h"
#include "linux/assoc.h"

/* The peers of peeled-off associations, by local port: while such an
 * association lives (its id is in use), Linux sets up no other with the
 * same peer from that port. */
struct peeled_peer {
    uint16_t port;
    uint32_t id;
    struct sockaddr_storage peer;
    struct peeled_peer *next;
};

static pthread_mutex_t peers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct peeled_peer *peers;

static int same_peer(const struct sockaddr *a, const struct sockaddr_storage *b)
{
    socklen_t l = lx_addr_len(a);
    return l && a->sa_family == b->ss_family && memcmp(a, b, l) == 0;
}

static void remember_peers(struct ssock *ns, uint32_t id)
{
    struct sockaddr *addrs = NULL;
    int n = stk_getaddrs(ns->stk, 1, 0, &addrs);
    size_t off = 0;
    pthread_mutex_lock(&peers_lock);
    for (int i = 0; i < n; i++) {
        const struct sockaddr *a = (const void *)((const char *)addrs + off);
        off += lx_addr_len(a);
        struct peeled_peer *p = calloc(1, sizeof *p);
        if (!p)
            break;
        p->port = ns->claimed_port;
        p->id = id;
        memcpy(&p->peer, a, lx_addr_len(a));
        p->next = peers;
        peers = p;
    }
    pthread_mutex_unlock(&peers_lock);
    free(addrs);
}

int lx_peeloff_check_peer(const struct ssock *s, const struct sockaddr *peer)
{
    int taken = 0;
    pthread_mutex_lock(&peers_lock);
    for (struct peeled_peer **pp = &peers; *pp;) {
        struct peeled_peer *p = *pp;
        if (!stk_assoc_id_in_use(p->id)) {
            *pp = p->next;
            free(p);
            continue;
        }
        if (p->port == s->claimed_port && same_peer(peer, &p->peer))
            taken = 1;
        pp = &p->next;
    }
    pthread_mutex_unlock(&peers_lock);
    if (!taken)
        return 0;
    errno = EADDRNOTAVAIL;
    return -1;
}

int lx_peeloff(struct ssock *s, uint32_t id, int flags)
{
    /* Neither a one-to-one socket nor a peeled-off one has associations
     * to branch off; 0-2 name none. */
    if (s->type != SOCK_SEQPACKET || id <= 2 || !stk_assoc_exists(s->stk, id)) {
        errno = EINVAL;
        return -1;
    }
    struct ssock *ns = sock_alloc(s->family, SOCK_STREAM);
    int fd;
    if (!ns)
        return -1;
    if (mirror_init(&ns->m, &fd, flags & SOCK_CLOEXEC, flags & SOCK_NONBLOCK) < 0) {
        sock_free(ns);
        return -1;
    }
    struct stk_sock *st = stk_peeloff(s->stk, id, sock_upcall, ns);
    if (!st) {
        int e = errno;
        SHIM_LOG("peel-off of association %u: %s", id, strerror(e));
        real.close(fd);
        sock_free(ns);
        /* usrsctp: gone meanwhile, or never set up: Linux's EINVAL. */
        errno = e == ENOENT || e == ENOTCONN ? EINVAL : e;
        return -1;
    }
    ns->peeled = 1;
    /* The association keeps the port in use after the parent is closed,
     * as an accepted one does. */
    if (s->claimed_port && registry_claim(s->claimed_port) == 0)
        ns->claimed_port = s->claimed_port;
    ns->bound = s->bound;
    ns->bound_set = s->bound_set;
    ns->v6only = s->v6only;
    ns->maxseg = s->maxseg;
    /* What the association was told goes with it. */
    struct assoc_vals v = lx_assoc_vals(s, id);
    assoc_opts_take(&s->assoc, id, &v);
    int r = sock_adopt(s, st, ns, fd);
    if (r < 0)
        return -1;
    ns->defaults = v.defaults;
    ns->events = v.events;
    remember_peers(ns, id);
    sock_sync(s);
    return r;
}
