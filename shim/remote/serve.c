/* The holders' calls, made on the owner's socket as its program would
 * make them, but never waiting (wait_never_here): a holder that must wait
 * does so on its own copy of the descriptor, whose readiness is the
 * owner's. */
#include "remote/serve.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "base/real.h"
#include "core/fdtab.h"
#include "core/sock.h"
#include "linux/conn.h"
#include "linux/recv.h"
#include "linux/send.h"
#include "linux/shutdown.h"
#include "linux/uopt.h"

int conn_hold(struct conn *c, struct ssock *s)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        struct ssock **v = realloc(c->held, cap * sizeof *v);
        if (!v) {
            errno = ENOMEM;
            return -1;
        }
        c->held = v;
        c->cap = cap;
    }
    sock_ref(s);
    c->held[c->n++] = s;
    return 0;
}

static ssize_t find(struct conn *c, uint64_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if ((uint64_t)(uintptr_t)c->held[i] == id)
            return (ssize_t)i;
    return -1;
}

static void let_go(struct conn *c, size_t i)
{
    struct ssock *s = c->held[i];
    c->held[i] = c->held[--c->n];
    sock_release(s);
}

void serve_answer(struct conn *c, struct rp_resp *r, const struct iovec *iov,
                  int n, int fd)
{
    rp_send(c->fd, r, sizeof *r, iov, n, fd);
}

static void fail(struct conn *c, int err)
{
    struct rp_resp r = {.ret = -1, .err = err ? err : EIO};
    serve_answer(c, &r, NULL, 0, -1);
}

/* The result of a call: ret, and errno when it failed (never 0). */
static void result(struct rp_resp *r, int64_t ret)
{
    r->ret = ret;
    r->err = ret < 0 ? (errno ? errno : EIO) : 0;
}

static void do_recv(struct conn *c, struct ssock *s, const struct rp_req *q)
{
    size_t room = q->a < 0 ? 0 : (size_t)q->a;
    if (room > RP_MAX_DATA)
        room = RP_MAX_DATA;
    struct sockaddr_storage name;
    /* malloc's alignment serves struct cmsghdr. */
    char *data = malloc(room ? room : 1), *ctl = malloc(q->c ? q->c : 1);
    if (!data || !ctl) {
        free(data);
        free(ctl);
        fail(c, ENOBUFS);
        return;
    }
    struct iovec v = {data, room};
    struct msghdr m = {.msg_name = q->b ? &name : NULL,
                       .msg_namelen = q->b ? sizeof name : 0,
                       .msg_iov = &v, .msg_iovlen = 1,
                       .msg_control = q->c ? ctl : NULL,
                       .msg_controllen = q->c};
    struct rp_resp r = {0};
    result(&r, lx_recvmsg(s, &m, (q->flags | MSG_DONTWAIT) & ~MSG_WAITALL));
    struct iovec out[3];
    int n = 0;
    if (r.ret >= 0) {
        r.flags = m.msg_flags;
        r.namelen = q->b ? m.msg_namelen : 0;
        r.ctllen = (uint32_t)m.msg_controllen;
        r.datalen = (uint32_t)((size_t)r.ret < room ? (size_t)r.ret : room);
        size_t nl = r.namelen < sizeof name ? r.namelen : sizeof name;
        out[n++] = (struct iovec){&name, nl};
        out[n++] = (struct iovec){ctl, r.ctllen};
        out[n++] = (struct iovec){data, r.datalen};
    }
    serve_answer(c, &r, out, n, -1);
    free(data);
    free(ctl);
}

static void do_send(struct conn *c, struct ssock *s, const struct rp_req *q,
                    const char *p)
{
    if ((size_t)q->b + q->c > q->len) {
        fail(c, EINVAL);
        return;
    }
    /* The control area is copied to memory aligned for struct cmsghdr. */
    char *ctl = q->c ? malloc(q->c) : NULL;
    struct sockaddr_storage name;
    if ((q->c && !ctl) || q->b > sizeof name) {
        free(ctl);
        fail(c, q->b > sizeof name ? EINVAL : ENOBUFS);
        return;
    }
    memcpy(&name, p, q->b);
    if (ctl)
        memcpy(ctl, p + q->b, q->c);
    struct iovec v = {(void *)(p + q->b + q->c), q->len - q->b - q->c};
    struct msghdr m = {.msg_name = q->b ? &name : NULL, .msg_namelen = q->b,
                       .msg_iov = &v, .msg_iovlen = 1,
                       .msg_control = ctl, .msg_controllen = q->c};
    struct rp_resp r = {0};
    /* SIGPIPE is the holder's to raise. */
    result(&r, lx_sendmsg(s, &m, q->flags | MSG_DONTWAIT | MSG_NOSIGNAL));
    free(ctl);
    serve_answer(c, &r, NULL, 0, -1);
}

