#include "usrsctp/ipaddr.h"

#include <netinet/in.h>
#include <string.h>

socklen_t ip_addr_len(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}

int ip_same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
    return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
           ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

/* usrsctp 0.9.5 builds the IP (and UDP) header of a packet it sends in
 * front of the SCTP packet, in the same mbuf, and trims it off before
 * sendmsg (sctp_userspace_ip_output, ip6_output): the source address it
 * chose is still there.  Taken only when the header found there names
 * the destination and port the datagram goes to. */
int ip_source_before(const struct msghdr *msg, int udp,
                         struct sockaddr_storage *ss)
{
    const struct sockaddr *to = msg->msg_name;
    if (!to || msg->msg_iovlen < 1)
        return 0;
    const unsigned char *data = msg->msg_iov[0].iov_base;
    size_t udplen = udp ? 8 : 0;
    uint16_t port = udp ? ((const struct sockaddr_in *)to)->sin_port : 0;
    if (to->sa_family == AF_INET) {
        const unsigned char *ip = data - 20 - udplen;
        if (ip[0] != 0x45 || ip[9] != (udp ? IPPROTO_UDP : IPPROTO_SCTP) ||
            memcmp(ip + 16, &((const struct sockaddr_in *)to)->sin_addr, 4) != 0 ||
            (udp && memcmp(ip + 22, &port, 2) != 0))
            return 0;
        memset(ss, 0, sizeof *ss);
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        memcpy(&a->sin_addr, ip + 12, 4);
        return a->sin_addr.s_addr != 0;
    }
    const unsigned char *ip6 = data - 40 - udplen;
    if ((ip6[0] >> 4) != 6 || ip6[6] != (udp ? IPPROTO_UDP : IPPROTO_SCTP) ||
        memcmp(ip6 + 24, &((const struct sockaddr_in6 *)to)->sin6_addr, 16) != 0 ||
        (udp && memcmp(ip6 + 42, &port, 2) != 0))
        return 0;
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    a6->sin6_family = AF_INET6;
    memcpy(&a6->sin6_addr, ip6 + 8, 16);
    return !IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr);
}
