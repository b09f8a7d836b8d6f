/* Associations followed on the wire: each packet's chunks move a small
 * state machine per association (by ports and verification tags), which
 * gives the association events of SCTPSHIM_DEBUG (up, restart, down,
 * aborted with its cause), logged from the packet that makes them, and
 * the figures of SCTPSHIM_STATS (messages and bytes each way,
 * retransmissions), printed at exit with the stack's own (snapshot.h).
 * Only control chunks make a line: data chunks only count. */
#ifndef SCTPSHIM_TRACK_H
#define SCTPSHIM_TRACK_H

#include <stdint.h>
#include <sys/socket.h>

#include "usrsctp/packet.h"

struct stk_sock;

/* path: where the summary goes at exit; NULL: where log lines go. */
void track_enable_stats(const char *path);
void track_enable_events(void);
int track_enabled(void);
void track_packet(const struct wire_pkt *p);
/* The program's socket s now owns SCTP port (host order): the
 * associations on that port are its (until one is accepted). */
void track_bound(struct stk_sock *s, uint16_t port);
/* s was accepted from listener with the peer at sa. */
void track_accepted(struct stk_sock *listener, struct stk_sock *s,
                    const struct sockaddr *sa);
/* The program closes or shuts down s: the figures only the stack has
 * are read now, and s is forgotten if closing. */
void track_closing(struct stk_sock *s, int closing);
/* At exit: the summary, when SCTPSHIM_STATS asked for it. */
void track_report(void);
void track_after_fork_child(void);

#endif
