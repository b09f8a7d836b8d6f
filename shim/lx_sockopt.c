#include "lx_sockopt.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lx_addr.h"
#include "lx_conn.h"
#include "lx_xlate.h"
#include "real.h"
#include "sock.h"

#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif

/* Linux's event switches in struct sctp_event_subscribe order. */
static const int subscribe_order[] = {
    STK_N_DATA_IO, STK_N_ASSOC_CHANGE, STK_N_PEER_ADDR_CHANGE,
    STK_N_SEND_FAILED, STK_N_REMOTE_ERROR, STK_N_SHUTDOWN_EVENT,
    STK_N_PARTIAL_DELIVERY_EVENT, STK_N_ADAPTATION_INDICATION,
    STK_N_AUTHENTICATION_EVENT, STK_N_SENDER_DRY_EVENT,
    STK_N_STREAM_RESET_EVENT, STK_N_ASSOC_RESET_EVENT,
    STK_N_STREAM_CHANGE_EVENT, STK_N_SEND_FAILED_EVENT,
};

static int unsupported(const char *what, int level, int name)
{
    SHIM_LOG("%s: option %d/%d not supported", what, level, name);
    errno = ENOPROTOOPT;
    return -1;
}

static int inval(void)
{
    errno = EINVAL;
    return -1;
}

/* One event switch; the old "send failed" form rides on usrsctp's new
 * event, and "data io" is the shim's own business. */
static int set_event(struct ssock *s, int neutral, int on)
{
    const uint32_t failed = 1u << STK_N_SEND_FAILED | 1u << STK_N_SEND_FAILED_EVENT;
    if (neutral != STK_N_DATA_IO) {
        int stack_type = neutral;
        int stack_on = !!on;
        if (neutral == STK_N_SEND_FAILED || neutral == STK_N_SEND_FAILED_EVENT) {
            /* One stack event serves both forms: it stays on while the
             * program wants either (lx_notif_pick_form picks the form). */
            uint32_t want = on ? s->events | 1u << neutral
                               : s->events & ~(1u << neutral);
            stack_type = STK_N_SEND_FAILED_EVENT;
            stack_on = (want & failed) != 0;
        }
        uint32_t ev[3] = {0, (uint32_t)stack_type, (uint32_t)stack_on};
        if (stk_setopt(s->stk, STK_O_EVENT, ev, sizeof ev) < 0) {
            SHIM_LOG("event %d: not available from usrsctp", neutral);
            return -1;
        }
    }
    if (on)
        s->events |= 1u << neutral;
    else
        s->events &= ~(1u << neutral);
    return 0;
}

static int int_val(const void *val, socklen_t len, int *out)
{
    if (!val || len < sizeof(int))
        return inval();
    memcpy(out, val, sizeof(int));
    return 0;
}

static int put_int(void *val, socklen_t *len, int v)
{
    if (!val || !len || *len < sizeof(int))
        return inval();
    memcpy(val, &v, sizeof v);
    *len = sizeof v;
    return 0;
}

/* Generic socket flags with no SCTP meaning to emulate, and the timeouts,
 * which the shim's blocking waits on the program's own descriptor obey:
 * kept on that descriptor, so getsockopt reads back what was set. */
static int kept_on_descriptor(int name)
{
    switch (name) {
    case SO_REUSEADDR:
    case SO_REUSEPORT:
    case SO_KEEPALIVE:
    case SO_PRIORITY:
    case SO_RCVLOWAT:
    case SO_BROADCAST:
    case SO_DEBUG:
    case SO_OOBINLINE:
    case SO_RCVTIMEO:
    case SO_SNDTIMEO:
    case SO_RCVTIMEO_NEW:
    case SO_SNDTIMEO_NEW:
        return 1;
    }
    return 0;
}

static int set_socket_level(struct ssock *s, int fd, int name, const void *val,
                            socklen_t len)
{
    int v;
    switch (name) {
    case SO_SNDBUF:
    case SO_RCVBUF:
        if (int_val(val, len, &v) < 0)
            return -1;
        return stk_setopt(s->stk, name == SO_SNDBUF ? STK_O_SNDBUF : STK_O_RCVBUF,
                          &v, sizeof v);
    case SO_LINGER: {
        struct linger l;
        if (!val || len < sizeof l)
            return inval();
        memcpy(&l, val, sizeof l);
        int lv[2] = {l.l_onoff, l.l_linger};
        return stk_setopt(s->stk, STK_O_LINGER, lv, sizeof lv);
    }
    }
    if (kept_on_descriptor(name))
        return real.setsockopt(fd, SOL_SOCKET, name, val, len);
    return unsupported("setsockopt", SOL_SOCKET, name);
}

