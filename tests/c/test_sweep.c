/* The bad-argument sweep of issue 12, kept: every SOL_SCTP option 0-140,
 * set and get, with lengths 0, 1, 3, size-1, size, huge and negative,
 * through good, NULL, unmapped, PROT_NONE and read-only pointers, for the
 * value and for getsockopt's length; every SCTP cmsg type with every
 * kind of length; every msghdr field of sendmsg and recvmsg; on a
 * one-to-one and a one-to-many socket, each with an association.
 *
 * The answer expected is the kernel's, from net/sctp/socket.c and
 * net/socket.c (no kernel here has SCTP): each call is compared with the
 * same call through good memory, and with the kernel's length rules. No
 * call may crash, none may succeed where the kernel refuses, and the
 * sockets work afterwards.  Run under ASan+UBSan, no report either. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <limits.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stddef.h>

#include "badmem.h"

#define MAX_OPT 140
#define REGION (2 * BM_PAGE) /* good and read-only values: then a guard */
#define HUGE_LEN 0x7fffffffu
#define NEG_LEN 0x80000000u

static int calls, failures_seen;

enum ptr { P_GOOD, P_NULL, P_UNMAPPED, P_NONE, P_RO, P_KINDS };
static const char *const ptr_name[] = {"good", "NULL", "unmapped", "PROT_NONE",
                                       "read-only"};
/* REGION bytes each, zero, then a PROT_NONE page that no later mapping
 * can take (an unmapped one could be handed out again). */
static char *good, *ro;

