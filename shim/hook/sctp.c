/* The SCTP library calls the shim exports itself, a thin layer over
 * linux/send_api.c.
 *
 * sctp_sendmsg replaces libsctp's (see there).
 * sctp_sendx and sctp_sendmsgx exist on FreeBSD and Solaris but not in
 * Linux's libsctp: the shim provides them (declared in <sctpshim.h>).
 * sctp_sendv replaces libsctp's, which drops its flags argument, cannot
 * return the id of an association it set up, and returns -EINVAL instead
 * of setting errno.  The shim's library has no symbol versions, so this
 * definition also binds programs' references to sctp_sendv@VERS_1.
 *
 * sctp_sendmsg and sctp_sendv also work on a socket inherited from
 * another process (remote.h); sctp_sendx and sctp_sendmsgx do not
 * (EOPNOTSUPP, README "Differences from Linux").
 *
 * On a descriptor that is not a shim socket each call does what libsctp
 * would: a sendmsg with the same ancillary data, so the kernel answers
 * EBADF, ENOTSOCK, or whatever that socket does with it. */
#include "hook/hook.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <string.h>

#include "linux/addr.h"
#include "linux/send.h"
#include "sctpshim.h"

/* A descriptor the shim does not own: hand the kernel what libsctp
 * would have. */
static ssize_t pass_on(int fd, const struct iovec *iov, int iovcnt,
                       const struct sockaddr *to, int type, const void *info,
                       size_t infolen, int flags)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
    } ctl;
    struct msghdr m = {.msg_name = (void *)to,
                       .msg_namelen = to ? lx_addr_len(to) : 0,
                       .msg_iov = (struct iovec *)iov,
                       .msg_iovlen = (size_t)iovcnt};
    if (info && infolen <= sizeof(struct sctp_sndrcvinfo)) {
        memset(&ctl, 0, sizeof ctl);
        struct cmsghdr *c = &ctl.align;
        c->cmsg_level = IPPROTO_SCTP;
        c->cmsg_type = type;
        c->cmsg_len = CMSG_LEN(infolen);
        memcpy(CMSG_DATA(c), info, infolen);
        m.msg_control = ctl.buf;
        m.msg_controllen = CMSG_SPACE(infolen);
    }
    if (__builtin_expect(real.sendmsg == NULL, 0))
        real_init();
    return real.sendmsg(fd, &m, flags);
}

/* In place of libsctp's, which is a sendmsg with an SCTP_SNDRCV cmsg:
 * built the same way, but the shim must know the call (see
 * lx_sctp_sendmsg). */
HOOK_EXPORT int sctp_sendmsg(int sd, const void *msg, size_t len,
                             struct sockaddr *to, socklen_t tolen,
                             uint32_t ppid, uint32_t flags, uint16_t stream_no,
                             uint32_t timetolive, uint32_t context)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iv = {(void *)msg, len};
    struct msghdr m = {.msg_name = to, .msg_namelen = tolen, .msg_iov = &iv,
                       .msg_iovlen = 1, .msg_control = ctl.buf,
                       .msg_controllen = CMSG_LEN(sizeof(struct sctp_sndrcvinfo))};
    struct cmsghdr *c = &ctl.align;
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDRCV;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndrcvinfo));
    struct sctp_sndrcvinfo sinfo;
    memset(&sinfo, 0, sizeof sinfo);
    sinfo.sinfo_ppid = ppid;
    sinfo.sinfo_flags = (uint16_t)flags; /* libsctp's truncation */
    sinfo.sinfo_stream = stream_no;
    sinfo.sinfo_timetolive = timetolive;
    sinfo.sinfo_context = context;
    memcpy(CMSG_DATA(c), &sinfo, sizeof sinfo);
    HOOK_SOCK_R(s, sd, (int)real.sendmsg(sd, &m, 0));
    return HOOK_RET((int)rm_sctp_sendmsg(s, &m));
}

HOOK_EXPORT ssize_t sctp_sendx(int sd, const void *msg, size_t len,
                               struct sockaddr *addrs, int addrcnt,
                               struct sctp_sndrcvinfo *sinfo, int flags)
{
    struct iovec iv = {(void *)msg, len};
    HOOK_SOCK(s, sd, pass_on(sd, &iv, 1, addrcnt > 0 ? addrs : NULL, SCTP_SNDRCV,
                             sinfo, sinfo ? sizeof *sinfo : 0, flags));
    return HOOK_RET(lx_sendx(s, msg, len, addrs, addrcnt, sinfo, flags));
}

HOOK_EXPORT ssize_t sctp_sendmsgx(int sd, const void *msg, size_t len,
                                  struct sockaddr *addrs, int addrcnt,
                                  uint32_t ppid, uint32_t flags,
                                  uint16_t stream_no, uint32_t timetolive,
                                  uint32_t context)
{
    struct sctp_sndrcvinfo sinfo;
    memset(&sinfo, 0, sizeof sinfo);
    sinfo.sinfo_ppid = ppid;
    sinfo.sinfo_flags = (uint16_t)flags;
    sinfo.sinfo_stream = stream_no;
    sinfo.sinfo_timetolive = timetolive;
    sinfo.sinfo_context = context;
    struct iovec iv = {(void *)msg, len};
    HOOK_SOCK(s, sd, pass_on(sd, &iv, 1, addrcnt > 0 ? addrs : NULL, SCTP_SNDRCV,
                             &sinfo, sizeof sinfo, 0));
    if (flags > 0xffff) {
        errno = EINVAL;
        return -1;
    }
    return HOOK_RET(lx_sendx(s, msg, len, addrs, addrcnt, &sinfo, 0));
}

HOOK_EXPORT int sctp_sendv(int sd, const struct iovec *iov, int iovcnt,
                           struct sockaddr *addrs, int addrcnt, void *info,
                           socklen_t infolen, unsigned int infotype, int flags)
{
    HOOK_SOCK_R(s, sd, (int)pass_on(sd, iov, iovcnt, addrcnt > 0 ? addrs : NULL,
                                  infotype == SCTP_SENDV_SNDINFO ? SCTP_SNDINFO
                                                                 : SCTP_PRINFO,
                                  infotype == SCTP_SENDV_SNDINFO ||
                                          infotype == SCTP_SENDV_PRINFO
                                      ? info
                                      : NULL,
                                  infotype == SCTP_SENDV_SNDINFO
                                      ? sizeof(struct sctp_sndinfo)
                                      : sizeof(struct sctp_prinfo),
                                  flags));
    return HOOK_RET((int)rm_sctp_sendv(s, iov, iovcnt, addrs, addrcnt, info,
                                       infolen, infotype, flags));
}
