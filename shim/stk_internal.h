/* Shared by the usrsctp-side files only. */
#ifndef SCTPSHIM_STK_INTERNAL_H
#define SCTPSHIM_STK_INTERNAL_H

#include <sys/socket.h>

#include "stack.h"

struct socket;

struct stk_sock {
    struct socket *so;
    int family;
    int one_to_many;
    stk_upcall_fn fn;
    void *arg;
    uint16_t encaps_port; /* last SCTP_REMOTE_UDP_ENCAPS_PORT set, 0: none */
    int default_mtu;      /* path MTU new associations get, 0: usrsctp's */
    struct sockaddr_storage mtu_peer; /* the peer default_mtu was set for */
    struct sockaddr_storage bound;    /* first address bound, for listen */
};

/* Path MTU of associations set up from now on: for the route to dst, or
 * for whatever peer reaches a listener bound to bound (NULL: wildcard). */
void stk_mtu_for_peer(struct stk_sock *s, const struct sockaddr *dst);
void stk_mtu_for_listener(struct stk_sock *s, const struct sockaddr *bound);

/* RFC 6951's registered port for SCTP over UDP. */
#define STK_DEFAULT_UDP_PORT 9899

/* Non-zero while the shim itself calls into usrsctp on this thread: the
 * sockets usrsctp opens then are the stack's own, kept private. */
extern __thread int stk_in_stack;

#endif
