/* What only the stack knows of an association, read while it lives:
 * smoothed RTT, the state of each path to the peer, and the PR-SCTP
 * messages it abandoned.  Taken for SCTPSHIM_STATS when the program
 * closes or shuts down the socket, and when the peer's SHUTDOWN or ABORT
 * arrives, before usrsctp handles it. */
#ifndef SCTPSHIM_SNAPSHOT_H
#define SCTPSHIM_SNAPSHOT_H

#include <stdint.h>
#include <sys/socket.h>

struct stk_sock;

#define SNAP_PATHS 4

enum snap_path_state { SNAP_ACTIVE = 1, SNAP_INACTIVE, SNAP_UNCONFIRMED };

struct snapshot {
    int valid;
    uint32_t srtt_ms;       /* of the primary path */
    uint64_t abandoned;     /* PR-SCTP messages, sent and unsent */
    int npaths;
    struct {
        struct sockaddr_storage addr;
        int state;          /* enum snap_path_state */
        uint32_t srtt_ms;
    } path[SNAP_PATHS];
};

/* The association of s with the peer at peer (IP and SCTP port): 0 and
 * *out, or -1 when the stack has no such association now.  Not from an
 * upcall or with a stack lock held. */
int snapshot_take(struct stk_sock *s, const struct sockaddr *peer,
                  struct snapshot *out);

#endif
