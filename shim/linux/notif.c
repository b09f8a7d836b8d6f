#include "linux/notif.h"

#include <arpa/inet.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "linux/xlate.h"

/* A failed message's info: Linux puts the DATA chunk's flags (E, B, U,
 * I) where a message's flags would be. */
static void fill_sndrcv(struct sctp_sndrcvinfo *d, const struct stk_sndinfo *s,
                        uint8_t data_flags)
{
    memset(d, 0, sizeof *d);
    d->sinfo_stream = s->sid;
    d->sinfo_flags = data_flags;
    d->sinfo_ppid = s->ppid;
    d->sinfo_context = s->context;
    d->sinfo_assoc_id = (sctp_assoc_t)s->assoc_id;
}

void lx_notif_pick_form(struct stk_notif *n, uint32_t subscribed)
{
    /* The shim subscribes the stack to the new form for both; Linux sends
     * the new form when it is subscribed, else the old one. */
    if (n->type == STK_N_SEND_FAILED_EVENT &&
        !(subscribed & (1u << STK_N_SEND_FAILED_EVENT)) &&
        (subscribed & (1u << STK_N_SEND_FAILED)))
        n->type = STK_N_SEND_FAILED;
}

/* Linux puts an error cause code into sac_error and sre_error as it is on
 * the wire (a __be16 in the kernel); usrsctp in host order. */
static uint16_t cause_as_linux(uint16_t cause) { return htons(cause); }

size_t lx_notif_encode(const struct stk_notif *n, void *out, size_t cap)
{
    union {
        union sctp_notification u;
        unsigned char raw[sizeof(union sctp_notification) + 4096];
    } b;
    union sctp_notification *u = &b.u;
    size_t len, extra = 0;
    int type = stk_notif_to_lx(n->type);
    if (type < 0)
        return 0;
    memset(&b, 0, sizeof b);
    switch (n->type) {
    case STK_N_ASSOC_CHANGE:
        u->sn_assoc_change.sac_state = (__u16)stk_assoc_state_to_lx(n->state);
        u->sn_assoc_change.sac_error = n->error;
        u->sn_assoc_change.sac_outbound_streams = n->outbound_streams;
        u->sn_assoc_change.sac_inbound_streams = n->inbound_streams;
        u->sn_assoc_change.sac_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_assoc_change;
        /* Linux appends only the peer's ABORT chunk, whose first cause is
         * the error; usrsctp also lists the features of a new association,
         * which Linux programs do not expect. */
        if (n->state == STK_COMM_LOST || n->state == STK_CANT_STR_ASSOC) {
            extra = n->data_len;
            if (extra)
                u->sn_assoc_change.sac_error = cause_as_linux(n->error);
        }
        break;
    case STK_N_PEER_ADDR_CHANGE:
        memcpy(&u->sn_paddr_change.spc_aaddr, &n->addr, sizeof n->addr);
        u->sn_paddr_change.spc_state = stk_paddr_state_to_lx(n->state);
        u->sn_paddr_change.spc_error = n->error;
        u->sn_paddr_change.spc_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_paddr_change;
        break;
    case STK_N_REMOTE_ERROR:
        u->sn_remote_error.sre_error = cause_as_linux(n->error);
        u->sn_remote_error.sre_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_remote_error;
        extra = n->data_len;
        break;
    case STK_N_SEND_FAILED:
        u->sn_send_failed.ssf_error = n->error;
        fill_sndrcv(&u->sn_send_failed.ssf_info, &n->snd, n->data_flags);
        u->sn_send_failed.ssf_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_send_failed;
        extra = n->data_len;
        break;
    case STK_N_SEND_FAILED_EVENT: {
        struct sctp_send_failed_event *e = (void *)u;
        e->ssf_error = n->error;
        e->ssfe_info.snd_sid = n->snd.sid;
        e->ssfe_info.snd_flags = n->data_flags;
        e->ssfe_info.snd_ppid = n->snd.ppid;
        e->ssfe_info.snd_context = n->snd.context;
        e->ssfe_info.snd_assoc_id = (sctp_assoc_t)n->snd.assoc_id;
        e->ssf_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof *e;
        extra = n->data_len;
        break;
    }
    case STK_N_SHUTDOWN_EVENT:
        u->sn_shutdown_event.sse_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_shutdown_event;
        break;
    case STK_N_ADAPTATION_INDICATION:
        u->sn_adaptation_event.sai_adaptation_ind = n->value;
        u->sn_adaptation_event.sai_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_adaptation_event;
        break;
    case STK_N_PARTIAL_DELIVERY_EVENT:
        u->sn_pdapi_event.pdapi_indication = stk_pdapi_ind_to_lx(n->value);
        u->sn_pdapi_event.pdapi_stream = n->value2;
        u->sn_pdapi_event.pdapi_seq = n->value3;
        u->sn_pdapi_event.pdapi_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_pdapi_event;
        break;
    case STK_N_AUTHENTICATION_EVENT:
        u->sn_authkey_event.auth_keynumber = (__u16)n->value;
        u->sn_authkey_event.auth_altkeynumber = (__u16)n->value2;
        u->sn_authkey_event.auth_indication = stk_auth_ind_to_lx(n->value3);
        u->sn_authkey_event.auth_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_authkey_event;
        break;
    case STK_N_SENDER_DRY_EVENT:
        u->sn_sender_dry_event.sender_dry_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_sender_dry_event;
        break;
    case STK_N_STREAM_RESET_EVENT:
        u->sn_strreset_event.strreset_assoc_id = (sctp_assoc_t)n->assoc_id;
        len = sizeof u->sn_strreset_event;
        extra = n->data_len;
        break;
    case STK_N_ASSOC_RESET_EVENT:
        u->sn_assocreset_event.assocreset_assoc_id = (sctp_assoc_t)n->assoc_id;
        u->sn_assocreset_event.assocreset_local_tsn = n->value;
        u->sn_assocreset_event.assocreset_remote_tsn = n->value2;
        len = sizeof u->sn_assocreset_event;
        break;
    case STK_N_STREAM_CHANGE_EVENT:
        u->sn_strchange_event.strchange_assoc_id = (sctp_assoc_t)n->assoc_id;
        u->sn_strchange_event.strchange_instrms = n->inbound_streams;
        u->sn_strchange_event.strchange_outstrms = n->outbound_streams;
        len = sizeof u->sn_strchange_event;
        break;
    default:
        return 0;
    }
    if (extra > sizeof b.raw - len)
        extra = sizeof b.raw - len;
    if (extra)
        memcpy(b.raw + len, n->data, extra);
    len += extra;
    u->sn_header.sn_type = (__u16)type;
    u->sn_header.sn_flags = stk_notif_flags_to_lx(n->type, n->flags);
    u->sn_header.sn_length = (__u32)len;
    memcpy(out, b.raw, len < cap ? len : cap);
    return len;
}