static int get_socket_level(struct ssock *s, int fd, int name, void *val,
                            socklen_t *len)
{
    switch (name) {
    case SO_TYPE:
        return put_int(val, len, s->type);
    case SO_DOMAIN:
        return put_int(val, len, s->family);
    case SO_PROTOCOL:
        return put_int(val, len, IPPROTO_SCTP);
    case SO_ACCEPTCONN:
        return put_int(val, len, s->listening);
    case SO_ERROR: {
        int e = 0;
        size_t l = sizeof e;
        lx_refresh_state(s);
        if (stk_getopt(s->stk, STK_O_ERROR, &e, &l) < 0)
            e = 0;
        if (e && s->connecting)
            s->connecting = 0;
        mirror_sync(s);
        return put_int(val, len, e);
    }
    case SO_SNDBUF:
    case SO_RCVBUF: {
        int v = 0;
        size_t l = sizeof v;
        if (stk_getopt(s->stk, name == SO_SNDBUF ? STK_O_SNDBUF : STK_O_RCVBUF,
                       &v, &l) < 0)
            return -1;
        return put_int(val, len, v);
    }
    case SO_LINGER: {
        int lv[2];
        size_t l = sizeof lv;
        struct linger out;
        if (!val || !len || *len < sizeof out)
            return inval();
        if (stk_getopt(s->stk, STK_O_LINGER, lv, &l) < 0)
            return -1;
        out.l_onoff = lv[0];
        out.l_linger = lv[1];
        memcpy(val, &out, sizeof out);
        *len = sizeof out;
        return 0;
    }
    }
    if (kept_on_descriptor(name))
        return real.getsockopt(fd, SOL_SOCKET, name, val, len);
    return unsupported("getsockopt", SOL_SOCKET, name);
}

static int set_events_struct(struct ssock *s, const void *val, socklen_t len)
{
    const unsigned char *b = val;
    if (!val || len == 0 || len > sizeof(struct sctp_event_subscribe)) {
        SHIM_LOG("setsockopt SCTP_EVENTS: length %u", (unsigned)len);
        return inval();
    }
    for (socklen_t i = 0; i < len; i++)
        if (set_event(s, subscribe_order[i], b[i]) < 0 && b[i])
            return unsupported("setsockopt SCTP_EVENTS", SOL_SCTP,
                               subscribe_order[i]);
    return 0;
}

static void sndinfo_from_sndrcv(struct stk_sndinfo *d,
                                const struct sctp_sndrcvinfo *v)
{
    d->sid = v->sinfo_stream;
    d->flags = lx_flags_to_stk(v->sinfo_flags);
    d->ppid = v->sinfo_ppid;
    d->context = v->sinfo_context;
    d->pr_policy = lx_pr_to_stk(v->sinfo_flags);
    d->pr_value = v->sinfo_timetolive;
    if (d->pr_policy == STK_PR_NONE && v->sinfo_timetolive)
        d->pr_policy = STK_PR_TTL;
}

