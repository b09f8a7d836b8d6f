/* The owner's side: a thread that runs its holders' calls on the sockets
 * of this process's stack.  Each holder process has one connection; what
 * it holds (one reference per socket) goes when it says so, or when the
 * connection ends with the holder's exit. */
#ifndef SCTPSHIM_REMOTE_SERVER_H
#define SCTPSHIM_REMOTE_SERVER_H

#include <stddef.h>

struct ssock;

/* A connection for a fork child that holds socks (n of them, each given
 * a reference here): the child's end, or -1/errno.  Starts the thread,
 * and returns once it runs. */
int server_new_holder(struct ssock **socks, size_t n);
/* Around fork: no call is being served while the process is copied. */
void server_park(void);
void server_unpark(void);
/* Fork child: none of this is the child's; the connections' descriptors
 * are closed, so that the holders see the owner's end when it dies. */
void server_forget_after_fork(void);
/* The owner exits: holders are told (their connections end) and woken. */
void server_owner_exit(void);

#endif
