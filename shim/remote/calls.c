#include "remote/remote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/real.h"
#include "core/sock.h"
#include "core/umem.h"
#include "core/wait.h"
#include "linux/conn.h"
#include "linux/recv.h"
#include "linux/send.h"
#include "linux/shutdown.h"
#include "linux/uopt.h"
#include "remote/chan.h"
#include "remote/migrate.h"
#include "remote/server.h"

/* Marks what the answer is (the owner's, or none): a call whose socket
 * became this process's own during it is made again here. */
enum { ANSWERED, LOCAL, FAILED };

static int call(struct ssock *s, struct rp_req *q, const struct iovec *iov,
                int n, int data, struct rp_resp **out, int *fd)
{
    struct chan *c = s->remote;
    q->id = s->remote_id;
    *out = chan_call(c, q, iov, n, fd);
    if (*out)
        return ANSWERED;
    if (errno != EPIPE)
        return FAILED;
    return migrate(s, data) == 0 ? LOCAL : FAILED;
}

/* errno from an answer, as the owner's call set it. */
static int64_t result(struct rp_resp *r)
{
    if (r->ret < 0)
        errno = r->err ? r->err : EIO;
    return r->ret;
}

static int nonblocking(struct ssock *s, int flags)
{
    return (flags & MSG_DONTWAIT) || (real.fcntl(s->m.x, F_GETFL) & O_NONBLOCK);
}

/* Waits, as the owner's call would have, on this process's copy of the
 * descriptor (its readiness is the owner's), or for the owner's end.
 * 0: ask again; -1: EAGAIN (timeout) or EINTR. */
static int await(struct ssock *s, int for_write, int spins)
{
    struct chan *c = s->remote;
    sock_call_pause(s);
    if (spins > 2) /* ready, but another holder was first: let it move */
        real.poll(NULL, 0, spins > 50 ? 10 : 1);
    wait_fd_also(c->fd);
    int w = wait_fd(s->m.x, for_write);
    int e = errno;
    sock_call_resume(s);
    errno = e;
    return w < 0 ? -1 : 0;
}

ssize_t rm_recvmsg(struct ssock *s, struct msghdr *msg, int flags)
{
    if (!s->remote)
        return lx_recvmsg(s, msg, flags);
    if (umem_recv_msghdr(msg, msg->msg_name ? msg->msg_namelen : 0) < 0)
        return -1;
    size_t room = 0;
    for (size_t i = 0; i < msg->msg_iovlen; i++)
        room += msg->msg_iov[i].iov_len;
    if (room > RP_MAX_DATA)
        room = RP_MAX_DATA;
    for (int spins = 0;; spins++) {
        struct rp_req q = {.op = RP_RECV, .flags = flags, .a = (int32_t)room,
                           .b = msg->msg_name ? (uint32_t)msg->msg_namelen : 0,
                           .c = (uint32_t)msg->msg_controllen};
        struct rp_resp *r;
        int k = call(s, &q, NULL, 0, 1, &r, NULL);
        if (k == LOCAL)
            return lx_recvmsg(s, msg, flags);
        if (k == FAILED)
            return -1;
        if (r->ret < 0 && r->err == EAGAIN && !nonblocking(s, flags)) {
            free(r);
            if (await(s, 0, spins) < 0)
                return -1;
            continue;
        }
        ssize_t ret = (ssize_t)result(r);
        if (ret >= 0) {
            const char *p = (const char *)(r + 1);
            size_t nl = r->namelen < sizeof(struct sockaddr_storage)
                            ? r->namelen : sizeof(struct sockaddr_storage);
            if (msg->msg_name) {
                memcpy(msg->msg_name, p, nl < msg->msg_namelen ? nl : msg->msg_namelen);
                msg->msg_namelen = r->namelen;
            }
            p += nl;
            if (msg->msg_control && r->ctllen <= msg->msg_controllen)
                umem_copy_out(msg->msg_control, p, r->ctllen);
            msg->msg_controllen = r->ctllen;
            p += r->ctllen;
            size_t left = r->datalen;
            for (size_t i = 0; i < msg->msg_iovlen && left; i++) {
                size_t n = msg->msg_iov[i].iov_len < left ? msg->msg_iov[i].iov_len
                                                          : left;
                memcpy(msg->msg_iov[i].iov_base, p, n);
                p += n;
                left -= n;
            }
            msg->msg_flags = r->flags;
        }
        free(r);
        return ret;
    }
}

