/* IP socket addresses as the network files of usrsctp/ compare them. */
#ifndef SCTPSHIM_STK_IPADDR_H
#define SCTPSHIM_STK_IPADDR_H

#include <sys/socket.h>

/* The size of an AF_INET or AF_INET6 address. */
socklen_t ip_addr_len(const struct sockaddr *sa);
/* Same family and IP address, ports aside. */
int ip_same_addr(const struct sockaddr *a, const struct sockaddr *b);
/* The source address usrsctp wrote in the IP header it built in front of
 * the packet msg sends (udp: with a UDP header between): 1 and *ss, or 0
 * when that header does not name msg's destination. */
struct msghdr;
int ip_source_before(const struct msghdr *msg, int udp,
                     struct sockaddr_storage *ss);

#endif
