/* What happens around the shim's sockets at first use, fork and exit. */
#ifndef SCTPSHIM_LIFECYCLE_H
#define SCTPSHIM_LIFECYCLE_H

/* Registers the fork and exit handlers, once, when the process opens its
 * first SCTP socket (a process that never does is left alone). */
int lifecycle_first_socket(void);

#endif
