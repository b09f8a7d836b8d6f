/* The SCTP library calls the shim exports itself.
 *
 * sctp_sendx and sctp_sendmsgx exist on FreeBSD and Solaris but not in
 * Linux's libsctp: the shim provides them (declared in <sctpshim.h>).
 * sctp_sendv replaces libsctp's, which drops its flags argument, cannot
 * return the id of an association it set up, and returns -EINVAL instead
 * of setting errno.  The shim's library has no symbol versions, so this
 * definition also binds programs' references to sctp_sendv@VERS_1.
 *
 * On a descriptor that is not a shim socket each call does what libsctp
 * would: a sendmsg with the same ancillary data, so the kernel answers
 * EBADF, ENOTSOCK, or whatever that socket does with it. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <string.h>

#include "hook.h"
#include "sctpshim.h"
#include "lx_addr.h"
#include "lx_send.h"
#include "lx_xlate.h"
#include "user_mem.h"

/* Bytes taken by cnt packed addresses, or -1/EINVAL (or EFAULT). */
static int list_bytes(const struct sockaddr *addrs, int cnt)
{
    int bytes = 0;
    for (int i = 0; i < cnt; i++) {
        const struct sockaddr *sa = (const void *)((const char *)addrs + bytes);
        if (!umem_ok(sa, sizeof(sa_family_t))) {
            errno = EFAULT;
            return -1;
        }
        socklen_t l = lx_addr_len(sa);
        if (!l) {
            errno = EINVAL;
            return -1;
        }
        if (!umem_ok(sa, l)) {
            errno = EFAULT;
            return -1;
        }
        bytes += (int)l;
    }
    return bytes;
}

/* The destination list of a one-to-many send (one-to-one sockets ignore
 * it, as the kernel does): 0, or -1/errno. */
static int take_addrs(struct ssock *s, struct lx_send_req *req,
                      const struct sockaddr *addrs, int addrcnt)
{
    if (addrcnt < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!addrs || !addrcnt || s->type != SOCK_SEQPACKET)
        return 0;
    int bytes = list_bytes(addrs, addrcnt);
    if (bytes < 0)
        return -1;
    for (int off = 0; off < bytes;) {
        const struct sockaddr *sa = (const void *)((const char *)addrs + off);
        if (lx_addr_check(s, sa, lx_addr_len(sa)) < 0)
            return -1;
        off += (int)lx_addr_len(sa);
    }
    req->dst = addrs;
    req->dst_bytes = bytes;
    req->ndst = addrcnt;
    return 0;
}

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

/* The checks a kernel makes of sinfo_flags, then the send itself. */
static ssize_t sendx_common(struct ssock *s, const void *msg, size_t len,
                            const struct sockaddr *addrs, int addrcnt,
                            const struct sctp_sndrcvinfo *sinfo, int flags)
{
    struct lx_send_req req;
    lx_send_req_init(s, &req);
    if (!umem_ok(msg, len) || (sinfo && !umem_ok(sinfo, sizeof *sinfo))) {
        errno = EFAULT;
        return -1;
    }
    if (sinfo) {
        if (!lx_send_flags_ok(sinfo->sinfo_flags)) {
            errno = EINVAL;
            return -1;
        }
        lx_send_take_sndrcv(&req, sinfo);
    }
    if (take_addrs(s, &req, addrs, addrcnt) < 0)
        return -1;
    struct iovec iv = {(void *)msg, len};
    return lx_send_req(s, &iv, 1, &req, flags);
}

HOOK_EXPORT ssize_t sctp_sendx(int sd, const void *msg, size_t len,
                               struct sockaddr *addrs, int addrcnt,
                               struct sctp_sndrcvinfo *sinfo, int flags)
{
    struct iovec iv = {(void *)msg, len};
    HOOK_SOCK(s, sd, pass_on(sd, &iv, 1, addrcnt > 0 ? addrs : NULL, SCTP_SNDRCV,
                             sinfo, sinfo ? sizeof *sinfo : 0, flags));
    return sendx_common(s, msg, len, addrs, addrcnt, sinfo, flags);
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
    return sendx_common(s, msg, len, addrs, addrcnt, &sinfo, 0);
}

