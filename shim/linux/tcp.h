/* SCTPSHIM_TCP (sctpshim --tcp): a TCP-only program's TCP sockets are
 * SCTP one-to-one sockets, as lksctp's withsctp makes them on a kernel
 * with SCTP.  The hook decides which sockets (hook/socket.c); this is
 * what such a socket does differently from one the program asked SCTP
 * of: its TCP-level options. */
#ifndef SCTPSHIM_LX_TCP_H
#define SCTPSHIM_LX_TCP_H

#include <sys/socket.h>

struct ssock;

/* A one-to-one SCTP socket standing for the TCP socket asked for. */
int lx_socket_for_tcp(int family, int cloexec, int nonblock);
/* IPPROTO_TCP options on such a socket: TCP_NODELAY is SCTP_NODELAY;
 * every other one fails with ENOPROTOOPT, as the kernel answers any
 * TCP-level option on an SCTP socket. */
int lx_tcp_setsockopt(struct ssock *s, int name, const void *val, socklen_t len);
int lx_tcp_getsockopt(struct ssock *s, int name, void *val, socklen_t *len);

#endif
