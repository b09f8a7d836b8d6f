/* What a program reads about its associations: SCTP_STATUS and the
 * association lists. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/addr.h"
#include "linux/xlate.h"

int lx_opt_assoc_ok(struct ssock *s, unsigned int id)
{
    if (s->type != SOCK_SEQPACKET || id <= SCTP_ALL_ASSOC ||
        stk_assoc_exists(s->stk, id))
        return 0;
    return lx_opt_inval();
}

static int get_status(struct ssock *s, void *val, socklen_t *len)
{
    struct sctp_status st;
    if (!val || !len || *len < sizeof st)
        return lx_opt_inval();
    memcpy(&st, val, sizeof st);
    struct stk_status n;
    memset(&n, 0, sizeof n);
    n.assoc_id = (uint32_t)st.sstat_assoc_id;
    if (stk_getopt(s->stk, STK_O_STATUS, &n, &(size_t){sizeof n}) < 0)
        return -1;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = (sctp_assoc_t)n.assoc_id;
    st.sstat_state = stk_conn_state_to_lx(n.state);
    st.sstat_rwnd = n.rwnd;
    st.sstat_unackdata = n.unackdata;
    st.sstat_penddata = n.penddata;
    st.sstat_instrms = n.instrms;
    st.sstat_outstrms = n.outstrms;
    st.sstat_fragmentation_point = n.fragmentation_point;
    st.sstat_primary.spinfo_assoc_id = (sctp_assoc_t)n.assoc_id;
    socklen_t al = sizeof st.sstat_primary.spinfo_address;
    struct sockaddr_storage addr;
    if (lx_addr_len((struct sockaddr *)&n.primary)) {
        lx_addr_out(s, (struct sockaddr *)&n.primary, (struct sockaddr *)&addr, &al);
        memcpy(&st.sstat_primary.spinfo_address, &addr, sizeof addr);
    }
    st.sstat_primary.spinfo_state = stk_path_state_to_lx(n.primary_state);
    st.sstat_primary.spinfo_cwnd = n.primary_cwnd;
    st.sstat_primary.spinfo_srtt = n.primary_srtt;
    st.sstat_primary.spinfo_rto = n.primary_rto;
    st.sstat_primary.spinfo_mtu = n.primary_mtu;
    memcpy(val, &st, sizeof st);
    *len = sizeof st;
    return 0;
}

/* Linux answers both for one-to-many sockets only (EINVAL otherwise). */
static int get_assoc_ids(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (s->type != SOCK_SEQPACKET || !val || !len)
        return lx_opt_inval();
    uint32_t *ids;
    int n = stk_assoc_list(s->stk, &ids);
    if (n < 0)
        return -1;
    int r;
    if (name == SCTP_GET_ASSOC_NUMBER) {
        r = *len < sizeof(uint32_t) ? lx_opt_inval() : 0;
        if (!r) {
            uint32_t v = (uint32_t)n;
            memcpy(val, &v, sizeof v);
            *len = sizeof v;
        }
    } else {
        size_t need = sizeof(struct sctp_assoc_ids) + (size_t)n * sizeof(sctp_assoc_t);
        r = *len < need ? lx_opt_inval() : 0;
        if (!r) {
            struct sctp_assoc_ids *out = val;
            out->gaids_number_of_ids = (uint32_t)n;
            for (int i = 0; i < n; i++)
                out->gaids_assoc_id[i] = (sctp_assoc_t)ids[i];
            *len = (socklen_t)need;
        }
    }
    free(ids);
    return r;
}

int lx_opt_status_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (name == SCTP_STATUS)
        return get_status(s, val, len);
    return get_assoc_ids(s, name, val, len);
}