static int set_sctp_level(struct ssock *s, int name, const void *val,
                          socklen_t len)
{
    int v;
    switch (name) {
    case SCTP_NODELAY:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_AUTOCLOSE:
        if (int_val(val, len, &v) < 0)
            return -1;
        return stk_setopt(s->stk,
                          name == SCTP_NODELAY ? STK_O_NODELAY
                          : name == SCTP_AUTOCLOSE ? STK_O_AUTOCLOSE
                                                   : STK_O_DISABLE_FRAGMENTS,
                          &v, sizeof v);
    case SCTP_MAXSEG: {
        uint32_t seg;
        if (len >= sizeof(struct sctp_assoc_value)) {
            struct sctp_assoc_value av;
            memcpy(&av, val, sizeof av);
            seg = av.assoc_value;
        } else if (int_val(val, len, &v) == 0) {
            seg = (uint32_t)v;
        } else {
            return -1;
        }
        return stk_setopt(s->stk, STK_O_MAXSEG, &seg, sizeof seg);
    }
    case SCTP_INITMSG: {
        struct sctp_initmsg im;
        if (!val || len < sizeof im)
            return inval();
        memcpy(&im, val, sizeof im);
        struct stk_initmsg m = {im.sinit_num_ostreams, im.sinit_max_instreams,
                                im.sinit_max_attempts, im.sinit_max_init_timeo};
        return stk_setopt(s->stk, STK_O_INITMSG, &m, sizeof m);
    }
    case SCTP_EVENTS:
        return set_events_struct(s, val, len);
    case SCTP_EVENT: {
        struct sctp_event ev;
        if (!val || len < sizeof ev)
            return inval();
        memcpy(&ev, val, sizeof ev);
        int n = lx_notif_to_stk(ev.se_type);
        if (n == STK_N_NONE)
            return inval();
        if (set_event(s, n, ev.se_on) < 0)
            return unsupported("setsockopt SCTP_EVENT", SOL_SCTP, ev.se_type);
        return 0;
    }
    case SCTP_ADAPTATION_LAYER: {
        struct sctp_setadaptation a;
        if (!val || len < sizeof a)
            return inval();
        memcpy(&a, val, sizeof a);
        uint32_t ind = a.ssb_adaptation_ind;
        return stk_setopt(s->stk, STK_O_ADAPTATION, &ind, sizeof ind);
    }
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
        if (int_val(val, len, &v) < 0)
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
        if (int_val(val, len, &v) < 0)
            return -1;
        s->v4mapped = !!v;
        return 0;
    case SCTP_DEFAULT_SEND_PARAM: {
        struct sctp_sndrcvinfo sr;
        if (!val || len < sizeof sr)
            return inval();
        memcpy(&sr, val, sizeof sr);
        sndinfo_from_sndrcv(&s->defaults, &sr);
        return 0;
    }
    case SCTP_DEFAULT_SNDINFO: {
        struct sctp_sndinfo si;
        if (!val || len < sizeof si)
            return inval();
        memcpy(&si, val, sizeof si);
        s->defaults.sid = si.snd_sid;
        s->defaults.flags = lx_flags_to_stk(si.snd_flags);
        s->defaults.ppid = si.snd_ppid;
        s->defaults.context = si.snd_context;
        return 0;
    }
    case SCTP_DEFAULT_PRINFO: {
        struct sctp_default_prinfo pi;
        if (!val || len < sizeof pi)
            return inval();
        memcpy(&pi, val, sizeof pi);
        if (pi.pr_policy & ~SCTP_PR_SCTP_MASK)
            return inval();
        s->defaults.pr_policy = lx_pr_to_stk(pi.pr_policy);
        s->defaults.pr_value = pi.pr_value;
        return 0;
    }
    case SCTP_RTOINFO: {
        struct sctp_rtoinfo r;
        if (!val || len < sizeof r)
            return inval();
        memcpy(&r, val, sizeof r);
        struct stk_rtoinfo n = {(uint32_t)r.srto_assoc_id, r.srto_initial,
                                r.srto_max, r.srto_min};
        return stk_setopt(s->stk, STK_O_RTOINFO, &n, sizeof n);
    }
    case SCTP_ASSOCINFO: {
        struct sctp_assocparams a;
        if (!val || len < sizeof a)
            return inval();
        memcpy(&a, val, sizeof a);
        struct stk_assocparams n = {.assoc_id = (uint32_t)a.sasoc_assoc_id,
                                    .asocmaxrxt = a.sasoc_asocmaxrxt,
                                    .cookie_life = a.sasoc_cookie_life};
        return stk_setopt(s->stk, STK_O_ASSOCINFO, &n, sizeof n);
    }
    case SCTP_SOCKOPT_BINDX_ADD:
    case SCTP_SOCKOPT_BINDX_REM:
        return lx_bindx(s, val, (int)len, name == SCTP_SOCKOPT_BINDX_ADD);
    case SCTP_SOCKOPT_CONNECTX_OLD:
    case SCTP_SOCKOPT_CONNECTX: {
        uint32_t id = 0;
        if (lx_connectx(s, val, (int)len, &id) < 0)
            return -1;
        return name == SCTP_SOCKOPT_CONNECTX ? (int)id : 0;
    }
    }
    return unsupported("setsockopt", SOL_SCTP, name);
}

