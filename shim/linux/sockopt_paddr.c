/* The options of an association's paths, with Linux's checks:
 * SCTP_PEER_ADDR_PARAMS (the socket's defaults, an association's, or one
 * path's), SCTP_DELAYED_SACK (the same SACK delay as spp_sackdelay),
 * SCTP_GET_PEER_ADDR_INFO, SCTP_PRIMARY_ADDR and
 * SCTP_SET_PEER_PRIMARY_ADDR.
 *
 * usrsctp keeps the SACK delay per association, so a path's
 * spp_sackdelay is its association's. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/addr.h"
#include "linux/xlate.h"

/* Linux's sizes: sctp_paddrparams before flow label and DSCP were added. */
#define PADDR_OLD_LEN ((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u)
#define SACK_DEFAULT_FREQ 2 /* Linux's, restored when the delay comes back on */

/* The address a program names, as the stack takes it (v4-mapped ones as
 * IPv4): 1 when it names a path, 0 for the wildcard, -1 when Linux finds
 * it invalid. */
static int path_addr(const struct ssock *s, const void *given,
                     struct sockaddr_storage *out)
{
    struct sockaddr_storage copy; /* the program's may be unaligned */
    const struct sockaddr_storage *in = &copy;
    memcpy(&copy, given, sizeof copy);
    memset(out, 0, sizeof *out);
    if (in->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const void *)in;
        memcpy(out, a, sizeof *a);
        if (a->sin_addr.s_addr == INADDR_ANY)
            return 0;
        uint32_t h = ntohl(a->sin_addr.s_addr);
        /* Linux's unusable addresses: zero net, multicast, broadcast. */
        if ((h >> 24) == 0 || IN_MULTICAST(h) || h == INADDR_BROADCAST)
            return -1;
        return 1;
    }
    if (in->ss_family == AF_INET6 && s->family == AF_INET6) {
        const struct sockaddr_in6 *a = (const void *)in;
        if (IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr))
            return 0;
        if (IN6_IS_ADDR_MULTICAST(&a->sin6_addr))
            return -1;
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
            struct sockaddr_in *v4 = (void *)out;
            v4->sin_family = AF_INET;
            v4->sin_port = a->sin6_port;
            memcpy(&v4->sin_addr, &a->sin6_addr.s6_addr[12], 4);
            return 1;
        }
        memcpy(out, a, sizeof *a);
        return 1;
    }
    if (in->ss_family == 0)
        return 0;
    return -1;
}

static int same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port &&
           IN6_ARE_ADDR_EQUAL(&x->sin6_addr, &y->sin6_addr);
}

/* The association whose peer address addr is: *id names it (or is 0 on
 * a one-to-many socket: any association with that peer).  -1/EINVAL when
 * there is none, as Linux's sctp_addr_id2transport. */
static int path_assoc(struct ssock *s, const struct sockaddr_storage *addr,
                      uint32_t *id)
{
    if (s->type == SOCK_SEQPACKET && *id <= SCTP_ALL_ASSOC) {
        uint32_t found;
        if (stk_assoc_lookup(s->stk, (const struct sockaddr *)addr, &found) < 0)
            return lx_opt_inval();
        *id = found;
        return 0;
    }
    struct sockaddr *peers = NULL;
    int n = stk_getaddrs(s->stk, 1, s->type == SOCK_SEQPACKET ? *id : 0, &peers);
    int found = 0;
    size_t off = 0;
    for (int i = 0; i < n && !found; i++) {
        const struct sockaddr *p = (const void *)((const char *)peers + off);
        found = same_addr(p, (const struct sockaddr *)addr);
        off += lx_addr_len(p);
    }
    free(peers);
    return found ? 0 : lx_opt_inval();
}

/* Linux's rule for an id that names no association on a one-to-many
 * socket: only FUTURE (the socket's defaults) is allowed. */
static int assoc_or_future(struct ssock *s, uint32_t id)
{
    if (s->type != SOCK_SEQPACKET || id == SCTP_FUTURE_ASSOC)
        return 0;
    if (id <= SCTP_ALL_ASSOC)
        return lx_opt_inval();
    return lx_opt_assoc_ok(s, id);
}

/* Whether there is an association the option is about. */
static int has_assoc(struct ssock *s, uint32_t id)
{
    if (s->type == SOCK_SEQPACKET)
        return id > SCTP_ALL_ASSOC;
    struct stk_status st = {.assoc_id = 0};
    size_t l = sizeof st;
    return stk_getopt(s->stk, STK_O_STATUS, &st, &l) == 0 &&
           st.state != STK_S_CLOSED;
}

