/* The same workloads written directly against usrsctp's own API, with its
 * defaults: what a user would get by porting a program to usrsctp instead
 * of running it under the shim.  Linked against libusrsctp, never run under
 * the shim.  Blocking sockets, as usrsctp's examples use them. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usrsctp.h>

#include "bench_util.h"

static struct bench_args A;
static struct side side;
static struct sockaddr_in srv_addr;
static uint16_t peer_udp; /* the other process's encapsulation port */

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static struct socket *new_socket(void)
{
    struct socket *so =
        usrsctp_socket(AF_INET, A.seqpacket ? SOCK_SEQPACKET : SOCK_STREAM,
                       IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so)
        die("usrsctp_socket");
    int one = 1;
    usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof enc);
    enc.sue_address.ss_family = AF_INET;
    enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
    enc.sue_port = htons(peer_udp);
    if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc,
                           sizeof enc) < 0)
        die("SCTP_REMOTE_UDP_ENCAPS_PORT");
    return so;
}

static struct socket *listener(void)
{
    struct socket *so = new_socket();
    if (usrsctp_bind(so, (struct sockaddr *)&srv_addr, sizeof srv_addr) < 0)
        die("usrsctp_bind");
    if (usrsctp_listen(so, 1024) < 0)
        die("usrsctp_listen");
    return so;
}

static struct socket *connected(void)
{
    struct socket *so = new_socket();
    if (!A.seqpacket &&
        usrsctp_connect(so, (struct sockaddr *)&srv_addr, sizeof srv_addr) < 0)
        die("usrsctp_connect");
    return so;
}

static void send_msg(struct socket *so, const void *buf, size_t len)
{
    struct sctp_sndinfo si;
    memset(&si, 0, sizeof si);
    ssize_t r = usrsctp_sendv(so, buf, len,
                              A.seqpacket ? (struct sockaddr *)&srv_addr : NULL,
                              A.seqpacket ? 1 : 0, &si, sizeof si,
                              SCTP_SENDV_SNDINFO, 0);
    if (r != (ssize_t)len)
        die("usrsctp_sendv");
}

static ssize_t recv_msg(struct socket *so, void *buf, size_t len,
                        struct sockaddr_in *from)
{
    struct sockaddr_in tmp;
    socklen_t fl = sizeof tmp;
    struct sctp_rcvinfo ri;
    socklen_t il = sizeof ri;
    unsigned int it = 0;
    int flags = 0;
    return usrsctp_recvv(so, buf, len, (struct sockaddr *)(from ? from : &tmp),
                         &fl, &ri, &il, &it, &flags);
}

static void reply(struct socket *so, const void *buf, size_t len,
                  struct sockaddr_in *to)
{
    struct sctp_sndinfo si;
    memset(&si, 0, sizeof si);
    usrsctp_sendv(so, buf, len, A.seqpacket ? (struct sockaddr *)to : NULL,
                  A.seqpacket ? 1 : 0, &si, sizeof si, SCTP_SENDV_SNDINFO, 0);
}

/* ---- server ------------------------------------------------------------ */

static struct socket *accepted(struct socket *l)
{
    if (A.seqpacket)
        return l;
    struct socket *so = usrsctp_accept(l, NULL, NULL);
    if (!so)
        die("usrsctp_accept");
    return so;
}

static void server(void)
{
    size_t cap = 4 * (A.size > 65536 ? A.size : 65536);
    char *buf = malloc(cap);
    struct socket *l = listener();
    long rss0 = rss_kib();
    struct sockaddr_in from;
    ssize_t r;
    side_ready(&side);
    if (!strcmp(A.test, "bulk")) {
        struct socket *so = accepted(l);
        unsigned long long bytes = 0;
        while ((r = recv_msg(so, buf, cap, NULL)) > 0 && r != 1)
            bytes += (unsigned long long)r;
        side_report(&side, "%llu", bytes);
    } else if (!strcmp(A.test, "rr")) {
        struct socket *so = accepted(l);
        while ((r = recv_msg(so, buf, A.size, &from)) > 1)
            reply(so, buf, (size_t)r, &from);
        side_report(&side, "ok");
    } else if (!strcmp(A.test, "connect")) {
        char c = 0;
        while (c != 'Q') {
            struct socket *so = accepted(l);
            if (recv_msg(so, &c, 1, &from) == 1)
                reply(so, &c, 1, &from);
            if (so != l)
                usrsctp_close(so);
        }
        side_report(&side, "ok");
    } else {
        unsigned long long want = (unsigned long long)A.msgs * A.size, got = 0;
        while (got < want && (r = recv_msg(l, buf, cap, &from)) > 0)
            got += (unsigned long long)r;
        side_report(&side, "%ld", rss_kib() - rss0);
    }
    side_wait_bye(&side);
    usrsctp_close(l);
    free(buf);
}

