/* PR-SCTP (RFC 3758) under real loss, run by tests/net/prsctp.sh in a
 * private network namespace while tshark captures.
 *
 * Each policy is set one way or another (per message through libsctp's
 * sctp_sendv and sctp_sendmsg, through SCTP_SNDRCV and SCTP_PRINFO
 * cmsgs, or as a socket default) on a message that a filter keeps from
 * ever arriving.  The message must be abandoned: the sender gets
 * SEND_FAILED_EVENT (subscribed with SCTP_EVENT) or the old SEND_FAILED
 * (subscribed with SCTP_EVENTS) in the Linux layout, with the message's
 * context and data; the receiver skips it (FORWARD-TSN, checked in the
 * capture) and gets the reliable message sent after it.  Then, under 15 %
 * random loss both ways, every reliable message arrives in order, byte
 * for byte, while unreliable ones on another stream are abandoned. */
#include "wirelib.h"

#include <sys/uio.h>

static struct sockaddr_in srv_addr;
static int srv;

/* Packets the INPUT rule dropping those that contain mark has dropped. */
static long dropped(const char *mark)
{
    char cmd[256], line[512];
    snprintf(cmd, sizeof cmd, "iptables -w -L INPUT -v -x -n | grep '\"%s\"'", mark);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    long n = -1;
    if (fgets(line, sizeof line, p))
        n = strtol(line, NULL, 10);
    pclose(p);
    return n;
}

static void drop(const char *mark, int on)
{
    char rule[256];
    snprintf(rule, sizeof rule,
             "%s INPUT -p udp -m string --algo bm --string %s -j DROP",
             on ? "-A" : "-D", mark);
    w_iptables(rule);
}

/* The sender's report of an abandoned message, in the layout of the
 * event it subscribed to. */
static void expect_failed(int cli, int new_form, sctp_assoc_t id,
                          const char *body, int sid, uint32_t ppid,
                          uint32_t context)
{
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    union sctp_notification *n = w_expect_notif(
        cli, m, new_form ? SCTP_SEND_FAILED_EVENT : SCTP_SEND_FAILED, 8000);
    size_t blen = strlen(body);
    if (new_form) {
        struct sctp_send_failed_event *e = &n->sn_send_failed_event;
        CHECK_EQ(e->ssf_type, SCTP_SEND_FAILED_EVENT);
        CHECK_EQ(e->ssf_flags, SCTP_DATA_SENT); /* it was on the wire */
        CHECK_EQ(e->ssf_flags, 1);              /* Linux's value */
        CHECK_EQ(e->ssf_length, sizeof *e + blen);
        CHECK_EQ(e->ssfe_info.snd_sid, sid);
        CHECK_EQ(e->ssfe_info.snd_ppid, ppid);
        CHECK_EQ(e->ssfe_info.snd_context, context);
        CHECK_EQ(e->ssfe_info.snd_assoc_id, id);
        CHECK_EQ(e->ssf_assoc_id, id);
        CHECK(memcmp(e->ssf_data, body, blen) == 0);
    } else {
        struct sctp_send_failed *f = &n->sn_send_failed;
        CHECK_EQ(f->ssf_type, SCTP_SEND_FAILED);
        CHECK_EQ(f->ssf_flags, SCTP_DATA_SENT);
        CHECK_EQ(f->ssf_length, sizeof *f + blen);
        CHECK_EQ(f->ssf_info.sinfo_stream, sid);
        CHECK_EQ(f->ssf_info.sinfo_ppid, ppid);
        CHECK_EQ(f->ssf_info.sinfo_context, context);
        CHECK_EQ(f->ssf_info.sinfo_assoc_id, id);
        CHECK_EQ(f->ssf_assoc_id, id);
        CHECK(memcmp(f->ssf_data, body, blen) == 0);
    }
    CHECK_EQ(m->len, n->sn_header.sn_length);
    CHECK(m->flags & MSG_NOTIFICATION);
    fprintf(stderr, "  abandoned \"%s\": %s, ssf_error %u\n", body,
            new_form ? "SEND_FAILED_EVENT" : "SEND_FAILED",
            n->sn_send_failed.ssf_error);
    free(m);
}

