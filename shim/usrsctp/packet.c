#include "usrsctp/packet.h"

#include "base/iov.h"

size_t wire_read(const struct wire_pkt *p, size_t at, void *out, size_t n)
{
    if (at >= p->len)
        return 0;
    if (n > p->len - at)
        n = p->len - at;
    return iov_read(p->iov, (size_t)p->iovcnt, p->off + at, out, n);
}
