/* Packets the shim hands usrsctp as if they had come from the wire: an
 * ABORT from a peer that can no longer send one (its process died, or
 * ICMP says nothing listens there).  usrsctp's receive thread takes them
 * from its own recvmsg (wire.c), so usrsctp handles them exactly as a
 * received ABORT: verification tag checked, COMM_LOST, ECONNRESET or
 * ECONNREFUSED on the socket. */
#include "usrsctp/internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"

struct synth {
    struct sockaddr_storage from; /* the peer, with its UDP port */
    struct sockaddr_storage to;   /* the local address it was sent to */
    unsigned char pkt[16];
    size_t len;
    struct synth *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct synth *queue;
int inject_pending;

static socklen_t sa_len(int family)
{
    return family == AF_INET6 ? sizeof(struct sockaddr_in6)
                              : sizeof(struct sockaddr_in);
}

/* One chunk without parameters (type, the T bit, length 4) from the
 * peer, queued after those queued before. */
static void inject_chunk(const struct sockaddr *from, const struct sockaddr *to,
                         uint16_t sport, uint16_t dport, uint32_t vtag,
                         unsigned char type, int tbit)
{
    struct synth *s = calloc(1, sizeof *s);
    if (!s)
        return;
    memcpy(&s->from, from, sa_len(from->sa_family));
    memcpy(&s->to, to, sa_len(to->sa_family));
    /* Common header (ports and tag in network order as given), then the
     * chunk. */
    memcpy(s->pkt, &sport, 2);
    memcpy(s->pkt + 2, &dport, 2);
    memcpy(s->pkt + 4, &vtag, 4);
    s->pkt[12] = type;
    s->pkt[13] = tbit ? 1 : 0;
    s->pkt[14] = 0;
    s->pkt[15] = 4;
    s->len = 16;
    crc32c_seal(s->pkt, s->len);
    pthread_mutex_lock(&lock);
    struct synth **p = &queue;
    while (*p)
        p = &(*p)->next;
    *p = s;
    __atomic_store_n(&inject_pending, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lock);
}

void inject_abort(const struct sockaddr *from, const struct sockaddr *to,
                  uint16_t sport, uint16_t dport, uint32_t vtag, int tbit)
{
    inject_chunk(from, to, sport, dport, vtag, 6, tbit);
}

void inject_peer_death(const struct sockaddr *from, const struct sockaddr *to,
                       uint16_t sport, uint16_t dport, uint32_t vtag)
{
    /* A peer that died after its close had sent the SHUTDOWN and would
     * have answered our SHUTDOWN ACK, as its kernel does after the exit:
     * SHUTDOWN COMPLETE ends such an association gracefully (end of file,
     * no ECONNRESET), and in any other state usrsctp ignores it.  The
     * ABORT then ends what is left, and finds nothing after a SHUTDOWN
     * COMPLETE (an out-of-the-blue ABORT is dropped). */
    inject_chunk(from, to, sport, dport, vtag, 14, 0);
    inject_chunk(from, to, sport, dport, vtag, 6, 0);
}

/* An empty datagram to the stack's own port on loopback: it wakes the
 * receive thread of that family from its recvmsg (which would otherwise
 * take up to usrsctp's 100 ms receive timeout). */
void inject_wake(int family)
{
    int fd = real.socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons(pk_udp_port());
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a->sin_port = htons(pk_udp_port());
    }
    real.sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&ss, sa_len(family));
    real.close(fd);
}

/* Writes a queued packet for a socket of this family into msg, as the
 * UDP socket's recvmsg would: the source, IP_PKTINFO / IPV6_PKTINFO with
 * the local address, and the SCTP packet.  Returns its length, or 0. */
ssize_t inject_take(int family, struct msghdr *msg)
{
    pthread_mutex_lock(&lock);
    struct synth **p = &queue, *s = NULL;
    while (*p && (*p)->from.ss_family != family)
        p = &(*p)->next;
    if (*p) {
        s = *p;
        *p = s->next;
    }
    if (!queue)
        __atomic_store_n(&inject_pending, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lock);
    if (!s)
        return 0;
    ssize_t r = 0;
    size_t cm = family == AF_INET6 ? CMSG_SPACE(sizeof(struct in6_pktinfo))
                                   : CMSG_SPACE(sizeof(struct in_pktinfo));
    if (msg->msg_iovlen && msg->msg_iov[0].iov_len >= s->len && msg->msg_name &&
        msg->msg_namelen >= sa_len(family) && msg->msg_control &&
        msg->msg_controllen >= cm) {
        memcpy(msg->msg_iov[0].iov_base, s->pkt, s->len);
        memcpy(msg->msg_name, &s->from, sa_len(family));
        msg->msg_namelen = sa_len(family);
        memset(msg->msg_control, 0, cm);
        struct cmsghdr *c = (struct cmsghdr *)msg->msg_control;
        if (family == AF_INET6) {
            struct in6_pktinfo pi = {
                .ipi6_addr = ((struct sockaddr_in6 *)&s->to)->sin6_addr};
            c->cmsg_level = IPPROTO_IPV6;
            c->cmsg_type = IPV6_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof pi);
            memcpy(CMSG_DATA(c), &pi, sizeof pi);
        } else {
            struct in_pktinfo pi = {
                .ipi_addr = ((struct sockaddr_in *)&s->to)->sin_addr,
                .ipi_spec_dst = ((struct sockaddr_in *)&s->to)->sin_addr};
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof pi);
            memcpy(CMSG_DATA(c), &pi, sizeof pi);
        }
        msg->msg_controllen = cm;
        msg->msg_flags = 0;
        r = (ssize_t)s->len;
    } else {
        SHIM_LOG("inject: usrsctp's receive buffers do not fit a packet");
    }
    free(s);
    return r;
}

void inject_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    queue = NULL;
    inject_pending = 0;
}
