/* SCTPSHIM_STATS: the summary printed at exit, one line per
 * association the tracker followed (track.c), oldest first. */
#include "usrsctp/track.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "usrsctp/track_rec.h"

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = *buf ? vsnprintf(*buf + *len, *cap - *len, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        size_t c = *cap ? *cap * 2 : 4096;
        char *b = realloc(*buf, c);
        if (!b)
            return;
        *buf = b;
        *cap = c;
    }
}

static const char *path_state(int st)
{
    return st == SNAP_ACTIVE ? "active" : st == SNAP_UNCONFIRMED ? "unconfirmed" : "inactive";
}

static void report_one(char **buf, size_t *len, size_t *cap, int pid, int n,
                       const struct assoc *a, const struct timespec *now)
{
    char l[64], r[64];
    track_fmt_addr(&a->local, a->lkey.lport, l, sizeof l);
    track_fmt_addr(&a->peer, a->lkey.pport, r, sizeof r);
    const struct timespec *end = track_rec_ended(a) ? &a->end : now;
    double secs = (double)(end->tv_sec - a->start.tv_sec) +
                  (double)(end->tv_nsec - a->start.tv_nsec) / 1e9;
    const char *how = track_rec_ended(a) ? a->ended : a->state >= A_UP ? "open" : "never-up";
    append(buf, len, cap,
           "sctpshim[%d]: assoc %d: fd=%d local=%s peer=%s duration=%.3fs end=%s "
           "sent_msgs=%llu sent_bytes=%llu recv_msgs=%llu recv_bytes=%llu "
           "retransmissions=%llu",
           pid, n, track_rec_fd(a), l, r, secs < 0 ? 0 : secs, how,
           (unsigned long long)a->sent_msgs, (unsigned long long)a->sent_bytes,
           (unsigned long long)a->recv_msgs, (unsigned long long)a->recv_bytes,
           (unsigned long long)a->rtx);
    if (!a->snap.valid) {
        append(buf, len, cap, " abandoned=- srtt=- paths=-\n");
        return;
    }
    append(buf, len, cap, " abandoned=%llu srtt=%ums paths=",
           (unsigned long long)a->snap.abandoned, a->snap.srtt_ms);
    for (int i = 0; i < a->snap.npaths; i++) {
        char ip[64];
        track_fmt_addr(&a->snap.path[i].addr, 0, ip, sizeof ip);
        *strrchr(ip, ':') = 0; /* the address alone */
        append(buf, len, cap, "%s%s/%s/%ums", i ? "," : "", ip,
               path_state(a->snap.path[i].state), a->snap.path[i].srtt_ms);
    }
    append(buf, len, cap, "%s\n", a->snap.npaths ? "" : "-");
}

void track_report(void)
{
    if (!track_stats_on)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int pid = (int)getpid();
    char *buf = NULL;
    size_t len = 0, cap = 0;
    pthread_mutex_lock(&track_lock);
    int count = 0;
    for (struct assoc *a = track_all; a; a = a->next)
        if (a->state != A_INIT_RECV && a->state != A_INIT_ACK_SENT)
            count++;
    append(&buf, &len, &cap, "sctpshim[%d]: stats: %d association%s", pid, count,
           count == 1 ? "" : "s");
    if (track_ndropped)
        append(&buf, &len, &cap, " (and %d older ones not kept)", track_ndropped);
    append(&buf, &len, &cap, "\n");
    /* Oldest first: the list is newest first. */
    const struct assoc **order = calloc((size_t)count + 1, sizeof *order);
    int k = count;
    for (struct assoc *a = track_all; a && order; a = a->next)
        if (a->state != A_INIT_RECV && a->state != A_INIT_ACK_SENT)
            order[--k] = a;
    for (int i = 0; order && i < count; i++)
        report_one(&buf, &len, &cap, pid, i + 1, order[i], &now);
    free(order);
    pthread_mutex_unlock(&track_lock);
    if (!buf)
        return;
    if (!track_stats_path) {
        shim_log_write(buf, len);
    } else {
        int f = open(track_stats_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (f < 0 || real.write(f, buf, len) != (ssize_t)len)
            shim_log("SCTPSHIM_STATS: cannot write %s: %s", track_stats_path, strerror(errno));
        if (f >= 0)
            real.close(f);
    }
    free(buf);
}
