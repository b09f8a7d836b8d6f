/* usrsctp side: the path MTU of new associations.
 *
 * usrsctp has no route MTU in userland and assumes 1500 bytes (1452 of SCTP
 * after the UDP and IP headers) on every path, loopback's 65536 included.
 * Each packet costs a system call and a wake-up of the receiving stack's
 * thread on both sides, so on fast paths the packet rate is the limit.
 * The shim takes the MTU from the kernel's route to the peer, capped below
 * what usrsctp can send as one packet (STK_MTU_CAP).
 *
 * usrsctp's spp_pathmtu is not an IP MTU: it is the room for chunks, and
 * usrsctp adds the IP header, the SCTP common header and, on an
 * encapsulated path, the UDP header on top (sctp_add_remote_addr).  Handing
 * it the route MTU made every full packet 40 bytes (IPv4 over UDP) too big
 * for the link, and the kernel split each in two IP fragments.  So the
 * shim hands it the route MTU less those headers.
 *
 * It is set as the endpoint default (SCTP_FUTURE_ASSOC), before the
 * association exists: usrsctp sizes an association's fragments from the
 * smallest MTU at set-up and a later raise does not change that (a later
 * fall does: stk_mtu_lower). */
#include "usrsctp/mtu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"
#include "usrsctp/usr.h"

/* Largest SCTP packet (IP header included) the shim lets usrsctp build.
 * usrsctp 0.9.5 hands a packet to sendmsg() in at most 32 pieces (its
 * mbufs) and silently drops one made of more, though it counts it sent
 * (user_socket.c, "mbuf chain couldn't be copied completely"); the
 * retransmissions are built alike and dropped alike, and the association
 * stalls for good.  A chunk lies in 2 KiB clusters and, at the end of a
 * message of 2048 k + r bytes (r up to 1 KiB), about five small mbufs, so
 * a 32 KiB packet of bundled 3 KiB messages needed 60 pieces (on loopback,
 * test_packing; one stall in 300 runs of test_epollet).  8 KiB packets
 * need at most about 27 whatever the sizes: one last fragment, two whole
 * messages with their small tails, one first fragment, the headers and a
 * SACK.  Loopback throughput is about a quarter lower than at 32 KiB. */
#define STK_MTU_CAP 8192
/* Linux SCTP's smallest path MTU (SCTP_DEFAULT_MINSEGMENT). */
#define STK_MTU_MIN 512

int mtu_headers(int family)
{
    return (family == AF_INET6 ? 40 : 20) + 12 + (pk_raw() ? 0 : 8);
}

/* usrsctp's spp_pathmtu for an IP MTU on a path of this family (0: keep
 * usrsctp's own). */
int mtu_room(int mtu, int family)
{
    const char *env = getenv("SCTPSHIM_PATH_MTU_CAP"); /* for measuring */
    int cap = env && *env ? atoi(env) : STK_MTU_CAP;
    if (mtu > cap)
        mtu = cap;
    if (mtu < STK_MTU_MIN)
        return 0;
    return mtu - mtu_headers(family);
}

int mtu_path_family(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6 &&
        IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr))
        return AF_INET;
    return sa->sa_family;
}

int mtu_route(const struct sockaddr *dst)
{
    socklen_t len = dst->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                               : sizeof(struct sockaddr_in);
    int fd = real.socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int mtu = 0;
    socklen_t ml = sizeof mtu;
    if (fd < 0)
        return 0;
    if (real.connect(fd, dst, len) < 0 ||
        real.getsockopt(fd, dst->sa_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
                        dst->sa_family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu,
                        &ml) < 0)
        mtu = 0;
    real.close(fd);
    return mtu;
}

/* Smallest MTU of the interfaces that are up, loopback aside: a listener
 * on the wildcard address does not know through which one its peers come. */
static int smallest_if_mtu(void)
{
    struct if_nameindex *ifs = if_nameindex();
    int fd = real.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int best = 0, lo = 0;
    for (struct if_nameindex *i = ifs; fd >= 0 && i && i->if_index; i++) {
        struct ifreq r;
        memset(&r, 0, sizeof r);
        strncpy(r.ifr_name, i->if_name, IFNAMSIZ - 1);
        if (real.ioctl(fd, SIOCGIFFLAGS, &r) < 0 || !(r.ifr_flags & IFF_UP))
            continue;
        int loop = (r.ifr_flags & IFF_LOOPBACK) != 0;
        if (real.ioctl(fd, SIOCGIFMTU, &r) < 0)
            continue;
        if (loop)
            lo = r.ifr_mtu;
        else if (!best || r.ifr_mtu < best)
            best = r.ifr_mtu;
    }
    if (fd >= 0)
        real.close(fd);
    if (ifs)
        if_freenameindex(ifs);
    return best ? best : lo;
}

