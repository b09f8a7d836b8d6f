/* Messages that usrsctp keeps in many small buffers all arrive.
 *
 * usrsctp 0.9.5 sends a packet from at most 32 mbufs and silently drops
 * one made of more (user_socket.c: "mbuf chain couldn't be copied
 * completely"), counting it sent; its retransmissions are built the same
 * way and dropped too, so the association stalls for good.  A message of
 * 2048 k + r bytes, r up to 1 KiB, lies in k clusters and about five small
 * mbufs; on loopback, where the shim gave usrsctp 32 KiB packets, ten of
 * them bundled made such a packet, and the first message was the last to
 * arrive.  Each size below is sent by one thread, back to back, and read
 * by another: every byte arrives, in order, within a generous bound. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#define TOTAL (6 * 1024 * 1024)

struct writer {
    int fd;
    size_t size;
    size_t count;
    const struct sockaddr_in *to; /* one-to-many: where to */
};

static unsigned char byte_at(size_t msg, size_t i)
{
    return (unsigned char)(msg * 7 + i * 13);
}

static void *write_all(void *arg)
{
    struct writer *w = arg;
    static unsigned char buf[65536];
    for (size_t m = 0; m < w->count; m++) {
        for (size_t i = 0; i < w->size; i++)
            buf[i] = byte_at(m, i);
        ssize_t r = w->to ? sendto(w->fd, buf, w->size, 0,
                                   (const struct sockaddr *)w->to, sizeof *w->to)
                          : send(w->fd, buf, w->size, 0);
        CHECK_EQ(r, (ssize_t)w->size);
    }
    return NULL;
}

/* Reads count messages of size from fd, each whole and as sent. */
static void read_all(int fd, size_t size, size_t count)
{
    static unsigned char buf[65536 + 1];
    for (size_t m = 0; m < count; m++) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 20000) != 1) {
            fprintf(stderr, "    %zu-byte messages: %zu of %zu arrived, then "
                    "nothing for 20 s\n", size, m, count);
            CHECK(0);
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        CHECK_EQ(n, (ssize_t)size);
        for (size_t i = 0; i < size; i++)
            if (buf[i] != byte_at(m, i)) {
                fprintf(stderr, "    message %zu, byte %zu differs\n", m, i);
                CHECK(0);
            }
    }
}

static const size_t sizes[] = {3038, 3072, 2990, 5120, 7100, 1100, 40000};

/* Every size, from cli to srv (to: one-to-many's address, or NULL). */
static void every_size(int cli, int srv, const struct sockaddr_in *to)
{
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct writer w = {cli, sizes[k], TOTAL / sizes[k], to};
        pthread_t t;
        CHECK_EQ(pthread_create(&t, NULL, write_all, &w), 0);
        read_all(srv, w.size, w.count);
        CHECK_EQ(pthread_join(t, NULL), 0);
    }
}

TEST(one_to_one)
{
    int lsn, cli, srv;
    t_pair(t_port(0), &lsn, &cli, &srv);
    every_size(cli, srv, NULL);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(one_to_many)
{
    int srv = t_listener(SOCK_SEQPACKET, t_port(1));
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(cli >= 0);
    struct sockaddr_in to = t_addr(t_port(1));
    every_size(cli, srv, &to);
    close(cli);
    close(srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    RUN(one_to_one);
    RUN(one_to_many);
    t_done("packing");
    return 0;
}
