/* The shim's own lasting descriptors (its end of each program socket,
 * the port registry's names, usrsctp's UDP sockets) take numbers above
 * the program's soft RLIMIT_NOFILE, so that the program's numbers are all
 * its own and EMFILE comes when it would on a kernel.  A descriptor can
 * only be made below the soft limit, so the limit is raised for the few
 * calls that make or move one (to the table's capacity; the hard limit
 * too, for the moment, where the process may: CAP_SYS_RESOURCE), and put
 * back.  Where neither is possible the descriptor stays where it was
 * made.  Every descriptor made here is close-on-exec and marked private
 * in the descriptor table. */
#ifndef SCTPSHIM_PRIVFD_H
#define SCTPSHIM_PRIVFD_H

/* socket(2) for the shim itself; works with every program number taken. */
int privfd_socket(int domain, int type, int protocol);
/* A private duplicate of fd. */
int privfd_dup(int fd);
/* Closes a descriptor made here. */
void privfd_close(int fd);

#endif
