/* socket() and the connection calls. */
#include "hook/hook.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/umem.h"
#include "core/privfd.h"
#include "linux/addr.h"
#include "linux/conn.h"
#include "linux/tcp.h"
#include "linux/connect.h"
#include "linux/shutdown.h"
#include "usrsctp/stack.h"

/* SCTPSHIM_TCP=1 (sctpshim --tcp): TCP sockets become SCTP ones, as
 * withsctp does.  Read once; a race on the first calls reads it twice. */
static int tcp_mode(void)
{
    static int mode = -1;
    if (__builtin_expect(mode < 0, 0)) {
        const char *v = getenv("SCTPSHIM_TCP");
        mode = v && *v && strcmp(v, "0") != 0;
    }
    return mode;
}

HOOK_EXPORT int socket(int domain, int type, int protocol)
{
    real_init();
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if ((protocol == 0 || protocol == IPPROTO_TCP) && base == SOCK_STREAM &&
        (domain == AF_INET || domain == AF_INET6) && !stk_inside() && tcp_mode())
        return lx_socket_for_tcp(domain, type & SOCK_CLOEXEC, type & SOCK_NONBLOCK);
    if (protocol == IPPROTO_SCTP && (domain == AF_INET || domain == AF_INET6)) {
        if (stk_inside() && base == SOCK_RAW && !stk_is_raw_mode()) {
            /* usrsctp opens raw SCTP sockets too; in UDP mode they would
             * only receive every SCTP packet on the host. */
            errno = EACCES;
            return -1;
        }
        if (!stk_inside() && (base == SOCK_STREAM || base == SOCK_SEQPACKET)) {
            const int hook_errno = errno;
            return HOOK_RET(lx_socket(domain, base, type & SOCK_CLOEXEC,
                                      type & SOCK_NONBLOCK));
        }
    }
    if (stk_inside()) {
        /* The stack's own (its UDP sockets): above the program's numbers. */
        int fd = privfd_socket(domain, type, protocol);
        if (fd >= 0)
            stk_note_stack_fd(fd);
        return fd;
    }
    int fd = real.socket(domain, type, protocol);
    if (fd >= 0)
        hook_fresh_fd(fd);
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
    HOOK_SOCK_R(s, fd, real.bind(fd, sa, len));
    struct sockaddr_storage ss;
    if (umem_addr_in(&ss, sa, len) < 0)
        return -1;
    return HOOK_RET(rm_bind(s, (struct sockaddr *)&ss, len));
}

HOOK_EXPORT int listen(int fd, int backlog)
{
    HOOK_SOCK_R(s, fd, real.listen(fd, backlog));
    return HOOK_RET(rm_listen(s, backlog));
}

HOOK_EXPORT int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    HOOK_SOCK(s, fd, real.connect(fd, sa, len));
    struct sockaddr_storage ss;
    if (umem_addr_in(&ss, sa, len) < 0)
        return -1;
    sa = (struct sockaddr *)&ss;
    if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC) {
        errno = EOPNOTSUPP; /* Linux SCTP cannot dissolve by AF_UNSPEC */
        return -1;
    }
    if (lx_addr_check(s, sa, len) < 0)
        return -1;
    return HOOK_RET(lx_connectx(s, sa, (int)lx_addr_len(sa), NULL));
}

static int accept_real(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    int r = flags ? real.accept4(fd, sa, len, flags) : real.accept(fd, sa, len);
    if (r >= 0)
        hook_fresh_fd(r);
    return r;
}

/* As the kernel's accept: the peer's address is written after the
 * association was taken, and where it cannot be, the new socket is
 * closed again and the call fails. */
static int accept_shim(struct ssock *s, struct sockaddr *sa, socklen_t *len,
                       int flags)
{
    struct sockaddr_storage ss;
    socklen_t l = sizeof ss;
    int nfd = rm_accept(s, sa ? (struct sockaddr *)&ss : NULL, &l, flags);
    if (nfd < 0 || !sa || umem_addr_out(&ss, l, sa, len) == 0)
        return nfd;
    int e = errno;
    struct ssock *ns = fdtab_take(nfd);
    if (ns)
        sock_close_fd(nfd, ns);
    errno = e;
    return -1;
}

HOOK_EXPORT int accept(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK_R(s, fd, accept_real(fd, sa, len, 0));
    return HOOK_RET(accept_shim(s, sa, len, 0));
}

HOOK_EXPORT int accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    HOOK_SOCK_R(s, fd, accept_real(fd, sa, len, flags));
    return HOOK_RET(accept_shim(s, sa, len, flags));
}

HOOK_EXPORT int shutdown(int fd, int how)
{
    HOOK_SOCK_R(s, fd, real.shutdown(fd, how));
    return HOOK_RET(rm_shutdown(s, how));
}

HOOK_EXPORT int getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK_R(s, fd, real.getsockname(fd, sa, len));
    struct sockaddr_storage ss;
    socklen_t l = sizeof ss;
    if (rm_name(s, 0, (struct sockaddr *)&ss, &l) < 0)
        return -1;
    return HOOK_RET(umem_addr_out(&ss, l, sa, len));
}

HOOK_EXPORT int getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
    HOOK_SOCK_R(s, fd, real.getpeername(fd, sa, len));
    struct sockaddr_storage ss;
    socklen_t l = sizeof ss;
    if (rm_name(s, 1, (struct sockaddr *)&ss, &l) < 0)
        return -1;
    return HOOK_RET(umem_addr_out(&ss, l, sa, len));
}
