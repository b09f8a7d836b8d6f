/* Shared by the socket option families (linux/sockopt_*.c), which
 * linux/sockopt.c dispatches to.  Each family's set and get functions take
 * Linux option numbers and layouts, and return what the call returns. */
#ifndef SCTPSHIM_LX_SOCKOPT_IMPL_H
#define SCTPSHIM_LX_SOCKOPT_IMPL_H

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "base/log.h"

struct ssock;

/* An option usrsctp cannot carry: ENOPROTOOPT and a debug line. */
static inline int lx_opt_unsupported(const char *what, int level, int name)
{
    SHIM_LOG("%s: option %d/%d not supported", what, level, name);
    errno = ENOPROTOOPT;
    return -1;
}

static inline int lx_opt_inval(void)
{
    errno = EINVAL;
    return -1;
}

static inline int lx_opt_int_in(const void *val, socklen_t len, int *out)
{
    if (!val || len < sizeof(int))
        return lx_opt_inval();
    memcpy(out, val, sizeof(int));
    return 0;
}

static inline int lx_opt_int_out(void *val, socklen_t *len, int v)
{
    if (!val || !len || *len < sizeof(int))
        return lx_opt_inval();
    memcpy(val, &v, sizeof v);
    *len = sizeof v;
    return 0;
}

/* Linux's rule for an association id on a one-to-many socket: 0-2 name
 * the socket and its associations, anything else must be one of its own
 * associations (else EINVAL).  One-to-one sockets ignore the id. */
int lx_opt_assoc_ok(struct ssock *s, unsigned int id);

int lx_opt_socket_set(struct ssock *s, int fd, int name, const void *val,
                      socklen_t len);
int lx_opt_socket_get(struct ssock *s, int fd, int name, void *val,
                      socklen_t *len);
/* IPV6_V6ONLY: set when val is given, else read into out. */
int lx_opt_v6only(struct ssock *s, const void *val, socklen_t len, void *out,
                  socklen_t *outlen);
/* SCTP_EVENTS, SCTP_EVENT. */
int lx_opt_events_set(struct ssock *s, int name, const void *val,
                      socklen_t len);
int lx_opt_events_get(struct ssock *s, int name, void *val, socklen_t *len);
/* SCTP_DEFAULT_SEND_PARAM, SCTP_DEFAULT_SNDINFO, SCTP_DEFAULT_PRINFO. */
int lx_opt_send_set(struct ssock *s, int name, const void *val,
                    socklen_t len);
int lx_opt_send_get(struct ssock *s, int name, void *val, socklen_t *len);
/* Address lists, bindx and connectx. */
int lx_opt_addrs_set(struct ssock *s, int name, const void *val,
                     socklen_t len);
int lx_opt_addrs_get(struct ssock *s, int name, void *val, socklen_t *len);
/* Paths: SCTP_PEER_ADDR_PARAMS, SCTP_DELAYED_SACK, SCTP_GET_PEER_ADDR_INFO,
 * SCTP_PRIMARY_ADDR, SCTP_SET_PEER_PRIMARY_ADDR. */
int lx_opt_paddr_set(struct ssock *s, int name, const void *val,
                     socklen_t len);
int lx_opt_paddr_get(struct ssock *s, int name, void *val, socklen_t *len);
/* SCTP_AUTH_CHUNK, SCTP_HMAC_IDENT, the keys, the chunk lists. */
int lx_opt_auth_set(struct ssock *s, int name, const void *val,
                    socklen_t len);
int lx_opt_auth_get(struct ssock *s, int name, void *val, socklen_t *len);
/* Stream reconfiguration, and PR-SCTP's counts. */
int lx_opt_streams_set(struct ssock *s, int name, const void *val,
                       socklen_t len);
int lx_opt_streams_get(struct ssock *s, int name, void *val, socklen_t *len);
/* SCTP_STATUS and the association lists. */
int lx_opt_status_get(struct ssock *s, int name, void *val, socklen_t *len);
/* The association's and endpoint's protocol parameters. */
int lx_opt_assoc_set(struct ssock *s, int name, const void *val,
                     socklen_t len);
int lx_opt_assoc_get(struct ssock *s, int name, void *val, socklen_t *len);
/* Single values: MAXSEG, MAX_BURST, CONTEXT, the *_SUPPORTED switches,
 * FRAGMENT_INTERLEAVE, PARTIAL_DELIVERY_POINT, AUTO_ASCONF, REUSE_PORT,
 * ENABLE_STREAM_RESET; ENOPROTOOPT for any other option. */
int lx_opt_values_set(struct ssock *s, int name, const void *val,
                      socklen_t len);
int lx_opt_values_get(struct ssock *s, int name, void *val, socklen_t *len);

#endif
