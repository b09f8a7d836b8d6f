/* Socket options at the socket and IP levels on a shim socket. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>

#include "base/real.h"
#include "core/sock.h"
#include "linux/conn.h"

#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif

/* Generic socket flags with no SCTP meaning to emulate, and the timeouts,
 * which the shim's blocking waits on the program's own descriptor obey:
 * kept on that descriptor, so getsockopt reads back what was set. */
static int kept_on_descriptor(int name)
{
    switch (name) {
    case SO_REUSEADDR:
    case SO_REUSEPORT:
    case SO_KEEPALIVE:
    case SO_PRIORITY:
    case SO_RCVLOWAT:
    case SO_BROADCAST:
    case SO_DEBUG:
    case SO_OOBINLINE:
    case SO_RCVTIMEO:
    case SO_SNDTIMEO:
    case SO_RCVTIMEO_NEW:
    case SO_SNDTIMEO_NEW:
        return 1;
    }
    return 0;
}

int lx_opt_socket_set(struct ssock *s, int fd, int name, const void *val,
                      socklen_t len)
{
    int v;
    switch (name) {
    case SO_SNDBUF:
    case SO_RCVBUF:
        if (lx_opt_int_in(val, len, &v) < 0)
            return -1;
        /* Linux doubles the size asked for (room for its bookkeeping):
         * a message up to the doubled send buffer is accepted, so the
         * stack gets that; the receive window stays the size asked for,
         * as on Linux, and only reads back doubled. */
        unsigned u = (unsigned)v; /* Linux takes it as a u32 */
        if (name == SO_SNDBUF)
            v = u > 0x3fffffff ? 0x7fffffff : (int)(2 * u);
        else
            v = u > 0x7fffffff ? 0x7fffffff : (int)u;
        return stk_setopt(s->stk, name == SO_SNDBUF ? STK_O_SNDBUF : STK_O_RCVBUF,
                          &v, sizeof v);
    case SO_LINGER: {
        struct linger l;
        if (!val || len < sizeof l)
            return lx_opt_inval();
        memcpy(&l, val, sizeof l);
        int lv[2] = {l.l_onoff, l.l_linger};
        return stk_setopt(s->stk, STK_O_LINGER, lv, sizeof lv);
    }
    }
    if (kept_on_descriptor(name))
        return real.setsockopt(fd, SOL_SOCKET, name, val, len);
    return lx_opt_unsupported("setsockopt", SOL_SOCKET, name);
}

int lx_opt_socket_get(struct ssock *s, int fd, int name, void *val,
                      socklen_t *len)
{
    switch (name) {
    case SO_TYPE: /* a peeled-off socket is one-to-one in all but its type */
        return lx_opt_int_out(val, len, s->peeled ? SOCK_SEQPACKET : s->type);
    case SO_DOMAIN:
        return lx_opt_int_out(val, len, s->family);
    case SO_PROTOCOL:
        return lx_opt_int_out(val, len, IPPROTO_SCTP);
    case SO_ACCEPTCONN:
        return lx_opt_int_out(val, len, s->listening);
    case SO_ERROR: {
        int e = 0;
        size_t l = sizeof e;
        int handshake = s->connecting;
        lx_refresh_state(s);
        if (stk_getopt(s->stk, STK_O_ERROR, &e, &l) < 0)
            e = 0;
        if (e && handshake) {
            s->connecting = 0;
            e = lx_handshake_errno(e);
        }
        sock_sync(s);
        return lx_opt_int_out(val, len, e);
    }
    case SO_SNDBUF:
    case SO_RCVBUF: {
        int v = 0;
        size_t l = sizeof v;
        if (stk_getopt(s->stk, name == SO_SNDBUF ? STK_O_SNDBUF : STK_O_RCVBUF,
                       &v, &l) < 0)
            return -1;
        if (name == SO_RCVBUF)
            v = v > 0x3fffffff ? 0x7fffffff : 2 * v;
        return lx_opt_int_out(val, len, v);
    }
    case SO_LINGER: {
        int lv[2];
        size_t l = sizeof lv;
        struct linger out;
        if (!val || !len || *len < sizeof out)
            return lx_opt_inval();
        if (stk_getopt(s->stk, STK_O_LINGER, lv, &l) < 0)
            return -1;
        out.l_onoff = lv[0];
        out.l_linger = lv[1];
        memcpy(val, &out, sizeof out);
        *len = sizeof out;
        return 0;
    }
    }
    if (kept_on_descriptor(name))
        return real.getsockopt(fd, SOL_SOCKET, name, val, len);
    return lx_opt_unsupported("getsockopt", SOL_SOCKET, name);
}

/* IPV6_V6ONLY is the one IP-level option SCTP programs set (iperf3's
 * listener among them).  usrsctp's AF_INET6 sockets take both families;
 * with the option on, the shim refuses IPv4 addresses itself. */
int lx_opt_v6only(struct ssock *s, const void *val, socklen_t len, void *out,
                  socklen_t *outlen)
{
    if (s->family != AF_INET6)
        return lx_opt_unsupported(val ? "setsockopt" : "getsockopt", IPPROTO_IPV6,
                           IPV6_V6ONLY);
    if (out)
        return lx_opt_int_out(out, outlen, s->v6only);
    int v;
    if (lx_opt_int_in(val, len, &v) < 0)
        return -1;
    if (s->bound_set) {
        errno = EINVAL;
        return -1;
    }
    s->v6only = !!v;
    return 0;
}
