/* The send path: every send call on a shim socket ends here, with Linux
 * sendmsg and cmsg semantics.
 *
 * One send, as the kernel's sctp_sendmsg sees it: the message, what the
 * program asked for it, and where it goes.  sendmsg and its relatives,
 * and the exported sctp_sendx / sctp_sendmsgx / sctp_sendv, all fill one
 * of these. */
#ifndef SCTPSHIM_LX_SEND_H
#define SCTPSHIM_LX_SEND_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "usrsctp/stack.h"

struct ssock;

struct lx_send_req {
    struct stk_sndinfo info;
    const void *dst;       /* packed sockaddr_in/in6 list, or NULL */
    int dst_bytes, ndst;
    void *dst_buf;         /* owned copy, when built from SCTP_DSTADDRV* */
    int dst_bad;           /* an SCTP_DSTADDRV* a new association refuses */
    int have_init;         /* an SCTP_INIT cmsg for a new association */
    struct stk_initmsg init;
    uint32_t *assoc_out;   /* gets the association used (sctp_sendv) */
    /* The message's own parameters (SCTP_SNDRCV, SCTP_SNDINFO,
     * SCTP_PRINFO): what the association's defaults do not replace. */
    int has_srinfo, has_sinfo, has_prinfo;
};

struct sctp_sndrcvinfo;
struct sctp_sndinfo;
struct sctp_prinfo;

/* Starts a request with the socket's default send parameters. */
void lx_send_req_init(struct ssock *s, struct lx_send_req *req);
void lx_send_req_free(struct lx_send_req *req);
/* Takes msg_name and the SCTP control messages: 0, or -1/errno. */
int lx_send_parse(struct ssock *s, const struct msghdr *msg,
                  struct lx_send_req *req);
/* A message's own send parameters replace the socket's defaults
 * (sctp_sndinfo keeps the default lifetime, as Linux does); sctp_prinfo
 * sets the PR-SCTP policy.  0, or -1/EINVAL for flags or a policy Linux
 * does not know. */
int lx_send_take_sndrcv(struct lx_send_req *req, const struct sctp_sndrcvinfo *v);
int lx_send_take_sndinfo(struct lx_send_req *req, const struct sctp_sndinfo *v);
int lx_send_take_prinfo(struct lx_send_req *req, const struct sctp_prinfo *v);
/* sctp_sendx / sctp_sendmsgx and sctp_sendv on a shim socket. */
ssize_t lx_sendx(struct ssock *s, const void *msg, size_t len,
                 const struct sockaddr *addrs, int addrcnt,
                 const struct sctp_sndrcvinfo *sinfo, int flags);
ssize_t lx_sendv(struct ssock *s, const struct iovec *iov, int iovcnt,
                 const struct sockaddr *addrs, int addrcnt, void *info,
                 socklen_t infolen, unsigned int infotype, int flags);
/* sctp_sendv's arguments as the sendmsg that stands for them, for a
 * socket whose calls another process makes (remote/): RFC 6458 5.3's
 * ancillary data (SCTP_SNDINFO, SCTP_PRINFO; the address list of a
 * one-to-many socket as msg_name and SCTP_DSTADDRV4/V6), checked as
 * lx_sendv checks them.  *m's control area is allocated (to free).  0,
 * or -1/errno. */
int lx_sendv_msg(struct ssock *s, const struct iovec *iov, int iovcnt,
                 const struct sockaddr *addrs, int addrcnt, const void *info,
                 socklen_t infolen, unsigned int infotype, struct msghdr *m);
ssize_t lx_sendmsg(struct ssock *s, const struct msghdr *msg, int flags);
/* sctp_sendmsg(3), msg as libsctp builds it: as lx_sendmsg, but a
 * one-to-one socket must be connected (the man page's ENOTCONN), where
 * sendto and sendmsg set up its association. */
ssize_t lx_sctp_sendmsg(struct ssock *s, const struct msghdr *msg);
/* The plain calls (write, send, ...). */
ssize_t lx_send(struct ssock *s, const void *buf, size_t len, int flags);
ssize_t lx_send_req(struct ssock *s, const struct iovec *iov, size_t iovcnt,
                    struct lx_send_req *req, int flags);

#endif
