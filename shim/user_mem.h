/* Whether a program's pointer can be used, so that a bad one gives EFAULT
 * as the kernel's copy would, instead of a crash inside the shim. */
#ifndef SCTPSHIM_USER_MEM_H
#define SCTPSHIM_USER_MEM_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* 1 when [p, p+len) is mapped (always for len 0), else 0. */
int umem_ok(const void *p, size_t len);
/* An iovec array and every buffer it names. */
int umem_iov_ok(const struct iovec *iov, size_t n);
/* The msghdr, its name, iovec array, buffers and control area. */
int umem_msghdr_ok(const struct msghdr *m);

#endif
