/* Authentication options (RFC 4895) with Linux's checks: refused with
 * EACCES unless the socket has AUTH on (SCTP_AUTH_SUPPORTED; off by
 * default, as Linux's net.sctp.auth_enable). */
#include "linux/sockopt_impl.h"

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

#include "core/sock.h"

#define CID_INIT 1
#define CID_INIT_ACK 2
#define CID_SHUTDOWN_COMPLETE 14
#define CID_AUTH 15
#define HMAC_SHA1 1
#define HMAC_SHA256 3
#define NUM_HMACS 4 /* Linux's SCTP_AUTH_NUM_HMACS */

static int auth_on(struct ssock *s)
{
    struct stk_assoc_value av = {SCTP_FUTURE_ASSOC, 0};
    size_t l = sizeof av;
    if (stk_getopt(s->stk, STK_O_AUTH_SUPPORTED, &av, &l) == 0 && av.value)
        return 0;
    errno = EACCES;
    return -1;
}

/* An association, or 0-2 on a one-to-many socket; one-to-one sockets
 * ignore the id. */
static int key_scope(struct ssock *s, uint32_t *id)
{
    if (s->type != SOCK_SEQPACKET) {
        *id = 0;
        return 0;
    }
    return *id > SCTP_ALL_ASSOC ? lx_opt_assoc_ok(s, *id) : 0;
}

static int set_hmacs(struct ssock *s, const void *val, socklen_t len)
{
    struct sctp_hmacalgo h;
    if (!val || len < sizeof h)
        return lx_opt_inval();
    memcpy(&h, val, sizeof h);
    if (h.shmac_num_idents == 0 || h.shmac_num_idents > NUM_HMACS ||
        h.shmac_num_idents * sizeof(uint16_t) > len - sizeof h)
        return lx_opt_inval();
    struct stk_hmacs n = {h.shmac_num_idents, {0}};
    memcpy(n.ids, (const char *)val + sizeof h, n.n * sizeof(uint16_t));
    int sha1 = 0;
    for (uint32_t i = 0; i < n.n; i++) {
        if (n.ids[i] != HMAC_SHA1 && n.ids[i] != HMAC_SHA256)
            return lx_opt_inval();
        sha1 |= n.ids[i] == HMAC_SHA1;
    }
    if (!sha1)
        return lx_opt_inval(); /* SHA-1 is mandatory (RFC 4895) */
    return stk_setopt(s->stk, STK_O_HMAC_IDENT, &n, sizeof n);
}

static int set_key(struct ssock *s, const void *val, socklen_t len)
{
    struct sctp_authkey k;
    if (!val || len <= sizeof k)
        return lx_opt_inval();
    memcpy(&k, val, sizeof k);
    if (k.sca_keylength > len - sizeof k)
        return lx_opt_inval();
    uint32_t id = (uint32_t)k.sca_assoc_id;
    if (key_scope(s, &id) < 0)
        return -1;
    struct stk_authkey *n = malloc(sizeof *n + k.sca_keylength);
    if (!n) {
        errno = ENOBUFS;
        return -1;
    }
    n->assoc_id = id;
    n->keynumber = k.sca_keynumber;
    n->keylength = k.sca_keylength;
    memcpy(n->key, (const char *)val + sizeof k, k.sca_keylength);
    int r = stk_setopt(s->stk, STK_O_AUTH_KEY, n, sizeof *n + k.sca_keylength);
    int e = errno;
    free(n);
    errno = e;
    return r;
}

