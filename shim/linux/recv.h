/* The receive path: every receive call on a shim socket ends here, with
 * Linux recvmsg and cmsg semantics. */
#ifndef SCTPSHIM_LX_RECV_H
#define SCTPSHIM_LX_RECV_H

#include <sys/socket.h>
#include <sys/types.h>

struct ssock;

ssize_t lx_recvmsg(struct ssock *s, struct msghdr *msg, int flags);
/* shutdown(SHUT_RD): what the stack has queued stays readable, and
 * what comes later is dropped. */
void lx_recv_shutdown(struct ssock *s);
/* shutdown(SHUT_WR) on a one-to-one socket before the peer's SHUTDOWN:
 * once the association is gone Linux reads nothing more (no end of file,
 * no read event), so the stack's end of queue must not show.  From now
 * on the stack's queue is moved into the held queue, by readers and by
 * the watch thread, and only that makes the descriptor readable. */
void lx_recv_drain_from_now(struct ssock *s);
/* The plain calls (read, recv, ...). */
ssize_t lx_recv(struct ssock *s, void *buf, size_t len, int flags);

#endif
