/* The stack side of a socket the program has let go of (closed, or still
 * held at exit) while its associations finish, as the kernel keeps them
 * after close(): see core/linger.c. */
#include "usrsctp/stack.h"

#include <stdlib.h>
#include <string.h>

#include "usrsctp/internal.h"
#include "usrsctp/usr.h"

static void (*closing_wake)(void);

static void wake_upcall(struct socket *so, void *arg, int flags)
{
    (void)so;
    (void)arg;
    (void)flags;
    void (*wake)(void) = __atomic_load_n(&closing_wake, __ATOMIC_ACQUIRE);
    if (wake)
        wake();
}

void stk_set_wake(struct stk_sock *s, void (*wake)(void))
{
    /* The same function each time, from any closing thread. */
    __atomic_store_n(&closing_wake, wake, __ATOMIC_RELEASE);
    usr.usrsctp_set_upcall(s->so, wake_upcall, NULL);
}

/* The state of association id (0 on a one-to-one socket), or -1 when the
 * stack has none by that id; *rto_ms, when asked, its primary path's
 * retransmission timeout. */
static int assoc_state_rto(struct stk_sock *s, sctp_assoc_t id, int *rto_ms)
{
    struct sctp_status st;
    if (usr_status(s, (uint32_t)id, &st) < 0)
        return -1;
    if (rto_ms)
        *rto_ms = (int)st.sstat_primary.spinfo_rto;
    return st.sstat_state;
}

static int assoc_state(struct stk_sock *s, sctp_assoc_t id)
{
    return assoc_state_rto(s, id, NULL);
}

/* usrsctp 0.9.5 answers SCTP_GET_SNDBUF_USE (sctp.h, sctp_uio.h) but does
 * not declare it in usrsctp.h. */
#define USR_GET_SNDBUF_USE 0x00001101
struct usr_sockstat {
    sctp_assoc_t assoc_id;
    uint32_t total_sndbuf, total_recv_buf;
};

/* Data of ours the association has not had acknowledged yet, sent or
 * not (usrsctp's total_output_queue_size). */
static int data_queued(struct stk_sock *s, sctp_assoc_t id)
{
    struct usr_sockstat ss = {.assoc_id = id};
    socklen_t l = sizeof ss;
    return usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, USR_GET_SNDBUF_USE,
                                  &ss, &l) == 0 && ss.total_sndbuf > 0;
}

/* Established, or past it and shutting down: what Linux keeps after
 * close.  Linux's close drops an association still in its handshake
 * (sctp_sf_cookie_wait_prm_shutdown), but its handshake on loopback is
 * over before the first send returns; usrsctp's takes a round trip
 * through its receive thread, and a program that sends and closes at
 * once (sctp_test does) would lose what it sent.  So one in its handshake
 * is waited for when it carries data. */
static int worth_waiting(struct stk_sock *s, sctp_assoc_t id, int state)
{
    if (state == SCTP_COOKIE_WAIT || state == SCTP_COOKIE_ECHOED)
        return data_queued(s, id);
    return state == SCTP_ESTABLISHED || state == SCTP_SHUTDOWN_PENDING ||
           state == SCTP_SHUTDOWN_SENT || state == SCTP_SHUTDOWN_RECEIVED ||
           state == SCTP_SHUTDOWN_ACK_SENT;
}

static void send_flag(struct stk_sock *s, sctp_assoc_t id, uint16_t flag)
{
    static const char none;
    struct sctp_sndinfo si;
    memset(&si, 0, sizeof si);
    si.snd_flags = flag;
    si.snd_assoc_id = id;
    usr.usrsctp_sendv(s->so, &none, 0, NULL, 0, &si, sizeof si,
                      SCTP_SENDV_SNDINFO, 0);
}

