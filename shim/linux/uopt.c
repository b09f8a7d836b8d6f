#include "linux/uopt.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdtab.h"
#include "core/sock.h"
#include "core/umem.h"
#include "linux/sockopt.h"

#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif

/* sctp_setsockopt copies the whole value in first (memdup_sockptr),
 * trimmed to the largest any option needs: PAGE_ALIGN(USHRT_MAX +
 * sizeof(__u16) * sizeof(struct sctp_reset_streams)). */
#define SCTP_SET_TRIM 69632
/* The shim's copy of a getsockopt value: the kernel has no bound, the
 * largest answers (address and association lists) fit well within. */
#define SCTP_GET_CAP (256 * 1024)
/* Other levels: every option the shim answers is a few bytes. */
#define OTHER_CAP 1024
/* memdup_user fails above the largest kmalloc. */
#define KMALLOC_MAX (4u << 20)

static int fail(int e)
{
    errno = e;
    return -1;
}

/* What each SCTP getsockopt of net/sctp/socket.c needs before it does
 * anything: the length below which it answers EINVAL, and the bytes it
 * then reads (copy_from_user) or writes.  OUT_FIRST: it may fail before
 * looking at the length for another reason (the socket's type, no AUTH),
 * so the handler decides. */
enum { OUT_FIRST = 1 };
struct kget {
    uint16_t min, touch;
    uint8_t flags;
};
#define SAME(t) {sizeof(t), sizeof(t), 0}
static const struct kget sctp_get[] = {
    [SCTP_RTOINFO] = SAME(struct sctp_rtoinfo),
    [SCTP_ASSOCINFO] = SAME(struct sctp_assocparams),
    [SCTP_INITMSG] = SAME(struct sctp_initmsg),
    [SCTP_NODELAY] = SAME(int),
    [SCTP_AUTOCLOSE] = {sizeof(int), sizeof(int), OUT_FIRST},
    [SCTP_PRIMARY_ADDR] = SAME(struct sctp_prim),
    [SCTP_ADAPTATION_LAYER] = SAME(struct sctp_setadaptation),
    [SCTP_DISABLE_FRAGMENTS] = SAME(int),
    [SCTP_DEFAULT_SEND_PARAM] = SAME(struct sctp_sndrcvinfo),
    [SCTP_I_WANT_MAPPED_V4_ADDR] = SAME(int),
    [SCTP_STATUS] = SAME(struct sctp_status),
    [SCTP_GET_PEER_ADDR_INFO] = SAME(struct sctp_paddrinfo),
    [SCTP_CONTEXT] = SAME(struct sctp_assoc_value),
    [SCTP_FRAGMENT_INTERLEAVE] = SAME(int),
    [SCTP_PARTIAL_DELIVERY_POINT] = SAME(uint32_t),
    [SCTP_HMAC_IDENT] = {sizeof(struct sctp_hmacalgo), sizeof(struct sctp_hmacalgo),
                         OUT_FIRST},
    [SCTP_AUTH_ACTIVE_KEY] = SAME(struct sctp_authkeyid),
    [SCTP_PEER_AUTH_CHUNKS] = SAME(struct sctp_authchunks),
    [SCTP_LOCAL_AUTH_CHUNKS] = SAME(struct sctp_authchunks),
    [SCTP_GET_ASSOC_NUMBER] = {sizeof(uint32_t), sizeof(uint32_t), OUT_FIRST},
    [SCTP_GET_ASSOC_ID_LIST] = {sizeof(struct sctp_assoc_ids),
                                sizeof(struct sctp_assoc_ids), OUT_FIRST},
    [SCTP_AUTO_ASCONF] = SAME(int),
    [SCTP_PEER_ADDR_THLDS] = SAME(struct sctp_paddrthlds),
    [SCTP_RECVRCVINFO] = SAME(int),
    [SCTP_RECVNXTINFO] = SAME(int),
    [SCTP_DEFAULT_SNDINFO] = SAME(struct sctp_sndinfo),
    [SCTP_REUSE_PORT] = SAME(int),
    [SCTP_PEER_ADDR_THLDS_V2] = SAME(struct sctp_paddrthlds_v2),
    [SCTP_SOCKOPT_PEELOFF] = SAME(sctp_peeloff_arg_t),
    [SCTP_GET_PEER_ADDRS] = SAME(struct sctp_getaddrs),
    [SCTP_GET_LOCAL_ADDRS] = SAME(struct sctp_getaddrs),
    [SCTP_SOCKOPT_CONNECTX3] = SAME(struct sctp_getaddrs_old),
    [SCTP_PR_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_DEFAULT_PRINFO] = SAME(struct sctp_default_prinfo),
    [SCTP_PR_ASSOC_STATUS] = SAME(struct sctp_prstatus),
    [SCTP_PR_STREAM_STATUS] = SAME(struct sctp_prstatus),
    [SCTP_RECONFIG_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_ENABLE_STREAM_RESET] = SAME(struct sctp_assoc_value),
    [SCTP_SOCKOPT_PEELOFF_FLAGS] = SAME(sctp_peeloff_flags_arg_t),
    [SCTP_STREAM_SCHEDULER] = SAME(struct sctp_assoc_value),
    [SCTP_STREAM_SCHEDULER_VALUE] = SAME(struct sctp_stream_value),
    [SCTP_INTERLEAVING_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_EVENT] = SAME(struct sctp_event),
    [SCTP_ASCONF_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_AUTH_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_ECN_SUPPORTED] = SAME(struct sctp_assoc_value),
    [SCTP_EXPOSE_POTENTIALLY_FAILED_STATE] = SAME(struct sctp_assoc_value),
    [SCTP_REMOTE_UDP_ENCAPS_PORT] = SAME(struct sctp_udpencaps),
    [SCTP_PLPMTUD_PROBE_INTERVAL] = SAME(struct sctp_probeinterval),
    /* the length decides their size (lx_uopt_get_touch) */
    [SCTP_EVENTS] = {1, 1, 0},
    [SCTP_DELAYED_SACK] = {1, 1, 0},
    [SCTP_MAXSEG] = {1, 1, 0},
    [SCTP_MAX_BURST] = {1, 1, 0},
    [SCTP_PEER_ADDR_PARAMS] = {1, 1, 0},
    [SCTP_GET_ASSOC_STATS] = {1, 1, 0},
};
#define NGET (sizeof sctp_get / sizeof sctp_get[0])

