/* setsockopt/getsockopt with the program's own buffers, taken the way the
 * kernel takes them: the value and its length are copied into the shim
 * at the entry and out at the exit, in this one place, so that the option
 * handlers (linux/sockopt*.c) only ever see shim-owned memory, and a bad
 * pointer gives EFAULT where the kernel's copy would. */
#ifndef SCTPSHIM_LX_UOPT_H
#define SCTPSHIM_LX_UOPT_H

#include <stddef.h>
#include <sys/socket.h>

struct ssock;

int lx_setsockopt_user(struct ssock *s, int fd, int level, int name,
                       const void *val, socklen_t len);
int lx_getsockopt_user(struct ssock *s, int fd, int level, int name, void *val,
                       socklen_t *len);

/* The bytes of an SCTP getsockopt's value that net/sctp/socket.c reads or
 * writes first once len passed its length check (0: it fails on the
 * length, or the option is not one of its getsockopts). */
size_t lx_uopt_get_touch(int name, size_t len);

#endif