static int get_addrs(struct ssock *s, int peer, void *val, socklen_t *len)
{
    struct sctp_getaddrs ga;
    if (!val || !len || *len < sizeof ga)
        return inval();
    memcpy(&ga, val, sizeof ga);
    lx_refresh_state(s);
    if (peer && s->type == SOCK_STREAM && !s->connected) {
        errno = ENOTCONN;
        return -1;
    }
    struct sockaddr *addrs = NULL;
    int n = stk_getaddrs(s->stk, peer, (uint32_t)ga.assoc_id, &addrs);
    if (n < 0) {
        free(addrs);
        return -1;
    }
    size_t off = sizeof ga, in = 0;
    char *out = (char *)val;
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)((char *)addrs + in);
        struct sockaddr_storage tmp;
        socklen_t tl = sizeof tmp;
        in += lx_addr_len(sa);
        lx_addr_out(s, sa, (struct sockaddr *)&tmp, &tl);
        if (off + tl > *len) {
            free(addrs);
            errno = ENOMEM;
            return -1;
        }
        memcpy(out + off, &tmp, tl);
        off += tl;
    }
    free(addrs);
    ga.addr_num = (__u32)n;
    memcpy(val, &ga, sizeof ga);
    *len = (socklen_t)off;
    return 0;
}

static int get_status(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_status st;
    if (!val || !len || *len < sizeof st)
        return inval();
    memcpy(&st, val, sizeof st);
    struct stk_status n;
    memset(&n, 0, sizeof n);
    n.assoc_id = (uint32_t)st.sstat_assoc_id;
    if (stk_getopt(s->stk, STK_O_STATUS, &n, &(size_t){sizeof n}) < 0)
        return -1;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = (sctp_assoc_t)n.assoc_id;
    st.sstat_state = stk_conn_state_to_lx(n.state);
    st.sstat_rwnd = n.rwnd;
    st.sstat_unackdata = n.unackdata;
    st.sstat_penddata = n.penddata;
    st.sstat_instrms = n.instrms;
    st.sstat_outstrms = n.outstrms;
    st.sstat_fragmentation_point = n.fragmentation_point;
    st.sstat_primary.spinfo_assoc_id = (sctp_assoc_t)n.assoc_id;
    socklen_t al = sizeof st.sstat_primary.spinfo_address;
    struct sockaddr_storage addr;
    if (lx_addr_len((struct sockaddr *)&n.primary)) {
        lx_addr_out(s, (struct sockaddr *)&n.primary, (struct sockaddr *)&addr, &al);
        memcpy(&st.sstat_primary.spinfo_address, &addr, sizeof addr);
    }
    st.sstat_primary.spinfo_state = n.primary_state;
    st.sstat_primary.spinfo_cwnd = n.primary_cwnd;
    st.sstat_primary.spinfo_srtt = n.primary_srtt;
    st.sstat_primary.spinfo_rto = n.primary_rto;
    st.sstat_primary.spinfo_mtu = n.primary_mtu;
    memcpy(val, &st, sizeof st);
    *len = sizeof st;
    return 0;
}

/* Linux answers both for one-to-many sockets only (EINVAL otherwise). */
static int get_assoc_ids(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (s->type != SOCK_SEQPACKET || !val || !len)
        return inval();
    uint32_t *ids;
    int n = stk_assoc_list(s->stk, &ids);
    if (n < 0)
        return -1;
    int r;
    if (name == SCTP_GET_ASSOC_NUMBER) {
        r = *len < sizeof(uint32_t) ? inval() : 0;
        if (!r) {
            uint32_t v = (uint32_t)n;
            memcpy(val, &v, sizeof v);
            *len = sizeof v;
        }
    } else {
        size_t need = sizeof(struct sctp_assoc_ids) + (size_t)n * sizeof(sctp_assoc_t);
        r = *len < need ? inval() : 0;
        if (!r) {
            struct sctp_assoc_ids *out = val;
            out->gaids_number_of_ids = (uint32_t)n;
            for (int i = 0; i < n; i++)
                out->gaids_assoc_id[i] = (sctp_assoc_t)ids[i];
            *len = (socklen_t)need;
        }
    }
    free(ids);
    return r;
}