/* The length rule each sctp_setsockopt handler applies first (EINVAL
 * otherwise): exactly a or b, at least a, or at most a.  Options left out
 * look at something else first (AUTOCLOSE, REUSE_PORT: the socket's type;
 * SET_PEER_PRIMARY_ADDR, AUTH_CHUNK, HMAC_IDENT: ASCONF or AUTH) or are
 * no option (ENOPROTOOPT): their handler decides. */
enum { EXACT = 1, ATLEAST, ATMOST };
struct kset {
    uint8_t rule;
    uint16_t a, b;
};
#define AV sizeof(struct sctp_assoc_value)
#define PP_SHORT ((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~(size_t)3)
static const struct kset sctp_set[] = {
    [SCTP_RTOINFO] = {EXACT, sizeof(struct sctp_rtoinfo), 0},
    [SCTP_ASSOCINFO] = {EXACT, sizeof(struct sctp_assocparams), 0},
    [SCTP_INITMSG] = {EXACT, sizeof(struct sctp_initmsg), 0},
    [SCTP_NODELAY] = {ATLEAST, sizeof(int), 0},
    [SCTP_PRIMARY_ADDR] = {EXACT, sizeof(struct sctp_prim), 0},
    [SCTP_ADAPTATION_LAYER] = {EXACT, sizeof(struct sctp_setadaptation), 0},
    [SCTP_DISABLE_FRAGMENTS] = {ATLEAST, sizeof(int), 0},
    [SCTP_PEER_ADDR_PARAMS] = {EXACT, sizeof(struct sctp_paddrparams), PP_SHORT},
    [SCTP_DEFAULT_SEND_PARAM] = {EXACT, sizeof(struct sctp_sndrcvinfo), 0},
    [SCTP_EVENTS] = {ATMOST, sizeof(struct sctp_event_subscribe), 0},
    [SCTP_I_WANT_MAPPED_V4_ADDR] = {ATLEAST, sizeof(int), 0},
    [SCTP_MAXSEG] = {EXACT, AV, sizeof(int)},
    [SCTP_DELAYED_SACK] = {EXACT, sizeof(struct sctp_sack_info), AV},
    [SCTP_CONTEXT] = {EXACT, AV, 0},
    [SCTP_FRAGMENT_INTERLEAVE] = {EXACT, sizeof(int), 0},
    [SCTP_PARTIAL_DELIVERY_POINT] = {EXACT, sizeof(uint32_t), 0},
    [SCTP_MAX_BURST] = {EXACT, AV, sizeof(int)},
    [SCTP_AUTH_KEY] = {ATLEAST, sizeof(struct sctp_authkey) + 1, 0},
    [SCTP_AUTH_ACTIVE_KEY] = {EXACT, sizeof(struct sctp_authkeyid), 0},
    [SCTP_AUTH_DELETE_KEY] = {EXACT, sizeof(struct sctp_authkeyid), 0},
    [SCTP_AUTO_ASCONF] = {ATLEAST, sizeof(int), 0},
    [SCTP_PEER_ADDR_THLDS] = {ATLEAST, sizeof(struct sctp_paddrthlds), 0},
    [SCTP_RECVRCVINFO] = {ATLEAST, sizeof(int), 0},
    [SCTP_RECVNXTINFO] = {ATLEAST, sizeof(int), 0},
    [SCTP_DEFAULT_SNDINFO] = {EXACT, sizeof(struct sctp_sndinfo), 0},
    [SCTP_AUTH_DEACTIVATE_KEY] = {EXACT, sizeof(struct sctp_authkeyid), 0},
    [SCTP_PEER_ADDR_THLDS_V2] = {ATLEAST, sizeof(struct sctp_paddrthlds_v2), 0},
    [SCTP_SOCKOPT_BINDX_ADD] = {ATLEAST, 1, 0},
    [SCTP_SOCKOPT_BINDX_REM] = {ATLEAST, 1, 0},
    [SCTP_SOCKOPT_CONNECTX_OLD] = {ATLEAST, sizeof(sa_family_t), 0},
    [SCTP_SOCKOPT_CONNECTX] = {ATLEAST, sizeof(sa_family_t), 0},
    [SCTP_PR_SUPPORTED] = {EXACT, AV, 0},
    [SCTP_DEFAULT_PRINFO] = {EXACT, sizeof(struct sctp_default_prinfo), 0},
    [SCTP_RECONFIG_SUPPORTED] = {EXACT, AV, 0},
    [SCTP_ENABLE_STREAM_RESET] = {EXACT, AV, 0},
    [SCTP_RESET_STREAMS] = {ATLEAST, sizeof(struct sctp_reset_streams), 0},
    [SCTP_RESET_ASSOC] = {EXACT, sizeof(sctp_assoc_t), 0},
    [SCTP_ADD_STREAMS] = {EXACT, sizeof(struct sctp_add_streams), 0},
    [SCTP_STREAM_SCHEDULER] = {ATLEAST, AV, 0},
    [SCTP_STREAM_SCHEDULER_VALUE] = {ATLEAST, sizeof(struct sctp_stream_value), 0},
    [SCTP_INTERLEAVING_SUPPORTED] = {ATLEAST, AV, 0},
    [SCTP_EVENT] = {ATLEAST, sizeof(struct sctp_event), 0},
    [SCTP_ASCONF_SUPPORTED] = {EXACT, AV, 0},
    [SCTP_AUTH_SUPPORTED] = {EXACT, AV, 0},
    [SCTP_ECN_SUPPORTED] = {EXACT, AV, 0},
    [SCTP_EXPOSE_POTENTIALLY_FAILED_STATE] = {EXACT, AV, 0},
    [SCTP_REMOTE_UDP_ENCAPS_PORT] = {EXACT, sizeof(struct sctp_udpencaps), 0},
    [SCTP_PLPMTUD_PROBE_INTERVAL] = {EXACT, sizeof(struct sctp_probeinterval), 0},
};
#define NSET (sizeof sctp_set / sizeof sctp_set[0])

