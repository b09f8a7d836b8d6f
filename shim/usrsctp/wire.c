/* usrsctp's own sendmsg and recvmsg on its packet sockets.  The hook
 * hands them here (the descriptors are private to the shim), so that the
 * shim can do what usrsctp's userland build leaves out: send each
 * encapsulated packet from its path's local address, follow the path MTU
 * when a packet no longer fits, and hand usrsctp the packets the shim
 * makes. */
#include "usrsctp/stack.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "base/iov.h"
#include "base/log.h"
#include "base/real.h"
#include "usrsctp/gate.h"
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"
#include "usrsctp/usr.h"

/* Copies up to n bytes of the message from offset off. */
static size_t peek(const struct msghdr *msg, size_t off, void *out, size_t n)
{
    return iov_read(msg->msg_iov, msg->msg_iovlen, off, out, n);
}

static size_t msg_len(const struct msghdr *msg)
{
    size_t n = 0;
    for (size_t i = 0; i < msg->msg_iovlen; i++)
        n += msg->msg_iov[i].iov_len;
    return n;
}

/* The peer's address with the SCTP port the packet goes to: the path
 * whose MTU fell, as usrsctp names it. */
static int packet_dst(int kind, const struct msghdr *msg,
                      struct sockaddr_storage *dst)
{
    unsigned char h[24];
    size_t ip = kind == PK_RAW4 ? 20 : 0; /* usrsctp adds no IP options */
    if (!msg->msg_name || peek(msg, ip, h, 4) < 4)
        return -1;
    memset(dst, 0, sizeof *dst);
    memcpy(dst, msg->msg_name,
           msg->msg_namelen < sizeof *dst ? msg->msg_namelen : sizeof *dst);
    uint16_t port;
    memcpy(&port, h + 2, 2); /* the SCTP common header's destination port */
    if (dst->ss_family == AF_INET)
        ((struct sockaddr_in *)dst)->sin_port = port;
    else if (dst->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)dst)->sin6_port = port;
    else
        return -1;
    return 0;
}

/* IPv6 lets one packet ask for fragmentation (IPV6_DONTFRAG 0). */
static ssize_t send_fragmented_v6(int fd, const struct msghdr *msg, int flags)
{
    char cbuf[256];
    size_t have = msg->msg_control ? msg->msg_controllen : 0;
    if (have + CMSG_SPACE(sizeof(int)) > sizeof cbuf) {
        errno = EMSGSIZE;
        return -1;
    }
    memset(cbuf, 0, sizeof cbuf);
    if (have)
        memcpy(cbuf, msg->msg_control, have);
    struct cmsghdr *c = (struct cmsghdr *)(cbuf + have);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_DONTFRAG;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int off = 0;
    memcpy(CMSG_DATA(c), &off, sizeof off);
    struct msghdr m = *msg;
    m.msg_control = cbuf;
    m.msg_controllen = have + CMSG_SPACE(sizeof(int));
    return real.sendmsg(fd, &m, flags);
}

/* IPv4 over UDP has no such per-packet switch: the socket lets the
 * kernel fragment for the length of one send. */
static pthread_mutex_t df_lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t send_fragmented_udp4(int fd, const struct msghdr *msg, int flags)
{
    int want = IP_PMTUDISC_WANT, doit = IP_PMTUDISC_DO;
    pthread_mutex_lock(&df_lock);
    real.setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &want, sizeof want);
    ssize_t r = real.sendmsg(fd, msg, flags);
    int e = errno;
    real.setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &doit, sizeof doit);
    pthread_mutex_unlock(&df_lock);
    errno = e;
    return r;
}

/* Raw IPv4 packets carry their header, and the kernel never fragments
 * them: the shim cuts the packet itself (RFC 791), each fragment with the
 * packet's header, its offset and the more-fragments bit. */
static ssize_t send_fragmented_raw4(int fd, const struct msghdr *msg, int flags,
                                    int mtu)
{
    size_t len = msg_len(msg);
    unsigned char *pkt = malloc(len ? len : 1);
    if (!pkt || len < 20 || mtu < 68) {
        free(pkt);
        errno = EMSGSIZE;
        return -1;
    }
    peek(msg, 0, pkt, len);
    size_t hl = (size_t)(pkt[0] & 0x0f) * 4;
    if (hl < 20 || hl > len) {
        free(pkt);
        errno = EMSGSIZE;
        return -1;
    }
    struct iphdr *ih = (struct iphdr *)pkt;
    if (!ih->id)
        ih->id = (uint16_t)(random() | 1);
    size_t step = ((size_t)mtu - hl) & ~(size_t)7;
    ssize_t r = 0;
    for (size_t off = hl; off < len && r >= 0; off += step) {
        size_t n = len - off < step ? len - off : step;
        struct iphdr h = *ih;
        h.frag_off = htons((uint16_t)(((off - hl) >> 3) |
                                      (off + n < len ? IP_MF : 0)));
        h.tot_len = htons((uint16_t)(hl + n));
        struct iovec iv[3] = {{&h, sizeof h},
                              {pkt + sizeof h, hl - sizeof h},
                              {pkt + off, n}};
        struct msghdr m = *msg;
        m.msg_iov = iv;
        m.msg_iovlen = 3;
        m.msg_control = NULL;
        m.msg_controllen = 0;
        r = real.sendmsg(fd, &m, flags);
    }
    free(pkt);
    return r < 0 ? -1 : (ssize_t)len;
}

