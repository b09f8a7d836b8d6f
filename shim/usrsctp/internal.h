/* The usrsctp side's socket, shared by the files of usrsctp/ only. */
#ifndef SCTPSHIM_STK_INTERNAL_H
#define SCTPSHIM_STK_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

struct socket;
struct assoc_id;

struct stk_sock {
    struct socket *so;
    int family;
    int one_to_many;
    void (*fn)(void *arg); /* stk_upcall_fn */
    void *arg;
    uint16_t encaps_port; /* last SCTP_REMOTE_UDP_ENCAPS_PORT set, 0: none */
    int default_mtu;      /* path MTU new associations get, 0: usrsctp's */
    struct sockaddr_storage mtu_peer; /* the peer default_mtu was set for */
    int mtu_fixed;  /* the program set the endpoint's path MTU itself */
    int pmtud_told; /* the program switched path MTU discovery off, somewhere */
    struct sockaddr_storage bound;    /* first address bound, for listen */
    struct stk_sock *next, *prev;     /* every socket (socks.c) */
    uint16_t port;                    /* bound SCTP port (binds.c), host order */
    struct assoc_id *ids; /* its associations' process-wide ids */
    unsigned n_ids, ids_prune_at;
    int fd;               /* the program's descriptor, for log lines */
};

/* An association's error as Linux names it: usrsctp reports one it
 * aborted itself (retransmissions exhausted) as ECONNABORTED, Linux as
 * ETIMEDOUT. */
static inline int stk_errno_from_usr(int e)
{
    return e == ECONNABORTED ? ETIMEDOUT : e;
}

/* SCTP_STATUS of usrsctp's association id (0 on a one-to-one socket)
 * into *st (opt.c): 0, or -1 with errno. */
struct sctp_status;
int usr_status(struct stk_sock *s, uint32_t id, struct sctp_status *st);

/* A new usrsctp socket of s: non-blocking, receive info on, upcall. */
void stk_prepare(struct stk_sock *s);

/* Around usrsctp's bind, bindx, listen and close of an endpoint
 * (stack.c's ep_lock): one at a time, as under the kernel's port hash
 * lock. */
void usr_ep_lock(void);
void usr_ep_unlock(void);
/* Every socket (socks.c): listed from creation to close. */
void socks_add(struct stk_sock *s);
void socks_remove(struct stk_sock *s);
void socks_each(void (*fn)(struct stk_sock *s, void *arg), void *arg);
void socks_forget_after_fork(void);

/* A packet the stack is about to send, for the tap (tap.c). */
struct msghdr;
void usr_tap_out(const struct msghdr *msg);

/* RFC 6951's registered port for SCTP over UDP. */
#define STK_DEFAULT_UDP_PORT 9899

/* Non-zero while the shim itself calls into usrsctp on this thread: the
 * sockets usrsctp opens then are the stack's own, kept private. */
extern __thread int stk_in_stack;

/* The stack's packet sockets (sockets.c).  pk_start before usrsctp_init,
 * which opens them (each reported through stk_note_stack_fd), pk_setup
 * after it. */
void pk_start(int raw, uint16_t udp_port);
void pk_setup(void);
int pk_raw(void);
uint16_t pk_udp_port(void); /* host order; 0 in raw mode */
/* One of them is bound to the UDP port the process picked. */
int pk_holds_port(void);
/* How many packet sockets usrsctp opened (a receive thread each). */
int pk_count(void);
enum pk_kind { PK_NONE = 0, PK_UDP4, PK_UDP6, PK_RAW4, PK_RAW6 };
/* What fd is among them (PK_NONE: not one of them). */
int pk_kind(int fd);

/* Packets the shim hands usrsctp as received (inject.c): an ABORT from
 * `from` (the peer, with its UDP port) to `to` (our address); ports and
 * tag in network order.  inject_wake wakes the receive thread of a
 * family, inject_take hands it a queued packet (0: none). */
void inject_abort(const struct sockaddr *from, const struct sockaddr *to,
                  uint16_t sport, uint16_t dport, uint32_t vtag, int tbit);