static char *region(int prot)
{
    char *p = mmap(NULL, REGION + BM_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(mprotect(p + REGION, BM_PAGE, PROT_NONE), 0);
    CHECK_EQ(mprotect(p, REGION, prot), 0);
    return p;
}

/* The read-only region holds len bytes of src, zeros after them. */
static void ro_fill(const void *src, size_t len)
{
    CHECK_EQ(mprotect(ro, REGION, PROT_READ | PROT_WRITE), 0);
    memset(ro, 0, REGION);
    if (src)
        memcpy(ro, src, len);
    CHECK_EQ(mprotect(ro, REGION, PROT_READ), 0);
}

static void *ptr(enum ptr k)
{
    switch (k) {
    case P_GOOD:
        memset(good, 0, REGION);
        return good;
    case P_NULL:
        return NULL;
    case P_UNMAPPED:
        return bm_page(BM_UNMAPPED, 0, 0);
    case P_NONE:
        return bm_page(BM_NONE, 0, 0);
    default:
        return ro;
    }
}

struct res {
    int r, e;
};

static int same(struct res a, struct res b)
{
    return (a.r < 0) == (b.r < 0) && (a.r >= 0 || a.e == b.e);
}

/* A wrong answer is reported and the sweep goes on: one run shows all. */
#define FAIL(...)                                                           \
    do {                                                                    \
        if (failures_seen++ < 100)                                          \
            fprintf(stderr, __VA_ARGS__);                                   \
    } while (0)

/* --- net/sctp/socket.c's length rules, for zero-filled values --- */

/* 1: sctp_setsockopt may accept optlen (after its trim) with a value of
 * zeros; 0: it refuses, on the length or because zeros cannot be right
 * there (a family 0 address, an event type 0, no association 0 on a
 * one-to-many socket); -1: depends on the state (AUTH, ASCONF). */
static int kset_ok(int name, unsigned len, int type)
{
    const unsigned av = sizeof(struct sctp_assoc_value);
    int many = type == SOCK_SEQPACKET;
    switch (name) {
    case SCTP_RTOINFO:
        return len == sizeof(struct sctp_rtoinfo);
    case SCTP_ASSOCINFO:
        return len == sizeof(struct sctp_assocparams);
    case SCTP_INITMSG:
        return len == sizeof(struct sctp_initmsg);
    case SCTP_NODELAY:
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_I_WANT_MAPPED_V4_ADDR:
    case SCTP_AUTO_ASCONF:
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
        return len >= sizeof(int);
    case SCTP_AUTOCLOSE:
        return many && len == sizeof(int);
    case SCTP_ADAPTATION_LAYER:
    case SCTP_FRAGMENT_INTERLEAVE:
    case SCTP_PARTIAL_DELIVERY_POINT:
        return len == sizeof(int);
    case SCTP_PEER_ADDR_PARAMS:
        return len == sizeof(struct sctp_paddrparams) ||
               len == ((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u);
    case SCTP_DEFAULT_SEND_PARAM:
        return len == sizeof(struct sctp_sndrcvinfo);
    case SCTP_EVENTS:
        return len <= sizeof(struct sctp_event_subscribe);
    case SCTP_MAXSEG:
    case SCTP_MAX_BURST:
        return len == sizeof(int) || len == av;
    case SCTP_DELAYED_SACK:
        return len == av || len == sizeof(struct sctp_sack_info);
    case SCTP_CONTEXT:
    case SCTP_PR_SUPPORTED:
    case SCTP_RECONFIG_SUPPORTED:
    case SCTP_ENABLE_STREAM_RESET:
    case SCTP_ASCONF_SUPPORTED:
    case SCTP_AUTH_SUPPORTED:
    case SCTP_ECN_SUPPORTED:
    case SCTP_EXPOSE_POTENTIALLY_FAILED_STATE:
        return len == av;
    case SCTP_STREAM_SCHEDULER:
    case SCTP_INTERLEAVING_SUPPORTED:
        return len >= av ? -1 : 0;
    case SCTP_STREAM_SCHEDULER_VALUE:
        return len >= sizeof(struct sctp_stream_value) ? -1 : 0;
    case SCTP_PEER_ADDR_THLDS:
        return len >= sizeof(struct sctp_paddrthlds);
    case SCTP_PEER_ADDR_THLDS_V2:
        return len >= sizeof(struct sctp_paddrthlds_v2);
    case SCTP_DEFAULT_SNDINFO:
        return len == sizeof(struct sctp_sndinfo);
    case SCTP_DEFAULT_PRINFO:
        return len == sizeof(struct sctp_default_prinfo);
    case SCTP_AUTH_KEY:
        return len > sizeof(struct sctp_authkey) ? -1 : 0;
    case SCTP_AUTH_ACTIVE_KEY:
    case SCTP_AUTH_DELETE_KEY:
    case SCTP_AUTH_DEACTIVATE_KEY:
        return len == sizeof(struct sctp_authkeyid) ? -1 : 0;
    case SCTP_HMAC_IDENT:
        return len >= sizeof(struct sctp_hmacalgo) ? -1 : 0;
    case SCTP_AUTH_CHUNK:
    case SCTP_SET_PEER_PRIMARY_ADDR:
    case SCTP_REUSE_PORT:
        return -1; /* AUTH, ASCONF or the socket type decide first */
    case SCTP_RESET_STREAMS:
        return len >= sizeof(struct sctp_reset_streams) && !many ? -1 : 0;
    case SCTP_RESET_ASSOC:
        return len == sizeof(sctp_assoc_t) && !many ? -1 : 0;
    case SCTP_ADD_STREAMS:
        return len == sizeof(struct sctp_add_streams) && !many ? -1 : 0;
    case SCTP_REMOTE_UDP_ENCAPS_PORT:
        return len == sizeof(struct sctp_udpencaps);
    case SCTP_PLPMTUD_PROBE_INTERVAL:
        return len == sizeof(struct sctp_probeinterval);
    }
    /* family 0 addresses, event type 0, no such option (ENOPROTOOPT):
     * BINDX, CONNECTX, PRIMARY_ADDR, EVENT and every other number */
    return 0;
}

/* The same for sctp_getsockopt and len (zeros in, so association 0). */
static int kget_ok(int name, unsigned len, int type)
{
    const unsigned av = sizeof(struct sctp_assoc_value);
    int many = type == SOCK_SEQPACKET;
    switch (name) {
    case SCTP_STATUS:
        return len >= sizeof(struct sctp_status) && !many;
    case SCTP_DISABLE_FRAGMENTS:
    case SCTP_NODELAY:
    case SCTP_I_WANT_MAPPED_V4_ADDR:
    case SCTP_FRAGMENT_INTERLEAVE:
    case SCTP_PARTIAL_DELIVERY_POINT:
    case SCTP_AUTO_ASCONF:
    case SCTP_RECVRCVINFO:
    case SCTP_RECVNXTINFO:
    case SCTP_REUSE_PORT:
    case SCTP_ADAPTATION_LAYER:
        return len >= sizeof(int);
    case SCTP_EVENTS:
        return len >= 1;
    case SCTP_AUTOCLOSE:
        return many && len >= sizeof(int);
    case SCTP_PEER_ADDR_PARAMS:
        return len >= ((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u);
    case SCTP_DELAYED_SACK:
        return len >= sizeof(struct sctp_sack_info) || len == av;
    case SCTP_INITMSG:
        return len >= sizeof(struct sctp_initmsg);
    case SCTP_GET_PEER_ADDRS:
        return len >= sizeof(struct sctp_getaddrs) && !many;
    case SCTP_GET_LOCAL_ADDRS:
        /* the kernel kmallocs what the length leaves for addresses */
        return len >= sizeof(struct sctp_getaddrs) && len < (4u << 20);
    case SCTP_DEFAULT_SEND_PARAM:
        return len >= sizeof(struct sctp_sndrcvinfo);
    case SCTP_DEFAULT_SNDINFO:
        return len >= sizeof(struct sctp_sndinfo);
    case SCTP_PRIMARY_ADDR:
        return len >= sizeof(struct sctp_prim) && !many;
    case SCTP_RTOINFO:
        return len >= sizeof(struct sctp_rtoinfo);
    case SCTP_ASSOCINFO:
        return len >= sizeof(struct sctp_assocparams);
    case SCTP_MAXSEG:
    case SCTP_MAX_BURST:
        return len == sizeof(int) || len >= av;
    case SCTP_CONTEXT:
    case SCTP_PR_SUPPORTED:
    case SCTP_RECONFIG_SUPPORTED:
    case SCTP_ENABLE_STREAM_RESET:
    case SCTP_STREAM_SCHEDULER:
    case SCTP_INTERLEAVING_SUPPORTED:
    case SCTP_ASCONF_SUPPORTED:
    case SCTP_AUTH_SUPPORTED:
    case SCTP_ECN_SUPPORTED:
    case SCTP_EXPOSE_POTENTIALLY_FAILED_STATE:
        return len >= av;
    case SCTP_STREAM_SCHEDULER_VALUE:
        return len >= sizeof(struct sctp_stream_value) && !many ? -1 : 0;
    case SCTP_HMAC_IDENT:
    case SCTP_AUTH_ACTIVE_KEY:
    case SCTP_LOCAL_AUTH_CHUNKS:
        return len >= sizeof(struct sctp_hmacalgo) ? -1 : 0; /* AUTH */
    case SCTP_PEER_AUTH_CHUNKS:
        return len >= sizeof(struct sctp_authchunks) && !many ? -1 : 0;
    case SCTP_GET_ASSOC_NUMBER:
        return many && len >= sizeof(uint32_t);
    case SCTP_GET_ASSOC_ID_LIST:
        return many && len >= sizeof(struct sctp_assoc_ids) + sizeof(sctp_assoc_t);
    case SCTP_PEER_ADDR_THLDS:
        return len >= sizeof(struct sctp_paddrthlds);
    case SCTP_PEER_ADDR_THLDS_V2:
        return len >= sizeof(struct sctp_paddrthlds_v2);
    case SCTP_GET_ASSOC_STATS:
        return len >= sizeof(sctp_assoc_t) && !many;
    case SCTP_DEFAULT_PRINFO:
        return len >= sizeof(struct sctp_default_prinfo);
    case SCTP_REMOTE_UDP_ENCAPS_PORT:
        return len >= sizeof(struct sctp_udpencaps);
    case SCTP_PLPMTUD_PROBE_INTERVAL:
        return len >= sizeof(struct sctp_probeinterval);
    }
    /* a peel-off of association 0, a connect to no address, policy 0,
     * event type 0, address family 0, the AUTH keys (EOPNOTSUPP), and
     * every number that is no getsockopt (ENOPROTOOPT) */
    return 0;
}

/* A size to try lengths around: the option's structure, an int else. */
static unsigned opt_size(int name)
{
    switch (name) {
    case SCTP_RTOINFO: return sizeof(struct sctp_rtoinfo);
    case SCTP_ASSOCINFO: return sizeof(struct sctp_assocparams);
    case SCTP_INITMSG: return sizeof(struct sctp_initmsg);
    case SCTP_SET_PEER_PRIMARY_ADDR: return sizeof(struct sctp_setpeerprim);
    case SCTP_PRIMARY_ADDR: return sizeof(struct sctp_prim);
    case SCTP_PEER_ADDR_PARAMS: return sizeof(struct sctp_paddrparams);
    case SCTP_DEFAULT_SEND_PARAM: return sizeof(struct sctp_sndrcvinfo);
    case SCTP_EVENTS: return sizeof(struct sctp_event_subscribe);
    case SCTP_STATUS: return sizeof(struct sctp_status);
    case SCTP_GET_PEER_ADDR_INFO: return sizeof(struct sctp_paddrinfo);
    case SCTP_DELAYED_SACK: return sizeof(struct sctp_sack_info);
    case SCTP_AUTH_CHUNK: return sizeof(struct sctp_authchunk);
    case SCTP_HMAC_IDENT: return sizeof(struct sctp_hmacalgo) + 4;
    case SCTP_AUTH_KEY: return sizeof(struct sctp_authkey) + 4;
    case SCTP_AUTH_ACTIVE_KEY:
    case SCTP_AUTH_DELETE_KEY:
    case SCTP_AUTH_DEACTIVATE_KEY: return sizeof(struct sctp_authkeyid);
    case SCTP_PEER_AUTH_CHUNKS:
    case SCTP_LOCAL_AUTH_CHUNKS: return sizeof(struct sctp_authchunks);
    case SCTP_GET_ASSOC_ID_LIST: return sizeof(struct sctp_assoc_ids) + 16;
    case SCTP_PEER_ADDR_THLDS: return sizeof(struct sctp_paddrthlds);
    case SCTP_PEER_ADDR_THLDS_V2: return sizeof(struct sctp_paddrthlds_v2);
    case SCTP_DEFAULT_SNDINFO: return sizeof(struct sctp_sndinfo);
    case SCTP_SOCKOPT_BINDX_ADD:
    case SCTP_SOCKOPT_BINDX_REM:
    case SCTP_SOCKOPT_CONNECTX_OLD:
    case SCTP_SOCKOPT_CONNECTX: return sizeof(struct sockaddr_in);
    case SCTP_SOCKOPT_PEELOFF: return sizeof(sctp_peeloff_arg_t);
    case SCTP_GET_PEER_ADDRS:
    case SCTP_GET_LOCAL_ADDRS: return sizeof(struct sctp_getaddrs) + 64;
    case SCTP_SOCKOPT_CONNECTX3: return sizeof(struct sctp_getaddrs_old);
    case SCTP_GET_ASSOC_STATS: return sizeof(struct sctp_assoc_stats);
    case SCTP_DEFAULT_PRINFO: return sizeof(struct sctp_default_prinfo);
    case SCTP_PR_ASSOC_STATUS:
    case SCTP_PR_STREAM_STATUS: return sizeof(struct sctp_prstatus);
    case SCTP_RESET_STREAMS: return sizeof(struct sctp_reset_streams) + 4;
    case SCTP_RESET_ASSOC: return sizeof(sctp_assoc_t);
    case SCTP_ADD_STREAMS: return sizeof(struct sctp_add_streams);
    case SCTP_SOCKOPT_PEELOFF_FLAGS: return sizeof(sctp_peeloff_flags_arg_t);
    case SCTP_STREAM_SCHEDULER_VALUE: return sizeof(struct sctp_stream_value);
    case SCTP_EVENT: return sizeof(struct sctp_event);
    case SCTP_REMOTE_UDP_ENCAPS_PORT: return sizeof(struct sctp_udpencaps);
    case SCTP_PLPMTUD_PROBE_INTERVAL: return sizeof(struct sctp_probeinterval);
    case SCTP_CONTEXT: case SCTP_MAXSEG: case SCTP_MAX_BURST:
    case SCTP_PR_SUPPORTED: case SCTP_RECONFIG_SUPPORTED:
    case SCTP_ENABLE_STREAM_RESET: case SCTP_STREAM_SCHEDULER:
    case SCTP_INTERLEAVING_SUPPORTED: case SCTP_ASCONF_SUPPORTED:
    case SCTP_AUTH_SUPPORTED: case SCTP_ECN_SUPPORTED:
    case SCTP_EXPOSE_POTENTIALLY_FAILED_STATE:
        return sizeof(struct sctp_assoc_value);
    }
    return sizeof(int);
}

/* --- the sockets --- */

struct pair {
    int type, fd, peer, lsn; /* the sweep runs on fd; peer talks to it */
    struct sockaddr_in to;   /* where fd sends on a one-to-many socket */
};

static void wait_readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
}

/* Many one-byte messages: without SCTP_NODELAY each would wait for the
 * peer's delayed SACK of the one before. */
static void nodelay(int fd)
{
    int on = 1;
    CHECK_EQ(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, &on, sizeof on), 0);
}

static void make_pair(struct pair *p, int type, int port)
{
    memset(p, 0, sizeof *p);
    p->type = type;
    p->to = t_addr(port);
    if (type == SOCK_STREAM) {
        t_pair(port, &p->lsn, &p->fd, &p->peer);
        nodelay(p->fd);
        nodelay(p->peer);
        return;
    }
    p->peer = t_listener(SOCK_SEQPACKET, port);
    p->lsn = -1;
    p->fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(p->fd >= 0);
    nodelay(p->fd);
    nodelay(p->peer);
    CHECK_EQ(sendto(p->fd, "hi", 2, 0, (struct sockaddr *)&p->to, sizeof p->to), 2);
    wait_readable(p->peer);
    char buf[8];
    CHECK_EQ(recv(p->peer, buf, sizeof buf, 0), 2);
}

/* fd and its peer still carry a message both ways, and nothing else is
 * waiting on either side (a call that should have failed sent nothing). */
static void still_works(struct pair *p)
{
    char buf[64];
    struct pollfd pf[2] = {{p->fd, POLLIN, 0}, {p->peer, POLLIN, 0}};
    CHECK_EQ(poll(pf, 2, 0), 0);
    const struct sockaddr *to = p->type == SOCK_SEQPACKET ? (void *)&p->to : NULL;
    CHECK_EQ(sendto(p->fd, "ping", 4, 0, to, to ? sizeof p->to : 0), 4);
    wait_readable(p->peer);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    CHECK_EQ(recvfrom(p->peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    if (p->type == SOCK_SEQPACKET)
        CHECK_EQ(sendto(p->peer, "pong", 4, 0, (struct sockaddr *)&from, fl), 4);
    else
        CHECK_EQ(send(p->peer, "pong", 4, 0), 4);
    wait_readable(p->fd);
    CHECK_EQ(recv(p->fd, buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "pong", 4) == 0);
}

static const char *tname(int type)
{
    return type == SOCK_STREAM ? "one-to-one" : "one-to-many";
}

/* --- socket options --- */

static struct res do_set(struct pair *p, int name, void *v, unsigned len)
{
    errno = 0;
    int r = setsockopt(p->fd, SOL_SCTP, name, v, (socklen_t)len);
    calls++;
    return (struct res){r, errno};
}

static struct res do_get(struct pair *p, int name, void *v, socklen_t *lp)
{
    errno = 0;
    int r = getsockopt(p->fd, SOL_SCTP, name, v, lp);
    calls++;
    return (struct res){r, errno};
}

static void sweep_set(struct pair *p, int name)
{
    unsigned size = opt_size(name);
    unsigned lens[] = {0, 1, 3, size - 1, size, HUGE_LEN, NEG_LEN};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        unsigned len = lens[i];
        struct res base = do_set(p, name, ptr(P_GOOD), len);
        unsigned trimmed = len < 69632 ? len : 69632;
        if (len >= NEG_LEN) {
            if (base.r != -1 || base.e != EINVAL)
                FAIL("setsockopt(%s, %d, len %#x): %d/%d, the kernel: EINVAL\n",
                     tname(p->type), name, len, base.r, base.e);
        } else if (trimmed > REGION) {
            /* the kernel copies what it trims to, and meets the guard */
            if (base.r != -1 || base.e != EFAULT)
                FAIL("setsockopt(%s, %d, len %#x): %d/%d, the kernel: EFAULT\n",
                     tname(p->type), name, len, base.r, base.e);
        } else if (base.r >= 0 && kset_ok(name, trimmed, p->type) == 0) {
            FAIL("setsockopt(%s, %d, len %u) succeeded; the kernel refuses\n",
                 tname(p->type), name, len);
        }
        for (int k = P_NULL; k < P_KINDS; k++) {
            struct res r = do_set(p, name, ptr(k), len);
            int ok;
            if (len == 0 || len >= NEG_LEN)
                ok = same(r, base); /* nothing is read */
            else if (k == P_RO)
                ok = same(r, base); /* readable: the same as good memory */
            else
                ok = r.r == -1 && r.e == EFAULT;
            if (!ok)
                FAIL("setsockopt(%s, %d, %s, len %#x): %d/%d (good memory: %d/%d)\n",
                     tname(p->type), name, ptr_name[k], len, r.r, r.e, base.r, base.e);
        }
    }
}

static void sweep_get(struct pair *p, int name)
{
    unsigned size = opt_size(name);
    unsigned lens[] = {0, 1, 3, size - 1, size, HUGE_LEN, NEG_LEN};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        unsigned len = lens[i];
        socklen_t l = len;
        struct res base = do_get(p, name, ptr(P_GOOD), &l);
        if (len >= NEG_LEN) {
            if (base.r != -1 || base.e != EINVAL)
                FAIL("getsockopt(%s, %d, len %#x): %d/%d, the kernel: EINVAL\n",
                     tname(p->type), name, len, base.r, base.e);
        } else if (base.r >= 0 && kget_ok(name, len, p->type) == 0) {
            FAIL("getsockopt(%s, %d, len %u) succeeded; the kernel refuses\n",
                 tname(p->type), name, len);
        } else if (base.r >= 0 && (l > len || l > REGION - sizeof l)) {
            FAIL("getsockopt(%s, %d, len %u) answered length %u\n",
                 tname(p->type), name, len, l);
        }
        for (int k = P_NULL; k < P_KINDS; k++) {
            /* the value in bad memory */
            l = len;
            struct res r = do_get(p, name, ptr(k), &l);
            int ok;
            if (len == 0 || len >= NEG_LEN)
                ok = same(r, base);
            else if (k == P_RO)
                ok = base.r >= 0 ? r.r == -1 && r.e == EFAULT : same(r, base);
            else
                ok = r.r == -1 && (r.e == EFAULT || (base.r < 0 && r.e == base.e));
            if (!ok)
                FAIL("getsockopt(%s, %d, value %s, len %#x): %d/%d (good memory: %d/%d)\n",
                     tname(p->type), name, ptr_name[k], len, r.r, r.e, base.r, base.e);
            /* the length in bad memory */
            socklen_t *bl = k == P_RO ? (socklen_t *)ro : ptr(k);
            if (k == P_RO) {
                socklen_t sl = len;
                ro_fill(&sl, sizeof sl);
            }
            r = do_get(p, name, ptr(P_GOOD), bl);
            if (k == P_RO)
                ok = base.r >= 0 ? r.r == -1 && r.e == EFAULT : same(r, base);
            else
                ok = r.r == -1 && r.e == EFAULT;
            if (k == P_RO) {
                ro_fill(NULL, 0);
            }
            if (!ok)
                FAIL("getsockopt(%s, %d, length %s = %#x): %d/%d (good memory: %d/%d)\n",
                     tname(p->type), name, ptr_name[k], len, r.r, r.e, base.r, base.e);
        }
    }
}

TEST(options)
{
    for (int t = 0; t < 2; t++) {
        struct pair p;
        make_pair(&p, t ? SOCK_SEQPACKET : SOCK_STREAM, t_port(t));
        for (int name = 0; name <= MAX_OPT; name++) {
            sweep_get(&p, name);
            sweep_set(&p, name);
        }
        still_works(&p);
        close(p.fd), close(p.peer);
        if (p.lsn >= 0)
            close(p.lsn);
    }
}

/* --- sendmsg: control messages and msghdr fields --- */

static struct res do_sendmsg(struct pair *p, const struct msghdr *m)
{
    errno = 0;
    ssize_t r = sendmsg(p->fd, m, MSG_DONTWAIT);
    calls++;
    struct res out = {(int)r, errno};
    if (r > 0) { /* take it off the peer again */
        char buf[256];
        wait_readable(p->peer);
        CHECK_EQ(recv(p->peer, buf, sizeof buf, 0), r);
    }
    return out;
}

/* A message of one byte to the peer: msg_name on a one-to-many socket. */
static struct msghdr one_byte(struct pair *p, struct iovec *iv)
{
    iv->iov_base = "x";
    iv->iov_len = 1;
    struct msghdr m = {.msg_iov = iv, .msg_iovlen = 1};
    if (p->type == SOCK_SEQPACKET) {
        m.msg_name = &p->to;
        m.msg_namelen = sizeof p->to;
    }
    return m;
}

static unsigned cmsg_size(int type)
{
    switch (type) {
    case SCTP_INIT: return sizeof(struct sctp_initmsg);
    case SCTP_SNDRCV: return sizeof(struct sctp_sndrcvinfo);
    case SCTP_SNDINFO: return sizeof(struct sctp_sndinfo);
    case SCTP_RCVINFO: return sizeof(struct sctp_rcvinfo);
    case SCTP_NXTINFO: return sizeof(struct sctp_nxtinfo);
    case SCTP_PRINFO: return sizeof(struct sctp_prinfo);
    case SCTP_AUTHINFO: return sizeof(struct sctp_authinfo);
    case SCTP_DSTADDRV4: return sizeof(struct in_addr);
    case SCTP_DSTADDRV6: return sizeof(struct in6_addr);
    }
    return 8;
}

/* sctp_msghdr_parse on one SCTP cmsg of zeros, cmsg_len len: accepted? */
static int kcmsg_ok(int type, unsigned len)
{
    if (len < sizeof(struct cmsghdr))
        return 0;
    switch (type) {
    case SCTP_INIT:
    case SCTP_SNDRCV:
    case SCTP_SNDINFO:
    case SCTP_PRINFO:
    case SCTP_AUTHINFO:
        return len == CMSG_LEN(cmsg_size(type));
    case SCTP_DSTADDRV4:
    case SCTP_DSTADDRV6:
        return 1; /* only read when an association is set up */
    }
    return 0; /* SCTP_RCVINFO, SCTP_NXTINFO and unknown types */
}

TEST(cmsgs)
{
    union {
        struct cmsghdr align;
        char b[512];
    } ctl;
    for (int t = 0; t < 2; t++) {
        struct pair p;
        make_pair(&p, t ? SOCK_SEQPACKET : SOCK_STREAM, t_port(2 + t));
        struct iovec iv;
        for (int level = 0; level < 3; level++) {
            int lv = level == 0 ? IPPROTO_SCTP : level == 1 ? SOL_SOCKET : IPPROTO_IP;
            for (int type = 0; type <= 12; type++) {
                unsigned sz = cmsg_size(type);
                unsigned lens[] = {0, 1, 15, CMSG_LEN(0), CMSG_LEN(sz) - 1,
                                   CMSG_LEN(sz), CMSG_LEN(sz) + 1, CMSG_SPACE(sz),
                                   sizeof ctl.b + 1};
                for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
                    memset(&ctl, 0, sizeof ctl);
                    ctl.align.cmsg_level = lv;
                    ctl.align.cmsg_type = type;
                    ctl.align.cmsg_len = lens[i];
                    struct msghdr m = one_byte(&p, &iv);
                    m.msg_control = ctl.b;
                    /* exactly this cmsg, so that nothing after it counts */
                    m.msg_controllen = lens[i] < CMSG_LEN(0) ? CMSG_LEN(0)
                                       : lens[i] > sizeof ctl.b ? sizeof ctl.b
                                                                : lens[i];
                    int want = lens[i] >= CMSG_LEN(0) && lens[i] <= sizeof ctl.b &&
                               (lv != IPPROTO_SCTP || kcmsg_ok(type, lens[i]));
                    struct res r = do_sendmsg(&p, &m);
                    if (want ? r.r != 1 : r.r != -1 || r.e != EINVAL)
                        FAIL("sendmsg(%s, cmsg %d/%d len %u): %d/%d, the kernel: %s\n",
                             tname(p.type), lv, type, lens[i], r.r, r.e,
                             want ? "1" : "EINVAL");
                    /* and the same cmsg in bad memory */
                    if (lens[i] >= CMSG_LEN(0) && lens[i] <= sizeof ctl.b) {
                        for (int k = P_NULL; k < P_KINDS; k++) {
                            char *q = ptr(k);
                            if (k == P_RO) {
                                ro_fill(ctl.b, m.msg_controllen);
                            }
                            m.msg_control = q;
                            struct res b = do_sendmsg(&p, &m);
                            if (k == P_RO ? !same(b, r) : b.r != -1 || b.e != EFAULT)
                                FAIL("sendmsg(%s, cmsg %d/%d len %u in %s): %d/%d\n",
                                     tname(p.type), lv, type, lens[i], ptr_name[k],
                                     b.r, b.e);
                        }
                        ro_fill(NULL, 0);
                    }
                }
            }
        }
        /* The flags of SCTP_SNDRCV and SCTP_SNDINFO, one bit at a time,
         * and every value of SCTP_PRINFO's policy: anything the kernel
         * does not define is EINVAL (SCTP_ABORT, SCTP_EOF and
         * SCTP_SENDALL end or multiply the message, and are left out). */
        const unsigned allowed = SCTP_UNORDERED | SCTP_ADDR_OVER | SCTP_SACK_IMMEDIATELY |
                                 SCTP_SENDALL | SCTP_PR_SCTP_MASK | SCTP_ABORT | SCTP_EOF;
        for (int type = SCTP_SNDRCV; type <= SCTP_SNDINFO; type++) {
            for (unsigned bit = 1; bit <= 0x8000; bit <<= 1) {
                if (bit & (SCTP_ABORT | SCTP_EOF | SCTP_SENDALL))
                    continue;
                memset(&ctl, 0, sizeof ctl);
                ctl.align.cmsg_level = IPPROTO_SCTP;
                ctl.align.cmsg_type = type;
                ctl.align.cmsg_len = CMSG_LEN(cmsg_size(type));
                uint16_t f = (uint16_t)bit;
                if (type == SCTP_SNDRCV)
                    memcpy(CMSG_DATA(&ctl.align) + offsetof(struct sctp_sndrcvinfo, sinfo_flags), &f, 2);
                else
                    memcpy(CMSG_DATA(&ctl.align) + offsetof(struct sctp_sndinfo, snd_flags), &f, 2);
                struct msghdr m = one_byte(&p, &iv);
                m.msg_control = ctl.b;
                m.msg_controllen = CMSG_SPACE(cmsg_size(type));
                struct res r = do_sendmsg(&p, &m);
                int want = (bit & allowed) && !(bit == SCTP_ADDR_OVER && !m.msg_name);
                if (want ? r.r != 1 : r.r != -1 || r.e != EINVAL)
                    FAIL("sendmsg(%s, cmsg %d flags %#x): %d/%d\n", tname(p.type), type,
                         bit, r.r, r.e);
            }
        }
        for (unsigned pol = 0; pol <= 0xffff; pol = pol ? pol << 1 : 1) {
            for (int twice = 0; twice < 2; twice++) {
                uint16_t v = (uint16_t)(twice ? pol | SCTP_PR_SCTP_TTL : pol);
                memset(&ctl, 0, sizeof ctl);
                ctl.align.cmsg_level = IPPROTO_SCTP;
                ctl.align.cmsg_type = SCTP_PRINFO;
                ctl.align.cmsg_len = CMSG_LEN(sizeof(struct sctp_prinfo));
                memcpy(CMSG_DATA(&ctl.align), &v, 2);
                struct msghdr m = one_byte(&p, &iv);
                m.msg_control = ctl.b;
                m.msg_controllen = CMSG_SPACE(sizeof(struct sctp_prinfo));
                struct res r = do_sendmsg(&p, &m);
                int want = !(v & ~SCTP_PR_SCTP_MASK);
                if (want ? r.r != 1 : r.r != -1 || r.e != EINVAL)
                    FAIL("sendmsg(%s, SCTP_PRINFO policy %#x): %d/%d\n", tname(p.type),
                         v, r.r, r.e);
            }
        }
        still_works(&p);
        close(p.fd), close(p.peer);
        if (p.lsn >= 0)
            close(p.lsn);
    }
}

