/* The receive path: data with its SCTP ancillary data, and events
 * rewritten into the Linux layout, with Linux recvmsg semantics. */
#include "linux/recv.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "base/iov.h"
#include "base/log.h"
#include "base/real.h"
#include "core/sock.h"
#include "core/umem.h"
#include "core/wait.h"
#include "linux/addr.h"
#include "linux/conn.h"
#include "linux/notif.h"
#include "linux/xlate.h"

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

/* A data message's cmsgs, where the program's control buffer can take
 * them: the kernel's put_cmsg fails silently on a bad one. */
static void put_data_cmsgs(struct ssock *s, struct msghdr *msg,
                           const struct stk_rcvinfo *ri)
{
    if (!msg->msg_control || umem_writable(msg->msg_control, msg->msg_controllen))
        put_rcv_cmsgs(s, msg, ri);
    else
        msg->msg_controllen = 0;
}

/* A usrsctp notification of n bytes in raw, in the Linux layout in out:
 * its length, or 0 when Linux has no layout for it. */
static size_t notif_to_linux(struct ssock *s, const unsigned char *raw,
                             size_t n, unsigned char *out, size_t cap)
{
    struct stk_notif nt;
    if (stk_decode_notif(s->stk, raw, n, &nt) < 0)
        return 0;
    lx_notif_for_socket(s, &nt);
    return lx_notif_encode(&nt, out, cap);
}

/* The rest of a notification whose first n bytes are in raw (room:
 * cap): read on, or, for a peek, peeked again whole. */
static size_t notif_rest(struct ssock *s, unsigned char *raw, size_t n,
                         size_t cap, int peek)
{
    struct stk_rcvinfo ri;
    int fl = 0;
    if (peek) {
        struct iovec iv = {raw, cap};
        ssize_t r = stk_recvv(s->stk, &iv, 1, NULL, NULL, &ri, &fl, 1);
        return r > 0 ? (size_t)r : n;
    }
    for (int complete = 0; !complete && n < cap;) {
        struct iovec iv = {raw + n, cap - n};
        ssize_t r = stk_recvv(s->stk, &iv, 1, NULL, NULL, &ri, &fl, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        complete = (fl & STK_F_EOR) != 0;
    }
    return n;
}

/* Takes the stack's next message, a notification the program will not
 * see, off its queue (complete: it ends in one read). */
static void drop_notif(struct ssock *s, int complete)
{
    unsigned char raw[4096];
    for (int done = 0; !done;) {
        struct iovec iv = {raw, sizeof raw};
        struct stk_rcvinfo ri;
        int fl = 0;
        if (stk_recvv(s->stk, &iv, 1, NULL, NULL, &ri, &fl, 0) <= 0)
            break;
        done = complete || (fl & STK_F_EOR);
    }
}

static void held_changed(struct ssock *s);

/* Rewrites a usrsctp notification, received into the caller's buffers,
 * into the Linux layout in the same buffers.  What does not fit is held
 * for the next reads, as Linux keeps the rest of an event (from: its
 * sender). */
static ssize_t translate_notif(struct ssock *s, struct msghdr *msg, size_t got,
                               int *complete, int peek,
                               const struct sockaddr_storage *from,
                               socklen_t fromlen)
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
    if (!*complete)
        n = notif_rest(s, raw, n, sizeof raw, peek);
    size_t len = notif_to_linux(s, raw, n, out, sizeof out);
    if (!len)
        return -1;
    size_t cap = iov_total(msg->msg_iov, msg->msg_iovlen);
    size_t put = len < cap ? len : cap;
    size_t off = 0;
    for (size_t i = 0; i < msg->msg_iovlen && off < put; i++) {
        size_t k = msg->msg_iov[i].iov_len < put - off ? msg->msg_iov[i].iov_len
                                                       : put - off;
        memcpy(msg->msg_iov[i].iov_base, out + off, k);
        off += k;
    }
    *complete = put == len;
    if (put < len && !peek &&
        held_push(&s->held, out + put, len - put,
                  STK_F_NOTIFICATION | STK_F_EOR, NULL,
                  (const struct sockaddr *)from, fromlen) == 0)
        held_changed(s);
    return (ssize_t)put;
}

