/* Every notification, built in usrsctp's layout (notif_usr.c), through
 * the shim's decoder (usrsctp/notif.c) and Linux encoder (linux/notif.c): each
 * field of the Linux layout a program reads is checked here, against the
 * Linux headers.  The two layouts cannot meet in one file. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/notif.h"
#include "notif_cases.h"
#include "usrsctp/notif.h"

static int fails, checks;

#define EQ(a, b)                                                            \
    do {                                                                    \
        checks++;                                                           \
        long long _a = (long long)(a), _b = (long long)(b);                 \
        if (_a != _b) {                                                     \
            fprintf(stderr, "%s:%d: case %s: %s = 0x%llx, expected 0x%llx\n", \
                    __FILE__, __LINE__, name, #a, _a, _b);                  \
            fails++;                                                        \
        }                                                                   \
    } while (0)

static const char *name;
static union {
    union sctp_notification u;
    unsigned char raw[8192];
} out;
static size_t out_len;

/* Runs case c through the shim for a program subscribed to subscribed
 * (a bit per enum stk_notif_type). */
static union sctp_notification *run(int c, const char *nm, uint32_t subscribed)
{
    static unsigned char in[8192];
    struct stk_notif n;
    name = nm;
    size_t len = usr_notif_build(c, in, sizeof in);
    memset(&out, 0xee, sizeof out);
    EQ(usr_decode_notif(in, len, &n), 0);
    lx_notif_pick_form(&n, subscribed);
    out_len = lx_notif_encode(&n, out.raw, sizeof out.raw);
    EQ(out.u.sn_header.sn_length, out_len);
    return &out.u;
}

#define ALL 0xffffffffu

static void assoc_change(void)
{
    union sctp_notification *u = run(NC_COMM_UP, "COMM_UP", ALL);
    struct sctp_assoc_change *a = &u->sn_assoc_change;
    EQ(a->sac_type, SCTP_ASSOC_CHANGE);
    EQ(a->sac_flags, 0);
    EQ(a->sac_length, sizeof *a); /* Linux appends nothing on COMM_UP */
    EQ(a->sac_state, SCTP_COMM_UP);
    EQ(a->sac_error, 0);
    EQ(a->sac_outbound_streams, NC_OUT);
    EQ(a->sac_inbound_streams, NC_IN);
    EQ(a->sac_assoc_id, NC_ASSOC);

    u = run(NC_COMM_LOST, "COMM_LOST", ALL);
    a = &u->sn_assoc_change;
    EQ(a->sac_state, SCTP_COMM_LOST);
    /* Linux: the first cause code of the ABORT as on the wire */
    EQ(a->sac_error, htons(12));
    /* Linux: the ABORT chunk's error causes, without its header. */
    size_t causes = 4 + sizeof NC_ABORT_REASON - 1;
    EQ(a->sac_length, sizeof *a + causes);
    EQ(a->sac_info[0], 0);
    EQ(a->sac_info[1], 12);
    EQ(a->sac_info[2] << 8 | a->sac_info[3], causes);
    EQ(memcmp(a->sac_info + 4, NC_ABORT_REASON, sizeof NC_ABORT_REASON - 1), 0);
    EQ(a->sac_assoc_id, NC_ASSOC);

    static const struct {
        int c, state;
        const char *nm;
    } others[] = {{NC_RESTART, SCTP_RESTART, "RESTART"},
                  {NC_SHUTDOWN_COMP, SCTP_SHUTDOWN_COMP, "SHUTDOWN_COMP"},
                  {NC_CANT_STR_ASSOC, SCTP_CANT_STR_ASSOC, "CANT_STR_ASSOC"}};
    for (size_t i = 0; i < 3; i++) {
        a = &run(others[i].c, others[i].nm, ALL)->sn_assoc_change;
        EQ(a->sac_type, SCTP_ASSOC_CHANGE);
        EQ(a->sac_state, others[i].state);
        EQ(a->sac_length, sizeof *a);
        EQ(a->sac_error, 0);
        EQ(a->sac_outbound_streams, NC_OUT);
        EQ(a->sac_inbound_streams, NC_IN);
        EQ(a->sac_assoc_id, NC_ASSOC);
    }
}

static void peer_addr_change(void)
{
    static const struct {
        int c, state;
        const char *nm;
    } rows[] = {{NC_PEER_ADDR_UNREACHABLE, SCTP_ADDR_UNREACHABLE, "ADDR_UNREACHABLE"},
                {NC_PEER_ADDR_CONFIRMED, SCTP_ADDR_CONFIRMED, "ADDR_CONFIRMED"}};
    for (size_t i = 0; i < 2; i++) {
        struct sctp_paddr_change *p = &run(rows[i].c, rows[i].nm, ALL)->sn_paddr_change;
        EQ(p->spc_type, SCTP_PEER_ADDR_CHANGE);
        EQ(p->spc_flags, 0);
        EQ(p->spc_length, sizeof *p);
        EQ(p->spc_state, rows[i].state);
        EQ(p->spc_error, 0);
        EQ(p->spc_assoc_id, NC_ASSOC);
        struct sockaddr_in a;
        memcpy(&a, &p->spc_aaddr, sizeof a);
        EQ(a.sin_family, AF_INET);
        EQ(ntohs(a.sin_port), NC_PEER_PORT);
        EQ(ntohl(a.sin_addr.s_addr), 0x7f000001);
    }
}

