/* The neutral boundary between the Linux SCTP ABI side of the shim and
 * the usrsctp side.  This header includes neither <netinet/sctp.h> nor
 * <usrsctp.h>: both define the same names with different values, so every
 * value that crosses over is spelled here in the shim's own terms and each
 * side translates by table. */
#ifndef SCTPSHIM_STACK_H
#define SCTPSHIM_STACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

struct stk_sock;

/* Called from usrsctp's threads (or inline in a usrsctp call) whenever the
 * socket's readiness may have changed. */
typedef void (*stk_upcall_fn)(void *arg);

enum stk_events { STK_EV_READ = 1, STK_EV_WRITE = 2, STK_EV_ERROR = 4 };

/* Per-message flags (sinfo_flags / snd_flags / rcv_flags). */
enum stk_msg_flags {
    STK_F_UNORDERED = 1 << 0,
    STK_F_ADDR_OVER = 1 << 1,
    STK_F_ABORT = 1 << 2,
    STK_F_EOF = 1 << 3,
    STK_F_SENDALL = 1 << 4,
    STK_F_SACK_IMMEDIATELY = 1 << 5,
    STK_F_NOTIFICATION = 1 << 6, /* receive side: the message is an event */
    STK_F_EOR = 1 << 7,          /* receive side: last piece of a message */
    STK_F_TRUNC = 1 << 8,
};

enum stk_pr_policy { STK_PR_NONE = 0, STK_PR_TTL, STK_PR_RTX, STK_PR_PRIO };

struct stk_sndinfo {
    uint16_t sid;
    uint16_t flags; /* enum stk_msg_flags */
    uint32_t ppid;
    uint32_t context;
    uint32_t assoc_id;
    uint16_t pr_policy; /* enum stk_pr_policy */
    uint32_t pr_value;
};

struct stk_rcvinfo {
    int valid;
    uint16_t sid;
    uint16_t ssn;
    uint16_t flags; /* STK_F_UNORDERED */
    uint32_t ppid;
    uint32_t tsn;
    uint32_t cumtsn;
    uint32_t context;
    uint32_t assoc_id;
    /* The message after this one, when SCTP_RECVNXTINFO is on and one
     * is already waiting. */
    int nxt_valid;
    uint16_t nxt_sid;
    uint16_t nxt_flags; /* STK_F_UNORDERED, STK_F_NOTIFICATION, STK_F_EOR */
    uint32_t nxt_ppid;
    uint32_t nxt_length;
    uint32_t nxt_assoc_id;
};

/* Notification kinds the shim can carry between the two ABIs. */
enum stk_notif_type {
    STK_N_NONE = 0,
    STK_N_ASSOC_CHANGE,
    STK_N_PEER_ADDR_CHANGE,
    STK_N_REMOTE_ERROR,
    STK_N_SEND_FAILED_EVENT,
    STK_N_SHUTDOWN_EVENT,
    STK_N_ADAPTATION_INDICATION,
    STK_N_PARTIAL_DELIVERY_EVENT,
    STK_N_AUTHENTICATION_EVENT,
    STK_N_SENDER_DRY_EVENT,
    STK_N_STREAM_RESET_EVENT,
    STK_N_ASSOC_RESET_EVENT,
    STK_N_STREAM_CHANGE_EVENT,
    STK_N_SEND_FAILED, /* the deprecated form, subscribable only on Linux */
    STK_N_DATA_IO,     /* the old SCTP_EVENTS "data io" switch */
    STK_N_COUNT
};

enum stk_assoc_state {
    STK_COMM_UP = 1,
    STK_COMM_LOST,
    STK_RESTART,
    STK_SHUTDOWN_COMP,
    STK_CANT_STR_ASSOC
};

enum stk_paddr_state {
    STK_ADDR_AVAILABLE = 1,
    STK_ADDR_UNREACHABLE,
    STK_ADDR_REMOVED,
    STK_ADDR_ADDED,
    STK_ADDR_MADE_PRIM,
    STK_ADDR_CONFIRMED
};

