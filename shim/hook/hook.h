/* Shared by the interception files: recognise a shim descriptor, hand it
 * to the Linux-side core, and pass everything else straight to libc. */
#ifndef SCTPSHIM_HOOK_H
#define SCTPSHIM_HOOK_H

#include <errno.h>

#include "core/fdtab.h"
#include "base/real.h"
#include "core/sock.h"
#include "core/wait.h"
#include "remote/remote.h"

#define HOOK_EXPORT __attribute__((visibility("default")))

/* One call on a shim socket, from the hook to its return. */
struct hook_call {
    struct ssock *s;
    struct wait_call w;
};

static inline struct ssock *hook_call_begin(struct hook_call *c, int fd)
{
    c->s = sock_call_begin(fd);
    if (c->s)
        wait_call_begin(&c->w);
    return c->s;
}

/* After the call's result is made: errno is the call's, whatever the
 * socket's end (when this was its last reference) does. */
static inline void hook_call_end(struct hook_call *c)
{
    if (c->s) {
        int e = errno;
        wait_call_end(&c->w);
        sock_call_end(c->s);
        errno = e;
    }
}

/* The socket behind fd, or NULL for descriptors the shim does not own.
 * For the rest of the calling function, s holds a reference and the
 * socket lock, as a system call holds its file: another thread's close
 * or dup2 on fd leaves s alive until the call returns.  An inherited
 * socket whose owner does not serve it answers EBADFD.  It also notes errno for
 * HOOK_RET. */
#define HOOK_SOCK(s, fd, realcall) HOOK_SOCK_IMPL(s, fdtab_sock(fd), fd, realcall, 0)
/* The same, from a table entry already read (never FDTAB_PRIVATE). */
#define HOOK_SOCK_OF(s, entry, fd, realcall) HOOK_SOCK_IMPL(s, entry, fd, realcall, 0)
/* The same, for a call that also runs on a socket inherited from its
 * owner's process (remote/remote.h: its rm_ function is called). */
#define HOOK_SOCK_R(s, fd, realcall) HOOK_SOCK_IMPL(s, fdtab_sock(fd), fd, realcall, 1)
#define HOOK_SOCK_OF_R(s, entry, fd, realcall) HOOK_SOCK_IMPL(s, entry, fd, realcall, 1)
#define HOOK_SOCK_IMPL(s, entry, fd, realcall, remote_ok)                   \
    const int hook_errno __attribute__((unused)) = errno;                   \
    struct hook_call hook_call_ __attribute__((cleanup(hook_call_end)));    \
    hook_call_.s = NULL;                                                    \
    struct ssock *s = __builtin_expect((entry) != NULL, 0)                  \
                          ? hook_call_begin(&hook_call_, fd)                \
                          : NULL;                                           \
    if (__builtin_expect(s == NULL, 1)) {                                   \
        if (__builtin_expect(real.close == NULL, 0))                        \
            real_init();                                                    \
        return realcall;                                                    \
    }                                                                       \
    if (sock_orphaned(s) && !((remote_ok) && s->remote))                    \
        return hook_orphaned(&hook_call_, fd, __func__);                    \
    do {                                                                    \
    } while (0)

/* A call that succeeds leaves errno as the program had it, as a system
 * call does, whatever the shim's own calls on the way set it to. */
#define HOOK_RET(call)                                                      \
    __extension__({                                                         \
        __typeof__(call) hook_r = (call);                                   \
        if (hook_r >= 0)                                                    \
            errno = hook_errno;                                             \
        hook_r;                                                             \
    })

/* A call on a socket with no stack socket here: EBADFD, or EOPNOTSUPP
 * for a call that an inherited socket's owner does not run for it. */
int hook_orphaned(struct hook_call *c, int fd, const char *call);
/* A descriptor-creating call returned fd: an entry left for that number
 * by a close the shim did not see is stale. */
void hook_fresh_fd(int fd);

#endif
