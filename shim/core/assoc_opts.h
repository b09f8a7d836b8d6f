/* What a one-to-many socket's associations were told apart from the
 * socket: their send defaults and their event subscriptions.  Linux keeps
 * both per association, copied from the socket's when the association is
 * set up, and SCTP_DEFAULT_SEND_PARAM, SCTP_EVENT... with an association
 * id change that association's alone.  Here an association without an
 * entry has the socket's values: before the socket's own change, every
 * association still following them gets an entry with the old ones
 * (assoc_opts_pin), which keeps that true. */
#ifndef SCTPSHIM_ASSOC_OPTS_H
#define SCTPSHIM_ASSOC_OPTS_H

#include <pthread.h>
#include <stdint.h>

#include "usrsctp/stack.h"

struct assoc_opts_entry;

/* One socket's entries. */
struct assoc_opts {
    struct assoc_opts_entry *head;
    pthread_mutex_t lock;
};

struct assoc_vals {
    struct stk_sndinfo defaults;
    uint32_t events; /* a bit per enum stk_notif_type */
};

void assoc_opts_init(struct assoc_opts *t);
void assoc_opts_free(struct assoc_opts *t);
/* Association id's values: its own, or the socket's (sock). */
struct assoc_vals assoc_opts_get(struct assoc_opts *t, uint32_t id,
                                 const struct assoc_vals *sock);
/* live lists the socket's associations: those without an entry get one
 * with the socket's values, entries of the others go. */
void assoc_opts_pin(struct assoc_opts *t, const uint32_t *live, int n,
                    const struct assoc_vals *sock);
void assoc_opts_set(struct assoc_opts *t, uint32_t id,
                    const struct assoc_vals *v);
/* Every entry: event bits of mask as in value. */
void assoc_opts_set_all_events(struct assoc_opts *t, uint32_t mask,
                               uint32_t value);
/* Peel-off: association id's entry goes; its values are returned. */
struct assoc_vals assoc_opts_take(struct assoc_opts *t, uint32_t id,
                                  const struct assoc_vals *sock);

#endif
