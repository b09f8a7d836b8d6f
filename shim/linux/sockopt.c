/* getsockopt/setsockopt on a shim socket: each level and each family of
 * SCTP options to its file (linux/sockopt_*.c). */
#include "linux/sockopt.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <string.h>

#include "core/sock.h"
#include "linux/peeloff.h"
#include "linux/sockopt_impl.h"
#include "linux/tcp.h"

static int set_sctp_level(struct ssock *s, int name, const void *val,
                          socklen_t len)
{
    switch (name) {
    case SCTP_EVENTS:
    case SCTP_EVENT:
        return lx_opt_events_set(s, name, val, len);
    case SCTP_DEFAULT_SEND_PARAM:
    case SCTP_DEFAULT_SNDINFO:
    case SCTP_DEFAULT_PRINFO:
        return lx_opt_send_set(s, name, val, len);
    case SCTP_SOCKOPT_BINDX_ADD:
    case SCTP_SOCKOPT_BINDX_REM:
    case SCTP_SOCKOPT_CONNECTX_OLD:
    case SCTP_SOCKOPT_CONNECTX:
        return lx_opt_addrs_set(s, name, val, len);
    case SCTP_PEER_ADDR_PARAMS:
    case SCTP_DELAYED_SACK:
    case SCTP_PRIMARY_ADDR:
    case SCTP_SET_PEER_PRIMARY_ADDR:
        return lx_opt_paddr_set(s, name, val, len);
    case SCTP_AUTH_CHUNK:
    case SCTP_HMAC_IDENT:
    case SCTP_AUTH_KEY:
    case SCTP_AUTH_ACTIVE_KEY:
    case SCTP_AUTH_DELETE_KEY:
    case SCTP_AUTH_DEACTIVATE_KEY:
        return lx_opt_auth_set(s, name, val, len);
    case SCTP_RESET_STREAMS:
    case SCTP_RESET_ASSOC:
    case SCTP_ADD_STREAMS:
        return lx_opt_streams_set(s, name, val, len);
    }
    return lx_opt_assoc_set(s, name, val, len);
}

/* libsctp's sctp_peeloff and sctp_peeloff_flags: the new descriptor in
 * the argument, and as what getsockopt returns, as Linux does. */
static int get_peeloff(struct ssock *s, int name, void *val, socklen_t *len)
{
    sctp_peeloff_flags_arg_t a;
    size_t need = name == SCTP_SOCKOPT_PEELOFF ? sizeof a.p_arg : sizeof a;
    if (!val || !len || *len < need) {
        errno = EINVAL;
        return -1;
    }
    memset(&a, 0, sizeof a);
    memcpy(&a, val, need);
    int fd = lx_peeloff(s, (uint32_t)a.p_arg.associd,
                        name == SCTP_SOCKOPT_PEELOFF ? 0 : (int)a.flags);
    if (fd < 0)
        return -1;
    a.p_arg.sd = fd;
    memcpy(val, &a, need);
    *len = (socklen_t)need;
    return fd;
}

static int get_sctp_level(struct ssock *s, int name, void *val, socklen_t *len)
{
    switch (name) {
    case SCTP_SOCKOPT_PEELOFF:
    case SCTP_SOCKOPT_PEELOFF_FLAGS:
        return get_peeloff(s, name, val, len);
    case SCTP_EVENTS:
    case SCTP_EVENT:
        return lx_opt_events_get(s, name, val, len);
    case SCTP_DEFAULT_SEND_PARAM:
    case SCTP_DEFAULT_SNDINFO:
    case SCTP_DEFAULT_PRINFO:
        return lx_opt_send_get(s, name, val, len);
    case SCTP_GET_PEER_ADDRS:
    case SCTP_GET_LOCAL_ADDRS:
    case SCTP_SOCKOPT_CONNECTX3:
        return lx_opt_addrs_get(s, name, val, len);
    case SCTP_STATUS:
    case SCTP_GET_ASSOC_NUMBER:
    case SCTP_GET_ASSOC_ID_LIST:
        return lx_opt_status_get(s, name, val, len);
    case SCTP_PEER_ADDR_PARAMS:
    case SCTP_DELAYED_SACK:
    case SCTP_GET_PEER_ADDR_INFO:
    case SCTP_PRIMARY_ADDR:
        return lx_opt_paddr_get(s, name, val, len);
    case SCTP_HMAC_IDENT:
    case SCTP_AUTH_ACTIVE_KEY:
    case SCTP_PEER_AUTH_CHUNKS:
    case SCTP_LOCAL_AUTH_CHUNKS:
        return lx_opt_auth_get(s, name, val, len);
    case SCTP_PR_ASSOC_STATUS:
    case SCTP_PR_STREAM_STATUS:
        return lx_opt_streams_get(s, name, val, len);
    }
    return lx_opt_assoc_get(s, name, val, len);
}

int lx_setsockopt(struct ssock *s, int fd, int level, int name,
                  const void *val, socklen_t len)
{
    if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
        return lx_opt_v6only(s, val, len, NULL, NULL);
    if (level == SOL_SOCKET)
        return lx_opt_socket_set(s, fd, name, val, len);
    if (level == SOL_SCTP)
        return set_sctp_level(s, name, val, len);
    if (level == IPPROTO_TCP && s->for_tcp)
        return lx_tcp_setsockopt(s, name, val, len);
    if (level == IPPROTO_IP || level == IPPROTO_IPV6)
        return lx_opt_unsupported("setsockopt", level, name);
    /* Linux hands any other level to the IP layer, which refuses it. */
    errno = ENOPROTOOPT;
    SHIM_LOG("setsockopt: level %d not supported", level);
    return -1;
}

int lx_getsockopt(struct ssock *s, int fd, int level, int name, void *val,
                  socklen_t *len)
{
    if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
        return lx_opt_v6only(s, NULL, 0, val, len);
    if (level == SOL_SOCKET)
        return lx_opt_socket_get(s, fd, name, val, len);
    if (level == SOL_SCTP)
        return get_sctp_level(s, name, val, len);
    if (level == IPPROTO_TCP && s->for_tcp)
        return lx_tcp_getsockopt(s, name, val, len);
    if (level == IPPROTO_IP || level == IPPROTO_IPV6)
        return lx_opt_unsupported("getsockopt", level, name);
    /* The IP layer's answer to any other level: IPv4's and IPv6's differ. */
    errno = s->family == AF_INET6 ? ENOPROTOOPT : EOPNOTSUPP;
    SHIM_LOG("getsockopt: level %d not supported", level);
    return -1;
}
