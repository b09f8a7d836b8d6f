#include "remote/migrate.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include "base/log.h"
#include "base/real.h"
#include "core/sock.h"
#include "linux/conn.h"

/* The owner's exit may still hold the port for a moment after its
 * connection ended: it releases the port as it closes the socket. */
#define BIND_RETRY_MS 5000

static int rebind(struct ssock *s, const struct sockaddr_storage *ss)
{
    socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                              : sizeof(struct sockaddr_in);
    for (int waited = 0;; waited += 10) {
        if (lx_bind(s, (const struct sockaddr *)ss, len) == 0)
            return 0;
        if (errno != EADDRINUSE || waited >= BIND_RETRY_MS)
            return -1;
        real.poll(NULL, 0, 10);
    }
}

int migrate_movable(const struct ssock *s)
{
    if (s->listening)
        return 1;
    return s->type == SOCK_STREAM && !s->connected && !s->connecting &&
           !s->conn_tried;
}

int migrate(struct ssock *s, int data)
{
    if (!s->remote)
        return 0;
    if (migrate_movable(s)) {
        struct sockaddr_storage bound = s->bound;
        int was_bound = s->bound_set, listening = s->listening;
        int backlog = s->backlog;
        if (sock_localize(s, s->m.x) == 0 &&
            (!was_bound || rebind(s, &bound) == 0) &&
            (!listening || lx_listen(s, backlog) == 0)) {
            SHIM_LOG("inherited socket %d: its owner is gone, now this "
                     "process's own", s->m.x);
            return 0;
        }
        SHIM_LOG("inherited socket %d: its owner is gone, and it cannot be "
                 "made again here: %s", s->m.x, strerror(errno));
    }
    /* Associations died with the owner's stack. */
    mirror_hangup(&s->m, 1);
    errno = data ? ECONNRESET : EBADFD;
    return -1;
}