/* After an abandoned message, a reliable one on the same stream is the
 * next thing the receiver gets. */
static void reliable_follows(int cli, sctp_assoc_t id, const char *body, int sid)
{
    struct w_msg m;
    struct sctp_sndrcvinfo si = {.sinfo_stream = (uint16_t)sid,
                                 .sinfo_ppid = 0x77, .sinfo_assoc_id = id};
    CHECK_EQ(sctp_send(cli, body, strlen(body), &si, 0), (ssize_t)strlen(body));
    w_expect_data(srv, &m, body, sid, 0x77, 5000);
}

static int client(void)
{
    int c = w_socket(0);
    w_fast_rtx(c);
    w_subscribe(c, SCTP_ASSOC_CHANGE);
    return c;
}

/* sctp_sendv with SCTP_SENDV_SPA: SNDINFO + PRINFO(TTL) cmsgs. */
static void ttl_with_sendv(int cli, sctp_assoc_t id)
{
    const char *body = "PR-TTL-SENDV-LOST";
    drop(body, 1);
    struct sctp_sendv_spa spa = {
        .sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID,
        .sendv_sndinfo = {.snd_sid = 1, .snd_ppid = htonl(0x5a5a000a),
                          .snd_context = 0x7711, .snd_assoc_id = id},
        .sendv_prinfo = {.pr_policy = SCTP_PR_SCTP_TTL, .pr_value = 300}};
    struct iovec iv = {(void *)body, strlen(body)};
    CHECK_EQ(sctp_sendv(cli, &iv, 1, NULL, 0, &spa, sizeof spa, SCTP_SENDV_SPA, 0),
             (ssize_t)strlen(body));
    expect_failed(cli, 1, id, body, 1, htonl(0x5a5a000a), 0x7711);
    drop(body, 0);
    reliable_follows(cli, id, "PR-AFTER-TTL", 1);
}

/* sctp_sendmsg: SCTP_SNDRCV with the RTX policy in sinfo_flags and the
 * number of retransmissions in sinfo_timetolive. */
static void rtx_with_sendmsg(int cli, sctp_assoc_t id)
{
    const char *body = "PR-RTX1-SENDMSG-LOST";
    drop(body, 1);
    CHECK_EQ(sctp_sendmsg(cli, body, strlen(body), (struct sockaddr *)&srv_addr,
                          sizeof srv_addr, htonl(0x5a5a000b), SCTP_PR_SCTP_RTX, 2, 1,
                          0x8822),
             (ssize_t)strlen(body));
    expect_failed(cli, 0, id, body, 2, htonl(0x5a5a000b), 0x8822);
    /* One transmission and exactly one retransmission. */
    CHECK_EQ(dropped(body), 2);
    drop(body, 0);
    reliable_follows(cli, id, "PR-AFTER-RTX", 2);
}

/* sendmsg + SCTP_SNDRCV: the TTL policy bit (0x10) in sinfo_flags, the
 * lifetime in sinfo_timetolive. */
static void ttl_with_sndrcv(int cli, sctp_assoc_t id)
{
    const char *body = "PR-TTL-SNDRCV-LOST";
    drop(body, 1);
    struct sctp_sndrcvinfo si = {.sinfo_stream = 7, .sinfo_ppid = htonl(0x5a5a000e),
                                 .sinfo_flags = SCTP_PR_SCTP_TTL,
                                 .sinfo_timetolive = 300, .sinfo_context = 0xbb55,
                                 .sinfo_assoc_id = id};
    CHECK_EQ(w_send_sndrcv(cli, body, strlen(body), &si, NULL), (ssize_t)strlen(body));
    expect_failed(cli, 0, id, body, 7, htonl(0x5a5a000e), 0xbb55);
    drop(body, 0);
    reliable_follows(cli, id, "PR-AFTER-SNDRCV-TTL", 7);
}

