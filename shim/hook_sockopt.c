/* Socket options. */
#include "hook.h"
#include "lx_sockopt.h"

HOOK_EXPORT int setsockopt(int fd, int level, int name, const void *val,
                           socklen_t len)
{
    HOOK_SOCK(s, fd, real.setsockopt(fd, level, name, val, len));
    return lx_setsockopt(s, fd, level, name, val, len);
}

HOOK_EXPORT int getsockopt(int fd, int level, int name, void *val,
                           socklen_t *len)
{
    HOOK_SOCK(s, fd, real.getsockopt(fd, level, name, val, len));
    return lx_getsockopt(s, fd, level, name, val, len);
}