/* The SACK delay part of SCTP_PEER_ADDR_PARAMS / SCTP_DELAYED_SACK:
 * delay 0 leaves it; on and off say whether SACKs are delayed at all
 * (off: every packet acknowledged at once, usrsctp's frequency 1). */
static int set_sack(struct ssock *s, uint32_t id, uint32_t delay, uint32_t freq,
                    int on, int off)
{
    struct stk_sack_info cur = {.assoc_id = id <= SCTP_ALL_ASSOC ? 0 : id};
    size_t l = sizeof cur;
    if (!delay && !freq && !on && !off)
        return 0;
    if (on && !freq &&
        stk_getopt(s->stk, STK_O_DELAYED_SACK, &cur, &l) == 0 && cur.freq == 1)
        freq = SACK_DEFAULT_FREQ;
    if (off)
        freq = 1;
    struct stk_sack_info n = {id, delay, freq};
    return stk_setopt(s->stk, STK_O_DELAYED_SACK, &n, sizeof n);
}

static int get_sack(struct ssock *s, uint32_t id, uint32_t *delay, int *on)
{
    struct stk_sack_info n = {.assoc_id = id};
    size_t l = sizeof n;
    if (stk_getopt(s->stk, STK_O_DELAYED_SACK, &n, &l) < 0)
        return -1;
    *delay = n.delay;
    *on = n.freq != 1;
    return 0;
}

/* What a SCTP_PEER_ADDR_PARAMS call names: n's address (none: the
 * association or the socket), and the association whose SACK timing goes
 * with it in *sack_id.  1 for a path, 0 for none, -1 with errno. */
static int paddr_target(struct ssock *s, const struct sctp_paddrparams *p,
                        struct stk_paddrparams *n, uint32_t *sack_id)
{
    uint32_t id = (uint32_t)p->spp_assoc_id;
    memset(n, 0, sizeof *n);
    int path = path_addr(s, (const char *)p + offsetof(struct sctp_paddrparams, spp_address), &n->addr);
    if (path < 0)
        return lx_opt_inval();
    *sack_id = id;
    if (path && path_assoc(s, &n->addr, sack_id) < 0)
        return -1;
    if (assoc_or_future(s, id) < 0)
        return -1;
    return path;
}

static int set_paddr_params(struct ssock *s, const void *val, socklen_t len)
{
    struct sctp_paddrparams p;
    if (!val || (len != PADDR_OLD_LEN && len != sizeof p))
        return lx_opt_inval();
    memset(&p, 0, sizeof p);
    memcpy(&p, val, len);
    if (len == PADDR_OLD_LEN && (p.spp_flags & (SPP_DSCP | SPP_IPV6_FLOWLABEL)))
        return lx_opt_inval();
    if ((p.spp_flags & SPP_HB) == SPP_HB || (p.spp_flags & SPP_PMTUD) == SPP_PMTUD ||
        (p.spp_flags & SPP_SACKDELAY) == SPP_SACKDELAY || p.spp_sackdelay > 500 ||
        (p.spp_pathmtu && p.spp_pathmtu < 512))
        return lx_opt_inval();
    uint32_t id = (uint32_t)p.spp_assoc_id, sack_id;
    struct stk_paddrparams n;
    int path = paddr_target(s, &p, &n, &sack_id);
    if (path < 0)
        return -1;
    if ((p.spp_flags & SPP_HB_DEMAND) && !path && !has_assoc(s, id))
        return lx_opt_inval();
    n.assoc_id = id;
    n.hbinterval = p.spp_hbinterval;
    n.pathmaxrxt = p.spp_pathmaxrxt;
    n.pathmtu = p.spp_pathmtu;
    n.flags = lx_spp_flags_to_stk(p.spp_flags);
    n.ipv6_flowlabel = p.spp_ipv6_flowlabel;
    n.dscp = p.spp_dscp;
    if ((n.flags & STK_SPP_PMTUD_DISABLE) && !n.pathmtu) {
        /* Discovery off, the MTU as it is (usrsctp wants one). */
        struct stk_paddrparams cur = n;
        size_t l = sizeof cur;
        if (stk_getopt(s->stk, STK_O_PADDR_PARAMS, &cur, &l) == 0)
            n.pathmtu = cur.pathmtu;
    }
    if (stk_setopt(s->stk, STK_O_PADDR_PARAMS, &n, sizeof n) < 0)
        return -1;
    return set_sack(s, sack_id, p.spp_sackdelay, 0,
                    (p.spp_flags & SPP_SACKDELAY_ENABLE) != 0,
                    (p.spp_flags & SPP_SACKDELAY_DISABLE) != 0);
}