ssize_t rm_recv(struct ssock *s, void *buf, size_t len, int flags)
{
    if (!s->remote)
        return lx_recv(s, buf, len, flags);
    struct iovec v = {buf, len};
    struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
    return rm_recvmsg(s, &m, flags);
}

ssize_t rm_sendmsg(struct ssock *s, const struct msghdr *msg, int flags)
{
    if (!s->remote)
        return lx_sendmsg(s, msg, flags);
    if (umem_send_msghdr(msg) < 0)
        return -1;
    size_t len = 0;
    for (size_t i = 0; i < msg->msg_iovlen; i++)
        len += msg->msg_iov[i].iov_len;
    if (len > RP_MAX_DATA || msg->msg_namelen > sizeof(struct sockaddr_storage) ||
        msg->msg_controllen > 65536) {
        errno = EMSGSIZE;
        return -1;
    }
    char *data = malloc(len ? len : 1);
    if (!data) {
        errno = ENOBUFS;
        return -1;
    }
    size_t at = 0;
    for (size_t i = 0; i < msg->msg_iovlen; i++) {
        if (umem_copy_in(data + at, msg->msg_iov[i].iov_base,
                         msg->msg_iov[i].iov_len) < 0) {
            free(data);
            return -1;
        }
        at += msg->msg_iov[i].iov_len;
    }
    struct iovec v[3] = {{msg->msg_name, msg->msg_name ? msg->msg_namelen : 0},
                         {msg->msg_control, msg->msg_control ? msg->msg_controllen : 0},
                         {data, len}};
    ssize_t ret;
    for (int spins = 0;; spins++) {
        struct rp_req q = {.op = RP_SEND, .flags = flags & ~MSG_DONTWAIT,
                           .b = (uint32_t)v[0].iov_len, .c = (uint32_t)v[1].iov_len};
        struct rp_resp *r;
        int k = call(s, &q, v, 3, 1, &r, NULL);
        if (k == LOCAL) {
            ret = lx_sendmsg(s, msg, flags);
            break;
        }
        if (k == FAILED) {
            ret = -1;
            break;
        }
        if (r->ret < 0 && r->err == EAGAIN && !nonblocking(s, flags)) {
            free(r);
            if (await(s, 1, spins) < 0) {
                ret = -1;
                break;
            }
            continue;
        }
        ret = (ssize_t)result(r);
        free(r);
        if (ret < 0 && errno == EPIPE && !(flags & MSG_NOSIGNAL))
            raise(SIGPIPE);
        break;
    }
    int e = errno;
    free(data);
    errno = e;
    return ret;
}

ssize_t rm_send(struct ssock *s, const void *buf, size_t len, int flags)
{
    if (!s->remote)
        return lx_send(s, buf, len, flags);
    struct iovec v = {(void *)buf, len};
    struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
    return rm_sendmsg(s, &m, flags);
}

/* sctp_sendmsg(3): as on the owner's own socket (lx_sctp_sendmsg), a
 * one-to-one socket's address is not used. */
ssize_t rm_sctp_sendmsg(struct ssock *s, const struct msghdr *msg)
{
    if (!s->remote)
        return lx_sctp_sendmsg(s, msg);
    struct msghdr m = *msg;
    if (s->type == SOCK_STREAM) {
        m.msg_name = NULL;
        m.msg_namelen = 0;
    }
    return rm_sendmsg(s, &m, 0);
}