/* Notification details whose values differ between the two ABIs, in
 * neutral form: sn_flags of a send failure (struct stk_notif flags), of
 * the reset and stream change events (a bit set), and the indications of
 * the partial delivery and authentication events (value / value3).
 * (Values unlike either ABI's, so that a value passed through untranslated
 * shows in the tests.) */
enum stk_ssf_flag { STK_SSF_UNSENT = 0x10, STK_SSF_SENT = 0x20 };
enum stk_reset_flag {
    STK_RF_INCOMING = 1 << 8,
    STK_RF_OUTGOING = 1 << 9,
    STK_RF_DENIED = 1 << 10,
    STK_RF_FAILED = 1 << 11,
};
enum stk_pdapi_ind { STK_PDAPI_ABORTED = 0x10 };
enum stk_auth_ind {
    STK_AUTH_NEW_KEY = 0x10,
    STK_AUTH_NO_AUTH = 0x20,
    STK_AUTH_FREE_KEY = 0x30,
};

/* A decoded notification; which fields are meaningful depends on type. */
struct stk_notif {
    int type;
    uint16_t flags;  /* neutral: enum stk_ssf_flag / stk_reset_flag */
    uint32_t assoc_id;
    uint16_t state;  /* assoc / peer address state */
    uint16_t error;  /* sac_error, spc_error, sre_error, ssf_error */
    uint16_t outbound_streams, inbound_streams;
    struct sockaddr_storage addr; /* peer address change */
    uint32_t value;  /* adaptation indication, pdapi indication, auth key */
    uint32_t value2; /* pdapi stream, auth alt key */
    uint32_t value3; /* pdapi seq, auth indication */
    struct stk_sndinfo snd; /* send failed */
    const void *data;       /* assoc change info, remote error, unsent data */
    size_t data_len;
};

/* Option identifiers understood by stk_setopt/stk_getopt.  The Linux side
 * translates option numbers and structure layouts into these. */
enum stk_opt {
    STK_O_SNDBUF = 1,
    STK_O_RCVBUF,
    STK_O_LINGER,      /* int[2]: onoff, seconds */
    STK_O_ERROR,       /* int */
    STK_O_NODELAY,     /* int */
    STK_O_INITMSG,     /* uint16 out, uint16 in, uint16 attempts, uint16 timeo */
    STK_O_MAXSEG,      /* int */
    STK_O_DISABLE_FRAGMENTS, /* int */
    STK_O_AUTOCLOSE,   /* int */
    STK_O_EVENT,       /* uint32 assoc, uint16 neutral type, uint8 on */
    STK_O_STATUS,      /* struct stk_status */
    STK_O_RTOINFO,     /* uint32 assoc, initial, max, min */
    STK_O_ASSOCINFO,   /* struct stk_assocparams */
    STK_O_REUSE_PORT,  /* int */
    STK_O_RECVNXTINFO, /* int */
    STK_O_ADAPTATION,  /* uint32: the adaptation layer indication to send */
};

struct stk_initmsg {
    uint16_t num_ostreams, max_instreams, max_attempts, max_init_timeo;
};

struct stk_status {
    uint32_t assoc_id;
    int32_t state; /* neutral: enum stk_conn_state */
    uint32_t rwnd;
    uint16_t unackdata, penddata, instrms, outstrms;
    uint32_t fragmentation_point;
    struct sockaddr_storage primary;
    int32_t primary_state;
    uint32_t primary_cwnd, primary_srtt, primary_rto, primary_mtu;
};

enum stk_conn_state {
    STK_S_CLOSED = 0, STK_S_COOKIE_WAIT, STK_S_COOKIE_ECHOED, STK_S_ESTABLISHED,
    STK_S_SHUTDOWN_PENDING, STK_S_SHUTDOWN_SENT, STK_S_SHUTDOWN_RECEIVED,
    STK_S_SHUTDOWN_ACK_SENT
};

