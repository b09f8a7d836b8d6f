/* usrsctp side: a notification from the stack, decoded into the neutral
 * form.  Kept apart from the I/O so that the unit tests can feed it
 * notifications built by hand, without a stack. */
#include "usrsctp/notif.h"

#include <string.h>

#include "usrsctp/notif_wire.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

/* usrsctp fills snd_flags with the failed DATA chunk's flags, as Linux
 * does: they are no message flags. */
static void fill_sndinfo(struct stk_notif *n, const struct sctp_sndinfo *s)
{
    struct stk_sndinfo *d = &n->snd;
    n->data_flags = (uint8_t)s->snd_flags;
    d->sid = s->snd_sid;
    d->ppid = s->snd_ppid;
    d->context = s->snd_context;
    d->assoc_id = s->snd_assoc_id;
}

/* Every field is read only when the event is long enough to hold it:
 * usrsctp writes whole ones, but a buffer cut short must not be read past
 * (tests/fuzz/fuzz_notif.c found the fixed-size events read unchecked). */
int usr_decode_notif(const void *buf, size_t len, struct stk_notif *n)
{
    const union sctp_notification *u = buf;
    memset(n, 0, sizeof *n);
    if (len < sizeof u->sn_header)
        return -1;
    n->type = usr_notif_to_stk(u->sn_header.sn_type);
    n->flags = usr_notif_flags_to_stk(n->type, u->sn_header.sn_flags);
    size_t hdr;
    switch (u->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
        hdr = sizeof u->sn_assoc_change;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_assoc_change.sac_assoc_id;
        n->state = (uint16_t)usr_assoc_state_to_stk(u->sn_assoc_change.sac_state);
        n->error = u->sn_assoc_change.sac_error;
        n->outbound_streams = u->sn_assoc_change.sac_outbound_streams;
        n->inbound_streams = u->sn_assoc_change.sac_inbound_streams;
        n->data = u->sn_assoc_change.sac_info;
        n->data_len = len - hdr;
        /* usrsctp hands over the whole ABORT chunk; the neutral form, as
         * Linux, has its error causes only. */
        if ((n->state == STK_COMM_LOST || n->state == STK_CANT_STR_ASSOC) &&
            n->data_len >= 4) {
            n->data = u->sn_assoc_change.sac_info + 4;
            n->data_len -= 4;
        }
        break;
    case SCTP_PEER_ADDR_CHANGE:
        if (len < sizeof u->sn_paddr_change)
            return -1;
        n->assoc_id = u->sn_paddr_change.spc_assoc_id;
        n->state = (uint16_t)usr_paddr_state_to_stk((int)u->sn_paddr_change.spc_state);
        n->error = (uint16_t)u->sn_paddr_change.spc_error;
        memcpy(&n->addr, &u->sn_paddr_change.spc_aaddr, sizeof n->addr);
        break;
    case SCTP_REMOTE_ERROR:
        hdr = sizeof u->sn_remote_error;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_remote_error.sre_assoc_id;
        n->error = u->sn_remote_error.sre_error;
        n->data = u->sn_remote_error.sre_data;
        n->data_len = len - hdr;
        break;
    case SCTP_SHUTDOWN_EVENT:
        if (len < sizeof u->sn_shutdown_event)
            return -1;
        n->assoc_id = u->sn_shutdown_event.sse_assoc_id;
        break;
    case SCTP_ADAPTATION_INDICATION:
        if (len < sizeof u->sn_adaptation_event)
            return -1;
        n->assoc_id = u->sn_adaptation_event.sai_assoc_id;
        n->value = u->sn_adaptation_event.sai_adaptation_ind;
        break;
    case SCTP_PARTIAL_DELIVERY_EVENT: {
        struct usr_pdapi_event p;
        if (len < sizeof p)
            return -1;
        memcpy(&p, buf, sizeof p);
        n->assoc_id = p.pdapi_assoc_id;
        n->value = usr_pdapi_ind_to_stk(p.pdapi_indication);
        n->value2 = p.pdapi_stream;
        n->value3 = p.pdapi_seq;
        break;
    }
    case SCTP_AUTHENTICATION_EVENT:
        if (len < sizeof u->sn_auth_event)
            return -1;
        n->assoc_id = u->sn_auth_event.auth_assoc_id;
        n->value = u->sn_auth_event.auth_keynumber;
        n->value3 = usr_auth_ind_to_stk(u->sn_auth_event.auth_indication);
        break;
    case SCTP_SENDER_DRY_EVENT:
        if (len < sizeof u->sn_sender_dry_event)
            return -1;
        n->assoc_id = u->sn_sender_dry_event.sender_dry_assoc_id;
        break;
    case SCTP_SEND_FAILED_EVENT:
        hdr = sizeof u->sn_send_failed_event;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_send_failed_event.ssfe_assoc_id;
        n->error = (uint16_t)u->sn_send_failed_event.ssfe_error;
        fill_sndinfo(n, &u->sn_send_failed_event.ssfe_info);
        n->data = u->sn_send_failed_event.ssfe_data;
        n->data_len = len - hdr;
        break;
    case SCTP_STREAM_CHANGE_EVENT:
        if (len < sizeof u->sn_strchange_event)
            return -1;
        n->assoc_id = u->sn_strchange_event.strchange_assoc_id;
        n->inbound_streams = u->sn_strchange_event.strchange_instrms;
        n->outbound_streams = u->sn_strchange_event.strchange_outstrms;
        break;
    case SCTP_ASSOC_RESET_EVENT:
        if (len < sizeof u->sn_assocreset_event)
            return -1;
        n->assoc_id = u->sn_assocreset_event.assocreset_assoc_id;
        n->value = u->sn_assocreset_event.assocreset_local_tsn;
        n->value2 = u->sn_assocreset_event.assocreset_remote_tsn;
        break;
    case SCTP_STREAM_RESET_EVENT:
        hdr = sizeof u->sn_strreset_event;
        if (len < hdr)
            return -1;
        n->assoc_id = u->sn_strreset_event.strreset_assoc_id;
        n->data = u->sn_strreset_event.strreset_stream_list;
        n->data_len = len > hdr ? len - hdr : 0;
        break;
    default:
        n->type = STK_N_NONE;
        return -1;
    }
    return 0;
}