/* sctp_sendv(3): the sendmsg that stands for it (lx_sendv_msg) goes to
 * the owner.  What cannot come back: the id of an association it sets
 * up, which lx_sendv writes into the program's sctp_sndinfo. */
ssize_t rm_sctp_sendv(struct ssock *s, const struct iovec *iov, int iovcnt,
                      const struct sockaddr *addrs, int addrcnt, void *info,
                      socklen_t infolen, unsigned int infotype, int flags)
{
    if (!s->remote)
        return lx_sendv(s, iov, iovcnt, addrs, addrcnt, info, infolen,
                        infotype, flags);
    struct msghdr m;
    if (lx_sendv_msg(s, iov, iovcnt, addrs, addrcnt, info, infolen, infotype,
                     &m) < 0)
        return -1;
    ssize_t r = rm_sendmsg(s, &m, flags);
    int e = errno;
    free(m.msg_control);
    errno = e;
    return r > 0x7fffffff ? 0x7fffffff : r;
}

/* A socket the owner accepted for this process. */
static int adopt(struct ssock *s, struct rp_resp *r, int nfd, int flags)
{
    if (!(flags & SOCK_CLOEXEC))
        real.fcntl(nfd, F_SETFD, 0);
    if (!sock_attach_remote(nfd, r->family, r->type, s->remote, r->id)) {
        int e = errno;
        real.close(nfd);
        errno = e;
        return -1;
    }
    return nfd;
}

int rm_accept(struct ssock *s, struct sockaddr *sa, socklen_t *len, int flags)
{
    if (!s->remote)
        return lx_accept(s, sa, len, flags);
    for (int spins = 0;; spins++) {
        struct rp_req q = {.op = RP_ACCEPT, .a = flags};
        struct rp_resp *r;
        int nfd = -1;
        int k = call(s, &q, NULL, 0, 0, &r, &nfd);
        if (k == LOCAL)
            return lx_accept(s, sa, len, flags);
        if (k == FAILED)
            return -1;
        if (r->ret < 0 && r->err == EAGAIN && !nonblocking(s, 0)) {
            free(r);
            if (await(s, 0, spins) < 0)
                return -1;
            continue;
        }
        int ret = (int)result(r);
        if (ret >= 0 && nfd < 0) {
            errno = EMFILE; /* the descriptor did not come */
            ret = -1;
        }
        if (ret >= 0) {
            if (sa && len) {
                socklen_t n = r->namelen < *len ? r->namelen : *len;
                memcpy(sa, r + 1, n);
                *len = r->namelen;
            }
            ret = adopt(s, r, nfd, flags);
        } else if (nfd >= 0) {
            real.close(nfd);
        }
        free(r);
        return ret;
    }
}

/* A call with a plain answer: ret, or -1/errno. */
static int simple(struct ssock *s, struct rp_req *q, const void *p, size_t n,
                  int *local)
{
    struct iovec v = {(void *)p, n};
    struct rp_resp *r;
    int k = call(s, q, &v, p ? 1 : 0, 0, &r, NULL);
    *local = k == LOCAL;
    if (k != ANSWERED)
        return -1;
    int ret = (int)result(r);
    free(r);
    return ret;
}

int rm_setsockopt(struct ssock *s, int fd, int level, int name,
                  const void *val, socklen_t len)
{
    if (!s->remote)
        return lx_setsockopt_user(s, fd, level, name, val, len);
    if ((int)len < 0) {
        errno = EINVAL;
        return -1;
    }
    size_t n = len > 69632 ? 69632 : len;
    char *v = malloc(n ? n : 1);
    if (!v) {
        errno = ENOBUFS;
        return -1;
    }
    if (umem_copy_in(v, val, n) < 0) {
        free(v);
        return -1;
    }
    struct rp_req q = {.op = RP_SETOPT, .a = level, .b = (uint32_t)name};
    int local;
    int r = simple(s, &q, v, n, &local);
    int e = errno;
    free(v);
    errno = e;
    return local ? lx_setsockopt_user(s, fd, level, name, val, len) : r;
}

