#include "bench_util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void usage(void)
{
    fprintf(stderr,
            "usage: BENCH TEST [--tcp|--sctp] [--seqpacket] [--port P] "
            "[--udp-port U]\n"
            "       [--size BYTES] [--secs S] [--assocs N] [--msgs M]\n"
            "TEST: bulk rr connect many pipe pipe_thread idle\n");
    exit(2);
}

void bench_parse(int argc, char **argv, struct bench_args *a)
{
    static const struct option opts[] = {
        {"tcp", no_argument, 0, 't'},    {"sctp", no_argument, 0, 's'},
        {"seqpacket", no_argument, 0, 'q'}, {"port", required_argument, 0, 'p'},
        {"udp-port", required_argument, 0, 'u'},
        {"size", required_argument, 0, 'z'}, {"secs", required_argument, 0, 'd'},
        {"assocs", required_argument, 0, 'n'}, {"msgs", required_argument, 0, 'm'},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->port = 23000;
    a->udp_port = 23900;
    a->size = 64;
    a->secs = 2;
    a->assocs = 100;
    a->msgs = 100000;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't': a->tcp = 1; break;
        case 's': a->tcp = 0; break;
        case 'q': a->seqpacket = 1; break;
        case 'p': a->port = atoi(optarg); break;
        case 'u': a->udp_port = atoi(optarg); break;
        case 'z': a->size = (size_t)atol(optarg); break;
        case 'd': a->secs = atof(optarg); break;
        case 'n': a->assocs = atoi(optarg); break;
        case 'm': a->msgs = atol(optarg); break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();
    a->test = argv[optind];
    if (a->size < 2 || a->size > (1 << 20))
        usage();
}

static void must_write(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            perror("side write");
            exit(1);
        }
        p = (const char *)p + r;
        n -= (size_t)r;
    }
}

void side_open(struct side *s)
{
    if (pipe(s->ready) < 0 || pipe(s->done) < 0 || pipe(s->bye) < 0) {
        perror("pipe");
        exit(1);
    }
}

void side_ready(struct side *s)
{
    must_write(s->ready[1], "R", 1);
}

void side_wait_ready(struct side *s)
{
    char c;
    if (read(s->ready[0], &c, 1) != 1) {
        fprintf(stderr, "server failed to start\n");
        exit(1);
    }
}

void side_report(struct side *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    buf[n++] = '\n';
    must_write(s->done[1], buf, (size_t)n);
}

void side_result(struct side *s, char *buf, size_t len)
{
    size_t n = 0;
    while (n + 1 < len) {
        ssize_t r = read(s->done[0], buf + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = 0;
}

void side_child(struct side *s)
{
    close(s->ready[0]);
    close(s->done[0]);
    close(s->bye[1]);
}

void side_parent(struct side *s)
{
    close(s->ready[1]);
    close(s->done[1]);
    close(s->bye[0]);
}

void side_bye(struct side *s)
{
    close(s->bye[1]);
}

void side_wait_bye(struct side *s)
{
    char c;
    while (read(s->bye[0], &c, 1) < 0 && errno == EINTR)
        ;
}

void print_many(uint64_t t0_ns, long msgs, int assocs, const char *server_kib,
                long rss0_kib)
{
    double secs = (double)(now_ns() - t0_ns) / 1e9;
    printf("many_secs %.3f\nmany_msgs_per_s %.0f\n", secs, (double)msgs / secs);
    printf("many_server_kib_per_assoc %.2f\nmany_client_kib_per_assoc %.2f\n",
           atof(server_kib) / assocs, (double)(rss_kib() - rss0_kib) / assocs);
}

void run_pipe_test(double secs)
{
    int p[2];
    char buf[64] = {0};
    if (pipe(p) < 0) {
        perror("pipe");
        exit(1);
    }
    /* Batches, so that one preemption by a neighbour spoils one batch,
     * not the figure: the median batch is reported. */
    enum { BATCH = 20000, MAXB = 4096 };
    static double per_op[MAXB];
    int nb = 0;
    uint64_t end = now_ns() + (uint64_t)(secs * 1e9);
    while (nb < MAXB && (nb < 5 || now_ns() < end)) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < BATCH; i++) {
            if (write(p[1], buf, sizeof buf) != sizeof buf ||
                read(p[0], buf, sizeof buf) != sizeof buf) {
                perror("pipe io");
                exit(1);
            }
        }
        per_op[nb++] = (double)(now_ns() - t0) / BATCH;
    }
    for (int i = 1; i < nb; i++) /* insertion sort: a few hundred values */
        for (int j = i; j > 0 && per_op[j - 1] > per_op[j]; j--) {
            double t = per_op[j];
            per_op[j] = per_op[j - 1];
            per_op[j - 1] = t;
        }
    /* The 10th percentile too: the machine's own cost with the least
     * interference from neighbours. */
    printf("pipe_ns %.1f\npipe_ns_p10 %.1f\n", per_op[nb / 2], per_op[nb / 10]);
}
