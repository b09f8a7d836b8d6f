/* Messages the shim took out of the stack on the program's behalf and
 * holds until the program reads them, ahead of anything still in the
 * stack: the rest of a notification read in pieces, and what was queued
 * when the program shut down reading.  The bytes are as the program will
 * see them (a notification already in its Linux layout). */
#ifndef SCTPSHIM_HELD_H
#define SCTPSHIM_HELD_H

#include <pthread.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "usrsctp/stack.h"

struct held_msg;

struct held {
    pthread_mutex_t lock;
    pthread_mutex_t take; /* one taker from the stack at a time */
    struct held_msg *head, *tail;
};

void held_init(struct held *h);
/* Drops whatever is held, and the lock. */
void held_destroy(struct held *h);
int held_empty(struct held *h);
/* Whether a data message (not a notification) is held. */
int held_has_data(struct held *h);
/* Appends a copy of len bytes (flags: STK_F_NOTIFICATION, STK_F_EOR for
 * the last piece of a message); from may be NULL.  0, or -1/ENOBUFS. */
int held_push(struct held *h, const void *data, size_t len, int flags,
              const struct stk_rcvinfo *ri, const struct sockaddr *from,
              socklen_t fromlen);
/* Copies the oldest message's next bytes into iov and, unless peek,
 * consumes them.  *flags gets its flags, STK_F_EOR only when its last
 * byte was copied; ri, from and fromlen (any may be NULL) its receive
 * info and sender.  Returns the bytes copied, or -1 when nothing is
 * held. */
ssize_t held_take(struct held *h, const struct iovec *iov, size_t iovcnt,
                  int peek, int *flags, struct stk_rcvinfo *ri,
                  struct sockaddr *from, socklen_t *fromlen);

#endif
