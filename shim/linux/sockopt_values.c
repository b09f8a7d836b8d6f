/* Options that are one value, with Linux's checks for each: of an
 * association or of the socket (struct sctp_assoc_value, some also a
 * plain int), switches of the endpoint, and ints. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>

#include "core/sock.h"
#include "linux/xlate.h"

enum scope {
    ASSOC_OR_FUTURE,  /* an association or the socket (MAXSEG) */
    ANY_SCOPE,        /* also CURRENT and ALL */
    ENDPOINT,         /* the socket's switch, for associations to come */
};

static const struct value_opt {
    int name, stk, scope, int_ok;
} value_opts[] = {
    {SCTP_MAXSEG, STK_O_MAXSEG, ASSOC_OR_FUTURE, 1},
    {SCTP_MAX_BURST, STK_O_MAX_BURST, ANY_SCOPE, 1},
    {SCTP_CONTEXT, STK_O_CONTEXT, ANY_SCOPE, 0},
    {SCTP_ENABLE_STREAM_RESET, STK_O_ENABLE_STREAM_RESET, ANY_SCOPE, 0},
    {SCTP_PR_SUPPORTED, STK_O_PR_SUPPORTED, ENDPOINT, 0},
    {SCTP_RECONFIG_SUPPORTED, STK_O_RECONFIG_SUPPORTED, ENDPOINT, 0},
    {SCTP_AUTH_SUPPORTED, STK_O_AUTH_SUPPORTED, ENDPOINT, 0},
    {SCTP_ASCONF_SUPPORTED, STK_O_ASCONF_SUPPORTED, ENDPOINT, 0},
    {SCTP_ECN_SUPPORTED, STK_O_ECN_SUPPORTED, ENDPOINT, 0},
};

static const struct value_opt *find(int name)
{
    for (size_t i = 0; i < sizeof value_opts / sizeof value_opts[0]; i++)
        if (value_opts[i].name == name)
            return &value_opts[i];
    return NULL;
}

/* The fragment sizes Linux accepts: what a 512-byte packet carries, up
 * to the largest chunk, less the DATA chunk header. */
static int maxseg_ok(const struct ssock *s, uint32_t v)
{
    uint32_t ip = s->family == AF_INET6 ? 40 : 20;
    return v == 0 || (v >= 512 - ip - 12 - 16 && v <= 65532 - 16);
}

static int set_value(struct ssock *s, const struct value_opt *o,
                     const void *val, socklen_t len)
{
    struct sctp_assoc_value av;
    if (val && o->int_ok && len == sizeof(int)) {
        int v;
        memcpy(&v, val, sizeof v);
        av.assoc_id = SCTP_FUTURE_ASSOC;
        av.assoc_value = (uint32_t)v;
    } else if (val && len == sizeof av) {
        memcpy(&av, val, sizeof av);
    } else {
        return lx_opt_inval();
    }
    uint32_t id = (uint32_t)av.assoc_id;
    if (s->type != SOCK_SEQPACKET)
        id = SCTP_FUTURE_ASSOC; /* its one association, or the socket */
    else if (id > SCTP_ALL_ASSOC ? lx_opt_assoc_ok(s, id) < 0
                                 : o->scope != ANY_SCOPE && id != SCTP_FUTURE_ASSOC)
        return lx_opt_inval();
    if (o->name == SCTP_MAXSEG && !maxseg_ok(s, av.assoc_value))
        return lx_opt_inval();
    if (o->name == SCTP_ENABLE_STREAM_RESET &&
        (av.assoc_value & ~SCTP_ENABLE_STRRESET_MASK))
        return lx_opt_inval();
    struct stk_assoc_value n = {o->scope == ENDPOINT ? SCTP_FUTURE_ASSOC : id,
                                av.assoc_value};
    if (o->scope == ENDPOINT)
        n.value = !!n.value;
    if (o->name == SCTP_ENABLE_STREAM_RESET)
        n.value = lx_strreset_to_stk(n.value);
    int r = stk_setopt(s->stk, o->stk, &n, sizeof n);
    /* usrsctp refuses an endpoint switch once a one-to-one socket has its
     * association; Linux switches it for associations to come, which
     * this socket will not have. */
    if (r < 0 && errno == EINVAL && o->scope == ENDPOINT &&
        s->type != SOCK_SEQPACKET && s->connected)
        r = 0;
    if (r == 0 && o->name == SCTP_MAXSEG && n.assoc_id == SCTP_FUTURE_ASSOC)
        s->maxseg = n.value;
    return r;
}