int rm_getsockopt(struct ssock *s, int fd, int level, int name, void *val,
                  socklen_t *len)
{
    if (!s->remote)
        return lx_getsockopt_user(s, fd, level, name, val, len);
    socklen_t l;
    if (umem_copy_in(&l, len, sizeof l) < 0)
        return -1;
    if ((int)l < 0) {
        errno = EINVAL;
        return -1;
    }
    size_t room = l > RP_MAX_DATA ? RP_MAX_DATA : l;
    char *v = calloc(1, room ? room : 1);
    if (!v) {
        errno = ENOBUFS;
        return -1;
    }
    umem_copy_in_part(v, val, room); /* some options read their input */
    struct iovec io = {v, room};
    struct rp_req q = {.op = RP_GETOPT, .a = level, .b = (uint32_t)name,
                       .c = (uint32_t)room};
    struct rp_resp *r;
    int k = call(s, &q, &io, 1, 0, &r, NULL);
    free(v);
    if (k == LOCAL)
        return lx_getsockopt_user(s, fd, level, name, val, len);
    if (k == FAILED)
        return -1;
    int ret = (int)result(r);
    if (ret >= 0) {
        socklen_t got = r->datalen;
        if (umem_copy_out(val, r + 1, got) < 0 ||
            umem_copy_out(len, &got, sizeof got) < 0)
            ret = -1;
    }
    free(r);
    return ret;
}

int rm_name(struct ssock *s, int peer, struct sockaddr *sa, socklen_t *len)
{
    if (!s->remote)
        return peer ? lx_getpeername(s, sa, len) : lx_getsockname(s, sa, len);
    struct rp_req q = {.op = RP_NAME, .a = peer};
    struct rp_resp *r;
    int k = call(s, &q, NULL, 0, 0, &r, NULL);
    if (k == LOCAL)
        return peer ? lx_getpeername(s, sa, len) : lx_getsockname(s, sa, len);
    if (k == FAILED)
        return -1;
    int ret = (int)result(r);
    if (ret >= 0) {
        socklen_t n = r->namelen < *len ? r->namelen : *len;
        memcpy(sa, r + 1, n);
        *len = r->namelen;
    }
    free(r);
    return ret;
}

int rm_shutdown(struct ssock *s, int how)
{
    if (!s->remote)
        return lx_shutdown(s, how);
    struct rp_req q = {.op = RP_SHUTDOWN, .a = how};
    int local;
    int r = simple(s, &q, NULL, 0, &local);
    return local ? lx_shutdown(s, how) : r;
}

/* What a migration needs: where the owner's socket is bound. */
static void note_bound(struct ssock *s)
{
    socklen_t l = sizeof s->bound;
    if (rm_name(s, 0, (struct sockaddr *)&s->bound, &l) == 0)
        s->bound_set = 1;
}

int rm_bind(struct ssock *s, const struct sockaddr *sa, socklen_t len)
{
    if (!s->remote)
        return lx_bind(s, sa, len);
    struct rp_req q = {.op = RP_BIND};
    int local;
    int r = simple(s, &q, sa, len, &local);
    if (local)
        return lx_bind(s, sa, len);
    if (r == 0)
        note_bound(s);
    return r;
}

int rm_listen(struct ssock *s, int backlog)
{
    if (!s->remote)
        return lx_listen(s, backlog);
    struct rp_req q = {.op = RP_LISTEN, .a = backlog};
    int local;
    int r = simple(s, &q, NULL, 0, &local);
    if (local)
        return lx_listen(s, backlog);
    if (r == 0) {
        s->listening = 1;
        s->backlog = backlog;
        note_bound(s);
    }
    return r;
}

/* The holder's last descriptor of s is gone: its holding ends. */
static void release(struct ssock *s)
{
    struct rp_req q = {.op = RP_CLOSE, .id = s->remote_id};
    chan_tell(s->remote, &q, NULL, 0);
}

void remote_init(void)
{
    sock_set_remote_hooks(release, server_owner_exit);
}
