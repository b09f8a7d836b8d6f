/* The association tracker (track.h).  Records are found by
 * (local port, peer port, tag) in two hashes: packets to us carry our
 * tag, packets from us the peer's.  One mutex covers them; it is taken
 * on any thread, inside usrsctp's calls too, so nothing is called into
 * the stack while it is held (snapshots are taken outside it). */
#include "usrsctp/track.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "usrsctp/causes.h"
#include "usrsctp/internal.h"
#include "usrsctp/snapshot.h"
#include "usrsctp/track_rec.h"
#include "usrsctp/tsnwin.h"

/* Records kept for the summary; beyond it the oldest ended ones are
 * only counted. */
#define MAX_RECORDS 4096

struct owner {
    struct stk_sock *s;
    uint16_t port;
};

pthread_mutex_t track_lock = PTHREAD_MUTEX_INITIALIZER;
int track_stats_on;
char *track_stats_path;
struct assoc *track_all;
int track_ndropped;
static int events_on;
static struct assoc *by_l, *by_p;
static int nrecords;
static struct owner *owners;
static int nowners, cap_owners;

void track_enable_stats(const char *path)
{
    track_stats_on = 1;
    track_stats_path = path ? strdup(path) : NULL;
}

void track_enable_events(void) { events_on = 1; }
int track_enabled(void) { return events_on || track_stats_on; }

/* The descriptor a record's lines name: its socket's, or the last one
 * it had once the program closed it. */
int track_rec_fd(const struct assoc *a)
{
    int fd = a->owner ? __atomic_load_n(&a->owner->fd, __ATOMIC_RELAXED) : -1;
    return fd >= 0 ? fd : a->fd;
}

static int tsn_after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

void track_fmt_addr(const struct sockaddr_storage *ss, uint16_t port, char *out,
                    size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, ip, sizeof ip);
    else if (ss->ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, ip, sizeof ip);
    if (ss->ss_family == AF_INET6)
        snprintf(out, cap, "[%s]:%u", ip, port);
    else
        snprintf(out, cap, "%s:%u", ip, port);
}

/* ---- records ---- */

static struct assoc *find(int ours, uint16_t lport, uint16_t pport, uint32_t tag)
{
    struct key k = {lport, pport, tag};
    struct assoc *a = NULL;
    if (ours)
        HASH_FIND(hl, by_l, &k, sizeof k, a);
    else
        HASH_FIND(hp, by_p, &k, sizeof k, a);
    return a;
}

static void set_tag(struct assoc *a, int ours, uint32_t tag)
{
    struct key *k = ours ? &a->lkey : &a->pkey;
    int *in = ours ? &a->in_l : &a->in_p;
    if (*in) {
        if (k->tag == tag)
            return;
        if (ours)
            HASH_DELETE(hl, by_l, a);
        else
            HASH_DELETE(hp, by_p, a);
        *in = 0;
    }
    k->tag = tag;
    /* A tag already taken (a peer that reuses one): the newer wins. */
    struct assoc *old = find(ours, k->lport, k->pport, tag);
    if (old) {
        if (ours) {
            HASH_DELETE(hl, by_l, old);
            old->in_l = 0;
        } else {
            HASH_DELETE(hp, by_p, old);
            old->in_p = 0;
        }
    }
    if (ours)
        HASH_ADD(hl, by_l, lkey, sizeof(struct key), a);
    else
        HASH_ADD(hp, by_p, pkey, sizeof(struct key), a);
    *in = 1;
}

static void unhash(struct assoc *a)
{
    if (a->in_l)
        HASH_DELETE(hl, by_l, a);
    if (a->in_p)
        HASH_DELETE(hp, by_p, a);
    a->in_l = a->in_p = 0;
}

int track_rec_ended(const struct assoc *a)
{
    return a->state >= A_DOWN;
}

/* Keeps the list bounded: a pending INIT that never became an
 * association, else the oldest ended record, goes. */