static void remote_error(void)
{
    struct sctp_remote_error *r = &run(NC_REMOTE_ERROR, "REMOTE_ERROR", ALL)->sn_remote_error;
    EQ(r->sre_type, SCTP_REMOTE_ERROR);
    EQ(r->sre_flags, 0);
    EQ(r->sre_length, sizeof *r + 8);
    EQ(r->sre_error, htons(5)); /* __be16 on Linux */
    EQ(r->sre_assoc_id, NC_ASSOC);
    EQ(memcmp(r->sre_data, "\x00\x05\x00\x08\xaa\xbb\xcc\xdd", 8), 0);
}

static void send_failed(void)
{
    size_t blen = sizeof NC_FAILED_BODY - 1;
    static const struct {
        int c, flags;
        const char *nm;
    } rows[] = {{NC_SEND_FAILED_UNSENT, SCTP_DATA_UNSENT, "SEND_FAILED_EVENT unsent"},
                {NC_SEND_FAILED_SENT, SCTP_DATA_SENT, "SEND_FAILED_EVENT sent"}};
    for (size_t i = 0; i < 2; i++) {
        /* Subscribed to the new form (with or without the old one). */
        struct sctp_send_failed_event *e =
            &run(rows[i].c, rows[i].nm, ALL)->sn_send_failed_event;
        EQ(e->ssf_type, SCTP_SEND_FAILED_EVENT);
        EQ(e->ssf_flags, rows[i].flags);
        EQ(e->ssf_length, sizeof *e + blen);
        EQ(e->ssf_error, 0);
        EQ(e->ssfe_info.snd_sid, NC_SID);
        EQ(e->ssfe_info.snd_flags, 0x05); /* the DATA chunk's E and U */
        EQ(e->ssfe_info.snd_ppid, NC_PPID);
        EQ(e->ssfe_info.snd_context, NC_CONTEXT);
        EQ(e->ssfe_info.snd_assoc_id, NC_ASSOC);
        EQ(e->ssf_assoc_id, NC_ASSOC);
        EQ(memcmp(e->ssf_data, NC_FAILED_BODY, blen), 0);

        /* Subscribed to the old form only: struct sctp_send_failed. */
        name = rows[i].nm;
        struct sctp_send_failed *f =
            &run(rows[i].c, "SEND_FAILED (old form)",
                 1u << STK_N_SEND_FAILED)->sn_send_failed;
        EQ(f->ssf_type, SCTP_SEND_FAILED);
        EQ(f->ssf_flags, rows[i].flags);
        EQ(f->ssf_length, sizeof *f + blen);
        EQ(f->ssf_error, 0);
        EQ(f->ssf_info.sinfo_stream, NC_SID);
        EQ(f->ssf_info.sinfo_flags, 0x05);
        EQ(f->ssf_info.sinfo_ppid, NC_PPID);
        EQ(f->ssf_info.sinfo_context, NC_CONTEXT);
        EQ(f->ssf_info.sinfo_assoc_id, NC_ASSOC);
        EQ(f->ssf_assoc_id, NC_ASSOC);
        EQ(memcmp(f->ssf_data, NC_FAILED_BODY, blen), 0);
    }
}

static void simple_events(void)
{
    struct sctp_shutdown_event *s = &run(NC_SHUTDOWN_EVENT, "SHUTDOWN_EVENT", ALL)->sn_shutdown_event;
    EQ(s->sse_type, SCTP_SHUTDOWN_EVENT);
    EQ(s->sse_flags, 0);
    EQ(s->sse_length, sizeof *s);
    EQ(s->sse_assoc_id, NC_ASSOC);

    struct sctp_adaptation_event *a = &run(NC_ADAPTATION, "ADAPTATION", ALL)->sn_adaptation_event;
    EQ(a->sai_type, SCTP_ADAPTATION_INDICATION);
    EQ(a->sai_flags, 0);
    EQ(a->sai_length, sizeof *a);
    EQ(a->sai_adaptation_ind, NC_ADAPT_IND);
    EQ(a->sai_assoc_id, NC_ASSOC);

    struct sctp_pdapi_event *p = &run(NC_PDAPI_ABORTED, "PARTIAL_DELIVERY", ALL)->sn_pdapi_event;
    EQ(p->pdapi_type, SCTP_PARTIAL_DELIVERY_EVENT);
    EQ(p->pdapi_flags, 0);
    EQ(p->pdapi_length, sizeof *p);
    EQ(p->pdapi_indication, SCTP_PARTIAL_DELIVERY_ABORTED);
    EQ(p->pdapi_stream, NC_PDAPI_STREAM);
    EQ(p->pdapi_seq, NC_PDAPI_SEQ);
    EQ(p->pdapi_assoc_id, NC_ASSOC);

    struct sctp_sender_dry_event *d = &run(NC_SENDER_DRY, "SENDER_DRY", ALL)->sn_sender_dry_event;
    EQ(d->sender_dry_type, SCTP_SENDER_DRY_EVENT);
    EQ(d->sender_dry_flags, 0);
    EQ(d->sender_dry_length, sizeof *d);
    EQ(d->sender_dry_assoc_id, NC_ASSOC);
}

