#include "core/fdtab.h"

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>

_Atomic(struct ssock *) *fdtab_slots;
size_t fdtab_size;

static pthread_mutex_t fdtab_init_lock = PTHREAD_MUTEX_INITIALIZER;

#define STRIPES 64
static pthread_mutex_t stripes[STRIPES] = {
    [0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER};

void fdtab_lock(int fd)
{
    pthread_mutex_lock(&stripes[(unsigned)fd % STRIPES]);
}

void fdtab_unlock(int fd)
{
    pthread_mutex_unlock(&stripes[(unsigned)fd % STRIPES]);
}

void fdtab_forget_after_fork(void)
{
    /* Another thread of the parent may have held one. */
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
}

/* Sized once for the hard descriptor limit: the pages are only touched
 * where descriptors are used, so the reservation costs address space, not
 * memory, and the table never moves under a lock-free reader. */
static int fdtab_init(void)
{
    pthread_mutex_lock(&fdtab_init_lock);
    if (!fdtab_slots) {
        struct rlimit rl;
        size_t n = 1 << 16;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
            rl.rlim_max > n)
            n = rl.rlim_max;
        if (n > (1u << 22))
            n = 1u << 22;
        void *p = mmap(NULL, n * sizeof(struct ssock *), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p != MAP_FAILED) {
            fdtab_size = n;
            __atomic_store_n(&fdtab_slots, p, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&fdtab_init_lock);
    return fdtab_slots ? 0 : -1;
}

int fdtab_set(int fd, struct ssock *s)
{
    if (!fdtab_slots && fdtab_init() < 0)
        return -1;
    if (fd < 0 || (size_t)fd >= fdtab_size) {
        errno = EMFILE;
        return -1;
    }
    atomic_store_explicit(&fdtab_slots[fd], s, memory_order_release);
    return 0;
}

struct ssock *fdtab_take(int fd)
{
    if (!fdtab_slots || fd < 0 || (size_t)fd >= fdtab_size)
        return NULL;
    fdtab_lock(fd);
    struct ssock *s = atomic_exchange_explicit(&fdtab_slots[fd], NULL,
                                               memory_order_acq_rel);
    fdtab_unlock(fd);
    return s;
}

size_t fdtab_capacity(void)
{
    if (!fdtab_slots && fdtab_init() < 0)
        return 0;
    return fdtab_size;
}

size_t fdtab_program_bound(void)
{
    struct rlimit rl;
    size_t n = fdtab_capacity();
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n)
        n = rl.rlim_cur;
    return n;
}