static void evict(void)
{
    struct assoc **victim = NULL;
    for (struct assoc **pp = &track_all; *pp; pp = &(*pp)->next) {
        struct assoc *a = *pp;
        if (a->busy)
            continue;
        if (a->state == A_INIT_RECV || a->state == A_INIT_ACK_SENT) {
            victim = pp;
            break;
        }
        if (track_rec_ended(a) && a->owner == NULL)
            victim = pp; /* the last such is the oldest */
    }
    if (!victim)
        return;
    struct assoc *a = *victim;
    *victim = a->next;
    unhash(a);
    for (struct assoc *b = track_all; b; b = b->next)
        if (b->restart_of == a)
            b->restart_of = NULL;
    if (a->state != A_INIT_RECV && a->state != A_INIT_ACK_SENT)
        track_ndropped++;
    tsnwin_free(&a->rx);
    free(a);
    nrecords--;
}

static struct owner *owner_of_port(uint16_t port)
{
    for (int i = nowners - 1; i >= 0; i--)
        if (owners[i].port == port)
            return &owners[i];
    return NULL;
}

static struct assoc *new_record(const struct wire_pkt *p, uint16_t lport,
                                uint16_t pport)
{
    if (nrecords >= MAX_RECORDS)
        evict();
    struct assoc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->lkey.lport = a->pkey.lport = lport;
    a->lkey.pport = a->pkey.pport = pport;
    a->local = p->outgoing ? p->src : p->dst;
    a->peer = p->outgoing ? p->dst : p->src;
    a->start = p->when;
    a->fd = -1;
    struct owner *o = owner_of_port(lport);
    if (o)
        a->owner = o->s;
    a->next = track_all;
    track_all = a;
    nrecords++;
    return a;
}

/* ---- events ---- */

static void describe(const struct assoc *a, char *out, size_t cap)
{
    char l[64], r[64];
    track_fmt_addr(&a->local, a->lkey.lport, l, sizeof l);
    track_fmt_addr(&a->peer, a->lkey.pport, r, sizeof r);
    int fd = track_rec_fd(a);
    if (fd >= 0)
        snprintf(out, cap, "fd %d, local %s, peer %s", fd, l, r);
    else
        snprintf(out, cap, "fd ?, local %s, peer %s", l, r);
}

/* Lines are written after the lock is let go. */
struct pending_lines {
    char text[2][400];
    int n;
};

static void event(struct pending_lines *out, const struct assoc *a,
                  const char *what, const char *detail)
{
    if (!events_on || out->n >= 2)
        return;
    char d[200];
    describe(a, d, sizeof d);
    snprintf(out->text[out->n++], sizeof out->text[0], "sctpshim[%d]: association %s: %s%s%s\n",
             (int)getpid(), what, d, detail && *detail ? ", " : "", detail ? detail : "");
}

static void went_up(struct pending_lines *lines, struct assoc *a)
{
    a->state = A_UP;
    char d[64];
    snprintf(d, sizeof d, "streams %u out %u in",
             a->our_os < a->peer_mis ? a->our_os : a->peer_mis,
             a->peer_os < a->our_mis ? a->peer_os : a->our_mis);
    if (a->restart_of && !track_rec_ended(a->restart_of)) {
        struct assoc *old = a->restart_of;
        old->state = A_RESTARTED;
        old->end = a->start;
        snprintf(old->ended, sizeof old->ended, "restarted by the peer");
        /* usrsctp keeps the association, and its socket. */
        a->owner = old->owner;
        a->fd = old->fd;
        event(lines, a, "restart", d);
    } else {
        event(lines, a, "up", d);
    }
}

/* ---- packets ---- */

/* A record alive enough for the stack to know it. */
static int alive(const struct assoc *a)
{
    return a->state >= A_COOKIE && a->state < A_DOWN;
}

struct snap_req {
    struct assoc *a;
    struct stk_sock *s;
    struct sockaddr_storage peer; /* with the SCTP port */
};

