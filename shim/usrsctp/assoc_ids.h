/* Association ids the program sees, unique across the process.
 *
 * Linux numbers associations system-wide (never 0-2, which mean FUTURE,
 * CURRENT and ALL); usrsctp numbers them per socket, so two sockets both
 * have an association 3.  Every id crosses stack.h, so the usrsctp side
 * translates each one there: above the boundary an id names one
 * association of the process, below it usrsctp's own number on that
 * socket.  Only files of usrsctp/ include this header. */
#ifndef SCTPSHIM_STK_ASSOC_IDS_H
#define SCTPSHIM_STK_ASSOC_IDS_H

#include <stdint.h>

struct stk_sock;

/* The process-wide id of the association s numbers local; a new one the
 * first time.  0-2 (FUTURE, CURRENT, ALL) are not associations and pass
 * unchanged. */
uint32_t ids_out(struct stk_sock *s, uint32_t local);
/* usrsctp's number for a process-wide id on s: 0, or -1 when the id is
 * none of s's associations.  0-2 pass unchanged, and so does any id on a
 * one-to-one socket, whose only association needs no id. */
int ids_in(struct stk_sock *s, uint32_t global, uint32_t *local);
/* The same for a socket option's id: -1 with EINVAL, Linux's answer to
 * an association the socket does not have. */
int ids_in_checked(struct stk_sock *s, uint32_t global, uint32_t *local);
/* A peeled-off association moves to its new socket with its id. */
void ids_move(struct stk_sock *from, struct stk_sock *to, uint32_t local);
/* Whether global is some socket's association's. */
int ids_known(uint32_t global);
/* The socket is closed: its ids are free again. */
void ids_drop_sock(struct stk_sock *s);
/* usrsctp's own numbers of the socket's associations: the count, with
 * *ids malloc'ed (NULL when none), or -1/errno. */
int usr_assoc_ids(struct stk_sock *s, uint32_t **ids);
/* Fork child: the parent's table is not this stack's. */
void ids_forget_after_fork(void);

#endif
