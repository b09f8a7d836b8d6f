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
    uint8_t data_flags;     /* send failed: the DATA chunk's flags (E 0x01,
                               B 0x02, U 0x04, I 0x08), wire values */
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
    STK_O_MAXSEG,      /* struct stk_assoc_value */
    STK_O_DISABLE_FRAGMENTS, /* int */
    STK_O_AUTOCLOSE,   /* int */
    STK_O_EVENT,       /* uint32 assoc, uint16 neutral type, uint8 on */
    STK_O_STATUS,      /* struct stk_status */
    STK_O_RTOINFO,     /* uint32 assoc, initial, max, min */
    STK_O_ASSOCINFO,   /* struct stk_assocparams */
    STK_O_REUSE_PORT,  /* int */
    STK_O_RECVNXTINFO, /* int */
    STK_O_ADAPTATION,  /* uint32: the adaptation layer indication to send */
    STK_O_FRAGMENT_INTERLEAVE,    /* int */
    STK_O_PARTIAL_DELIVERY_POINT, /* int */
    STK_O_AUTO_ASCONF,            /* int */
    /* struct stk_assoc_value: */
    STK_O_MAX_BURST,
    STK_O_CONTEXT,
    STK_O_PR_SUPPORTED,
    STK_O_RECONFIG_SUPPORTED,
    STK_O_ENABLE_STREAM_RESET, /* value: enum stk_strreset bits */
    STK_O_AUTH_SUPPORTED,
    STK_O_ASCONF_SUPPORTED,
    STK_O_ECN_SUPPORTED,
    STK_O_PADDR_PARAMS,  /* struct stk_paddrparams */
    STK_O_DELAYED_SACK,  /* struct stk_sack_info */
    STK_O_PADDR_INFO,    /* struct stk_paddrinfo (get) */
    STK_O_PRIMARY_ADDR,  /* struct stk_prim */
    STK_O_PEER_PRIMARY_ADDR, /* struct stk_prim (set) */
    STK_O_AUTH_CHUNK,        /* uint8_t: a chunk type to authenticate (set) */
    STK_O_HMAC_IDENT,        /* struct stk_hmacs */
    STK_O_AUTH_KEY,          /* struct stk_authkey, then the key (set) */
    STK_O_AUTH_ACTIVE_KEY,   /* struct stk_authkeyid */
    STK_O_AUTH_DELETE_KEY,   /* struct stk_authkeyid (set) */
    STK_O_AUTH_DEACTIVATE_KEY, /* struct stk_authkeyid (set) */
    STK_O_PEER_AUTH_CHUNKS,  /* struct stk_chunks (get) */
    STK_O_LOCAL_AUTH_CHUNKS, /* struct stk_chunks (get) */
    STK_O_RESET_STREAMS,     /* struct stk_reset_streams, then the list (set) */
    STK_O_RESET_ASSOC,       /* uint32_t: the association (set) */
    STK_O_ADD_STREAMS,       /* struct stk_add_streams (set) */
    STK_O_PR_ASSOC_STATUS,   /* struct stk_prstatus (get) */
    STK_O_PR_STREAM_STATUS,  /* struct stk_prstatus (get) */
};

/* HMAC identifiers and chunk types are the wire's (RFC 4895). */
struct stk_hmacs {
    uint32_t n;
    uint16_t ids[16];
};

struct stk_authkey {
    uint32_t assoc_id;
    uint16_t keynumber, keylength;
    uint8_t key[];
};

struct stk_authkeyid {
    uint32_t assoc_id;
    uint16_t keynumber;
};

struct stk_chunks {
    uint32_t assoc_id;
    uint32_t n;
    uint8_t types[256];
};

enum stk_reset_dir { STK_RESET_INCOMING = 1 << 4, STK_RESET_OUTGOING = 1 << 5 };

struct stk_reset_streams {
    uint32_t assoc_id;
    uint16_t flags; /* enum stk_reset_dir */
    uint16_t n;     /* 0: all streams */
    uint16_t list[];
};

struct stk_add_streams {
    uint32_t assoc_id;
    uint16_t in, out;
};

/* Abandoned messages of a policy (enum stk_pr_policy, or STK_PR_ALL),
 * of the association or of one stream. */
#define STK_PR_ALL 0x80
struct stk_prstatus {
    uint32_t assoc_id;
    uint16_t sid, policy;
    uint64_t abandoned_unsent, abandoned_sent;
};

/* An association (or 0-2: FUTURE, CURRENT, ALL) and a value.  MAXSEG
 * takes it too. */
struct stk_assoc_value {
    uint32_t assoc_id, value;
};

