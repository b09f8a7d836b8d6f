/* socket() and the connection calls. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>

#include "hook.h"
#include "log.h"
#include "lx_addr.h"
#include "lx_conn.h"
#include "stack.h"

HOOK_EXPORT int socket(int domain, int type, int protocol)
{
    real_init();
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (protocol == IPPROTO_SCTP && (domain == AF_INET || domain == AF_INET6)) {
        if (stk_inside() && base == SOCK_RAW && !stk_is_raw_mode()) {
            /* usrsctp opens raw SCTP sockets too; in UDP mode they would
             * only receive every SCTP packet on the host. */
            errno = EACCES;
            return -1;
        }
        if (!stk_inside() && (base == SOCK_STREAM || base == SOCK_SEQPACKET))
            return sock_create(domain, base, type & SOCK_CLOEXEC,
                               type & SOCK_NONBLOCK);
    }
    int fd = real.socket(domain, type, protocol);
    if (fd >= 0) {
        hook_fresh_fd(fd);
        if (stk_inside()) {
            real.fcntl(fd, F_SETFD, FD_CLOEXEC);
            fdtab_set(fd, FDTAB_PRIVATE);
            stk_note_stack_fd(fd);
        }
    }
    return fd;
}

HOOK_EXPORT int socketpair(int domain, int type, int protocol, int sv[2])
{
    real_init();
    if (protocol == IPPROTO_SCTP && (domain == AF_INET || domain == AF_INET6)) {
        errno = EOPNOTSUPP;
        return -1;
    }
    int r = real.socketpair(domain, type, protocol, sv);
    if (r == 0) {
        hook_fresh_fd(sv[0]);
        hook_fresh_fd(sv[1]);
    }
    return r;
}

HOOK_EXPORT int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    HOOK_SOCK(s, fd, real.bind(fd, sa, len));
    return lx_bind(s, sa, len);
}

HOOK_EXPORT int listen(int fd, int backlog)
{
    HOOK_SOCK(s, fd, real.listen(fd, backlog));
    return lx_listen(s, backlog);
}

HOOK_EXPORT int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    HOOK_SOCK(s, fd, real.connect(fd, sa, len));
    if (sa && len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC) {
        errno = EOPNOTSUPP; /* Linux SCTP cannot dissolve by AF_UNSPEC */
        return -1;
    }
    if (lx_addr_check(s, sa, len) < 0)
        return -1;
    return lx_connectx(s, sa, (int)lx_addr_len(sa), NULL);
}

static int accept_real(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    int r = flags ? real.accept4(fd, sa, len, flags) : real.accept(fd, sa, len);
    if (r >= 0)
        hook_fresh_fd(r);
    return r;
}

HOOK_EXPORT int accept(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK(s, fd, accept_real(fd, sa, len, 0));
    return lx_accept(s, sa, len, 0);
}

HOOK_EXPORT int accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    HOOK_SOCK(s, fd, accept_real(fd, sa, len, flags));
    return lx_accept(s, sa, len, flags);
}

HOOK_EXPORT int shutdown(int fd, int how)
{
    HOOK_SOCK(s, fd, real.shutdown(fd, how));
    return lx_shutdown(s, how);
}

HOOK_EXPORT int getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK(s, fd, real.getsockname(fd, sa, len));
    return lx_getsockname(s, sa, len);
}

HOOK_EXPORT int getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK(s, fd, real.getpeername(fd, sa, len));
    return lx_getpeername(s, sa, len);
}
