/* A one-to-many socket's associations with values of their own (send
 * defaults, event subscriptions: core/assoc_opts.h), seen from the Linux
 * side; a one-to-one socket's association has the socket's. */
#ifndef SCTPSHIM_LX_ASSOC_H
#define SCTPSHIM_LX_ASSOC_H

#include <stdint.h>

#include "core/sock.h"

struct assoc_vals lx_assoc_vals(struct ssock *s, uint32_t id);
/* The socket's values are about to change: its associations keep theirs. */
int lx_assoc_pin(struct ssock *s);
void lx_assoc_set_defaults(struct ssock *s, uint32_t id,
                           const struct stk_sndinfo *d);
void lx_assoc_set_events(struct ssock *s, uint32_t id, uint32_t events);

#endif