/* Options only one socket type has: the others answer EOPNOTSUPP before
 * anything else (sctp_style checks at the top of their handlers). */
static int wrong_style(const struct ssock *s, int set, int name)
{
    switch (name) {
    case SCTP_AUTOCLOSE:
        return s->type == SOCK_STREAM;
    case SCTP_GET_ASSOC_NUMBER:
    case SCTP_GET_ASSOC_ID_LIST:
        return !set && s->type == SOCK_STREAM;
    case SCTP_REUSE_PORT:
        return set && s->type != SOCK_STREAM;
    }
    return 0;
}

/* sctp_setsockopt's first checks: 0, or -1 with EOPNOTSUPP for the
 * wrong socket type or EINVAL for a length (after the trim) the option's
 * handler refuses. */
static int sctp_set_precheck(const struct ssock *s, int name, size_t len)
{
    if (wrong_style(s, 1, name))
        return fail(EOPNOTSUPP);
    if (name == SCTP_AUTOCLOSE)
        return len == sizeof(int) ? 0 : fail(EINVAL);
    if (name < 0 || (size_t)name >= NSET || !sctp_set[name].rule)
        return 0;
    const struct kset *k = &sctp_set[name];
    int ok;
    switch (k->rule) {
    case EXACT:
        ok = len == k->a || (k->b && len == k->b);
        break;
    case ATLEAST:
        ok = len >= k->a;
        break;
    default:
        ok = len <= k->a;
    }
    return ok ? 0 : fail(EINVAL);
}

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

