/* The tap on the stack's wire: every packet usrsctp sends or receives on
 * its own UDP (or raw IP) sockets passes here, handed over by wire.c and
 * the recvmsg hook of the stack's private descriptors.  When
 * SCTPSHIM_PCAP, SCTPSHIM_STATS or SCTPSHIM_DEBUG asks for it, the packet
 * goes, with its real IP addresses, to the capture file (pcap.c) and to
 * the association tracker (track.c); otherwise this costs one load and
 * a branch per packet. */
#include "usrsctp/stack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/iov.h"
#include "base/log.h"
#include "base/real.h"
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"
#include "usrsctp/packet.h"
#include "usrsctp/pcap.h"
#include "usrsctp/track.h"

static int wire_on;

static void set_addr(struct sockaddr_storage *ss, int family, const void *a)
{
    memset(ss, 0, sizeof *ss);
    ss->ss_family = (sa_family_t)family;
    if (family == AF_INET)
        memcpy(&((struct sockaddr_in *)ss)->sin_addr, a, 4);
    else
        memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, a, 16);
}

static const void *addr_bytes(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET
               ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
               : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
}

/* The local address of a datagram from the IP_PKTINFO / IPV6_PKTINFO
 * control message: the destination of one received (usrsctp asks for
 * it), the source of one sent when the caller named one. */
static int pktinfo_addr(const struct msghdr *msg, int outgoing,
                        struct sockaddr_storage *ss)
{
    if (!msg->msg_control || msg->msg_controllen < sizeof(struct cmsghdr))
        return 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)msg); c;
         c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
            c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            struct in_addr a = outgoing && pi.ipi_spec_dst.s_addr ? pi.ipi_spec_dst
                                                                 : pi.ipi_addr;
            set_addr(ss, AF_INET, &a);
            return a.s_addr != 0;
        }
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
            c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
            struct in6_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            set_addr(ss, AF_INET6, &pi.ipi6_addr);
            return !IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr);
        }
    }
    return 0;
}

/* The kernel's source address for dst, for the packets whose header told
 * none; a few destinations are remembered. */
static void route_source(const struct sockaddr_storage *dst,
                         struct sockaddr_storage *src)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static struct { struct sockaddr_storage dst, src; } cache[16];
    static unsigned next;
    socklen_t len = dst->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                               : sizeof(struct sockaddr_in);
    pthread_mutex_lock(&lock);
    for (unsigned i = 0; i < 16; i++)
        if (cache[i].dst.ss_family == dst->ss_family &&
            memcmp(&cache[i].dst, dst, len) == 0) {
            *src = cache[i].src;
            pthread_mutex_unlock(&lock);
            return;
        }
    pthread_mutex_unlock(&lock);
    struct sockaddr_storage peer = *dst, me;
    socklen_t ml = sizeof me;
    ((struct sockaddr_in *)&peer)->sin_port = htons(9); /* any port routes */
    memset(src, 0, sizeof *src);
    src->ss_family = dst->ss_family;
    int fd = real.socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && real.connect(fd, (struct sockaddr *)&peer, len) == 0 &&
        real.getsockname(fd, (struct sockaddr *)&me, &ml) == 0)
        set_addr(src, dst->ss_family, addr_bytes((struct sockaddr *)&me));
    if (fd >= 0)
        real.close(fd);
    pthread_mutex_lock(&lock);
    cache[next % 16].dst = *dst;
    cache[next % 16].src = *src;
    next++;
    pthread_mutex_unlock(&lock);
}

static void wire_packet(const struct msghdr *msg, size_t len, int outgoing)
{
    const struct sockaddr *name = msg->msg_name;
    /* usrsctp's routing socket (netlink) passes here too. */
    if (!name || (name->sa_family != AF_INET && name->sa_family != AF_INET6))
        return;
    struct wire_pkt p;
    memset(&p, 0, sizeof p);
    p.outgoing = outgoing;
    p.iov = msg->msg_iov;
    p.iovcnt = (int)msg->msg_iovlen;
    p.len = len;
    struct sockaddr_storage *peer = outgoing ? &p.dst : &p.src;
    struct sockaddr_storage *local = outgoing ? &p.src : &p.dst;
    int udp = !stk_is_raw_mode();
    if (!udp && name->sa_family == AF_INET) {
        /* Raw IPv4: the IP header is part of the packet both ways. */
        unsigned char ip[20];
        if (wire_read(&p, 0, ip, sizeof ip) < sizeof ip || (ip[0] >> 4) != 4)
            return;
        size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > len)
            return;
        set_addr(&p.src, AF_INET, ip + 12);
        set_addr(&p.dst, AF_INET, ip + 16);
        if (outgoing && memcmp(ip + 12, "\0\0\0\0", 4) == 0)
            route_source(&p.dst, &p.src); /* the kernel fills it in */
        p.off = ihl;
        p.len = len - ihl;
    } else {
        set_addr(peer, name->sa_family, addr_bytes(name));
        if (!pktinfo_addr(msg, outgoing, local) &&
            !(outgoing && ip_source_before(msg, udp, local)))
            route_source(peer, local);
    }
    if (p.len < 12)
        return;
    clock_gettime(CLOCK_REALTIME, &p.when);
    if (pcap_enabled())
        pcap_packet(&p);
    if (track_enabled())
        track_packet(&p);
}

/* Seen before it goes: once sent, the answer can be handled on the
 * receive thread before this thread returns from sendmsg, and the
 * tracker must know the packet that started it first. */
void usr_tap_out(const struct msghdr *msg)
{
    if (__builtin_expect(wire_on, 0))
        wire_packet(msg, iov_total(msg->msg_iov, msg->msg_iovlen), 1);
}

void stk_wire_received(const struct msghdr *msg, size_t len)
{
    if (__builtin_expect(wire_on, 0))
        wire_packet(msg, len, 0);
}

void stk_wire_tick(void)
{
    if (__builtin_expect(wire_on, 0) && pcap_enabled())
        pcap_flush();
}

/* Exit runs this after the shim's own exit handler (registered later,
 * at the first socket), so the last SHUTDOWN is in the file and in the
 * figures. */
static void wire_at_exit(void)
{
    if (pcap_enabled())
        pcap_flush();
    if (track_enabled())
        track_report();
}

static void wire_before_fork(void)
{
    if (pcap_enabled())
        pcap_flush();
}

static void wire_after_fork_child(void)
{
    pcap_after_fork_child();
    track_after_fork_child();
}

__attribute__((constructor(103))) static void wire_init(void)
{
    shim_log_init(); /* SCTPSHIM_DEBUG, read there */
    const char *pcap = getenv("SCTPSHIM_PCAP");
    const char *stats = getenv("SCTPSHIM_STATS");
    if (pcap && *pcap)
        pcap_enable(pcap);
    if (stats && *stats && strcmp(stats, "0") != 0)
        track_enable_stats(strcmp(stats, "1") == 0 ? NULL : stats);
    if (shim_debug)
        track_enable_events();
    wire_on = pcap_enabled() || track_enabled();
    if (wire_on) {
        real_init();
        pthread_atfork(wire_before_fork, NULL, wire_after_fork_child);
        atexit(wire_at_exit);
    }
}
