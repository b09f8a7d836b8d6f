/* A program as a user of the installed package writes it: built only with
 * `pkg-config --cflags --libs sctpshim`, it calls the shim's own exports
 * sctp_sendx and sctp_sendmsgx (declared in <sctpshim.h>) to itself over
 * a one-to-many socket, and checks what arrives: bytes, stream, PPID.
 * tests/bin/install.sh and tests/bin/deb.sh compile and run it.
 * usage: sendx_user PORT */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sctpshim.h>

static void die(const char *what)
{
    fprintf(stderr, "sendx_user: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The next data message on s, skipping events. */
static void expect(int s, const char *body, int sid, uint32_t ppid)
{
    char buf[256];
    for (;;) {
        struct sctp_sndrcvinfo info;
        int flags = 0;
        memset(&info, 0, sizeof info);
        ssize_t n = sctp_recvmsg(s, buf, sizeof buf, NULL, NULL, &info, &flags);
        if (n < 0)
            die("sctp_recvmsg");
        if (flags & MSG_NOTIFICATION)
            continue;
        if ((size_t)n != strlen(body) || memcmp(buf, body, (size_t)n) != 0 ||
            info.sinfo_stream != sid || info.sinfo_ppid != ppid) {
            fprintf(stderr, "sendx_user: got %zd bytes '%.*s' sid %u ppid 0x%x, "
                    "expected '%s' sid %d ppid 0x%x\n", n, (int)n, buf,
                    info.sinfo_stream, info.sinfo_ppid, body, sid, ppid);
            exit(1);
        }
        return;
    }
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 25500;
    if (!sctpshim_version) {
        fprintf(stderr, "sendx_user: the shim is not loaded\n");
        return 1;
    }
    int srv = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    if (srv < 0 || cli < 0)
        die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1};
    if (bind(srv, (struct sockaddr *)&a, sizeof a) < 0 || listen(srv, 4) < 0 ||
        setsockopt(srv, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0)
        die("listener");
    struct sctp_sndrcvinfo si = {.sinfo_stream = 3, .sinfo_ppid = htonl(77)};
    if (sctp_sendx(cli, "via-sendx", 9, (struct sockaddr *)&a, 1, &si, 0) != 9)
        die("sctp_sendx");
    expect(srv, "via-sendx", 3, htonl(77));
    if (sctp_sendmsgx(cli, "via-sendmsgx", 12, (struct sockaddr *)&a, 1,
                      htonl(78), 0, 4, 0, 0) != 12)
        die("sctp_sendmsgx");
    expect(srv, "via-sendmsgx", 4, htonl(78));
    printf("sendx_user: sctp_sendx and sctp_sendmsgx delivered (shim %s)\n",
           sctpshim_version());
    return 0;
}
