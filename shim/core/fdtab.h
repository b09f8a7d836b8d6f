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
/* A reader that keeps what it found (a reference, sock_get) holds fd's
 * lock while it reads and takes the reference: fdtab_take holds it too,
 * so what the reader found cannot be released in between.  The locks are
 * striped: one per 64th of the numbers. */
void fdtab_lock(int fd);
void fdtab_unlock(int fd);
void fdtab_forget_after_fork(void);
/* One past the highest descriptor number the table can hold (0 if it
 * cannot be made). */
size_t fdtab_capacity(void);
/* One past the highest number a program's descriptor may have: its soft
 * RLIMIT_NOFILE (the shim's own are above it, privfd.h), within the
 * table. */
size_t fdtab_program_bound(void);

#endif
