/* The default send parameters: SCTP_DEFAULT_SEND_PARAM,
 * SCTP_DEFAULT_SNDINFO and SCTP_DEFAULT_PRINFO, with Linux's rules.
 *
 * On a one-to-many socket they belong to an association (its id), to the
 * socket, which associations set up later copy (FUTURE), to the
 * associations there are (CURRENT), or to both (ALL).  A one-to-one
 * socket has one set.  Linux keeps the PR-SCTP policy among the default
 * flags: SCTP_DEFAULT_SEND_PARAM and SCTP_DEFAULT_SNDINFO, whose flags
 * cannot name a policy, clear it; the lifetime stays. */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"
#include "linux/assoc.h"
#include "linux/xlate.h"

/* What a default's flags may hold (Linux: EINVAL for anything else). */
#define DEFAULT_FLAGS (SCTP_UNORDERED | SCTP_ADDR_OVER | SCTP_ABORT | SCTP_EOF)

/* One option's change, applied to a set of defaults. */
struct change {
    int name;
    struct stk_sndinfo v; /* the fields the option sets */
};

static void apply(const struct change *c, struct stk_sndinfo *d)
{
    if (c->name != SCTP_DEFAULT_PRINFO) {
        d->sid = c->v.sid;
        d->flags = c->v.flags;
        d->ppid = c->v.ppid;
        d->context = c->v.context;
        d->pr_policy = STK_PR_NONE;
    }
    if (c->name == SCTP_DEFAULT_PRINFO)
        d->pr_policy = c->v.pr_policy;
    if (c->name != SCTP_DEFAULT_SNDINFO)
        d->pr_value = c->v.pr_value;
}

/* The option's structure: its association id and the change, or -1 with
 * EINVAL as Linux checks it. */
static int parse(int name, const void *val, socklen_t len, uint32_t *id,
                 struct change *c)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    if (name == SCTP_DEFAULT_SEND_PARAM) {
        struct sctp_sndrcvinfo sr;
        if (!val || len != sizeof sr)
            return lx_opt_inval();
        memcpy(&sr, val, sizeof sr);
        if (sr.sinfo_flags & ~DEFAULT_FLAGS)
            return lx_opt_inval();
        *id = (uint32_t)sr.sinfo_assoc_id;
        c->v.sid = sr.sinfo_stream;
        c->v.flags = lx_flags_to_stk(sr.sinfo_flags);
        c->v.ppid = sr.sinfo_ppid;
        c->v.context = sr.sinfo_context;
        c->v.pr_value = sr.sinfo_timetolive;
    } else if (name == SCTP_DEFAULT_SNDINFO) {
        struct sctp_sndinfo si;
        if (!val || len != sizeof si)
            return lx_opt_inval();
        memcpy(&si, val, sizeof si);
        if (si.snd_flags & ~DEFAULT_FLAGS)
            return lx_opt_inval();
        *id = (uint32_t)si.snd_assoc_id;
        c->v.sid = si.snd_sid;
        c->v.flags = lx_flags_to_stk(si.snd_flags);
        c->v.ppid = si.snd_ppid;
        c->v.context = si.snd_context;
    } else {
        struct sctp_default_prinfo pi;
        if (!val || len != sizeof pi)
            return lx_opt_inval();
        memcpy(&pi, val, sizeof pi);
        if (pi.pr_policy & ~SCTP_PR_SCTP_MASK)
            return lx_opt_inval();
        *id = (uint32_t)pi.pr_assoc_id;
        c->v.pr_policy = lx_pr_to_stk(pi.pr_policy);
        c->v.pr_value = pi.pr_policy == SCTP_PR_SCTP_NONE ? 0 : pi.pr_value;
    }
    return 0;
}

/* CURRENT: every association there is (each has an entry after a pin). */
static int apply_current(struct ssock *s, const struct change *c)
{
    uint32_t *ids;
    int n = stk_assoc_list(s->stk, &ids);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        struct stk_sndinfo d = lx_assoc_vals(s, ids[i]).defaults;
        apply(c, &d);
        lx_assoc_set_defaults(s, ids[i], &d);
    }
    free(ids);
    return 0;
}