/* Every pointer and length of a sendmsg's msghdr. */
TEST(send_fields)
{
    for (int t = 0; t < 2; t++) {
        struct pair p;
        make_pair(&p, t ? SOCK_SEQPACKET : SOCK_STREAM, t_port(4 + t));
        struct iovec iv;
        struct msghdr m = one_byte(&p, &iv);
        /* the header itself */
        for (int k = P_NULL; k < P_KINDS; k++) {
            if (k == P_RO) {
                ro_fill(&m, sizeof m);
            }
            struct res r = do_sendmsg(&p, ptr(k));
            if (k == P_RO ? r.r != 1 : r.r != -1 || r.e != EFAULT)
                FAIL("sendmsg(%s, msghdr %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
        }
        /* the iovec array, and a buffer */
        for (int k = P_NULL; k < P_KINDS; k++) {
            m = one_byte(&p, &iv);
            if (k == P_RO) {
                ro_fill(&iv, sizeof iv);
            }
            m.msg_iov = ptr(k);
            struct res r = do_sendmsg(&p, &m);
            if (k == P_RO ? r.r != 1 : r.r != -1 || r.e != EFAULT)
                FAIL("sendmsg(%s, msg_iov %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
            m = one_byte(&p, &iv);
            iv.iov_base = ptr(k);
            if (k == P_RO) { /* read-only data is data */
                CHECK_EQ(do_sendmsg(&p, &m).r, 1);
                continue;
            }
            r = do_sendmsg(&p, &m);
            if (r.r != -1 || r.e != EFAULT)
                FAIL("sendmsg(%s, iov_base %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
        }
        m = one_byte(&p, &iv);
        m.msg_iovlen = 1025;
        struct res r = do_sendmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EMSGSIZE);
        m.msg_iovlen = (size_t)-1;
        r = do_sendmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EMSGSIZE);
        m = one_byte(&p, &iv);
        iv.iov_len = HUGE_LEN; /* larger than the send buffer */
        r = do_sendmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EMSGSIZE);
        iv.iov_len = 0;
        iv.iov_base = NULL;
        r = do_sendmsg(&p, &m); /* no data and no SCTP_EOF */
        CHECK(r.r == -1 && r.e == EINVAL);
        /* the control area */
        for (int k = P_NULL; k < P_KINDS; k++) {
            m = one_byte(&p, &iv);
            m.msg_control = ptr(k);
            m.msg_controllen = CMSG_SPACE(sizeof(struct sctp_sndinfo));
            r = do_sendmsg(&p, &m);
            /* zeros: a cmsg of length 0, which the kernel refuses */
            if (r.r != -1 || r.e != (k == P_RO ? EINVAL : EFAULT))
                FAIL("sendmsg(%s, msg_control %s): %d/%d\n", tname(p.type), ptr_name[k],
                     r.r, r.e);
        }
        m = one_byte(&p, &iv);
        m.msg_control = good;
        m.msg_controllen = (size_t)INT_MAX + 1;
        r = do_sendmsg(&p, &m);
        CHECK(r.r == -1 && r.e == ENOBUFS);
        m.msg_controllen = 15; /* too short for a cmsghdr: none */
        CHECK_EQ(do_sendmsg(&p, &m).r, 1);
        m.msg_control = NULL;
        m.msg_controllen = 0;
        CHECK_EQ(do_sendmsg(&p, &m).r, 1);
        /* the destination */
        for (int k = P_NULL; k < P_KINDS; k++) {
            m = one_byte(&p, &iv);
            if (k == P_RO) {
                ro_fill(&p.to, sizeof p.to);
            }
            m.msg_name = ptr(k);
            m.msg_namelen = sizeof p.to;
            r = do_sendmsg(&p, &m);
            if (k == P_NULL) /* no destination: the association by id 0 */
                continue;
            if (k == P_RO ? p.type == SOCK_SEQPACKET && r.r != 1
                          : r.r != -1 || r.e != EFAULT)
                FAIL("sendmsg(%s, msg_name %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
        }
        m = one_byte(&p, &iv);
        m.msg_name = &p.to;
        m.msg_namelen = (socklen_t)-1;
        r = do_sendmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EINVAL);
        if (p.type == SOCK_SEQPACKET) {
            unsigned short_lens[] = {1, 3, 15};
            for (int i = 0; i < 3; i++) {
                m.msg_namelen = short_lens[i];
                r = do_sendmsg(&p, &m);
                if (r.r != -1 || r.e != EINVAL)
                    FAIL("sendmsg(one-to-many, msg_namelen %u): %d/%d\n", short_lens[i],
                         r.r, r.e);
            }
            /* longer than the address: the kernel reads at most a
             * sockaddr_storage, and the name is what counts */
            union {
                struct sockaddr_in sin;
                char b[1000];
            } big;
            memset(&big, 0, sizeof big);
            big.sin = p.to;
            m.msg_name = &big;
            m.msg_namelen = 1000;
            CHECK_EQ(do_sendmsg(&p, &m).r, 1);
        }
        still_works(&p);
        close(p.fd), close(p.peer);
        if (p.lsn >= 0)
            close(p.lsn);
    }
}