size_t lx_uopt_get_touch(int name, size_t len)
{
    const size_t av = AV, pp_short = PP_SHORT;
    switch (name) {
    case SCTP_EVENTS:
        return min_sz(len, sizeof(struct sctp_event_subscribe));
    case SCTP_DELAYED_SACK:
        return len >= sizeof(struct sctp_sack_info) ? sizeof(struct sctp_sack_info)
               : len == av                          ? av
                                                    : 0;
    case SCTP_MAXSEG:
    case SCTP_MAX_BURST:
        /* An int is the old form, answered without reading anything. */
        return len == sizeof(int) ? sizeof(int) : len >= av ? av : 0;
    case SCTP_PEER_ADDR_PARAMS:
        return len >= sizeof(struct sctp_paddrparams) ? sizeof(struct sctp_paddrparams)
               : len >= pp_short                      ? pp_short
                                                      : 0;
    case SCTP_GET_ASSOC_STATS:
        return len >= sizeof(sctp_assoc_t) ? min_sz(len, sizeof(struct sctp_assoc_stats))
                                           : 0;
    }
    if (name < 0 || (size_t)name >= NGET || !sctp_get[name].min ||
        len < sctp_get[name].min)
        return 0;
    return sctp_get[name].touch;
}

/* A copy the option handlers may cast to any option's structure. */
struct buf {
    union {
        max_align_t align;
        unsigned char b[256];
    } small;
    unsigned char *p;
};

static unsigned char *buf_get(struct buf *b, size_t n)
{
    b->p = n <= sizeof b->small.b ? b->small.b : malloc(n);
    return b->p;
}

static void buf_put(struct buf *b)
{
    if (b->p != b->small.b)
        free(b->p);
}

/* The bytes the kernel's setsockopt at another level reads first, once
 * the length reaches an int (sk_setsockopt and do_ip(v6)_setsockopt read
 * an int before looking at the option). */
static size_t other_set_touch(int level, int name)
{
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_LINGER:
            return sizeof(struct linger);
        case SO_RCVTIMEO:
        case SO_SNDTIMEO:
        case SO_RCVTIMEO_NEW:
        case SO_SNDTIMEO_NEW:
            return 16; /* struct timeval, and __kernel_sock_timeval */
        }
        return sizeof(int);
    }
    return level == IPPROTO_IP || level == IPPROTO_IPV6 ? sizeof(int) : 0;
}

int lx_setsockopt_user(struct ssock *s, int fd, int level, int name,
                       const void *val, socklen_t len)
{
    if ((int)len < 0)
        return fail(EINVAL); /* __sys_setsockopt */
    struct buf b;
    size_t n;
    if (level == SOL_SCTP) {
        n = min_sz(len, SCTP_SET_TRIM);
        if (n == 0)
            return sctp_set_precheck(s, name, 0) < 0
                       ? -1
                       : lx_setsockopt(s, fd, level, name, NULL, 0);
        if (!buf_get(&b, n))
            return fail(ENOMEM);
        if (umem_copy_in(b.p, val, n) < 0 || sctp_set_precheck(s, name, n) < 0) {
            int e = errno;
            buf_put(&b);
            errno = e;
            return -1;
        }
    } else {
        n = min_sz(len, OTHER_CAP);
        if (!buf_get(&b, n ? n : 1))
            return fail(ENOMEM);
        size_t got = umem_copy_in_part(b.p, val, n);
        size_t touch = len >= sizeof(int) ? min_sz(n, other_set_touch(level, name)) : 0;
        if (got < touch) {
            buf_put(&b);
            return fail(EFAULT);
        }
        memset(b.p + got, 0, n - got);
    }
    int r = lx_setsockopt(s, fd, level, name, n ? b.p : NULL, (socklen_t)n);
    int e = errno;
    buf_put(&b);
    errno = e;
    return r;
}

