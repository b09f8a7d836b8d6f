/* net_xfer: one end of a one-to-one SCTP association between two network
 * namespaces, for the scripts in tests/net (run under the shim).  It sends
 * a file, or writes what arrives to a file, and logs on stderr, one line
 * each, with the seconds since it started:
 *   EVENT <name> ... for every notification (with -e),
 *   ADDRS local=<a,b> peer=<c,d> once the association is up (with -a),
 *   RESULT sent=N received=M errno=<name or 0> at the end.
 * The exit status is 0 when the transfer ended as asked (end of file
 * after everything was sent or received), 2 when a call failed (the
 * RESULT line names its errno).
 *
 * usage: net_xfer listen|connect [options]
 *   -4 / -6       socket family (default AF_INET)
 *   -p PORT       the listener's port (listen: bound; connect: the peer's)
 *   -b A[,B..]    local addresses (bind, then sctp_bindx for the others)
 *   -c A[,B..]    the peer's addresses (connect: sctp_connectx)
 *   -i FILE       send FILE, then shutdown(SHUT_WR) and wait for the peer
 *   -o FILE       write what arrives to FILE until end of file
 *   -m BYTES      size of each send (default 65536)
 *   -e            subscribe to the association, address and shutdown events
 *   -a            log the local and peer addresses once up
 *   -H MS         heartbeat interval of every path (SCTP_PEER_ADDR_PARAMS)
 *   -R N          path retransmission limit (spp_pathmaxrxt)
 *   -r MIN,MAX    RTO bounds in ms (SCTP_RTOINFO; the initial RTO is MIN)
 *   -P ADDR       make ADDR the primary path once up (SCTP_PRIMARY_ADDR)
 *   -d MS         pause after each send (pacing, for changes mid-transfer)
 *   -w SECONDS    give up after this long (default 120)
 *   -s MS         stay this long once up (and -a logged), before the rest
 *   -x            exit as soon as the association is up (and -s is over)
 *   -k            on COMM_LOST: send twice and log each errno (SEND errno=)
 * net_xfer sink -p PORT: a one-to-many socket on PORT that takes every
 * association and discards what arrives, until killed or -w runs out.
 */
#include "testlib.h"

#include <fcntl.h>
#include <getopt.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdarg.h>

static double t0;
static int family = AF_INET;

static void say(const char *fmt, ...)
{
    va_list ap;
    char line[1024];
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    struct timespec w;
    clock_gettime(CLOCK_REALTIME, &w);
    fprintf(stderr, "t=%.3f w=%ld.%03ld %s\n", t_now() - t0, (long)w.tv_sec,
            w.tv_nsec / 1000000, line);
}

/* Parses "A,B,..." into packed sockaddrs of the socket's family (IPv4
 * literals become v4-mapped on an AF_INET6 socket only when written so). */
static int parse_addrs(const char *list, int port, struct sockaddr_storage *out,
                       int max, size_t *bytes)
{
    char buf[512];
    int n = 0;
    *bytes = 0;
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    unsigned char *p = (unsigned char *)out;
    for (char *a = strtok_r(buf, ",", &save); a && n < max;
         a = strtok_r(NULL, ",", &save)) {
        struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons(port)};
        struct sockaddr_in6 v6 = {.sin6_family = AF_INET6,
                                  .sin6_port = htons(port)};
        if (inet_pton(AF_INET, a, &v4.sin_addr) == 1) {
            memcpy(p + *bytes, &v4, sizeof v4);
            *bytes += sizeof v4;
        } else if (inet_pton(AF_INET6, a, &v6.sin6_addr) == 1) {
            memcpy(p + *bytes, &v6, sizeof v6);
            *bytes += sizeof v6;
        } else {
            fprintf(stderr, "bad address %s\n", a);
            exit(64);
        }
        n++;
    }
    return n;
}

static const char *addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
                  (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
                  (socklen_t)len);
    else
        snprintf(buf, len, "family%d", sa->sa_family);
    return buf;
}

static void list_addrs(char *out, size_t len, struct sockaddr *addrs, int n)
{
    size_t off = 0;
    unsigned char *p = (unsigned char *)addrs;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        struct sockaddr *sa = (struct sockaddr *)p;
        char a[INET6_ADDRSTRLEN];
        off += (size_t)snprintf(out + off, len - off, "%s%s", i ? "," : "",
                                addr_str(sa, a, sizeof a));
        p += sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in);
        if (off >= len)
            break;
    }
}

