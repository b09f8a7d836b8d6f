/* Shared by the two benchmark programs: clocks, memory readings, and the
 * pipe on which a forked server tells its client it is ready and done. */
#ifndef SCTPSHIM_BENCH_UTIL_H
#define SCTPSHIM_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct bench_args {
    const char *test;  /* bulk, rr, connect, many, pipe, idle */
    int port;          /* SCTP/TCP port of the server */
    int udp_port;      /* usrsctp encapsulation port of the server (+1: client) */
    size_t size;       /* message size */
    double secs;       /* duration of time-bound tests */
    int assocs;        /* many: associations */
    long msgs;         /* many: messages over all associations */
    int tcp, seqpacket;
};

uint64_t now_ns(void);
/* Resident set size of this process, in KiB. */
long rss_kib(void);
/* CPU time of this process (all threads), in ns. */
uint64_t cpu_ns(void);
void raise_fd_limit(void);

/* Parses the common options; exits with a usage message on error. */
void bench_parse(int argc, char **argv, struct bench_args *a);

/* A forked server and its client talk over two pipes. */
struct side {
    int ready[2];
    int done[2];
    int bye[2]; /* the client closes its end when it is finished */
};
void side_open(struct side *s);
/* Server: the socket is listening. */
void side_ready(struct side *s);
/* Client: wait for side_ready. */
void side_wait_ready(struct side *s);
/* Server: hand one result line to the client. */
void side_report(struct side *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Client: read that line. */
void side_result(struct side *s, char *buf, size_t len);
/* After fork: each side keeps only the ends it uses. */
void side_child(struct side *s);
void side_parent(struct side *s);
/* Client: finished.  Server: wait until the client is. */
void side_bye(struct side *s);
void side_wait_bye(struct side *s);

/* The "many" client's figures, in the names scripts/bench reads: time
 * since t0_ns for msgs messages over assocs associations, and the memory
 * each association took on the server (server_kib, its report) and here
 * (since rss0_kib). */
void print_many(uint64_t t0_ns, long msgs, int assocs, const char *server_kib,
                long rss0_kib);

/* The 64-byte pipe round trip both programs report as a baseline. */
void run_pipe_test(double secs);

#endif
