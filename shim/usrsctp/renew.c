/* A fresh usrsctp socket in place of a one-to-one socket's old one.
 *
 * usrsctp 0.9.5 refuses a second association on a one-to-one socket
 * whose first one failed or ended (sctp_aloc_assoc: EINVAL once
 * SCTP_PCB_FLAGS_WAS_CONNECTED or WAS_ABORTED is set); Linux lets a
 * socket whose connect failed connect again.  The new socket takes the
 * old one's options and local address, and the old one is closed first,
 * so that the address is free. */
#include "usrsctp/stack.h"

#include <errno.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/gate.h"
#include "usrsctp/internal.h"
#include "usrsctp/mtu.h"
#include "usrsctp/usr.h"

/* The options a program or the shim may have set before connecting.
 * An association's options are read from the endpoint's defaults: on a
 * one-to-one socket without an association, usrsctp ignores the id. */
static const struct {
    int level, name;
    socklen_t len;
} copied[] = {
    {SOL_SOCKET, SO_SNDBUF, sizeof(int)},
    {SOL_SOCKET, SO_RCVBUF, sizeof(int)},
    {SOL_SOCKET, SO_LINGER, sizeof(struct linger)},
    {IPPROTO_SCTP, SCTP_NODELAY, sizeof(int)},
    {IPPROTO_SCTP, SCTP_INITMSG, sizeof(struct sctp_initmsg)},
    {IPPROTO_SCTP, SCTP_RTOINFO, sizeof(struct sctp_rtoinfo)},
    {IPPROTO_SCTP, SCTP_ASSOCINFO, sizeof(struct sctp_assocparams)},
    {IPPROTO_SCTP, SCTP_MAXSEG, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, sizeof(int)},
    {IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, sizeof(struct sctp_setadaptation)},
    {IPPROTO_SCTP, SCTP_RECVRCVINFO, sizeof(int)},
    {IPPROTO_SCTP, SCTP_RECVNXTINFO, sizeof(int)},
    {IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, sizeof(int)},
    {IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, sizeof(int)},
    {IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, sizeof(uint32_t)},
    {IPPROTO_SCTP, SCTP_CONTEXT, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_MAX_BURST, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_DELAYED_SACK, sizeof(struct sctp_sack_info)},
    {IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, sizeof(struct sctp_sndinfo)},
    {IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, sizeof(struct sctp_default_prinfo)},
    {IPPROTO_SCTP, SCTP_EXPLICIT_EOR, sizeof(int)},
    {IPPROTO_SCTP, SCTP_ECN_SUPPORTED, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_PR_SUPPORTED, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_AUTH_SUPPORTED, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_ASCONF_SUPPORTED, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_RECONFIG_SUPPORTED, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, sizeof(struct sctp_assoc_value)},
    {IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, sizeof(struct sctp_paddrparams)},
};

static void copy_options(struct socket *from, struct socket *to)
{
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        union {
            char bytes[512];
            uint64_t align;
        } v;
        memset(&v, 0, sizeof v);
        socklen_t l = copied[i].len;
        if (usr.usrsctp_getsockopt(from, copied[i].level, copied[i].name, &v,
                                   &l) == 0)
            usr.usrsctp_setsockopt(to, copied[i].level, copied[i].name, &v, l);
    }
    for (uint16_t type = SCTP_ASSOC_CHANGE; type <= SCTP_SEND_FAILED_EVENT;
         type++) {
        struct sctp_event ev = {.se_assoc_id = SCTP_FUTURE_ASSOC,
                                .se_type = type};
        socklen_t l = sizeof ev;
        if (usr.usrsctp_getsockopt(from, IPPROTO_SCTP, SCTP_EVENT, &ev, &l) == 0 &&
            ev.se_on)
            usr.usrsctp_setsockopt(to, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev);
    }
}

/* The local addresses of old: the one bound (which may be the
 * wildcard), or the list bindx made, at most 16. */
static int local_addrs(struct stk_sock *s, struct socket *old,
                       struct sockaddr_storage *out, int max)
{
    if (s->bound.ss_family) {
        out[0] = s->bound;
        return 1;
    }
    struct sockaddr *addrs = NULL;
    int n = usr.usrsctp_getladdrs(old, 0, &addrs), k = 0;
    size_t off = 0;
    for (int i = 0; i < n && k < max; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)((const char *)addrs + off);
        size_t l = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                             : sizeof(struct sockaddr_in);
        memset(&out[k], 0, sizeof out[k]);
        memcpy(&out[k++], sa, l);
        off += l;
    }
    if (n > 0)
        usr.usrsctp_freeladdrs(addrs);
    return k;
}

int stk_renew(struct stk_sock *s)
{
    struct socket *so = usr.usrsctp_socket(s->family, SOCK_STREAM,
                                           IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so)
        return -1;
    struct socket *old = s->so;
    copy_options(old, so);
    struct sockaddr_storage addrs[16];
    int n = local_addrs(s, old, addrs, 16);
    stk_detach_upcall(s);
    gate_shut();
    usr_ep_lock();
    usr.usrsctp_close(old);
    usr_ep_unlock();
    gate_open();
    /* The new socket numbers its associations afresh: the old ones' ids
     * name nothing now, and the next association gets a new one. */
    ids_drop_sock(s);
    s->so = so;
    s->encaps_port = 0;
    s->default_mtu = 0;
    memset(&s->mtu_peer, 0, sizeof s->mtu_peer);
    stk_prepare(s);
    int r = 0;
    usr_ep_lock();
    for (int i = 0; i < n && r == 0; i++) {
        socklen_t l = addrs[i].ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                     : sizeof(struct sockaddr_in);
        r = i == 0 ? usr.usrsctp_bind(so, (struct sockaddr *)&addrs[i], l)
                   : usr.usrsctp_bindx(so, (struct sockaddr *)&addrs[i], 1,
                                       SCTP_BINDX_ADD_ADDR);
    }
    usr_ep_unlock();
    return r;
}
