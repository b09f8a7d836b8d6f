#include "linux/shutdown.h"

#include <errno.h>
#include <sys/socket.h>

#include "core/sock.h"
#include "linux/conn.h"
#include "linux/recv.h"

/* Whether the peer's SHUTDOWN came before ours: Linux then reads end of
 * file, and otherwise ENOTCONN once the association is gone (it sets
 * RCV_SHUTDOWN only on entering SHUTDOWN-RECEIVED). */
static int peer_shut_first(struct ssock *s)
{
    if (s->eof)
        return 1;
    struct stk_status st = {0};
    size_t l = sizeof st;
    if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0)
        return 1; /* gone already */
    return st.state == STK_S_CLOSED || st.state == STK_S_SHUTDOWN_RECEIVED ||
           st.state == STK_S_SHUTDOWN_ACK_SENT;
}

int lx_shutdown(struct ssock *s, int how)
{
    if (how < SHUT_RD || how > SHUT_RDWR) {
        errno = EINVAL;
        return -1;
    }
    lx_refresh_state(s);
    if (s->listening) {
        /* inet_shutdown on a listener: SHUT_WR does nothing; SHUT_RD
         * goes to the protocol's disconnect, which cancels accept on a
         * one-to-one socket (Linux 6.10) and is not supported on a
         * one-to-many one.  Every blocked accept wakes up. */
        if (how == SHUT_WR)
            return 0;
        if (s->type == SOCK_SEQPACKET) {
            errno = EOPNOTSUPP;
            return -1;
        }
        s->shut_rd = 1;
        mirror_hangup(&s->m, 0);
        return 0;
    }
    if (s->type == SOCK_SEQPACKET || !s->connected) {
        /* Not connected (a one-to-many socket never is): ENOTCONN, but
         * the shutdown applies (Linux's inet_shutdown). */
        if (how != SHUT_WR) {
            lx_recv_shutdown(s);
            mirror_hangup(&s->m, how == SHUT_RDWR);
        }
        errno = ENOTCONN;
        return -1;
    }
    if (how != SHUT_RD && !s->shut_wr) {
        s->we_shut_first = !peer_shut_first(s);
        if (stk_shutdown(s->stk, SHUT_WR) < 0 && errno != ENOTCONN)
            return -1;
        s->shut_wr = 1;
        if (s->we_shut_first)
            lx_recv_drain_from_now(s);
    }
    /* usrsctp 0.9.5's own SHUT_RD is not used: it forgets what is queued
     * (the count goes to 0 while the data stays) and sets a flag its
     * receive never tests, so a read loops forever. */
    if (how != SHUT_WR)
        lx_recv_shutdown(s);
    if (how != SHUT_WR || s->eof)
        mirror_hangup(&s->m, s->shut_wr && (s->eof || how != SHUT_WR));
    sock_sync(s);
    return 0;
}
