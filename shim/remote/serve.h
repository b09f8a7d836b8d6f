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
/* Runs q, a call on one of c's sockets, and answers it (RP_CLOSE and
 * RP_KEEP have no answer; RP_FORK is server.c's). */
void serve_request(struct conn *c, const struct rp_req *q, const char *payload);
/* Sends one answer on c's connection, with fd (or -1). */
void serve_answer(struct conn *c, struct rp_resp *r, const struct iovec *iov,
                  int n, int fd);

#endif