/* Every association of a one-to-many socket; *ids malloc'ed. */
static int list_assocs(struct stk_sock *s, sctp_assoc_t **ids)
{
    *ids = NULL;
    for (int tries = 0; tries < 4; tries++) {
        uint32_t n = 0;
        socklen_t l = sizeof n;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER,
                                   &n, &l) < 0 || n == 0)
            return 0;
        size_t bytes = sizeof(struct sctp_assoc_ids) + (n + 8) * sizeof(sctp_assoc_t);
        struct sctp_assoc_ids *list = malloc(bytes);
        if (!list)
            return 0;
        l = (socklen_t)bytes;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST,
                                   list, &l) == 0) {
            int cnt = (int)list->gaids_number_of_ids;
            *ids = malloc((size_t)(cnt ? cnt : 1) * sizeof **ids);
            if (*ids)
                memcpy(*ids, list->gaids_assoc_id, (size_t)cnt * sizeof **ids);
            free(list);
            return *ids ? cnt : 0;
        }
        free(list);
    }
    return 0;
}

int stk_end_assocs(struct stk_sock *s, int abortive)
{
    if (!s->one_to_many) {
        int st = assoc_state(s, 0);
        if (st < 0 || st == SCTP_CLOSED)
            return 0;
        if (abortive || !worth_waiting(s, 0, st)) {
            send_flag(s, 0, SCTP_ABORT);
            return 0;
        }
        /* SHUTDOWN goes out once the queued data is acknowledged. */
        usr.usrsctp_shutdown(s->so, SHUT_WR);
        return 1;
    }
    /* No new association may start on a socket the program let go of:
     * a listen() with no backlog turns usrsctp's ACCEPTING flag off. */
    usr_ep_lock();
    usr.usrsctp_listen(s->so, 0);
    usr_ep_unlock();
    sctp_assoc_t *ids;
    int n = list_assocs(s, &ids), left = 0;
    for (int i = 0; i < n; i++) {
        int st = assoc_state(s, ids[i]);
        if (st < 0 || st == SCTP_CLOSED)
            continue;
        if (abortive || !worth_waiting(s, ids[i], st)) {
            send_flag(s, ids[i], SCTP_ABORT);
        } else {
            /* In the handshake too: SHUTDOWN follows the data. */
            if (st == SCTP_ESTABLISHED || st == SCTP_COOKIE_WAIT ||
                st == SCTP_COOKIE_ECHOED)
                send_flag(s, ids[i], SCTP_EOF);
            left++;
        }
    }
    free(ids);
    return left;
}

int stk_assocs_left(struct stk_sock *s)
{
    if (!s->one_to_many) {
        int st = assoc_state(s, 0);
        return st >= 0 && st != SCTP_CLOSED;
    }
    /* An association can still come up after the close: seen with a
     * socket's association to itself (its own port), whose handshake
     * crossed the close under threads (churn).  Nothing would ever end it
     * and its port stayed taken; Linux's closed endpoint is gone and
     * answers such a handshake with ABORT: so does this.  Those the close
     * found are past ESTABLISHED by now, or aborted: their SHUTDOWN was
     * asked for (stk_end_assocs). */
    sctp_assoc_t *ids;
    int n = list_assocs(s, &ids), left = 0;
    for (int i = 0; i < n; i++) {
        int st = assoc_state(s, ids[i]);
        if (st == SCTP_ESTABLISHED)
            send_flag(s, ids[i], SCTP_ABORT);
        else if (st >= 0 && st != SCTP_CLOSED)
            left++;
    }
    free(ids);
    return left;
}

int stk_assocs_owing(struct stk_sock *s, int *rto_ms)
{
    sctp_assoc_t one = 0, *ids = &one;
    int n = s->one_to_many ? list_assocs(s, &ids) : 1, owing = 0;
    *rto_ms = 0;
    for (int i = 0; i < n; i++) {
        int rto = 0, st = assoc_state_rto(s, ids[i], &rto);
        if (st < 0 || st == SCTP_CLOSED)
            continue;
        if (rto > *rto_ms)
            *rto_ms = rto;
        /* Past SHUTDOWN received, the peer has started the end itself:
         * only our last answer is left. */
        if (data_queued(s, ids[i]) ||
            (st != SCTP_SHUTDOWN_RECEIVED && st != SCTP_SHUTDOWN_ACK_SENT))
            owing++;
    }
    if (ids != &one)
        free(ids);
    return owing;
}
