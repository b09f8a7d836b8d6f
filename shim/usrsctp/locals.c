/* Associations with peers on this host, as their packets show them.
 *
 * A kernel aborts a dying process's associations at once; a shimmed
 * process takes its stack with it and sends nothing.  The survivor's shim
 * learns of the death from the registry (core/life.c), and needs what a
 * real ABORT from that peer would carry: our verification tag, which the
 * peer's every packet but an INIT shows.  Packets that arrive over the
 * loopback interface come from this host; for each association their
 * addresses, ports and tag are kept here. */
#include "usrsctp/internal.h"

#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <uthash.h>

struct key {
    uint8_t addr[16]; /* the peer's address (IPv4 in the first 4 bytes) */
    uint16_t family, udp, sport, dport; /* network order, as received */
};

struct local {
    struct key k;
    struct sockaddr_storage to; /* our address the packets came to */
    uint32_t vtag;
    int pid; /* the peer process, once known */
    UT_hash_handle hh;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct local *all;
static int count;
static int (*on_peer)(uint16_t udp);
static unsigned lo_index;

/* The table is a cache: when full, the oldest entries go. */
#define LOCALS_MAX 4096

void stk_on_local_peer(int (*fn)(uint16_t udp_port))
{
    on_peer = fn;
}

unsigned loopback_index(void)
{
    if (!lo_index)
        lo_index = if_nametoindex("lo");
    return lo_index;
}

/* The local address and interface of a received datagram (IP_PKTINFO /
 * IPV6_PKTINFO, which usrsctp asks for). */
int packet_arrival(const struct msghdr *msg, int family,
                   struct sockaddr_storage *to, unsigned *ifindex)
{
    memset(to, 0, sizeof *to);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c;
         c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
        if (family == AF_INET && c->cmsg_level == IPPROTO_IP &&
            c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            struct sockaddr_in *a = (struct sockaddr_in *)to;
            a->sin_family = AF_INET;
            a->sin_addr = pi.ipi_addr;
            *ifindex = (unsigned)pi.ipi_ifindex;
            return 0;
        }
        if (family == AF_INET6 && c->cmsg_level == IPPROTO_IPV6 &&
            c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)to;
            a->sin6_family = AF_INET6;
            a->sin6_addr = pi.ipi6_addr;
            *ifindex = pi.ipi6_ifindex;
            return 0;
        }
    }
    return -1;
}

static void make_key(struct key *k, const struct sockaddr *from,
                     const unsigned char *sh)
{
    memset(k, 0, sizeof *k);
    k->family = from->sa_family;
    if (from->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)from;
        memcpy(k->addr, &a->sin6_addr, 16);
        k->udp = a->sin6_port;
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)from;
        memcpy(k->addr, &a->sin_addr, 4);
        k->udp = a->sin_port;
    }
    memcpy(&k->sport, sh, 2);
    memcpy(&k->dport, sh + 2, 2);
}

void locals_note(int family, const struct msghdr *msg, const unsigned char *sh,
                 size_t len)
{
    struct sockaddr_storage to;
    unsigned ifindex = 0;
    if (len < 16 || !msg->msg_name || packet_arrival(msg, family, &to, &ifindex) < 0)
        return;
    addrs_seen((struct sockaddr *)&to); /* usrsctp must know where it came */
    if (ifindex != loopback_index())
        return;
    struct key k;
    make_key(&k, msg->msg_name, sh);
    if (ntohs(k.udp) == pk_udp_port())
        return; /* this very process: it cannot die apart */
    uint8_t type = sh[12];
    uint32_t vtag;
    memcpy(&vtag, sh + 4, 4);
    struct local *l;
    int fresh = 0;
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, all, &k, sizeof k, l);
    if (type == 6 || type == 14) { /* ABORT, SHUTDOWN COMPLETE: over */
        if (l) {
            HASH_DEL(all, l);
            free(l);
            count--;
        }
    } else if (type != 1) {
        /* Every chunk but an INIT (tag 0) carries ours (a reflected tag
         * comes only with the two above). */
        if (!l && (l = calloc(1, sizeof *l)) != NULL) {
            l->k = k;
            HASH_ADD(hh, all, k, sizeof k, l);
            fresh = 1;
            if (++count > LOCALS_MAX) {
                struct local *old = all; /* uthash keeps insertion order */
                HASH_DEL(all, old);
                free(old);
                count--;
            }
        }
        if (l) {
            /* Another tag on the same addresses and ports: a new
             * association, perhaps with a new process on the port. */
            if (l->vtag != vtag)
                fresh = 1;
            l->vtag = vtag;
            l->to = to;
        }
    }
    pthread_mutex_unlock(&lock);
    if (!fresh || !on_peer)
        return;
    int pid = on_peer(ntohs(k.udp));
    pthread_mutex_lock(&lock);
    HASH_FIND(hh, all, &k, sizeof k, l);
    if (l && l->vtag == vtag)
        l->pid = pid;
    pthread_mutex_unlock(&lock);
}

void stk_peer_gone(uint16_t udp, int pid)
{
    struct local *l, *tmp;
    int woke4 = 0, woke6 = 0;
    pthread_mutex_lock(&lock);
    HASH_ITER(hh, all, l, tmp) {
        if (ntohs(l->k.udp) != udp || l->pid != pid)
            continue;
        struct sockaddr_storage from;
        memset(&from, 0, sizeof from);
        if (l->k.family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&from;
            a->sin6_family = AF_INET6;
            memcpy(&a->sin6_addr, l->k.addr, 16);
            a->sin6_port = l->k.udp;
            woke6 = 1;
        } else {
            struct sockaddr_in *a = (struct sockaddr_in *)&from;
            a->sin_family = AF_INET;
            memcpy(&a->sin_addr, l->k.addr, 4);
            a->sin_port = l->k.udp;
            woke4 = 1;
        }
        /* From the peer's port to ours, with our tag. */
        inject_peer_death((struct sockaddr *)&from, (struct sockaddr *)&l->to,
                          l->k.sport, l->k.dport, l->vtag);
        HASH_DEL(all, l);
        free(l);
        count--;
    }
    pthread_mutex_unlock(&lock);
    if (woke4)
        inject_wake(AF_INET);
    if (woke6)
        inject_wake(AF_INET6);
}

void locals_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    all = NULL; /* the parent's: leaked, not touched */
    count = 0;
}
