/* The send path, with the kernel's rules for what a send may ask: flag
 * combinations, destinations, implicit association set-up, SCTP_SENDALL,
 * and the errno of each refusal (see sctp_sendmsg(3), sctp_sendv(3)). */
#include "linux/send.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/iov.h"
#include "base/real.h"
#include "core/sock.h"
#include "core/umem.h"
#include "linux/addr.h"
#include "linux/assoc.h"
#include "linux/conn.h"
#include "linux/connect.h"

static ssize_t fail(int e)
{
    errno = e;
    return -1;
}

/* Linux refuses outright a message larger than the whole send buffer. */
static int too_big(struct ssock *s, size_t len)
{
    if (len <= 1024)
        return 0; /* below any send buffer the stack accepts */
    int sndbuf = 0;
    size_t l = sizeof sndbuf;
    return stk_getopt(s->stk, STK_O_SNDBUF, &sndbuf, &l) == 0 && sndbuf > 0 &&
           len > (size_t)sndbuf;
}

/* One message to one place, blocking as the socket's mode says. */
static ssize_t send_loop(struct ssock *s, const struct iovec *iov,
                         size_t iovcnt, const struct sockaddr *to,
                         struct stk_sndinfo *info, int flags)
{
    /* The kernel copies the data last, once it has an association to
     * send on (sctp_datamsg_from_user). */
    if (!umem_iov_readable(iov, iovcnt))
        return fail(EFAULT);
    for (int spins = 0;; spins++) {
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        ssize_t r = stk_sendv(s->stk, iov, (int)iovcnt, to, to ? 1 : 0, info);
        if (r >= 0)
            return r;
        if (!stk_is_nonblocking_errno(errno))
            return -1;
        sock_send_blocked(s, seen, lx_nonblocking(s, flags));
        if (lx_block(s, 1, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
}

/* An association set up by this send: the peer's encapsulation port and
 * any SCTP_INIT parameters apply to it alone (the socket lock keeps other
 * calls out meanwhile). */
static ssize_t send_new(struct ssock *s, const struct iovec *iov,
                        size_t iovcnt, struct lx_send_req *req, int flags)
{
    if (req->dst_bad)
        return fail(EINVAL);
    int reachable = 0;
    for (int off = 0; off < req->dst_bytes && !reachable;) {
        const struct sockaddr *sa = (const void *)((const char *)req->dst + off);
        reachable = lx_addr_reachable(sa);
        off += (int)lx_addr_len(sa);
    }
    if (!reachable)
        return fail(EHOSTUNREACH); /* no route to any of its addresses */
    if (!umem_iov_readable(iov, iovcnt))
        return fail(EFAULT);
    uint16_t udp;
    if (lx_autobind(s) < 0 || lx_addr_remote_udp(req->dst, &udp) < 0)
        return -1;
    for (int spins = 0;; spins++) {
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        struct stk_initmsg saved;
        size_t l = sizeof saved;
        if (req->have_init &&
            (stk_getopt(s->stk, STK_O_INITMSG, &saved, &l) < 0 ||
             stk_setopt(s->stk, STK_O_INITMSG, &req->init, sizeof req->init) < 0))
            return -1;
        ssize_t r;
        if (req->ndst > 1 || s->type == SOCK_STREAM) {
            /* usrsctp's send takes one address: set the association up
             * with all of them, then send on it while the handshake runs.
             * A one-to-one socket first waits for its handshake: DATA in
             * usrsctp 0.9.5's COOKIE ECHO of a one-to-one association
             * (its own set-up by a send, or a send during the handshake)
             * crashes its receive thread now and then, in soisconnected
             * (churn test, about 1 run in 2). */
            uint32_t id = 0;
            r = stk_connectx(s->stk, req->dst, req->ndst, udp, &id);
            if (r < 0 && errno == EINPROGRESS)
                r = 0;
            req->info.assoc_id = id;
        } else {
            stk_set_remote_udp_port(s->stk, udp);
            r = stk_sendv(s->stk, iov, (int)iovcnt, req->dst, 1, &req->info);
        }
        int e = errno;
        if (req->have_init)
            stk_setopt(s->stk, STK_O_INITMSG, &saved, sizeof saved);
        if (r >= 0 && s->type == SOCK_STREAM) {
            lx_connect_begun(s);
            lx_connect_settle(s, lx_nonblocking(s, flags));
        }
        if (r >= 0 && (req->ndst > 1 || s->type == SOCK_STREAM))
            return send_loop(s, iov, iovcnt, NULL, &req->info, flags);
        if (r >= 0)
            return r;
        if (!stk_is_nonblocking_errno(e))
            return fail(e);
        sock_send_blocked(s, seen, lx_nonblocking(s, flags));
        if (lx_block(s, 1, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
}

/* SCTP_SENDALL: a copy to every established association.  usrsctp's own
 * SENDALL is capped at 1432 bytes and refuses while one is in flight, so
 * the shim sends each copy itself. */
static ssize_t send_all(struct ssock *s, const struct iovec *iov,
                        size_t iovcnt, struct lx_send_req *req, int flags)
{
    uint32_t *ids;
    int n = stk_assoc_list(s->stk, &ids);
    if (n < 0)
        return -1;
    size_t len = iov_total(iov, iovcnt);
    int sent = 0;
    ssize_t r = 0;
    for (int i = 0; i < n; i++) {
        struct stk_status st = {.assoc_id = ids[i]};
        size_t l = sizeof st;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0 ||
            st.state != STK_S_ESTABLISHED)
            continue; /* Linux skips associations still being set up */
        struct stk_sndinfo one = req->info;
        one.flags &= (uint16_t)~STK_F_SENDALL;
        one.assoc_id = ids[i];
        r = send_loop(s, iov, iovcnt, NULL, &one, flags);
        if (r < 0)
            break;
        sent++;
    }
    free(ids);
    if (r < 0)
        return -1;
    return sent && !(req->info.flags & (STK_F_EOF | STK_F_ABORT)) ? (ssize_t)len : 0;
}

/* usrsctp refuses SCTP_ABORT (EINVAL) while its side of the handshake is
 * still in COOKIE-WAIT or COOKIE-ECHOED; Linux aborts at once.  Let the
 * handshake finish (bounded: a second), then abort. */
static ssize_t abort_after_handshake(struct ssock *s, const struct iovec *iov,
                                     size_t iovcnt, struct stk_sndinfo *info,
                                     int flags)
{
    for (int waited = 0; waited < 1000; waited++) {
        struct stk_status st = {.assoc_id = info->assoc_id};
        size_t l = sizeof st;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0 || st.state == STK_S_CLOSED)
            return 0; /* gone already: nothing left to abort */
        if (st.state != STK_S_COOKIE_WAIT && st.state != STK_S_COOKIE_ECHOED)
            return send_loop(s, iov, iovcnt, NULL, info, flags);
        struct timespec ms = {0, 1000000};
        sock_call_pause(s);
        real.nanosleep(&ms, NULL);
        sock_call_resume(s);
    }
    errno = EINVAL;
    return -1;
}

static ssize_t epipe(int flags)
{
    if (!(flags & MSG_NOSIGNAL))
        raise(SIGPIPE);
    return fail(EPIPE);
}

/* usrsctp refuses a send once the peer's SHUTDOWN is in (states
 * SHUTDOWN-RECEIVED and SHUTDOWN-ACK-SENT) with ECONNRESET, as if the
 * association were aborted; Linux says EPIPE (sctp_sf_error_shutdown). */
static int peer_shut_down(struct ssock *s)
{
    struct stk_status st = {.assoc_id = 0};
    size_t l = sizeof st;
    return stk_getopt(s->stk, STK_O_STATUS, &st, &l) == 0 &&
           (st.state == STK_S_SHUTDOWN_RECEIVED || st.state == STK_S_SHUTDOWN_ACK_SENT);
}

/* The association of a one-to-one socket is gone.  The man pages'
 * rule: what ended it (a received ABORT: ECONNRESET; retransmissions
 * exhausted: ETIMEDOUT) once, then EPIPE. */
static ssize_t stream_gone(struct ssock *s, int flags, int stack_errno)
{
    int err = lx_conn_error(s, stack_errno);
    if (!s->reset_told && (err == ECONNRESET || err == ETIMEDOUT)) {
        s->reset_told = 1;
        sock_sync(s);
        return fail(err);
    }
    return epipe(flags);
}

/* A send with a destination on a one-to-one socket that is not connected
 * sets up the association and carries the message (RFC 6458, Linux's
 * sctp_sendmsg); it then waits for the handshake unless told not to, and
 * returns the message's length whatever the handshake gives. */
static ssize_t send_connect(struct ssock *s, const struct iovec *iov,
                            size_t iovcnt, struct lx_send_req *req, int flags)
{
    if (lx_connect_prepare(s, req->dst, req->dst_bytes) < 0)
        return -1;
    ssize_t r = send_new(s, iov, iovcnt, req, flags);
    if (r < 0)
        return -1;
    lx_connect_begun(s);
    if (!(flags & MSG_DONTWAIT))
        lx_connect_wait(s);
    sock_sync(s);
    return r;
}

/* A lifetime with no policy is a TTL, as Linux treats it. */
static void lifetime_is_ttl(struct stk_sndinfo *i)
{
    if (i->pr_policy == STK_PR_NONE && i->pr_value)
        i->pr_policy = STK_PR_TTL;
}

/* The message goes on an existing association of a one-to-many socket:
 * what its own parameters leave open comes from that association's
 * defaults, as Linux's sctp_sendmsg_update_sinfo does. */
static void association_defaults(struct ssock *s, struct lx_send_req *req)
{
    if (req->has_srinfo)
        return;
    struct stk_sndinfo d = lx_assoc_vals(s, req->info.assoc_id).defaults;
    struct stk_sndinfo *i = &req->info;
    if (!req->has_sinfo) {
        i->sid = d.sid;
        i->ppid = d.ppid;
        i->context = d.context;
        if (!req->has_prinfo) {
            i->flags = d.flags;
            i->pr_policy = d.pr_policy;
        }
    }
    if (!req->has_prinfo)
        i->pr_value = d.pr_value;
    lifetime_is_ttl(i);
}

ssize_t lx_send_req(struct ssock *s, const struct iovec *iov, size_t iovcnt,
                    struct lx_send_req *req, int flags)
{
    if (flags & MSG_OOB)
        return fail(EOPNOTSUPP);
    size_t len = iov_total(iov, iovcnt);
    uint16_t f = req->info.flags;
    lifetime_is_ttl(&req->info);
    lx_refresh_state(s);
    if (s->type == SOCK_STREAM && s->listening)
        return epipe(flags);
    if (too_big(s, len))
        return fail(EMSGSIZE);
    if (s->type == SOCK_STREAM && !s->peeled && (f & (STK_F_EOF | STK_F_ABORT)))
        return fail(EINVAL); /* one-to-one sockets use shutdown/SO_LINGER */
    if (!(f & (STK_F_EOF | STK_F_ABORT)) && len == 0)
        return fail(EINVAL);
    if ((f & STK_F_ADDR_OVER) && !req->dst)
        return fail(EINVAL);
    ssize_t r;
    if (s->type == SOCK_STREAM) {
        if (s->shut_wr)
            return epipe(flags);
        if (!s->connected && req->dst && !s->connecting &&
            !(f & (STK_F_EOF | STK_F_ABORT)))
            return send_connect(s, iov, iovcnt, req, flags);
        if (!s->connected)
            return fail(ENOTCONN);
        req->info.flags &= (uint16_t)~STK_F_SENDALL; /* ignored, as Linux does */
        /* The address only says which path, with SCTP_ADDR_OVER. */
        r = send_loop(s, iov, iovcnt, (f & STK_F_ADDR_OVER) ? req->dst : NULL,
                      &req->info, flags);
        if (r >= 0)
            return r;
        int e = errno; /* the looks below ask the stack */
        /* Shut down for writing while this send waited: Linux's
         * sctp_wait_for_sndbuf says EPIPE (state SHUTDOWN-PENDING or
         * later); usrsctp says ECONNRESET. */
        if (s->shut_wr || (e == ECONNRESET && peer_shut_down(s)))
            return epipe(flags);
        if (s->connected && (e == ENOENT || e == ENOTCONN || e == ECONNRESET ||
                             e == ETIMEDOUT || e == EPIPE))
            return stream_gone(s, flags, e);
        return fail(e);
    }
    if (f & STK_F_SENDALL)
        return send_all(s, iov, iovcnt, req, flags);
    if (!req->info.assoc_id) {
        /* The first address names the association; a known one is sent
         * to by id, which spares the look-up of the peer's port. */
        if (!req->dst)
            return fail(ENOENT);
        uint32_t id;
        if (stk_assoc_lookup(s->stk, req->dst, &id) < 0) {
            if (f & (STK_F_EOF | STK_F_ABORT))
                return fail(ENOENT); /* nothing to shut down or abort */
            r = send_new(s, iov, iovcnt, req, flags);
            goto sent;
        }
        req->info.assoc_id = id;
    }
    association_defaults(s, req);
    /* The association id wins over an address (sctp_sendx(3)); the
     * address then only says which path, with SCTP_ADDR_OVER. */
    r = send_loop(s, iov, iovcnt, (f & STK_F_ADDR_OVER) ? req->dst : NULL,
                  &req->info, flags);
    if (r < 0 && errno == EINVAL && (f & STK_F_ABORT))
        r = abort_after_handshake(s, iov, iovcnt, &req->info, flags);
sent:
    if (r >= 0 && req->assoc_out)
        *req->assoc_out = req->info.assoc_id;
    if (r >= 0 && (f & STK_F_ABORT))
        r = 0; /* Linux reports nothing sent: the reason went in the ABORT */
    return r;
}

ssize_t lx_sendmsg(struct ssock *s, const struct msghdr *msg, int flags)
{
    if (umem_send_msghdr(msg) < 0)
        return -1;
    struct lx_send_req req;
    lx_send_req_init(s, &req);
    ssize_t r = -1;
    if (lx_send_parse(s, msg, &req) == 0)
        r = lx_send_req(s, msg->msg_iov, msg->msg_iovlen, &req, flags);
    int e = errno;
    lx_send_req_free(&req);
    errno = e;
    return r;
}

ssize_t lx_send(struct ssock *s, const void *buf, size_t len, int flags)
{
    struct iovec iv = {(void *)buf, len};
    struct lx_send_req req;
    lx_send_req_init(s, &req);
    return lx_send_req(s, &iv, 1, &req, flags);
}
