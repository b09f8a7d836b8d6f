/* usrsctp side: the authentication options (RFC 4895): which chunks to
 * authenticate, the HMACs, the shared keys. */
#include "usrsctp/opt_ext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/stack.h"
#include "usrsctp/usr.h"

static int bad(void)
{
    errno = EINVAL;
    return -1;
}

static int key_op(struct stk_sock *s, int name, const struct stk_authkeyid *k)
{
    struct sctp_authkeyid u;
    uint32_t local;
    if (ids_in_checked(s, k->assoc_id, &local) < 0)
        return -1;
    memset(&u, 0, sizeof u);
    u.scact_assoc_id = (sctp_assoc_t)local;
    u.scact_keynumber = k->keynumber;
    return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, name, &u, sizeof u);
}

static int set_key(struct stk_sock *s, const struct stk_authkey *k, size_t len)
{
    uint32_t local;
    if (len < sizeof *k || len - sizeof *k < k->keylength)
        return bad();
    if (ids_in_checked(s, k->assoc_id, &local) < 0)
        return -1;
    struct sctp_authkey *u = calloc(1, sizeof *u + k->keylength);
    if (!u) {
        errno = ENOBUFS;
        return -1;
    }
    u->sca_assoc_id = (sctp_assoc_t)local;
    u->sca_keynumber = k->keynumber;
    u->sca_keylength = k->keylength;
    memcpy(u->sca_key, k->key, k->keylength);
    int r = usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_AUTH_KEY, u,
                                   (socklen_t)(sizeof *u + k->keylength));
    int e = errno;
    free(u);
    errno = e;
    return r;
}

int usr_auth_setopt(struct stk_sock *s, int opt, const void *v, size_t len)
{
    switch (opt) {
    case STK_O_AUTH_CHUNK: {
        struct sctp_authchunk c = {*(const uint8_t *)v};
        return len < 1 ? bad()
                       : usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_AUTH_CHUNK,
                                                &c, sizeof c);
    }
    case STK_O_HMAC_IDENT: {
        const struct stk_hmacs *h = v;
        if (len < sizeof *h || h->n > 16)
            return bad();
        struct {
            struct sctp_hmacalgo a;
            uint16_t ids[16];
        } u;
        u.a.shmac_number_of_idents = h->n;
        memcpy(u.a.shmac_idents, h->ids, h->n * sizeof h->ids[0]);
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_HMAC_IDENT, &u,
                                      (socklen_t)(sizeof u.a + h->n * sizeof h->ids[0]));
    }
    case STK_O_AUTH_KEY:
        return set_key(s, v, len);
    case STK_O_AUTH_ACTIVE_KEY:
        return len < sizeof(struct stk_authkeyid) ? bad()
                                                  : key_op(s, SCTP_AUTH_ACTIVE_KEY, v);
    case STK_O_AUTH_DELETE_KEY:
        return len < sizeof(struct stk_authkeyid) ? bad()
                                                  : key_op(s, SCTP_AUTH_DELETE_KEY, v);
    case STK_O_AUTH_DEACTIVATE_KEY:
        return len < sizeof(struct stk_authkeyid) ? bad()
                                                  : key_op(s, SCTP_AUTH_DEACTIVATE_KEY, v);
    }
    return usr_streams_setopt(s, opt, v, len);
}

static int get_chunks(struct stk_sock *s, int name, struct stk_chunks *c)
{
    struct {
        struct sctp_authchunks a;
        uint8_t types[256];
    } u;
    socklen_t l = sizeof u;
    uint32_t local;
    if (ids_in_checked(s, c->assoc_id, &local) < 0)
        return -1;
    memset(&u, 0, sizeof u);
    u.a.gauth_assoc_id = (sctp_assoc_t)local;
    if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, name, &u, &l) < 0)
        return -1;
    c->n = l > sizeof u.a ? (uint32_t)(l - sizeof u.a) : 0;
    memcpy(c->types, u.a.gauth_chunks, c->n);
    return 0;
}

int usr_auth_getopt(struct stk_sock *s, int opt, void *v, size_t *len)
{
    switch (opt) {
    case STK_O_HMAC_IDENT: {
        struct stk_hmacs *h = v;
        struct {
            struct sctp_hmacalgo a;
            uint16_t ids[16];
        } u;
        socklen_t l = sizeof u;
        if (*len < sizeof *h)
            return bad();
        memset(&u, 0, sizeof u);
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_HMAC_IDENT, &u, &l) < 0)
            return -1;
        h->n = u.a.shmac_number_of_idents > 16 ? 16 : u.a.shmac_number_of_idents;
        memcpy(h->ids, u.a.shmac_idents, h->n * sizeof h->ids[0]);
        return 0;
    }
    case STK_O_AUTH_ACTIVE_KEY: {
        struct stk_authkeyid *k = v;
        struct sctp_authkeyid u;
        socklen_t l = sizeof u;
        uint32_t local;
        if (*len < sizeof *k || ids_in_checked(s, k->assoc_id, &local) < 0)
            return bad();
        memset(&u, 0, sizeof u);
        u.scact_assoc_id = (sctp_assoc_t)local;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &u, &l) < 0)
            return -1;
        k->keynumber = u.scact_keynumber;
        return 0;
    }
    case STK_O_PEER_AUTH_CHUNKS:
    case STK_O_LOCAL_AUTH_CHUNKS:
        if (*len < sizeof(struct stk_chunks))
            return bad();
        return get_chunks(s, opt == STK_O_PEER_AUTH_CHUNKS ? SCTP_PEER_AUTH_CHUNKS
                                                           : SCTP_LOCAL_AUTH_CHUNKS,
                          v);
    }
    return usr_streams_getopt(s, opt, v, len);
}
