/* Which descriptors belong to the shim.  This sits on the path of every
 * read/write/close in the process, SCTP or not, so the "not mine" answer is
 * a bounds check and one relaxed load: no lock, no hash. */
#ifndef SCTPSHIM_FDTAB_H
#define SCTPSHIM_FDTAB_H

#include <stdatomic.h>
#include <stddef.h>

struct ssock;

/* Marks descriptors the shim and usrsctp use internally: hidden from the
 * program's close() and close_range(). */
#define FDTAB_PRIVATE ((struct ssock *)1)

extern _Atomic(struct ssock *) *fdtab_slots;
extern size_t fdtab_size;

static inline struct ssock *fdtab_raw(int fd)
{
    _Atomic(struct ssock *) *slots =
        __atomic_load_n(&fdtab_slots, __ATOMIC_ACQUIRE);
    if (__builtin_expect(slots == NULL, 1) || fd < 0 ||
        (size_t)fd >= fdtab_size)
        return NULL;
    return atomic_load_explicit(&slots[fd], memory_order_acquire);
}

/* The program's SCTP socket behind fd, or NULL. */
static inline struct ssock *fdtab_sock(int fd)
{
    struct ssock *s = fdtab_raw(fd);
    return s == FDTAB_PRIVATE ? NULL : s;
}

static inline int fdtab_is_private(int fd)
{
    return fdtab_raw(fd) == FDTAB_PRIVATE;
}

/* Returns 0, or -1 with EMFILE when fd is beyond the table. */
int fdtab_set(int fd, struct ssock *s);
/* Clears fd and returns what it held. */
struct ssock *fdtab_take(int fd);

#endif
