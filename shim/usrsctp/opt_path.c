/* usrsctp side: the options of paths: their parameters, the SACK delay,
 * what a path is doing, and which one is primary.
 *
 * Path MTU: the neutral value is an IP MTU, as Linux counts it, usrsctp's
 * the room after the IP, SCTP and UDP headers (mtu.c), so values are
 * converted both ways.  usrsctp's own path MTU discovery assumes 1500
 * bytes on every path, so it stays off: the shim follows the path itself
 * (mtu.c, wire.c), which is what SPP_PMTUD_ENABLE gets; SPP_PMTUD_DISABLE
 * with a value fixes the MTU, as on Linux. */
#include "usrsctp/opt_ext.h"

#include <errno.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/stack.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

static int bad(void)
{
    errno = EINVAL;
    return -1;
}

/* An address as the stack takes it: family 0 is the wildcard of the
 * socket's family, which names no path. */
static void addr_in(const struct stk_sock *s, const struct sockaddr_storage *in,
                    struct sockaddr_storage *out)
{
    *out = *in;
    if (!out->ss_family)
        out->ss_family = (sa_family_t)s->family;
}

/* The family of the IP header on the path: the address's, or for the
 * wildcard (the socket's defaults) the socket's. */
static int ip_family(const struct stk_sock *s, const struct sockaddr_storage *a)
{
    if (a->ss_family == AF_INET || a->ss_family == AF_INET6)
        return mtu_path_family((const struct sockaddr *)a);
    return s->family;
}

static uint32_t mtu_out(const struct stk_sock *s, const struct sockaddr_storage *a,
                        uint32_t room)
{
    return room ? room + (uint32_t)mtu_headers(ip_family(s, a)) : 0;
}

static int set_paddr_params(struct stk_sock *s, const struct stk_paddrparams *p)
{
    struct sctp_paddrparams u;
    uint32_t local;
    memset(&u, 0, sizeof u);
    if (ids_in_checked(s, p->assoc_id, &local) < 0)
        return -1;
    u.spp_assoc_id = (sctp_assoc_t)local;
    addr_in(s, &p->addr, &u.spp_address);
    u.spp_hbinterval = p->hbinterval;
    u.spp_pathmaxrxt = p->pathmaxrxt;
    /* Path MTU discovery on is the shim's own (mtu.c): usrsctp's would
     * assume 1500 bytes on every path. */
    u.spp_flags = stk_spp_flags_to_usr(p->flags & ~STK_SPP_PMTUD_ENABLE);
    int family = ip_family(s, &p->addr);
    int room = 0;
    if (p->flags & STK_SPP_PMTUD_DISABLE) {
        room = p->pathmtu ? mtu_room((int)p->pathmtu, family) : 0;
        if (p->pathmtu && room <= 0)
            return bad();
    } else if ((p->flags & STK_SPP_PMTUD_ENABLE) &&
               (p->addr.ss_family == AF_INET || p->addr.ss_family == AF_INET6)) {
        /* Back to the route's MTU, followed by the shim from now on. */
        room = mtu_room(mtu_route((const struct sockaddr *)&p->addr), family);
        if (room)
            u.spp_flags |= SPP_PMTUD_DISABLE;
    }
    u.spp_pathmtu = (uint32_t)room;
    u.spp_ipv6_flowlabel = p->ipv6_flowlabel;
    u.spp_dscp = p->dscp;
    int endpoint = !s->one_to_many || local == 0;
    if (usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &u,
                               sizeof u) < 0)
        return -1;
    if (p->flags & STK_SPP_PMTUD_DISABLE) {
        s->pmtud_told = 1;
        if (endpoint) {
            s->mtu_fixed = 1;
            s->default_mtu = room;
        }
    } else if ((p->flags & STK_SPP_PMTUD_ENABLE) && endpoint) {
        s->mtu_fixed = 0;
    }
    return 0;
}

static int get_paddr_params(struct stk_sock *s, struct stk_paddrparams *p)
{
    struct sctp_paddrparams u;
    socklen_t l = sizeof u;
    uint32_t local;
    memset(&u, 0, sizeof u);
    if (ids_in_checked(s, p->assoc_id, &local) < 0)
        return -1;
    u.spp_assoc_id = (sctp_assoc_t)local;
    addr_in(s, &p->addr, &u.spp_address);
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &u,
                               &l) < 0)
        return -1;
    p->hbinterval = u.spp_hbinterval;
    p->pathmaxrxt = u.spp_pathmaxrxt;
    p->pathmtu = mtu_out(s, &p->addr, u.spp_pathmtu);
    p->flags = usr_spp_flags_to_stk(u.spp_flags);
    /* The MTU the shim sets for its own path MTU discovery shows as
     * discovery on, as long as the program has not switched it off. */
    if (!s->pmtud_told)
        p->flags = (p->flags & ~STK_SPP_PMTUD_DISABLE) | STK_SPP_PMTUD_ENABLE;
    p->ipv6_flowlabel = u.spp_ipv6_flowlabel;
    p->dscp = u.spp_dscp;
    return 0;
}

