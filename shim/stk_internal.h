/* Shared by the usrsctp-side files only. */
#ifndef SCTPSHIM_STK_INTERNAL_H
#define SCTPSHIM_STK_INTERNAL_H

#include "stack.h"

struct socket;

struct stk_sock {
    struct socket *so;
    int family;
    int one_to_many;
    stk_upcall_fn fn;
    void *arg;
};

/* RFC 6951's registered port for SCTP over UDP. */
#define STK_DEFAULT_UDP_PORT 9899

/* Non-zero while the shim itself calls into usrsctp on this thread: the
 * sockets usrsctp opens then are the stack's own, kept private. */
extern __thread int stk_in_stack;

#endif