/* SCTP_SOCKOPT_CONNECTX3 carries a pointer to the address list: the
 * handler gets a copy of the list, as sctp_getsockopt_connectx3 takes
 * one with memdup_user. */
static void *connectx3_in(unsigned char *v)
{
    struct sctp_getaddrs_old p;
    memcpy(&p, v, sizeof p);
    if (p.addr_num < 0 || (unsigned)p.addr_num > KMALLOC_MAX) {
        errno = ENOMEM;
        return NULL;
    }
    void *list = malloc(p.addr_num ? (size_t)p.addr_num : 1);
    if (!list) {
        errno = ENOMEM;
        return NULL;
    }
    if (umem_copy_in(list, p.addrs, (size_t)p.addr_num) < 0) {
        free(list);
        return NULL;
    }
    p.addrs = list;
    memcpy(v, &p, sizeof p);
    return list;
}

static void connectx3_out(unsigned char *v, struct sockaddr *program_list)
{
    memcpy(v + offsetof(struct sctp_getaddrs_old, addrs), &program_list,
           sizeof program_list);
}

/* A peel-off whose answer cannot be written back: the kernel drops the
 * new descriptor again (sctp_getsockopt_peeloff's fput), and with it the
 * association. */
static void undo_peeloff(int name, int fd)
{
    if ((name != SCTP_SOCKOPT_PEELOFF && name != SCTP_SOCKOPT_PEELOFF_FLAGS) || fd < 0)
        return;
    struct ssock *ns = fdtab_take(fd);
    if (ns)
        sock_close_fd(fd, ns);
}

/* Before the handler, what sctp_getsockopt decides alone: EOPNOTSUPP for
 * the wrong socket type, EINVAL for a length the option refuses, EFAULT for a value it cannot read (every
 * option reads or writes its first bytes before anything else), ENOMEM
 * where it would allocate what the length says. */
static int sctp_get_precheck(const struct ssock *s, int name, size_t len,
                             size_t got)
{
    if (wrong_style(s, 0, name))
        return fail(EOPNOTSUPP);
    if (name < 0 || (size_t)name >= NGET || !sctp_get[name].min ||
        (sctp_get[name].flags & OUT_FIRST))
        return 0;
    size_t touch = lx_uopt_get_touch(name, len);
    if (!touch)
        return fail(EINVAL);
    if (got < touch)
        return fail(EFAULT);
    if (name == SCTP_GET_LOCAL_ADDRS &&
        len - offsetof(struct sctp_getaddrs, addrs) > KMALLOC_MAX)
        return fail(ENOMEM);
    return 0;
}

int lx_getsockopt_user(struct ssock *s, int fd, int level, int name, void *val,
                       socklen_t *len)
{
    int saved = errno;
    socklen_t ulen;
    if (umem_copy_in(&ulen, len, sizeof ulen) < 0)
        return -1;
    if ((int)ulen < 0)
        return fail(EINVAL);
    size_t n = min_sz(ulen, level == SOL_SCTP ? SCTP_GET_CAP : OTHER_CAP);
    struct buf b;
    if (!buf_get(&b, n ? n : 1))
        return fail(ENOMEM);
    size_t got = umem_copy_in_part(b.p, val, n);
    memset(b.p + got, 0, n - got);
    int r = -1, e;
    void *list = NULL;
    struct sockaddr *program_list = NULL;
    if (level == SOL_SCTP) {
        if (sctp_get_precheck(s, name, ulen, got) < 0) {
            e = errno;
            goto out;
        }
        if (name == SCTP_SOCKOPT_CONNECTX3) {
            memcpy(&program_list, b.p + offsetof(struct sctp_getaddrs_old, addrs),
                   sizeof program_list);
            if (!(list = connectx3_in(b.p))) {
                e = errno;
                goto out;
            }
        }
    }
    socklen_t klen = (socklen_t)n;
    r = lx_getsockopt(s, fd, level, name, n ? b.p : NULL, &klen);
    e = errno;
    if (list)
        connectx3_out(b.p, program_list);
    /* A non-blocking SCTP_SOCKOPT_CONNECTX3 still hands back its id. */
    if (r >= 0 || (list && e == EINPROGRESS)) {
        if (umem_copy_out(len, &klen, sizeof klen) < 0 ||
            umem_copy_out(val, b.p, min_sz(klen, n)) < 0) {
            undo_peeloff(name, r);
            r = -1;
            e = EFAULT;
        }
    }
out:
    free(list);
    buf_put(&b);
    errno = r < 0 ? e : saved;
    return r;
}