/* The descriptor is readable while the shim holds something for a
 * reader: held messages, or (on a drained socket, where the stack's
 * error was taken with its queue) the error that ended the association. */
static void held_changed(struct ssock *s)
{
    int pending = !held_empty(&s->held) ||
                  (s->m.drained && s->conn_err && !s->rd_err_told);
    __atomic_store_n(&s->m.pending, pending, __ATOMIC_RELEASE);
    sock_sync(s);
}

/* Moves what the stack has queued for the program into the held queue
 * (keep_data: data too, else only notifications; keep_notif likewise),
 * until the stack has nothing more: at shutdown(SHUT_RD), what was
 * queued stays readable, and what comes later is dropped. */
static void take_from_stack(struct ssock *s, int keep_data, int keep_notif)
{
    unsigned char raw[4096], out[4096 + 512];
    pthread_mutex_lock(&s->held.take);
    for (;;) {
        struct iovec iv = {raw, sizeof raw};
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof from;
        struct stk_rcvinfo ri;
        int fl = 0;
        ssize_t r = stk_recvv(s->stk, &iv, 1, (struct sockaddr *)&from,
                              &fromlen, &ri, &fl, 0);
        if (r < 0 && stk_is_nonblocking_errno(errno))
            break;
        if (r <= 0) {
            /* The association is gone, and its queue empty. */
            if (r < 0 && s->type == SOCK_STREAM && s->connected)
                lx_conn_error(s, errno);
            if (s->type == SOCK_STREAM)
                s->stk_done = 1;
            break;
        }
        if (fl & STK_F_NOTIFICATION) {
            size_t n = (fl & STK_F_EOR) ? (size_t)r
                                        : notif_rest(s, raw, (size_t)r,
                                                     sizeof raw, 0);
            size_t len = keep_notif ? notif_to_linux(s, raw, n, out, sizeof out)
                                    : 0;
            if (len)
                held_push(&s->held, out, len, STK_F_NOTIFICATION | STK_F_EOR,
                          NULL, (struct sockaddr *)&from, fromlen);
        } else if (keep_data) {
            held_push(&s->held, raw, (size_t)r, fl & STK_F_EOR, &ri,
                      (struct sockaddr *)&from, fromlen);
        }
    }
    pthread_mutex_unlock(&s->held.take);
    held_changed(s);
}

void lx_recv_shutdown(struct ssock *s)
{
    if (s->shut_rd)
        return;
    take_from_stack(s, 1, 1);
    s->shut_rd = 1;
}

/* A drained socket (see lx_recv_drain_from_now): the stack's queue into
 * the held queue.  Also the watch thread's callback. */
static void drain(struct ssock *s)
{
    if (!s->stk_done)
        take_from_stack(s, 1, 1);
}

void lx_recv_drain_from_now(struct ssock *s)
{
    sock_set_drain(drain);
    __atomic_store_n(&s->m.drained, 1, __ATOMIC_RELEASE);
    drain(s);
}

static void put_name(struct ssock *s, struct msghdr *msg,
                     const struct sockaddr_storage *from)
{
    if (msg->msg_name && msg->msg_namelen) {
        if (lx_addr_len((const struct sockaddr *)from))
            lx_addr_out(s, (const struct sockaddr *)from, msg->msg_name,
                        &msg->msg_namelen);
        else
            msg->msg_namelen = 0;
    }
}

