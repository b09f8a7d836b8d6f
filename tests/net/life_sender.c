/* A sender that writes a file into an SCTP association and then leaves
 * the way MODE says, with its data still queued (tests/net/exit_down.sh):
 *   exit      exit(0) right after the last write, socket still open
 *   return    return from main
 *   thread    a second thread writes and calls exit(0); main waits in
 *             pthread_join
 *   signal    waits, the test sends SIGTERM or SIGINT, whose action the
 *             program leaves at the default: it dies by it
 *   handler   its own SIGTERM handler, which the shim must leave alone:
 *             it exits with status 3
 *   many      a one-to-many socket, sendto and exit(0)
 *   fail      a short retransmission limit, so that the association
 *             fails while the path is down; exit(0)
 * Usage: life_sender MODE ADDR PORT FILE.  Prints "connected PID", waits
 * for a byte on stdin, writes, and prints "queued" once every byte is
 * handed to the socket. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mode;
static struct sockaddr_in peer;
static unsigned char *data;
static size_t size;
static volatile sig_atomic_t got_term;

static void die(const char *what)
{
    fprintf(stderr, "life_sender %s: %s: %s\n", mode, what, strerror(errno));
    exit(2);
}

static void load(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        die("open");
    size = (size_t)st.st_size;
    data = malloc(size ? size : 1);
    if (!data || read(fd, data, size) != (ssize_t)size)
        die("read");
    close(fd);
}

static void short_limits(int s)
{
    struct sctp_rtoinfo rto = {.srto_initial = 200, .srto_max = 400,
                               .srto_min = 100};
    struct sctp_assocparams ap = {.sasoc_asocmaxrxt = 2};
    if (setsockopt(s, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto) < 0 ||
        setsockopt(s, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap) < 0)
        die("limits");
}

static void write_all(void)
{
    int many = strcmp(mode, "many") == 0;
    int s = socket(AF_INET, many ? SOCK_SEQPACKET : SOCK_STREAM, IPPROTO_SCTP);
    if (s < 0)
        die("socket");
    if (strcmp(mode, "fail") == 0)
        short_limits(s);
    if (!many && connect(s, (struct sockaddr *)&peer, sizeof peer) < 0)
        die("connect");
    /* The test cuts the path once every sender is connected. */
    printf("connected %d\n", (int)getpid());
    fflush(stdout);
    char go;
    if (read(0, &go, 1) != 1)
        die("stdin");
    for (size_t off = 0; off < size;) {
        size_t n = size - off < 8192 ? size - off : 8192;
        ssize_t r = many ? sendto(s, data + off, n, 0,
                                  (struct sockaddr *)&peer, sizeof peer)
                         : send(s, data + off, n, 0);
        if (r < 0)
            die("send");
        off += (size_t)r;
    }
    printf("queued\n");
    fflush(stdout);
}

static void *thread_main(void *arg)
{
    (void)arg;
    write_all();
    exit(0);
}

static void on_term(int sig)
{
    (void)sig;
    got_term = 1;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        return 2;
    mode = argv[1];
    memset(&peer, 0, sizeof peer);
    peer.sin_family = AF_INET;
    peer.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &peer.sin_addr) != 1)
        return 2;
    load(argv[4]);
    /* A shell starts background jobs with SIGINT ignored: this program
     * chooses the default action for both. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, strcmp(mode, "handler") == 0 ? on_term : SIG_DFL);
    if (strcmp(mode, "thread") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_main, NULL) != 0)
            die("pthread_create");
        pthread_join(t, NULL);
        return 4; /* not reached: the thread exits */
    }
    write_all();
    if (strcmp(mode, "return") == 0)
        return 0;
    if (strcmp(mode, "signal") == 0)
        for (;;)
            pause();
    if (strcmp(mode, "handler") == 0) {
        while (!got_term)
            pause();
        exit(3);
    }
    exit(0);
}
