#include "usrsctp/snapshot.h"

#include <string.h>

#include "usrsctp/internal.h"
#include "usrsctp/usr.h"

int snapshot_take(struct stk_sock *s, const struct sockaddr *peer,
                  struct snapshot *out)
{
    memset(out, 0, sizeof *out);
    sctp_assoc_t id = 0;
    if (s->one_to_many) {
        /* usrsctp looks the association up by the peer's address. */
        id = usr.usrsctp_getassocid(s->so, (struct sockaddr *)peer);
        if (id == 0)
            return -1;
    }
    struct sctp_status st;
    if (usr_status(s, (uint32_t)id, &st) < 0)
        return -1;
    out->valid = 1;
    out->srtt_ms = st.sstat_primary.spinfo_srtt;
    struct sctp_prstatus pr;
    memset(&pr, 0, sizeof pr);
    pr.sprstat_assoc_id = id;
    pr.sprstat_policy = 0x000f; /* SCTP_PR_SCTP_ALL: every policy */
    socklen_t l = sizeof pr;
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &pr, &l) == 0)
        out->abandoned = pr.sprstat_abandoned_sent + pr.sprstat_abandoned_unsent;
    struct sockaddr *addrs = NULL;
    int n = usr.usrsctp_getpaddrs(s->so, id, &addrs);
    size_t off = 0;
    for (int i = 0; i < n && out->npaths < SNAP_PATHS; i++) {
        const struct sockaddr *a = (const struct sockaddr *)((char *)addrs + off);
        size_t alen = a->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                               : sizeof(struct sockaddr_in);
        off += alen;
        struct sctp_paddrinfo pi;
        memset(&pi, 0, sizeof pi);
        memcpy(&pi.spinfo_address, a, alen);
        pi.spinfo_assoc_id = id;
        l = sizeof pi;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
            continue;
        int k = out->npaths++;
        memcpy(&out->path[k].addr, a, alen);
        out->path[k].state = pi.spinfo_state & SCTP_UNCONFIRMED ? SNAP_UNCONFIRMED
                             : pi.spinfo_state & SCTP_ACTIVE    ? SNAP_ACTIVE
                                                                : SNAP_INACTIVE;
        out->path[k].srtt_ms = pi.spinfo_srtt;
    }
    if (n > 0)
        usr.usrsctp_freepaddrs(addrs);
    return 0;
}
