/* Socket options. */
#include "hook/hook.h"

#include <netinet/in.h>
#include <netinet/sctp.h>

#include "base/log.h"
#include "linux/uopt.h"

/* The options behind sctp_peeloff, sctp_connectx and sctp_bindx: on a
 * socket inherited from another process the owner would make the new
 * descriptor in its own table, or connect or bind without the holder
 * knowing; they are refused there (README, "Differences from Linux"). */
static int owner_only(const struct ssock *s, int level, int name)
{
    if (!s->remote || level != SOL_SCTP)
        return 0;
    switch (name) {
    case SCTP_SOCKOPT_PEELOFF:
    case SCTP_SOCKOPT_PEELOFF_FLAGS:
    case SCTP_SOCKOPT_CONNECTX_OLD:
    case SCTP_SOCKOPT_CONNECTX:
    case SCTP_SOCKOPT_CONNECTX3:
    case SCTP_SOCKOPT_BINDX_ADD:
    case SCTP_SOCKOPT_BINDX_REM:
        SHIM_LOG("option %d: not supported on an SCTP socket inherited from "
                 "another process", name);
        errno = EOPNOTSUPP;
        return 1;
    }
    return 0;
}

HOOK_EXPORT int setsockopt(int fd, int level, int name, const void *val,
                           socklen_t len)
{
    HOOK_SOCK_R(s, fd, real.setsockopt(fd, level, name, val, len));
    if (owner_only(s, level, name))
        return -1;
    return HOOK_RET(rm_setsockopt(s, fd, level, name, val, len));
}

HOOK_EXPORT int getsockopt(int fd, int level, int name, void *val,
                           socklen_t *len)
{
    HOOK_SOCK_R(s, fd, real.getsockopt(fd, level, name, val, len));
    if (owner_only(s, level, name))
        return -1;
    return HOOK_RET(rm_getsockopt(s, fd, level, name, val, len));
}