/* The packet did not fit the path (EMSGSIZE): usrsctp builds the next
 * ones for the new MTU, and this one goes as IP fragments (it may be a
 * chunk cut for the old MTU, which only IP fragmentation can carry). */
static ssize_t too_big(int fd, int kind, const struct msghdr *msg, int flags)
{
    struct sockaddr_storage dst;
    if (packet_dst(kind, msg, &dst) == 0)
        mtu_fell((struct sockaddr *)&dst);
    switch (kind) {
    case PK_UDP6:
    case PK_RAW6:
        return send_fragmented_v6(fd, msg, flags);
    case PK_UDP4:
        return send_fragmented_udp4(fd, msg, flags);
    case PK_RAW4:
        return send_fragmented_raw4(fd, msg, flags,
                                    mtu_route((struct sockaddr *)&dst));
    }
    errno = EMSGSIZE;
    return -1;
}

/* msg with IP_PKTINFO / IPV6_PKTINFO naming the source, built in cbuf;
 * 0, or -1 when the source is the kernel's to pick. */
static int with_source(int kind, const struct msghdr *msg, struct msghdr *m,
                       char *cbuf, size_t cap)
{
    unsigned char sh[2];
    struct sockaddr_storage picked, src;
    if (peek(msg, 0, sh, 2) < 2 || msg->msg_controllen)
        return -1;
    uint16_t sport = (uint16_t)(sh[0] << 8 | sh[1]);
    int have = ip_source_before(msg, 1, &picked);
    if (binds_source(sport, msg->msg_name, have ? (struct sockaddr *)&picked : NULL,
                     &src) < 0 ||
        (src.ss_family == AF_INET6) != (kind == PK_UDP6))
        return -1;
    memset(cbuf, 0, cap);
    struct cmsghdr *c = (struct cmsghdr *)cbuf;
    if (kind == PK_UDP6) {
        struct in6_pktinfo pi = {.ipi6_addr = ((struct sockaddr_in6 *)&src)->sin6_addr};
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof pi);
        memcpy(CMSG_DATA(c), &pi, sizeof pi);
        m->msg_controllen = CMSG_SPACE(sizeof pi);
    } else {
        struct in_pktinfo pi = {.ipi_spec_dst = ((struct sockaddr_in *)&src)->sin_addr};
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof pi);
        memcpy(CMSG_DATA(c), &pi, sizeof pi);
        m->msg_controllen = CMSG_SPACE(sizeof pi);
    }
    m->msg_control = cbuf;
    return 0;
}

/* One send; an error the kernel kept from an earlier ICMP message
 * (IP_RECVERR: the next send reports it, and sends nothing) is read
 * from the error queue, and the packet is sent again. */
static ssize_t send_once(int fd, int kind, const struct msghdr *msg, int flags)
{
    ssize_t r = real.sendmsg(fd, msg, flags);
    if (r < 0 && icmp_errno(errno) && (kind == PK_UDP4 || kind == PK_UDP6)) {
        icmp_drain(fd);
        inject_wake(kind == PK_UDP6 ? AF_INET6 : AF_INET);
        r = real.sendmsg(fd, msg, flags);
    }
    if (r < 0 && errno == EMSGSIZE && kind != PK_NONE) {
        r = too_big(fd, kind, msg, flags);
        if (kind == PK_UDP4 || kind == PK_UDP6)
            icmp_drain(fd); /* the kernel queued the refusal too */
    }
    return r;
}

ssize_t stk_wire_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    int kind = pk_kind(fd);
    struct msghdr m = *msg;
    char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
    if ((kind == PK_UDP4 || kind == PK_UDP6) &&
        with_source(kind, msg, &m, cbuf, sizeof cbuf) == 0) {
        /* Seen before it goes: once sent, the answer can be handled on
         * the receive thread before this thread returns from sendmsg,
         * and the tracker must know the packet that started it first. */
        usr_tap_out(&m);
        ssize_t r = send_once(fd, kind, &m, flags);
        if (r >= 0 || (errno != EINVAL && errno != EADDRNOTAVAIL))
            return r;
        /* The address went away meanwhile: the kernel's choice, then. */
    } else {
        usr_tap_out(msg);
    }
    return send_once(fd, kind, msg, flags);
}

/* usrsctp 0.9.5 skips the CRC32c of a packet whose source and
 * destination addresses are equal (sctp_no_csum_on_loopback), taking it
 * for one that never left the host.  A packet can say so and still come
 * from another host (a spoofed source, where the interface accepts local
 * sources): the shim checks the CRC of those itself, and drops a bad one.
 * (In raw mode usrsctp has no arrival interface to tell by: its skip is
 * turned off, stack.c.) */
static unsigned long crc_drops;

