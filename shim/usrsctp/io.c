/* usrsctp side: moving messages and decoding notifications. */
#include "usrsctp/stack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/iov.h"
#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/mtu.h"
#include "usrsctp/notif.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

ssize_t stk_sendv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  const struct sockaddr *to, int tocnt,
                  struct stk_sndinfo *info)
{
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof spa);
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = info->sid;
    spa.sendv_sndinfo.snd_flags = stk_flags_to_usr(info->flags);
    spa.sendv_sndinfo.snd_ppid = info->ppid;
    spa.sendv_sndinfo.snd_context = info->context;
    uint32_t local;
    if (ids_in(s, info->assoc_id, &local) < 0) {
        errno = ENOENT; /* another socket's association: unknown here */
        return -1;
    }
    spa.sendv_sndinfo.snd_assoc_id = (sctp_assoc_t)local;
    if (info->pr_policy != STK_PR_NONE) {
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
        spa.sendv_prinfo.pr_policy = stk_pr_to_usr(info->pr_policy);
        spa.sendv_prinfo.pr_value = info->pr_value;
    }
    if (to && tocnt)
        stk_mtu_for_peer(s, to);
    /* usrsctp takes one contiguous buffer: gather only when needed. */
    size_t len = iov_total(iov, (size_t)iovcnt);
    void *buf = iovcnt == 1 ? iov[0].iov_base : NULL;
    void *tmp = NULL;
    if (iovcnt > 1) {
        tmp = malloc(len ? len : 1);
        if (!tmp) {
            errno = ENOBUFS;
            return -1;
        }
        size_t off = 0;
        for (int i = 0; i < iovcnt; i++) {
            memcpy((char *)tmp + off, iov[i].iov_base, iov[i].iov_len);
            off += iov[i].iov_len;
        }
        buf = tmp;
    }
    static const char none;
    if (!buf)
        buf = (void *)&none; /* usrsctp refuses a NULL buffer even empty */
    ssize_t r = usr.usrsctp_sendv(s->so, buf, len, (struct sockaddr *)to,
                                  tocnt, &spa, sizeof spa, SCTP_SENDV_SPA, 0);
    int e = errno;
    free(tmp);
    /* Seen once in 10 ThreadSanitizer runs of thread_mix, as the
     * association failed under a sender: -1 and no errno.  The send
     * fails as on a socket with no association, which the caller turns
     * into the association's end (ECONNRESET, ETIMEDOUT or EPIPE). */
    if (r < 0)
        errno = e ? stk_errno_from_usr(e) : ENOTCONN;
    /* usrsctp writes the id of the association it used (or set up) back
     * into the send info when it was given an address. */
    if (r >= 0 && to)
        info->assoc_id = ids_out(s, (uint32_t)spa.sendv_sndinfo.snd_assoc_id);
    return r;
}

ssize_t stk_recvv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  struct sockaddr *from, socklen_t *fromlen,
                  struct stk_rcvinfo *info, int *flags, int peek)
{
    size_t len = iov_total(iov, (size_t)iovcnt);
    void *buf = iovcnt == 1 ? iov[0].iov_base : NULL;
    void *tmp = NULL;
    if (iovcnt != 1) {
        tmp = malloc(len ? len : 1);
        if (!tmp) {
            errno = ENOBUFS;
            return -1;
        }
        buf = tmp;
    }
    struct sctp_recvv_rn rn;
    struct sctp_rcvinfo *rcv = &rn.recvv_rcvinfo;
    socklen_t infolen = sizeof rn;
    unsigned int infotype = 0;
    int mflags = peek ? MSG_PEEK : 0;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    memset(&rn, 0, sizeof rn);
    ssize_t r = usr.usrsctp_recvv(s->so, buf, len, (struct sockaddr *)&ss,
                                  &sslen, &rn, &infolen, &infotype, &mflags);
    if (r >= 0 && tmp) {
        size_t off = 0;
        for (int i = 0; i < iovcnt && off < (size_t)r; i++) {
            size_t n = (size_t)r - off < iov[i].iov_len ? (size_t)r - off
                                                       : iov[i].iov_len;
            memcpy(iov[i].iov_base, (char *)tmp + off, n);
            off += n;
        }
    }
    int e = errno;
    free(tmp);
    if (r < 0) {
        errno = e ? stk_errno_from_usr(e) : ENOTCONN; /* as stk_sendv */
        return r;
    }
    if (from && fromlen) {
        socklen_t n = sslen < *fromlen ? sslen : *fromlen;
        memcpy(from, &ss, n);
        *fromlen = sslen;
    }
    *flags = (mflags & MSG_EOR ? STK_F_EOR : 0) |
             (mflags & MSG_NOTIFICATION ? STK_F_NOTIFICATION : 0) |
             (mflags & MSG_TRUNC ? STK_F_TRUNC : 0);
    memset(info, 0, sizeof *info);
    if (infotype == SCTP_RECVV_RCVINFO || infotype == SCTP_RECVV_RN) {
        info->valid = 1;
        info->sid = rcv->rcv_sid;
        info->ssn = rcv->rcv_ssn;
        info->flags = usr_flags_to_stk(rcv->rcv_flags);
        info->ppid = rcv->rcv_ppid;
        info->tsn = rcv->rcv_tsn;
        info->cumtsn = rcv->rcv_cumtsn;
        info->context = rcv->rcv_context;
        info->assoc_id = ids_out(s, (uint32_t)rcv->rcv_assoc_id);
    }
    if (infotype == SCTP_RECVV_RN) {
        const struct sctp_nxtinfo *nx = &rn.recvv_nxtinfo;
        info->nxt_valid = 1;
        info->nxt_sid = nx->nxt_sid;
        /* usrsctp's own nxt_flags bits (RFC 6458 names, BSD values). */
        info->nxt_flags = (nx->nxt_flags & SCTP_UNORDERED ? STK_F_UNORDERED : 0) |
                          (nx->nxt_flags & SCTP_NOTIFICATION ? STK_F_NOTIFICATION : 0) |
                          (nx->nxt_flags & SCTP_COMPLETE ? STK_F_EOR : 0);
        info->nxt_ppid = nx->nxt_ppid;
        info->nxt_length = nx->nxt_length;
        info->nxt_assoc_id = ids_out(s, (uint32_t)nx->nxt_assoc_id);
    }
    return r;
}

int stk_decode_notif(struct stk_sock *s, const void *buf, size_t len,
                     struct stk_notif *n)
{
    if (usr_decode_notif(buf, len, n) < 0)
        return -1;
    n->assoc_id = ids_out(s, n->assoc_id);
    if (n->type == STK_N_SEND_FAILED_EVENT)
        n->snd.assoc_id = ids_out(s, n->snd.assoc_id);
    return 0;
}
