/* usrsctp side of tests/unit/test_notif.c: notifications exactly as
 * usrsctp 0.9.5 lays them out (<usrsctp.h>), one per case. */
#include <arpa/inet.h>
#include <string.h>
#include <usrsctp.h>

#include "notif_cases.h"
#include "usrsctp/notif_wire.h"

static void head(union sctp_notification *u, uint16_t type, uint16_t flags,
                 size_t len)
{
    u->sn_header.sn_type = type;
    u->sn_header.sn_flags = flags;
    u->sn_header.sn_length = (uint32_t)len;
}

static size_t assoc_change(union sctp_notification *u, uint16_t state,
                           uint16_t error, const void *info, size_t ilen)
{
    struct sctp_assoc_change *a = &u->sn_assoc_change;
    a->sac_state = state;
    a->sac_error = error;
    a->sac_outbound_streams = NC_OUT;
    a->sac_inbound_streams = NC_IN;
    a->sac_assoc_id = NC_ASSOC;
    if (ilen)
        memcpy(a->sac_info, info, ilen);
    head(u, SCTP_ASSOC_CHANGE, 0, sizeof *a + ilen);
    return sizeof *a + ilen;
}

static size_t paddr(union sctp_notification *u, uint32_t state)
{
    struct sctp_paddr_change *p = &u->sn_paddr_change;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(NC_PEER_PORT),
                            .sin_addr.s_addr = htonl(0x7f000001)};
    memcpy(&p->spc_aaddr, &a, sizeof a);
    p->spc_state = state;
    p->spc_error = 0;
    p->spc_assoc_id = NC_ASSOC;
    head(u, SCTP_PEER_ADDR_CHANGE, 0, sizeof *p);
    return sizeof *p;
}

static size_t send_failed(union sctp_notification *u, uint16_t flags)
{
    struct sctp_send_failed_event *f = &u->sn_send_failed_event;
    f->ssfe_error = 0;
    f->ssfe_info.snd_sid = NC_SID;
    f->ssfe_info.snd_flags = SCTP_DATA_LAST_FRAG | 0x04; /* and U */
    f->ssfe_info.snd_ppid = NC_PPID;
    f->ssfe_info.snd_context = NC_CONTEXT;
    f->ssfe_info.snd_assoc_id = NC_ASSOC;
    f->ssfe_assoc_id = NC_ASSOC;
    memcpy(f->ssfe_data, NC_FAILED_BODY, sizeof NC_FAILED_BODY - 1);
    size_t len = sizeof *f + sizeof NC_FAILED_BODY - 1;
    head(u, SCTP_SEND_FAILED_EVENT, flags, len);
    return len;
}

static size_t auth(union sctp_notification *u, uint32_t ind)
{
    struct sctp_authkey_event *a = &u->sn_auth_event;
    a->auth_keynumber = NC_KEY;
    a->auth_indication = ind;
    a->auth_assoc_id = NC_ASSOC;
    head(u, SCTP_AUTHENTICATION_EVENT, 0, sizeof *a);
    return sizeof *a;
}

