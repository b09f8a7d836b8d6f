#include "core/umem.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/log.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
/* Linux x86-64 user space ends at 2^47; anything above is the kernel's. */
#define USER_END (1ULL << 47)
/* Pages probed per system call. */
#define BATCH 64

/* A system call costs about a microsecond here, and programs send from
 * and receive into the same few buffers over and over: the page ranges
 * found readable, and those found writable (which are readable too), are
 * remembered.  Each slot packs first page (high 36 bits) and page count
 * (low 28) into one word, so readers need no lock. */
#define SLOTS 16
struct known {
    _Atomic uint64_t slot[SLOTS];
    atomic_uint next;
};
static struct known readable_ranges, writable_ranges;
/* Bumped by umem_forget, so that a probe that raced with an munmap does
 * not leave behind what it found before. */
static atomic_uint generation;
/* process_vm_readv refused (a seccomp filter, say): mincore then, which
 * cannot tell PROT_NONE or read-only pages from good ones. */
static atomic_int no_vm_calls;

static int page_range(const void *p, size_t len, uint64_t *first,
                      uint64_t *count)
{
    uintptr_t a = (uintptr_t)p;
    if (a < PAGE_SIZE || a + len < a || a + len > USER_END)
        return 0;
    *first = a >> PAGE_SHIFT;
    *count = ((a + len - 1) >> PAGE_SHIFT) - *first + 1;
    return 1;
}

static int known_in(struct known *k, uint64_t first, uint64_t count)
{
    for (int i = 0; i < SLOTS; i++) {
        uint64_t v = atomic_load_explicit(&k->slot[i], memory_order_relaxed);
        uint64_t kf = v >> 28, kc = v & ((1u << 28) - 1);
        if (kc && first >= kf && first + count <= kf + kc)
            return 1;
    }
    return 0;
}

static void remember(struct known *k, uint64_t first, uint64_t count,
                     unsigned gen)
{
    if (count >= (1u << 28))
        return;
    unsigned i = atomic_fetch_add_explicit(&k->next, 1, memory_order_relaxed) % SLOTS;
    atomic_store_explicit(&k->slot[i], first << 28 | count, memory_order_relaxed);
    if (atomic_load_explicit(&generation, memory_order_acquire) != gen)
        atomic_store_explicit(&k->slot[i], 0, memory_order_relaxed);
}

static void forget_in(struct known *k, uint64_t first, uint64_t count)
{
    for (int i = 0; i < SLOTS; i++) {
        uint64_t v = atomic_load_explicit(&k->slot[i], memory_order_relaxed);
        uint64_t kf = v >> 28, kc = v & ((1u << 28) - 1);
        if (kc && kf < first + count && first < kf + kc)
            atomic_compare_exchange_strong(&k->slot[i], &v, 0);
    }
}

void umem_forget(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p;
    uint64_t first = 0, count = UINT64_MAX >> 1; /* everything */
    if (len && a + len > a) {
        first = a >> PAGE_SHIFT;
        count = ((a + len - 1) >> PAGE_SHIFT) - first + 1;
    }
    atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
    forget_in(&readable_ranges, first, count);
    forget_in(&writable_ranges, first, count);
}

static ssize_t vm_rw(int write, void *local, size_t llen, const struct iovec *remote,
                     size_t n)
{
    struct iovec l = {local, llen};
    long r = syscall(write ? SYS_process_vm_writev : SYS_process_vm_readv,
                     (long)getpid(), &l, 1L, remote, (long)n, 0L);
    if (r < 0 && errno != EFAULT && !atomic_exchange(&no_vm_calls, 1))
        SHIM_LOG("process_vm_readv: %s: bad pointers are found with mincore "
                 "only (PROT_NONE and read-only pages look good)",
                 strerror(errno));
    return r;
}

static int mapped(uint64_t first, uint64_t count)
{
    unsigned char vec[BATCH];
    for (uint64_t done = 0; done < count;) {
        uint64_t n = count - done < BATCH ? count - done : BATCH;
        if (mincore((void *)((first + done) << PAGE_SHIFT), n << PAGE_SHIFT,
                    vec) < 0)
            return 0;
        done += n;
    }
    return 1;
}

/* One byte of each page of [p, p+len), all inside the range: read, and
 * for a write probe written back as it was. */
static int probe(const void *p, uint64_t first, uint64_t count, int write)
{
    uintptr_t a = (uintptr_t)p;
    for (uint64_t done = 0; done < count;) {
        struct iovec at[BATCH];
        unsigned char bytes[BATCH];
        size_t n = 0;
        for (; n < BATCH && done + n < count; n++) {
            uintptr_t page = (first + done + n) << PAGE_SHIFT;
            at[n].iov_base = (void *)(page > a ? page : a);
            at[n].iov_len = 1;
        }
        if (vm_rw(0, bytes, n, at, n) != (ssize_t)n)
            return atomic_load(&no_vm_calls) && mapped(first, count);
        if (write && vm_rw(1, bytes, n, at, n) != (ssize_t)n)
            return atomic_load(&no_vm_calls) && mapped(first, count);
        done += n;
    }
    return 1;
}

