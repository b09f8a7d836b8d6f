/* The holder's side: one connection per owner process whose sockets
 * this process holds, and the calls made on it, one at a time. */
#ifndef SCTPSHIM_REMOTE_CHAN_H
#define SCTPSHIM_REMOTE_CHAN_H

#include <pthread.h>
#include <stddef.h>
#include <sys/uio.h>

#include "remote/proto.h"

struct chan {
    int fd;
    int dead;             /* the owner is gone */
    pthread_mutex_t lock; /* one call at a time */
    struct chan *next;
};

/* The channel on descriptor fd (made, or found): NULL/errno. */
struct chan *chan_of_fd(int fd);
/* Makes the call q (payload in iov) and waits for the answer: a buffer
 * with the answer's header first and its payload after it (to free), or
 * NULL with EPIPE when the owner is gone.  *fd gets a descriptor that came
 * with the answer, or -1 (fd may be NULL). */
struct rp_resp *chan_call(struct chan *c, struct rp_req *q,
                          const struct iovec *iov, int n, int *fd);
/* A message that has no answer (RP_CLOSE, RP_KEEP). */
void chan_tell(struct chan *c, struct rp_req *q, const struct iovec *iov,
               int n);
/* Calls fn on every channel. */
void chan_each(void (*fn)(struct chan *c, void *arg), void *arg);
void chan_forget_after_fork(void);

#endif
