/* Association set-up and tear-down calls, Linux semantics. */
#ifndef SCTPSHIM_LX_CONN_H
#define SCTPSHIM_LX_CONN_H

#include <stdint.h>
#include <sys/socket.h>

struct ssock;

int lx_bind(struct ssock *s, const struct sockaddr *sa, socklen_t len);
/* addrs: packed sockaddr_in/in6, bytes long (SCTP_SOCKOPT_BINDX_*). */
int lx_bindx(struct ssock *s, const void *addrs, int bytes, int add);
int lx_listen(struct ssock *s, int backlog);
int lx_connectx(struct ssock *s, const void *addrs, int bytes, uint32_t *id);
int lx_accept(struct ssock *s, struct sockaddr *sa, socklen_t *len,
              int flags);
int lx_shutdown(struct ssock *s, int how);
int lx_getsockname(struct ssock *s, struct sockaddr *sa, socklen_t *len);
int lx_getpeername(struct ssock *s, struct sockaddr *sa, socklen_t *len);
/* Binds to an ephemeral port if the socket is not bound yet. */
int lx_autobind(struct ssock *s);
/* A connecting one-to-one socket whose handshake finished is connected. */
void lx_refresh_state(struct ssock *s);
/* One step of a blocking loop: refresh the mirror, then wait unless
 * dontwait (EAGAIN).  spins counts fruitless wake-ups, to back off. */
int lx_block(struct ssock *s, int for_write, int dontwait, int spins);
/* Splits a packed address list; returns the count or -1/EINVAL. */
int lx_addr_count(const struct ssock *s, const void *addrs, int bytes);

#endif
