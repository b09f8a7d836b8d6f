/* The socket options past opt.c's, family by family: stk_setopt and
 * stk_getopt hand each option down this chain until one file takes it;
 * the last answers ENOPROTOOPT.  Only files of usrsctp/ include this. */
#ifndef SCTPSHIM_STK_OPT_EXT_H
#define SCTPSHIM_STK_OPT_EXT_H

#include <stddef.h>

struct stk_sock;

/* Paths: parameters, SACK delay, path info, primary (opt_path.c). */
int usr_path_setopt(struct stk_sock *s, int opt, const void *v, size_t len);
int usr_path_getopt(struct stk_sock *s, int opt, void *v, size_t *len);
/* An association's or the endpoint's single values (opt_values.c). */
int usr_values_setopt(struct stk_sock *s, int opt, const void *v, size_t len);
int usr_values_getopt(struct stk_sock *s, int opt, void *v, size_t *len);
/* Authentication: chunks, HMACs, keys (opt_auth.c). */
int usr_auth_setopt(struct stk_sock *s, int opt, const void *v, size_t len);
int usr_auth_getopt(struct stk_sock *s, int opt, void *v, size_t *len);
/* Streams: reset, added, and what PR-SCTP abandoned (opt_streams.c). */
int usr_streams_setopt(struct stk_sock *s, int opt, const void *v, size_t len);
int usr_streams_getopt(struct stk_sock *s, int opt, void *v, size_t *len);

#endif