static const char *errname(int e)
{
    switch (e) {
    case 0: return "0";
    case ECONNRESET: return "ECONNRESET";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EPIPE: return "EPIPE";
    case ENOTCONN: return "ENOTCONN";
    case ECONNABORTED: return "ECONNABORTED";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case EINVAL: return "EINVAL";
    }
    static char buf[32];
    snprintf(buf, sizeof buf, "errno%d", e);
    return buf;
}

static const char *paddr_state(int s)
{
    switch (s) {
    case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
    case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
    case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
    case SCTP_ADDR_ADDED: return "ADDR_ADDED";
    case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
    case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
    case SCTP_ADDR_POTENTIALLY_FAILED: return "ADDR_POTENTIALLY_FAILED";
    }
    return "?";
}

static const char *assoc_state(int s)
{
    switch (s) {
    case SCTP_COMM_UP: return "COMM_UP";
    case SCTP_COMM_LOST: return "COMM_LOST";
    case SCTP_RESTART: return "RESTART";
    case SCTP_SHUTDOWN_COMP: return "SHUTDOWN_COMP";
    case SCTP_CANT_STR_ASSOC: return "CANT_STR_ASSOC";
    }
    return "?";
}

static void log_event(const union sctp_notification *n)
{
    char a[INET6_ADDRSTRLEN];
    switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
        say("EVENT ASSOC_CHANGE state=%s error=%u",
            assoc_state(n->sn_assoc_change.sac_state),
            n->sn_assoc_change.sac_error);
        break;
    case SCTP_PEER_ADDR_CHANGE:
        say("EVENT PEER_ADDR_CHANGE addr=%s state=%s error=%d",
            addr_str((const struct sockaddr *)&n->sn_paddr_change.spc_aaddr, a,
                     sizeof a),
            paddr_state(n->sn_paddr_change.spc_state),
            n->sn_paddr_change.spc_error);
        break;
    case SCTP_SHUTDOWN_EVENT:
        say("EVENT SHUTDOWN");
        break;
    case SCTP_REMOTE_ERROR:
        say("EVENT REMOTE_ERROR error=%u", ntohs(n->sn_remote_error.sre_error));
        break;
    case SCTP_SEND_FAILED_EVENT:
        say("EVENT SEND_FAILED_EVENT");
        break;
    default:
        say("EVENT type=0x%x", n->sn_header.sn_type);
    }
}

static void subscribe(int s)
{
    static const int types[] = {SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE,
                                SCTP_SHUTDOWN_EVENT, SCTP_REMOTE_ERROR};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct sctp_event e = {.se_assoc_id = SCTP_FUTURE_ASSOC,
                               .se_type = (uint16_t)types[i], .se_on = 1};
        CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENT, &e, sizeof e), 0);
    }
}

static int hb_ms = -1, pathmaxrxt = -1, rto_min = -1, rto_max = -1;

static void path_params(int s)
{
    if (rto_min > 0) {
        struct sctp_rtoinfo r = {.srto_initial = (uint32_t)rto_min,
                                 .srto_max = (uint32_t)rto_max,
                                 .srto_min = (uint32_t)rto_min};
        CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_RTOINFO, &r, sizeof r), 0);
    }
    if (hb_ms < 0 && pathmaxrxt < 0)
        return;
    struct sctp_paddrparams p;
    memset(&p, 0, sizeof p);
    p.spp_assoc_id = SCTP_FUTURE_ASSOC;
    if (hb_ms >= 0) {
        p.spp_hbinterval = (uint32_t)hb_ms;
        p.spp_flags |= SPP_HB_ENABLE;
    }
    if (pathmaxrxt >= 0)
        p.spp_pathmaxrxt = (uint16_t)pathmaxrxt;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &p, sizeof p), 0);
}

static void show_addrs(int s)
{
    struct sockaddr *l = NULL, *p = NULL;
    int nl = sctp_getladdrs(s, 0, &l), np = sctp_getpaddrs(s, 0, &p);
    char ls[512], ps[512];
    CHECK(nl > 0 && np > 0);
    list_addrs(ls, sizeof ls, l, nl);
    list_addrs(ps, sizeof ps, p, np);
    say("ADDRS local=%s peer=%s", ls, ps);
    sctp_freeladdrs(l);
    sctp_freepaddrs(p);
}

