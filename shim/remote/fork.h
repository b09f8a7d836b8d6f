/* fork() with SCTP sockets: the child holds every socket it inherits a
 * descriptor of, its calls made by the socket's owner (remote.h). */
#ifndef SCTPSHIM_REMOTE_FORK_H
#define SCTPSHIM_REMOTE_FORK_H

/* Before the process is copied: a connection for the child to each owner
 * (this process included), and every shim and stack thread parked where
 * it holds no lock. */
void remote_fork_prepare(void);
void remote_fork_parent(void);
void remote_fork_child(void);

#endif
