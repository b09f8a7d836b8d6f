/* The SCTP library's own send calls, sctp_sendx(3) and sctp_sendv(3):
 * their arguments, checked as the man pages and RFC 6458 say, onto one
 * send request. */
#include "linux/send.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "core/sock.h"
#include "core/umem.h"
#include "linux/addr.h"

/* The address bytes into a packed list, checked as the kernel checks a
 * msg_name: its length, with *sa set, or 0/errno. */
static socklen_t addr_at(struct ssock *s, const struct sockaddr *addrs,
                         int bytes, const struct sockaddr **sa)
{
    *sa = (const void *)((const char *)addrs + bytes);
    if (!umem_readable(*sa, sizeof(sa_family_t))) {
        errno = EFAULT;
        return 0;
    }
    socklen_t l = lx_addr_len(*sa);
    if (!l) {
        errno = EINVAL; /* not an IP address: no length to step by */
        return 0;
    }
    if (!umem_readable(*sa, l)) {
        errno = EFAULT;
        return 0;
    }
    return lx_addr_check(s, *sa, l) < 0 ? 0 : l;
}

/* The destination list of a one-to-many send (one-to-one sockets ignore
 * it, as the kernel does), each address checked as the kernel checks a
 * msg_name: 0, or -1/errno. */
static int take_addrs(struct ssock *s, struct lx_send_req *req,
                      const struct sockaddr *addrs, int addrcnt)
{
    if (addrcnt < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!addrs || !addrcnt || s->type != SOCK_SEQPACKET)
        return 0;
    int bytes = 0;
    for (int i = 0; i < addrcnt; i++) {
        const struct sockaddr *sa;
        socklen_t l = addr_at(s, addrs, bytes, &sa);
        if (!l)
            return -1;
        bytes += (int)l;
    }
    req->dst = addrs;
    req->dst_bytes = bytes;
    req->ndst = addrcnt;
    return 0;
}

ssize_t lx_sendx(struct ssock *s, const void *msg, size_t len,
                 const struct sockaddr *addrs, int addrcnt,
                 const struct sctp_sndrcvinfo *sinfo, int flags)
{
    struct lx_send_req req;
    lx_send_req_init(s, &req);
    if (sinfo && !umem_readable(sinfo, sizeof *sinfo)) {
        errno = EFAULT;
        return -1;
    }
    if (sinfo && lx_send_take_sndrcv(&req, sinfo) < 0)
        return -1;
    if (take_addrs(s, &req, addrs, addrcnt) < 0)
        return -1;
    struct iovec iv = {(void *)msg, len};
    return lx_send_req(s, &iv, 1, &req, flags);
}

ssize_t lx_sctp_sendmsg(struct ssock *s, const struct msghdr *msg)
{
    struct msghdr m = *msg;
    if (s->type == SOCK_STREAM) {
        m.msg_name = NULL;
        m.msg_namelen = 0;
    }
    return lx_sendmsg(s, &m, 0);
}

/* sctp_sendv's info argument, as RFC 6458 5.3 types it: the send and
 * PR-SCTP parts it holds (NULL when not), or -1/errno. */
static int sendv_parts(const void *info, socklen_t infolen,
                       unsigned int infotype, const struct sctp_sndinfo **snd,
                       const struct sctp_prinfo **pr)
{
    static const size_t need[] = {
        [SCTP_SENDV_NOINFO] = 0,
        [SCTP_SENDV_SNDINFO] = sizeof(struct sctp_sndinfo),
        [SCTP_SENDV_PRINFO] = sizeof(struct sctp_prinfo),
        [SCTP_SENDV_AUTHINFO] = sizeof(struct sctp_authinfo),
        [SCTP_SENDV_SPA] = sizeof(struct sctp_sendv_spa),
    };
    *snd = NULL;
    *pr = NULL;
    if (infotype > SCTP_SENDV_SPA || (infotype == SCTP_SENDV_NOINFO && (info || infolen)) ||
        infolen < need[infotype]) {
        errno = EINVAL;
        return -1;
    }
    if (!umem_readable(info, need[infotype])) {
        errno = EFAULT;
        return -1;
    }
    switch (infotype) {
    case SCTP_SENDV_SNDINFO:
        *snd = info;
        break;
    case SCTP_SENDV_PRINFO:
        *pr = info;
        break;
    case SCTP_SENDV_SPA: {
        const struct sctp_sendv_spa *spa = info;
        if (spa->sendv_flags & ~(SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID |
                                 SCTP_SEND_AUTHINFO_VALID)) {
            errno = EINVAL;
            return -1;
        }
        if (spa->sendv_flags & SCTP_SEND_SNDINFO_VALID)
            *snd = &spa->sendv_sndinfo;
        if (spa->sendv_flags & SCTP_SEND_PRINFO_VALID)
            *pr = &spa->sendv_prinfo;
        break;
    }
    }
    return 0;
}

