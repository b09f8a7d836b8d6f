/* Data calls: every way a program can move bytes through a socket. */
#include "hook/hook.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "core/umem.h"
#include "linux/recv.h"
#include "linux/send.h"
#include "usrsctp/gate.h"
#include "usrsctp/stack.h"

extern void __chk_fail(void) __attribute__((noreturn));

/* How long a blocking recvmsg on fd would wait (SO_RCVTIMEO), in ms
 * for poll (-1: for ever). */
static int rcvtimeo_ms(int fd)
{
    struct timeval tv = {0, 0};
    socklen_t l = sizeof tv;
    if (real.getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &l) < 0 ||
        (tv.tv_sec == 0 && tv.tv_usec == 0))
        return -1;
    long ms = tv.tv_sec * 1000L + (tv.tv_usec + 999) / 1000;
    return ms > 1000000 ? 1000000 : (int)ms;
}

/* A receive thread takes a packet off its socket only once it counts as
 * busy (gate_packet_coming), so that a program call that finds the
 * socket's queue empty and no thread busy knows every packet queued
 * before has been handled (stk_backlog).  Hence a non-blocking read and
 * poll() in place of usrsctp's blocking recvmsg; with packets queued it
 * is one read, as before. */
static ssize_t take_packet(int fd, struct msghdr *msg, int flags)
{
    for (;;) {
        gate_packet_coming();
        ssize_t r = stk_wire_recvmsg(fd, msg, flags | MSG_DONTWAIT);
        if (r > 0 || (flags & MSG_DONTWAIT) ||
            (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            return r;
        gate_packet_none();
        if (r == 0)
            return r;
        struct pollfd p = {fd, POLLIN, 0};
        int n = real.poll(&p, 1, rcvtimeo_ms(fd));
        if (n == 0) {
            errno = EAGAIN; /* the receive timeout, as recvmsg says it */
            return -1;
        }
        if (n < 0)
            return -1;
    }
}

/* usrsctp's receive threads wait here for each packet, and handle it
 * once this returns (see gate.h).  A call made from inside a usrsctp call
 * of the program's is not one: that thread must not keep the gate. */
static ssize_t stack_recvmsg(int fd, struct msghdr *msg, int flags)
{
    if (stk_inside())
        return real.recvmsg(fd, msg, flags);
    gate_packet_wait();
    ssize_t r = take_packet(fd, msg, flags);
    /* Nothing to handle after an error or an empty datagram, and a
     * thread that leaves its loop (usrsctp_finish at exit) must not
     * leave holding the gate. */
    if (r > 0) {
        gate_packet_got();
        stk_wire_received(msg, (size_t)r);
    } else {
        gate_packet_none();
    }
    return r;
}

HOOK_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    HOOK_SOCK_R(s, fd, real.read(fd, buf, n));
    return HOOK_RET(rm_recv(s, buf, n, 0));
}

HOOK_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    HOOK_SOCK_R(s, fd, real.write(fd, buf, n));
    return HOOK_RET(rm_send(s, buf, n, 0));
}

HOOK_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
    HOOK_SOCK_R(s, fd, real.readv(fd, iov, cnt));
    if (cnt < 0 || cnt > UMEM_IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)cnt};
    return HOOK_RET(rm_recvmsg(s, &m, 0));
}

HOOK_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    HOOK_SOCK_R(s, fd, real.writev(fd, iov, cnt));
    if (cnt < 0 || cnt > UMEM_IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)cnt};
    return HOOK_RET(rm_sendmsg(s, &m, 0));
}

HOOK_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    HOOK_SOCK_R(s, fd, real.send(fd, buf, n, flags));
    return HOOK_RET(rm_send(s, buf, n, flags));
}

HOOK_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    HOOK_SOCK_R(s, fd, real.recv(fd, buf, n, flags));
    return HOOK_RET(rm_recv(s, buf, n, flags));
}