/* The oldest held message, or its next piece. */
static ssize_t recv_held(struct ssock *s, struct msghdr *msg, int flags)
{
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof from;
    struct stk_rcvinfo ri;
    int hf = 0;
    int peek = (flags & MSG_PEEK) != 0;
    ssize_t r = held_take(&s->held, msg->msg_iov, msg->msg_iovlen, peek, &hf,
                          &ri, (struct sockaddr *)&from, &fromlen);
    if (r < 0) {
        errno = EAGAIN;
        return -1;
    }
    if (!peek)
        held_changed(s);
    msg->msg_flags = (hf & STK_F_NOTIFICATION ? MSG_NOTIFICATION : 0) |
                     (hf & STK_F_EOR ? MSG_EOR : 0);
    if (hf & STK_F_NOTIFICATION)
        msg->msg_controllen = 0;
    else
        put_data_cmsgs(s, msg, &ri);
    if (!fromlen)
        memset(&from, 0, sizeof from);
    put_name(s, msg, &from);
    return r;
}

/* Nothing more will come: the association is gone (the stack said so,
 * with its errno e or with a 0), or reading is shut down.  As Linux: the
 * error that ended the association, once (an ABORT is never an end of
 * file); end of file after shutdown(SHUT_RD) or when the peer's SHUTDOWN
 * came first; ENOTCONN otherwise. */
static ssize_t reading_ended(struct ssock *s, struct msghdr *msg, int e)
{
    int err = s->type == SOCK_STREAM ? lx_conn_error(s, e) : 0;
    if (err && !s->rd_err_told) {
        s->rd_err_told = 1;
        errno = err;
        return -1;
    }
    if (err || (s->we_shut_first && !s->shut_rd)) {
        errno = ENOTCONN;
        return -1;
    }
    msg->msg_flags = 0;
    msg->msg_controllen = 0;
    return 0;
}

static ssize_t stream_ended(struct ssock *s, struct msghdr *msg, int e)
{
    s->eof = 1;
    mirror_hangup(&s->m, s->shut_wr);
    return reading_ended(s, msg, e);
}

static int would_block(struct ssock *s, int flags)
{
    return (flags & MSG_DONTWAIT) ||
           (real.fcntl(s->m.x, F_GETFL) & O_NONBLOCK);
}

/* A drained socket: what was taken from the stack, then, once the stack
 * has nothing more, the error that ended the association, once; after
 * that nothing, as on Linux: ENOTCONN, or EAGAIN without waiting. */
