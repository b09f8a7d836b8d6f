/* Address options: the peer's and the local address lists, and libsctp's
 * sctp_bindx and sctp_connectx, which are socket options. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/addr.h"
#include "linux/conn.h"
#include "linux/connect.h"

static int get_addrs(struct ssock *s, int peer, void *val, socklen_t *len)
{
    struct sctp_getaddrs ga;
    if (!val || !len || *len < sizeof ga)
        return lx_opt_inval();
    memcpy(&ga, val, sizeof ga);
    lx_refresh_state(s);
    if (peer && s->type == SOCK_STREAM && !s->connected) {
        errno = ENOTCONN;
        return -1;
    }
    struct sockaddr *addrs = NULL;
    int n = stk_getaddrs(s->stk, peer, (uint32_t)ga.assoc_id, &addrs);
    if (n < 0) {
        free(addrs);
        return -1;
    }
    size_t off = sizeof ga, in = 0;
    char *out = (char *)val;
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)((char *)addrs + in);
        struct sockaddr_storage tmp;
        socklen_t tl = sizeof tmp;
        in += lx_addr_len(sa);
        lx_addr_out(s, sa, (struct sockaddr *)&tmp, &tl);
        if (off + tl > *len) {
            free(addrs);
            errno = ENOMEM;
            return -1;
        }
        memcpy(out + off, &tmp, tl);
        off += tl;
    }
    free(addrs);
    ga.addr_num = (__u32)n;
    memcpy(val, &ga, sizeof ga);
    *len = (socklen_t)off;
    return 0;
}

int lx_opt_addrs_set(struct ssock *s, int name, const void *val,
                     socklen_t len)
{
    if (name == SCTP_SOCKOPT_BINDX_ADD || name == SCTP_SOCKOPT_BINDX_REM)
        return lx_bindx(s, val, (int)len, name == SCTP_SOCKOPT_BINDX_ADD);
    /* SCTP_SOCKOPT_CONNECTX_OLD, SCTP_SOCKOPT_CONNECTX */
    uint32_t id = 0;
    if (lx_connectx(s, val, (int)len, &id) < 0)
        return -1;
    return name == SCTP_SOCKOPT_CONNECTX ? (int)id : 0;
}

int lx_opt_addrs_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (name == SCTP_GET_PEER_ADDRS || name == SCTP_GET_LOCAL_ADDRS)
        return get_addrs(s, name == SCTP_GET_PEER_ADDRS, val, len);
    /* SCTP_SOCKOPT_CONNECTX3 */
    struct sctp_getaddrs_old p;
    if (!val || !len || *len < sizeof p)
        return lx_opt_inval();
    memcpy(&p, val, sizeof p);
    /* addr_num carries the list's length in bytes, as libsctp and the
     * kernel use it. */
    int bytes = p.addr_num;
    uint32_t id = 0;
    int r = lx_connectx(s, p.addrs, bytes, &id);
    p.assoc_id = (sctp_assoc_t)id;
    memcpy(val, &p, sizeof p);
    return r;
}