static int get_paddr_params(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_paddrparams p;
    if (!val || !len || *len < PADDR_OLD_LEN)
        return lx_opt_inval();
    socklen_t out = *len >= sizeof p ? sizeof p : PADDR_OLD_LEN;
    memset(&p, 0, sizeof p);
    memcpy(&p, val, out);
    uint32_t id = (uint32_t)p.spp_assoc_id, sack_id;
    struct stk_paddrparams n;
    int path = paddr_target(s, &p, &n, &sack_id);
    if (path < 0)
        return -1;
    n.assoc_id = id;
    size_t l = sizeof n;
    uint32_t delay;
    int on;
    if (stk_getopt(s->stk, STK_O_PADDR_PARAMS, &n, &l) < 0 ||
        get_sack(s, sack_id, &delay, &on) < 0)
        return -1;
    p.spp_hbinterval = n.hbinterval;
    p.spp_pathmaxrxt = n.pathmaxrxt;
    p.spp_pathmtu = n.pathmtu;
    p.spp_sackdelay = delay;
    p.spp_flags = stk_spp_flags_to_lx(n.flags & ~STK_SPP_HB_DEMAND) |
                  (on ? SPP_SACKDELAY_ENABLE : SPP_SACKDELAY_DISABLE);
    if (out == sizeof p) {
        p.spp_ipv6_flowlabel = n.ipv6_flowlabel;
        p.spp_dscp = n.dscp;
    }
    memcpy(val, &p, out);
    *len = out;
    return 0;
}

static int set_delayed_sack(struct ssock *s, const void *val, socklen_t len)
{
    struct sctp_sack_info p;
    if (val && len == sizeof(struct sctp_assoc_value)) {
        /* The old form: the delay alone, 0 switching delayed SACK off. */
        struct sctp_assoc_value v;
        memcpy(&v, val, sizeof v);
        p.sack_assoc_id = v.assoc_id;
        p.sack_delay = v.assoc_value;
        p.sack_freq = v.assoc_value ? 0 : 1;
    } else if (val && len == sizeof p) {
        memcpy(&p, val, sizeof p);
        if (!p.sack_delay && !p.sack_freq)
            return 0;
    } else {
        return lx_opt_inval();
    }
    if (p.sack_delay > 500)
        return lx_opt_inval();
    uint32_t id = (uint32_t)p.sack_assoc_id;
    if (s->type == SOCK_SEQPACKET && id > SCTP_ALL_ASSOC &&
        lx_opt_assoc_ok(s, id) < 0)
        return -1;
    if (s->type != SOCK_SEQPACKET)
        id = 0;
    return set_sack(s, id, p.sack_delay, p.sack_freq > 1 ? p.sack_freq : 0,
                    p.sack_delay || p.sack_freq > 1, p.sack_freq == 1);
}

static int get_delayed_sack(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_sack_info p;
    int old = 0;
    if (!val || !len)
        return lx_opt_inval();
    if (*len >= sizeof p) {
        memcpy(&p, val, sizeof p);
    } else if (*len == sizeof(struct sctp_assoc_value)) {
        struct sctp_assoc_value v;
        memcpy(&v, val, sizeof v);
        p.sack_assoc_id = v.assoc_id;
        old = 1;
    } else {
        return lx_opt_inval();
    }
    uint32_t id = s->type == SOCK_SEQPACKET ? (uint32_t)p.sack_assoc_id : 0;
    if (assoc_or_future(s, id) < 0)
        return -1;
    struct stk_sack_info n = {.assoc_id = id};
    size_t l = sizeof n;
    if (stk_getopt(s->stk, STK_O_DELAYED_SACK, &n, &l) < 0)
        return -1;
    p.sack_delay = n.freq == 1 ? 0 : n.delay;
    p.sack_freq = n.freq;
    if (old) {
        struct sctp_assoc_value v = {p.sack_assoc_id, p.sack_delay};
        memcpy(val, &v, sizeof v);
        *len = sizeof v;
        return 0;
    }
    memcpy(val, &p, sizeof p);
    *len = sizeof p;
    return 0;
}

