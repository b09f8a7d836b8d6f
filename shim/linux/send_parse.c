/* A send's destination and SCTP control messages, checked as strictly as
 * the kernel's sctp_msghdr_parse checks them. */
#include "linux/send.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/sock.h"
#include "linux/addr.h"
#include "linux/xlate.h"

/* Every flag a Linux sender may pass; anything else is EINVAL there. */
#define LX_SEND_FLAGS                                                       \
    (SCTP_UNORDERED | SCTP_ADDR_OVER | SCTP_SACK_IMMEDIATELY | SCTP_SENDALL | \
     SCTP_PR_SCTP_MASK | SCTP_ABORT | SCTP_EOF)

void lx_send_req_init(struct ssock *s, struct lx_send_req *req)
{
    memset(req, 0, sizeof *req);
    req->info = s->defaults;
}

void lx_send_req_free(struct lx_send_req *req)
{
    free(req->dst_buf);
    req->dst_buf = NULL;
}

static int inval(void)
{
    errno = EINVAL;
    return -1;
}

int lx_send_take_sndrcv(struct lx_send_req *req, const struct sctp_sndrcvinfo *v)
{
    if (v->sinfo_flags & ~LX_SEND_FLAGS)
        return inval();
    struct stk_sndinfo *i = &req->info;
    req->has_srinfo = 1;
    memset(i, 0, sizeof *i);
    i->sid = v->sinfo_stream;
    i->flags = lx_flags_to_stk(v->sinfo_flags);
    i->ppid = v->sinfo_ppid;
    i->context = v->sinfo_context;
    i->assoc_id = (uint32_t)v->sinfo_assoc_id;
    i->pr_policy = lx_pr_to_stk(v->sinfo_flags);
    i->pr_value = v->sinfo_timetolive;
    /* A lifetime with no policy is a TTL, as Linux treats it. */
    if (i->pr_policy == STK_PR_NONE && v->sinfo_timetolive)
        i->pr_policy = STK_PR_TTL;
    return 0;
}

int lx_send_take_sndinfo(struct lx_send_req *req, const struct sctp_sndinfo *v)
{
    if (v->snd_flags & ~LX_SEND_FLAGS)
        return inval();
    struct stk_sndinfo *i = &req->info;
    uint32_t ttl = i->pr_value;
    req->has_sinfo = 1;
    memset(i, 0, sizeof *i);
    i->sid = v->snd_sid;
    i->flags = lx_flags_to_stk(v->snd_flags);
    i->ppid = v->snd_ppid;
    i->context = v->snd_context;
    i->assoc_id = (uint32_t)v->snd_assoc_id;
    i->pr_policy = lx_pr_to_stk(v->snd_flags);
    i->pr_value = ttl;
    return 0;
}

int lx_send_take_prinfo(struct lx_send_req *req, const struct sctp_prinfo *v)
{
    if (v->pr_policy & ~SCTP_PR_SCTP_MASK)
        return inval();
    req->has_prinfo = 1;
    req->info.pr_policy = lx_pr_to_stk(v->pr_policy);
    req->info.pr_value = v->pr_policy == SCTP_PR_SCTP_NONE ? 0 : v->pr_value;
    return 0;
}

/* SCTP_DSTADDRV4/V6 add peer addresses for a new association, each on
 * the port of msg_name (the kernel ignores them without one). */
