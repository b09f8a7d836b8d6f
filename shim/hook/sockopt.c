/* Socket options. */
#include "hook/hook.h"

#include "linux/uopt.h"

HOOK_EXPORT int setsockopt(int fd, int level, int name, const void *val,
                           socklen_t len)
{
    HOOK_SOCK_R(s, fd, real.setsockopt(fd, level, name, val, len));
    return HOOK_RET(rm_setsockopt(s, fd, level, name, val, len));
}

HOOK_EXPORT int getsockopt(int fd, int level, int name, void *val,
                           socklen_t *len)
{
    HOOK_SOCK_R(s, fd, real.getsockopt(fd, level, name, val, len));
    return HOOK_RET(rm_getsockopt(s, fd, level, name, val, len));
}
