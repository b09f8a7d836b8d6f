/* Pointers the kernel refuses to copy through: a page that is not mapped,
 * a PROT_NONE page and a read-only one (readable, not writable), each a
 * page of its own from mmap, so that no sanitizer keeps a redzone or a
 * shadow there. */
#ifndef SCTPSHIM_BADMEM_H
#define SCTPSHIM_BADMEM_H

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

#define BM_PAGE 4096

/* AddressSanitizer's own interceptors of getsockname, getpeername,
 * accept(4) and recvfrom read the length before making the call, and die
 * on a bad one whatever answers the call (a kernel too).  Under ASan the
 * tests of those call the shim's definitions directly. */
static inline void *bm_shim_sym(const char *name)
{
    void *h = dlopen("libsctpshim.so", RTLD_LAZY | RTLD_NOLOAD);
    CHECK(h != NULL);
    void *f = dlsym(h, name);
    CHECK(f != NULL);
    return f;
}
#ifdef __SANITIZE_ADDRESS__
#define BM_DIRECT(fn) ((__typeof__(&fn))bm_shim_sym(#fn))
#else
#define BM_DIRECT(fn) fn
#endif

enum bm_kind { BM_UNMAPPED, BM_NONE, BM_READONLY, BM_KINDS };
static const char *const bm_name[] = {"unmapped", "PROT_NONE", "read-only"};

static char *bm_area; /* PROT_NONE page, read-only page */

/* A page nothing is mapped at, nor can be: the last page below the
 * 47-bit user address limit, the kernel's guard page, which mmap never
 * hands out.  A page the program has just unmapped would not do: the
 * shim's own allocations during the call under test (a large malloc is
 * an mmap) could take it, and the call would then succeed where the
 * kernel, which allocates nothing in user space, fails with EFAULT. */
static inline char *bm_unmapped(void)
{
    char *p = (char *)(((uintptr_t)1 << 47) - BM_PAGE);
    unsigned char v;
    CHECK(mincore(p, BM_PAGE, &v) < 0 && errno == ENOMEM);
    return p;
}

/* kind's page; a read-only one holds what fill says (its first len
 * bytes), so an input read from it is a valid value. */
static inline char *bm_page(enum bm_kind kind, const void *fill, size_t len)
{
    if (!bm_area) {
        bm_area = mmap(NULL, 2 * BM_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(bm_area != MAP_FAILED);
    }
    switch (kind) {
    case BM_UNMAPPED:
        return bm_unmapped();
    case BM_NONE:
        CHECK_EQ(mprotect(bm_area, BM_PAGE, PROT_NONE), 0);
        return bm_area;
    default:
        CHECK_EQ(mprotect(bm_area + BM_PAGE, BM_PAGE, PROT_READ | PROT_WRITE), 0);
        memset(bm_area + BM_PAGE, 0, BM_PAGE);
        if (fill)
            memcpy(bm_area + BM_PAGE, fill, len);
        CHECK_EQ(mprotect(bm_area + BM_PAGE, BM_PAGE, PROT_READ), 0);
        return bm_area + BM_PAGE;
    }
}

/* len bytes of good memory that end where a PROT_NONE page begins: a
 * length one byte longer than len reaches it. */
static inline char *bm_edge(size_t len)
{
    char *p = mmap(NULL, 2 * BM_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(mprotect(p + BM_PAGE, BM_PAGE, PROT_NONE), 0);
    return p + BM_PAGE - len;
}

#endif
