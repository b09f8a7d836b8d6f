/* The capture file.  Packets are copied into a buffer and written out
 * when it fills, when the oldest is 100 ms old at the next packet, at
 * each tick of the watch thread (4 Hz), before fork and at exit: a
 * system call per packet would double the cost of the stack's own
 * sendmsg and recvmsg.  A process that dies by a signal loses at most
 * the last quarter second. */
#include "usrsctp/pcap.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"

#define LINKTYPE_RAW 101 /* an IPv4 or IPv6 header first */
#define PCAP_BUF (256 * 1024)
#define PCAP_AGE_NS (100 * 1000 * 1000L)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *path;   /* as SCTPSHIM_PCAP names it; NULL: off */
static int fd = -1;
static dev_t file_dev;
static ino_t file_ino;
static int forked;   /* a fork child: always a file of its own */
static int failed;   /* could not open: said once, not retried */
static unsigned char *buf;
static size_t used;
static struct timespec first; /* of the oldest buffered packet */
static uint16_t ip_id;

void pcap_enable(const char *p)
{
    path = strdup(p);
}

int pcap_enabled(void)
{
    return path != NULL;
}

/* NAME.pcap -> NAME.PID.pcap; NAME -> NAME.PID */
static void name_with_pid(char *out, size_t cap)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash + 1))
        snprintf(out, cap, "%.*s.%d%s", (int)(dot - path), path, (int)getpid(), dot);
    else
        snprintf(out, cap, "%s.%d", path, (int)getpid());
}

static void put32(unsigned char *b, uint32_t v) { memcpy(b, &v, 4); }

/* Opens the file and writes its header; the first process to name FILE
 * holds an flock on it for its life, so a second one (a fork child, or
 * another program with the same setting) sees that and takes a name of
 * its own rather than writing over the first's packets. */
static int open_file(void)
{
    char name[4096];
    int f = -1;
    if (!forked) {
        f = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (f >= 0 && flock(f, LOCK_EX | LOCK_NB) == 0) {
            if (ftruncate(f, 0) < 0) {
                real.close(f);
                f = -1;
            }
            snprintf(name, sizeof name, "%s", path);
        } else if (f >= 0) {
            real.close(f);
            f = -2;
        }
    }
    if (f == -1 || f == -2 || forked) {
        name_with_pid(name, sizeof name);
        f = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (f >= 0)
            flock(f, LOCK_EX | LOCK_NB);
    }
    if (f < 0) {
        shim_log("SCTPSHIM_PCAP: cannot write %s: %s", name, strerror(errno));
        failed = 1;
        return -1;
    }
    /* Out of the way of programs that expect the lowest free numbers. */
    int high = real.fcntl(f, F_DUPFD_CLOEXEC, 512);
    if (high >= 0) {
        real.close(f);
        f = high;
    }
    unsigned char h[24];
    put32(h, 0xa1b23c4d); /* nanosecond timestamps */
    uint16_t major = 2, minor = 4;
    memcpy(h + 4, &major, 2);
    memcpy(h + 6, &minor, 2);
    put32(h + 8, 0);
    put32(h + 12, 0);
    put32(h + 16, 262144); /* snaplen */
    put32(h + 20, LINKTYPE_RAW);
    struct stat st;
    if (real.write(f, h, sizeof h) != (ssize_t)sizeof h || fstat(f, &st) < 0) {
        shim_log("SCTPSHIM_PCAP: cannot write %s: %s", name, strerror(errno));
        real.close(f);
        failed = 1;
        return -1;
    }
    fd = f;
    file_dev = st.st_dev;
    file_ino = st.st_ino;
    SHIM_LOG("SCTPSHIM_PCAP: writing %s", name);
    return 0;
}

