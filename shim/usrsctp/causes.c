#include "usrsctp/causes.h"

#include <stdio.h>

static const char *cause_name(uint16_t c)
{
    static const char *names[] = {
        NULL, "invalid stream identifier", "missing mandatory parameter",
        "stale cookie", "out of resource", "unresolvable address",
        "unrecognized chunk type", "invalid mandatory parameter",
        "unrecognized parameters", "no user data",
        "cookie received while shutting down",
        "restart with new addresses", "user-initiated abort",
        "protocol violation",
    };
    return c < sizeof names / sizeof names[0] && names[c] ? names[c] : "unknown cause";
}

void wire_causes(const struct wire_pkt *p, size_t at, size_t clen, char *out,
                 size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t off = 4; off + 4 <= clen && used + 1 < cap;) {
        unsigned char h[4], info[64];
        if (wire_read(p, at + off, h, 4) < 4)
            break;
        uint16_t code = wire_be16(h), len = wire_be16(h + 2);
        if (len < 4 || off + len > clen)
            break;
        size_t want = (size_t)len - 4 < sizeof info ? (size_t)len - 4 : sizeof info;
        size_t n = wire_read(p, at + off + 4, info, want);
        int text = n > 0;
        for (size_t i = 0; i < n; i++)
            if (info[i] < 32 || info[i] > 126)
                text = 0;
        int w = snprintf(out + used, cap - used, "%scause %u (%s)%s%.*s%s", used ? ", " : "",
                         code, cause_name(code), text ? " \"" : "", text ? (int)n : 0,
                         (const char *)info, text ? "\"" : "");
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
        off += (size_t)((len + 3) & ~3u);
    }
    if (!used)
        snprintf(out, cap, "no cause");
}