HOOK_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
                           const struct sockaddr *to, socklen_t tolen)
{
    HOOK_SOCK_R(s, fd, real.sendto(fd, buf, n, flags, to, tolen));
    struct iovec iv = {(void *)buf, n};
    struct msghdr m = {.msg_name = (void *)to, .msg_namelen = to ? tolen : 0,
                       .msg_iov = &iv, .msg_iovlen = 1};
    return HOOK_RET(rm_sendmsg(s, &m, flags));
}

HOOK_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
                             struct sockaddr *from, socklen_t *fromlen)
{
    HOOK_SOCK_R(s, fd, real.recvfrom(fd, buf, n, flags, from, fromlen));
    if (from && !umem_writable(fromlen, sizeof *fromlen)) {
        errno = EFAULT;
        return -1;
    }
    struct iovec iv = {buf, n};
    struct msghdr m = {.msg_name = from, .msg_namelen = from ? *fromlen : 0,
                       .msg_iov = &iv, .msg_iovlen = 1};
    ssize_t r = rm_recvmsg(s, &m, flags);
    if (r >= 0 && from)
        *fromlen = m.msg_namelen;
    return HOOK_RET(r);
}

HOOK_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    struct ssock *entry = fdtab_raw(fd);
    if (__builtin_expect(entry == FDTAB_PRIVATE, 0))
        return stk_wire_sendmsg(fd, msg, flags); /* usrsctp's packets */
    HOOK_SOCK_OF_R(s, entry, fd, real.sendmsg(fd, msg, flags));
    return HOOK_RET(rm_sendmsg(s, msg, flags));
}

HOOK_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    struct ssock *entry = fdtab_raw(fd);
    if (__builtin_expect(entry == FDTAB_PRIVATE, 0))
        return stack_recvmsg(fd, msg, flags);
    HOOK_SOCK_OF_R(s, entry, fd, real.recvmsg(fd, msg, flags));
    return HOOK_RET(rm_recvmsg(s, msg, flags));
}

HOOK_EXPORT int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
    HOOK_SOCK(s, fd, real.sendmmsg(fd, v, n, flags));
    unsigned int i;
    for (i = 0; i < n; i++) {
        ssize_t r = umem_writable(&v[i], sizeof v[i])
                        ? lx_sendmsg(s, &v[i].msg_hdr, flags)
                        : (errno = EFAULT, -1);
        if (r < 0)
            return i ? HOOK_RET((int)i) : -1;
        v[i].msg_len = (unsigned int)r;
    }
    return HOOK_RET((int)i);
}

HOOK_EXPORT int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags,
                         struct timespec *timeout)
{
    HOOK_SOCK(s, fd, real.recvmmsg(fd, v, n, flags, timeout));
    unsigned int i;
    for (i = 0; i < n; i++) {
        /* After the first message, take only what is already there. */
        int f = i ? (flags | MSG_DONTWAIT) & ~MSG_WAITFORONE : flags & ~MSG_WAITFORONE;
        ssize_t r = umem_writable(&v[i], sizeof v[i]) ? lx_recvmsg(s, &v[i].msg_hdr, f)
                                                      : (errno = EFAULT, -1);
        if (r < 0)
            return i ? HOOK_RET((int)i) : -1;
        v[i].msg_len = (unsigned int)r;
    }
    return HOOK_RET((int)i);
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
    return HOOK_RET(r);
}

HOOK_EXPORT ssize_t sendfile64(int out, int in, off_t *off, size_t count)
{
    return sendfile(out, in, off, count);
}

HOOK_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
    if (n > buflen)
        __chk_fail();
    HOOK_SOCK_R(s, fd, real.read(fd, buf, n));
    return HOOK_RET(rm_recv(s, buf, n, 0));
}

HOOK_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen,
                               int flags)
{
    if (n > buflen)
        __chk_fail();
    HOOK_SOCK_R(s, fd, real.recv(fd, buf, n, flags));
    return HOOK_RET(rm_recv(s, buf, n, flags));
}

HOOK_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen,
                                   int flags, struct sockaddr *from,
                                   socklen_t *fromlen)
{
    if (n > buflen)
        __chk_fail();
    return recvfrom(fd, buf, n, flags, from, fromlen);
}