static int get_sctp_level(struct ssock *s, int name, void *val, socklen_t *len)
{
    switch (name) {
    case SCTP_NODELAY:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_AUTOCLOSE: {
        int v = 0;
        size_t l = sizeof v;
        if (stk_getopt(s->stk,
                       name == SCTP_NODELAY ? STK_O_NODELAY
                       : name == SCTP_AUTOCLOSE ? STK_O_AUTOCLOSE
                                                : STK_O_DISABLE_FRAGMENTS,
                       &v, &l) < 0)
            return -1;
        return put_int(val, len, v);
    }
    case SCTP_MAXSEG: {
        uint32_t seg = 0;
        size_t l = sizeof seg;
        if (stk_getopt(s->stk, STK_O_MAXSEG, &seg, &l) < 0)
            return -1;
        if (len && *len >= sizeof(struct sctp_assoc_value)) {
            struct sctp_assoc_value av;
            memcpy(&av, val, sizeof av);
            av.assoc_value = seg;
            memcpy(val, &av, sizeof av);
            *len = sizeof av;
            return 0;
        }
        return put_int(val, len, (int)seg);
    }
    case SCTP_INITMSG: {
        struct stk_initmsg m;
        size_t l = sizeof m;
        if (!val || !len || *len < sizeof(struct sctp_initmsg))
            return inval();
        if (stk_getopt(s->stk, STK_O_INITMSG, &m, &l) < 0)
            return -1;
        struct sctp_initmsg im = {m.num_ostreams, m.max_instreams,
                                  m.max_attempts, m.max_init_timeo};
        memcpy(val, &im, sizeof im);
        *len = sizeof im;
        return 0;
    }
    case SCTP_EVENTS: {
        unsigned char b[sizeof(struct sctp_event_subscribe)];
        if (!val || !len)
            return inval();
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (s->events >> subscribe_order[i]) & 1;
        if (*len > sizeof b)
            *len = sizeof b;
        memcpy(val, b, *len);
        return 0;
    }
    case SCTP_EVENT: {
        struct sctp_event ev;
        if (!val || !len || *len < sizeof ev)
            return inval();
        memcpy(&ev, val, sizeof ev);
        int n = lx_notif_to_stk(ev.se_type);
        if (n == STK_N_NONE)
            return inval();
        ev.se_on = (s->events >> n) & 1;
        memcpy(val, &ev, sizeof ev);
        *len = sizeof ev;
        return 0;
    }
    case SCTP_ADAPTATION_LAYER: {
        struct sctp_setadaptation a;
        uint32_t ind = 0;
        size_t l = sizeof ind;
        if (!val || !len || *len < sizeof a)
            return inval();
        if (stk_getopt(s->stk, STK_O_ADAPTATION, &ind, &l) < 0)
            return -1;
        a.ssb_adaptation_ind = ind;
        memcpy(val, &a, sizeof a);
        *len = sizeof a;
        return 0;
    }
    case SCTP_RECVRCVINFO:
        return put_int(val, len, s->recvrcvinfo);
    case SCTP_RECVNXTINFO:
        return put_int(val, len, s->recvnxtinfo);
    case SCTP_I_WANT_MAPPED_V4_ADDR:
        return put_int(val, len, s->v4mapped);
    case SCTP_STATUS:
        return get_status(s, val, len);
    case SCTP_GET_ASSOC_NUMBER:
    case SCTP_GET_ASSOC_ID_LIST:
        return get_assoc_ids(s, name, val, len);
    case SCTP_DEFAULT_SEND_PARAM: {
        struct sctp_sndrcvinfo sr;
        if (!val || !len || *len < sizeof sr)
            return inval();
        memset(&sr, 0, sizeof sr);
        sr.sinfo_stream = s->defaults.sid;
        sr.sinfo_flags = (uint16_t)(stk_flags_to_lx(s->defaults.flags) |
                                    stk_pr_to_lx(s->defaults.pr_policy));
        sr.sinfo_ppid = s->defaults.ppid;
        sr.sinfo_context = s->defaults.context;
        sr.sinfo_timetolive = s->defaults.pr_value;
        memcpy(val, &sr, sizeof sr);
        *len = sizeof sr;
        return 0;
    }
    case SCTP_DEFAULT_SNDINFO: {
        struct sctp_sndinfo si;
        if (!val || !len || *len < sizeof si)
            return inval();
        memset(&si, 0, sizeof si);
        si.snd_sid = s->defaults.sid;
        si.snd_flags = stk_flags_to_lx(s->defaults.flags);
        si.snd_ppid = s->defaults.ppid;
        si.snd_context = s->defaults.context;
        memcpy(val, &si, sizeof si);
        *len = sizeof si;
        return 0;
    }
    case SCTP_DEFAULT_PRINFO: {
        struct sctp_default_prinfo pi;
        if (!val || !len || *len < sizeof pi)
            return inval();
        memset(&pi, 0, sizeof pi);
        pi.pr_policy = stk_pr_to_lx(s->defaults.pr_policy);
        pi.pr_value = s->defaults.pr_value;
        memcpy(val, &pi, sizeof pi);
        *len = sizeof pi;
        return 0;
    }
    case SCTP_RTOINFO: {
        struct sctp_rtoinfo r;
        if (!val || !len || *len < sizeof r)
            return inval();
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
            return inval();
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
    case SCTP_GET_PEER_ADDRS:
    case SCTP_GET_LOCAL_ADDRS:
        return get_addrs(s, name == SCTP_GET_PEER_ADDRS, val, len);
    case SCTP_SOCKOPT_CONNECTX3: {
        struct sctp_getaddrs_old p;
        if (!val || !len || *len < sizeof p)
            return inval();
        memcpy(&p, val, sizeof p);
        /* addr_num carries the list's length in bytes, as libsctp and the
         * kernel use it. */
        int bytes = p.addr_num;
        uint32_t id = 0;
        int r = lx_connectx(s, p.addrs, bytes, &id);
        p.assoc_id = (sctp_assoc_t)id;
        memcpy(val, &p, sizeof p);
        return r;
    }
    }
    return unsupported("getsockopt", SOL_SCTP, name);
}

/* IPV6_V6ONLY is the one IP-level option SCTP programs set (iperf3's
 * listener among them).  usrsctp's AF_INET6 sockets take both families;
 * with the option on, the shim refuses IPv4 addresses itself. */
static int v6only_opt(struct ssock *s, const void *val, socklen_t len,
                      void *out, socklen_t *outlen)
{
    if (s->family != AF_INET6)
        return unsupported(val ? "setsockopt" : "getsockopt", IPPROTO_IPV6,
                           IPV6_V6ONLY);
    if (out)
        return put_int(out, outlen, s->v6only);
    int v;
    if (int_val(val, len, &v) < 0)
        return -1;
    if (s->bound_set) {
        errno = EINVAL;
        return -1;
    }
    s->v6only = !!v;
    return 0;
}

int lx_setsockopt(struct ssock *s, int fd, int level, int name,
                  const void *val, socklen_t len)
{
    if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
        return v6only_opt(s, val, len, NULL, NULL);
    if (level == SOL_SOCKET)
        return set_socket_level(s, fd, name, val, len);
    if (level == SOL_SCTP)
        return set_sctp_level(s, name, val, len);
    if (level == IPPROTO_IP || level == IPPROTO_IPV6)
        return unsupported("setsockopt", level, name);
    errno = EOPNOTSUPP;
    SHIM_LOG("setsockopt: level %d not supported", level);
    return -1;
}

int lx_getsockopt(struct ssock *s, int fd, int level, int name, void *val,
                  socklen_t *len)
{
    if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
        return v6only_opt(s, NULL, 0, val, len);
    if (level == SOL_SOCKET)
        return get_socket_level(s, fd, name, val, len);
    if (level == SOL_SCTP)
        return get_sctp_level(s, name, val, len);
    if (level == IPPROTO_IP || level == IPPROTO_IPV6)
        return unsupported("getsockopt", level, name);
    errno = EOPNOTSUPP;
    SHIM_LOG("getsockopt: level %d not supported", level);
    return -1;
}