int lx_opt_send_set(struct ssock *s, int name, const void *val, socklen_t len)
{
    uint32_t id;
    struct change c;
    if (parse(name, val, len, &id, &c) < 0)
        return -1;
    if (s->type != SOCK_SEQPACKET) {
        apply(&c, &s->defaults); /* its one association's */
        return 0;
    }
    if (id > SCTP_ALL_ASSOC) {
        if (lx_opt_assoc_ok(s, id) < 0)
            return -1;
        struct stk_sndinfo d = lx_assoc_vals(s, id).defaults;
        apply(&c, &d);
        lx_assoc_set_defaults(s, id, &d);
        return 0;
    }
    /* Associations that follow the socket keep what they have. */
    if (lx_assoc_pin(s) < 0)
        return -1;
    if ((id == SCTP_CURRENT_ASSOC || id == SCTP_ALL_ASSOC) &&
        apply_current(s, &c) < 0)
        return -1;
    if (id == SCTP_FUTURE_ASSOC || id == SCTP_ALL_ASSOC)
        apply(&c, &s->defaults);
    return 0;
}

/* The defaults a get names: an association's, or the socket's (FUTURE);
 * CURRENT and ALL name none. */
static int defaults_of(struct ssock *s, uint32_t id, struct stk_sndinfo *d)
{
    if (s->type == SOCK_SEQPACKET && id != SCTP_FUTURE_ASSOC) {
        if (id <= SCTP_ALL_ASSOC || lx_opt_assoc_ok(s, id) < 0)
            return lx_opt_inval();
        *d = lx_assoc_vals(s, id).defaults;
        return 0;
    }
    *d = s->defaults;
    return 0;
}

int lx_opt_send_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    struct stk_sndinfo d;
    if (name == SCTP_DEFAULT_SEND_PARAM) {
        struct sctp_sndrcvinfo sr;
        if (!val || !len || *len < sizeof sr)
            return lx_opt_inval();
        memcpy(&sr, val, sizeof sr);
        if (defaults_of(s, (uint32_t)sr.sinfo_assoc_id, &d) < 0)
            return -1;
        sr.sinfo_stream = d.sid;
        sr.sinfo_flags = (uint16_t)(stk_flags_to_lx(d.flags) | stk_pr_to_lx(d.pr_policy));
        sr.sinfo_ppid = d.ppid;
        sr.sinfo_context = d.context;
        sr.sinfo_timetolive = d.pr_value;
        memcpy(val, &sr, sizeof sr);
        *len = sizeof sr;
        return 0;
    }
    if (name == SCTP_DEFAULT_SNDINFO) {
        struct sctp_sndinfo si;
        if (!val || !len || *len < sizeof si)
            return lx_opt_inval();
        memcpy(&si, val, sizeof si);
        if (defaults_of(s, (uint32_t)si.snd_assoc_id, &d) < 0)
            return -1;
        si.snd_sid = d.sid;
        si.snd_flags = (uint16_t)(stk_flags_to_lx(d.flags) | stk_pr_to_lx(d.pr_policy));
        si.snd_ppid = d.ppid;
        si.snd_context = d.context;
        memcpy(val, &si, sizeof si);
        *len = sizeof si;
        return 0;
    }
    struct sctp_default_prinfo pi;
    if (!val || !len || *len < sizeof pi)
        return lx_opt_inval();
    memcpy(&pi, val, sizeof pi);
    if (defaults_of(s, (uint32_t)pi.pr_assoc_id, &d) < 0)
        return -1;
    pi.pr_policy = stk_pr_to_lx(d.pr_policy);
    pi.pr_value = d.pr_value;
    memcpy(val, &pi, sizeof pi);
    *len = sizeof pi;
    return 0;
}
