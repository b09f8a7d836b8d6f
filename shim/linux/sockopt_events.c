/* Event subscriptions: SCTP_EVENTS (the old structure) and SCTP_EVENT.
 *
 * Linux keeps a subscription per association, copied from the socket's
 * when the association is set up.  SCTP_EVENTS sets the socket's and every
 * existing association's; SCTP_EVENT follows se_assoc_id: one
 * association, the socket (FUTURE), the existing associations (CURRENT),
 * or both (ALL).  usrsctp keeps them per association too, but refuses some
 * events with CURRENT and ALL, so the shim tells it each association in
 * turn. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/assoc.h"
#include "linux/xlate.h"

/* Linux's event switches in struct sctp_event_subscribe order. */
static const int subscribe_order[] = {
    STK_N_DATA_IO, STK_N_ASSOC_CHANGE, STK_N_PEER_ADDR_CHANGE,
    STK_N_SEND_FAILED, STK_N_REMOTE_ERROR, STK_N_SHUTDOWN_EVENT,
    STK_N_PARTIAL_DELIVERY_EVENT, STK_N_ADAPTATION_INDICATION,
    STK_N_AUTHENTICATION_EVENT, STK_N_SENDER_DRY_EVENT,
    STK_N_STREAM_RESET_EVENT, STK_N_ASSOC_RESET_EVENT,
    STK_N_STREAM_CHANGE_EVENT, STK_N_SEND_FAILED_EVENT,
};
#define N_SWITCHES (sizeof subscribe_order / sizeof subscribe_order[0])

static const uint32_t failed_forms =
    1u << STK_N_SEND_FAILED | 1u << STK_N_SEND_FAILED_EVENT;

/* The stack's event for a neutral one and whether it is on under a
 * subscription: one stack event serves both "send failed" forms (the
 * form is picked at delivery, lx_notif_pick_form); "data io" is the
 * shim's own business (-1). */
static int stack_type(int neutral, uint32_t events, int *on)
{
    if (neutral == STK_N_DATA_IO)
        return -1;
    if (neutral == STK_N_SEND_FAILED || neutral == STK_N_SEND_FAILED_EVENT) {
        *on = (events & failed_forms) != 0;
        return STK_N_SEND_FAILED_EVENT;
    }
    *on = (events >> neutral) & 1;
    return neutral;
}

/* Tells the stack about event neutral for id (an association, or 0 for
 * the socket) when its switch differs between two subscriptions, or, with
 * again, when SENDER_DRY is switched on anew (Linux then reports an idle
 * association at once, each time). */
static int tell_stack(struct ssock *s, uint32_t id, int neutral, uint32_t before,
                      uint32_t after, int again)
{
    int was, on;
    int type = stack_type(neutral, before, &was);
    if (type < 0)
        return 0;
    stack_type(neutral, after, &on);
    if (was == on && !(again && on && type == STK_N_SENDER_DRY_EVENT))
        return 0;
    uint32_t ev[3] = {id, (uint32_t)type, (uint32_t)on};
    if (stk_setopt(s->stk, STK_O_EVENT, ev, sizeof ev) < 0) {
        SHIM_LOG("event %d: not available from usrsctp", neutral);
        return -1;
    }
    return 0;
}

/* Every switch that changes, for the socket or one association. */
static int tell_stack_all(struct ssock *s, uint32_t id, uint32_t before,
                          uint32_t after, int again)
{
    int r = 0;
    for (size_t i = 0; i < N_SWITCHES; i++)
        if (tell_stack(s, id, subscribe_order[i], before, after, again) < 0 &&
            (after >> subscribe_order[i]) & 1)
            r = -1;
    return r;
}

static uint32_t with(uint32_t events, int neutral, int on)
{
    return on ? events | 1u << neutral : events & ~(1u << neutral);
}

/* The existing associations, each to its new subscription: bit neutral
 * set to on, or (neutral < 0) the whole of after. */
static int each_association(struct ssock *s, int neutral, int on, uint32_t after)
{
    uint32_t *ids;
    int n = stk_assoc_list(s->stk, &ids);
    if (n < 0)
        return -1;
    int r = 0;
    for (int i = 0; i < n; i++) {
        uint32_t before = lx_assoc_vals(s, ids[i]).events;
        uint32_t now = neutral < 0 ? after : with(before, neutral, on);
        if ((neutral < 0 ? tell_stack_all(s, ids[i], before, now, 0)
                         : tell_stack(s, ids[i], neutral, before, now, 1)) < 0)
            r = -1;
    }
    free(ids);
    return r;
}