static int get_value(struct ssock *s, const struct value_opt *o, void *val,
                     socklen_t *len)
{
    struct sctp_assoc_value av;
    int as_int = 0;
    if (!val || !len)
        return lx_opt_inval();
    if (o->int_ok && *len == sizeof(int)) {
        av.assoc_id = SCTP_FUTURE_ASSOC;
        as_int = 1;
    } else if (*len >= sizeof av) {
        memcpy(&av, val, sizeof av);
    } else {
        return lx_opt_inval();
    }
    uint32_t id = (uint32_t)av.assoc_id;
    if (s->type != SOCK_SEQPACKET)
        id = SCTP_FUTURE_ASSOC;
    else if (id > SCTP_ALL_ASSOC ? lx_opt_assoc_ok(s, id) < 0 : id != SCTP_FUTURE_ASSOC)
        return lx_opt_inval();
    struct stk_assoc_value n = {id, 0};
    size_t l = sizeof n;
    if (o->name == SCTP_MAXSEG && id == SCTP_FUTURE_ASSOC &&
        (s->type == SOCK_SEQPACKET || !s->connected)) {
        n.value = s->maxseg; /* the socket's own, 0 until one is set */
    } else if (stk_getopt(s->stk, o->stk, &n, &l) < 0) {
        return -1;
    }
    if (o->name == SCTP_ENABLE_STREAM_RESET)
        n.value = stk_strreset_to_lx(n.value);
    if (as_int)
        return lx_opt_int_out(val, len, (int)n.value);
    av.assoc_value = n.value;
    memcpy(val, &av, sizeof av);
    *len = sizeof av;
    return 0;
}

/* Bound to the wildcard address alone, as sctp_is_ep_boundall. */
static int bound_to_all(const struct ssock *s)
{
    if (!s->bound_set)
        return 0;
    if (s->bound.ss_family == AF_INET)
        return ((const struct sockaddr_in *)&s->bound)->sin_addr.s_addr == INADDR_ANY;
    return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)&s->bound)->sin6_addr);
}

static int set_int_opt(struct ssock *s, int name, const void *val, socklen_t len)
{
    int v;
    switch (name) {
    case SCTP_FRAGMENT_INTERLEAVE:
        if (!val || len != sizeof v)
            return lx_opt_inval();
        memcpy(&v, val, sizeof v);
        v = !!v;
        return stk_setopt(s->stk, STK_O_FRAGMENT_INTERLEAVE, &v, sizeof v);
    case SCTP_PARTIAL_DELIVERY_POINT: {
        uint32_t pd, rcvbuf = 0;
        size_t l = sizeof rcvbuf;
        if (!val || len != sizeof pd)
            return lx_opt_inval();
        memcpy(&pd, val, sizeof pd);
        /* Linux: at most half its (doubled) receive buffer. */
        if (stk_getopt(s->stk, STK_O_RCVBUF, &rcvbuf, &l) == 0 && pd > rcvbuf)
            return lx_opt_inval();
        return stk_setopt(s->stk, STK_O_PARTIAL_DELIVERY_POINT, &pd, sizeof pd);
    }
    case SCTP_AUTO_ASCONF:
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        if (v && !bound_to_all(s))
            return lx_opt_inval();
        /* Only the switch: ASCONF itself is not negotiated unless the
         * program asks for it (SCTP_ASCONF_SUPPORTED). */
        s->auto_asconf = !!v;
        return 0;
    case SCTP_REUSE_PORT:
        if (s->type != SOCK_STREAM || s->peeled) {
            errno = EOPNOTSUPP;
            return -1;
        }
        if (s->bound_set) {
            errno = EFAULT; /* Linux's answer once the socket has a port */
            return -1;
        }
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        v = !!v;
        return stk_setopt(s->stk, STK_O_REUSE_PORT, &v, sizeof v);
    }
    return lx_opt_unsupported("setsockopt", SOL_SCTP, name);
}

static int get_int_opt(struct ssock *s, int name, void *val, socklen_t *len)
{
    int v = 0;
    size_t l = sizeof v;
    switch (name) {
    case SCTP_FRAGMENT_INTERLEAVE:
    case SCTP_PARTIAL_DELIVERY_POINT:
        if (!len || *len < sizeof v)
            return lx_opt_inval();
        if (stk_getopt(s->stk, name == SCTP_FRAGMENT_INTERLEAVE
                                   ? STK_O_FRAGMENT_INTERLEAVE
                                   : STK_O_PARTIAL_DELIVERY_POINT,
                       &v, &l) < 0)
            return -1;
        return lx_opt_int_out(val, len, name == SCTP_FRAGMENT_INTERLEAVE ? !!v : v);
    case SCTP_AUTO_ASCONF:
        return lx_opt_int_out(val, len, s->auto_asconf && bound_to_all(s));
    case SCTP_REUSE_PORT:
        if (stk_getopt(s->stk, STK_O_REUSE_PORT, &v, &l) < 0)
            v = 0;
        return lx_opt_int_out(val, len, v);
    }
    return lx_opt_unsupported("getsockopt", SOL_SCTP, name);
}

int lx_opt_values_set(struct ssock *s, int name, const void *val, socklen_t len)
{
    const struct value_opt *o = find(name);
    return o ? set_value(s, o, val, len) : set_int_opt(s, name, val, len);
}

int lx_opt_values_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    const struct value_opt *o = find(name);
    return o ? get_value(s, o, val, len) : get_int_opt(s, name, val, len);
}
