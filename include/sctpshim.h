/* sctpshim: SCTP sockets for unmodified Linux programs on kernels without
 * SCTP, through the userland stack usrsctp, loaded with LD_PRELOAD.
 *
 * Programs need nothing from this header to use the shim: they call the
 * ordinary socket API and libsctp.  It is for programs that want to know
 * whether the shim is present, and for the shim's configuration names. */
#ifndef SCTPSHIM_H
#define SCTPSHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#define SCTPSHIM_VERSION "0.1.0"

/* Environment variables the shim reads (all optional):
 *   SCTPSHIM_DEBUG=1           one line on stderr per unsupported call
 *   SCTPSHIM_TRANSPORT=raw     raw IP (protocol 132) instead of UDP
 *   SCTPSHIM_UDP_PORT=N        this process's UDP encapsulation port
 *   SCTPSHIM_UDP_PEER_PORT=N   encapsulation port of peers on other hosts
 *   SCTPSHIM_LINGER_MS=N       how long exit waits for queued data */
#define SCTPSHIM_ENV_DEBUG "SCTPSHIM_DEBUG"
#define SCTPSHIM_ENV_TRANSPORT "SCTPSHIM_TRANSPORT"
#define SCTPSHIM_ENV_UDP_PORT "SCTPSHIM_UDP_PORT"
#define SCTPSHIM_ENV_UDP_PEER_PORT "SCTPSHIM_UDP_PEER_PORT"
#define SCTPSHIM_ENV_LINGER_MS "SCTPSHIM_LINGER_MS"

/* The shim's version when it is loaded.  Declared weak so that a program
 * can test for the shim: the address is null without it. */
const char *sctpshim_version(void) __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif
