#include "linux/tcp.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "base/log.h"
#include "core/fdtab.h"
#include "core/sock.h"
#include "linux/conn.h"

int lx_socket_for_tcp(int family, int cloexec, int nonblock)
{
    int fd = lx_socket(family, SOCK_STREAM, cloexec, nonblock);
    struct ssock *s = fd >= 0 ? fdtab_sock(fd) : NULL;
    if (s)
        s->for_tcp = 1;
    return fd;
}

static int no_such_option(const char *call, int name)
{
    SHIM_LOG("%s: TCP option %d on an SCTP socket (--tcp): ENOPROTOOPT, as the "
             "kernel answers", call, name);
    errno = ENOPROTOOPT;
    return -1;
}

int lx_tcp_setsockopt(struct ssock *s, int name, const void *val, socklen_t len)
{
    if (name != TCP_NODELAY)
        return no_such_option("setsockopt", name);
    int v;
    if (!val || len < sizeof v) {
        errno = EINVAL;
        return -1;
    }
    memcpy(&v, val, sizeof v);
    v = !!v;
    return stk_setopt(s->stk, STK_O_NODELAY, &v, sizeof v);
}

int lx_tcp_getsockopt(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (name != TCP_NODELAY)
        return no_such_option("getsockopt", name);
    int v = 0;
    size_t l = sizeof v;
    if (!val || !len || *len < sizeof v) {
        errno = EINVAL;
        return -1;
    }
    if (stk_getopt(s->stk, STK_O_NODELAY, &v, &l) < 0)
        return -1;
    v = !!v;
    memcpy(val, &v, sizeof v);
    *len = sizeof v;
    return 0;
}
