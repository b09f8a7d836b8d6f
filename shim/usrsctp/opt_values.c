/* usrsctp side: options that are one value, of the endpoint or of an
 * association (struct sctp_assoc_value), or a plain int. */
#include "usrsctp/opt_ext.h"

#include <errno.h>
#include <string.h>

#include "usrsctp/assoc_ids.h"
#include "usrsctp/internal.h"
#include "usrsctp/stack.h"
#include "usrsctp/usr.h"
#include "usrsctp/xlate.h"

static const struct {
    int stk, usr;
} assoc_values[] = {
    {STK_O_MAXSEG, SCTP_MAXSEG},
    {STK_O_MAX_BURST, SCTP_MAX_BURST},
    {STK_O_CONTEXT, SCTP_CONTEXT},
    {STK_O_PR_SUPPORTED, SCTP_PR_SUPPORTED},
    {STK_O_RECONFIG_SUPPORTED, SCTP_RECONFIG_SUPPORTED},
    {STK_O_ENABLE_STREAM_RESET, SCTP_ENABLE_STREAM_RESET},
    {STK_O_AUTH_SUPPORTED, SCTP_AUTH_SUPPORTED},
    {STK_O_ASCONF_SUPPORTED, SCTP_ASCONF_SUPPORTED},
    {STK_O_ECN_SUPPORTED, SCTP_ECN_SUPPORTED},
}, ints[] = {
    {STK_O_FRAGMENT_INTERLEAVE, SCTP_FRAGMENT_INTERLEAVE},
    {STK_O_PARTIAL_DELIVERY_POINT, SCTP_PARTIAL_DELIVERY_POINT},
    {STK_O_AUTO_ASCONF, SCTP_AUTO_ASCONF},
};

#define FIND(table, opt, out)                                               \
    for (size_t i_ = 0; i_ < sizeof table / sizeof table[0]; i_++)          \
        if (table[i_].stk == (opt))                                         \
            (out) = table[i_].usr

int usr_values_setopt(struct stk_sock *s, int opt, const void *v, size_t len)
{
    int name = -1;
    FIND(assoc_values, opt, name);
    if (name >= 0) {
        const struct stk_assoc_value *a = v;
        struct sctp_assoc_value av;
        uint32_t local;
        if (len < sizeof *a || ids_in_checked(s, a->assoc_id, &local) < 0) {
            errno = EINVAL;
            return -1;
        }
        av.assoc_id = (sctp_assoc_t)local;
        av.assoc_value = opt == STK_O_ENABLE_STREAM_RESET
                             ? stk_strreset_to_usr(a->value) : a->value;
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, name, &av, sizeof av);
    }
    FIND(ints, opt, name);
    if (name >= 0) {
        int x;
        if (len < sizeof x) {
            errno = EINVAL;
            return -1;
        }
        memcpy(&x, v, sizeof x);
        return usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, name, &x, sizeof x);
    }
    return usr_auth_setopt(s, opt, v, len);
}

int usr_values_getopt(struct stk_sock *s, int opt, void *v, size_t *len)
{
    int name = -1;
    FIND(assoc_values, opt, name);
    if (name >= 0) {
        struct stk_assoc_value *a = v;
        struct sctp_assoc_value av;
        socklen_t l = sizeof av;
        uint32_t local;
        if (*len < sizeof *a || ids_in_checked(s, a->assoc_id, &local) < 0) {
            errno = EINVAL;
            return -1;
        }
        memset(&av, 0, sizeof av);
        av.assoc_id = (sctp_assoc_t)local;
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, name, &av, &l) < 0)
            return -1;
        a->value = opt == STK_O_ENABLE_STREAM_RESET
                       ? usr_strreset_to_stk(av.assoc_value) : av.assoc_value;
        *len = sizeof *a;
        return 0;
    }
    FIND(ints, opt, name);
    if (name >= 0) {
        int x = 0;
        socklen_t l = sizeof x;
        if (*len < sizeof x) {
            errno = EINVAL;
            return -1;
        }
        if (usr.usrsctp_getsockopt(s->so, IPPROTO_SCTP, name, &x, &l) < 0)
            return -1;
        memcpy(v, &x, sizeof x);
        *len = sizeof x;
        return 0;
    }
    return usr_auth_getopt(s, opt, v, len);
}
