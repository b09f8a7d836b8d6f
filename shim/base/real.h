/* The libc functions the shim interposes, resolved once with RTLD_NEXT.
 * The shim's own I/O, and every call on a descriptor that is not an SCTP
 * socket, goes straight to these. */
#ifndef SCTPSHIM_REAL_H
#define SCTPSHIM_REAL_H

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#define REAL_FUNCS(X)                                                       \
    X(int, socket, (int, int, int))                                         \
    X(int, socketpair, (int, int, int, int *))                              \
    X(int, bind, (int, const struct sockaddr *, socklen_t))                 \
    X(int, listen, (int, int))                                              \
    X(int, accept, (int, struct sockaddr *, socklen_t *))                   \
    X(int, accept4, (int, struct sockaddr *, socklen_t *, int))             \
    X(int, connect, (int, const struct sockaddr *, socklen_t))              \
    X(int, shutdown, (int, int))                                            \
    X(int, getsockname, (int, struct sockaddr *, socklen_t *))              \
    X(int, getpeername, (int, struct sockaddr *, socklen_t *))              \
    X(int, setsockopt, (int, int, int, const void *, socklen_t))            \
    X(int, getsockopt, (int, int, int, void *, socklen_t *))                \
    X(ssize_t, read, (int, void *, size_t))                                 \
    X(ssize_t, write, (int, const void *, size_t))                          \
    X(ssize_t, readv, (int, const struct iovec *, int))                     \
    X(ssize_t, writev, (int, const struct iovec *, int))                    \
    X(ssize_t, send, (int, const void *, size_t, int))                      \
    X(ssize_t, recv, (int, void *, size_t, int))                            \
    X(ssize_t, sendto, (int, const void *, size_t, int,                     \
                        const struct sockaddr *, socklen_t))                \
    X(ssize_t, recvfrom, (int, void *, size_t, int, struct sockaddr *,      \
                          socklen_t *))                                     \
    X(ssize_t, sendmsg, (int, const struct msghdr *, int))                  \
    X(ssize_t, recvmsg, (int, struct msghdr *, int))                        \
    X(int, sendmmsg, (int, struct mmsghdr *, unsigned int, int))            \
    X(int, recvmmsg, (int, struct mmsghdr *, unsigned int, int,             \
                      struct timespec *))                                   \
    X(int, close, (int))                                                    \
    X(int, dup, (int))                                                      \
    X(int, dup2, (int, int))                                                \
    X(int, dup3, (int, int, int))                                           \
    X(int, fcntl, (int, int, ...))                                          \
    X(int, fcntl64, (int, int, ...))                                        \
    X(int, ioctl, (int, unsigned long, ...))                                \
    X(int, poll, (struct pollfd *, nfds_t, int))                            \
    X(int, nanosleep, (const struct timespec *, struct timespec *))         \
    X(int, close_range, (unsigned int, unsigned int, int))                  \
    X(ssize_t, sendfile, (int, int, off_t *, size_t))                       \
    X(ssize_t, __read_chk, (int, void *, size_t, size_t))                   \
    X(ssize_t, __recv_chk, (int, void *, size_t, size_t, int))              \
    X(ssize_t, __recvfrom_chk, (int, void *, size_t, size_t, int,           \
                                struct sockaddr *, socklen_t *))            \
    X(int, munmap, (void *, size_t))                                        \
    X(int, mprotect, (void *, size_t, int))                                 \
    X(int, pkey_mprotect, (void *, size_t, int, int))                       \
    X(void *, mremap, (void *, size_t, size_t, int, ...))                   \
    X(int, madvise, (void *, size_t, int))                                  \
    X(int, shmdt, (const void *))                                           \
    X(pid_t, fork, (void))                                                  \
    X(int, execve, (const char *, char *const[], char *const[]))            \
    X(int, execvpe, (const char *, char *const[], char *const[]))           \
    X(int, fexecve, (int, char *const[], char *const[]))

struct real_api {
#define REAL_PTR(ret, name, args) ret(*name) args;
    REAL_FUNCS(REAL_PTR)
#undef REAL_PTR
};

extern struct real_api real;

void real_init(void);

#endif