int lx_opt_auth_set(struct ssock *s, int name, const void *val, socklen_t len)
{
    if (auth_on(s) < 0)
        return -1;
    switch (name) {
    case SCTP_AUTH_CHUNK: {
        struct sctp_authchunk c;
        if (!val || len != sizeof c)
            return lx_opt_inval();
        memcpy(&c, val, sizeof c);
        if (c.sauth_chunk == CID_INIT || c.sauth_chunk == CID_INIT_ACK ||
            c.sauth_chunk == CID_SHUTDOWN_COMPLETE || c.sauth_chunk == CID_AUTH)
            return lx_opt_inval();
        uint8_t t = c.sauth_chunk;
        return stk_setopt(s->stk, STK_O_AUTH_CHUNK, &t, sizeof t);
    }
    case SCTP_HMAC_IDENT:
        return set_hmacs(s, val, len);
    case SCTP_AUTH_KEY:
        return set_key(s, val, len);
    }
    /* SCTP_AUTH_ACTIVE_KEY, SCTP_AUTH_DELETE_KEY, SCTP_AUTH_DEACTIVATE_KEY */
    struct sctp_authkeyid k;
    if (!val || len != sizeof k)
        return lx_opt_inval();
    memcpy(&k, val, sizeof k);
    struct stk_authkeyid n = {(uint32_t)k.scact_assoc_id, k.scact_keynumber};
    if (key_scope(s, &n.assoc_id) < 0)
        return -1;
    return stk_setopt(s->stk,
                      name == SCTP_AUTH_ACTIVE_KEY   ? STK_O_AUTH_ACTIVE_KEY
                      : name == SCTP_AUTH_DELETE_KEY ? STK_O_AUTH_DELETE_KEY
                                                     : STK_O_AUTH_DEACTIVATE_KEY,
                      &n, sizeof n);
}

static int get_chunks(struct ssock *s, int name, void *val, socklen_t *len)
{
    struct sctp_authchunks c;
    if (!val || !len || *len < sizeof c)
        return lx_opt_inval();
    memcpy(&c, val, sizeof c);
    struct stk_chunks n;
    memset(&n, 0, sizeof n);
    n.assoc_id = s->type == SOCK_SEQPACKET ? (uint32_t)c.gauth_assoc_id : 0;
    /* The peer's are an association's; the local ones the socket's too. */
    if (s->type == SOCK_SEQPACKET &&
        (name == SCTP_PEER_AUTH_CHUNKS || n.assoc_id != SCTP_FUTURE_ASSOC) &&
        (n.assoc_id <= SCTP_ALL_ASSOC || lx_opt_assoc_ok(s, n.assoc_id) < 0))
        return lx_opt_inval();
    size_t l = sizeof n;
    if (stk_getopt(s->stk, name == SCTP_PEER_AUTH_CHUNKS ? STK_O_PEER_AUTH_CHUNKS
                                                         : STK_O_LOCAL_AUTH_CHUNKS,
                   &n, &l) < 0)
        return -1;
    if (*len < sizeof c + n.n)
        return lx_opt_inval();
    c.gauth_number_of_chunks = n.n;
    memcpy(val, &c, sizeof c);
    memcpy((char *)val + sizeof c, n.types, n.n);
    *len = (socklen_t)(sizeof c + n.n);
    return 0;
}

int lx_opt_auth_get(struct ssock *s, int name, void *val, socklen_t *len)
{
    if (auth_on(s) < 0)
        return -1;
    if (name == SCTP_HMAC_IDENT) {
        struct stk_hmacs n;
        size_t l = sizeof n;
        struct sctp_hmacalgo h;
        if (!val || !len || *len < sizeof h)
            return lx_opt_inval();
        if (stk_getopt(s->stk, STK_O_HMAC_IDENT, &n, &l) < 0)
            return -1;
        if (*len < sizeof h + n.n * sizeof(uint16_t))
            return lx_opt_inval();
        h.shmac_num_idents = n.n;
        memcpy(val, &h, sizeof h);
        memcpy((char *)val + sizeof h, n.ids, n.n * sizeof(uint16_t));
        *len = (socklen_t)(sizeof h + n.n * sizeof(uint16_t));
        return 0;
    }
    if (name == SCTP_AUTH_ACTIVE_KEY) {
        struct sctp_authkeyid k;
        if (!val || !len || *len < sizeof k)
            return lx_opt_inval();
        memcpy(&k, val, sizeof k);
        struct stk_authkeyid n = {(uint32_t)k.scact_assoc_id, 0};
        if (s->type != SOCK_SEQPACKET)
            n.assoc_id = 0;
        else if (n.assoc_id != SCTP_FUTURE_ASSOC &&
                 (n.assoc_id <= SCTP_ALL_ASSOC || lx_opt_assoc_ok(s, n.assoc_id) < 0))
            return lx_opt_inval();
        size_t l = sizeof n;
        if (stk_getopt(s->stk, STK_O_AUTH_ACTIVE_KEY, &n, &l) < 0)
            return -1;
        k.scact_keynumber = n.keynumber;
        memcpy(val, &k, sizeof k);
        *len = sizeof k;
        return 0;
    }
    return get_chunks(s, name, val, len);
}
