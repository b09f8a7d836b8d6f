#include "usrsctp/assoc_ids.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include <utlist.h>

#include "base/log.h"
#include "usrsctp/internal.h"
#include "usrsctp/usr.h"

/* Linux hands out ids cyclically from SCTP_ALL_ASSOC + 1 up. */
#define FIRST_ID 3u
#define LAST_ID 0x7fffffffu

struct id_key {
    struct stk_sock *sock;
    uint32_t local;
    uint32_t pad; /* hashed too: always zero */
};

struct assoc_id {
    uint32_t global;
    struct id_key key;
    int stale; /* not among the socket's associations at the last prune */
    struct assoc_id *next, *prev; /* the socket's ids */
    UT_hash_handle hh_global, hh_local;
};

int usr_assoc_ids(struct stk_sock *s, uint32_t **ids)
{
    /* The list can grow between sizing and fetching: retry a few times. */
    for (int tries = 0; tries < 4; tries++) {
        uint32_t n = 0;
        socklen_t l = sizeof n;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER,
                                   &n, &l) < 0)
            return -1;
        *ids = NULL;
        if (n == 0)
            return 0;
        size_t bytes = sizeof(struct sctp_assoc_ids) + (n + 8) * sizeof(sctp_assoc_t);
        struct sctp_assoc_ids *list = malloc(bytes);
        if (!list) {
            errno = ENOBUFS;
            return -1;
        }
        l = (socklen_t)bytes;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST,
                                   list, &l) < 0) {
            free(list);
            if (errno == EINVAL)
                continue;
            return -1;
        }
        uint32_t got = list->gaids_number_of_ids;
        uint32_t *out = malloc(got * sizeof *out + 1);
        if (!out) {
            free(list);
            errno = ENOBUFS;
            return -1;
        }
        for (uint32_t i = 0; i < got; i++)
            out[i] = (uint32_t)list->gaids_assoc_id[i];
        free(list);
        *ids = out;
        return (int)got;
    }
    errno = EAGAIN;
    return -1;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct assoc_id *by_global, *by_local;
static uint32_t next_id = FIRST_ID;

static struct assoc_id *find_local(struct stk_sock *s, uint32_t local)
{
    struct id_key k;
    memset(&k, 0, sizeof k);
    k.sock = s;
    k.local = local;
    struct assoc_id *e;
    HASH_FIND(hh_local, by_local, &k, sizeof k, e);
    return e;
}

static uint32_t fresh_id(void)
{
    for (;;) {
        uint32_t id = next_id;
        next_id = next_id >= LAST_ID ? FIRST_ID : next_id + 1;
        struct assoc_id *e;
        HASH_FIND(hh_global, by_global, &id, sizeof id, e);
        if (!e)
            return id;
    }
}

static void unlink_entry(struct assoc_id *e)
{
    HASH_DELETE(hh_global, by_global, e);
    HASH_DELETE(hh_local, by_local, e);
    DL_DELETE(e->key.sock->ids, e);
    e->key.sock->n_ids--;
}

/* usrsctp numbers a socket's associations upwards and never reuses a
 * number while it is in use, so ids of associations that are gone only
 * cost memory: they are dropped once two prunes in a row did not find
 * them (a notification about an association can still wait unread after
 * it is gone, and must keep its id). */
static void prune(struct stk_sock *s)
{
    uint32_t *live = NULL;
    int n = usr_assoc_ids(s, &live);
    if (n < 0)
        return;
    pthread_mutex_lock(&lock);
    struct assoc_id *e, *tmp;
    DL_FOREACH_SAFE(s->ids, e, tmp) {
        int alive = 0;
        for (int i = 0; i < n && !alive; i++)
            alive = live[i] == e->key.local;
        if (alive)
            e->stale = 0;
        else if (e->stale) {
            unlink_entry(e);
            free(e);
        } else
            e->stale = 1;
    }
    s->ids_prune_at = 2 * s->n_ids + 64;
    pthread_mutex_unlock(&lock);
    free(live);
}

uint32_t ids_out(struct stk_sock *s, uint32_t local)
{
    if (local <= 2)
        return local;
    pthread_mutex_lock(&lock);
    struct assoc_id *e = find_local(s, local);
    if (e) {
        uint32_t g = e->global;
        pthread_mutex_unlock(&lock);
        return g;
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        pthread_mutex_unlock(&lock);
        SHIM_LOG("no memory for an association id");
        return local;
    }
    e->global = fresh_id();
    e->key.sock = s;
    e->key.local = local;
    HASH_ADD(hh_global, by_global, global, sizeof e->global, e);
    HASH_ADD(hh_local, by_local, key, sizeof e->key, e);
    DL_APPEND(s->ids, e);
    uint32_t g = e->global;
    int full = ++s->n_ids > s->ids_prune_at;
    pthread_mutex_unlock(&lock);
    if (full)
        prune(s);
    return g;
}

int ids_in(struct stk_sock *s, uint32_t global, uint32_t *local)
{
    if (global <= 2) {
        *local = global;
        return 0;
    }
    pthread_mutex_lock(&lock);
    struct assoc_id *e;
    HASH_FIND(hh_global, by_global, &global, sizeof global, e);
    int mine = e && e->key.sock == s;
    if (mine)
        *local = e->key.local;
    pthread_mutex_unlock(&lock);
    if (mine)
        return 0;
    if (!s->one_to_many) {
        *local = global; /* ignored by usrsctp, as by Linux */
        return 0;
    }
    return -1;
}

int ids_in_checked(struct stk_sock *s, uint32_t global, uint32_t *local)
{
    if (ids_in(s, global, local) == 0)
        return 0;
    errno = EINVAL;
    return -1;
}

void ids_move(struct stk_sock *from, struct stk_sock *to, uint32_t local)
{
    pthread_mutex_lock(&lock);
    struct assoc_id *e = find_local(from, local);
    if (e) {
        unlink_entry(e);
        HASH_ADD(hh_global, by_global, global, sizeof e->global, e);
        e->key.sock = to;
        HASH_ADD(hh_local, by_local, key, sizeof e->key, e);
        DL_APPEND(to->ids, e);
        to->n_ids++;
    }
    pthread_mutex_unlock(&lock);
}

int ids_known(uint32_t global)
{
    pthread_mutex_lock(&lock);
    struct assoc_id *e;
    HASH_FIND(hh_global, by_global, &global, sizeof global, e);
    pthread_mutex_unlock(&lock);
    return e != NULL;
}

void ids_drop_sock(struct stk_sock *s)
{
    pthread_mutex_lock(&lock);
    struct assoc_id *e, *tmp;
    DL_FOREACH_SAFE(s->ids, e, tmp) {
        unlink_entry(e);
        free(e);
    }
    pthread_mutex_unlock(&lock);
}

void ids_forget_after_fork(void)
{
    /* The entries belong to sockets the child cannot use; they are
     * leaked rather than freed under a lock that may be copied held. */
    pthread_mutex_init(&lock, NULL);
    by_global = by_local = NULL;
}
