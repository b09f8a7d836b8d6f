/* Helpers shared by the programs that the scripts in tests/net run under the
 * shim inside a private network namespace: one-to-many sockets, receiving
 * with the Linux notification layout, and the namespace's packet filter. */
#ifndef SCTPSHIM_WIRELIB_H
#define SCTPSHIM_WIRELIB_H

#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <poll.h>
#include <stddef.h>

/* A message or a notification as recvmsg delivered it. */
struct w_msg {
    ssize_t len;
    int flags;      /* msg_flags */
    int has_info;   /* an SCTP_SNDRCV cmsg came with it */
    struct sctp_sndrcvinfo info;
    char buf[65536 + 1024];
};

/* Receives one message (or notification) within ms milliseconds; returns
 * 0 on time-out. */
static inline int w_recv(int s, struct w_msg *m, int ms)
{
    struct pollfd p = {s, POLLIN, 0};
    if (poll(&p, 1, ms) != 1)
        return 0;
    char cbuf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) + 64];
    struct iovec iv = {m->buf, sizeof m->buf};
    struct msghdr h = {.msg_iov = &iv, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
    memset(m, 0, offsetof(struct w_msg, buf));
    m->len = recvmsg(s, &h, MSG_DONTWAIT);
    CHECK(m->len >= 0);
    m->flags = h.msg_flags;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c))
        if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_SNDRCV) {
            memcpy(&m->info, CMSG_DATA(c), sizeof m->info);
            m->has_info = 1;
        }
    return 1;
}

static inline union sctp_notification *w_notif(struct w_msg *m)
{
    return (union sctp_notification *)m->buf;
}

/* Receives until a notification of the given type (skipping other
 * notifications, failing on data); ms bounds the whole wait. */
static inline union sctp_notification *w_expect_notif(int s, struct w_msg *m,
                                                      int type, int ms)
{
    double end = t_now() + ms / 1000.0;
    while (t_now() < end) {
        if (!w_recv(s, m, (int)((end - t_now()) * 1000) + 1))
            break;
        if (!(m->flags & MSG_NOTIFICATION)) {
            fprintf(stderr, "data (%zd bytes) while waiting for event 0x%x\n",
                    m->len, type);
            CHECK(!"unexpected data");
        }
        CHECK(m->flags & MSG_EOR);
        CHECK_EQ(w_notif(m)->sn_header.sn_length, m->len);
        if (w_notif(m)->sn_header.sn_type == type)
            return w_notif(m);
        fprintf(stderr, "  (skipped event 0x%x)\n", w_notif(m)->sn_header.sn_type);
    }
    fprintf(stderr, "no event 0x%x within %d ms\n", type, ms);
    CHECK(!"event missing");
    return NULL;
}

/* Receives the next data message (skipping notifications) and checks its
 * bytes, stream and PPID. */
static inline void w_expect_data(int s, struct w_msg *m, const char *body,
                                 int sid, uint32_t ppid, int ms)
{
    double end = t_now() + ms / 1000.0;
    while (t_now() < end) {
        if (!w_recv(s, m, (int)((end - t_now()) * 1000) + 1))
            break;
        if (m->flags & MSG_NOTIFICATION) {
            fprintf(stderr, "  (skipped event 0x%x)\n", w_notif(m)->sn_header.sn_type);
            continue;
        }
        if (m->len != (ssize_t)strlen(body) || memcmp(m->buf, body, m->len)) {
            fprintf(stderr, "received \"%.*s\", expected \"%s\"\n",
                    (int)(m->len > 80 ? 80 : m->len), m->buf, body);
            CHECK(!"wrong message");
        }
        CHECK(m->flags & MSG_EOR);
        CHECK(m->has_info);
        CHECK_EQ(m->info.sinfo_stream, sid);
        CHECK_EQ(m->info.sinfo_ppid, ppid);
        return;
    }
    fprintf(stderr, "\"%s\" did not arrive within %d ms\n", body, ms);
    CHECK(!"message missing");
}

/* A one-to-many socket bound to 127.0.0.1:port (port 0: any). */
static inline int w_socket(int port)
{
    int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, 8), 0);
    int one = 1;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_NODELAY, &one, sizeof one), 0);
    return s;
}

static inline void w_subscribe(int s, int type)
{
    struct sctp_event e = {.se_assoc_id = SCTP_FUTURE_ASSOC,
                           .se_type = (uint16_t)type, .se_on = 1};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENT, &e, sizeof e), 0);
}

/* The server on t_port(0) and a client, the server subscribed (the old
 * SCTP_EVENTS way) to data io and association events, the client too
 * when both is set. */
static inline void w_pair(int *srv, int *cli, int both)
{
    *srv = w_socket(t_port(0));
    *cli = w_socket(0);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(*srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    if (both)
        CHECK_EQ(setsockopt(*cli, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
}

/* Short retransmission timeouts, and patience enough to outlive a
 * filter that drops packets for a few seconds: retransmissions come
 * quickly, and the association survives them. */
static inline void w_fast_rtx(int s)
{
    struct sctp_rtoinfo rto = {.srto_initial = 300, .srto_max = 500,
                               .srto_min = 200};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_RTOINFO, &rto, sizeof rto), 0);
    struct sctp_assocparams ap = {.sasoc_asocmaxrxt = 100};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap), 0);
}

/* Sets up an association from cli to the server at to with a first
 * message on stream 0 (PPID 0) and returns the client's association id;
 * *srv_id gets the server's.  Both must have ASSOC_CHANGE subscribed. */
static inline sctp_assoc_t w_associate(int cli, int srv,
                                       const struct sockaddr_in *to,
                                       const char *first, sctp_assoc_t *srv_id)
{
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    CHECK_EQ(sctp_sendmsg(cli, first, strlen(first), (struct sockaddr *)to,
                          sizeof *to, 0, 0, 0, 0, 0),
             (ssize_t)strlen(first));
    union sctp_notification *n = w_expect_notif(cli, m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    sctp_assoc_t id = n->sn_assoc_change.sac_assoc_id;
    n = w_expect_notif(srv, m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    *srv_id = n->sn_assoc_change.sac_assoc_id;
    w_expect_data(srv, m, first, 0, 0, 5000);
    free(m);
    return id;
}

/* Runs an iptables command in this (private) network namespace. */
static inline void w_iptables(const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "iptables -w %s", args);
    fprintf(stderr, "  # %s\n", cmd);
    CHECK_EQ(system(cmd), 0);
}

/* Sends with an SCTP_SNDRCV cmsg; returns what sendmsg returned. */
static inline ssize_t w_send_sndrcv(int s, const void *buf, size_t len,
                                    const struct sctp_sndrcvinfo *si,
                                    const struct sockaddr_in *to)
{
    char cbuf[CMSG_SPACE(sizeof *si)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iv = {(void *)buf, len};
    struct msghdr h = {.msg_name = (void *)to, .msg_namelen = to ? sizeof *to : 0,
                       .msg_iov = &iv, .msg_iovlen = 1,
                       .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDRCV;
    c->cmsg_len = CMSG_LEN(sizeof *si);
    memcpy(CMSG_DATA(c), si, sizeof *si);
    return sendmsg(s, &h, 0);
}

#endif