/* SCTP_DEFAULT_PRINFO and SCTP_DEFAULT_SNDINFO of the association apply
 * to a plain sendto on it.  (The socket's own defaults, assoc id 0, would
 * only reach associations set up later, as on Linux.) */
static void ttl_by_default(int cli, sctp_assoc_t id)
{
    const char *body = "PR-DEFAULT-TTL-LOST";
    struct sctp_default_prinfo pi = {.pr_policy = SCTP_PR_SCTP_TTL,
                                     .pr_value = 250, .pr_assoc_id = id};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_PRINFO, &pi, sizeof pi), 0);
    struct sctp_sndinfo si = {.snd_sid = 3, .snd_ppid = htonl(0x5a5a000c),
                              .snd_context = 0x9933, .snd_assoc_id = id};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof si), 0);
    drop(body, 1);
    CHECK_EQ(sendto(cli, body, strlen(body), 0, (struct sockaddr *)&srv_addr,
                    sizeof srv_addr), (ssize_t)strlen(body));
    expect_failed(cli, 1, id, body, 3, htonl(0x5a5a000c), 0x9933);
    drop(body, 0);
    pi.pr_policy = SCTP_PR_SCTP_NONE;
    pi.pr_value = 0;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_PRINFO, &pi, sizeof pi), 0);
    reliable_follows(cli, id, "PR-AFTER-DEFAULT-TTL", 3);
}

/* SCTP_DEFAULT_SEND_PARAM for the stream, PPID and context, and the RTX
 * policy with no retransmission, which Linux takes only through
 * SCTP_DEFAULT_PRINFO (a policy in the default flags is EINVAL). */
static void rtx_by_default(int cli, sctp_assoc_t id)
{
    const char *body = "PR-DEFAULT-RTX0-LOST";
    struct sctp_sndrcvinfo d = {.sinfo_stream = 4, .sinfo_ppid = htonl(0x5a5a000d),
                                .sinfo_flags = SCTP_PR_SCTP_RTX,
                                .sinfo_timetolive = 0, .sinfo_context = 0xaa44,
                                .sinfo_assoc_id = id};
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), EINVAL);
    d.sinfo_flags = 0;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), 0);
    struct sctp_default_prinfo pi = {.pr_policy = SCTP_PR_SCTP_RTX, .pr_value = 0,
                                     .pr_assoc_id = id};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_PRINFO, &pi, sizeof pi), 0);
    drop(body, 1);
    CHECK_EQ(sendto(cli, body, strlen(body), 0, (struct sockaddr *)&srv_addr,
                    sizeof srv_addr), (ssize_t)strlen(body));
    expect_failed(cli, 0, id, body, 4, htonl(0x5a5a000d), 0xaa44);
    CHECK_EQ(dropped(body), 1); /* sent once, never retransmitted */
    drop(body, 0);
    memset(&d, 0, sizeof d);
    d.sinfo_assoc_id = id;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), 0);
    reliable_follows(cli, id, "PR-AFTER-DEFAULT-RTX", 4);
}

/* Random loss: reliable messages on stream 5 all arrive, in order, byte
 * for byte; unreliable ones (RTX policy, no retransmission) on stream 6
 * are abandoned when lost, and whatever of them arrives is in order. */
