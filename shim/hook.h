/* Shared by the interception files: recognise a shim descriptor, hand it
 * to the Linux-side core, and pass everything else straight to libc. */
#ifndef SCTPSHIM_HOOK_H
#define SCTPSHIM_HOOK_H

#include "fdtab.h"
#include "real.h"
#include "sock.h"

#define HOOK_EXPORT __attribute__((visibility("default")))

/* The socket behind fd, or NULL for descriptors the shim does not own.
 * An inherited socket in a fork child answers EBADFD. */
#define HOOK_SOCK(s, fd, realcall) HOOK_SOCK_OF(s, fdtab_sock(fd), fd, realcall)
/* The same, from a table entry already read (never FDTAB_PRIVATE). */
#define HOOK_SOCK_OF(s, entry, fd, realcall)                                \
    struct ssock *s = (entry);                                              \
    if (__builtin_expect(s == NULL, 1)) {                                   \
        if (__builtin_expect(real.close == NULL, 0))                        \
            real_init();                                                    \
        return realcall;                                                    \
    }                                                                       \
    if (s->orphaned)                                                        \
        return hook_orphaned(fd, __func__)

int hook_orphaned(int fd, const char *call);
/* A descriptor-creating call returned fd: an entry left for that number
 * by a close the shim did not see is stale. */
void hook_fresh_fd(int fd);

#endif
