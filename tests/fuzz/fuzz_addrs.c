/* Address lists: sctp_bindx and sctp_connectx (setsockopt BINDX_ADD,
 * BINDX_REM, CONNECTX, CONNECTX_OLD, and getsockopt CONNECTX3 with its
 * pointer), sctp_sendx, and the single address of bind and connect,
 * each in a buffer exactly as long as the program says. */
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>

#include "core/umem.h"
#include "fake.h"
#include "linux/addr.h"
#include "linux/conn.h"
#include "linux/connect.h"
#include "linux/send.h"
#include "linux/uopt.h"

static const int opts[] = {SCTP_SOCKOPT_BINDX_ADD, SCTP_SOCKOPT_BINDX_REM,
                           SCTP_SOCKOPT_CONNECTX, SCTP_SOCKOPT_CONNECTX_OLD};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    uint32_t sel = fz_take(&in, 2);
    struct ssock *s = fz_socket_of(sel);
    s->connected = !!(sel & 4);
    s->v6only = !!(sel & 8);
    s->bound_set = !!(sel & 0x10);
    fz = (struct fz_stack){.lookup_found = !!(sel & 0x20)};
    int addrcnt = (int)(fz_take(&in, 1) % 6);
    size_t bytes;
    unsigned char *addrs = fz_addrs(&in, addrcnt, &bytes);
    /* or raw bytes: the option's own walk must stop at their end */
    int raw = sel & 0x40;
    if (raw) {
        free(addrs);
        bytes = in.n;
        addrs = malloc(bytes ? bytes : 1);
        memcpy(addrs, in.p, bytes);
    }
    switch ((sel >> 8) & 7) {
    case 0:
    case 1:
    case 2:
    case 3:
        lx_setsockopt_user(s, s->m.x, SOL_SCTP, opts[(sel >> 8) & 3], addrs,
                           (socklen_t)bytes);
        break;
    case 4: {
        struct sctp_getaddrs_old p = {0, (int)bytes, (struct sockaddr *)addrs};
        socklen_t l = sizeof p;
        lx_getsockopt_user(s, s->m.x, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3, &p, &l);
        break;
    }
    case 5: {
        struct sctp_sndrcvinfo si = {.sinfo_flags = (uint16_t)fz_take(&in, 2)};
        lx_sendx(s, "msg", 3, raw ? NULL : (struct sockaddr *)addrs, addrcnt,
                 (sel & 0x80) ? NULL : &si, MSG_DONTWAIT | MSG_NOSIGNAL);
        break;
    }
    default: {
        /* bind and connect, as the hooks take the address */
        struct sockaddr_storage ss;
        if (umem_addr_in(&ss, (struct sockaddr *)addrs, (socklen_t)bytes) == 0) {
            if (sel & 0x800)
                lx_bind(s, (struct sockaddr *)&ss, (socklen_t)bytes);
            else if (lx_addr_check(s, (struct sockaddr *)&ss, (socklen_t)bytes) == 0)
                lx_connectx(s, &ss, (int)lx_addr_len((struct sockaddr *)&ss), NULL);
        }
    }
    }
    free(addrs);
    fz_socket_free(s);
    return 0;
}
