/* Data calls: every way a program can move bytes through a socket. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "gate.h"
#include "hook.h"
#include "lx_msg.h"

extern void __chk_fail(void) __attribute__((noreturn));

/* usrsctp's receive threads wait here for each packet, and handle it
 * once this returns (see gate.h).  A call made from inside a usrsctp call
 * of the program's is not one: that thread must not keep the gate. */
static ssize_t stack_recvmsg(int fd, struct msghdr *msg, int flags)
{
    if (stk_inside())
        return real.recvmsg(fd, msg, flags);
    gate_packet_wait();
    ssize_t r = real.recvmsg(fd, msg, flags);
    /* Nothing to handle after an error or an empty datagram, and a
     * thread that leaves its loop (usrsctp_finish at exit) must not
     * leave holding the gate. */
    if (r > 0)
        gate_packet_got();
    return r;
}

HOOK_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    HOOK_SOCK(s, fd, real.read(fd, buf, n));
    return lx_recv(s, buf, n, 0);
}

HOOK_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    HOOK_SOCK(s, fd, real.write(fd, buf, n));
    return lx_send(s, buf, n, 0);
}

HOOK_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
    HOOK_SOCK(s, fd, real.readv(fd, iov, cnt));
    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)cnt};
    return lx_recvmsg(s, &m, 0);
}

HOOK_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    HOOK_SOCK(s, fd, real.writev(fd, iov, cnt));
    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)cnt};
    return lx_sendmsg(s, &m, 0);
}

HOOK_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    HOOK_SOCK(s, fd, real.send(fd, buf, n, flags));
    return lx_send(s, buf, n, flags);
}

HOOK_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    HOOK_SOCK(s, fd, real.recv(fd, buf, n, flags));
    return lx_recv(s, buf, n, flags);
}

HOOK_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
                           const struct sockaddr *to, socklen_t tolen)
{
    HOOK_SOCK(s, fd, real.sendto(fd, buf, n, flags, to, tolen));
    struct iovec iv = {(void *)buf, n};
    struct msghdr m = {.msg_name = (void *)to, .msg_namelen = to ? tolen : 0,
                       .msg_iov = &iv, .msg_iovlen = 1};
    return lx_sendmsg(s, &m, flags);
}

HOOK_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
                             struct sockaddr *from, socklen_t *fromlen)
{
    HOOK_SOCK(s, fd, real.recvfrom(fd, buf, n, flags, from, fromlen));
    struct iovec iv = {buf, n};
    struct msghdr m = {.msg_name = from, .msg_namelen = from && fromlen ? *fromlen : 0,
                       .msg_iov = &iv, .msg_iovlen = 1};
    ssize_t r = lx_recvmsg(s, &m, flags);
    if (r >= 0 && from && fromlen)
        *fromlen = m.msg_namelen;
    return r;
}

HOOK_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    HOOK_SOCK(s, fd, real.sendmsg(fd, msg, flags));
    return lx_sendmsg(s, msg, flags);
}

HOOK_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    struct ssock *entry = fdtab_raw(fd);
    if (__builtin_expect(entry == FDTAB_PRIVATE, 0))
        return stack_recvmsg(fd, msg, flags);
    HOOK_SOCK_OF(s, entry, fd, real.recvmsg(fd, msg, flags));
    return lx_recvmsg(s, msg, flags);
}

HOOK_EXPORT int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
    HOOK_SOCK(s, fd, real.sendmmsg(fd, v, n, flags));
    unsigned int i;
    for (i = 0; i < n; i++) {
        ssize_t r = lx_sendmsg(s, &v[i].msg_hdr, flags);
        if (r < 0)
            return i ? (int)i : -1;
        v[i].msg_len = (unsigned int)r;
    }
    return (int)i;
}

HOOK_EXPORT int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags,
                         struct timespec *timeout)
{
    HOOK_SOCK(s, fd, real.recvmmsg(fd, v, n, flags, timeout));
    unsigned int i;
    for (i = 0; i < n; i++) {
        /* After the first message, take only what is already there. */
        int f = i ? (flags | MSG_DONTWAIT) & ~MSG_WAITFORONE : flags & ~MSG_WAITFORONE;
        ssize_t r = lx_recvmsg(s, &v[i].msg_hdr, f);
        if (r < 0)
            return i ? (int)i : -1;
        v[i].msg_len = (unsigned int)r;
    }
    return (int)i;
}

HOOK_EXPORT ssize_t sendfile(int out, int in, off_t *off, size_t count)
{
    HOOK_SOCK(s, out, real.sendfile(out, in, off, count));
    /* One message of at most 64 KiB per call, as a short write. */
    char buf[65536];
    size_t want = count < sizeof buf ? count : sizeof buf;
    ssize_t got = off ? pread(in, buf, want, *off) : real.read(in, buf, want);
    if (got <= 0)
        return got;
    ssize_t r = lx_send(s, buf, (size_t)got, 0);
    if (r > 0) {
        if (off)
            *off += r;
        else if (r < got)
            lseek(in, r - got, SEEK_CUR);
    }
    return r;
}

HOOK_EXPORT ssize_t sendfile64(int out, int in, off_t *off, size_t count)
{
    return sendfile(out, in, off, count);
}

HOOK_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        __chk_fail();
    HOOK_SOCK(s, fd, real.read(fd, buf, n));
    return lx_recv(s, buf, n, 0);
}

HOOK_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen,
                               int flags)
{
    if (n > buflen)
        __chk_fail();
    HOOK_SOCK(s, fd, real.recv(fd, buf, n, flags));
    return lx_recv(s, buf, n, flags);
}

HOOK_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen,
                                   int flags, struct sockaddr *from,
                                   socklen_t *fromlen)
{
    if (n > buflen)
        __chk_fail();
    return recvfrom(fd, buf, n, flags, from, fromlen);
}