/* Which stream reset requests an association takes. */
enum stk_strreset {
    STK_RESET_STREAM_REQ = 1 << 4,
    STK_RESET_ASSOC_REQ = 1 << 5,
    STK_CHANGE_ASSOC_REQ = 1 << 6,
};

/* Path parameters (SCTP_PEER_ADDR_PARAMS, less the SACK delay, which is
 * STK_O_DELAYED_SACK).  An address of family 0 names no path. */
enum stk_spp_flag {
    STK_SPP_HB_ENABLE = 1 << 8,
    STK_SPP_HB_DISABLE = 1 << 9,
    STK_SPP_HB_DEMAND = 1 << 10,
    STK_SPP_PMTUD_ENABLE = 1 << 11,
    STK_SPP_PMTUD_DISABLE = 1 << 12,
    STK_SPP_HB_TIME_IS_ZERO = 1 << 13,
    STK_SPP_IPV6_FLOWLABEL = 1 << 14,
    STK_SPP_DSCP = 1 << 15,
};

/* pathmtu is an IP MTU, as Linux counts it. */
struct stk_paddrparams {
    uint32_t assoc_id;
    struct sockaddr_storage addr;
    uint32_t hbinterval;
    uint16_t pathmaxrxt;
    uint32_t pathmtu;
    uint32_t flags; /* enum stk_spp_flag */
    uint32_t ipv6_flowlabel;
    uint8_t dscp;
};

/* freq 1: every packet acknowledged at once (no delayed SACK). */
struct stk_sack_info {
    uint32_t assoc_id, delay, freq;
};

enum stk_path_state {
    STK_PATH_INACTIVE = 0x10,
    STK_PATH_PF,
    STK_PATH_ACTIVE,
    STK_PATH_UNCONFIRMED,
    STK_PATH_UNKNOWN,
};

struct stk_paddrinfo {
    uint32_t assoc_id;
    struct sockaddr_storage addr;
    int32_t state; /* enum stk_path_state */
    uint32_t cwnd, srtt, rto, mtu;
};

struct stk_prim {
    uint32_t assoc_id;
    struct sockaddr_storage addr;
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
    int32_t primary_state; /* enum stk_path_state */
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
/* The stack's packet sockets (at most max): a fork child closes its
 * parent's, which would otherwise keep the parent's UDP port, and its
 * packets, after the parent is gone. */
int stk_packet_fds(int *fds, int max);
/* Under SCTPSHIM_DEBUG: one line with the packets dropped for a bad
 * CRC32c, if any. */
void stk_log_stats(void);

struct stk_sock *stk_socket(int family, int one_to_many, stk_upcall_fn fn,
                            void *arg);
/* The caller holds the gate shut (gate.h)... */
void stk_close(struct stk_sock *s, int abortive);
/* ...or this shuts it around the close. */
void stk_close_gated(struct stk_sock *s, int abortive);
void stk_detach_upcall(struct stk_sock *s);
/* For a socket the program has let go of: from now on each upcall only
 * calls wake (the same function for every such socket). */
void stk_set_wake(struct stk_sock *s, void (*wake)(void));
/* Ends every association of s as Linux's close() does: established ones
 * with SHUTDOWN once their queued data is acknowledged (abortive = 0), the
 * others, or all when abortive, with ABORT; a one-to-many socket accepts
 * no new ones.  Returns how many are left to finish. */
int stk_end_assocs(struct stk_sock *s, int abortive);
/* How many associations s still has (established or shutting down); one
 * that came up after the close is aborted. */
int stk_assocs_left(struct stk_sock *s);
/* How many of them still owe the peer something: data it has not
 * acknowledged, or a SHUTDOWN it has not answered (when it sent its own
 * SHUTDOWN first, only the last answer is left, and that is not counted);
 * *rto_ms, the longest retransmission timeout among them all. */
int stk_assocs_owing(struct stk_sock *s, int *rto_ms);
int stk_events(struct stk_sock *s);

int stk_bind(struct stk_sock *s, const struct sockaddr *sa, socklen_t len);
int stk_bindx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
              int add);
/* How many local addresses the socket's endpoint is bound to (a
 * wildcard binding counts one), -1 when it is not bound. */
int stk_bound_count(struct stk_sock *s);
int stk_listen(struct stk_sock *s, int backlog);
struct stk_sock *stk_accept(struct stk_sock *s, struct sockaddr *sa,
                            socklen_t *len, stk_upcall_fn fn, void *arg);
/* remote_udp_port is the peer's encapsulation port (network order), or 0. */
int stk_connectx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
                 uint16_t remote_udp_port, uint32_t *assoc_id);
