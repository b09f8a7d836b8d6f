#include "remote/proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "base/real.h"
#include "core/privfd.h"

ssize_t rp_send(int sock, const void *hdr, size_t hlen, const struct iovec *iov,
                int iovcnt, int fd)
{
    struct iovec v[8];
    if (iovcnt > 7) {
        errno = EMSGSIZE;
        return -1;
    }
    v[0].iov_base = (void *)hdr;
    v[0].iov_len = hlen;
    for (int i = 0; i < iovcnt; i++)
        v[i + 1] = iov[i];
    /* A union keeps the control area aligned for struct cmsghdr. */
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)iovcnt + 1};
    if (fd >= 0) {
        memset(&ctl, 0, sizeof ctl);
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof ctl.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ssize_t r;
    do
        r = real.sendmsg(sock, &m, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    return r;
}

ssize_t rp_recv(int sock, void *buf, size_t len, int *fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec v = {buf, len};
    struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl.buf,
                       .msg_controllen = sizeof ctl.buf};
    ssize_t r;
    do
        r = real.recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    *fd = -1;
    if (r >= 0)
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                c->cmsg_len >= CMSG_LEN(sizeof(int)))
                memcpy(fd, CMSG_DATA(c), sizeof *fd);
    return r;
}

int rp_pair(int sv[2])
{
    int p[2];
    if (real.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) < 0)
        return -1;
    int big = RP_MAX_MSG + 4096;
    for (int i = 0; i < 2; i++) {
        real.setsockopt(p[i], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
        real.setsockopt(p[i], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        sv[i] = privfd_dup(p[i]);
        real.close(p[i]);
    }
    if (sv[0] < 0 || sv[1] < 0) {
        privfd_close(sv[0]);
        privfd_close(sv[1]);
        errno = EMFILE;
        return -1;
    }
    return 0;
}