/* sctp_sendv's info argument onto a request. */
static int take_sendv_info(struct lx_send_req *req, void *info,
                           socklen_t infolen, unsigned int infotype)
{
    const struct sctp_sndinfo *snd;
    const struct sctp_prinfo *pr;
    if (sendv_parts(info, infolen, infotype, &snd, &pr) < 0)
        return -1;
    if (snd) {
        if (lx_send_take_sndinfo(req, snd) < 0)
            return -1;
        /* RFC 6458 5.3.4: the id of a new association comes back here,
         * when the program's info can take it. */
        uint32_t *id = (uint32_t *)&((struct sctp_sndinfo *)snd)->snd_assoc_id;
        if (umem_writable(id, sizeof *id))
            req->assoc_out = id;
    }
    return pr ? lx_send_take_prinfo(req, pr) : 0;
}

/* sctp_sendv's counts and vector: 1, with errno, when they are wrong. */
static int sendv_args_bad(const struct iovec *iov, int iovcnt, int addrcnt)
{
    if (iovcnt < 0 || iovcnt > 1024 || addrcnt < 0) {
        errno = EINVAL;
        return 1;
    }
    if (iovcnt && !umem_readable(iov, (size_t)iovcnt * sizeof *iov)) {
        errno = EFAULT;
        return 1;
    }
    return 0;
}

ssize_t lx_sendv(struct ssock *s, const struct iovec *iov, int iovcnt,
                 const struct sockaddr *addrs, int addrcnt, void *info,
                 socklen_t infolen, unsigned int infotype, int flags)
{
    if (sendv_args_bad(iov, iovcnt, addrcnt))
        return -1;
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
    return r > 0x7fffffff ? 0x7fffffff : r;
}

/* One cmsg of the SCTP level at *at, moved past it. */
static void put_cmsg(char **at, int type, const void *v, size_t len)
{
    struct cmsghdr c = {.cmsg_len = CMSG_LEN(len), .cmsg_level = IPPROTO_SCTP,
                        .cmsg_type = type};
    memcpy(*at, &c, sizeof c);
    memcpy(*at + CMSG_LEN(0), v, len);
    *at += CMSG_SPACE(len);
}

int lx_sendv_msg(struct ssock *s, const struct iovec *iov, int iovcnt,
                 const struct sockaddr *addrs, int addrcnt, const void *info,
                 socklen_t infolen, unsigned int infotype, struct msghdr *m)
{
    if (sendv_args_bad(iov, iovcnt, addrcnt))
        return -1;
    const struct sctp_sndinfo *snd;
    const struct sctp_prinfo *pr;
    if (sendv_parts(info, infolen, infotype, &snd, &pr) < 0)
        return -1;
    size_t room = (snd ? CMSG_SPACE(sizeof *snd) : 0) +
                  (pr ? CMSG_SPACE(sizeof *pr) : 0);
    /* The addresses, one-to-many only (take_addrs): the first is the
     * message's name, the others SCTP_DSTADDRV4/V6. */
    int n = s->type == SOCK_SEQPACKET && addrs ? addrcnt : 0;
    int bytes = 0;
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa;
        socklen_t l = addr_at(s, addrs, bytes, &sa);
        if (!l)
            return -1;
        if (i > 0)
            room += CMSG_SPACE(sa->sa_family == AF_INET ? sizeof(struct in_addr)
                                                        : sizeof(struct in6_addr));
        bytes += (int)l;
    }
    char *ctl = room ? calloc(1, room) : NULL;
    if (room && !ctl) {
        errno = ENOBUFS;
        return -1;
    }
    char *at = ctl;
    if (snd)
        put_cmsg(&at, SCTP_SNDINFO, snd, sizeof *snd);
    if (pr)
        put_cmsg(&at, SCTP_PRINFO, pr, sizeof *pr);
    bytes = 0;
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa = (const void *)((const char *)addrs + bytes);
        if (i > 0 && sa->sa_family == AF_INET)
            put_cmsg(&at, SCTP_DSTADDRV4, &((const struct sockaddr_in *)sa)->sin_addr,
                     sizeof(struct in_addr));
        else if (i > 0)
            put_cmsg(&at, SCTP_DSTADDRV6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                     sizeof(struct in6_addr));
        bytes += (int)lx_addr_len(sa);
    }
    *m = (struct msghdr){.msg_name = n ? (void *)addrs : NULL,
                         .msg_namelen = n ? lx_addr_len(addrs) : 0,
                         .msg_iov = (struct iovec *)iov,
                         .msg_iovlen = (size_t)iovcnt,
                         .msg_control = ctl,
                         .msg_controllen = room};
    return 0;
}
