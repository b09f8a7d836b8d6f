#include "linux/addr.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "base/real.h"
#include "core/registry.h"
#include "core/sock.h"

socklen_t lx_addr_len(const struct sockaddr *sa)
{
    switch (sa->sa_family) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    }
    return 0;
}

int lx_addr_check(const struct ssock *s, const struct sockaddr *sa,
                  socklen_t len)
{
    if (!sa || len < sizeof(sa_family_t)) {
        errno = EINVAL;
        return -1;
    }
    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
        errno = s->family == AF_INET ? EINVAL : EAFNOSUPPORT;
        return -1;
    }
    if (len < lx_addr_len(sa) ||
        (s->family == AF_INET && sa->sa_family == AF_INET6) ||
        (s->v6only && sa->sa_family == AF_INET)) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

uint16_t lx_addr_port(const struct sockaddr *sa)
{
    return ntohs(sa->sa_family == AF_INET6
                     ? ((const struct sockaddr_in6 *)sa)->sin6_port
                     : ((const struct sockaddr_in *)sa)->sin_port);
}

void lx_addr_set_port(struct sockaddr *sa, uint16_t port)
{
    if (sa->sa_family == AF_INET6)
        ((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
    else
        ((struct sockaddr_in *)sa)->sin_port = htons(port);
}

void lx_addr_out(const struct ssock *s, const struct sockaddr *in,
                 struct sockaddr *out, socklen_t *len)
{
    struct sockaddr_in6 mapped;
    const struct sockaddr *src = in;
    if (s->family == AF_INET6 && s->v4mapped && in->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)in;
        memset(&mapped, 0, sizeof mapped);
        mapped.sin6_family = AF_INET6;
        mapped.sin6_port = v4->sin_port;
        mapped.sin6_addr.s6_addr[10] = 0xff;
        mapped.sin6_addr.s6_addr[11] = 0xff;
        memcpy(&mapped.sin6_addr.s6_addr[12], &v4->sin_addr, 4);
        src = (const struct sockaddr *)&mapped;
    }
    socklen_t full = lx_addr_len(src);
    if (!out || !len)
        return;
    struct sockaddr_in6 v6;
    if (src->sa_family == AF_INET6) {
        /* The stack hands back what the program passed to connect;
         * Linux shows no flow label, and a scope only where it means
         * something. */
        memcpy(&v6, src, sizeof v6);
        v6.sin6_flowinfo = 0;
        if (!IN6_IS_ADDR_LINKLOCAL(&v6.sin6_addr))
            v6.sin6_scope_id = 0;
        src = (const struct sockaddr *)&v6;
    }
    memcpy(out, src, *len < full ? *len : full);
    *len = full;
}

/* An address is this host's if a datagram socket can bind to it. */
static int is_local(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)sa;
        if ((ntohl(v4->sin_addr.s_addr) >> 24) == 127 ||
            v4->sin_addr.s_addr == INADDR_ANY)
            return 1;
    } else {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) ||
            IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr))
            return 1;
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) &&
            v6->sin6_addr.s6_addr[12] == 127)
            return 1;
    }
    int fd = real.socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_storage ss;
    memcpy(&ss, sa, lx_addr_len(sa));
    lx_addr_set_port((struct sockaddr *)&ss, 0);
    int ok = real.bind(fd, (struct sockaddr *)&ss, lx_addr_len(sa)) == 0;
    real.close(fd);
    return ok;
}

int lx_addr_remote_udp(const struct sockaddr *sa, uint16_t *udp_port)
{
    uint16_t u;
    int found = 0;
    if (is_local(sa)) {
        stk_addr_ensure(sa); /* usrsctp answers from it, or sends to it */
        found = registry_lookup(lx_addr_port(sa), &u);
        if (!found && stk_is_raw_mode()) {
            /* Raw IP: the other shimmed processes keep silent about
             * ports not theirs (sctp_blackhole), so the registry says. */
            errno = ECONNREFUSED;
            return -1;
        }
    }
    if (!found) {
        /* Another host, or on this one a port no shimmed process holds:
         * perhaps a stack that is not the shim's (a kernel with
         * net.sctp.udp_port, another userland stack) on the configured
         * port.  If nothing is there, ICMP port unreachable refuses it
         * at once; if a stack is there without the port, its ABORT. */
        const char *env = getenv("SCTPSHIM_UDP_PEER_PORT");
        u = env && *env ? (uint16_t)atoi(env) : 9899;
    }
    *udp_port = htons(u);
    return 0;
}

static int v4_unusable(uint32_t a) /* host order */
{
    return a == INADDR_BROADCAST || (a >> 28) == 0xe || (a >> 24) == 0 ||
           (a >> 8) == 0xc05863;
}

int lx_addr_unusable(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_unusable(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        uint32_t v4;
        memcpy(&v4, &a->s6_addr[12], 4);
        return v4_unusable(ntohl(v4));
    }
    return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_MULTICAST(a);
}

int lx_addr_is_local(const struct sockaddr *sa)
{
    return is_local(sa);
}

int lx_addr_reachable(const struct sockaddr *sa)
{
    if (is_local(sa))
        return 1;
    /* A UDP connect asks the kernel's routing table and sends nothing. */
    int fd = real.socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 1; /* cannot tell: let the stack try */
    int r = real.connect(fd, sa, lx_addr_len(sa));
    int e = errno;
    real.close(fd);
    return r == 0 || (e != ENETUNREACH && e != EHOSTUNREACH);
}
