#include "lx_msg.h"

#include <errno.h>
#include <netinet/sctp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lx_addr.h"
#include "lx_conn.h"
#include "lx_notif.h"
#include "lx_xlate.h"
#include "sock.h"

/* Reads the SCTP ancillary data of a send; returns 0 or -1/EINVAL. */
static int parse_cmsgs(struct ssock *s, const struct msghdr *msg,
                       struct stk_sndinfo *info)
{
    struct cmsghdr *c;
    for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
        if (c->cmsg_level != IPPROTO_SCTP)
            continue;
        size_t dlen = c->cmsg_len - CMSG_LEN(0);
        const void *d = CMSG_DATA(c);
        switch (c->cmsg_type) {
        case SCTP_SNDRCV: {
            struct sctp_sndrcvinfo v;
            if (dlen < sizeof v)
                goto inval;
            memcpy(&v, d, sizeof v);
            info->sid = v.sinfo_stream;
            info->flags = lx_flags_to_stk(v.sinfo_flags);
            info->ppid = v.sinfo_ppid;
            info->context = v.sinfo_context;
            info->assoc_id = (uint32_t)v.sinfo_assoc_id;
            info->pr_policy = lx_pr_to_stk(v.sinfo_flags);
            info->pr_value = v.sinfo_timetolive;
            /* A lifetime with no policy is a TTL, as Linux treats it. */
            if (info->pr_policy == STK_PR_NONE && v.sinfo_timetolive)
                info->pr_policy = STK_PR_TTL;
            break;
        }
        case SCTP_SNDINFO: {
            struct sctp_sndinfo v;
            if (dlen < sizeof v)
                goto inval;
            memcpy(&v, d, sizeof v);
            info->sid = v.snd_sid;
            info->flags = lx_flags_to_stk(v.snd_flags);
            info->ppid = v.snd_ppid;
            info->context = v.snd_context;
            info->assoc_id = (uint32_t)v.snd_assoc_id;
            break;
        }
        case SCTP_PRINFO: {
            struct sctp_prinfo v;
            if (dlen < sizeof v)
                goto inval;
            memcpy(&v, d, sizeof v);
            if (v.pr_policy & ~SCTP_PR_SCTP_MASK)
                goto inval;
            info->pr_policy = lx_pr_to_stk(v.pr_policy);
            info->pr_value = v.pr_value;
            break;
        }
        case SCTP_INIT: {
            struct sctp_initmsg v;
            if (dlen < sizeof v)
                goto inval;
            memcpy(&v, d, sizeof v);
            struct stk_initmsg im = {v.sinit_num_ostreams, v.sinit_max_instreams,
                                     v.sinit_max_attempts, v.sinit_max_init_timeo};
            if (stk_setopt(s->stk, STK_O_INITMSG, &im, sizeof im) < 0)
                return -1;
            break;
        }
        case SCTP_AUTHINFO:
            break; /* keys are not supported: no key is used */
        default:
            SHIM_LOG("sendmsg: SCTP cmsg type %d not supported", c->cmsg_type);
            goto inval;
        }
    }
    return 0;
inval:
    errno = EINVAL;
    return -1;
}

