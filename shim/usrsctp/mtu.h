/* The path MTU the shim gives usrsctp for new associations (mtu.c). */
#ifndef SCTPSHIM_STK_MTU_H
#define SCTPSHIM_STK_MTU_H

#include <sys/socket.h>

struct stk_sock;

/* Path MTU of associations set up from now on: for the route to dst, or
 * for whatever peer reaches a listener bound to bound (NULL: wildcard). */
void stk_mtu_for_peer(struct stk_sock *s, const struct sockaddr *dst);
void stk_mtu_for_listener(struct stk_sock *s, const struct sockaddr *bound);

#endif
