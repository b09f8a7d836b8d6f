#include "remote/chan.h"

#include <errno.h>
#include <stdlib.h>

#include "base/real.h"
#include "core/privfd.h"

static pthread_mutex_t chans_lock = PTHREAD_MUTEX_INITIALIZER;
static struct chan *chans;

struct chan *chan_of_fd(int fd)
{
    pthread_mutex_lock(&chans_lock);
    struct chan *c;
    for (c = chans; c; c = c->next)
        if (c->fd == fd)
            break;
    if (!c && (c = calloc(1, sizeof *c)) != NULL) {
        c->fd = fd;
        pthread_mutex_init(&c->lock, NULL);
        c->next = chans;
        chans = c;
    }
    pthread_mutex_unlock(&chans_lock);
    if (!c)
        errno = ENOMEM;
    return c;
}

static void gone(struct chan *c)
{
    __atomic_store_n(&c->dead, 1, __ATOMIC_RELEASE);
    errno = EPIPE;
}

struct rp_resp *chan_call(struct chan *c, struct rp_req *q,
                          const struct iovec *iov, int n, int *fd)
{
    int got = -1;
    struct rp_resp *r = malloc(RP_MAX_MSG);
    if (!r) {
        errno = ENOBUFS;
        return NULL;
    }
    q->len = 0;
    for (int i = 0; i < n; i++)
        q->len += (uint32_t)iov[i].iov_len;
    pthread_mutex_lock(&c->lock);
    ssize_t k = -1;
    if (!__atomic_load_n(&c->dead, __ATOMIC_ACQUIRE) &&
        rp_send(c->fd, q, sizeof *q, iov, n, -1) >= 0)
        k = rp_recv(c->fd, r, RP_MAX_MSG, &got);
    pthread_mutex_unlock(&c->lock);
    if (fd)
        *fd = got;
    else if (got >= 0)
        real.close(got);
    if (k < (ssize_t)sizeof *r) {
        if (k < 0 && errno == EMSGSIZE) {
            free(r);
            return NULL; /* too large to carry: the caller's EMSGSIZE */
        }
        free(r);
        gone(c);
        return NULL;
    }
    return r;
}

void chan_tell(struct chan *c, struct rp_req *q, const struct iovec *iov, int n)
{
    q->len = 0;
    for (int i = 0; i < n; i++)
        q->len += (uint32_t)iov[i].iov_len;
    pthread_mutex_lock(&c->lock);
    if (!__atomic_load_n(&c->dead, __ATOMIC_ACQUIRE))
        rp_send(c->fd, q, sizeof *q, iov, n, -1);
    pthread_mutex_unlock(&c->lock);
}

void chan_each(void (*fn)(struct chan *c, void *arg), void *arg)
{
    pthread_mutex_lock(&chans_lock);
    for (struct chan *c = chans; c; c = c->next)
        fn(c, arg);
    pthread_mutex_unlock(&chans_lock);
}

void chan_forget_after_fork(void)
{
    pthread_mutex_init(&chans_lock, NULL);
    for (struct chan *c = chans; c; c = c->next)
        pthread_mutex_init(&c->lock, NULL);
}
