/* getsockopt/setsockopt on a shim socket, Linux option numbers and
 * layouts.  Returns what the call returns (SCTP_SOCKOPT_CONNECTX returns
 * the association id). */
#ifndef SCTPSHIM_LX_SOCKOPT_H
#define SCTPSHIM_LX_SOCKOPT_H

#include <sys/socket.h>

struct ssock;

int lx_setsockopt(struct ssock *s, int fd, int level, int name,
                  const void *val, socklen_t len);
int lx_getsockopt(struct ssock *s, int fd, int level, int name, void *val,
                  socklen_t *len);

#endif
