#include "core/assoc_opts.h"

#include <stdlib.h>
#include <uthash.h>

#include "base/log.h"

struct assoc_opts_entry {
    uint32_t id;
    struct assoc_vals v;
    UT_hash_handle hh;
};

void assoc_opts_init(struct assoc_opts *t)
{
    t->head = NULL;
    pthread_mutex_init(&t->lock, NULL);
}

void assoc_opts_free(struct assoc_opts *t)
{
    struct assoc_opts_entry *e, *tmp;
    HASH_ITER(hh, t->head, e, tmp) {
        HASH_DEL(t->head, e);
        free(e);
    }
    pthread_mutex_destroy(&t->lock);
}

static struct assoc_opts_entry *find(struct assoc_opts *t, uint32_t id)
{
    struct assoc_opts_entry *e;
    HASH_FIND(hh, t->head, &id, sizeof id, e);
    return e;
}

/* With the lock held. */
static struct assoc_opts_entry *find_or_make(struct assoc_opts *t, uint32_t id,
                                             const struct assoc_vals *sock)
{
    struct assoc_opts_entry *e = find(t, id);
    if (e)
        return e;
    e = calloc(1, sizeof *e);
    if (!e) {
        SHIM_LOG("no memory for association %u's options", id);
        return NULL;
    }
    e->id = id;
    e->v = *sock;
    HASH_ADD(hh, t->head, id, sizeof e->id, e);
    return e;
}

struct assoc_vals assoc_opts_get(struct assoc_opts *t, uint32_t id,
                                 const struct assoc_vals *sock)
{
    pthread_mutex_lock(&t->lock);
    struct assoc_opts_entry *e = find(t, id);
    struct assoc_vals v = e ? e->v : *sock;
    pthread_mutex_unlock(&t->lock);
    return v;
}

void assoc_opts_pin(struct assoc_opts *t, const uint32_t *live, int n,
                    const struct assoc_vals *sock)
{
    pthread_mutex_lock(&t->lock);
    struct assoc_opts_entry *e, *tmp;
    HASH_ITER(hh, t->head, e, tmp) {
        int alive = 0;
        for (int i = 0; i < n && !alive; i++)
            alive = live[i] == e->id;
        if (!alive) {
            HASH_DEL(t->head, e);
            free(e);
        }
    }
    for (int i = 0; i < n; i++)
        find_or_make(t, live[i], sock);
    pthread_mutex_unlock(&t->lock);
}

void assoc_opts_set(struct assoc_opts *t, uint32_t id,
                    const struct assoc_vals *v)
{
    pthread_mutex_lock(&t->lock);
    struct assoc_opts_entry *e = find_or_make(t, id, v);
    if (e)
        e->v = *v;
    pthread_mutex_unlock(&t->lock);
}

void assoc_opts_set_all_events(struct assoc_opts *t, uint32_t mask,
                               uint32_t value)
{
    pthread_mutex_lock(&t->lock);
    for (struct assoc_opts_entry *e = t->head; e; e = e->hh.next)
        e->v.events = (e->v.events & ~mask) | (value & mask);
    pthread_mutex_unlock(&t->lock);
}

struct assoc_vals assoc_opts_take(struct assoc_opts *t, uint32_t id,
                                  const struct assoc_vals *sock)
{
    pthread_mutex_lock(&t->lock);
    struct assoc_opts_entry *e = find(t, id);
    struct assoc_vals v = e ? e->v : *sock;
    if (e) {
        HASH_DEL(t->head, e);
        free(e);
    }
    pthread_mutex_unlock(&t->lock);
    return v;
}
