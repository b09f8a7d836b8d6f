#include "core/held.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct held_msg {
    struct held_msg *next;
    size_t len, off; /* off: bytes the program has read */
    int flags;
    struct stk_rcvinfo ri;
    struct sockaddr_storage from;
    socklen_t fromlen;
    unsigned char data[];
};

void held_init(struct held *h)
{
    pthread_mutex_init(&h->lock, NULL);
    pthread_mutex_init(&h->take, NULL);
    h->head = h->tail = NULL;
}

void held_destroy(struct held *h)
{
    struct held_msg *m = h->head;
    while (m) {
        struct held_msg *next = m->next;
        free(m);
        m = next;
    }
    h->head = h->tail = NULL;
    pthread_mutex_destroy(&h->lock);
    pthread_mutex_destroy(&h->take);
}

int held_empty(struct held *h)
{
    /* Read without the lock: the receive path checks it on every call,
     * and a message held by a concurrent reader is seen on its next. */
    return __atomic_load_n(&h->head, __ATOMIC_ACQUIRE) == NULL;
}

int held_has_data(struct held *h)
{
    int data = 0;
    pthread_mutex_lock(&h->lock);
    for (struct held_msg *m = h->head; m && !data; m = m->next)
        data = !(m->flags & STK_F_NOTIFICATION);
    pthread_mutex_unlock(&h->lock);
    return data;
}

int held_push(struct held *h, const void *data, size_t len, int flags,
              const struct stk_rcvinfo *ri, const struct sockaddr *from,
              socklen_t fromlen)
{
    struct held_msg *m = malloc(sizeof *m + (len ? len : 1));
    if (!m) {
        errno = ENOBUFS;
        return -1;
    }
    m->next = NULL;
    m->len = len;
    m->off = 0;
    m->flags = flags;
    if (ri)
        m->ri = *ri;
    else
        memset(&m->ri, 0, sizeof m->ri);
    m->fromlen = 0;
    if (from && fromlen && fromlen <= sizeof m->from) {
        memcpy(&m->from, from, fromlen);
        m->fromlen = fromlen;
    }
    memcpy(m->data, data, len);
    pthread_mutex_lock(&h->lock);
    struct held_msg **link = h->tail ? &h->tail->next : &h->head;
    __atomic_store_n(link, m, __ATOMIC_RELEASE);
    h->tail = m;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

ssize_t held_take(struct held *h, const struct iovec *iov, size_t iovcnt,
                  int peek, int *flags, struct stk_rcvinfo *ri,
                  struct sockaddr *from, socklen_t *fromlen)
{
    pthread_mutex_lock(&h->lock);
    struct held_msg *m = h->head;
    if (!m) {
        pthread_mutex_unlock(&h->lock);
        return -1;
    }
    size_t got = 0;
    for (size_t i = 0; i < iovcnt && m->off + got < m->len; i++) {
        size_t k = m->len - m->off - got;
        if (k > iov[i].iov_len)
            k = iov[i].iov_len;
        memcpy(iov[i].iov_base, m->data + m->off + got, k);
        got += k;
    }
    int last = m->off + got == m->len;
    *flags = m->flags & ~(last ? 0 : STK_F_EOR);
    if (ri)
        *ri = m->ri;
    if (from && fromlen) {
        socklen_t n = m->fromlen < *fromlen ? m->fromlen : *fromlen;
        memcpy(from, &m->from, n);
        *fromlen = m->fromlen;
    }
    if (!peek) {
        m->off += got;
        if (last) {
            __atomic_store_n(&h->head, m->next, __ATOMIC_RELEASE);
            if (!m->next)
                h->tail = NULL;
            free(m);
        }
    }
    pthread_mutex_unlock(&h->lock);
    return (ssize_t)got;
}
