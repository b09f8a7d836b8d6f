/* sctp_sendv's info blocks and address list (the shim's own sctp_sendv,
 * linux/send_api.c): the info exactly infolen long, the addresses exactly
 * as long as a reader walking them by family needs. */
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "linux/send.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    uint32_t sel = fz_take(&in, 2);
    struct ssock *s = fz_socket_of(sel);
    s->connected = !(sel & 4);
    s->v6only = !!(sel & 8);
    fz = (struct fz_stack){.lookup_found = !!(sel & 0x10), .n_assocs = (sel >> 5) & 3};
    unsigned infotype = fz_take(&in, 1) % 7;
    socklen_t infolen = (socklen_t)fz_take(&in, 1);
    unsigned char *info = malloc(infolen ? infolen : 1);
    for (socklen_t i = 0; i < infolen; i++)
        info[i] = (unsigned char)fz_take(&in, 1);
    int addrcnt = (int)(fz_take(&in, 1) % 5);
    size_t bytes;
    unsigned char *addrs = fz_addrs(&in, addrcnt, &bytes);
    int iovcnt = (int)(fz_take(&in, 1) % 4);
    struct iovec iov[3];
    for (int i = 0; i < iovcnt; i++) {
        iov[i].iov_len = fz_take(&in, 1) % 32;
        iov[i].iov_base = malloc(iov[i].iov_len ? iov[i].iov_len : 1);
        memset(iov[i].iov_base, 'x', iov[i].iov_len);
    }
    lx_sendv(s, iovcnt ? iov : NULL, iovcnt, (sel & 0x80) ? NULL : (struct sockaddr *)addrs,
             addrcnt, (sel & 0x100) ? NULL : info, infolen, infotype,
             MSG_DONTWAIT | MSG_NOSIGNAL);
    for (int i = 0; i < iovcnt; i++)
        free(iov[i].iov_base);
    free(addrs);
    free(info);
    fz_socket_free(s);
    return 0;
}
