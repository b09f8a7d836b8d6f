/* ICMP errors about the stack's own packets.
 *
 * usrsctp's userland build reads no ICMP: a connect to a host where
 * nothing listens on the encapsulation port waited out the INIT timer, and
 * an association whose peer process died retransmitted for minutes.  The
 * shim turns on IP_RECVERR / IPV6_RECVERR on the stack's UDP sockets; the
 * kernel then queues each ICMP error with the start of the packet it
 * quotes, which is our SCTP packet (RFC 6951: the UDP payload).  As RFC
 * 9260 (appendix C) and RFC 6951 (5.5) say:
 *   - port (or protocol) unreachable: the peer's stack is not there.  The
 *     quoted verification tag must be the peer's (usrsctp checks it, as
 *     the tag of a received ABORT with the T bit); tag 0 only with an
 *     INIT, whose initiate tag is then ours.  The association is ended
 *     as by an ABORT from the peer once every one of its peer addresses
 *     has reported it (at once when it has only one): ECONNREFUSED while
 *     it is being set up, COMM_LOST and ECONNRESET after.
 *   - fragmentation needed / packet too big: the path MTU fell (mtu.c).
 * Errors are read from the error queue wherever the kernel reports one
 * (a send or a receive failing with it), but acted on between two
 * packets of a receive thread, where no usrsctp lock is held. */
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/real.h"
#include "usrsctp/usr.h"

struct report {
    struct sockaddr_storage peer; /* address, with the UDP port */
    unsigned char head[20];       /* the quoted SCTP packet's first bytes */
    size_t len;
    struct report *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct report *reports;
int icmp_pending;

/* Associations some of whose peer addresses reported unreachable. */
#define PARTIAL 32
#define PARTIAL_ADDRS 8
static struct partial {
    uint16_t sport, dport;
    uint32_t vtag;
    int n;
    struct sockaddr_storage seen[PARTIAL_ADDRS];
    time_t when;
} partial[PARTIAL];

static void note_gone(const struct sockaddr *peer, const unsigned char *pkt,
                      size_t len)
{
    struct report *r = calloc(1, sizeof *r);
    if (!r)
        return;
    memcpy(&r->peer, peer, ip_addr_len(peer));
    r->len = len < sizeof r->head ? len : sizeof r->head;
    memcpy(r->head, pkt, r->len);
    pthread_mutex_lock(&lock);
    r->next = reports;
    reports = r;
    __atomic_store_n(&icmp_pending, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lock);
}

/* One queued error: what it says, about which of our packets. */
static void one_error(const struct sock_extended_err *ee,
                      const struct sockaddr *dst, const unsigned char *pkt,
                      size_t len)
{
    int gone = 0, toobig = 0;
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == ICMP_DEST_UNREACH) {
        gone = ee->ee_code == ICMP_PORT_UNREACH || ee->ee_code == ICMP_PROT_UNREACH;
        toobig = ee->ee_code == ICMP_FRAG_NEEDED;
    } else if (ee->ee_origin == SO_EE_ORIGIN_ICMP6) {
        gone = (ee->ee_type == ICMP6_DST_UNREACH &&
                ee->ee_code == ICMP6_DST_UNREACH_NOPORT) ||
               (ee->ee_type == ICMP6_PARAM_PROB &&
                ee->ee_code == ICMP6_PARAMPROB_NEXTHEADER);
        toobig = ee->ee_type == ICMP6_PACKET_TOO_BIG;
    }
    if (len < 12)
        return; /* too little quoted to tell which association */
    if (toobig) {
        struct sockaddr_storage d;
        memcpy(&d, dst, ip_addr_len(dst));
        uint16_t port;
        memcpy(&port, pkt + 2, 2);
        if (d.ss_family == AF_INET6)
            ((struct sockaddr_in6 *)&d)->sin6_port = port;
        else
            ((struct sockaddr_in *)&d)->sin_port = port;
        mtu_fell((struct sockaddr *)&d);
    } else if (gone) {
        note_gone(dst, pkt, len);
    }
}

void icmp_drain(int fd)
{
    for (int i = 0; i < 64; i++) {
        unsigned char pkt[64];
        char ctrl[512];
        struct sockaddr_storage dst;
        struct iovec iv = {pkt, sizeof pkt};
        struct msghdr m = {.msg_name = &dst, .msg_namelen = sizeof dst,
                           .msg_iov = &iv, .msg_iovlen = 1,
                           .msg_control = ctrl, .msg_controllen = sizeof ctrl};
        memset(&dst, 0, sizeof dst);
        ssize_t r = real.recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
        if (r < 0)
            return;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
                struct sock_extended_err ee;
                memcpy(&ee, CMSG_DATA(c), sizeof ee);
                if (dst.ss_family == AF_INET || dst.ss_family == AF_INET6)
                    one_error(&ee, (struct sockaddr *)&dst, pkt, (size_t)r);
            }
    }
}

