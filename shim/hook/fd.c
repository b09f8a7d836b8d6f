/* Descriptor management: close, dup and friends, fcntl, ioctl. */
#include "hook/hook.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>

#include "base/log.h"
#include "core/umem.h"
#include "core/lifecycle.h"
#include "linux/recv.h"
#include "usrsctp/stack.h"

int hook_orphaned(struct hook_call *c, int fd, const char *call)
{
    if (c->s->remote) {
        SHIM_LOG("%s(%d): not supported on an SCTP socket inherited from "
                 "another process", call, fd);
        errno = EOPNOTSUPP;
        return -1;
    }
    /* The call lets go of the socket and the gate first: the exit that
     * took the socket over needs the gate to finish, and a thread held
     * here holding it would keep the stack's threads, then the exit,
     * waiting for ever. */
    hook_call_end(c);
    c->s = NULL;
    lifecycle_hold_if_exiting();
    SHIM_LOG("%s(%d): SCTP socket unusable here (its owner is gone, "
             "or the exit took it over)", call, fd);
    errno = EBADFD;
    return -1;
}

/* The number now names another file: the close that freed it bypassed
 * the shim (a raw syscall), so only the reference is dropped. */
static void drop_entry(int fd)
{
    struct ssock *s = fdtab_take(fd);
    if (s && s != FDTAB_PRIVATE)
        sock_release(s);
}

void hook_fresh_fd(int fd)
{
    if (__builtin_expect(fdtab_raw(fd) != NULL, 0))
        drop_entry(fd);
}

HOOK_EXPORT int close(int fd)
{
    struct ssock *s = fdtab_raw(fd);
    if (__builtin_expect(s == NULL, 1)) {
        if (__builtin_expect(real.close == NULL, 0))
            real_init();
        return real.close(fd);
    }
    if (s == FDTAB_PRIVATE) {
        if (stk_inside()) {
            fdtab_take(fd);
            return real.close(fd);
        }
        /* A "close every descriptor" loop must not take the stack's. */
        SHIM_LOG("close(%d): descriptor belongs to the shim, left open", fd);
        errno = EBADF;
        return -1;
    }
    s = fdtab_take(fd);
    if (s == FDTAB_PRIVATE) { /* the number was closed and reused meanwhile */
        fdtab_set(fd, s);
        errno = EBADF;
        return -1;
    }
    if (!s)
        return real.close(fd);
    const int hook_errno = errno;
    return HOOK_RET(sock_close_fd(fd, s));
}

/* After a dup-like call made newfd a copy of oldfd. */
static int dup_done(int oldfd, int newfd)
{
    if (newfd < 0)
        return newfd;
    hook_fresh_fd(newfd);
    /* The new descriptor's reference; if another thread closed oldfd
     * meanwhile, newfd still names the socket, as in the kernel. */
    struct ssock *s = sock_get(oldfd);
    if (s) {
        if (fdtab_set(newfd, s) < 0) {
            int e = errno;
            fdtab_take(newfd);
            sock_close_fd(newfd, s);
            errno = e;
            return -1;
        }
    }
    return newfd;
}

HOOK_EXPORT int dup(int fd)
{
    real_init();
    return dup_done(fd, real.dup(fd));
}

/* dup2/dup3 onto a shim descriptor close that one first (OpenJDK closes
 * SCTP sockets this way); onto a private one they are refused. */
static int dup_onto(int oldfd, int newfd, int flags, int three)
{
    real_init();
    struct ssock *target = fdtab_raw(newfd);
    if (target == FDTAB_PRIVATE && oldfd != newfd) {
        SHIM_LOG("dup2(%d, %d): target belongs to the shim", oldfd, newfd);
        errno = EBUSY;
        return -1;
    }
    int r = three ? real.dup3(oldfd, newfd, flags) : real.dup2(oldfd, newfd);
    if (r < 0 || oldfd == newfd)
        return r;
    if (target) {
        struct ssock *t = fdtab_take(newfd);
        if (t && t != FDTAB_PRIVATE)
            sock_release(t);
    }
    return dup_done(oldfd, r);
}

HOOK_EXPORT int dup2(int oldfd, int newfd)
{
    return dup_onto(oldfd, newfd, 0, 0);
}

HOOK_EXPORT int dup3(int oldfd, int newfd, int flags)
{
    return dup_onto(oldfd, newfd, flags, 1);
}

static int do_fcntl(int fd, int cmd, va_list ap, int is64)
{
    real_init();
    void *arg = va_arg(ap, void *);
    int r = is64 ? real.fcntl64(fd, cmd, arg) : real.fcntl(fd, cmd, arg);
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        return dup_done(fd, r);
    return r;
}

HOOK_EXPORT int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    int r = do_fcntl(fd, cmd, ap, 0);
    va_end(ap);
    return r;
}

HOOK_EXPORT int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    int r = do_fcntl(fd, cmd, ap, 1);
    va_end(ap);
    return r;
}

HOOK_EXPORT int ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    HOOK_SOCK_R(s, fd, real.ioctl(fd, req, arg));
    switch (req) {
    case FIONBIO:
    case FIOASYNC:
    case FIOCLEX:
    case FIONCLEX:
        return real.ioctl(fd, req, arg); /* flags of the program's own fd */
    case FIONREAD: {
        /* Linux answers with the length of the next message. */
        char *peek = malloc(65536);
        if (!peek) {
            errno = ENOMEM;
            return -1;
        }
        ssize_t n = rm_recv(s, peek, 65536, MSG_PEEK | MSG_DONTWAIT);
        free(peek);
        if (n < 0 && errno != EAGAIN)
            return -1;
        int v = n < 0 ? 0 : (int)n;
        return HOOK_RET(umem_copy_out(arg, &v, sizeof v));
    }
    }
    SHIM_LOG("ioctl(%d, 0x%lx): not supported on SCTP sockets", fd, req);
    errno = ENOTTY;
    return -1;
}

HOOK_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
    real_init();
    if (!fdtab_slots || (flags & CLOSE_RANGE_CLOEXEC) || first >= fdtab_size)
        return real.close_range(first, last, flags);
    /* Close around the shim's private descriptors, and release the
     * sockets whose program descriptors fall in the range. */
    unsigned int end = last < fdtab_size - 1 ? last : (unsigned int)fdtab_size - 1;
    unsigned int start = first;
    for (unsigned int fd = first; fd <= end; fd++) {
        struct ssock *s = fdtab_raw((int)fd);
        if (s == FDTAB_PRIVATE) {
            if (fd > start && real.close_range(start, fd - 1, flags) < 0)
                return -1;
            start = fd + 1;
        } else if (s) {
            struct ssock *t = fdtab_take((int)fd);
            if (t && t != FDTAB_PRIVATE)
                sock_release(t);
        }
    }
    return start <= last ? real.close_range(start, last, flags) : 0;
}