size_t usr_notif_build(int c, void *buf, size_t cap)
{
    union sctp_notification *u = buf;
    memset(buf, 0, cap);
    switch (c) {
    case NC_COMM_UP: {
        uint8_t features[] = {SCTP_ASSOC_SUPPORTS_PR, SCTP_ASSOC_SUPPORTS_MULTIBUF};
        return assoc_change(u, SCTP_COMM_UP, 0, features, sizeof features);
    }
    case NC_COMM_LOST: {
        /* The peer's ABORT chunk: header, cause 12 with its reason. */
        uint8_t chunk[4 + 4 + sizeof NC_ABORT_REASON - 1];
        uint16_t clen = htons(sizeof chunk), cause = htons(12),
                 causelen = htons(4 + sizeof NC_ABORT_REASON - 1);
        chunk[0] = 6;
        chunk[1] = 0;
        memcpy(chunk + 2, &clen, 2);
        memcpy(chunk + 4, &cause, 2);
        memcpy(chunk + 6, &causelen, 2);
        memcpy(chunk + 8, NC_ABORT_REASON, sizeof NC_ABORT_REASON - 1);
        return assoc_change(u, SCTP_COMM_LOST, 12, chunk, sizeof chunk);
    }
    case NC_RESTART:
        return assoc_change(u, SCTP_RESTART, 0, NULL, 0);
    case NC_SHUTDOWN_COMP:
        return assoc_change(u, SCTP_SHUTDOWN_COMP, 0, NULL, 0);
    case NC_CANT_STR_ASSOC:
        return assoc_change(u, SCTP_CANT_STR_ASSOC, 0, NULL, 0);
    case NC_PEER_ADDR_UNREACHABLE:
        return paddr(u, SCTP_ADDR_UNREACHABLE);
    case NC_PEER_ADDR_CONFIRMED:
        return paddr(u, SCTP_ADDR_CONFIRMED);
    case NC_REMOTE_ERROR: {
        struct sctp_remote_error *r = &u->sn_remote_error;
        r->sre_error = 5;
        r->sre_assoc_id = NC_ASSOC;
        memcpy(r->sre_data, "\x00\x05\x00\x08\xaa\xbb\xcc\xdd", 8);
        head(u, SCTP_REMOTE_ERROR, 0, sizeof *r + 8);
        return sizeof *r + 8;
    }
    case NC_SEND_FAILED_UNSENT:
        return send_failed(u, SCTP_DATA_UNSENT);
    case NC_SEND_FAILED_SENT:
        return send_failed(u, SCTP_DATA_SENT);
    case NC_SHUTDOWN_EVENT:
        u->sn_shutdown_event.sse_assoc_id = NC_ASSOC;
        head(u, SCTP_SHUTDOWN_EVENT, 0, sizeof u->sn_shutdown_event);
        return sizeof u->sn_shutdown_event;
    case NC_ADAPTATION:
        u->sn_adaptation_event.sai_adaptation_ind = NC_ADAPT_IND;
        u->sn_adaptation_event.sai_assoc_id = NC_ASSOC;
        head(u, SCTP_ADAPTATION_INDICATION, 0, sizeof u->sn_adaptation_event);
        return sizeof u->sn_adaptation_event;
    case NC_PDAPI_ABORTED: {
        /* as the library writes it, not as <usrsctp.h> declares it */
        struct usr_pdapi_event p = {
            .pdapi_type = SCTP_PARTIAL_DELIVERY_EVENT,
            .pdapi_length = sizeof p,
            .pdapi_indication = SCTP_PARTIAL_DELIVERY_ABORTED,
            .pdapi_stream = NC_PDAPI_STREAM,
            .pdapi_seq = NC_PDAPI_SEQ,
            .pdapi_assoc_id = NC_ASSOC};
        memcpy(u, &p, sizeof p);
        return sizeof p;
    }
    case NC_AUTH_NEW_KEY:
        return auth(u, SCTP_AUTH_NEW_KEY);
    case NC_AUTH_NO_AUTH:
        return auth(u, SCTP_AUTH_NO_AUTH);
    case NC_AUTH_FREE_KEY:
        return auth(u, SCTP_AUTH_FREE_KEY);
    case NC_SENDER_DRY:
        u->sn_sender_dry_event.sender_dry_assoc_id = NC_ASSOC;
        head(u, SCTP_SENDER_DRY_EVENT, 0, sizeof u->sn_sender_dry_event);
        return sizeof u->sn_sender_dry_event;
    case NC_STREAM_RESET: {
        struct sctp_stream_reset_event *r = &u->sn_strreset_event;
        r->strreset_assoc_id = NC_ASSOC;
        r->strreset_stream_list[0] = 1;
        r->strreset_stream_list[1] = 2;
        r->strreset_stream_list[2] = 3;
        head(u, SCTP_STREAM_RESET_EVENT,
             SCTP_STREAM_RESET_INCOMING_SSN | SCTP_STREAM_RESET_DENIED,
             sizeof *r + 3 * sizeof(uint16_t));
        return sizeof *r + 3 * sizeof(uint16_t);
    }
    case NC_ASSOC_RESET:
        u->sn_assocreset_event.assocreset_assoc_id = NC_ASSOC;
        u->sn_assocreset_event.assocreset_local_tsn = NC_LOCAL_TSN;
        u->sn_assocreset_event.assocreset_remote_tsn = NC_REMOTE_TSN;
        head(u, SCTP_ASSOC_RESET_EVENT, SCTP_ASSOC_RESET_FAILED,
             sizeof u->sn_assocreset_event);
        return sizeof u->sn_assocreset_event;
    case NC_STREAM_CHANGE:
        u->sn_strchange_event.strchange_assoc_id = NC_ASSOC;
        u->sn_strchange_event.strchange_instrms = NC_IN;
        u->sn_strchange_event.strchange_outstrms = NC_OUT;
        head(u, SCTP_STREAM_CHANGE_EVENT, SCTP_STREAM_CHANGE_DENIED,
             sizeof u->sn_strchange_event);
        return sizeof u->sn_strchange_event;
    }
    return 0;
}
