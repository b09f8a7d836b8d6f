/* Every setsockopt/getsockopt payload and length: through the copy layer
 * (linux/uopt.c: the kernel's length and type rules, the copies in and
 * out) and, with a value exactly as long as the length says, straight
 * into the option handlers (linux/sockopt.c), so that a handler reading
 * or writing past the length is caught. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "linux/sockopt.h"
#include "linux/uopt.h"

static const int levels[] = {SOL_SCTP, SOL_SOCKET, IPPROTO_IPV6, IPPROTO_IP, 9999};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    uint32_t sel = fz_take(&in, 2);
    struct ssock *s = fz_socket_of(sel);
    s->connected = !!(sel & 4);
    s->listening = !!(sel & 8);
    fz = (struct fz_stack){.lookup_found = 1, .n_assocs = (sel >> 4) & 7};
    if (sel & 0x80)
        fz.fail_errno = EINVAL;
    int level = levels[((sel >> 8) & 7) % 5];
    int name = (int)fz_take(&in, 1);
    if (level == SOL_SOCKET)
        name %= 70;
    int get = sel & 0x800, direct = sel & 0x1000;
    /* CONNECTX3 carries a pointer: only the copy layer may follow it */
    if (direct && level == SOL_SCTP && name == SCTP_SOCKOPT_CONNECTX3)
        direct = 0;
    /* the length the program gives, and the bytes behind the value */
    socklen_t len = (socklen_t)in.n;
    unsigned char *val = malloc(len ? len : 1);
    memcpy(val, in.p, len);
    int fd = s->m.x;
    if (!get) {
        if (direct)
            lx_setsockopt(s, fd, level, name, len ? val : NULL, len);
        else
            lx_setsockopt_user(s, fd, level, name, val, len);
    } else {
        socklen_t l = len;
        if (direct)
            lx_getsockopt(s, fd, level, name, len ? val : NULL, &l);
        else
            lx_getsockopt_user(s, fd, level, name, val, &l);
        if (l > len && direct)
            abort(); /* a handler may only shorten the length */
        lx_uopt_get_touch(name, len);
    }
    free(val);
    fz_socket_free(s);
    return 0;
}
