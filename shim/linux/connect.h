/* connect() and sctp_connectx(), with Linux's __sctp_connect rules. */
#ifndef SCTPSHIM_LX_CONNECT_H
#define SCTPSHIM_LX_CONNECT_H

#include <stdint.h>

struct ssock;

/* addrs: packed sockaddr_in/in6, bytes long; *id (may be NULL) gets the
 * association's id, also with EINPROGRESS. */
int lx_connectx(struct ssock *s, const void *addrs, int bytes, uint32_t *id);
/* A send with a destination sets up the association of an unconnected
 * one-to-one socket: before, the addresses' checks (0, or -1 with errno);
 * after, the socket is connecting, and lx_connect_wait waits for the
 * handshake as connect() does (EINPROGRESS when non-blocking). */
int lx_connect_prepare(struct ssock *s, const void *addrs, int bytes);
void lx_connect_begun(struct ssock *s);
/* The handshake a send started is over (or, nonblocking, about 2 s went
 * by): the send's DATA must not ride in usrsctp's COOKIE ECHO (send.c). */
void lx_connect_settle(struct ssock *s, int nonblocking);
int lx_connect_wait(struct ssock *s);

#endif
