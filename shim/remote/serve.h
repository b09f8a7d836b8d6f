/* One holder's call, run in the owner on its socket. */
#ifndef SCTPSHIM_REMOTE_SERVE_H
#define SCTPSHIM_REMOTE_SERVE_H

#include <stddef.h>

#include "remote/proto.h"

struct ssock;

struct conn {
    int fd;
    struct ssock **held; /* one reference each */
    size_t n, cap;
    struct conn *next;
};

/* c holds s from now (a reference): 0, or -1/ENOMEM. */
int conn_hold(struct conn *c, struct ssock *s);
/* Answers q on c's connection (not RP_CLOSE and RP_KEEP, which have no
 * answer). */
void serve_request(struct conn *c, const struct rp_req *q, const char *payload);
/* A connection for another holder (server.c). */
struct conn *server_add(int fd, struct ssock **socks, size_t n);

#endif