static int sack_info(struct stk_sock *s, struct stk_sack_info *p, int set)
{
    struct sctp_sack_info u;
    socklen_t l = sizeof u;
    uint32_t local;
    if (ids_in_checked(s, p->assoc_id, &local) < 0)
        return -1;
    u.sack_assoc_id = (sctp_assoc_t)local;
    u.sack_delay = p->delay;
    u.sack_freq = p->freq;
    if (set)
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &u,
                                      sizeof u);
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &u, &l) < 0)
        return -1;
    p->delay = u.sack_delay;
    p->freq = u.sack_freq;
    return 0;
}

static int paddr_info(struct stk_sock *s, struct stk_paddrinfo *p)
{
    struct sctp_paddrinfo u;
    socklen_t l = sizeof u;
    uint32_t local;
    memset(&u, 0, sizeof u);
    if (ids_in_checked(s, p->assoc_id, &local) < 0)
        return -1;
    u.spinfo_assoc_id = (sctp_assoc_t)local;
    addr_in(s, &p->addr, &u.spinfo_address);
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &u,
                               &l) < 0)
        return -1;
    p->assoc_id = ids_out(s, (uint32_t)u.spinfo_assoc_id);
    p->state = usr_path_state_to_stk(u.spinfo_state);
    p->cwnd = u.spinfo_cwnd;
    p->srtt = u.spinfo_srtt;
    p->rto = u.spinfo_rto;
    p->mtu = mtu_out(s, &p->addr, u.spinfo_mtu);
    return 0;
}

static int prim(struct stk_sock *s, int name, struct stk_prim *p, int set)
{
    struct sctp_setprim u;
    socklen_t l = sizeof u;
    uint32_t local;
    memset(&u, 0, sizeof u);
    if (ids_in_checked(s, p->assoc_id, &local) < 0)
        return -1;
    u.ssp_assoc_id = (sctp_assoc_t)local;
    if (set) {
        addr_in(s, &p->addr, &u.ssp_addr);
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, name, &u, sizeof u);
    }
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, name, &u, &l) < 0)
        return -1;
    p->addr = u.ssp_addr;
    return 0;
}

int usr_path_setopt(struct stk_sock *s, int opt, const void *v, size_t len)
{
    switch (opt) {
    case STK_O_PADDR_PARAMS:
        return len < sizeof(struct stk_paddrparams) ? bad() : set_paddr_params(s, v);
    case STK_O_DELAYED_SACK: {
        struct stk_sack_info p;
        if (len < sizeof p)
            return bad();
        memcpy(&p, v, sizeof p);
        return sack_info(s, &p, 1);
    }
    case STK_O_PRIMARY_ADDR:
    case STK_O_PEER_PRIMARY_ADDR: {
        struct stk_prim p;
        if (len < sizeof p)
            return bad();
        memcpy(&p, v, sizeof p);
        return prim(s, opt == STK_O_PRIMARY_ADDR ? SCTP_PRIMARY_ADDR
                                                  : SCTP_SET_PEER_PRIMARY_ADDR,
                    &p, 1);
    }
    }
    return usr_values_setopt(s, opt, v, len);
}

int usr_path_getopt(struct stk_sock *s, int opt, void *v, size_t *len)
{
    switch (opt) {
    case STK_O_PADDR_PARAMS:
        return *len < sizeof(struct stk_paddrparams) ? bad() : get_paddr_params(s, v);
    case STK_O_DELAYED_SACK:
        return *len < sizeof(struct stk_sack_info) ? bad() : sack_info(s, v, 0);
    case STK_O_PADDR_INFO:
        return *len < sizeof(struct stk_paddrinfo) ? bad() : paddr_info(s, v);
    case STK_O_PRIMARY_ADDR:
        return *len < sizeof(struct stk_prim) ? bad()
                                              : prim(s, SCTP_PRIMARY_ADDR, v, 0);
    }
    return usr_values_getopt(s, opt, v, len);
}
