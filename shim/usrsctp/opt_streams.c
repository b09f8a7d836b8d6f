/* usrsctp side: stream reconfiguration (RFC 6525) and what PR-SCTP has
 * abandoned, per association and per stream. */
#include "usrsctp/opt_ext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/stack.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

/* usrsctp's policy for the sum of all (internal to its sctp_uio.h). */
#define USR_PR_SCTP_ALL 0x000f

static int bad(void)
{
    errno = EINVAL;
    return -1;
}

static int reset_streams(struct stk_sock *s, const struct stk_reset_streams *r,
                         size_t len)
{
    uint32_t local;
    if (len < sizeof *r || (len - sizeof *r) / sizeof r->list[0] < r->n)
        return bad();
    if (ids_in_checked(s, r->assoc_id, &local) < 0)
        return -1;
    size_t ulen = sizeof(struct sctp_reset_streams) + r->n * sizeof(uint16_t);
    struct sctp_reset_streams *u = calloc(1, ulen);
    if (!u) {
        errno = ENOBUFS;
        return -1;
    }
    u->srs_assoc_id = (sctp_assoc_t)local;
    u->srs_flags = (uint16_t)((r->flags & STK_RESET_INCOMING ? SCTP_STREAM_RESET_INCOMING : 0) |
                              (r->flags & STK_RESET_OUTGOING ? SCTP_STREAM_RESET_OUTGOING : 0));
    u->srs_number_streams = r->n;
    memcpy(u->srs_stream_list, r->list, r->n * sizeof(uint16_t));
    int res = usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_RESET_STREAMS, u,
                                     (socklen_t)ulen);
    int e = errno;
    free(u);
    errno = e;
    return res;
}

int usr_streams_setopt(struct stk_sock *s, int opt, const void *v, size_t len)
{
    uint32_t local;
    switch (opt) {
    case STK_O_RESET_STREAMS:
        return reset_streams(s, v, len);
    case STK_O_RESET_ASSOC: {
        if (len < sizeof(uint32_t) || ids_in_checked(s, *(const uint32_t *)v, &local) < 0)
            return bad();
        sctp_assoc_t a = (sctp_assoc_t)local;
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_RESET_ASSOC, &a,
                                      sizeof a);
    }
    case STK_O_ADD_STREAMS: {
        const struct stk_add_streams *a = v;
        if (len < sizeof *a || ids_in_checked(s, a->assoc_id, &local) < 0)
            return bad();
        struct sctp_add_streams u = {(sctp_assoc_t)local, a->in, a->out};
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_ADD_STREAMS, &u,
                                      sizeof u);
    }
    }
    errno = ENOPROTOOPT;
    return -1;
}

int usr_streams_getopt(struct stk_sock *s, int opt, void *v, size_t *len)
{
    if (opt != STK_O_PR_ASSOC_STATUS && opt != STK_O_PR_STREAM_STATUS) {
        errno = ENOPROTOOPT;
        return -1;
    }
    struct stk_prstatus *p = v;
    struct sctp_prstatus u;
    socklen_t l = sizeof u;
    uint32_t local;
    if (*len < sizeof *p || ids_in_checked(s, p->assoc_id, &local) < 0)
        return bad();
    memset(&u, 0, sizeof u);
    u.sprstat_assoc_id = (sctp_assoc_t)local;
    u.sprstat_sid = p->sid;
    u.sprstat_policy = p->policy == STK_PR_ALL ? USR_PR_SCTP_ALL : stk_pr_to_usr(p->policy);
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP,
                               opt == STK_O_PR_ASSOC_STATUS ? SCTP_PR_ASSOC_STATUS
                                                            : SCTP_PR_STREAM_STATUS,
                               &u, &l) < 0)
        return -1;
    p->abandoned_unsent = u.sprstat_abandoned_unsent;
    p->abandoned_sent = u.sprstat_abandoned_sent;
    return 0;
}
