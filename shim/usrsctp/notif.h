/* usrsctp's notification layout decoded into the neutral form, with
 * usrsctp's own association numbers (stk_decode_notif translates them).
 * Apart from the I/O so that the unit tests feed it notifications built
 * by hand, without a stack. */
#ifndef SCTPSHIM_STK_NOTIF_H
#define SCTPSHIM_STK_NOTIF_H

#include <stddef.h>

#include "usrsctp/stack.h"

int usr_decode_notif(const void *buf, size_t len, struct stk_notif *n);

#endif
