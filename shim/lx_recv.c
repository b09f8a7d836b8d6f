/* The receive path: data with its SCTP ancillary data, and events
 * rewritten into the Linux layout, with Linux recvmsg semantics. */
#include "lx_msg.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lx_addr.h"
#include "lx_conn.h"
#include "lx_notif.h"
#include "lx_xlate.h"
#include "sock.h"
#include "user_mem.h"

/* As the kernel's put_cmsg: what does not fit is cut short and flagged
 * MSG_CTRUNC, never dropped whole. */
static void put_cmsg(struct msghdr *msg, size_t *used, int type,
                     const void *data, size_t len)
{
    size_t room = msg->msg_control ? msg->msg_controllen - *used : 0;
    size_t cmlen = CMSG_LEN(len);
    if (room < sizeof(struct cmsghdr)) {
        msg->msg_flags |= MSG_CTRUNC;
        return;
    }
    if (room < cmlen) {
        msg->msg_flags |= MSG_CTRUNC;
        cmlen = room;
    }
    struct cmsghdr h = {.cmsg_len = cmlen, .cmsg_level = IPPROTO_SCTP,
                        .cmsg_type = type};
    char *at = (char *)msg->msg_control + *used;
    memcpy(at, &h, sizeof h);
    memcpy(at + CMSG_LEN(0), data, cmlen - CMSG_LEN(0));
    *used += CMSG_SPACE(len) < room ? CMSG_SPACE(len) : room;
}

/* In the kernel's order (sctp_recvmsg): SCTP_NXTINFO, SCTP_RCVINFO, then
 * SCTP_SNDRCV.  The order matters to callers with a short control
 * buffer: Debian's libsctp sctp_recvv passes 64 bytes, room for the
 * first whole and the second cut short. */
static void put_rcv_cmsgs(struct ssock *s, struct msghdr *msg,
                          const struct stk_rcvinfo *ri)
{
    size_t used = 0;
    if (ri->nxt_valid && s->recvnxtinfo) {
        struct sctp_nxtinfo v;
        memset(&v, 0, sizeof v);
        v.nxt_sid = ri->nxt_sid;
        v.nxt_flags = (ri->nxt_flags & STK_F_UNORDERED ? SCTP_UNORDERED : 0) |
                      (ri->nxt_flags & STK_F_NOTIFICATION ? SCTP_NOTIFICATION : 0);
        v.nxt_ppid = ri->nxt_ppid;
        v.nxt_length = ri->nxt_length;
        v.nxt_assoc_id = (sctp_assoc_t)ri->nxt_assoc_id;
        put_cmsg(msg, &used, SCTP_NXTINFO, &v, sizeof v);
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
    size_t cap = lx_iov_len(msg->msg_iov, msg->msg_iovlen);
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
    if (!umem_msghdr_ok(msg)) {
        errno = EFAULT;
        return -1;
    }
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

ssize_t lx_recv(struct ssock *s, void *buf, size_t len, int flags)
{
    if (!umem_ok(buf, len)) {
        errno = EFAULT;
        return -1;
    }
    struct iovec iv = {buf, len};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    return lx_recvmsg(s, &m, flags);
}
