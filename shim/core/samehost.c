#include "core/samehost.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/real.h"
#include "core/linger.h"
#include "usrsctp/stack.h"

/* Loopback only: the other addresses of this host would need a routing
 * look-up on every close. */
static int loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
}

int samehost_close_waits(struct stk_sock *stk)
{
    struct sockaddr *peers = NULL;
    int n = stk_getaddrs(stk, 1, 0, &peers);
    int r = n > 0 && loopback(peers);
    free(peers);
    return r;
}

static long us_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000000L + (t.tv_nsec - t0->tv_nsec) / 1000;
}

void samehost_close_wait(struct stk_sock *stk)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* A same-host shutdown takes well under a millisecond; the bound
     * covers a busy machine (and a peer that is not answering).  The
     * socket's upcalls (linger_moves) say when to look again. */
    for (;;) {
        unsigned moves = linger_moves();
        if (!linger_ending(stk))
            return;
        while (linger_moves() == moves) {
            if (us_since(&t0) >= STK_SAMEHOST_MAX_US)
                return;
            struct timespec nap = {0, 50 * 1000};
            real.nanosleep(&nap, NULL);
        }
    }
}
