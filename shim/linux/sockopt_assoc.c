/* The endpoint's and its associations' protocol parameters, and the
 * receive options that are the shim's own business. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>

#include "core/sock.h"

/* The int-valued options the stack keeps. */
static int int_opt(int name)
{
    switch (name) {
    case SCTP_NODELAY:
        return STK_O_NODELAY;
    case SCTP_AUTOCLOSE:
        return STK_O_AUTOCLOSE;
    case SCTP_DISABLE_FRAGMENTS:
        return STK_O_DISABLE_FRAGMENTS;
    }
    return 0;
}

/* Linux has no autoclose for one-to-one sockets (peeled-off ones have). */
static int autoclose_refused(const struct ssock *s)
{
    if (s->type != SOCK_STREAM || s->peeled)
        return 0;
    errno = EOPNOTSUPP;
    return -1;
}

int lx_opt_assoc_set(struct ssock *s, int name, const void *val,
                     socklen_t len)
{
    int v;
    if (name == SCTP_AUTOCLOSE && autoclose_refused(s))
        return -1;
    switch (name) {
    case SCTP_NODELAY:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_AUTOCLOSE:
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        return stk_setopt(s->stk, int_opt(name), &v, sizeof v);
    case SCTP_INITMSG: {
        struct sctp_initmsg im;
        if (!val || len < sizeof im)
            return lx_opt_inval();
        memcpy(&im, val, sizeof im);
        struct stk_initmsg m = {im.sinit_num_ostreams, im.sinit_max_instreams,
                                im.sinit_max_attempts, im.sinit_max_init_timeo};
        return stk_setopt(s->stk, STK_O_INITMSG, &m, sizeof m);
    }
    case SCTP_ADAPTATION_LAYER: {
        struct sctp_setadaptation a;
        if (!val || len < sizeof a)
            return lx_opt_inval();
        memcpy(&a, val, sizeof a);
        uint32_t ind = a.ssb_adaptation_ind;
        return stk_setopt(s->stk, STK_O_ADAPTATION, &ind, sizeof ind);
    }
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        if (name == SCTP_RECVRCVINFO) {
            s->recvrcvinfo = !!v;
            return 0;
        }
        /* The stack keeps its own receive info on always; the look-ahead
         * it only gives when asked. */
        v = !!v;
        if (stk_setopt(s->stk, STK_O_RECVNXTINFO, &v, sizeof v) < 0)
            return -1;
        s->recvnxtinfo = v;
        return 0;
    case SCTP_I_WANT_MAPPED_V4_ADDR:
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        s->v4mapped = !!v;
        return 0;
    case SCTP_RTOINFO: {
        struct sctp_rtoinfo r;
        if (!val || len < sizeof r)
            return lx_opt_inval();
        memcpy(&r, val, sizeof r);
        struct stk_rtoinfo n = {(uint32_t)r.srto_assoc_id, r.srto_initial,
                                r.srto_max, r.srto_min};
        return stk_setopt(s->stk, STK_O_RTOINFO, &n, sizeof n);
    }
    case SCTP_ASSOCINFO: {
        struct sctp_assocparams a;
        if (!val || len < sizeof a)
            return lx_opt_inval();
        memcpy(&a, val, sizeof a);
        struct stk_assocparams n = {.assoc_id = (uint32_t)a.sasoc_assoc_id,
                                    .asocmaxrxt = a.sasoc_asocmaxrxt,
                                    .cookie_life = a.sasoc_cookie_life};
        return stk_setopt(s->stk, STK_O_ASSOCINFO, &n, sizeof n);
    }
    }
    return lx_opt_values_set(s, name, val, len);
}

int lx_opt_assoc_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (name == SCTP_AUTOCLOSE && autoclose_refused(s))
        return -1;
    switch (name) {
    case SCTP_NODELAY:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_AUTOCLOSE: {
        int v = 0;
        size_t l = sizeof v;
        if (stk_getopt(s->stk, int_opt(name), &v, &l) < 0)
            return -1;
        return lx_opt_int_out(val, len, v);
    }
    case SCTP_INITMSG: {
        struct stk_initmsg m;
        size_t l = sizeof m;
        if (!val || !len || *len < sizeof(struct sctp_initmsg))
            return lx_opt_inval();
        if (stk_getopt(s->stk, STK_O_INITMSG, &m, &l) < 0)
            return -1;
        struct sctp_initmsg im = {m.num_ostreams, m.max_instreams,
                                  m.max_attempts, m.max_init_timeo};
        memcpy(val, &im, sizeof im);
        *len = sizeof im;
        return 0;
    }
    case SCTP_ADAPTATION_LAYER: {
        struct sctp_setadaptation a;
        uint32_t ind = 0;
        size_t l = sizeof ind;
        if (!val || !len || *len < sizeof a)
            return lx_opt_inval();
        if (stk_getopt(s->stk, STK_O_ADAPTATION, &ind, &l) < 0)
            return -1;
        a.ssb_adaptation_ind = ind;
        memcpy(val, &a, sizeof a);
        *len = sizeof a;
        return 0;
    }
    case SCTP_RECVRCVINFO:
        return lx_opt_int_out(val, len, s->recvrcvinfo);
    case SCTP_RECVNXTINFO:
        return lx_opt_int_out(val, len, s->recvnxtinfo);
    case SCTP_I_WANT_MAPPED_V4_ADDR:
        return lx_opt_int_out(val, len, s->v4mapped);
    case SCTP_RTOINFO: {
        struct sctp_rtoinfo r;
        if (!val || !len || *len < sizeof r)
            return lx_opt_inval();
        memcpy(&r, val, sizeof r);
        struct stk_rtoinfo n = {.assoc_id = (uint32_t)r.srto_assoc_id};
        if (stk_getopt(s->stk, STK_O_RTOINFO, &n, &(size_t){sizeof n}) < 0)
            return -1;
        r.srto_initial = n.initial;
        r.srto_max = n.max;
        r.srto_min = n.min;
        memcpy(val, &r, sizeof r);
        *len = sizeof r;
        return 0;
    }
    case SCTP_ASSOCINFO: {
        struct sctp_assocparams a;
        if (!val || !len || *len < sizeof a)
            return lx_opt_inval();
        memcpy(&a, val, sizeof a);
        struct stk_assocparams n = {.assoc_id = (uint32_t)a.sasoc_assoc_id};
        if (stk_getopt(s->stk, STK_O_ASSOCINFO, &n, &(size_t){sizeof n}) < 0)
            return -1;
        a.sasoc_asocmaxrxt = n.asocmaxrxt;
        a.sasoc_number_peer_destinations = n.number_peer_destinations;
        a.sasoc_peer_rwnd = n.peer_rwnd;
        a.sasoc_local_rwnd = n.local_rwnd;
        a.sasoc_cookie_life = n.cookie_life;
        memcpy(val, &a, sizeof a);
        *len = sizeof a;
        return 0;
    }
    }
    return lx_opt_values_get(s, name, val, len);
}
