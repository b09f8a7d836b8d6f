/* Association set-up and tear-down calls, Linux semantics. */
#ifndef SCTPSHIM_LX_CONN_H
#define SCTPSHIM_LX_CONN_H

#include <stdint.h>
#include <sys/socket.h>

struct ssock;

/* A new SCTP socket: the program's descriptor, or -1/errno. */
int lx_socket(int family, int type, int cloexec, int nonblock);
int lx_bind(struct ssock *s, const struct sockaddr *sa, socklen_t len);
/* addrs: packed sockaddr_in/in6, bytes long (SCTP_SOCKOPT_BINDX_*). */
int lx_bindx(struct ssock *s, const void *addrs, int bytes, int add);
int lx_listen(struct ssock *s, int backlog);
int lx_accept(struct ssock *s, struct sockaddr *sa, socklen_t *len,
              int flags);
int lx_getsockname(struct ssock *s, struct sockaddr *sa, socklen_t *len);
int lx_getpeername(struct ssock *s, struct sockaddr *sa, socklen_t *len);
/* Binds to an ephemeral port if the socket is not bound yet. */
int lx_autobind(struct ssock *s);
/* The error that ended a one-to-one socket's association (ECONNRESET,
 * ETIMEDOUT, ECONNREFUSED), or 0; stack_errno is what the stack just
 * answered, if anything.  Remembered, since the stack tells it once. */
int lx_conn_error(struct ssock *s, int stack_errno);
/* The errno of a failed handshake, from the stack's socket error: Linux
 * says ETIMEDOUT or ECONNREFUSED (an ABORT after the COOKIE ECHO, which
 * usrsctp reports as a reset, included). */
int lx_handshake_errno(int err);
/* A connecting one-to-one socket whose handshake finished is connected. */
void lx_refresh_state(struct ssock *s);
/* One step of a blocking loop: refresh the mirror, then wait unless
 * dontwait (EAGAIN).  spins counts fruitless wake-ups, to back off. */
int lx_block(struct ssock *s, int for_write, int dontwait, int spins);
/* The call returns EAGAIN rather than wait: MSG_DONTWAIT or O_NONBLOCK. */
int lx_nonblocking(struct ssock *s, int flags);
/* Splits a packed address list; returns the count or -1/EINVAL. */
int lx_addr_count(const struct ssock *s, const void *addrs, int bytes);

#endif
