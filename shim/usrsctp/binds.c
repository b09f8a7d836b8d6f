/* Which local addresses each SCTP port is bound to, and from which of them
 * a packet leaves.
 *
 * usrsctp writes a source address into the IP header it builds, but its
 * encapsulated packets leave through a UDP socket bound to the wildcard
 * address with no source given, so the kernel picks one by its routing:
 * an endpoint bound to a secondary address answered from the primary one,
 * and the peer, which knows no such address, aborted.  The send hook
 * (wire.c) names the source with IP_PKTINFO / IPV6_PKTINFO for endpoints
 * bound to addresses of their own, as Linux SCTP chooses it: the address
 * the route to the peer prefers if the endpoint has it, else the one
 * usrsctp picked among the endpoint's.  A wildcard endpoint keeps the
 * kernel's choice (usrsctp's own, in userland, ignores the route). */
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"
#include "usrsctp/stack.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>

#include "base/real.h"

#define BIND_ADDRS 16

struct bound {
    uint16_t port; /* host order */
    int refs;
    int wildcard;
    int n;
    struct sockaddr_storage addrs[BIND_ADDRS];
    UT_hash_handle hh;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct bound *ports;

static int is_wildcard(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == INADDR_ANY;
}

/* An IPv4 address in IPv6 clothes is an IPv4 address to usrsctp and on
 * the wire. */
static void plain(const struct sockaddr *sa, struct sockaddr_storage *out)
{
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
        struct sockaddr_in *a = (struct sockaddr_in *)out;
        a->sin_family = AF_INET;
        a->sin_port = a6->sin6_port;
        memcpy(&a->sin_addr, &a6->sin6_addr.s6_addr[12], 4);
    } else {
        memcpy(out, sa, ip_addr_len(sa));
    }
}

static void add_locked(struct bound *b, const struct sockaddr *given)
{
    struct sockaddr_storage ss;
    plain(given, &ss);
    const struct sockaddr *sa = (const struct sockaddr *)&ss;
    if (is_wildcard(sa)) {
        b->wildcard = 1;
        return;
    }
    for (int i = 0; i < b->n; i++)
        if (ip_same_addr((struct sockaddr *)&b->addrs[i], sa))
            return;
    if (b->n < BIND_ADDRS)
        memcpy(&b->addrs[b->n++], sa, ip_addr_len(sa));
}

/* A socket bound (or added) addresses on port: it holds the port's entry
 * until binds_release.  ref: this call takes the socket's reference. */
void binds_add(uint16_t port, const struct sockaddr *addrs, int cnt, int ref)
{
    if (cnt <= 0 || !port)
        return;
    struct bound *b;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &port, sizeof port, b);
    if (!b && (b = calloc(1, sizeof *b)) != NULL) {
        b->port = port;
        HASH_ADD(hh, ports, port, sizeof port, b);
    }
    if (b) {
        b->refs += ref;
        const char *p = (const char *)addrs;
        for (int i = 0; i < cnt; i++) {
            const struct sockaddr *sa = (const struct sockaddr *)p;
            add_locked(b, sa);
            p += ip_addr_len(sa);
        }
    }
    pthread_mutex_unlock(&lock);
}

void binds_remove(uint16_t port, const struct sockaddr *addrs, int cnt)
{
    if (cnt <= 0)
        return;
    struct bound *b;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &port, sizeof port, b);
    const char *p = (const char *)addrs;
    for (int i = 0; b && i < cnt; i++) {
        const struct sockaddr *given = (const struct sockaddr *)p;
        struct sockaddr_storage ss;
        plain(given, &ss);
        for (int j = 0; j < b->n; j++)
            if (ip_same_addr((struct sockaddr *)&b->addrs[j], (struct sockaddr *)&ss)) {
                b->addrs[j] = b->addrs[--b->n];
                break;
            }
        p += ip_addr_len(given);
    }
    pthread_mutex_unlock(&lock);
}

void binds_ref(uint16_t port)
{
    struct bound *b;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &port, sizeof port, b);
    if (b)
        b->refs++;
    pthread_mutex_unlock(&lock);
}

void binds_release(uint16_t port)
{
    struct bound *b;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &port, sizeof port, b);
    if (b && --b->refs <= 0) {
        HASH_DEL(ports, b);
        free(b);
    }
    pthread_mutex_unlock(&lock);
}

/* The kernel's preferred source for a destination, cached for a second
 * (routes change: a link goes down, an address is added). */
#define ROUTE_CACHE 64
static struct {
    struct sockaddr_storage dst, src;
    time_t until;
} routes[ROUTE_CACHE];
static int next_route;

static int route_source(const struct sockaddr *dst, struct sockaddr_storage *src)
{
    time_t now = time(NULL);
    for (int i = 0; i < ROUTE_CACHE; i++)
        if (routes[i].until >= now &&
            ip_same_addr((struct sockaddr *)&routes[i].dst, dst)) {
            *src = routes[i].src;
            return 0;
        }
    int fd = real.socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    socklen_t l = sizeof *src;
    struct sockaddr_storage d;
    memcpy(&d, dst, ip_addr_len(dst));
    if (d.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&d)->sin6_port = htons(9);
    else
        ((struct sockaddr_in *)&d)->sin_port = htons(9);
    int ok = fd >= 0 && real.connect(fd, (struct sockaddr *)&d, (socklen_t)ip_addr_len(dst)) == 0 &&
             real.getsockname(fd, (struct sockaddr *)src, &l) == 0;
    if (fd >= 0)
        real.close(fd);
    if (!ok)
        return -1;
    int i = next_route++ % ROUTE_CACHE;
    memcpy(&routes[i].dst, dst, ip_addr_len(dst));
    routes[i].src = *src;
    routes[i].until = now + 1;
    return 0;
}

int binds_source(uint16_t sport, const struct sockaddr *dst,
                 const struct sockaddr *picked, struct sockaddr_storage *src)
{
    struct bound *b;
    int r = -1;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &sport, sizeof sport, b);
    if (b && !b->wildcard && b->n) {
        struct sockaddr_storage pref;
        const struct sockaddr *chosen = NULL;
        if (route_source(dst, &pref) == 0)
            for (int i = 0; i < b->n && !chosen; i++)
                if (ip_same_addr((struct sockaddr *)&b->addrs[i], (struct sockaddr *)&pref))
                    chosen = (struct sockaddr *)&b->addrs[i];
        for (int i = 0; i < b->n && !chosen && picked; i++)
            if (ip_same_addr((struct sockaddr *)&b->addrs[i], picked))
                chosen = (struct sockaddr *)&b->addrs[i];
        for (int i = 0; i < b->n && !chosen; i++)
            if (b->addrs[i].ss_family == dst->sa_family)
                chosen = (struct sockaddr *)&b->addrs[i];
        if (chosen) {
            memcpy(src, chosen, ip_addr_len(chosen));
            r = 0;
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

int binds_local_for(uint16_t sport, const struct sockaddr *peer,
                    struct sockaddr_storage *local)
{
    if (binds_source(sport, peer, NULL, local) == 0)
        return 0;
    pthread_mutex_lock(&lock);
    int r = route_source(peer, local);
    pthread_mutex_unlock(&lock);
    return r;
}

int stk_bound_count(struct stk_sock *s)
{
    struct bound *b;
    int n = -1;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, ports, &s->port, sizeof s->port, b);
    if (b)
        n = b->wildcard ? 1 : b->n;
    pthread_mutex_unlock(&lock);
    return n;
}

void binds_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    ports = NULL; /* the parent's sockets: not the child's */
}