/* sctp_sendv's info argument onto a request, as RFC 6458 5.3 types it. */
static int take_sendv_info(struct lx_send_req *req, void *info,
                           socklen_t infolen, unsigned int infotype)
{
    static const size_t need[] = {
        [SCTP_SENDV_NOINFO] = 0,
        [SCTP_SENDV_SNDINFO] = sizeof(struct sctp_sndinfo),
        [SCTP_SENDV_PRINFO] = sizeof(struct sctp_prinfo),
        [SCTP_SENDV_AUTHINFO] = sizeof(struct sctp_authinfo),
        [SCTP_SENDV_SPA] = sizeof(struct sctp_sendv_spa),
    };
    if (infotype > SCTP_SENDV_SPA || (infotype == SCTP_SENDV_NOINFO && (info || infolen)) ||
        infolen < need[infotype]) {
        errno = EINVAL;
        return -1;
    }
    if (!umem_ok(info, need[infotype])) {
        errno = EFAULT;
        return -1;
    }
    const struct sctp_sndinfo *snd = NULL;
    const struct sctp_prinfo *pr = NULL;
    switch (infotype) {
    case SCTP_SENDV_SNDINFO:
        snd = info;
        break;
    case SCTP_SENDV_PRINFO:
        pr = info;
        break;
    case SCTP_SENDV_SPA: {
        struct sctp_sendv_spa *spa = info;
        if (spa->sendv_flags & ~(SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID |
                                 SCTP_SEND_AUTHINFO_VALID)) {
            errno = EINVAL;
            return -1;
        }
        if (spa->sendv_flags & SCTP_SEND_SNDINFO_VALID)
            snd = &spa->sendv_sndinfo;
        if (spa->sendv_flags & SCTP_SEND_PRINFO_VALID)
            pr = &spa->sendv_prinfo;
        break;
    }
    }
    if (snd) {
        if (!lx_send_flags_ok(snd->snd_flags)) {
            errno = EINVAL;
            return -1;
        }
        lx_send_take_sndinfo(req, snd);
        /* RFC 6458 5.3.4: the id of a new association comes back here. */
        req->assoc_out = (uint32_t *)&((struct sctp_sndinfo *)snd)->snd_assoc_id;
    }
    if (pr) {
        if (pr->pr_policy & ~SCTP_PR_SCTP_MASK) {
            errno = EINVAL;
            return -1;
        }
        req->info.pr_policy = lx_pr_to_stk(pr->pr_policy);
        req->info.pr_value = pr->pr_policy == SCTP_PR_SCTP_NONE ? 0 : pr->pr_value;
    }
    return 0;
}

HOOK_EXPORT int sctp_sendv(int sd, const struct iovec *iov, int iovcnt,
                           struct sockaddr *addrs, int addrcnt, void *info,
                           socklen_t infolen, unsigned int infotype, int flags)
{
    HOOK_SOCK(s, sd, (int)pass_on(sd, iov, iovcnt, addrcnt > 0 ? addrs : NULL,
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
    if (iovcnt < 0 || iovcnt > 1024 || addrcnt < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!umem_ok(iov, (size_t)iovcnt * sizeof *iov)) {
        errno = EFAULT;
        return -1;
    }
    for (int i = 0; i < iovcnt; i++)
        if (!umem_ok(iov[i].iov_base, iov[i].iov_len)) {
            errno = EFAULT;
            return -1;
        }
    struct lx_send_req req;
    lx_send_req_init(s, &req);
    if (take_sendv_info(&req, info, infolen, infotype) < 0)
        return -1;
    if (take_addrs(s, &req, addrs, addrcnt) < 0)
        return -1;
    if ((req.info.flags & STK_F_ADDR_OVER) && req.ndst > 1) {
        errno = EINVAL; /* one path can be chosen, not several */
        return -1;
    }
    ssize_t r = lx_send_req(s, iov, (size_t)iovcnt, &req, flags);
    return r > 0x7fffffff ? 0x7fffffff : (int)r;
}
