/* usrsctp side: moving messages and decoding notifications. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"
#include "stk_internal.h"
#include "stk_xlate.h"
#include "usr_api.h"

static size_t iov_total(const struct iovec *iov, int n)
{
    size_t t = 0;
    for (int i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

ssize_t stk_sendv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  const struct sockaddr *to, int tocnt,
                  const struct stk_sndinfo *info)
{
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof spa);
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = info->sid;
    spa.sendv_sndinfo.snd_flags = stk_flags_to_usr(info->flags);
    spa.sendv_sndinfo.snd_ppid = info->ppid;
    spa.sendv_sndinfo.snd_context = info->context;
    spa.sendv_sndinfo.snd_assoc_id = info->assoc_id;
    if (info->pr_policy != STK_PR_NONE) {
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
        spa.sendv_prinfo.pr_policy = stk_pr_to_usr(info->pr_policy);
        spa.sendv_prinfo.pr_value = info->pr_value;
    }
    if (to && tocnt)
        stk_mtu_for_peer(s, to);
    /* usrsctp takes one contiguous buffer: gather only when needed. */
    size_t len = iov_total(iov, iovcnt);
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
    ssize_t r = usr.usrsctp_sendv(s->so, buf, len, (struct sockaddr *)to,
                                  tocnt, &spa, sizeof spa, SCTP_SENDV_SPA, 0);
    free(tmp);
    return r;
}

ssize_t stk_recvv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  struct sockaddr *from, socklen_t *fromlen,
                  struct stk_rcvinfo *info, int *flags, int peek)
{
    size_t len = iov_total(iov, iovcnt);
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
    struct sctp_rcvinfo rcv;
    socklen_t infolen = sizeof rcv;
    unsigned int infotype = 0;
    int mflags = peek ? MSG_PEEK : 0;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    memset(&rcv, 0, sizeof rcv);
    ssize_t r = usr.usrsctp_recvv(s->so, buf, len, (struct sockaddr *)&ss,
                                  &sslen, &rcv, &infolen, &infotype, &mflags);
    if (r >= 0 && tmp) {
        size_t off = 0;
        for (int i = 0; i < iovcnt && off < (size_t)r; i++) {
            size_t n = (size_t)r - off < iov[i].iov_len ? (size_t)r - off
                                                       : iov[i].iov_len;
            memcpy(iov[i].iov_base, (char *)tmp + off, n);
            off += n;
        }
    }
    free(tmp);
    if (r < 0)
        return r;
    if (from && fromlen) {
        socklen_t n = sslen < *fromlen ? sslen : *fromlen;
        memcpy(from, &ss, n);
        *fromlen = sslen;
    }
    *flags = (mflags & MSG_EOR ? STK_F_EOR : 0) |
             (mflags & MSG_NOTIFICATION ? STK_F_NOTIFICATION : 0) |
             (mflags & MSG_TRUNC ? STK_F_TRUNC : 0);
    memset(info, 0, sizeof *info);
    if (infotype == SCTP_RECVV_RCVINFO) {
        info->valid = 1;
        info->sid = rcv.rcv_sid;
        info->ssn = rcv.rcv_ssn;
        info->flags = usr_flags_to_stk(rcv.rcv_flags);
        info->ppid = rcv.rcv_ppid;
        info->tsn = rcv.rcv_tsn;
        info->cumtsn = rcv.rcv_cumtsn;
        info->context = rcv.rcv_context;
        info->assoc_id = rcv.rcv_assoc_id;
    }
    return r;
}

static void fill_sndinfo(struct stk_sndinfo *d, const struct sctp_sndinfo *s)
{
    d->sid = s->snd_sid;
    d->flags = usr_flags_to_stk(s->snd_flags);
    d->ppid = s->snd_ppid;
    d->context = s->snd_context;
    d->assoc_id = s->snd_assoc_id;
}