/* The caller holds the lock. */
static void flush_locked(void)
{
    if (!used)
        return;
    struct stat st;
    /* A program's "close every descriptor" loop may have closed it, and
     * the number may name another file now: then the rest is lost rather
     * than written into that file. */
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != file_dev ||
        st.st_ino != file_ino) {
        if (fd >= 0 && !failed)
            shim_log("SCTPSHIM_PCAP: the capture file was closed by the program");
        fd = -1;
        failed = 1;
        used = 0;
        return;
    }
    size_t off = 0;
    while (off < used) {
        ssize_t w = real.write(fd, buf + off, used - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    used = 0;
}

void pcap_flush(void)
{
    pthread_mutex_lock(&lock);
    flush_locked();
    pthread_mutex_unlock(&lock);
}

static uint16_t ip_checksum(const unsigned char *h, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The IP header the packet would have had on a kernel without UDP
 * encapsulation; returns its length. */
static size_t ip_header(const struct wire_pkt *p, unsigned char *h)
{
    if (p->dst.ss_family == AF_INET6 || p->src.ss_family == AF_INET6) {
        memset(h, 0, 40);
        h[0] = 0x60;
        h[4] = (unsigned char)(p->len >> 8);
        h[5] = (unsigned char)p->len;
        h[6] = IPPROTO_SCTP;
        h[7] = 64;
        if (p->src.ss_family == AF_INET6)
            memcpy(h + 8, &((const struct sockaddr_in6 *)&p->src)->sin6_addr, 16);
        if (p->dst.ss_family == AF_INET6)
            memcpy(h + 24, &((const struct sockaddr_in6 *)&p->dst)->sin6_addr, 16);
        return 40;
    }
    size_t total = p->len + 20;
    memset(h, 0, 20);
    h[0] = 0x45;
    h[2] = (unsigned char)(total >> 8);
    h[3] = (unsigned char)total;
    h[4] = (unsigned char)(ip_id >> 8);
    h[5] = (unsigned char)ip_id;
    ip_id++;
    h[6] = 0x40; /* don't fragment */
    h[8] = 64;
    h[9] = IPPROTO_SCTP;
    if (p->src.ss_family == AF_INET)
        memcpy(h + 12, &((const struct sockaddr_in *)&p->src)->sin_addr, 4);
    if (p->dst.ss_family == AF_INET)
        memcpy(h + 16, &((const struct sockaddr_in *)&p->dst)->sin_addr, 4);
    uint16_t c = ip_checksum(h, 20);
    h[10] = (unsigned char)(c >> 8);
    h[11] = (unsigned char)c;
    return 20;
}

static long age_ns(const struct timespec *now)
{
    return (now->tv_sec - first.tv_sec) * 1000000000L + (now->tv_nsec - first.tv_nsec);
}

void pcap_packet(const struct wire_pkt *p)
{
    pthread_mutex_lock(&lock);
    if (failed || (fd < 0 && open_file() < 0)) {
        pthread_mutex_unlock(&lock);
        return;
    }
    if (!buf && !(buf = malloc(PCAP_BUF))) {
        pthread_mutex_unlock(&lock);
        return;
    }
    size_t cap = p->len < 262144 - 40 ? p->len : 262144 - 40;
    size_t need = 16 + 40 + cap;
    if (used + need > PCAP_BUF)
        flush_locked();
    if (need <= PCAP_BUF) {
        if (!used)
            first = p->when;
        unsigned char *r = buf + used;
        size_t iph = ip_header(p, r + 16);
        size_t got = wire_read(p, 0, r + 16 + iph, cap);
        put32(r, (uint32_t)p->when.tv_sec);
        put32(r + 4, (uint32_t)p->when.tv_nsec);
        put32(r + 8, (uint32_t)(iph + got));
        put32(r + 12, (uint32_t)(iph + p->len));
        used += 16 + iph + got;
        if (age_ns(&p->when) >= PCAP_AGE_NS)
            flush_locked();
    }
    pthread_mutex_unlock(&lock);
}

void pcap_after_fork_child(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    lock = fresh;
    /* The parent's file and packets are the parent's; the descriptor is
     * left to the parent (closing it here would be the same open file,
     * and flock is per open file). */
    if (fd >= 0)
        real.close(fd);
    fd = -1;
    used = 0;
    failed = 0;
    forked = 1;
}
