/* Mapping changes: the ranges core/umem.c remembers as readable or
 * writable may be gone or protected now, so it forgets them.  glibc's own
 * unmapping (free of a large block) does not pass here; only a program
 * that uses freed memory, which is undefined already, can see that. */
#include "hook/hook.h"

#include <stdarg.h>
#include <sys/mman.h>

#include "core/umem.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

HOOK_EXPORT int munmap(void *p, size_t len)
{
    if (__builtin_expect(real.munmap == NULL, 0))
        real_init();
    int r = real.munmap(p, len);
    umem_forget(p, len);
    return r;
}

HOOK_EXPORT int mprotect(void *p, size_t len, int prot)
{
    if (__builtin_expect(real.mprotect == NULL, 0))
        real_init();
    int r = real.mprotect(p, len, prot);
    umem_forget(p, len);
    return r;
}

HOOK_EXPORT int pkey_mprotect(void *p, size_t len, int prot, int pkey)
{
    if (__builtin_expect(real.pkey_mprotect == NULL, 0))
        real_init();
    int r = real.pkey_mprotect(p, len, prot, pkey);
    umem_forget(p, len);
    return r;
}

HOOK_EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    void *at = (flags & MREMAP_FIXED) ? va_arg(ap, void *) : NULL;
    va_end(ap);
    if (__builtin_expect(real.mremap == NULL, 0))
        real_init();
    void *r = real.mremap(old, old_len, new_len, flags, at);
    umem_forget(old, old_len);
    if (r != MAP_FAILED)
        umem_forget(r, new_len); /* where it moved, or MREMAP_FIXED's target */
    return r;
}

HOOK_EXPORT int madvise(void *p, size_t len, int advice)
{
    if (__builtin_expect(real.madvise == NULL, 0))
        real_init();
    int r = real.madvise(p, len, advice);
    if (advice == MADV_GUARD_INSTALL)
        umem_forget(p, len);
    return r;
}

HOOK_EXPORT int shmdt(const void *p)
{
    if (__builtin_expect(real.shmdt == NULL, 0))
        real_init();
    int r = real.shmdt(p);
    umem_forget(p, 0); /* the segment's size is not known here */
    return r;
}