static int add_dst(struct lx_send_req *req, int family, const void *addr)
{
    uint16_t port = lx_addr_port(req->dst);
    size_t one = family == AF_INET ? sizeof(struct sockaddr_in)
                                   : sizeof(struct sockaddr_in6);
    char *buf = realloc(req->dst_buf, (size_t)req->dst_bytes + one);
    if (!buf) {
        errno = ENOBUFS;
        return -1;
    }
    if (!req->dst_buf)
        memcpy(buf, req->dst, (size_t)req->dst_bytes);
    req->dst_buf = buf;
    req->dst = buf;
    struct sockaddr *sa = (struct sockaddr *)(buf + req->dst_bytes);
    memset(sa, 0, one);
    sa->sa_family = (sa_family_t)family;
    if (family == AF_INET)
        memcpy(&((struct sockaddr_in *)sa)->sin_addr, addr, sizeof(struct in_addr));
    else
        memcpy(&((struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof(struct in6_addr));
    lx_addr_set_port(sa, port);
    req->dst_bytes += (int)one;
    req->ndst++;
    return 0;
}

int lx_send_parse(struct ssock *s, const struct msghdr *msg,
                  struct lx_send_req *req)
{
    /* A one-to-one socket takes a destination to set up its association;
     * once connected, the address only names the path (SCTP_ADDR_OVER),
     * and the kernel checks it all the same (sctp_verify_addr). */
    if (msg->msg_name && (s->type == SOCK_SEQPACKET || msg->msg_namelen)) {
        if (lx_addr_check(s, msg->msg_name, msg->msg_namelen) < 0)
            return -1;
        req->dst = msg->msg_name;
        req->dst_bytes = (int)lx_addr_len(msg->msg_name);
        req->ndst = 1;
    }
    if (!msg->msg_controllen)
        return 0;
    int have_pr = 0;
    const char *base = msg->msg_control;
    size_t off = 0;
    while (off + sizeof(struct cmsghdr) <= msg->msg_controllen) {
        const struct cmsghdr *c = (const struct cmsghdr *)(base + off);
        if (c->cmsg_len < sizeof *c || c->cmsg_len > msg->msg_controllen - off)
            return inval(); /* the kernel's CMSG_OK */
        off += CMSG_ALIGN(c->cmsg_len);
        if (c->cmsg_level != IPPROTO_SCTP)
            continue;
        size_t dlen = c->cmsg_len - CMSG_LEN(0);
        const void *d = CMSG_DATA(c);
        switch (c->cmsg_type) {
        case SCTP_SNDRCV: {
            struct sctp_sndrcvinfo v;
            if (dlen != sizeof v)
                return inval();
            memcpy(&v, d, sizeof v);
            if (lx_send_take_sndrcv(req, &v) < 0)
                return -1;
            break;
        }
        case SCTP_SNDINFO: {
            struct sctp_sndinfo v;
            if (dlen != sizeof v)
                return inval();
            memcpy(&v, d, sizeof v);
            uint32_t pr_value = req->info.pr_value, pr_policy = req->info.pr_policy;
            if (lx_send_take_sndinfo(req, &v) < 0)
                return -1;
            if (have_pr) { /* an SCTP_PRINFO before it still holds */
                req->info.pr_value = pr_value;
                req->info.pr_policy = (uint16_t)pr_policy;
            }
            break;
        }
        case SCTP_PRINFO: {
            struct sctp_prinfo v;
            if (dlen != sizeof v)
                return inval();
            memcpy(&v, d, sizeof v);
            if (lx_send_take_prinfo(req, &v) < 0)
                return -1;
            have_pr = 1;
            break;
        }
        case SCTP_INIT: {
            struct sctp_initmsg v;
            if (dlen != sizeof v)
                return inval();
            memcpy(&v, d, sizeof v);
            req->init = (struct stk_initmsg){v.sinit_num_ostreams, v.sinit_max_instreams,
                                             v.sinit_max_attempts, v.sinit_max_init_timeo};
            req->have_init = 1;
            break;
        }
        case SCTP_AUTHINFO:
            if (dlen != sizeof(struct sctp_authinfo))
                return inval();
            break; /* no keys can be set, so there is no key to pick */
        case SCTP_DSTADDRV4:
        case SCTP_DSTADDRV6: {
            int v4 = c->cmsg_type == SCTP_DSTADDRV4;
            if (!req->dst)
                break;
            /* The kernel reads them only to set up a new association
             * (sctp_sendmsg_new_asoc), and refuses them there. */
            if (dlen < (v4 ? sizeof(struct in_addr) : sizeof(struct in6_addr)) ||
                (v4 && s->family == AF_INET6 && s->v6only) ||
                (!v4 && s->family == AF_INET)) {
                req->dst_bad = 1;
                break;
            }
            if (add_dst(req, v4 ? AF_INET : AF_INET6, d) < 0)
                return -1;
            break;
        }
        default:
            SHIM_LOG("sendmsg: SCTP cmsg type %d not supported", c->cmsg_type);
            return inval();
        }
    }
    return 0;
}