static void want_snapshot(struct snap_req *r, struct assoc *a)
{
    if (!track_stats_on || r->a || !a->owner || !alive(a))
        return;
    r->a = a;
    r->s = a->owner;
    r->peer = a->peer;
    ((struct sockaddr_in *)&r->peer)->sin_port = htons(a->lkey.pport);
    if (r->peer.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&r->peer)->sin6_port = htons(a->lkey.pport);
    a->busy++;
}

static int same_ip(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
    if (x->ss_family != y->ss_family)
        return 0;
    if (x->ss_family == AF_INET)
        return ((const struct sockaddr_in *)x)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)y)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
                  &((const struct sockaddr_in6 *)y)->sin6_addr, 16) == 0;
}

/* The peer's INIT for ports and an address that have an association
 * up: the peer restarted, if a COOKIE ACK follows. */
static struct assoc *restarting(const struct assoc *n)
{
    for (struct assoc *a = track_all; a; a = a->next)
        if (a != n && (a->state == A_UP || a->state == A_SHUTDOWN) &&
            a->lkey.lport == n->lkey.lport && a->lkey.pport == n->lkey.pport &&
            same_ip(&a->peer, &n->peer))
            return a;
    return NULL;
}

static void finish(struct pending_lines *lines, struct assoc *a,
                   const struct wire_pkt *p, int how, const char *detail)
{
    if (track_rec_ended(a))
        return;
    a->state = how;
    a->end = p->when;
    if (how == A_DOWN) {
        const char *by = a->shutdown_by == 2 ? "peer" : "us";
        snprintf(a->ended, sizeof a->ended, "shutdown-by-%s", by);
        char d[40];
        snprintf(d, sizeof d, "shutdown by %s", by);
        event(lines, a, "down", d);
    } else {
        snprintf(a->ended, sizeof a->ended, "aborted-by-%s",
                 p->outgoing ? "us" : "peer");
        event(lines, a, p->outgoing ? "aborted by us" : "aborted by peer", detail);
    }
}

