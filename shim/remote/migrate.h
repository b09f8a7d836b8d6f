/* The owner of an inherited socket is gone.  A socket that carried no
 * association (unconnected, or listening) is re-made in this process's
 * own stack, bound and listening as it was; one that did fails from now
 * on, as its associations ended with the owner. */
#ifndef SCTPSHIM_REMOTE_MIGRATE_H
#define SCTPSHIM_REMOTE_MIGRATE_H

struct ssock;

/* 0: s is this process's own now (call lx_ again).  -1 with errno
 * ECONNRESET (data) or EBADFD (not data): s is dead, and its descriptor
 * shows a hang-up. */
int migrate(struct ssock *s, int data);
/* Whether s can be made again here (it carried no association). */
int migrate_movable(const struct ssock *s);

#endif
