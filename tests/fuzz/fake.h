/* What the fuzz targets link instead of a running stack: the shim's
 * Linux layer (linux/), user memory (core/umem.c) and the notification
 * decoder run for real; the stack below them (usrsctp/stack.h) and the
 * rest of core/ (sockets, mirror, registry) are stand-ins that answer at
 * once and never block, driven by the fields below. */
#ifndef SCTPSHIM_FUZZ_FAKE_H
#define SCTPSHIM_FUZZ_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "core/sock.h"

struct fz_stack {
    int lookup_found;   /* stk_assoc_lookup knows the destination */
    int n_assocs;       /* associations of a one-to-many socket */
    int fail_errno;     /* stk_setopt/getopt/sendv fail with this, if set */
    /* what stk_recvv hands out: a message, or a notification in usrsctp's
     * layout when recv_flags has STK_F_NOTIFICATION */
    const unsigned char *recv_data;
    size_t recv_len, recv_off;
    int recv_flags;
};
extern struct fz_stack fz;

/* A shim socket of this type and family on the stand-in stack, with a
 * real descriptor for what the handlers pass on to the kernel. */
struct ssock *fz_socket(int family, int type);
/* The same from a fuzzer's selector: bit 0 AF_INET6, bit 1 one-to-many. */
struct ssock *fz_socket_of(uint32_t sel);
void fz_socket_free(struct ssock *s);

/* The fuzzer's input, taken piece by piece. */
struct fz_in {
    const uint8_t *p;
    size_t n;
};
static inline uint32_t fz_take(struct fz_in *in, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes && in->n; i++, in->p++, in->n--)
        v |= (uint32_t)in->p[0] << (8 * i);
    return v;
}

/* addrcnt packed addresses from the input, each as long as its family
 * says, the list ending at a family that is neither (whose 2 bytes are
 * there, as a reader looks at them): a buffer of exactly *bytes. */
unsigned char *fz_addrs(struct fz_in *in, int addrcnt, size_t *bytes);

#endif
