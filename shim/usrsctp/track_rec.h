/* The tracker's records, shared by track.c, which keeps them, and
 * track_report.c, which prints the summary at exit.  Only these two
 * files include it. */
#ifndef SCTPSHIM_TRACK_REC_H
#define SCTPSHIM_TRACK_REC_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <uthash.h>

#include "usrsctp/snapshot.h"
#include "usrsctp/tsnwin.h"

struct stk_sock;

enum astate {
    A_INIT_SENT = 1,  /* we sent INIT */
    A_INIT_RECV,      /* the peer's INIT: no association yet (stateless) */
    A_INIT_ACK_SENT,  /* our cookie is out */
    A_COOKIE,         /* COOKIE ECHO sent or received */
    A_UP,
    A_SHUTDOWN,       /* a SHUTDOWN went either way */
    A_DOWN,
    A_ABORTED,
    A_RESTARTED,      /* replaced by the peer's new incarnation */
};

struct key {
    uint16_t lport, pport;
    uint32_t tag;
};

struct assoc {
    struct key lkey, pkey; /* our tag, the peer's */
    int in_l, in_p;        /* in the hashes */
    UT_hash_handle hl, hp;
    struct assoc *next;    /* every record, newest first */
    int state;
    struct sockaddr_storage local, peer; /* IP addresses, port 0 */
    uint16_t our_os, our_mis, peer_os, peer_mis;
    uint32_t high_sent;    /* highest TSN sent */
    struct tsnwin rx;      /* the peer's TSNs that arrived */
    uint64_t sent_msgs, sent_bytes, recv_msgs, recv_bytes, rtx;
    struct timespec start, end;
    int shutdown_by;       /* 1: us, 2: the peer */
    int ack_sent;          /* we sent a SHUTDOWN ACK (SHUTDOWN-ACK-SENT) */
    char ended[160];       /* how it ended, for the summary */
    struct assoc *restart_of;
    struct stk_sock *owner; /* the program's socket, while it has it */
    int fd;                 /* the descriptor it had, once closed */
    int busy;              /* a snapshot is being taken */
    struct snapshot snap;
};

/* Every record, newest first, and the lock over them. */
extern pthread_mutex_t track_lock;
extern struct assoc *track_all;
extern int track_ndropped;  /* ended records not kept */
extern int track_stats_on;
extern char *track_stats_path; /* NULL: where log lines go */

int track_rec_ended(const struct assoc *a);
int track_rec_fd(const struct assoc *a);
/* "1.2.3.4:5" or "[::1]:5" */
void track_fmt_addr(const struct sockaddr_storage *ss, uint16_t port, char *out,
                    size_t cap);

#endif
