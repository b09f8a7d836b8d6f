/* The message path: every send and receive call on a shim socket ends
 * here, with Linux msghdr and cmsg semantics. */
#ifndef SCTPSHIM_LX_MSG_H
#define SCTPSHIM_LX_MSG_H

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

struct ssock;

ssize_t lx_sendmsg(struct ssock *s, const struct msghdr *msg, int flags);
ssize_t lx_recvmsg(struct ssock *s, struct msghdr *msg, int flags);
/* Shorthands for the plain calls (read, write, send, recv, ...). */
ssize_t lx_send(struct ssock *s, const void *buf, size_t len, int flags);
ssize_t lx_recv(struct ssock *s, void *buf, size_t len, int flags);

/* Bytes an iovec array holds. */
static inline size_t lx_iov_len(const struct iovec *iov, size_t n)
{
    size_t t = 0;
    for (size_t i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

#endif
