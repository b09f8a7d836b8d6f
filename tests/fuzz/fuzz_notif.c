/* Receiving into short buffers: a notification in usrsctp's layout from
 * the input, decoded (usrsctp/notif.c) and written in Linux's layout into
 * a buffer of any length (linux/notif.c), both directly and through
 * lx_recvmsg over up to three iovecs; and a data message with its
 * ancillary data into a control area of any length.  Every buffer is
 * exactly as long as the program says. */
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "linux/notif.h"
#include "linux/recv.h"
#include "usrsctp/notif.h"
#include "usrsctp/stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    uint32_t sel = fz_take(&in, 2);
    size_t cap = fz_take(&in, 2) % 2048;
    size_t controllen = fz_take(&in, 1);
    struct ssock *s = fz_socket_of(sel);
    s->v4mapped = !!(sel & 4);
    s->events = fz_take(&in, 2);
    s->recvrcvinfo = !!(sel & 8);
    s->recvnxtinfo = !!(sel & 0x10);
    fz = (struct fz_stack){0};
    /* the rest: what the stack hands out */
    unsigned char *raw = malloc(in.n ? in.n : 1);
    memcpy(raw, in.p, in.n);
    size_t rawlen = in.n;

    if (sel & 0x20) {
        struct stk_notif n;
        if (usr_decode_notif(raw, rawlen, &n) == 0) {
            lx_notif_for_socket(s, &n);
            unsigned char *out = malloc(cap ? cap : 1);
            size_t full = lx_notif_encode(&n, out, cap);
            if (full && full < 8)
                abort(); /* every notification has its 8-byte header */
            free(out);
        }
    } else {
        fz.recv_data = raw;
        fz.recv_len = rawlen;
        fz.recv_flags = (sel & 0x40) ? STK_F_NOTIFICATION : 0;
        /* cap bytes in up to three buffers */
        int iovcnt = 1 + (int)((sel >> 8) % 3);
        struct iovec iov[3];
        size_t left = cap;
        for (int i = 0; i < iovcnt; i++) {
            iov[i].iov_len = i == iovcnt - 1 ? left : left / 2;
            left -= iov[i].iov_len;
            iov[i].iov_base = malloc(iov[i].iov_len ? iov[i].iov_len : 1);
        }
        void *control = malloc(controllen ? controllen : 1);
        struct sockaddr_in6 *from = malloc(sizeof *from);
        struct msghdr m = {.msg_name = (sel & 0x800) ? NULL : from,
                           .msg_namelen = (socklen_t)((sel >> 12) % (sizeof *from + 1)),
                           .msg_iov = iov, .msg_iovlen = (size_t)iovcnt,
                           .msg_control = controllen ? control : NULL,
                           .msg_controllen = controllen};
        /* the whole message, piece by piece, as a program reads it */
        for (int tries = 0; tries < 4; tries++)
            if (lx_recvmsg(s, &m, MSG_DONTWAIT | ((sel & 0x400) ? MSG_PEEK : 0)) < 0)
                break;
        for (int i = 0; i < iovcnt; i++)
            free(iov[i].iov_base);
        free(control);
        free(from);
    }
    free(raw);
    fz_socket_free(s);
    return 0;
}