static int accessible(const void *p, size_t len, int write)
{
    uint64_t first, count;
    if (len == 0)
        return 1;
    if (!page_range(p, len, &first, &count))
        return 0;
    if (known_in(&writable_ranges, first, count) ||
        (!write && known_in(&readable_ranges, first, count)))
        return 1;
    unsigned gen = atomic_load_explicit(&generation, memory_order_acquire);
    if (!probe(p, first, count, write))
        return 0;
    remember(write ? &writable_ranges : &readable_ranges, first, count, gen);
    return 1;
}

int umem_readable(const void *p, size_t len)
{
    return accessible(p, len, 0);
}

int umem_writable(void *p, size_t len)
{
    return accessible(p, len, 1);
}

/* The copy itself goes through the system call even when the range is
 * known good: it reads exactly what the kernel would, and a sanitizer in
 * the program never sees the shim read past an object the way the
 * kernel may (a length larger than the variable behind it). */
static ssize_t copy(int write, void *local, const void *user, size_t len)
{
    uint64_t first, count;
    if (!page_range(user, len, &first, &count))
        return -1;
    unsigned gen = atomic_load_explicit(&generation, memory_order_acquire);
    struct iovec r = {(void *)user, len};
    ssize_t n = vm_rw(write, local, len, &r, 1);
    if (n < 0 && atomic_load(&no_vm_calls)) {
        if (!mapped(first, count))
            return -1;
        if (write)
            memcpy((void *)user, local, len);
        else
            memcpy(local, user, len);
        return (ssize_t)len;
    }
    if (n == (ssize_t)len)
        remember(write ? &writable_ranges : &readable_ranges, first, count, gen);
    return n;
}

int umem_copy_in(void *dst, const void *user, size_t len)
{
    if (len == 0)
        return 0;
    if (copy(0, dst, user, len) != (ssize_t)len) {
        errno = EFAULT;
        return -1;
    }
    return 0;
}

int umem_copy_out(void *user, const void *src, size_t len)
{
    if (len == 0)
        return 0;
    if (copy(1, (void *)src, user, len) != (ssize_t)len) {
        errno = EFAULT;
        return -1;
    }
    return 0;
}

size_t umem_copy_in_part(void *dst, const void *user, size_t len)
{
    if (len == 0)
        return 0;
    ssize_t n = copy(0, dst, user, len);
    return n > 0 ? (size_t)n : 0;
}

static int iov_access(const struct iovec *iov, size_t n, int write)
{
    if (n && !umem_readable(iov, n * sizeof *iov))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!accessible(iov[i].iov_base, iov[i].iov_len, write))
            return 0;
    return 1;
}

int umem_iov_readable(const struct iovec *iov, size_t n)
{
    return iov_access(iov, n, 0);
}

int umem_iov_writable(const struct iovec *iov, size_t n)
{
    return iov_access(iov, n, 1);
}

static int fail(int e)
{
    errno = e;
    return -1;
}

int umem_send_msghdr(const struct msghdr *m)
{
    if (!umem_readable(m, sizeof *m))
        return fail(EFAULT);
    if (m->msg_name && (int)m->msg_namelen < 0)
        return fail(EINVAL);
    if (m->msg_iovlen > UMEM_IOV_MAX)
        return fail(EMSGSIZE);
    if (m->msg_iovlen && !umem_readable(m->msg_iov, m->msg_iovlen * sizeof *m->msg_iov))
        return fail(EFAULT);
    size_t name = m->msg_namelen < sizeof(struct sockaddr_storage)
                      ? m->msg_namelen
                      : sizeof(struct sockaddr_storage);
    if (m->msg_name && !umem_readable(m->msg_name, name))
        return fail(EFAULT);
    if (m->msg_controllen > INT_MAX)
        return fail(ENOBUFS);
    if (m->msg_controllen && !umem_readable(m->msg_control, m->msg_controllen))
        return fail(EFAULT);
    return 0;
}

int umem_recv_msghdr(struct msghdr *m, size_t name_max)
{
    if (!umem_writable(m, sizeof *m))
        return fail(EFAULT);
    if (m->msg_name && (int)m->msg_namelen < 0)
        return fail(EINVAL);
    if (m->msg_iovlen > UMEM_IOV_MAX)
        return fail(EMSGSIZE);
    if (!umem_iov_writable(m->msg_iov, m->msg_iovlen))
        return fail(EFAULT);
    size_t name = m->msg_namelen < name_max ? m->msg_namelen : name_max;
    if (m->msg_name && !umem_writable(m->msg_name, name))
        return fail(EFAULT);
    return 0;
}

int umem_addr_in(struct sockaddr_storage *ss, const struct sockaddr *user,
                 socklen_t len)
{
    memset(ss, 0, sizeof *ss);
    if ((int)len < 0 || len > sizeof *ss)
        return fail(EINVAL);
    return umem_copy_in(ss, user, len);
}

int umem_addr_out(const void *kaddr, socklen_t klen, struct sockaddr *user,
                  socklen_t *ulen)
{
    socklen_t len;
    if (umem_copy_in(&len, ulen, sizeof len) < 0)
        return -1;
    if ((int)len < 0)
        return fail(EINVAL);
    if (len > klen)
        len = klen;
    if (umem_copy_out(user, kaddr, len) < 0)
        return -1;
    return umem_copy_out(ulen, &klen, sizeof klen);
}