static void random_loss(int cli, sctp_assoc_t id)
{
    enum { N = 150, LEN = 300 };
    static char body[LEN];
    w_iptables("-A INPUT -p udp -m statistic --mode random --probability 0.15 -j DROP");
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < LEN; k++)
            body[k] = (char)('a' + (i * 7 + k) % 26);
        snprintf(body, 16, "REL-%04d", i);
        struct sctp_sndrcvinfo si = {.sinfo_stream = 5, .sinfo_ppid = (uint32_t)i,
                                     .sinfo_assoc_id = id};
        CHECK_EQ(sctp_send(cli, body, LEN, &si, 0), LEN);
        struct sctp_sndrcvinfo pr = {.sinfo_stream = 6, .sinfo_ppid = (uint32_t)i,
                                     .sinfo_flags = SCTP_PR_SCTP_RTX,
                                     .sinfo_context = 0x50000 + (uint32_t)i,
                                     .sinfo_assoc_id = id};
        CHECK_EQ(w_send_sndrcv(cli, "PR0", 3, &pr, NULL), 3);
    }
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    int rel = 0, unrel = 0, last_unrel = -1, failed = 0;
    double end = t_now() + 30;
    while (rel < N && t_now() < end) {
        if (!w_recv(srv, m, 200))
            continue;
        if (m->flags & MSG_NOTIFICATION)
            continue;
        CHECK(m->has_info);
        if (m->info.sinfo_stream == 5) {
            for (int k = 0; k < LEN; k++)
                body[k] = (char)('a' + (rel * 7 + k) % 26);
            snprintf(body, 16, "REL-%04d", rel);
            CHECK_EQ(m->len, LEN);
            CHECK_EQ(m->info.sinfo_ppid, rel);
            CHECK(memcmp(m->buf, body, LEN) == 0);
            rel++;
        } else {
            CHECK_EQ(m->info.sinfo_stream, 6);
            CHECK(memcmp(m->buf, "PR0", 3) == 0);
            CHECK((int)m->info.sinfo_ppid > last_unrel);
            last_unrel = (int)m->info.sinfo_ppid;
            unrel++;
        }
    }
    w_iptables("-D INPUT -p udp -m statistic --mode random --probability 0.15 -j DROP");
    CHECK_EQ(rel, N);
    /* The sender's reports: each for one of the unreliable messages. */
    while (w_recv(cli, m, 1500)) {
        CHECK(m->flags & MSG_NOTIFICATION);
        union sctp_notification *n = w_notif(m);
        if (n->sn_header.sn_type != SCTP_SEND_FAILED_EVENT)
            continue;
        CHECK_EQ(n->sn_send_failed_event.ssfe_info.snd_sid, 6);
        CHECK_EQ(n->sn_send_failed_event.ssfe_info.snd_context >> 16, 5);
        failed++;
    }
    while (w_recv(srv, m, 300))
        if (!(m->flags & MSG_NOTIFICATION))
            unrel++;
    fprintf(stderr, "  random loss: %d reliable in order, %d of %d unreliable "
            "arrived, %d reported abandoned\n", rel, unrel, N, failed);
    CHECK(failed > 0);
    CHECK(unrel < N);
    CHECK(unrel + failed >= N);
    free(m);
}

int main(void)
{
    srv_addr = t_addr(t_port(0));
    srv = w_socket(t_port(0));
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    sctp_assoc_t srv_id;

    /* cli reports with the new event (SCTP_EVENT) ... */
    int cli = client();
    w_subscribe(cli, SCTP_SEND_FAILED_EVENT);
    sctp_assoc_t id = w_associate(cli, srv, &srv_addr, "PR-SETUP", &srv_id);
    /* ... cli2 with the old one (SCTP_EVENTS). */
    int cli2 = client();
    struct sctp_event_subscribe old = {.sctp_association_event = 1,
                                       .sctp_send_failure_event = 1};
    CHECK_EQ(setsockopt(cli2, SOL_SCTP, SCTP_EVENTS, &old, sizeof old), 0);
    sctp_assoc_t id2 = w_associate(cli2, srv, &srv_addr, "PR-SETUP-2", &srv_id);

    ttl_with_sendv(cli, id);
    rtx_with_sendmsg(cli2, id2);
    ttl_by_default(cli, id);
    rtx_by_default(cli2, id2);
    ttl_with_sndrcv(cli2, id2);
    random_loss(cli, id);
    close(cli);
    close(cli2);
    close(srv);
    t_done("wire_prsctp");
    return 0;
}
