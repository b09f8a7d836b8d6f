/* The framed calls a holder of an inherited SCTP descriptor makes to the
 * process that owns its stack socket, over an AF_UNIX SOCK_SEQPACKET
 * connection (one message each way per call; a new socket from accept or
 * a fork child's connection travels with SCM_RIGHTS).  Every call is made
 * non-blocking in the owner: the holder waits on its own copy of the
 * descriptor, whose readiness the owner keeps, and asks again. */
#ifndef SCTPSHIM_REMOTE_PROTO_H
#define SCTPSHIM_REMOTE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

enum rp_op {
    RP_SEND = 1,  /* payload: name[b], control[c], data */
    RP_RECV,      /* a: data room, b: name room, c: control room */
    RP_ACCEPT,    /* a: accept4 flags, b: name room; a descriptor back */
    RP_GETOPT,    /* a: level, b: name, c: room; payload: the value in */
    RP_SETOPT,    /* a: level, b: name; payload: the value */
    RP_NAME,      /* a: 0 getsockname, 1 getpeername */
    RP_SHUTDOWN,  /* a: how */
    RP_BIND,      /* payload: the address */
    RP_LISTEN,    /* a: backlog */
    RP_CLOSE,     /* no answer: the holder's last descriptor is gone */
    RP_FORK,      /* a connection for a child, holding what this one does */
    RP_KEEP,      /* no answer: payload uint64_t ids; the rest is let go */
};

struct rp_req {
    uint32_t op;
    int32_t flags;
    uint64_t id;   /* the owner's socket, as the holder knows it */
    int32_t a;
    uint32_t b, c;
    uint32_t len;  /* payload bytes after this header */
};

struct rp_resp {
    int64_t ret;
    int32_t err;      /* errno when ret < 0 */
    int32_t flags;    /* msg_flags of a receive */
    uint32_t namelen; /* the address's full length (it may be cut) */
    uint32_t ctllen, datalen;
    uint32_t pad;
    uint64_t id;      /* accept: the new socket's */
    int32_t family, type;
};

/* The most a call carries: a larger message fails with EMSGSIZE. */
#define RP_MAX_DATA (256 * 1024)
#define RP_MAX_MSG (RP_MAX_DATA + 64 * 1024)

/* One message, header and payload gathered, with fd (or -1) attached. */
ssize_t rp_send(int sock, const void *hdr, size_t hlen, const struct iovec *iov,
                int iovcnt, int fd);
/* One message into buf; *fd gets a descriptor that came with it, or -1.
 * 0 at end of file. */
ssize_t rp_recv(int sock, void *buf, size_t len, int *fd);
/* Makes both ends of a new connection, above the program's numbers. */
int rp_pair(int sv[2]);

#endif