/* How many peer addresses the association from our SCTP port sport to
 * peer (with its SCTP port) has: 0 when none is known. */
struct count_arg {
    uint16_t sport;
    const struct sockaddr *peer;
    int n;
};

static void count_paths(struct stk_sock *s, void *arg)
{
    struct count_arg *a = arg;
    if (a->n || s->port != a->sport)
        return;
    sctp_assoc_t id = usr.usrsctp_getassocid(s->so, (struct sockaddr *)a->peer);
    if (id == 0)
        return;
    struct sockaddr *addrs = NULL;
    int n = usr.usrsctp_getpaddrs(s->so, id, &addrs);
    if (n > 0) {
        a->n = n;
        usr.usrsctp_freepaddrs(addrs);
    }
}

/* Every path of the association has now reported: 1; wait for the rest:
 * 0.  Reports older than a minute are forgotten. */
static int all_paths(uint16_t sport, uint16_t dport, uint32_t vtag,
                     const struct sockaddr *sctp_peer)
{
    struct count_arg a = {ntohs(sport), sctp_peer, 0};
    socks_each(count_paths, &a);
    if (a.n <= 1)
        return 1;
    time_t now = time(NULL);
    struct partial *p = NULL, *free_slot = NULL;
    for (int i = 0; i < PARTIAL; i++) {
        if (partial[i].when && now - partial[i].when > 60)
            partial[i].when = 0;
        if (partial[i].when && partial[i].sport == sport &&
            partial[i].dport == dport && partial[i].vtag == vtag)
            p = &partial[i];
        else if (!partial[i].when && !free_slot)
            free_slot = &partial[i];
    }
    if (!p) {
        if (!(p = free_slot))
            return 1; /* no room to count: do not keep the association */
        memset(p, 0, sizeof *p);
        p->sport = sport;
        p->dport = dport;
        p->vtag = vtag;
    }
    p->when = now;
    int known = 0;
    for (int i = 0; i < p->n && !known; i++)
        known = ip_same_addr((struct sockaddr *)&p->seen[i], sctp_peer);
    if (!known && p->n < PARTIAL_ADDRS)
        memcpy(&p->seen[p->n++], sctp_peer, ip_addr_len(sctp_peer));
    if (p->n < a.n)
        return 0;
    p->when = 0;
    return 1;
}

/* The peer's stack is not at peer (address and UDP port): end the
 * association the quoted packet belongs to, as an ABORT from it would. */
static void peer_gone(const struct report *r)
{
    uint16_t sport, dport;
    uint32_t vtag;
    memcpy(&sport, r->head, 2);
    memcpy(&dport, r->head + 2, 2);
    memcpy(&vtag, r->head + 4, 4);
    struct sockaddr_storage sctp_peer, local;
    memcpy(&sctp_peer, &r->peer, sizeof sctp_peer);
    if (sctp_peer.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&sctp_peer)->sin6_port = dport;
    else
        ((struct sockaddr_in *)&sctp_peer)->sin_port = dport;
    if (binds_local_for(ntohs(sport), (struct sockaddr *)&sctp_peer, &local) < 0)
        return;
    int tbit = 1;
    if (vtag == 0) {
        /* Only an INIT goes with tag 0: the ABORT that answers it carries
         * its initiate tag, ours. */
        if (r->len < 20 || r->head[12] != 1)
            return;
        memcpy(&vtag, r->head + 16, 4);
        tbit = 0;
    } else if (!all_paths(sport, dport, vtag, (struct sockaddr *)&sctp_peer)) {
        SHIM_LOG("ICMP: one path of an association is unreachable");
        return;
    }
    char a[INET6_ADDRSTRLEN] = "?";
    inet_ntop(r->peer.ss_family,
              r->peer.ss_family == AF_INET6
                  ? (const void *)&((const struct sockaddr_in6 *)&r->peer)->sin6_addr
                  : (const void *)&((const struct sockaddr_in *)&r->peer)->sin_addr,
              a, sizeof a);
    SHIM_LOG("ICMP: no SCTP stack at %s: ending the association", a);
    inject_abort((struct sockaddr *)&r->peer, (struct sockaddr *)&local, dport,
                 sport, vtag, tbit);
    inject_wake(r->peer.ss_family);
}

void icmp_apply(void)
{
    pthread_mutex_lock(&lock);
    struct report *r = reports;
    reports = NULL;
    __atomic_store_n(&icmp_pending, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lock);
    while (r) {
        struct report *next = r->next;
        peer_gone(r);
        free(r);
        r = next;
    }
}

void icmp_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    reports = NULL;
    icmp_pending = 0;
    memset(partial, 0, sizeof partial);
}
