#include "linux/connect.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>

#include "base/real.h"
#include "core/sock.h"
#include "linux/addr.h"
#include "linux/conn.h"
#include "linux/peeloff.h"

static int fail(int e)
{
    errno = e;
    return -1;
}

/* Each address usable, and (one-to-many) none a peer of an association
 * already there: EISCONN once it is established, EALREADY before; nor
 * of one peeled off from this socket: EADDRNOTAVAIL. */
static int check_addrs(struct ssock *s, const void *addrs, int bytes)
{
    for (int off = 0; off < bytes;) {
        const struct sockaddr *sa = (const void *)((const char *)addrs + off);
        if (lx_addr_unusable(sa))
            return fail(EINVAL);
        off += (int)lx_addr_len(sa);
    }
    if (s->type != SOCK_SEQPACKET)
        return 0;
    for (int off = 0; off < bytes;) {
        const struct sockaddr *sa = (const void *)((const char *)addrs + off);
        uint32_t id;
        if (stk_assoc_lookup(s->stk, sa, &id) == 0) {
            struct stk_status st = {.assoc_id = id};
            size_t l = sizeof st;
            int up = stk_getopt(s->stk, STK_O_STATUS, &st, &l) == 0 &&
                     st.state >= STK_S_ESTABLISHED;
            return fail(up ? EISCONN : EALREADY);
        }
        if (lx_peeloff_check_peer(s, sa) < 0)
            return -1;
        off += (int)lx_addr_len(sa);
    }
    return 0;
}

/* A one-to-one socket whose last association failed or ended connects
 * on a fresh stack socket (usrsctp refuses a second one, see renew.c). */
static int renew_if_used(struct ssock *s)
{
    if (s->type != SOCK_STREAM || !s->conn_tried)
        return 0;
    if (stk_renew(s->stk) < 0)
        return -1;
    s->conn_tried = 0;
    s->conn_err = 0;
    s->rd_err_told = 0;
    s->reset_told = 0;
    s->eof = 0;
    sock_sync(s);
    return 0;
}

static int start(struct ssock *s, const void *addrs, int n, uint32_t *id)
{
    uint16_t udp;
    if (lx_addr_remote_udp(addrs, &udp) < 0 || lx_autobind(s) < 0 ||
        renew_if_used(s) < 0)
        return -1;
    uint32_t aid = 0;
    int r = stk_connectx(s->stk, addrs, n, udp, &aid);
    if (id)
        *id = aid;
    if (r < 0 && errno != EINPROGRESS)
        return -1;
    if (s->type == SOCK_STREAM)
        lx_connect_begun(s);
    return 0;
}

int lx_connect_prepare(struct ssock *s, const void *addrs, int bytes)
{
    if (lx_addr_count(s, addrs, bytes) < 0 || check_addrs(s, addrs, bytes) < 0)
        return -1;
    return renew_if_used(s);
}

void lx_connect_begun(struct ssock *s)
{
    s->connecting = 1;
    s->conn_tried = 1;
}

