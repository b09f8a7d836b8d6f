/* Bytes an iovec array holds, and reading them. */
#ifndef SCTPSHIM_IOV_H
#define SCTPSHIM_IOV_H

#include <stddef.h>
#include <string.h>
#include <sys/uio.h>

static inline size_t iov_total(const struct iovec *iov, size_t n)
{
    size_t t = 0;
    for (size_t i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

/* Copies up to n bytes of the array from offset off into out; returns
 * how many were there. */
static inline size_t iov_read(const struct iovec *iov, size_t cnt, size_t off,
                              void *out, size_t n)
{
    size_t got = 0;
    for (size_t i = 0; i < cnt && got < n; i++) {
        size_t len = iov[i].iov_len;
        if (off >= len) {
            off -= len;
            continue;
        }
        size_t k = len - off < n - got ? len - off : n - got;
        memcpy((char *)out + got, (const char *)iov[i].iov_base + off, k);
        got += k;
        off = 0;
    }
    return got;
}

#endif