struct stk_assocparams {
    uint32_t assoc_id;
    uint16_t asocmaxrxt, number_peer_destinations;
    uint32_t peer_rwnd, local_rwnd, cookie_life;
};

struct stk_rtoinfo {
    uint32_t assoc_id, initial, max, min;
};

/* Set up the stack once per process (or once again in a fork child).
 * Returns 0, or -1 with errno. */
int stk_global_init(void);
/* The UDP encapsulation port this process listens on, 0 in raw mode. */
uint16_t stk_local_udp_port(void);
int stk_is_raw_mode(void);
/* Called in a fork child: the parent's stack is unusable here. */
void stk_forget_after_fork(void);
/* At exit: gracefully close what is open and wait, bounded, until the
 * associations are gone. */
void stk_drain_at_exit(int linger_ms);

struct stk_sock *stk_socket(int family, int one_to_many, stk_upcall_fn fn,
                            void *arg);
/* The caller holds the gate shut (gate.h)... */
void stk_close(struct stk_sock *s, int abortive);
/* ...or this shuts it around the close. */
void stk_close_gated(struct stk_sock *s, int abortive);
void stk_detach_upcall(struct stk_sock *s);
int stk_events(struct stk_sock *s);

int stk_bind(struct stk_sock *s, const struct sockaddr *sa, socklen_t len);
int stk_bindx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
              int add);
int stk_listen(struct stk_sock *s, int backlog);
struct stk_sock *stk_accept(struct stk_sock *s, struct sockaddr *sa,
                            socklen_t *len, stk_upcall_fn fn, void *arg);
/* remote_udp_port is the peer's encapsulation port (network order), or 0. */
int stk_connectx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
                 uint16_t remote_udp_port, uint32_t *assoc_id);
int stk_set_remote_udp_port(struct stk_sock *s, uint16_t port);
int stk_shutdown(struct stk_sock *s, int how);

/* On success with a destination address, info->assoc_id is set to the
 * association the message went to (a new one for an implicit set-up). */
ssize_t stk_sendv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  const struct sockaddr *to, int tocnt,
                  struct stk_sndinfo *info);
/* Receive into iov.  *flags gets STK_F_EOR / STK_F_NOTIFICATION.
 * peek: MSG_PEEK semantics. */
ssize_t stk_recvv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  struct sockaddr *from, socklen_t *fromlen,
                  struct stk_rcvinfo *info, int *flags, int peek);
/* Decode a notification received with STK_F_NOTIFICATION. */
int stk_decode_notif(const void *buf, size_t len, struct stk_notif *n);

/* Whether a one-to-one socket still has its association.  Not for use
 * from an upcall (it takes the association's lock). */
int stk_assoc_alive(struct stk_sock *s);
/* The association a one-to-many socket has with the peer at sa: 0 and
 * *id, or -1 when there is none. */
int stk_assoc_lookup(struct stk_sock *s, const struct sockaddr *sa,
                     uint32_t *id);
/* Every association of a one-to-many socket: the count, with *ids
 * malloc'ed (NULL when none), or -1/errno. */
int stk_assoc_list(struct stk_sock *s, uint32_t **ids);
int stk_setopt(struct stk_sock *s, int opt, const void *val, size_t len);
int stk_getopt(struct stk_sock *s, int opt, void *val, size_t *len);

/* Address lists; *out is malloc'ed (sockaddr_in/in6 packed). */
int stk_getaddrs(struct stk_sock *s, int peer, uint32_t assoc_id,
                 struct sockaddr **out);

int stk_is_nonblocking_errno(int e);
/* Non-zero while this thread is inside a call the shim made into usrsctp:
 * descriptors created or closed then are the stack's own. */
int stk_inside(void);
/* The socket() hook reports each descriptor usrsctp opens. */
void stk_note_stack_fd(int fd);

#endif