static int get_paddr_info(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_paddrinfo p;
    if (!val || !len || *len < sizeof p)
        return lx_opt_inval();
    memcpy(&p, val, sizeof p);
    struct stk_paddrinfo n;
    memset(&n, 0, sizeof n);
    uint32_t id = (uint32_t)p.spinfo_assoc_id;
    if (s->type != SOCK_SEQPACKET)
        id = 0;
    /* A path must be named, and be one of the association's. */
    if (path_addr(s, (const char *)&p + offsetof(struct sctp_paddrinfo, spinfo_address), &n.addr) != 1 ||
        path_assoc(s, &n.addr, &id) < 0)
        return lx_opt_inval();
    n.assoc_id = s->type == SOCK_SEQPACKET ? id : 0;
    size_t l = sizeof n;
    if (stk_getopt(s->stk, STK_O_PADDR_INFO, &n, &l) < 0)
        return lx_opt_inval();
    p.spinfo_assoc_id = (sctp_assoc_t)n.assoc_id;
    p.spinfo_state = stk_path_state_to_lx(n.state);
    p.spinfo_cwnd = n.cwnd;
    p.spinfo_srtt = n.srtt;
    p.spinfo_rto = n.rto;
    p.spinfo_mtu = n.mtu;
    memcpy(val, &p, sizeof p);
    *len = sizeof p;
    return 0;
}

static int set_primary(struct ssock *s, int name, const void *val, socklen_t len)
{
    /* struct sctp_prim and struct sctp_setpeerprim have one layout. */
    struct sctp_prim p;
    if (!val || len != sizeof p)
        return lx_opt_inval();
    memcpy(&p, val, sizeof p);
    struct stk_prim n;
    memset(&n, 0, sizeof n);
    uint32_t id = s->type == SOCK_SEQPACKET ? (uint32_t)p.ssp_assoc_id : 0;
    if (path_addr(s, (const char *)&p + offsetof(struct sctp_prim, ssp_addr), &n.addr) != 1)
        return lx_opt_inval();
    if (name == SCTP_PRIMARY_ADDR) {
        if (path_assoc(s, &n.addr, &id) < 0)
            return -1;
    } else {
        if (!has_assoc(s, id) || (s->type == SOCK_SEQPACKET && lx_opt_assoc_ok(s, id) < 0))
            return lx_opt_inval();
        /* Asking the peer needs ASCONF, which the association must have
         * negotiated. */
        struct stk_assoc_value av = {s->type == SOCK_SEQPACKET ? id : 0, 0};
        size_t l = sizeof av;
        if (stk_getopt(s->stk, STK_O_ASCONF_SUPPORTED, &av, &l) < 0 || !av.value) {
            errno = EPERM;
            return -1;
        }
    }
    n.assoc_id = s->type == SOCK_SEQPACKET ? id : 0;
    return stk_setopt(s->stk, name == SCTP_PRIMARY_ADDR ? STK_O_PRIMARY_ADDR
                                                        : STK_O_PEER_PRIMARY_ADDR,
                      &n, sizeof n);
}

static int get_primary(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_prim p;
    if (!val || !len || *len < sizeof p)
        return lx_opt_inval();
    memcpy(&p, val, sizeof p);
    uint32_t id = s->type == SOCK_SEQPACKET ? (uint32_t)p.ssp_assoc_id : 0;
    if (!has_assoc(s, id) || (s->type == SOCK_SEQPACKET && lx_opt_assoc_ok(s, id) < 0))
        return lx_opt_inval();
    struct stk_prim n = {.assoc_id = id};
    size_t l = sizeof n;
    if (stk_getopt(s->stk, STK_O_PRIMARY_ADDR, &n, &l) < 0)
        return -1;
    socklen_t al = sizeof p.ssp_addr;
    struct sockaddr_storage out;
    memset(&out, 0, sizeof out);
    if (lx_addr_len((struct sockaddr *)&n.addr))
        lx_addr_out(s, (struct sockaddr *)&n.addr, (struct sockaddr *)&out, &al);
    memcpy(&p.ssp_addr, &out, sizeof out);
    memcpy(val, &p, sizeof p);
    *len = sizeof p;
    return 0;
}

int lx_opt_paddr_set(struct ssock *s, int name, const void *val, socklen_t len)
{
    switch (name) {
    case SCTP_PEER_ADDR_PARAMS:
        return set_paddr_params(s, val, len);
    case SCTP_DELAYED_SACK:
        return set_delayed_sack(s, val, len);
    }
    return set_primary(s, name, val, len);
}

int lx_opt_paddr_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    switch (name) {
    case SCTP_PEER_ADDR_PARAMS:
        return get_paddr_params(s, val, len);
    case SCTP_DELAYED_SACK:
        return get_delayed_sack(s, val, len);
    case SCTP_GET_PEER_ADDR_INFO:
        return get_paddr_info(s, val, len);
    }
    return get_primary(s, val, len);
}
