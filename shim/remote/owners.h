/* The holder's watch on the owners it is connected to (README, "Process
 * life"): an owner that dies without a word (SIGKILL, or a daemon's
 * parent's _exit, which runs no exit of the shim's) leaves its holders'
 * descriptors as they were, and a program that only waits in poll or
 * epoll would never call to find out.  A thread sees each connection's
 * end and wakes every descriptor that owner served; the program's next
 * call then finds the owner gone (migrate.h). */
#ifndef SCTPSHIM_REMOTE_OWNERS_H
#define SCTPSHIM_REMOTE_OWNERS_H

/* This process holds sockets over channels (chan.h), made now: starts
 * the thread, or has it look at the channels again.  It runs before this
 * returns (a fork must not copy it half-way through its start). */
void owners_watch(void);
/* Around fork: the thread is in its poll, holding nothing. */
void owners_park(void);
void owners_unpark(void);
/* Fork child: no such thread here (remote_fork_child starts its own). */
void owners_forget_after_fork(void);

#endif