/* --- recvmsg's msghdr --- */

static int queued;

static void have_message(struct pair *p)
{
    if (queued)
        return;
    const struct sockaddr *to = p->type == SOCK_SEQPACKET ? (void *)&p->to : NULL;
    CHECK_EQ(sendto(p->fd, "msg", 3, 0, to, to ? sizeof p->to : 0), 3);
    wait_readable(p->peer);
    queued = 1;
}

static struct res do_recvmsg(struct pair *p, struct msghdr *m)
{
    have_message(p);
    errno = 0;
    ssize_t r = recvmsg(p->peer, m, MSG_DONTWAIT);
    calls++;
    if (r >= 0)
        queued = 0;
    return (struct res){(int)r, errno};
}

TEST(recv_fields)
{
    for (int t = 0; t < 2; t++) {
        struct pair p;
        make_pair(&p, t ? SOCK_SEQPACKET : SOCK_STREAM, t_port(6 + t));
        int on = 1;
        CHECK_EQ(setsockopt(p.peer, SOL_SCTP, SCTP_RECVRCVINFO, &on, sizeof on), 0);
        queued = 0;
        char buf[64], ctl[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct sockaddr_in from;
        struct iovec iv;
        struct msghdr m;
#define RESET()                                                             \
    do {                                                                    \
        iv = (struct iovec){buf, sizeof buf};                               \
        m = (struct msghdr){.msg_name = &from, .msg_namelen = sizeof from,  \
                            .msg_iov = &iv, .msg_iovlen = 1,                \
                            .msg_control = ctl, .msg_controllen = sizeof ctl}; \
    } while (0)
        for (int k = P_NULL; k < P_KINDS; k++) {
            RESET();
            if (k == P_RO) {
                ro_fill(&m, sizeof m);
            }
            struct res r = do_recvmsg(&p, ptr(k));
            if (r.r != -1 || r.e != EFAULT)
                FAIL("recvmsg(%s, msghdr %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
            RESET();
            if (k == P_RO) {
                ro_fill(&iv, sizeof iv);
            }
            m.msg_iov = ptr(k);
            r = do_recvmsg(&p, &m);
            /* read-only, the array is only read: its buffer is good */
            if (k == P_RO ? r.r != 3 : r.r != -1 || r.e != EFAULT)
                FAIL("recvmsg(%s, msg_iov %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
            RESET();
            iv.iov_base = ptr(k);
            r = do_recvmsg(&p, &m);
            if (r.r != -1 || r.e != EFAULT)
                FAIL("recvmsg(%s, iov_base %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
            RESET();
            m.msg_name = ptr(k);
            r = do_recvmsg(&p, &m);
            if (k == P_NULL ? r.r != 3 : r.r != -1 || r.e != EFAULT)
                FAIL("recvmsg(%s, msg_name %s): %d/%d\n", tname(p.type), ptr_name[k], r.r, r.e);
            /* a control area the kernel cannot write: no ancillary data,
             * and for none at all (NULL), MSG_CTRUNC (put_cmsg) */
            RESET();
            m.msg_control = ptr(k);
            r = do_recvmsg(&p, &m);
            if (r.r != 3 || m.msg_controllen != 0 ||
                !(m.msg_flags & MSG_CTRUNC) != (k != P_NULL))
                FAIL("recvmsg(%s, msg_control %s): %d/%d, controllen %zu flags %#x\n",
                     tname(p.type), ptr_name[k], r.r, r.e, (size_t)m.msg_controllen,
                     m.msg_flags);
        }
        RESET();
        m.msg_namelen = (socklen_t)-1;
        struct res r = do_recvmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EINVAL);
        RESET();
        m.msg_iovlen = 1025;
        r = do_recvmsg(&p, &m);
        CHECK(r.r == -1 && r.e == EMSGSIZE);
        RESET();
        m.msg_namelen = 0; /* nothing written to msg_name */
        m.msg_name = bm_page(BM_NONE, 0, 0);
        CHECK_EQ(do_recvmsg(&p, &m).r, 3);
        RESET();
        CHECK_EQ(do_recvmsg(&p, &m).r, 3);
        CHECK(!(m.msg_flags & MSG_CTRUNC));
        CHECK_EQ(m.msg_controllen, sizeof ctl);
        still_works(&p);
        close(p.fd), close(p.peer);
        if (p.lsn >= 0)
            close(p.lsn);
    }
}

/* The wrong successes issue 12 found, each as the kernel refuses it: a
 * PR-SCTP policy where Linux defines none (in a default's flags, which
 * take no policy at all; outside SCTP_PR_SCTP_MASK in a cmsg or in
 * sctp_sendv's info), and an SCTP_AUTHINFO of the wrong length. */
TEST(wrong_successes)
{
    for (int t = 0; t < 2; t++) {
        struct pair p;
        make_pair(&p, t ? SOCK_SEQPACKET : SOCK_STREAM, t_port(8 + t));
        const uint16_t refused[] = {SCTP_PR_SCTP_TTL, SCTP_PR_SCTP_RTX, SCTP_PR_SCTP_PRIO,
                                    SCTP_SACK_IMMEDIATELY, SCTP_SENDALL, 0x80, 0x100};
        for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
            struct sctp_sndrcvinfo sr = {.sinfo_flags = refused[i]};
            CHECK_ERR(setsockopt(p.fd, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &sr, sizeof sr),
                      EINVAL);
            struct sctp_sndinfo si = {.snd_flags = refused[i]};
            CHECK_ERR(setsockopt(p.fd, SOL_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof si),
                      EINVAL);
        }
        struct sctp_sndrcvinfo sr = {.sinfo_flags = SCTP_UNORDERED};
        CHECK_EQ(setsockopt(p.fd, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &sr, sizeof sr), 0);
        sr.sinfo_flags = 0;
        CHECK_EQ(setsockopt(p.fd, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &sr, sizeof sr), 0);
        struct sctp_default_prinfo dp = {.pr_policy = 0x40};
        CHECK_ERR(setsockopt(p.fd, SOL_SCTP, SCTP_DEFAULT_PRINFO, &dp, sizeof dp), EINVAL);

        union {
            struct cmsghdr h;
            char b[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
        } ctl;
        struct iovec iv;
        struct msghdr m = one_byte(&p, &iv);
        m.msg_control = ctl.b;
        /* bits of sinfo_flags Linux gives no meaning in a send (0x80 is
         * SCTP_PR_SCTP_ALL, a policy only PR_*_STATUS take) */
        const uint16_t bad_flags[] = {0x80, 0x100, 0x400, 0x1000, 0x8000, 0xff80};
        for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
            memset(&ctl, 0, sizeof ctl);
            ctl.h.cmsg_level = IPPROTO_SCTP;
            ctl.h.cmsg_type = SCTP_SNDRCV;
            ctl.h.cmsg_len = CMSG_LEN(sizeof(struct sctp_sndrcvinfo));
            ((struct sctp_sndrcvinfo *)CMSG_DATA(&ctl.h))->sinfo_flags = bad_flags[i];
            m.msg_controllen = ctl.h.cmsg_len;
            CHECK_ERR(sendmsg(p.fd, &m, 0), EINVAL);
        }
        const uint16_t bad_policy[] = {0x40, 0x80, 0x0f, 0x31, 0xffff};
        for (size_t i = 0; i < sizeof bad_policy / sizeof bad_policy[0]; i++) {
            memset(&ctl, 0, sizeof ctl);
            ctl.h.cmsg_level = IPPROTO_SCTP;
            ctl.h.cmsg_type = SCTP_PRINFO;
            ctl.h.cmsg_len = CMSG_LEN(sizeof(struct sctp_prinfo));
            ((struct sctp_prinfo *)CMSG_DATA(&ctl.h))->pr_policy = bad_policy[i];
            m.msg_controllen = ctl.h.cmsg_len;
            CHECK_ERR(sendmsg(p.fd, &m, 0), EINVAL);
            struct sctp_prinfo pi = {.pr_policy = bad_policy[i]};
            struct iovec one = {"x", 1};
            struct sockaddr *to = p.type == SOCK_SEQPACKET ? (struct sockaddr *)&p.to : NULL;
            CHECK_ERR(sctp_sendv(p.fd, &one, 1, to, to ? 1 : 0, &pi, sizeof pi,
                                 SCTP_SENDV_PRINFO, 0), EINVAL);
            struct sctp_sendv_spa spa = {.sendv_flags = SCTP_SEND_PRINFO_VALID};
            spa.sendv_prinfo.pr_policy = bad_policy[i];
            CHECK_ERR(sctp_sendv(p.fd, &one, 1, to, to ? 1 : 0, &spa, sizeof spa,
                                 SCTP_SENDV_SPA, 0), EINVAL);
        }
        const unsigned auth_len[] = {CMSG_LEN(0), CMSG_LEN(1), CMSG_LEN(2) + 1, CMSG_LEN(4),
                                     CMSG_SPACE(2)};
        for (size_t i = 0; i < sizeof auth_len / sizeof auth_len[0]; i++) {
            memset(&ctl, 0, sizeof ctl);
            ctl.h.cmsg_level = IPPROTO_SCTP;
            ctl.h.cmsg_type = SCTP_AUTHINFO;
            ctl.h.cmsg_len = auth_len[i];
            m.msg_controllen = CMSG_ALIGN(auth_len[i]);
            CHECK_ERR(sendmsg(p.fd, &m, 0), EINVAL);
        }
        ctl.h.cmsg_len = CMSG_LEN(sizeof(struct sctp_authinfo));
        m.msg_controllen = ctl.h.cmsg_len;
        CHECK_EQ(do_sendmsg(&p, &m).r, 1);
        still_works(&p);
        close(p.fd), close(p.peer);
        if (p.lsn >= 0)
            close(p.lsn);
    }
}

int main(int argc, char **argv)
{
    good = region(PROT_READ | PROT_WRITE);
    ro = region(PROT_READ);
#define ONE(name) if (argc < 2 || !strcmp(argv[1], #name)) RUN(name)
    ONE(options);
    ONE(cmsgs);
    ONE(send_fields);
    ONE(recv_fields);
    ONE(wrong_successes);
    printf("sweep: %d calls, %d wrong answers\n", calls, failures_seen);
    CHECK_EQ(failures_seen, 0);
    t_done("sweep");
    return 0;
}