static ssize_t recv_drained(struct ssock *s, struct msghdr *msg, int flags)
{
    for (int spins = 0;; spins++) {
        drain(s);
        if (!held_empty(&s->held)) {
            ssize_t r = recv_held(s, msg, flags);
            if (r >= 0)
                return r;
        }
        if (s->stk_done) {
            if (s->conn_err && !s->rd_err_told) {
                s->rd_err_told = 1;
                held_changed(s);
                errno = s->conn_err;
                return -1;
            }
            errno = would_block(s, flags) ? EAGAIN : ENOTCONN;
            return -1;
        }
        /* The association's end shows nowhere (Linux's poll shows nothing
         * then either, but wakes a blocked recv): look again now and
         * then. */
        wait_fd_bound(100);
        if (lx_block(s, 0, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
}

/* Nothing to read, and the program would wait: Linux answers ENOTCONN at
 * once when no association could ever bring data. */
static int nothing_to_wait_for(struct ssock *s)
{
    if (s->type == SOCK_STREAM)
        return !s->connected && !s->connecting;
    if (s->listening)
        return 0;
    uint32_t *ids = NULL;
    int n = stk_assoc_list(s->stk, &ids);
    free(ids);
    return n == 0;
}

ssize_t lx_recvmsg(struct ssock *s, struct msghdr *msg, int flags)
{
    if (umem_recv_msghdr(msg, s->family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                    : sizeof(struct sockaddr_in)) < 0)
        return -1;
    if (flags & MSG_OOB) {
        errno = EOPNOTSUPP;
        return -1;
    }
    lx_refresh_state(s);
    if (s->type == SOCK_STREAM && s->listening) {
        errno = ENOTCONN;
        return -1;
    }
    if (s->shut_rd) {
        /* Data that came after shutdown(SHUT_RD) is dropped; events are
         * kept unless sending is shut down too (Linux's rule). */
        take_from_stack(s, 0, !s->shut_wr);
        if (held_empty(&s->held))
            return reading_ended(s, msg, 0);
    }
    if (s->m.drained)
        return recv_drained(s, msg, flags);
    if (!held_empty(&s->held)) {
        ssize_t h = recv_held(s, msg, flags);
        if (h >= 0)
            return h;
    }
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof from;
    struct stk_rcvinfo ri;
    int sflags = 0;
    ssize_t r;
    /* A read of zero bytes takes nothing, and a 0 from the stack would
     * look like end of file: peek at one byte instead (Linux returns 0
     * and leaves the message whole). */
    int empty = iov_total(msg->msg_iov, msg->msg_iovlen) == 0;
    char one;
    struct iovec probe = {&one, 1};
    for (int spins = 0;; spins++) {
        fromlen = sizeof from;
        r = stk_recvv(s->stk, empty ? &probe : msg->msg_iov,
                      empty ? 1 : (int)msg->msg_iovlen,
                      (struct sockaddr *)&from, &fromlen, &ri, &sflags,
                      empty || (flags & MSG_PEEK));
        if (r > 0 && (sflags & STK_F_NOTIFICATION) && !empty) {
            int complete = (sflags & STK_F_EOR) != 0;
            ssize_t t = translate_notif(s, msg, (size_t)r, &complete,
                                        flags & MSG_PEEK, &from, fromlen);
            if (t >= 0) {
                r = t;
                sflags = (sflags & ~STK_F_EOR) | (complete ? STK_F_EOR : 0);
                break;
            }
            SHIM_LOG("recvmsg: dropped a notification Linux has no layout for");
            if (flags & MSG_PEEK)
                drop_notif(s, complete); /* else the peek finds it again */
            continue;
        }
        if (r >= 0)
            break;
        if (!stk_is_nonblocking_errno(errno)) {
            if (s->type == SOCK_STREAM && s->connected) {
                SHIM_LOG("recv(%d): %s from the stack: association gone",
                         s->m.x, strerror(errno));
                return stream_ended(s, msg, errno);
            }
            /* A one-to-one socket not connected (yet) has nothing. */
            if (s->type != SOCK_STREAM || errno != ENOTCONN)
                return -1;
        }
        if (s->type == SOCK_STREAM && s->peer_shut)
            return stream_ended(s, msg, 0); /* core/sock.c: peer_shut */
        if (nothing_to_wait_for(s)) {
            errno = would_block(s, flags) ? EAGAIN : ENOTCONN;
            return -1;
        }
        if (lx_block(s, 0, flags & MSG_DONTWAIT, spins) < 0)
            return -1;
    }
    sock_sync(s); /* consuming may have emptied the stack's queue */
    if (r == 0 && s->type == SOCK_STREAM)
        return stream_ended(s, msg, 0);
    msg->msg_flags = 0;
    int complete = (sflags & STK_F_EOR) != 0;
    if (empty) {
        r = 0;
        complete = 0;
    }
    if (sflags & STK_F_NOTIFICATION) {
        msg->msg_flags |= MSG_NOTIFICATION;
        msg->msg_controllen = 0;
    } else {
        put_data_cmsgs(s, msg, &ri);
    }
    if (complete)
        msg->msg_flags |= MSG_EOR;
    put_name(s, msg, &from);
    return r;
}

ssize_t lx_recv(struct ssock *s, void *buf, size_t len, int flags)
{
    if (!umem_writable(buf, len)) {
        errno = EFAULT;
        return -1;
    }
    struct iovec iv = {buf, len};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    return lx_recvmsg(s, &m, flags);
}