int stk_set_remote_udp_port(struct stk_sock *s, uint16_t port);
/* A one-to-one socket whose association failed or ended gets a fresh
 * stack socket with the same options and local addresses, so that it
 * can connect again (see renew.c). */
int stk_renew(struct stk_sock *s);
/* Association assoc_id of a one-to-many socket moves, with its queued
 * data and its id, to a new one-to-one socket: that socket, or NULL with
 * errno. */
struct stk_sock *stk_peeloff(struct stk_sock *s, uint32_t assoc_id,
                             stk_upcall_fn fn, void *arg);
/* Whether an association of the process still has this id. */
int stk_assoc_id_in_use(uint32_t assoc_id);
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
/* Decode a notification received on s with STK_F_NOTIFICATION. */
int stk_decode_notif(struct stk_sock *s, const void *buf, size_t len,
                     struct stk_notif *n);

/* Where the peer of a one-to-one socket stands: sending, shut down (its
 * SHUTDOWN received, the association still alive), or gone with its
 * association.  Not for use from an upcall (it takes the association's
 * lock). */
enum { STK_PEER_SENDING, STK_PEER_SHUT, STK_PEER_GONE };
int stk_peer_state(struct stk_sock *s);
/* Whether id names an association of s (always true of a one-to-one
 * socket, which ignores ids as Linux does). */
int stk_assoc_exists(struct stk_sock *s, uint32_t id);
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

/* The tap (usrsctp/tap.c): every packet the stack sends (through
 * stk_wire_sendmsg) or receives on its own descriptors is looked at for
 * SCTPSHIM_PCAP, SCTPSHIM_STATS and the association events of
 * SCTPSHIM_DEBUG.  A packet the stack's receive thread has just read
 * (len bytes): */
void stk_wire_received(const struct msghdr *msg, size_t len);
/* The watch thread's tick: what is buffered for the capture file goes
 * out. */
void stk_wire_tick(void);
/* The program's descriptor for s, as the wire's lines name it. */
void stk_set_fd(struct stk_sock *s, int fd);

int stk_is_nonblocking_errno(int e);
/* Non-zero while this thread is inside a call the shim made into usrsctp:
 * descriptors created or closed then are the stack's own. */
int stk_inside(void);
/* The socket() hook reports each descriptor usrsctp opens. */
void stk_note_stack_fd(int fd);
/* usrsctp's own sendmsg and recvmsg on those descriptors, which the hook
 * hands over (wire.c). */
ssize_t stk_wire_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t stk_wire_recvmsg(int fd, struct msghdr *msg, int flags);
/* Local addresses (addrs.c): make sure the stack knows sa, which the
 * kernel calls local (bound, or connected to, on this host); bring the
 * stack's list in line with the interfaces' after they changed. */
void stk_addr_ensure(const struct sockaddr *sa);
void stk_addrs_sync(void);
/* Peers on this host: the stack calls fn (from its receive thread) with
 * the UDP port of each shimmed peer process it starts an association
 * with, and fn answers the pid of the process that holds that port now
 * (0: none known); stk_peer_gone says that process died, and the stack
 * then ends the associations it had with it as if the peer had sent an
 * ABORT.  By pid, not by port alone: a UDP port (9899 above all) is taken
 * again by a new process as soon as its holder exits, and the news of
 * the death can come after the new process's first association. */
void stk_on_local_peer(int (*fn)(uint16_t udp_port));
void stk_peer_gone(uint16_t udp_port, int pid);

/* Same-host timing (README, "How it works").  On loopback Linux handles
 * a packet inside the system call that sends it; here a packet waits on
 * the stack's UDP socket for a receive thread.  stk_backlog() says
 * whether anything of this process's stack is queued or being handled
 * (an ioctl per stack socket, no lock); stk_settle() waits until
 * nothing is, or done(arg) says the caller can go on, or the stack has
 * handled STK_SETTLE_PACKETS packets meanwhile (a busy stack never
 * empties its queue, and what was queued first is handled first), at
 * most max_us.  The caller holds no gate (gate.h). */
#define STK_SETTLE_PACKETS 8
/* How long a same-host wait may last (before EAGAIN, in a close; twice
 * this in a non-blocking connect, which waits for four packets): a
 * millisecond is the usual, and the bound is for a busy machine, where a
 * receive thread can be kept off a CPU for tens of milliseconds (10 ms
 * lost a race now and then with two sanitizer builds running). */
#define STK_SAMEHOST_MAX_US 50000
int stk_backlog(void);
void stk_settle(long max_us, int (*done)(void *), void *arg);

#endif