/* The packets a dead same-host peer's kernel would still have sent: a
 * SHUTDOWN COMPLETE (for an association in SHUTDOWN-ACK-SENT), then an
 * ABORT. */
void inject_peer_death(const struct sockaddr *from, const struct sockaddr *to,
                       uint16_t sport, uint16_t dport, uint32_t vtag);
void inject_wake(int family);
ssize_t inject_take(int family, struct msghdr *msg);
extern int inject_pending;
void inject_forget_after_fork(void);

/* Associations with peers on this host (locals.c): each received packet
 * (sh: its first 16 bytes) is noted. */
void locals_note(int family, const struct msghdr *msg, const unsigned char *sh,
                 size_t len);
/* Where a datagram the stack received arrived: our address and the
 * interface (from IP_PKTINFO / IPV6_PKTINFO); and lo's index. */
int packet_arrival(const struct msghdr *msg, int family,
                   struct sockaddr_storage *to, unsigned *ifindex);
unsigned loopback_index(void);
void locals_forget_after_fork(void);

/* Local addresses per SCTP port (binds.c).  binds_add with ref takes
 * the socket's reference on the port (bind), without it adds addresses
 * (bindx); an accepted socket takes one with binds_ref; close releases.
 * binds_source: the source address a packet from sport to dst leaves
 * from, given the one usrsctp picked (may be NULL): -1 when the kernel's
 * own choice is right (a wildcard endpoint). */
void binds_add(uint16_t port, const struct sockaddr *addrs, int cnt, int ref);
void binds_remove(uint16_t port, const struct sockaddr *addrs, int cnt);
void binds_ref(uint16_t port);
void binds_release(uint16_t port);
int binds_source(uint16_t sport, const struct sockaddr *dst,
                 const struct sockaddr *picked, struct sockaddr_storage *src);
/* Our address on the path from sport to peer: binds_source's choice, or
 * the route's for a wildcard endpoint. */
int binds_local_for(uint16_t sport, const struct sockaddr *peer,
                    struct sockaddr_storage *local);
void binds_forget_after_fork(void);

/* ICMP errors about the stack's packets (icmp.c): icmp_drain reads a
 * socket's error queue (anywhere), icmp_apply acts on what it found
 * (between packets on a stack thread). */
void icmp_drain(int fd);
void icmp_apply(void);
extern int icmp_pending;
void icmp_forget_after_fork(void);
/* The errno a send or receive reports for a queued ICMP error. */
static inline int icmp_errno(int e)
{
    return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH ||
           e == EHOSTDOWN || e == EPROTO || e == ENOPROTOOPT || e == ENONET;
}

/* usrsctp's local addresses (addrs.c): learnt after usrsctp_init, and a
 * packet's arrival address reported. */
void addrs_start(void);
void addrs_seen(const struct sockaddr *dst);
void addrs_forget_after_fork(void);

/* CRC32c (crc32c.c): update from ~0 and complement at the end; seal
 * writes an SCTP packet's checksum field. */
uint32_t crc32c_update(uint32_t crc, const void *data, size_t len);
void crc32c_seal(unsigned char *pkt, size_t len);

/* Path MTU falls (mtu.c): a packet to dst (the peer's address with its
 * SCTP port) did not fit the path; mtu_apply, called between packets on
 * a stack thread (no usrsctp lock held), gives every association on that
 * path the route's MTU. */
void mtu_fell(const struct sockaddr *dst);
void mtu_apply(void);
extern int mtu_pending;
/* The kernel's MTU for the route to dst, 0 when unknown. */
int mtu_route(const struct sockaddr *dst);
/* The bytes usrsctp puts around its spp_pathmtu on a path of this
 * family (IP, SCTP and, encapsulated, UDP headers), and the family of
 * the IP header a packet to sa gets. */
int mtu_headers(int family);
int mtu_path_family(const struct sockaddr *sa);
/* usrsctp's spp_pathmtu for an IP MTU (capped), 0 when too small. */
int mtu_room(int mtu, int family);

#endif