static int set_events_struct(struct ssock *s, const void *val, socklen_t len)
{
    const unsigned char *b = val;
    if ((!val && len) || len > sizeof(struct sctp_event_subscribe)) {
        SHIM_LOG("setsockopt SCTP_EVENTS: length %u", (unsigned)len);
        return lx_opt_inval();
    }
    uint32_t after = s->events;
    for (socklen_t i = 0; i < len; i++)
        after = with(after, subscribe_order[i], b[i]);
    /* The associations take the socket's whole subscription. */
    int r = s->type == SOCK_SEQPACKET ? each_association(s, -1, 0, after) : 0;
    if (tell_stack_all(s, 0, s->events, after, s->type != SOCK_SEQPACKET) < 0)
        r = -1;
    s->events = after;
    if (s->type == SOCK_SEQPACKET)
        assoc_opts_set_all_events(&s->assoc, ~0u, after);
    if (r < 0)
        return lx_opt_unsupported("setsockopt SCTP_EVENTS", SOL_SCTP, -1);
    return 0;
}

static int set_event(struct ssock *s, const struct sctp_event *ev)
{
    int n = lx_notif_to_stk(ev->se_type);
    if (n == STK_N_NONE)
        return lx_opt_inval();
    uint32_t id = (uint32_t)ev->se_assoc_id;
    int on = ev->se_on != 0, r = 0;
    if (s->type != SOCK_SEQPACKET) {
        /* One association, which is the socket's. */
        uint32_t after = with(s->events, n, on);
        r = tell_stack(s, 0, n, s->events, after, 1);
        if (r == 0)
            s->events = after;
    } else if (id > SCTP_ALL_ASSOC) {
        if (lx_opt_assoc_ok(s, id) < 0)
            return -1;
        uint32_t before = lx_assoc_vals(s, id).events, after = with(before, n, on);
        r = tell_stack(s, id, n, before, after, 1);
        if (r == 0)
            lx_assoc_set_events(s, id, after);
    } else {
        /* Associations that follow the socket keep what they have. */
        if (lx_assoc_pin(s) < 0)
            return -1;
        if (id == SCTP_CURRENT_ASSOC || id == SCTP_ALL_ASSOC) {
            r = each_association(s, n, on, 0);
            assoc_opts_set_all_events(&s->assoc, 1u << n, on ? ~0u : 0);
        }
        if (id == SCTP_FUTURE_ASSOC || id == SCTP_ALL_ASSOC) {
            uint32_t after = with(s->events, n, on);
            if (tell_stack(s, 0, n, s->events, after, 0) < 0)
                r = -1;
            else
                s->events = after;
        }
    }
    if (r < 0 && on)
        return lx_opt_unsupported("setsockopt SCTP_EVENT", SOL_SCTP, ev->se_type);
    return 0;
}

int lx_opt_events_set(struct ssock *s, int name, const void *val,
                      socklen_t len)
{
    if (name == SCTP_EVENTS)
        return set_events_struct(s, val, len);
    struct sctp_event ev;
    if (!val || len < sizeof ev)
        return lx_opt_inval();
    memcpy(&ev, val, sizeof ev);
    return set_event(s, &ev);
}

int lx_opt_events_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (name == SCTP_EVENTS) {
        unsigned char b[sizeof(struct sctp_event_subscribe)];
        if (!val || !len)
            return lx_opt_inval();
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (s->events >> subscribe_order[i]) & 1;
        if (*len > sizeof b)
            *len = sizeof b;
        memcpy(val, b, *len);
        return 0;
    }
    struct sctp_event ev;
    if (!val || !len || *len < sizeof ev)
        return lx_opt_inval();
    memcpy(&ev, val, sizeof ev);
    int n = lx_notif_to_stk(ev.se_type);
    if (n == STK_N_NONE)
        return lx_opt_inval();
    uint32_t id = (uint32_t)ev.se_assoc_id, events = s->events;
    if (s->type == SOCK_SEQPACKET && id != SCTP_FUTURE_ASSOC) {
        /* One association's, not CURRENT's or ALL's. */
        if (id <= SCTP_ALL_ASSOC || lx_opt_assoc_ok(s, id) < 0)
            return lx_opt_inval();
        events = lx_assoc_vals(s, id).events;
    }
    ev.se_on = (events >> n) & 1;
    memcpy(val, &ev, sizeof ev);
    *len = sizeof ev;
    return 0;
}