static void set_default_mtu(struct stk_sock *s, int mtu)
{
    if (!mtu || mtu == s->default_mtu || s->mtu_fixed)
        return;
    struct sctp_paddrparams p;
    memset(&p, 0, sizeof p);
    p.spp_assoc_id = SCTP_FUTURE_ASSOC;
    p.spp_flags = SPP_PMTUD_DISABLE;
    p.spp_pathmtu = (uint32_t)mtu;
    int e = errno;
    if (usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &p,
                               sizeof p) == 0)
        s->default_mtu = mtu;
    errno = e;
}

static int same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
    size_t len = a->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                          : sizeof(struct sockaddr_in);
    return a->sa_family == b->ss_family && memcmp(a, b, len) == 0;
}

void stk_mtu_for_peer(struct stk_sock *s, const struct sockaddr *dst)
{
    if (dst->sa_family != AF_INET && dst->sa_family != AF_INET6)
        return;
    /* A one-to-many sender names its peer on every send. */
    if (same_addr(dst, &s->mtu_peer))
        return;
    size_t len = dst->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                            : sizeof(struct sockaddr_in);
    memcpy(&s->mtu_peer, dst, len);
    set_default_mtu(s, mtu_room(mtu_route(dst), mtu_path_family(dst)));
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return 0;
}

void stk_mtu_for_listener(struct stk_sock *s, const struct sockaddr *bound)
{
    int loop = bound && is_loopback(bound);
    /* Peers of a wildcard listener may come over either family: the
     * larger headers (IPv6) fit both. */
    int family = loop ? mtu_path_family(bound) : s->family;
    set_default_mtu(s, mtu_room(loop ? mtu_route(bound) : smallest_if_mtu(),
                                family));
}

/* Destinations whose path MTU fell, noted by the send hook inside
 * usrsctp's output (its locks held: no usrsctp call there), applied on
 * the next stack thread to come by. */
#define MTU_FALLS 16
static struct sockaddr_storage falls[MTU_FALLS];
static int n_falls;
int mtu_pending;
static pthread_mutex_t falls_lock = PTHREAD_MUTEX_INITIALIZER;

void mtu_fell(const struct sockaddr *dst)
{
    pthread_mutex_lock(&falls_lock);
    int known = 0;
    for (int i = 0; i < n_falls && !known; i++)
        known = memcmp(&falls[i], dst, ip_addr_len(dst)) == 0;
    if (!known && n_falls < MTU_FALLS)
        memcpy(&falls[n_falls++], dst, ip_addr_len(dst));
    __atomic_store_n(&mtu_pending, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&falls_lock);
}

struct path_mtu {
    const struct sockaddr *dst;
    uint32_t room;
};

/* One socket: its association with a path to dst, if any, takes the MTU
 * (usrsctp finds it by address; refused when there is none). */
static void set_path_mtu(struct stk_sock *s, void *arg)
{
    const struct path_mtu *p = arg;
    if (s->mtu_fixed)
        return; /* the program fixed it (SPP_PMTUD_DISABLE) */
    struct sctp_paddrparams pp;
    memset(&pp, 0, sizeof pp);
    memcpy(&pp.spp_address, p->dst, ip_addr_len(p->dst));
    pp.spp_flags = SPP_PMTUD_DISABLE;
    pp.spp_pathmtu = p->room;
    int e = errno;
    usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
                           sizeof pp);
    errno = e;
}

void mtu_apply(void)
{
    struct sockaddr_storage todo[MTU_FALLS];
    pthread_mutex_lock(&falls_lock);
    int n = n_falls;
    memcpy(todo, falls, sizeof todo);
    n_falls = 0;
    __atomic_store_n(&mtu_pending, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&falls_lock);
    for (int i = 0; i < n; i++) {
        const struct sockaddr *dst = (const struct sockaddr *)&todo[i];
        int mtu = mtu_route(dst);
        struct path_mtu p = {dst, (uint32_t)mtu_room(mtu, mtu_path_family(dst))};
        if (!p.room)
            continue;
        char a[INET6_ADDRSTRLEN] = "?";
        inet_ntop(dst->sa_family,
                  dst->sa_family == AF_INET6
                      ? (const void *)&((const struct sockaddr_in6 *)dst)->sin6_addr
                      : (const void *)&((const struct sockaddr_in *)dst)->sin_addr,
                  a, sizeof a);
        SHIM_LOG("path MTU to %s is now %d", a, mtu);
        socks_each(set_path_mtu, &p);
    }
}
