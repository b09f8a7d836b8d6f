/* Calls on an SCTP socket inherited from another process (a fork parent,
 * or the process before execve): run by the process that owns its stack
 * socket, over the holder's channel (README, "Process life").  Each takes
 * the program's memory as the matching lx_ call does, and falls back to
 * it when the socket has been made this process's own (migrate.h). */
#ifndef SCTPSHIM_REMOTE_H
#define SCTPSHIM_REMOTE_H

#include <sys/socket.h>
#include <sys/types.h>

struct ssock;

ssize_t rm_recvmsg(struct ssock *s, struct msghdr *msg, int flags);
ssize_t rm_sendmsg(struct ssock *s, const struct msghdr *msg, int flags);
ssize_t rm_recv(struct ssock *s, void *buf, size_t len, int flags);
ssize_t rm_send(struct ssock *s, const void *buf, size_t len, int flags);
/* sctp_sendmsg(3), msg as libsctp builds it, and sctp_sendv(3). */
ssize_t rm_sctp_sendmsg(struct ssock *s, const struct msghdr *msg);
ssize_t rm_sctp_sendv(struct ssock *s, const struct iovec *iov, int iovcnt,
                      const struct sockaddr *addrs, int addrcnt, void *info,
                      socklen_t infolen, unsigned int infotype, int flags);
/* The new descriptor, and the peer's address in *sa (kernel memory,
 * *len its room and then its length). */
int rm_accept(struct ssock *s, struct sockaddr *sa, socklen_t *len, int flags);
int rm_setsockopt(struct ssock *s, int fd, int level, int name,
                  const void *val, socklen_t len);
int rm_getsockopt(struct ssock *s, int fd, int level, int name, void *val,
                  socklen_t *len);
/* getsockname (peer 0) or getpeername, into kernel memory. */
int rm_name(struct ssock *s, int peer, struct sockaddr *sa, socklen_t *len);
int rm_shutdown(struct ssock *s, int how);
/* sa in kernel memory. */
int rm_bind(struct ssock *s, const struct sockaddr *sa, socklen_t len);
int rm_listen(struct ssock *s, int backlog);
/* Registers what core/ calls back: a holder's last descriptor, the
 * owner's exit.  Once, before the first fork or attach. */
void remote_init(void);

#endif