static int sink(int port, int limit, int events)
{
    int s = socket(family, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    if (events)
        subscribe(s);
    struct sockaddr_in6 any = {.sin6_family = (sa_family_t)family,
                               .sin6_port = htons(port)};
    CHECK_EQ(bind(s, (struct sockaddr *)&any,
                  family == AF_INET ? sizeof(struct sockaddr_in) : sizeof any),
             0);
    CHECK_EQ(listen(s, 128), 0);
    say("LISTENING port=%d", port);
    char buf[65536];
    double end = t_now() + limit;
    while (t_now() < end) {
        struct pollfd p = {s, POLLIN, 0};
        if (poll(&p, 1, 500) == 1) {
            struct iovec iv = {buf, sizeof buf};
            struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
            CHECK(recvmsg(s, &m, 0) >= 0);
            if (m.msg_flags & MSG_NOTIFICATION)
                log_event((union sctp_notification *)buf);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    t0 = t_now();
    if (argc < 2) {
        fprintf(stderr, "usage: net_xfer listen|connect [options]\n");
        return 64;
    }
    int listening = strcmp(argv[1], "listen") == 0;
    int port = 0, events = 0, addrs = 0, limit = 120, pause_ms = 0, quit = 0,
        probe = 0, stay_ms = 0;
    size_t msg = 65536;
    const char *bindl = NULL, *peers = NULL, *in = NULL, *out = NULL,
               *primary = NULL;
    int o;
    optind = 2;
    while ((o = getopt(argc, argv, "46p:b:c:i:o:m:eaH:R:r:P:d:w:xks:")) != -1) {
        switch (o) {
        case '4': family = AF_INET; break;
        case '6': family = AF_INET6; break;
        case 'p': port = atoi(optarg); break;
        case 'b': bindl = optarg; break;
        case 'c': peers = optarg; break;
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'm': msg = (size_t)atol(optarg); break;
        case 'e': events = 1; break;
        case 'a': addrs = 1; break;
        case 'H': hb_ms = atoi(optarg); break;
        case 'R': pathmaxrxt = atoi(optarg); break;
        case 'r': sscanf(optarg, "%d,%d", &rto_min, &rto_max); break;
        case 'P': primary = optarg; break;
        case 'd': pause_ms = atoi(optarg); break;
        case 'w': limit = atoi(optarg); break;
        case 'x': quit = 1; break;
        case 'k': probe = 1; break;
        case 's': stay_ms = atoi(optarg); break;
        default: return 64;
        }
    }
    if (strcmp(argv[1], "sink") == 0)
        return sink(port, limit, events);
    int s = socket(family, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(s >= 0);
    if (events)
        subscribe(s);
    path_params(s);
    struct sockaddr_storage set[8];
    size_t bytes;
    if (bindl) {
        int n = parse_addrs(bindl, listening ? port : 0, set, 8, &bytes);
        CHECK(n > 0);
        CHECK_EQ(sctp_bindx(s, (struct sockaddr *)set, n, SCTP_BINDX_ADD_ADDR), 0);
    } else if (listening) {
        struct sockaddr_in6 any = {.sin6_family = (sa_family_t)family,
                                   .sin6_port = htons(port)};
        CHECK_EQ(bind(s, (struct sockaddr *)&any,
                      family == AF_INET ? sizeof(struct sockaddr_in) : sizeof any),
                 0);
    }
    int c = s;
    if (listening) {
        CHECK_EQ(listen(s, 4), 0);
        say("LISTENING port=%d", port);
        c = accept(s, NULL, NULL);
        CHECK(c >= 0);
    } else {
        CHECK(peers != NULL);
        int n = parse_addrs(peers, port, set, 8, &bytes);
        if (sctp_connectx(s, (struct sockaddr *)set, n, NULL) < 0) {
            int e = errno;
            say("RESULT sent=0 received=0 errno=%s (connect)", errname(e));
            return 2;
        }
    }
    say("UP");
    if (addrs)
        show_addrs(c);
    if (stay_ms)
        poll(NULL, 0, stay_ms);
    if (quit)
        return 0;
    if (primary) {
        struct sctp_prim pr;
        struct sockaddr_storage pa;
        memset(&pr, 0, sizeof pr);
        size_t pb;
        CHECK_EQ(parse_addrs(primary, port, &pa, 1, &pb), 1);
        memcpy(&pr.ssp_addr, &pa, sizeof pr.ssp_addr);
        CHECK_EQ(setsockopt(c, SOL_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr), 0);
        say("PRIMARY %s", primary);
    }
    int infd = in ? open(in, O_RDONLY) : -1;
    int outfd = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
    CHECK(!in || infd >= 0);
    CHECK(!out || outfd >= 0);
    fcntl(c, F_SETFL, O_NONBLOCK);
    char *buf = malloc(msg > 65536 ? msg : 65536);
    CHECK(buf != NULL);
    size_t pending = 0, pend_off = 0;
    long long sent = 0, received = 0;
    int sending = infd >= 0, err = 0, eof = 0, shut = 0;
    char rbuf[65536];
    double deadline = t_now() + limit;
    while (!eof && !err) {
        if (t_now() > deadline) {
            err = ETIMEDOUT;
            say("GIVING UP after %d s", limit);
            break;
        }
        if (sending && pending == 0) {
            ssize_t r = read(infd, buf, msg);
            CHECK(r >= 0);
            if (r == 0) {
                sending = 0;
                CHECK_EQ(shutdown(c, SHUT_WR), 0);
                shut = 1;
                say("SENT ALL bytes=%lld", sent);
            }
            pending = (size_t)r;
            pend_off = 0;
        }
        struct pollfd p = {c, POLLIN | (sending ? POLLOUT : 0), 0};
        poll(&p, 1, shut ? 100 : 500);
        /* After our own SHUT_WR, Linux ends the association without
         * making the socket readable, and a non-blocking recv answers
         * EAGAIN (a blocking one ENOTCONN; only the side that received
         * the SHUTDOWN reads 0): the association's absence says it. */
        if (shut) {
            struct sctp_status st;
            socklen_t sl = sizeof st;
            memset(&st, 0, sizeof st);
            if (getsockopt(c, SOL_SCTP, SCTP_STATUS, &st, &sl) < 0 ||
                st.sstat_state == SCTP_CLOSED) {
                eof = 1;
                say("END OF FILE (the association is gone after our shutdown)");
                break;
            }
        }
        if (p.revents & POLLIN) {
            struct iovec iv = {rbuf, sizeof rbuf};
            struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
            ssize_t r = recvmsg(c, &m, 0);
            if (r < 0 && errno != EAGAIN) {
                err = errno;
                say("RECV FAILED errno=%s", errname(err));
            } else if (r == 0) {
                eof = 1;
                say("END OF FILE");
            } else if (r > 0 && (m.msg_flags & MSG_NOTIFICATION)) {
                const union sctp_notification *n = (void *)rbuf;
                log_event(n);
                if (probe && n->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
                    n->sn_assoc_change.sac_state == SCTP_COMM_LOST)
                    for (int i = 0; i < 2; i++) {
                        errno = 0;
                        ssize_t w = send(c, "x", 1, MSG_NOSIGNAL);
                        say("SEND errno=%s", w < 0 ? errname(errno) : "0");
                    }
            } else if (r > 0) {
                if (outfd >= 0)
                    CHECK_EQ(write(outfd, rbuf, (size_t)r), r);
                received += r;
            }
        }
        if (sending && pending && (p.revents & POLLOUT)) {
            ssize_t r = send(c, buf + pend_off, pending, MSG_NOSIGNAL);
            if (r < 0 && errno != EAGAIN) {
                err = errno;
                say("SEND FAILED errno=%s", errname(err));
            } else if (r > 0) {
                sent += r;
                pend_off += (size_t)r;
                pending -= (size_t)r;
                if (pause_ms)
                    poll(NULL, 0, pause_ms);
            }
        }
    }
    if (outfd >= 0)
        close(outfd);
    say("RESULT sent=%lld received=%lld errno=%s", sent, received, errname(err));
    close(c);
    if (c != s)
        close(s);
    return err ? 2 : 0;
}
