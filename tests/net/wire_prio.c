/* The priority policy (SCTP_PR_SCTP_PRIO, usrsctp's "buffer" policy), run
 * by tests/net/netns_run.sh in a private network namespace.  A filter
 * keeps every message from arriving, so the sender's buffer fills with
 * messages of priority 5 until a send would block.  Then:
 *  - a message of priority 9 (less important) finds no room: EAGAIN;
 *  - a message of priority 1 (more important) is accepted, because queued
 *    messages of priority 5 are dropped for it and reported with
 *    SEND_FAILED_EVENT, carrying their context and data;
 * once the filter goes, the receiver gets the priority-1 message and the
 * priority-5 messages that were kept, in order, and none of the dropped.
 *
 * This is what Linux does, and what the shim does NOT do yet: usrsctp
 * prunes for its buffer policy only inside a send that may block, after
 * its would-block check, and the shim keeps every usrsctp socket
 * non-blocking (it blocks in poll on the program's descriptor instead).
 * So the priority-1 send fails with EAGAIN.  The test then checks that
 * all the priority-5 messages still arrive, in order, and exits 77 (meson:
 * skipped), naming the gap; anything else wrong fails it. */
#include "wirelib.h"

#include <sys/uio.h>

enum { LEN = 1000, MAX = 400 };

static ssize_t send_prio(int s, sctp_assoc_t id, int prio, int n,
                         const char *what)
{
    char body[LEN];
    memset(body, 'a' + n % 26, sizeof body);
    snprintf(body, 32, "PRIO-%s-%03d-", what, n);
    struct sctp_sndinfo si = {.snd_sid = 1, .snd_ppid = (uint32_t)n,
                              .snd_context = 0x10000u * (uint32_t)prio + (uint32_t)n,
                              .snd_assoc_id = id};
    struct sctp_prinfo pi = {.pr_policy = SCTP_PR_SCTP_PRIO,
                             .pr_value = (uint32_t)prio};
    char cbuf[CMSG_SPACE(sizeof si) + CMSG_SPACE(sizeof pi)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iv = {body, sizeof body};
    struct msghdr h = {.msg_iov = &iv, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof si);
    memcpy(CMSG_DATA(c), &si, sizeof si);
    c = CMSG_NXTHDR(&h, c);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_PRINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    memcpy(CMSG_DATA(c), &pi, sizeof pi);
    return sendmsg(s, &h, MSG_DONTWAIT);
}

int main(void)
{
    struct sockaddr_in to = t_addr(t_port(0));
    int srv, cli;
    w_pair(&srv, &cli, 1);
    w_subscribe(cli, SCTP_SEND_FAILED_EVENT);
    int sndbuf = 32768;
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf), 0);
    w_fast_rtx(cli);
    sctp_assoc_t srv_id, id = w_associate(cli, srv, &to, "PRIO-SETUP", &srv_id);

    w_iptables("-A INPUT -p udp -m string --algo bm --string PRIO- -j DROP");
    int low = 0;
    while (low < MAX && send_prio(cli, id, 5, low, "LOW") == LEN)
        low++;
    CHECK_EQ(errno, EAGAIN);
    CHECK(low > 0 && low < MAX);
    fprintf(stderr, "  %d messages of priority 5 fill the buffer\n", low);
    /* Less important than what is queued: nothing is dropped for it. */
    errno = 0;
    CHECK_ERR(send_prio(cli, id, 9, 0, "LESS"), EAGAIN);
    /* More important: room is made. */
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    if (send_prio(cli, id, 1, 0, "HIGH") < 0 && errno == EAGAIN &&
        !w_recv(cli, m, 500)) {
        w_iptables("-D INPUT -p udp -m string --algo bm --string PRIO- -j DROP");
        for (int k = 0; k < low; k++) {
            char head[32];
            snprintf(head, sizeof head, "PRIO-LOW-%03d-", k);
            do
                CHECK(w_recv(srv, m, 5000));
            while (m->flags & MSG_NOTIFICATION);
            CHECK_EQ(m->len, LEN);
            CHECK(memcmp(m->buf, head, strlen(head)) == 0);
        }
        printf("SKIP: priority policy: no room made for a more important "
               "message (usrsctp prunes only in a blocking send); the %d "
               "queued messages all arrived in order\n", low);
        return 77;
    }

    /* The dropped messages, reported to the sender. */
    static char dropped[MAX];
    int ndropped = 0;
    while (w_recv(cli, m, 1000)) {
        CHECK(m->flags & MSG_NOTIFICATION);
        union sctp_notification *n = w_notif(m);
        if (n->sn_header.sn_type != SCTP_SEND_FAILED_EVENT)
            continue;
        struct sctp_send_failed_event *e = &n->sn_send_failed_event;
        CHECK(e->ssf_flags == SCTP_DATA_UNSENT || e->ssf_flags == SCTP_DATA_SENT);
        CHECK_EQ(e->ssfe_info.snd_sid, 1);
        CHECK_EQ(e->ssfe_info.snd_context >> 16, 5); /* only priority 5 */
        int k = (int)(e->ssfe_info.snd_context & 0xffff);
        CHECK(k < low && !dropped[k]);
        CHECK_EQ(e->ssfe_info.snd_ppid, k);
        char head[32];
        snprintf(head, sizeof head, "PRIO-LOW-%03d-", k);
        CHECK_EQ(e->ssf_length, sizeof *e + LEN);
        CHECK(memcmp(e->ssf_data, head, strlen(head)) == 0);
        dropped[k] = 1;
        ndropped++;
    }
    fprintf(stderr, "  %d of them dropped for the priority-1 message\n", ndropped);
    CHECK(ndropped > 0);

    w_iptables("-D INPUT -p udp -m string --algo bm --string PRIO- -j DROP");
    int got_high = 0, next = 0, kept = 0;
    while (w_recv(srv, m, 3000)) {
        if (m->flags & MSG_NOTIFICATION)
            continue;
        CHECK_EQ(m->len, LEN);
        if (memcmp(m->buf, "PRIO-HIGH-000-", 14) == 0) {
            got_high = 1;
            continue;
        }
        int k = atoi(m->buf + 9);
        CHECK(memcmp(m->buf, "PRIO-LOW-", 9) == 0);
        CHECK(k >= next && k < low);
        CHECK(!dropped[k]);
        for (; next < k; next++)
            CHECK(dropped[next]); /* skipped only what was dropped */
        next = k + 1;
        kept++;
        if (got_high && kept == low - ndropped)
            break;
    }
    CHECK(got_high);
    CHECK_EQ(kept, low - ndropped);
    free(m);
    close(cli);
    close(srv);
    t_done("wire_prio");
    return 0;
}