static int nonblocking(struct ssock *s)
{
    return (real.fcntl(s->m.x, F_GETFL) & O_NONBLOCK) != 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The program's SO_SNDTIMEO, in seconds (0: none). */
static double send_timeout(struct ssock *s)
{
    struct timeval tv = {0, 0};
    socklen_t l = sizeof tv;
    if (real.getsockopt(s->m.x, SOL_SOCKET, SO_SNDTIMEO, &tv, &l) < 0)
        return 0;
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Why an association of a one-to-many socket died in its handshake.
 * usrsctp tells only a one-to-one socket (its socket error); Linux
 * answers ETIMEDOUT when the INIT retransmissions ran out, else
 * ECONNREFUSED.  Running out takes at least max_init_attempts initial
 * RTOs; an ABORT answering the INIT comes well before. */
static int handshake_error(struct ssock *s, double elapsed)
{
    struct stk_initmsg im = {0};
    struct stk_rtoinfo rto = {0};
    size_t l = sizeof im, l2 = sizeof rto;
    if (stk_getopt(s->stk, STK_O_INITMSG, &im, &l) < 0 ||
        stk_getopt(s->stk, STK_O_RTOINFO, &rto, &l2) < 0)
        return ECONNREFUSED;
    double bound = (double)im.max_attempts * (double)rto.initial / 1000.0;
    return elapsed >= bound ? ETIMEDOUT : ECONNREFUSED;
}

/* A one-to-many connect waits until its association is established, as
 * Linux's sctp_wait_for_connect: there is no readiness to wait on (such
 * a socket is always writable), so it waits for the stack's upcalls,
 * bounded, and for SO_SNDTIMEO (then EINPROGRESS). */
static int wait_many(struct ssock *s, uint32_t id)
{
    if (nonblocking(s))
        return fail(EINPROGRESS);
    double t0 = now(), limit = send_timeout(s);
    for (int spins = 0;; spins++) {
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        struct stk_status st = {.assoc_id = id};
        size_t l = sizeof st;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0 ||
            st.state == STK_S_CLOSED || st.state > STK_S_ESTABLISHED)
            return fail(handshake_error(s, now() - t0));
        if (st.state == STK_S_ESTABLISHED)
            return 0;
        if (limit > 0 && now() - t0 >= limit)
            return fail(EINPROGRESS);
        /* usrsctp calls back on COMM_UP only when the event is
         * subscribed: look often at first (loopback), then less.  The
         * stack handles the handshake only while the call lets go. */
        sock_call_pause(s);
        mirror_wait_upcall(&s->m, seen, spins < 50 ? 1 : 5);
        sock_call_resume(s);
    }
}

/* A non-blocking connect to a same-host peer: on loopback Linux has
 * done the whole handshake inside connect(), which still says
 * EINPROGRESS, and accept on the listener succeeds at once.  Here each
 * packet of it waits for a receive thread (in this process or the
 * peer's), so the call lets the stacks work until the association is up
 * (bounded: a same-host handshake takes about a millisecond). */
static void settle_handshake(struct ssock *s, uint32_t id)
{
    double t0 = now();
    for (;;) {
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        struct stk_status st = {.assoc_id = id};
        size_t l = sizeof st;
        if (stk_getopt(s->stk, STK_O_STATUS, &st, &l) < 0 ||
            (st.state != STK_S_COOKIE_WAIT && st.state != STK_S_COOKIE_ECHOED) ||
            now() - t0 >= 2 * STK_SAMEHOST_MAX_US / 1e6)
            return;
        sock_call_pause(s);
        mirror_wait_upcall(&s->m, seen, 1);
        sock_call_resume(s);
    }
}

/* A one-to-one connect waits for the handshake on the descriptor. */
int lx_connect_wait(struct ssock *s)
{
    /* Linux never completes a non-blocking connect in the call itself,
     * even when the handshake is already done (loopback, same process). */
    if (nonblocking(s)) {
        sock_sync(s);
        return fail(EINPROGRESS);
    }
    for (int spins = 0;; spins++) {
        lx_refresh_state(s);
        if (s->connected)
            return 0;
        if (!s->connecting) {
            int err = ECONNREFUSED;
            size_t l = sizeof err;
            stk_getopt(s->stk, STK_O_ERROR, &err, &l);
            return fail(lx_handshake_errno(err));
        }
        int w = lx_block(s, 1, 0, spins);
        if (w < 0) {
            if (errno == EAGAIN)
                errno = EINPROGRESS; /* SO_SNDTIMEO */
            return -1;
        }
        lx_refresh_state(s);
        if (w > 0 && (s->connected || s->connecting)) {
            /* A handler with SA_RESTART ran: the kernel restarts
             * connect(), which finds the association (__sctp_connect). */
            return fail(s->connected ? EISCONN : EALREADY);
        }
    }
}

int lx_connectx(struct ssock *s, const void *addrs, int bytes, uint32_t *id)
{
    int n = lx_addr_count(s, addrs, bytes);
    if (n < 0)
        return -1;
    lx_refresh_state(s);
    /* __sctp_connect's order: the socket's state, each address, the
     * associations already there. */
    if (s->type == SOCK_STREAM && (s->connected || s->listening))
        return fail(EISCONN);
    if (check_addrs(s, addrs, bytes) < 0)
        return -1;
    if (s->type == SOCK_STREAM && s->connecting)
        return fail(EALREADY);
    uint32_t aid = 0;
    if (start(s, addrs, n, &aid) < 0)
        return -1;
    if (id)
        *id = aid;
    if (nonblocking(s) && lx_addr_is_local(addrs))
        settle_handshake(s, aid);
    return s->type == SOCK_SEQPACKET ? wait_many(s, aid) : lx_connect_wait(s);
}

void lx_connect_settle(struct ssock *s, int nonblocking)
{
    if (!nonblocking) {
        lx_connect_wait(s);
        return;
    }
    /* Bounded: a same-host handshake takes about a millisecond. */
    for (int i = 0; i < 2000; i++) {
        unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
        lx_refresh_state(s);
        if (s->connected || !s->connecting)
            return;
        sock_call_pause(s);
        mirror_wait_upcall(&s->m, seen, 1);
        sock_call_resume(s);
    }
}
