/* usrsctp side: the path MTU of new associations.
 *
 * usrsctp has no route MTU in userland and assumes 1500 bytes (1452 of SCTP
 * after the UDP and IP headers) on every path, loopback's 65536 included.
 * Each packet costs a system call and a wake-up of the receiving stack's
 * thread on both sides, so on fast paths the packet rate is the limit.
 * The shim takes the MTU from the kernel's route to the peer, capped below
 * what one UDP datagram (and usrsctp's 32-cluster receive chain) holds.
 *
 * It is set as the endpoint default (SCTP_FUTURE_ASSOC), before the
 * association exists: usrsctp sizes an association's fragments from the
 * smallest MTU at set-up and a later raise does not change that. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "real.h"
#include "stack.h"
#include "stk_internal.h"
#include "usr_api.h"

/* Largest SCTP packet (IP header included) the shim lets usrsctp build.
 * Measured on loopback: throughput grows up to here and stalls near 64 KiB,
 * where the datagram no longer fits usrsctp's receive chain. */
#define STK_MTU_CAP 32768
#define STK_MTU_MIN 1280

static int clamp(int mtu)
{
    const char *env = getenv("SCTPSHIM_PATH_MTU_CAP"); /* for measuring */
    int cap = env && *env ? atoi(env) : STK_MTU_CAP;
    if (mtu > cap)
        mtu = cap;
    return mtu < STK_MTU_MIN ? 0 : mtu;
}

/* The kernel's MTU for the route to dst, 0 when unknown. */
static int route_mtu(const struct sockaddr *dst)
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
        if (ioctl(fd, SIOCGIFFLAGS, &r) < 0 || !(r.ifr_flags & IFF_UP))
            continue;
        int loop = (r.ifr_flags & IFF_LOOPBACK) != 0;
        if (ioctl(fd, SIOCGIFMTU, &r) < 0)
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
    if (!mtu || mtu == s->default_mtu)
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
    set_default_mtu(s, clamp(route_mtu(dst)));
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
    set_default_mtu(s, clamp(bound && is_loopback(bound) ? route_mtu(bound)
                                                          : smallest_if_mtu()));
}
