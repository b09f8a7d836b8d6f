/* usrsctp entry points, reached through a table filled by dlopen.  Loading
 * lazily keeps processes that never open an SCTP socket free of usrsctp,
 * and lets a fork child load a fresh, private instance of the stack: the
 * parent's copy in the child has no threads and may hold locked mutexes.
 * Only usrsctp-side files include this header. */
#ifndef SCTPSHIM_USR_API_H
#define SCTPSHIM_USR_API_H

#include <usrsctp.h>

#define USR_FUNCS(X)                                                        \
    X(void, usrsctp_init, (uint16_t, int (*)(void *, void *, size_t, uint8_t, \
                                             uint8_t),                     \
                           void (*)(const char *, ...)))                    \
    X(struct socket *, usrsctp_socket,                                      \
      (int, int, int,                                                       \
       int (*)(struct socket *, union sctp_sockstore, void *, size_t,       \
               struct sctp_rcvinfo, int, void *),                          \
       int (*)(struct socket *, uint32_t, void *), uint32_t, void *))       \
    X(int, usrsctp_setsockopt, (struct socket *, int, int, const void *,    \
                                socklen_t))                                 \
    X(int, usrsctp_getsockopt, (struct socket *, int, int, void *,          \
                                socklen_t *))                               \
    X(int, usrsctp_getpaddrs, (struct socket *, sctp_assoc_t,               \
                               struct sockaddr **))                         \
    X(void, usrsctp_freepaddrs, (struct sockaddr *))                        \
    X(int, usrsctp_getladdrs, (struct socket *, sctp_assoc_t,               \
                               struct sockaddr **))                         \
    X(void, usrsctp_freeladdrs, (struct sockaddr *))                        \
    X(ssize_t, usrsctp_sendv, (struct socket *, const void *, size_t,       \
                               struct sockaddr *, int, void *, socklen_t,   \
                               unsigned int, int))                          \
    X(ssize_t, usrsctp_recvv, (struct socket *, void *, size_t,             \
                               struct sockaddr *, socklen_t *, void *,      \
                               socklen_t *, unsigned int *, int *))         \
    X(int, usrsctp_bind, (struct socket *, struct sockaddr *, socklen_t))   \
    X(int, usrsctp_bindx, (struct socket *, struct sockaddr *, int, int))   \
    X(int, usrsctp_listen, (struct socket *, int))                          \
    X(struct socket *, usrsctp_accept, (struct socket *, struct sockaddr *, \
                                        socklen_t *))                       \
    X(int, usrsctp_connectx, (struct socket *, const struct sockaddr *,     \
                              int, sctp_assoc_t *))                         \
    X(void, usrsctp_close, (struct socket *))                               \
    X(int, usrsctp_finish, (void))                                          \
    X(int, usrsctp_shutdown, (struct socket *, int))                        \
    X(int, usrsctp_set_non_blocking, (struct socket *, int))                \
    X(int, usrsctp_set_upcall, (struct socket *,                            \
                                void (*)(struct socket *, void *, int),     \
                                void *))                                    \
    X(int, usrsctp_get_events, (struct socket *))                           \
    X(sctp_assoc_t, usrsctp_getassocid, (struct socket *, struct sockaddr *)) \
    X(int, usrsctp_sysctl_set_sctp_blackhole, (uint32_t))                   \
    X(int, usrsctp_sysctl_set_sctp_abort_if_one_2_one_hits_limit, (uint32_t)) \
    X(int, usrsctp_sysctl_set_sctp_pr_enable, (uint32_t))                   \
    X(int, usrsctp_sysctl_set_sctp_ecn_enable, (uint32_t))                  \
    X(int, usrsctp_sysctl_set_sctp_auth_enable, (uint32_t))                 \
    X(int, usrsctp_sysctl_set_sctp_asconf_enable, (uint32_t))               \
    X(int, usrsctp_sysctl_set_sctp_reconfig_enable, (uint32_t))             \
    X(struct socket *, usrsctp_peeloff, (struct socket *, sctp_assoc_t))    \
    X(int, usrsctp_sysctl_set_sctp_sendspace, (uint32_t))                   \
    X(int, usrsctp_sysctl_set_sctp_recvspace, (uint32_t))                   \
    X(int, usrsctp_sysctl_set_sctp_debug_on, (uint32_t))                    \
    X(int, usrsctp_sysctl_set_sctp_init_rtx_max_default, (uint32_t))        \
    X(int, usrsctp_sysctl_set_sctp_no_csum_on_loopback, (uint32_t))         \
    X(void, usrsctp_get_stat, (struct sctpstat *))

struct usr_api {
#define USR_PTR(ret, name, args) ret(*name) args;
    USR_FUNCS(USR_PTR)
#undef USR_PTR
};

extern struct usr_api usr;

/* Loads a private instance of libusrsctp (each call a new one: a fork
 * child's stack is its own), whose references to its own names bind to
 * itself. */
int usr_load(void);
/* One of the loaded library's own symbols beyond its API, or NULL. */
void *usr_symbol(const char *name);

#endif