static void chunk(struct pending_lines *lines, struct snap_req *snap,
                  struct assoc **ap, const struct wire_pkt *p, size_t at,
                  const unsigned char *c, size_t got, uint16_t lport,
                  uint16_t pport, uint32_t vtag)
{
    struct assoc *a = *ap;
    uint8_t type = c[0], flags = c[1];
    uint16_t clen = wire_be16(c + 2);
    int out = p->outgoing;
    switch (type) {
    case WC_INIT:
    case WC_INIT_ACK: {
        if (got < 20)
            return;
        uint32_t tag = wire_be32(c + 4), itsn = wire_be32(c + 16);
        uint16_t os = wire_be16(c + 12), mis = wire_be16(c + 14);
        if (type == WC_INIT) {
            a = find(out, lport, pport, tag);
            if (!a && (a = new_record(p, lport, pport))) {
                a->state = out ? A_INIT_SENT : A_INIT_RECV;
                set_tag(a, out, tag);
                if (!out)
                    a->restart_of = restarting(a);
            }
        } else if (!a && out && (a = new_record(p, lport, pport))) {
            a->state = A_INIT_RECV; /* its INIT was not seen */
            set_tag(a, 0, vtag);
        }
        if (!a)
            return;
        if (type == WC_INIT_ACK) {
            set_tag(a, out, tag);
            if (out && a->state < A_INIT_ACK_SENT)
                a->state = A_INIT_ACK_SENT;
        }
        if (out) {
            a->our_os = os;
            a->our_mis = mis;
            a->high_sent = itsn - 1;
        } else {
            a->peer_os = os;
            a->peer_mis = mis;
            tsnwin_start(&a->rx, itsn);
        }
        break;
    }
    case WC_COOKIE_ECHO:
        if (a && a->state < A_COOKIE)
            a->state = A_COOKIE;
        break;
    case WC_COOKIE_ACK:
        if (a && a->state < A_UP)
            went_up(lines, a);
        break;
    case WC_DATA:
    case WC_I_DATA: {
        size_t hdr = type == WC_DATA ? 16 : 20;
        if (!a || got < hdr || clen < hdr)
            return;
        uint32_t tsn = wire_be32(c + 4), bytes = clen - (uint32_t)hdr;
        if (!out) {
            if (tsnwin_arrived(&a->rx, tsn)) {
                a->recv_bytes += bytes;
                a->recv_msgs += flags & 1;
            }
        } else if (tsn_after(tsn, a->high_sent)) {
            a->high_sent = tsn;
            a->sent_bytes += bytes;
            a->sent_msgs += flags & 1;
        } else {
            a->rtx++;
        }
        break;
    }
    case WC_FORWARD_TSN:
    case WC_I_FORWARD_TSN:
        if (a && !out && got >= 8)
            tsnwin_forward(&a->rx, wire_be32(c + 4));
        break;
    case WC_SHUTDOWN:
    case WC_SHUTDOWN_ACK:
        if (!a)
            return;
        /* Whoever sends the first SHUTDOWN starts it; a SHUTDOWN ACK
         * answers the other side's. */
        if (!a->shutdown_by)
            a->shutdown_by = (type == WC_SHUTDOWN) == out ? 1 : 2;
        if (type == WC_SHUTDOWN_ACK && out)
            a->ack_sent = 1;
        if (a->state == A_UP)
            a->state = A_SHUTDOWN;
        if (!out)
            want_snapshot(snap, a);
        break;
    case WC_SHUTDOWN_COMPLETE:
        if (!a)
            return;
        /* Received, it ends only an association in SHUTDOWN-ACK-SENT
         * (RFC 9260 section 8.5.1; usrsctp ignores it elsewhere), such as
         * the one the shim makes for a same-host peer's death. */
        if (!out && !a->ack_sent)
            break;
        if (!out)
            want_snapshot(snap, a);
        finish(lines, a, p, A_DOWN, NULL);
        break;
    case WC_ABORT: {
        if (!a)
            return;
        char causes[200];
        wire_causes(p, at, clen, causes, sizeof causes);
        if (!out)
            want_snapshot(snap, a);
        finish(lines, a, p, A_ABORTED, causes);
        break;
    }
    default:
        break;
    }
    *ap = a;
}

static void store_snapshot(struct snap_req *r)
{
    if (!r->a)
        return;
    struct snapshot sn;
    int ok = snapshot_take(r->s, (struct sockaddr *)&r->peer, &sn) == 0;
    pthread_mutex_lock(&track_lock);
    if (ok)
        r->a->snap = sn;
    r->a->busy--;
    pthread_mutex_unlock(&track_lock);
}

void track_packet(const struct wire_pkt *p)
{
    unsigned char h[12];
    if (wire_read(p, 0, h, sizeof h) < sizeof h)
        return;
    uint16_t sport = wire_be16(h), dport = wire_be16(h + 2);
    uint32_t vtag = wire_be32(h + 4);
    uint16_t lport = p->outgoing ? sport : dport;
    uint16_t pport = p->outgoing ? dport : sport;
    struct pending_lines lines;
    struct snap_req snap;
    memset(&snap, 0, sizeof snap);
    lines.n = 0;
    struct assoc *a = NULL;
    int looked = 0;
    pthread_mutex_lock(&track_lock);
    for (size_t off = 12; off + 4 <= p->len;) {
        unsigned char c[20];
        size_t got = wire_read(p, off, c, sizeof c);
        uint16_t clen = wire_be16(c + 2);
        if (got < 4 || clen < 4 || off + clen > p->len)
            break;
        if (!looked && c[0] != WC_INIT) {
            /* With the T bit, the sender put its own tag. */
            int tbit = (c[0] == WC_ABORT || c[0] == WC_SHUTDOWN_COMPLETE) && (c[1] & 1);
            a = find(p->outgoing ? tbit : !tbit, lport, pport, vtag);
            looked = 1;
        }
        chunk(&lines, &snap, &a, p, off, c, got, lport, pport, vtag);
        off += (size_t)((clen + 3) & ~3u);
    }
    pthread_mutex_unlock(&track_lock);
    for (int i = 0; i < lines.n; i++)
        shim_log_write(lines.text[i], strlen(lines.text[i]));
    store_snapshot(&snap);
}

/* ---- the program's sockets ---- */

void track_bound(struct stk_sock *s, uint16_t port)
{
    if (!track_enabled())
        return;
    pthread_mutex_lock(&track_lock);
    for (int i = 0; i < nowners; i++)
        if (owners[i].s == s)
            owners[i] = owners[--nowners];
    if (nowners == cap_owners) {
        int cap = cap_owners ? cap_owners * 2 : 16;
        struct owner *o = realloc(owners, (size_t)cap * sizeof *o);
        if (!o) {
            pthread_mutex_unlock(&track_lock);
            return;
        }
        owners = o;
        cap_owners = cap;
    }
    owners[nowners++] = (struct owner){s, port};
    pthread_mutex_unlock(&track_lock);
}

void track_accepted(struct stk_sock *listener, struct stk_sock *s,
                    const struct sockaddr *sa)
{
    if (!track_enabled() || !sa ||
        (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        return;
    struct sockaddr_storage peer;
    memset(&peer, 0, sizeof peer);
    memcpy(&peer, sa, sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
                                               : sizeof(struct sockaddr_in6));
    uint16_t pport = ntohs(((struct sockaddr_in *)&peer)->sin_port);
    pthread_mutex_lock(&track_lock);
    uint16_t lport = 0;
    for (int i = 0; i < nowners; i++)
        if (owners[i].s == listener)
            lport = owners[i].port;
    for (struct assoc *a = track_all; a; a = a->next)
        if (a->lkey.lport == lport && a->lkey.pport == pport && a->owner == listener &&
            a->state >= A_COOKIE && same_ip(&a->peer, &peer)) {
            a->owner = s;
            break; /* the newest */
        }
    pthread_mutex_unlock(&track_lock);
}

void track_closing(struct stk_sock *s, int closing)
{
    if (!track_enabled())
        return;
    struct snap_req *reqs = NULL;
    int n = 0, cap = 0;
    pthread_mutex_lock(&track_lock);
    for (struct assoc *a = track_all; a; a = a->next) {
        if (a->owner != s)
            continue;
        if (track_stats_on && alive(a)) {
            if (n == cap) {
                int c = cap ? cap * 2 : 8;
                struct snap_req *r = realloc(reqs, (size_t)c * sizeof *r);
                if (r) {
                    reqs = r;
                    cap = c;
                }
            }
            if (n < cap) {
                memset(&reqs[n], 0, sizeof reqs[n]);
                want_snapshot(&reqs[n], a);
                n++;
            }
        }
    }
    pthread_mutex_unlock(&track_lock);
    for (int i = 0; i < n; i++)
        store_snapshot(&reqs[i]);
    free(reqs);
    if (!closing)
        return;
    pthread_mutex_lock(&track_lock);
    for (struct assoc *a = track_all; a; a = a->next)
        if (a->owner == s) {
            a->fd = track_rec_fd(a);
            a->owner = NULL;
        }
    for (int i = 0; i < nowners; i++)
        if (owners[i].s == s)
            owners[i--] = owners[--nowners];
    pthread_mutex_unlock(&track_lock);
}

void track_after_fork_child(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    track_lock = fresh;
    /* The parent's associations are the parent's. */
    HASH_CLEAR(hl, by_l);
    HASH_CLEAR(hp, by_p);
    while (track_all) {
        struct assoc *next = track_all->next;
        tsnwin_free(&track_all->rx);
        free(track_all);
        track_all = next;
    }
    nrecords = track_ndropped = 0;
    nowners = 0;
}
