#include "linux/assoc.h"

#include <stdlib.h>

static struct assoc_vals socket_vals(const struct ssock *s)
{
    struct assoc_vals v = {s->defaults, s->events};
    return v;
}

struct assoc_vals lx_assoc_vals(struct ssock *s, uint32_t id)
{
    struct assoc_vals sock = socket_vals(s);
    if (s->type != SOCK_SEQPACKET)
        return sock;
    return assoc_opts_get(&s->assoc, id, &sock);
}

int lx_assoc_pin(struct ssock *s)
{
    if (s->type != SOCK_SEQPACKET)
        return 0;
    uint32_t *live;
    int n = stk_assoc_list(s->stk, &live);
    if (n < 0)
        return -1;
    struct assoc_vals sock = socket_vals(s);
    assoc_opts_pin(&s->assoc, live, n, &sock);
    free(live);
    return 0;
}

void lx_assoc_set_defaults(struct ssock *s, uint32_t id,
                           const struct stk_sndinfo *d)
{
    struct assoc_vals v = lx_assoc_vals(s, id);
    v.defaults = *d;
    assoc_opts_set(&s->assoc, id, &v);
}

void lx_assoc_set_events(struct ssock *s, uint32_t id, uint32_t events)
{
    struct assoc_vals v = lx_assoc_vals(s, id);
    v.events = events;
    assoc_opts_set(&s->assoc, id, &v);
}