int stk_decode_notif(const void *buf, size_t len, struct stk_notif *n)
{
    const union sctp_notification *u = buf;
    memset(n, 0, sizeof *n);
    if (len < sizeof u->sn_header)
        return -1;
    n->type = usr_notif_to_stk(u->sn_header.sn_type);
    n->flags = u->sn_header.sn_flags;
    size_t hdr;
    switch (u->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
        hdr = sizeof u->sn_assoc_change;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_assoc_change.sac_assoc_id;
        n->state = (uint16_t)usr_assoc_state_to_stk(u->sn_assoc_change.sac_state);
        n->error = u->sn_assoc_change.sac_error;
        n->outbound_streams = u->sn_assoc_change.sac_outbound_streams;
        n->inbound_streams = u->sn_assoc_change.sac_inbound_streams;
        n->data = u->sn_assoc_change.sac_info;
        n->data_len = len - hdr;
        break;
    case SCTP_PEER_ADDR_CHANGE:
        if (len < sizeof u->sn_paddr_change)
            return -1;
        n->assoc_id = u->sn_paddr_change.spc_assoc_id;
        n->state = (uint16_t)usr_paddr_state_to_stk((int)u->sn_paddr_change.spc_state);
        n->error = (uint16_t)u->sn_paddr_change.spc_error;
        memcpy(&n->addr, &u->sn_paddr_change.spc_aaddr, sizeof n->addr);
        break;
    case SCTP_REMOTE_ERROR:
        hdr = sizeof u->sn_remote_error;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_remote_error.sre_assoc_id;
        n->error = u->sn_remote_error.sre_error;
        n->data = u->sn_remote_error.sre_data;
        n->data_len = len - hdr;
        break;
    case SCTP_SHUTDOWN_EVENT:
        n->assoc_id = u->sn_shutdown_event.sse_assoc_id;
        break;
    case SCTP_ADAPTATION_INDICATION:
        n->assoc_id = u->sn_adaptation_event.sai_assoc_id;
        n->value = u->sn_adaptation_event.sai_adaptation_ind;
        break;
    case SCTP_PARTIAL_DELIVERY_EVENT:
        n->assoc_id = u->sn_pdapi_event.pdapi_assoc_id;
        n->value = u->sn_pdapi_event.pdapi_indication;
        n->value2 = u->sn_pdapi_event.pdapi_stream;
        n->value3 = u->sn_pdapi_event.pdapi_seq;
        break;
    case SCTP_AUTHENTICATION_EVENT:
        n->assoc_id = u->sn_auth_event.auth_assoc_id;
        n->value = u->sn_auth_event.auth_keynumber;
        n->value3 = u->sn_auth_event.auth_indication;
        break;
    case SCTP_SENDER_DRY_EVENT:
        n->assoc_id = u->sn_sender_dry_event.sender_dry_assoc_id;
        break;
    case SCTP_SEND_FAILED_EVENT:
        hdr = sizeof u->sn_send_failed_event;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_send_failed_event.ssfe_assoc_id;
        n->error = (uint16_t)u->sn_send_failed_event.ssfe_error;
        fill_sndinfo(&n->snd, &u->sn_send_failed_event.ssfe_info);
        n->data = u->sn_send_failed_event.ssfe_data;
        n->data_len = len - hdr;
        break;
    case SCTP_STREAM_CHANGE_EVENT:
        n->assoc_id = u->sn_strchange_event.strchange_assoc_id;
        n->inbound_streams = u->sn_strchange_event.strchange_instrms;
        n->outbound_streams = u->sn_strchange_event.strchange_outstrms;
        break;
    case SCTP_ASSOC_RESET_EVENT:
        n->assoc_id = u->sn_assocreset_event.assocreset_assoc_id;
        n->value = u->sn_assocreset_event.assocreset_local_tsn;
        n->value2 = u->sn_assocreset_event.assocreset_remote_tsn;
        break;
    case SCTP_STREAM_RESET_EVENT:
        hdr = sizeof u->sn_strreset_event;
        n->assoc_id = u->sn_strreset_event.strreset_assoc_id;
        n->data = u->sn_strreset_event.strreset_stream_list;
        n->data_len = len > hdr ? len - hdr : 0;
        break;
    default:
        n->type = STK_N_NONE;
        return -1;
    }
    return 0;
}
