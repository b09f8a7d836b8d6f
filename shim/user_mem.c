#include "user_mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
/* Linux x86-64 user space ends at 2^47; anything above is the kernel's. */
#define USER_END (1ULL << 47)

/* mincore costs a system call (about 1.7 us here), and programs send
 * from the same few buffers over and over: remember the page ranges found
 * mapped.  Each slot packs first page (high 36 bits) and page count (low
 * 28) into one word, so readers need no lock.  A range the program unmaps
 * later stays "good": only a program that sends from freed memory, which
 * is undefined already, sees a crash instead of EFAULT. */
#define SLOTS 8
static _Atomic uint64_t known[SLOTS];
static atomic_uint next_slot;

static int known_range(uint64_t first, uint64_t count)
{
    for (int i = 0; i < SLOTS; i++) {
        uint64_t k = atomic_load_explicit(&known[i], memory_order_relaxed);
        uint64_t kf = k >> 28, kc = k & ((1u << 28) - 1);
        if (kc && first >= kf && first + count <= kf + kc)
            return 1;
    }
    return 0;
}

static void remember(uint64_t first, uint64_t count)
{
    if (count >= (1u << 28))
        return;
    unsigned i = atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed);
    atomic_store_explicit(&known[i % SLOTS], first << 28 | count,
                          memory_order_relaxed);
}

int umem_ok(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p;
    if (len == 0)
        return 1;
    if (a < PAGE_SIZE || a + len < a || a + len > USER_END)
        return 0;
    uint64_t first = a >> PAGE_SHIFT;
    uint64_t count = ((a + len - 1) >> PAGE_SHIFT) - first + 1;
    if (known_range(first, count))
        return 1;
    unsigned char vec[64];
    for (uint64_t done = 0; done < count;) {
        uint64_t n = count - done < sizeof vec ? count - done : sizeof vec;
        if (mincore((void *)((first + done) << PAGE_SHIFT), n << PAGE_SHIFT,
                    vec) < 0)
            return 0; /* ENOMEM: a page in the range is not mapped */
        done += n;
    }
    remember(first, count);
    return 1;
}

int umem_iov_ok(const struct iovec *iov, size_t n)
{
    if (n && !umem_ok(iov, n * sizeof *iov))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!umem_ok(iov[i].iov_base, iov[i].iov_len))
            return 0;
    return 1;
}

int umem_msghdr_ok(const struct msghdr *m)
{
    if (!umem_ok(m, sizeof *m))
        return 0;
    if (m->msg_name && !umem_ok(m->msg_name, m->msg_namelen))
        return 0;
    if (!umem_iov_ok(m->msg_iov, m->msg_iovlen))
        return 0;
    if (m->msg_controllen && !umem_ok(m->msg_control, m->msg_controllen))
        return 0;
    return 1;
}
