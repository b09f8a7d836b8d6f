/* usrsctp side: socket options, neutral form in and out. */
#include "usrsctp/stack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/opt_ext.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

static int set_int(struct stk_sock *s, int level, int name, const void *v,
                   size_t len)
{
    if (len < sizeof(int)) {
        errno = EINVAL;
        return -1;
    }
    int x = *(const int *)v;
    return usr.usrsctp_setsockopt(s->so, level, name, &x, sizeof x);
}

static int get_int(struct stk_sock *s, int level, int name, void *v,
                   size_t *len)
{
    int x = 0;
    socklen_t l = sizeof x;
    if (*len < sizeof(int)) {
        errno = EINVAL;
        return -1;
    }
    if (usr.usrsctp_getsockopt(s->so, level, name, &x, &l) < 0)
        return -1;
    *(int *)v = x;
    *len = sizeof(int);
    return 0;
}

static int in_id(struct stk_sock *s, uint32_t global, sctp_assoc_t *local)
{
    uint32_t l;
    if (ids_in_checked(s, global, &l) < 0)
        return -1;
    *local = (sctp_assoc_t)l;
    return 0;
}

int usr_status(struct stk_sock *s, uint32_t id, struct sctp_status *st)
{
    socklen_t l = sizeof *st;
    memset(st, 0, sizeof *st);
    st->sstat_assoc_id = (sctp_assoc_t)id;
    return usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_STATUS, st, &l);
}

int stk_setopt(struct stk_sock *s, int opt, const void *v, size_t len)
{
    switch (opt) {
    case STK_O_SNDBUF:
        return set_int(s, SOL_SOCKET, SO_SNDBUF, v, len);
    case STK_O_RCVBUF:
        return set_int(s, SOL_SOCKET, SO_RCVBUF, v, len);
    case STK_O_LINGER: {
        const int *p = v;
        struct linger l = {p[0], p[1]};
        return usr.usrsctp_setsockopt(s->so, SOL_SOCKET, SO_LINGER, &l,
                                      sizeof l);
    }
    case STK_O_NODELAY:
        return set_int(s, IPPROTO_SCTP, SCTP_NODELAY, v, len);
    case STK_O_DISABLE_FRAGMENTS:
        return set_int(s, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, v, len);
    case STK_O_AUTOCLOSE:
        return set_int(s, IPPROTO_SCTP, SCTP_AUTOCLOSE, v, len);
    case STK_O_REUSE_PORT:
        return set_int(s, IPPROTO_SCTP, SCTP_REUSE_PORT, v, len);
    case STK_O_RECVNXTINFO:
        return set_int(s, IPPROTO_SCTP, SCTP_RECVNXTINFO, v, len);
    case STK_O_ADAPTATION: {
        struct sctp_setadaptation a = {*(const uint32_t *)v};
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER,
                                      &a, sizeof a);
    }
    case STK_O_INITMSG: {
        const struct stk_initmsg *m = v;
        struct sctp_initmsg im = {m->num_ostreams, m->max_instreams,
                                  m->max_attempts, m->max_init_timeo};
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_INITMSG, &im,
                                      sizeof im);
    }
    case STK_O_EVENT: {
        const uint32_t *p = v;
        int type = stk_notif_to_usr((int)p[1]);
        if (type < 0) {
            errno = ENOPROTOOPT;
            return -1;
        }
        struct sctp_event ev = {.se_type = (uint16_t)type,
                                .se_on = (uint8_t)p[2]};
        if (in_id(s, p[0], &ev.se_assoc_id) < 0)
            return -1;
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_EVENT, &ev,
                                      sizeof ev);
    }
    case STK_O_RTOINFO: {
        const struct stk_rtoinfo *r = v;
        struct sctp_rtoinfo ri = {0, r->initial, r->max, r->min};
        if (in_id(s, r->assoc_id, &ri.srto_assoc_id) < 0)
            return -1;
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_RTOINFO, &ri,
                                      sizeof ri);
    }
    case STK_O_ASSOCINFO: {
        const struct stk_assocparams *a = v;
        struct sctp_assocparams ap;
        memset(&ap, 0, sizeof ap);
        if (in_id(s, a->assoc_id, &ap.sasoc_assoc_id) < 0)
            return -1;
        ap.sasoc_asocmaxrxt = a->asocmaxrxt;
        ap.sasoc_cookie_life = a->cookie_life;
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap,
                                      sizeof ap);
    }
    }
    return usr_path_setopt(s, opt, v, len);
}

