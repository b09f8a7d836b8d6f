/* Builds notifications in the Linux layout from the neutral form. */
#ifndef SCTPSHIM_LX_NOTIF_H
#define SCTPSHIM_LX_NOTIF_H

#include <stddef.h>

#include "usrsctp/stack.h"

/* Writes the Linux notification into out (at most cap bytes) and returns
 * its full length, or 0 when Linux has no such notification. */
size_t lx_notif_encode(const struct stk_notif *n, void *out, size_t cap);
/* Chooses the form Linux would deliver for the program's subscriptions
 * (a bit per enum stk_notif_type): the old SEND_FAILED or the new one. */
void lx_notif_pick_form(struct stk_notif *n, uint32_t subscribed);
struct ssock;
/* The same, and addresses as this socket shows them (notif_sock.c). */
void lx_notif_for_socket(struct ssock *s, struct stk_notif *n);

#endif
