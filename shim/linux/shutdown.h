/* shutdown(), with the rules of Linux's inet_shutdown and sctp_shutdown. */
#ifndef SCTPSHIM_LX_SHUTDOWN_H
#define SCTPSHIM_LX_SHUTDOWN_H

struct ssock;

int lx_shutdown(struct ssock *s, int how);

#endif