static int same_ends(int family, const struct msghdr *msg,
                     const struct sockaddr_storage *to)
{
    const struct sockaddr *from = msg->msg_name;
    if (family == AF_INET6)
        return !memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
                       &((const struct sockaddr_in6 *)to)->sin6_addr, 16);
    return ((const struct sockaddr_in *)from)->sin_addr.s_addr ==
           ((const struct sockaddr_in *)to)->sin_addr.s_addr;
}

static int crc_ok(const struct msghdr *msg, size_t len)
{
    unsigned char *p = malloc(len ? len : 1);
    if (!p || len < 12 || peek(msg, 0, p, len) < len) {
        free(p);
        return 0;
    }
    uint32_t want = (uint32_t)p[8] | (uint32_t)p[9] << 8 |
                    (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
    memset(p + 8, 0, 4);
    uint32_t c = ~crc32c_update(~0u, p, len);
    free(p);
    return c == want;
}

/* Whether usrsctp may have the packet: not one it would take unchecked
 * while it came from outside. */
static int checksum_fit(int family, const struct msghdr *msg, size_t len)
{
    struct sockaddr_storage to;
    unsigned ifindex;
    if (!msg->msg_name || packet_arrival(msg, family, &to, &ifindex) < 0 ||
        ifindex == loopback_index() || !same_ends(family, msg, &to))
        return 1;
    if (crc_ok(msg, len))
        return 1;
    __atomic_add_fetch(&crc_drops, 1, __ATOMIC_RELAXED);
    SHIM_LOG("dropped a packet from outside with our own address as source "
             "and a bad CRC32c");
    return 0;
}

void stk_log_stats(void)
{
    if (!usr.usrsctp_get_stat)
        return; /* the stack never started */
    struct sctpstat st;
    memset(&st, 0, sizeof st);
    usr.usrsctp_get_stat(&st);
    unsigned long shim = __atomic_load_n(&crc_drops, __ATOMIC_RELAXED);
    if (st.sctps_badsum || shim)
        SHIM_LOG("packets dropped for a bad CRC32c: %u by usrsctp, %lu by the shim",
                 st.sctps_badsum, shim);
}

/* A packet the shim makes stands for one the peer would have sent after
 * all it did send: the ABORT of a peer process that died comes after the
 * SHUTDOWN COMPLETE it sent as it closed, already queued on this socket
 * (before, the ABORT overtook it about once in ten same-host closes
 * followed by an exit, and recv said ECONNRESET instead of end of file).
 * So it waits while real packets are queued (FIONREAD says the size of
 * the next datagram: 0 for none, or for the empty one that only wakes
 * the thread), but not for ever on a socket that never empties. */
static int nothing_queued_before(int fd)
{
    static __thread unsigned deferred;
    int n = 0;
    if (real.ioctl(fd, FIONREAD, &n) == 0 && n > 0 && deferred < 64) {
        deferred++;
        return 0;
    }
    deferred = 0;
    return 1;
}

/* Between two packets, no usrsctp lock is held on this thread: the
 * work noted inside usrsctp's output (path MTU falls) is done here, and
 * packets the shim makes (inject.c) are handed over as received ones.
 * An empty datagram only wakes the thread for that. */
ssize_t stk_wire_recvmsg(int fd, struct msghdr *msg, int flags)
{
    socklen_t namelen = msg->msg_namelen;
    size_t controllen = msg->msg_controllen;
    for (;;) {
        int kind = pk_kind(fd);
        int udp = kind == PK_UDP4 || kind == PK_UDP6;
        int family = kind == PK_UDP6 ? AF_INET6 : AF_INET;
        msg->msg_namelen = namelen;
        msg->msg_controllen = controllen;
        /* These call into usrsctp as a program's call would, and are
         * kept from other stack threads' packets the same way (gate.h). */
        if (udp && __atomic_load_n(&icmp_pending, __ATOMIC_ACQUIRE)) {
            gate_shut();
            icmp_apply();
            gate_open();
        }
        if (__atomic_load_n(&mtu_pending, __ATOMIC_ACQUIRE)) {
            gate_shut();
            mtu_apply();
            gate_open();
        }
        if (udp && __atomic_load_n(&inject_pending, __ATOMIC_ACQUIRE) &&
            nothing_queued_before(fd)) {
            ssize_t r = inject_take(family, msg);
            if (r > 0)
                return r;
            msg->msg_namelen = namelen;
            msg->msg_controllen = controllen;
        }
        ssize_t r = real.recvmsg(fd, msg, flags);
        if (r < 0 && (icmp_errno(errno) || errno == EMSGSIZE)) {
            /* The kernel reports a queued ICMP error.  Never to usrsctp:
             * its receive thread ends on any error but EAGAIN and EINTR. */
            icmp_drain(fd);
            continue;
        }
        if (!udp || r < 0)
            return r;
        if (r == 0)
            continue;
        if (!checksum_fit(family, msg, (size_t)r))
            continue;
        unsigned char sh[16];
        if (peek(msg, 0, sh, sizeof sh) == sizeof sh)
            locals_note(family, msg, sh, (size_t)r);
        return r;
    }
}
