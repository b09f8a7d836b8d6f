/* Stream reconfiguration (RFC 6525: SCTP_RESET_STREAMS, SCTP_RESET_ASSOC,
 * SCTP_ADD_STREAMS) and PR-SCTP's counts (SCTP_PR_ASSOC_STATUS,
 * SCTP_PR_STREAM_STATUS), with Linux's checks. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/xlate.h"

/* The association an operation names (any on a one-to-one socket). */
static int one_assoc(struct ssock *s, uint32_t *id)
{
    if (s->type != SOCK_SEQPACKET) {
        struct stk_status st = {.assoc_id = 0};
        size_t l = sizeof st;
        *id = 0;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) == 0 && st.state != STK_S_CLOSED)
            return 0;
        return lx_opt_inval();
    }
    if (*id <= SCTP_ALL_ASSOC)
        return lx_opt_inval();
    return lx_opt_assoc_ok(s, *id);
}

/* Linux: ENOPROTOOPT unless the peer takes reconfiguration and the
 * association has the request switched on (SCTP_ENABLE_STREAM_RESET). */
static int reconf_allowed(struct ssock *s, uint32_t id, uint32_t request)
{
    struct stk_assoc_value sup = {id, 0}, en = {id, 0};
    size_t l = sizeof sup;
    if (stk_getopt(s->stk, STK_O_RECONFIG_SUPPORTED, &sup, &l) == 0 && sup.value &&
        stk_getopt(s->stk, STK_O_ENABLE_STREAM_RESET, &en, &l) == 0 &&
        (en.value & request))
        return 0;
    errno = ENOPROTOOPT;
    return -1;
}

/* usrsctp's answer for a request still outstanding; Linux's EINPROGRESS. */
static int reconf_result(int r)
{
    if (r < 0 && (errno == EALREADY || errno == EBUSY))
        errno = EINPROGRESS;
    return r;
}

static int reset_streams(struct ssock *s, const void *val, socklen_t len)
{
    struct sctp_reset_streams r;
    if (!val || len < sizeof r)
        return lx_opt_inval();
    memcpy(&r, val, sizeof r);
    size_t bytes = (size_t)r.srs_number_streams * sizeof(uint16_t);
    if (bytes > 0xffff - sizeof r || bytes > len - sizeof r)
        return lx_opt_inval();
    uint32_t id = (uint32_t)r.srs_assoc_id;
    if (one_assoc(s, &id) < 0 || reconf_allowed(s, id, STK_RESET_STREAM_REQ) < 0)
        return -1;
    if (!(r.srs_flags & (SCTP_STREAM_RESET_INCOMING | SCTP_STREAM_RESET_OUTGOING)))
        return lx_opt_inval();
    struct stk_reset_streams *n = malloc(sizeof *n + bytes);
    if (!n) {
        errno = ENOBUFS;
        return -1;
    }
    n->assoc_id = id;
    n->flags = (uint16_t)((r.srs_flags & SCTP_STREAM_RESET_INCOMING ? STK_RESET_INCOMING : 0) |
                          (r.srs_flags & SCTP_STREAM_RESET_OUTGOING ? STK_RESET_OUTGOING : 0));
    n->n = r.srs_number_streams;
    memcpy(n->list, (const char *)val + sizeof r, bytes);
    int res = stk_setopt(s->stk, STK_O_RESET_STREAMS, n, sizeof *n + bytes);
    int e = errno;
    free(n);
    errno = e;
    return reconf_result(res);
}

int lx_opt_streams_set(struct ssock *s, int name, const void *val, socklen_t len)
{
    if (name == SCTP_RESET_STREAMS)
        return reset_streams(s, val, len);
    if (name == SCTP_RESET_ASSOC) {
        sctp_assoc_t a;
        if (!val || len != sizeof a)
            return lx_opt_inval();
        memcpy(&a, val, sizeof a);
        uint32_t id = (uint32_t)a;
        if (one_assoc(s, &id) < 0 || reconf_allowed(s, id, STK_RESET_ASSOC_REQ) < 0)
            return -1;
        return reconf_result(stk_setopt(s->stk, STK_O_RESET_ASSOC, &id, sizeof id));
    }
    /* SCTP_ADD_STREAMS */
    struct sctp_add_streams a;
    if (!val || len != sizeof a)
        return lx_opt_inval();
    memcpy(&a, val, sizeof a);
    uint32_t id = (uint32_t)a.sas_assoc_id;
    if (one_assoc(s, &id) < 0 || reconf_allowed(s, id, STK_CHANGE_ASSOC_REQ) < 0)
        return -1;
    if (!a.sas_instrms && !a.sas_outstrms)
        return lx_opt_inval();
    struct stk_add_streams n = {id, a.sas_instrms, a.sas_outstrms};
    return reconf_result(stk_setopt(s->stk, STK_O_ADD_STREAMS, &n, sizeof n));
}

int lx_opt_streams_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    /* SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS */
    struct sctp_prstatus p;
    if (!val || !len || *len < sizeof p)
        return lx_opt_inval();
    memcpy(&p, val, sizeof p);
    uint16_t policy = p.sprstat_policy;
    if (!policy || (policy & ~(SCTP_PR_SCTP_MASK | SCTP_PR_SCTP_ALL)) ||
        ((policy & SCTP_PR_SCTP_ALL) && (policy & SCTP_PR_SCTP_MASK)))
        return lx_opt_inval();
    uint32_t id = (uint32_t)p.sprstat_assoc_id;
    if (one_assoc(s, &id) < 0)
        return -1;
    if (name == SCTP_PR_STREAM_STATUS) {
        struct stk_status st = {.assoc_id = id};
        size_t l = sizeof st;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0 || p.sprstat_sid >= st.outstrms)
            return lx_opt_inval();
        /* Debian's usrsctp counts a stream's abandoned messages over all
         * policies only (no SCTP_DETAILED_STR_STATS). */
        if (policy != SCTP_PR_SCTP_ALL)
            return lx_opt_unsupported("getsockopt SCTP_PR_STREAM_STATUS of one policy",
                                      SOL_SCTP, name);
    }
    struct stk_prstatus n = {id, p.sprstat_sid,
                             policy == SCTP_PR_SCTP_ALL ? STK_PR_ALL : lx_pr_to_stk(policy),
                             0, 0};
    size_t l = sizeof n;
    if (stk_getopt(s->stk, name == SCTP_PR_ASSOC_STATUS ? STK_O_PR_ASSOC_STATUS
                                                        : STK_O_PR_STREAM_STATUS,
                   &n, &l) < 0)
        return -1;
    p.sprstat_abandoned_unsent = n.abandoned_unsent;
    p.sprstat_abandoned_sent = n.abandoned_sent;
    memcpy(val, &p, sizeof p);
    *len = sizeof p;
    return 0;
}