static void do_accept(struct conn *c, struct ssock *s, const struct rp_req *q)
{
    struct sockaddr_storage name;
    socklen_t l = sizeof name;
    struct rp_resp r = {0};
    int nfd = lx_accept(s, (struct sockaddr *)&name, &l,
                        q->a & (SOCK_NONBLOCK | SOCK_CLOEXEC));
    result(&r, nfd < 0 ? -1 : 0);
    struct ssock *ns = nfd >= 0 ? fdtab_sock(nfd) : NULL;
    if (ns && conn_hold(c, ns) < 0) {
        result(&r, -1);
        ns = NULL;
    }
    if (nfd >= 0 && !ns) {
        fdtab_take(nfd);
        real.close(nfd);
        fail(c, ENOMEM);
        return;
    }
    struct iovec out = {&name, 0};
    if (ns) {
        r.id = (uint64_t)(uintptr_t)ns;
        r.family = ns->family;
        r.type = ns->type;
        r.namelen = l;
        out.iov_len = l < sizeof name ? l : sizeof name;
    }
    serve_answer(c, &r, &out, ns ? 1 : 0, nfd);
    if (ns) {
        /* The holder's copy is the descriptor now; the owner keeps the
         * socket through the connection's reference. */
        fdtab_take(nfd);
        sock_close_fd(nfd, ns);
    }
}

static void do_getopt(struct conn *c, struct ssock *s, const struct rp_req *q,
                      const char *p)
{
    size_t room = q->c > RP_MAX_DATA ? RP_MAX_DATA : q->c;
    char *v = calloc(1, room ? room : 1);
    if (!v) {
        fail(c, ENOBUFS);
        return;
    }
    memcpy(v, p, q->len < room ? q->len : room);
    socklen_t l = (socklen_t)room;
    struct rp_resp r = {0};
    result(&r, lx_getsockopt_user(s, s->m.x, q->a, (int)q->b, v, &l));
    struct iovec out = {v, 0};
    if (r.ret >= 0) {
        r.datalen = l < room ? l : (uint32_t)room;
        out.iov_len = r.datalen;
    }
    serve_answer(c, &r, &out, 1, -1);
    free(v);
}

static void do_name(struct conn *c, struct ssock *s, const struct rp_req *q)
{
    struct sockaddr_storage name;
    socklen_t l = sizeof name;
    struct rp_resp r = {0};
    result(&r, q->a ? lx_getpeername(s, (struct sockaddr *)&name, &l)
                    : lx_getsockname(s, (struct sockaddr *)&name, &l));
    struct iovec out = {&name, 0};
    if (r.ret >= 0) {
        r.namelen = l;
        out.iov_len = l < sizeof name ? l : sizeof name;
    }
    serve_answer(c, &r, &out, 1, -1);
}

static void do_keep(struct conn *c, const struct rp_req *q, const char *p)
{
    size_t n = q->len / sizeof(uint64_t);
    for (size_t i = c->n; i-- > 0;) {
        uint64_t id = (uint64_t)(uintptr_t)c->held[i];
        int kept = 0;
        for (size_t k = 0; k < n && !kept; k++)
            kept = memcmp(p + k * sizeof id, &id, sizeof id) == 0;
        if (!kept)
            let_go(c, i);
    }
}

/* The call on s, as its own program's call would run: with a reference,
 * the socket lock and the gate. */
static void on_socket(struct conn *c, struct ssock *s, const struct rp_req *q,
                      const char *p)
{
    sock_ref(s);
    sock_call_resume(s);
    errno = 0;
    if (sock_orphaned(s)) {
        /* The owner is exiting and its sockets are closed: to the holder
         * this is the owner gone (migrate.h), as it will be in a moment. */
        real.shutdown(c->fd, SHUT_RDWR);
    } else {
        struct rp_resp r = {0};
        switch (q->op) {
        case RP_SEND: do_send(c, s, q, p); break;
        case RP_RECV: do_recv(c, s, q); break;
        case RP_ACCEPT: do_accept(c, s, q); break;
        case RP_GETOPT: do_getopt(c, s, q, p); break;
        case RP_NAME: do_name(c, s, q); break;
        case RP_SETOPT:
            result(&r, lx_setsockopt_user(s, s->m.x, q->a, (int)q->b, p,
                                          (socklen_t)q->len));
            serve_answer(c, &r, NULL, 0, -1);
            break;
        case RP_SHUTDOWN:
            result(&r, lx_shutdown(s, q->a));
            serve_answer(c, &r, NULL, 0, -1);
            break;
        case RP_BIND:
            result(&r, lx_bind(s, (const struct sockaddr *)p, (socklen_t)q->len));
            serve_answer(c, &r, NULL, 0, -1);
            break;
        case RP_LISTEN:
            result(&r, lx_listen(s, q->a));
            serve_answer(c, &r, NULL, 0, -1);
            break;
        default:
            fail(c, EOPNOTSUPP);
        }
    }
    sock_call_pause(s);
    sock_release(s);
}

void serve_request(struct conn *c, const struct rp_req *q, const char *payload)
{
    if (q->op == RP_KEEP) {
        do_keep(c, q, payload);
        return;
    }
    ssize_t i = find(c, q->id);
    if (q->op == RP_CLOSE) {
        if (i >= 0)
            let_go(c, (size_t)i);
        return;
    }
    if (i < 0) {
        fail(c, EBADF);
        return;
    }
    on_socket(c, c->held[i], q, payload);
}