/* ---- clients ----------------------------------------------------------- */

static void client(void)
{
    char *buf = calloc(1, A.size > 64 ? A.size : 64);
    char res[128];
    if (!strcmp(A.test, "bulk")) {
        struct socket *so = connected();
        uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
        long n = 0;
        do {
            for (int i = 0; i < 16; i++, n++)
                send_msg(so, buf, A.size);
        } while (now_ns() < end);
        send_msg(so, "E", 1);
        side_result(&side, res, sizeof res);
        double secs = (double)(now_ns() - t0) / 1e9;
        double bytes = atof(res);
        printf("bulk_MBps %.1f\nbulk_msgs_per_s %.0f\n", bytes / secs / 1e6,
               (double)n / secs);
        usrsctp_close(so);
    } else if (!strcmp(A.test, "rr")) {
        struct socket *so = connected();
        for (int i = 0; i < 100; i++) {
            send_msg(so, buf, A.size);
            recv_msg(so, buf, A.size, NULL);
        }
        uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
        long n = 0;
        do {
            send_msg(so, buf, A.size);
            if (recv_msg(so, buf, A.size, NULL) != (ssize_t)A.size)
                die("rr recv");
            n++;
        } while ((n & 63) || now_ns() < end);
        double us = (double)(now_ns() - t0) / 1e3 / (double)n;
        send_msg(so, "E", 1);
        side_result(&side, res, sizeof res);
        printf("rr_us %.2f\n", us);
        usrsctp_close(so);
    } else if (!strcmp(A.test, "connect")) {
        uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
        long n = 0;
        double secs = 0;
        for (int last = 0; !last; n++) {
            last = now_ns() >= end;
            if (last)
                secs = (double)(now_ns() - t0) / 1e9;
            struct socket *so = connected();
            char c = last ? 'Q' : 'c';
            send_msg(so, &c, 1);
            if (recv_msg(so, &c, 1, NULL) != 1)
                die("connect reply");
            usrsctp_close(so);
        }
        side_result(&side, res, sizeof res);
        printf("connect_per_s %.0f\n", (double)(n - 1) / secs);
    } else {
        int n = A.assocs;
        struct socket **so = calloc((size_t)n, sizeof *so);
        long rss0 = rss_kib();
        uint64_t t0 = now_ns();
        for (int i = 0; i < n; i++)
            so[i] = connected();
        for (long m = 0; m < A.msgs; m++)
            send_msg(so[m % n], buf, A.size);
        side_result(&side, res, sizeof res);
        print_many(t0, A.msgs, n, res, rss0);
        for (int i = 0; i < n; i++)
            usrsctp_close(so[i]);
        free(so);
    }
    free(buf);
}

/* Like the shim at exit: let the associations finish before the stack
 * goes, bounded. */
static void finish(void)
{
    for (int i = 0; i < 500 && usrsctp_finish() != 0; i++)
        usleep(10000);
}

int main(int argc, char **argv)
{
    bench_parse(argc, argv, &A);
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    srv_addr.sin_family = AF_INET;
    srv_addr.sin_port = htons((uint16_t)A.port);
    srv_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!strcmp(A.test, "pipe")) {
        run_pipe_test(A.secs);
        return 0;
    }
    if (!strcmp(A.test, "idle")) {
        usrsctp_init((uint16_t)A.udp_port, NULL, NULL);
        struct socket *l = listener();
        uint64_t c0 = cpu_ns(), t0 = now_ns();
        usleep((useconds_t)(A.secs * 1e6));
        printf("idle_cpu_pct %.3f\n",
               100.0 * (double)(cpu_ns() - c0) / (double)(now_ns() - t0));
        usrsctp_close(l);
        finish();
        return 0;
    }
    side_open(&side);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    int server_side = pid == 0;
    /* usrsctp starts after the fork: its threads do not survive one. */
    usrsctp_init((uint16_t)(A.udp_port + !server_side), NULL, NULL);
    peer_udp = (uint16_t)(A.udp_port + server_side);
    if (server_side) {
        side_child(&side);
        server();
        finish();
        exit(0);
    }
    side_parent(&side);
    side_wait_ready(&side);
    client();
    side_bye(&side);
    finish();
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