int stk_getopt(struct stk_sock *s, int opt, void *v, size_t *len)
{
    switch (opt) {
    case STK_O_SNDBUF:
        return get_int(s, SOL_SOCKET, SO_SNDBUF, v, len);
    case STK_O_RCVBUF:
        return get_int(s, SOL_SOCKET, SO_RCVBUF, v, len);
    case STK_O_ERROR:
        if (get_int(s, SOL_SOCKET, SO_ERROR, v, len) < 0)
            return -1;
        *(int *)v = stk_errno_from_usr(*(int *)v);
        return 0;
    case STK_O_NODELAY:
        return get_int(s, IPPROTO_SCTP, SCTP_NODELAY, v, len);
    case STK_O_DISABLE_FRAGMENTS:
        return get_int(s, IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, v, len);
    case STK_O_AUTOCLOSE:
        return get_int(s, IPPROTO_SCTP, SCTP_AUTOCLOSE, v, len);
    case STK_O_REUSE_PORT:
        return get_int(s, IPPROTO_SCTP, SCTP_REUSE_PORT, v, len);
    case STK_O_ADAPTATION: {
        struct sctp_setadaptation a;
        socklen_t l = sizeof a;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER,
                                   &a, &l) < 0)
            return -1;
        *(uint32_t *)v = a.ssb_adaptation_ind;
        return 0;
    }
    case STK_O_LINGER: {
        struct linger l;
        socklen_t ll = sizeof l;
        if (usr.usrsctp_getsockopt(s->so, SOL_SOCKET, SO_LINGER, &l, &ll) < 0)
            return -1;
        ((int *)v)[0] = l.l_onoff;
        ((int *)v)[1] = l.l_linger;
        return 0;
    }
    case STK_O_INITMSG: {
        struct sctp_initmsg im;
        socklen_t l = sizeof im;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_INITMSG, &im, &l) < 0)
            return -1;
        struct stk_initmsg *m = v;
        m->num_ostreams = im.sinit_num_ostreams;
        m->max_instreams = im.sinit_max_instreams;
        m->max_attempts = im.sinit_max_attempts;
        m->max_init_timeo = im.sinit_max_init_timeo;
        return 0;
    }
    case STK_O_EVENT: {
        uint32_t *p = v;
        int type = stk_notif_to_usr((int)p[1]);
        if (type < 0) {
            p[2] = 0;
            return 0;
        }
        struct sctp_event ev = {.se_type = (uint16_t)type};
        socklen_t l = sizeof ev;
        if (in_id(s, p[0], &ev.se_assoc_id) < 0)
            return -1;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_EVENT, &ev, &l) < 0)
            return -1;
        p[2] = ev.se_on;
        return 0;
    }
    case STK_O_STATUS: {
        struct stk_status *st = v;
        struct sctp_status us;
        sctp_assoc_t id;
        if (in_id(s, st->assoc_id, &id) < 0 || usr_status(s, (uint32_t)id, &us) < 0)
            return -1;
        st->assoc_id = ids_out(s, (uint32_t)us.sstat_assoc_id);
        st->state = usr_conn_state_to_stk(us.sstat_state);
        st->rwnd = us.sstat_rwnd;
        st->unackdata = us.sstat_unackdata;
        st->penddata = us.sstat_penddata;
        st->instrms = us.sstat_instrms;
        st->outstrms = us.sstat_outstrms;
        st->fragmentation_point = us.sstat_fragmentation_point;
        memcpy(&st->primary, &us.sstat_primary.spinfo_address,
               sizeof st->primary);
        st->primary_state = usr_path_state_to_stk(us.sstat_primary.spinfo_state);
        st->primary_cwnd = us.sstat_primary.spinfo_cwnd;
        st->primary_srtt = us.sstat_primary.spinfo_srtt;
        st->primary_rto = us.sstat_primary.spinfo_rto;
        st->primary_mtu = us.sstat_primary.spinfo_mtu;
        return 0;
    }
    case STK_O_RTOINFO: {
        struct stk_rtoinfo *r = v;
        struct sctp_rtoinfo ri;
        socklen_t l = sizeof ri;
        memset(&ri, 0, sizeof ri);
        if (in_id(s, r->assoc_id, &ri.srto_assoc_id) < 0 ||
            usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_RTOINFO, &ri, &l) < 0)
            return -1;
        r->initial = ri.srto_initial;
        r->max = ri.srto_max;
        r->min = ri.srto_min;
        return 0;
    }
    case STK_O_ASSOCINFO: {
        struct stk_assocparams *a = v;
        struct sctp_assocparams ap;
        socklen_t l = sizeof ap;
        memset(&ap, 0, sizeof ap);
        if (in_id(s, a->assoc_id, &ap.sasoc_assoc_id) < 0 ||
            usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, &l) < 0)
            return -1;
        a->asocmaxrxt = ap.sasoc_asocmaxrxt;
        a->number_peer_destinations = ap.sasoc_number_peer_destinations;
        a->peer_rwnd = ap.sasoc_peer_rwnd;
        a->local_rwnd = ap.sasoc_local_rwnd;
        a->cookie_life = ap.sasoc_cookie_life;
        return 0;
    }
    }
    return usr_path_getopt(s, opt, v, len);
}

/* The state of a one-to-one socket's association (SCTP_CLOSED when it
 * has none). */
static int usr_one_to_one_state(struct stk_sock *s)
{
    struct sctp_status st;
    int e = errno;
    int r = usr_status(s, 0, &st);
    errno = e;
    return r == 0 ? st.sstat_state : SCTP_CLOSED;
}

int stk_peer_state(struct stk_sock *s)
{
    switch (usr_one_to_one_state(s)) {
    case SCTP_CLOSED:
        return STK_PEER_GONE;
    case SCTP_SHUTDOWN_RECEIVED:
    case SCTP_SHUTDOWN_ACK_SENT:
        return STK_PEER_SHUT;
    default:
        return STK_PEER_SENDING;
    }
}

int stk_assoc_exists(struct stk_sock *s, uint32_t id)
{
    struct sctp_status st;
    sctp_assoc_t local;
    if (!s->one_to_many)
        return 1;
    int e = errno;
    int r = in_id(s, id, &local) == 0 && usr_status(s, (uint32_t)local, &st) == 0;
    errno = e;
    return r;
}

int stk_assoc_lookup(struct stk_sock *s, const struct sockaddr *sa,
                     uint32_t *id)
{
    sctp_assoc_t a = usr.usrsctp_getassocid(s->so, (struct sockaddr *)sa);
    if (a == 0)
        return -1;
    *id = ids_out(s, (uint32_t)a);
    return 0;
}

int stk_assoc_list(struct stk_sock *s, uint32_t **ids)
{
    int n = usr_assoc_ids(s, ids);
    for (int i = 0; i < n; i++)
        (*ids)[i] = ids_out(s, (*ids)[i]);
    return n;
}
