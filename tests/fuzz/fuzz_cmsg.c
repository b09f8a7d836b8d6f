/* SCTP cmsgs in sendmsg: msg_name, the control area (exactly as long as
 * msg_controllen says, so that any read past it is caught) and the
 * message, through lx_sendmsg, the whole send path of linux/ down to the
 * stand-in stack. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "linux/send.h"

static void *exact(struct fz_in *in, size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)fz_take(in, 1);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    uint32_t sel = fz_take(&in, 2);
    struct ssock *s = fz_socket_of(sel);
    s->v6only = !!(sel & 4);
    s->connected = !(sel & 8);
    s->shut_wr = !!(sel & 0x10);
    fz = (struct fz_stack){.lookup_found = !!(sel & 0x20), .n_assocs = (sel >> 6) & 3};
    if (sel & 0x100)
        fz.fail_errno = sel & 0x200 ? EAGAIN : ECONNRESET;
    /* msg_name: a loopback address, or bytes of the input */
    size_t namelen = fz_take(&in, 1);
    void *name;
    if (sel & 0x400) {
        struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(5000),
                                  .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(5000),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        namelen = sel & 0x800 ? sizeof a6 : sizeof a4;
        name = malloc(namelen);
        memcpy(name, sel & 0x800 ? (void *)&a6 : (void *)&a4, namelen);
    } else {
        name = exact(&in, namelen);
    }
    size_t datalen = fz_take(&in, 1) % 48;
    void *msg = exact(&in, datalen);
    size_t controllen = in.n;
    void *control = exact(&in, controllen);
    struct iovec iv = {msg, datalen};
    struct msghdr m = {.msg_name = (sel & 0x1000) ? NULL : name,
                       .msg_namelen = (socklen_t)namelen,
                       .msg_iov = &iv, .msg_iovlen = 1,
                       .msg_control = controllen ? control : NULL,
                       .msg_controllen = controllen};
    lx_sendmsg(s, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
    free(name);
    free(msg);
    free(control);
    fz_socket_free(s);
    return 0;
}