static void authentication(void)
{
    static const struct {
        int c, ind;
        const char *nm;
    } rows[] = {{NC_AUTH_NEW_KEY, SCTP_AUTH_NEW_KEY, "AUTH_NEW_KEY"},
                {NC_AUTH_NO_AUTH, SCTP_AUTH_NO_AUTH, "AUTH_NO_AUTH"},
                {NC_AUTH_FREE_KEY, SCTP_AUTH_FREE_KEY, "AUTH_FREE_KEY"}};
    for (size_t i = 0; i < 3; i++) {
        struct sctp_authkey_event *a = &run(rows[i].c, rows[i].nm, ALL)->sn_authkey_event;
        EQ(a->auth_type, SCTP_AUTHENTICATION_EVENT);
        EQ(a->auth_flags, 0);
        EQ(a->auth_length, sizeof *a);
        EQ(a->auth_keynumber, NC_KEY);
        EQ(a->auth_altkeynumber, 0);
        EQ(a->auth_indication, rows[i].ind);
        EQ(a->auth_assoc_id, NC_ASSOC);
    }
}

static void resets(void)
{
    struct sctp_stream_reset_event *r = &run(NC_STREAM_RESET, "STREAM_RESET", ALL)->sn_strreset_event;
    EQ(r->strreset_type, SCTP_STREAM_RESET_EVENT);
    EQ(r->strreset_flags, SCTP_STREAM_RESET_INCOMING_SSN | SCTP_STREAM_RESET_DENIED);
    EQ(r->strreset_length, sizeof *r + 3 * sizeof(__u16));
    EQ(r->strreset_assoc_id, NC_ASSOC);
    EQ(r->strreset_stream_list[0], 1);
    EQ(r->strreset_stream_list[1], 2);
    EQ(r->strreset_stream_list[2], 3);

    struct sctp_assoc_reset_event *a = &run(NC_ASSOC_RESET, "ASSOC_RESET", ALL)->sn_assocreset_event;
    EQ(a->assocreset_type, SCTP_ASSOC_RESET_EVENT);
    EQ(a->assocreset_flags, SCTP_ASSOC_RESET_FAILED);
    EQ(a->assocreset_length, sizeof *a);
    EQ(a->assocreset_assoc_id, NC_ASSOC);
    EQ(a->assocreset_local_tsn, NC_LOCAL_TSN);
    EQ(a->assocreset_remote_tsn, NC_REMOTE_TSN);

    struct sctp_stream_change_event *c = &run(NC_STREAM_CHANGE, "STREAM_CHANGE", ALL)->sn_strchange_event;
    EQ(c->strchange_type, SCTP_STREAM_CHANGE_EVENT);
    EQ(c->strchange_flags, SCTP_STREAM_CHANGE_DENIED);
    EQ(c->strchange_length, sizeof *c);
    EQ(c->strchange_assoc_id, NC_ASSOC);
    EQ(c->strchange_instrms, NC_IN);
    EQ(c->strchange_outstrms, NC_OUT);
}

/* Every event cut short at every length, in a buffer exactly that long:
 * the decoder reads nothing past it (the ASan build would report the
 * read), and an event of fixed size is refused unless whole.  The
 * fuzzer (tests/fuzz/fuzz_notif.c) found the fixed-size events read
 * unchecked. */
static void cut_short(void)
{
    static unsigned char in[8192];
    for (int c = 0; c < NC_COUNT; c++) {
        size_t len = usr_notif_build(c, in, sizeof in);
        int fixed = c >= NC_SHUTDOWN_EVENT && c != NC_STREAM_RESET;
        fixed |= c == NC_PEER_ADDR_UNREACHABLE || c == NC_PEER_ADDR_CONFIRMED;
        name = "cut short";
        for (size_t l = 0; l < len; l++) {
            unsigned char *p = malloc(l ? l : 1);
            memcpy(p, in, l);
            struct stk_notif n;
            int r = usr_decode_notif(p, l, &n);
            free(p);
            if (fixed || l < 8)
                EQ(r, -1);
        }
    }
}

int main(void)
{
    assoc_change();
    peer_addr_change();
    remote_error();
    send_failed();
    simple_events();
    authentication();
    resets();
    cut_short();
    printf("%d passed, %d failed\n", checks - fails, fails);
    return fails ? 1 : 0;
}