static size_t iov_len(const struct iovec *iov, size_t n)
{
    size_t t = 0;
    for (size_t i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

ssize_t lx_sendmsg(struct ssock *s, const struct msghdr *msg, int flags)
{
    if (flags & MSG_OOB) {
        errno = EOPNOTSUPP;
        return -1;
    }
    struct stk_sndinfo info = s->defaults;
    if (msg->msg_controllen && parse_cmsgs(s, msg, &info) < 0)
        return -1;
    const struct sockaddr *to = msg->msg_name;
    int tocnt = 0;
    uint16_t udp = 0;
    lx_refresh_state(s);
    if (s->type == SOCK_STREAM) {
        if (s->shut_wr) {
            errno = EPIPE;
            goto epipe;
        }
        if (!s->connected) {
            errno = ENOTCONN;
            return -1;
        }
        to = NULL; /* a connected one-to-one socket ignores the address */
    } else if (to) {
        if (lx_addr_check(s, to, msg->msg_namelen) < 0)
            return -1;
        tocnt = 1;
        if (lx_autobind(s) < 0 || lx_addr_remote_udp(to, &udp) < 0)
            return -1;
    } else if (!info.assoc_id && !(info.flags & STK_F_SENDALL)) {
        errno = s->type == SOCK_SEQPACKET ? ENOENT : ENOTCONN;
        return -1;
    }
    for (int spins = 0;; spins++) {
        ssize_t r;
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        if (tocnt) {
            /* The encapsulation port applies to associations this send
             * may set up; serialised against other implicit set-ups. */
            pthread_mutex_lock(&s->lock);
            stk_set_remote_udp_port(s->stk, udp);
            r = stk_sendv(s->stk, msg->msg_iov, (int)msg->msg_iovlen, to, tocnt,
                          &info);
            pthread_mutex_unlock(&s->lock);
        } else {
            r = stk_sendv(s->stk, msg->msg_iov, (int)msg->msg_iovlen, NULL, 0,
                          &info);
        }
        if (r >= 0)
            return r;
        if (!stk_is_nonblocking_errno(errno))
            break;
        mirror_send_blocked(s, seen);
        if (lx_block(s, 1, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
    if (s->type == SOCK_STREAM && s->connected &&
        (errno == ENOENT || errno == ENOTCONN || errno == ECONNRESET ||
         errno == EPIPE)) {
        /* The association is gone.  Linux reports a received ABORT once
         * (ECONNRESET, from the socket error), then EPIPE. */
        int err = 0;
        size_t l = sizeof err;
        if (stk_getopt(s->stk, STK_O_ERROR, &err, &l) == 0 && err == ECONNRESET) {
            mirror_sync(s);
            errno = ECONNRESET;
            return -1;
        }
        goto epipe;
    }
    return -1;
epipe:
    if (!(flags & MSG_NOSIGNAL))
        raise(SIGPIPE);
    errno = EPIPE;
    return -1;
}

static void put_cmsg(struct msghdr *msg, size_t *used, int type,
                     const void *data, size_t len)
{
    size_t need = CMSG_SPACE(len);
    if (!msg->msg_control || *used + CMSG_LEN(len) > msg->msg_controllen) {
        msg->msg_flags |= MSG_CTRUNC;
        return;
    }
    struct cmsghdr *c = (struct cmsghdr *)((char *)msg->msg_control + *used);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(c), data, len);
    *used += need < msg->msg_controllen - *used ? need
                                                : msg->msg_controllen - *used;
}

static void put_rcv_cmsgs(struct ssock *s, struct msghdr *msg,
                          const struct stk_rcvinfo *ri)
{
    size_t used = 0;
    if (ri->valid && (s->events & (1u << STK_N_DATA_IO))) {
        struct sctp_sndrcvinfo v;
        memset(&v, 0, sizeof v);
        v.sinfo_stream = ri->sid;
        v.sinfo_ssn = ri->ssn;
        v.sinfo_flags = stk_flags_to_lx(ri->flags);
        v.sinfo_ppid = ri->ppid;
        v.sinfo_context = ri->context;
        v.sinfo_tsn = ri->tsn;
        v.sinfo_cumtsn = ri->cumtsn;
        v.sinfo_assoc_id = (sctp_assoc_t)ri->assoc_id;
        put_cmsg(msg, &used, SCTP_SNDRCV, &v, sizeof v);
    }
    if (ri->valid && s->recvrcvinfo) {
        struct sctp_rcvinfo v;
        memset(&v, 0, sizeof v);
        v.rcv_sid = ri->sid;
        v.rcv_ssn = ri->ssn;
        v.rcv_flags = stk_flags_to_lx(ri->flags);
        v.rcv_ppid = ri->ppid;
        v.rcv_tsn = ri->tsn;
        v.rcv_cumtsn = ri->cumtsn;
        v.rcv_context = ri->context;
        v.rcv_assoc_id = (sctp_assoc_t)ri->assoc_id;
        put_cmsg(msg, &used, SCTP_RCVINFO, &v, sizeof v);
    }
    msg->msg_controllen = used;
}

/* Rewrites a usrsctp notification, received into the caller's buffers,
 * into the Linux layout in the same buffers. */
static ssize_t translate_notif(struct ssock *s, struct msghdr *msg, size_t got,
                               int *complete)
{
    unsigned char raw[4096], out[4096 + 512];
    size_t n = 0;
    for (size_t i = 0; i < msg->msg_iovlen && n < got; i++) {
        size_t k = msg->msg_iov[i].iov_len < got - n ? msg->msg_iov[i].iov_len
                                                     : got - n;
        if (n + k > sizeof raw)
            k = sizeof raw - n;
        memcpy(raw + n, msg->msg_iov[i].iov_base, k);
        n += k;
    }
    while (!*complete && n < sizeof raw) {
        /* The caller's buffer was short: fetch the rest of the event. */
        struct iovec iv = {raw + n, sizeof raw - n};
        struct stk_rcvinfo ri;
        int fl = 0;
        ssize_t r = stk_recvv(s->stk, &iv, 1, NULL, NULL, &ri, &fl, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        *complete = (fl & STK_F_EOR) != 0;
    }
    struct stk_notif nt;
    if (stk_decode_notif(raw, n, &nt) < 0)
        return -1;
    lx_notif_for_socket(s, &nt);
    size_t len = lx_notif_encode(&nt, out, sizeof out);
    if (!len)
        return -1;
    size_t cap = iov_len(msg->msg_iov, msg->msg_iovlen);
    size_t put = len < cap ? len : cap;
    size_t off = 0;
    for (size_t i = 0; i < msg->msg_iovlen && off < put; i++) {
        size_t k = msg->msg_iov[i].iov_len < put - off ? msg->msg_iov[i].iov_len
                                                       : put - off;
        memcpy(msg->msg_iov[i].iov_base, out + off, k);
        off += k;
    }
    if (put < len)
        *complete = 0;
    return (ssize_t)put;
}

ssize_t lx_recvmsg(struct ssock *s, struct msghdr *msg, int flags)
{
    if (flags & MSG_OOB) {
        errno = EOPNOTSUPP;
        return -1;
    }
    lx_refresh_state(s);
    if (s->type == SOCK_STREAM && !s->connected && !s->eof) {
        errno = ENOTCONN;
        return -1;
    }
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof from;
    struct stk_rcvinfo ri;
    int sflags = 0;
    ssize_t r;
    for (int spins = 0;; spins++) {
        fromlen = sizeof from;
        r = stk_recvv(s->stk, msg->msg_iov, (int)msg->msg_iovlen,
                      (struct sockaddr *)&from, &fromlen, &ri, &sflags,
                      flags & MSG_PEEK);
        if (r >= 0)
            break;
        if (!stk_is_nonblocking_errno(errno)) {
            if ((errno == ENOTCONN || errno == EINVAL) &&
                s->type == SOCK_STREAM && s->connected) {
                SHIM_LOG("recv(%d): %s from the stack: end of file", s->m.x,
                         strerror(errno));
                r = 0; /* the association is gone: end of file */
                break;
            }
            return -1;
        }
        if (lx_block(s, 0, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
    mirror_sync(s); /* consuming may have emptied the stack's queue */
    msg->msg_flags = 0;
    if (r == 0 && s->type == SOCK_STREAM) {
        s->eof = 1;
        mirror_hangup(s, s->shut_wr);
        msg->msg_controllen = 0;
        return 0;
    }
    int complete = (sflags & STK_F_EOR) != 0;
    if (sflags & STK_F_NOTIFICATION) {
        ssize_t t = translate_notif(s, msg, (size_t)r, &complete);
        if (t < 0) {
            SHIM_LOG("recvmsg: dropped a notification Linux has no layout for");
            errno = EAGAIN;
            return -1;
        }
        r = t;
        msg->msg_flags |= MSG_NOTIFICATION;
        msg->msg_controllen = 0;
    } else {
        put_rcv_cmsgs(s, msg, &ri);
    }
    if (complete)
        msg->msg_flags |= MSG_EOR;
    if (msg->msg_name && msg->msg_namelen) {
        if (lx_addr_len((struct sockaddr *)&from))
            lx_addr_out(s, (struct sockaddr *)&from, msg->msg_name,
                        &msg->msg_namelen);
        else
            msg->msg_namelen = 0;
    }
    return r;
}

ssize_t lx_send(struct ssock *s, const void *buf, size_t len, int flags)
{
    struct iovec iv = {(void *)buf, len};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    return lx_sendmsg(s, &m, flags);
}

ssize_t lx_recv(struct ssock *s, void *buf, size_t len, int flags)
{
    struct iovec iv = {buf, len};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    return lx_recvmsg(s, &m, flags);
}
