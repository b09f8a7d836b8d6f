/* The program's memory, touched the way the kernel touches it: a pointer
 * the program hands over is read or written only where the kernel's
 * copy_from_user/copy_to_user would succeed, and a bad one gives EFAULT
 * instead of a crash inside the shim.
 *
 * Access is found out with process_vm_readv/process_vm_writev on the own
 * process, which fail with EFAULT on unmapped, PROT_NONE and (for
 * writing) read-only pages, and ranges found good are remembered, so
 * that a buffer used again and again costs a lookup, not a system call.
 * What is remembered is forgotten when the program changes its mappings
 * (hook/mem.c: munmap, mprotect, mremap, shmdt). */
#ifndef SCTPSHIM_USER_MEM_H
#define SCTPSHIM_USER_MEM_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* 1 when [p, p+len) can be read / written (always for len 0), else 0. */
int umem_readable(const void *p, size_t len);
int umem_writable(void *p, size_t len);
/* Copies between the program's memory and the shim's: 0, or -1 with
 * errno EFAULT (nothing is known to have been copied then). */
int umem_copy_in(void *dst, const void *user, size_t len);
int umem_copy_out(void *user, const void *src, size_t len);
/* Copies the part of [user, user+len) that can be read from its start,
 * and returns its length (short at the first page that cannot). */
size_t umem_copy_in_part(void *dst, const void *user, size_t len);
/* The program changed the mappings of [p, p+len): what is known about
 * them is forgotten (len 0: about everything). */
void umem_forget(const void *p, size_t len);

/* The kernel's limit on an iovec array (UIO_MAXIOV). */
#define UMEM_IOV_MAX 1024

/* Every buffer of an iovec array, the array included: 1 or 0. */
int umem_iov_readable(const struct iovec *iov, size_t n);
int umem_iov_writable(const struct iovec *iov, size_t n);
/* A msghdr a send reads, as the kernel's ____sys_sendmsg copies it in:
 * the header, its iovec array, msg_name and the control area (not the
 * data, which the kernel copies last).  0, or -1 with EFAULT, EINVAL
 * (negative msg_namelen), EMSGSIZE (more than UMEM_IOV_MAX buffers) or
 * ENOBUFS (a control area larger than INT_MAX). */
int umem_send_msghdr(const struct msghdr *m);
/* A msghdr a receive fills: the header (read and written back), the
 * iovec array and every buffer, and the first name_max bytes of msg_name.
 * The control area is left to the caller (the kernel drops ancillary data
 * it cannot write).  0, or -1 with EFAULT, EINVAL or EMSGSIZE. */
int umem_recv_msghdr(struct msghdr *m, size_t name_max);

/* A socket address the program passes in, as the kernel's
 * move_addr_to_kernel takes it: 0, or -1 with EINVAL (a length beyond a
 * sockaddr_storage, or negative) or EFAULT.  Zero-filled beyond len. */
int umem_addr_in(struct sockaddr_storage *ss, const struct sockaddr *user,
                 socklen_t len);
/* An address handed back, as move_addr_to_user: *ulen is read, at most
 * that many bytes of the klen written, and klen stored in *ulen.  0, or
 * -1 with EFAULT or EINVAL (a negative *ulen). */
int umem_addr_out(const void *kaddr, socklen_t klen, struct sockaddr *user,
                  socklen_t *ulen);

#endif
