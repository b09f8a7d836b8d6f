#include "linux/xlate.h"

#include <netinet/sctp.h>

#include "base/xlate_table.h"
#include "usrsctp/stack.h"

static const struct xlate_pair msg_flags[] = {
    {STK_F_UNORDERED, SCTP_UNORDERED},
    {STK_F_ADDR_OVER, SCTP_ADDR_OVER},
    {STK_F_ABORT, SCTP_ABORT},
    {STK_F_EOF, SCTP_EOF},
    {STK_F_SENDALL, SCTP_SENDALL},
    {STK_F_SACK_IMMEDIATELY, SCTP_SACK_IMMEDIATELY},
};

static const struct xlate_pair pr_policies[] = {
    {STK_PR_NONE, SCTP_PR_SCTP_NONE},
    {STK_PR_TTL, SCTP_PR_SCTP_TTL},
    {STK_PR_RTX, SCTP_PR_SCTP_RTX},
    {STK_PR_PRIO, SCTP_PR_SCTP_PRIO},
};

static const struct xlate_pair notifs[] = {
    {STK_N_DATA_IO, SCTP_DATA_IO_EVENT},
    {STK_N_ASSOC_CHANGE, SCTP_ASSOC_CHANGE},
    {STK_N_PEER_ADDR_CHANGE, SCTP_PEER_ADDR_CHANGE},
    {STK_N_SEND_FAILED, SCTP_SEND_FAILED},
    {STK_N_REMOTE_ERROR, SCTP_REMOTE_ERROR},
    {STK_N_SHUTDOWN_EVENT, SCTP_SHUTDOWN_EVENT},
    {STK_N_PARTIAL_DELIVERY_EVENT, SCTP_PARTIAL_DELIVERY_EVENT},
    {STK_N_ADAPTATION_INDICATION, SCTP_ADAPTATION_INDICATION},
    {STK_N_AUTHENTICATION_EVENT, SCTP_AUTHENTICATION_EVENT},
    {STK_N_SENDER_DRY_EVENT, SCTP_SENDER_DRY_EVENT},
    {STK_N_STREAM_RESET_EVENT, SCTP_STREAM_RESET_EVENT},
    {STK_N_ASSOC_RESET_EVENT, SCTP_ASSOC_RESET_EVENT},
    {STK_N_STREAM_CHANGE_EVENT, SCTP_STREAM_CHANGE_EVENT},
    {STK_N_SEND_FAILED_EVENT, SCTP_SEND_FAILED_EVENT},
};

static const struct xlate_pair assoc_states[] = {
    {STK_COMM_UP, SCTP_COMM_UP},
    {STK_COMM_LOST, SCTP_COMM_LOST},
    {STK_RESTART, SCTP_RESTART},
    {STK_SHUTDOWN_COMP, SCTP_SHUTDOWN_COMP},
    {STK_CANT_STR_ASSOC, SCTP_CANT_STR_ASSOC},
};

static const struct xlate_pair paddr_states[] = {
    {STK_ADDR_AVAILABLE, SCTP_ADDR_AVAILABLE},
    {STK_ADDR_UNREACHABLE, SCTP_ADDR_UNREACHABLE},
    {STK_ADDR_REMOVED, SCTP_ADDR_REMOVED},
    {STK_ADDR_ADDED, SCTP_ADDR_ADDED},
    {STK_ADDR_MADE_PRIM, SCTP_ADDR_MADE_PRIM},
    {STK_ADDR_CONFIRMED, SCTP_ADDR_CONFIRMED},
};

static const struct xlate_pair conn_states[] = {
    {STK_S_CLOSED, SCTP_CLOSED},
    {STK_S_COOKIE_WAIT, SCTP_COOKIE_WAIT},
    {STK_S_COOKIE_ECHOED, SCTP_COOKIE_ECHOED},
    {STK_S_ESTABLISHED, SCTP_ESTABLISHED},
    {STK_S_SHUTDOWN_PENDING, SCTP_SHUTDOWN_PENDING},
    {STK_S_SHUTDOWN_SENT, SCTP_SHUTDOWN_SENT},
    {STK_S_SHUTDOWN_RECEIVED, SCTP_SHUTDOWN_RECEIVED},
    {STK_S_SHUTDOWN_ACK_SENT, SCTP_SHUTDOWN_ACK_SENT},
};

static const struct xlate_pair ssf_flags[] = {
    {STK_SSF_UNSENT, SCTP_DATA_UNSENT},
    {STK_SSF_SENT, SCTP_DATA_SENT},
};

/* Stream reset; the association reset and stream change events use the
 * same DENIED and FAILED values. */
static const struct xlate_pair reset_flags[] = {
    {STK_RF_INCOMING, SCTP_STREAM_RESET_INCOMING_SSN},
    {STK_RF_OUTGOING, SCTP_STREAM_RESET_OUTGOING_SSN},
    {STK_RF_DENIED, SCTP_STREAM_RESET_DENIED},
    {STK_RF_FAILED, SCTP_STREAM_RESET_FAILED},
};

static const struct xlate_pair pdapi_inds[] = {
    {STK_PDAPI_ABORTED, SCTP_PARTIAL_DELIVERY_ABORTED},
};

static const struct xlate_pair auth_inds[] = {
    {STK_AUTH_NEW_KEY, SCTP_AUTH_NEW_KEY},
    {STK_AUTH_NO_AUTH, SCTP_AUTH_NO_AUTH},
    {STK_AUTH_FREE_KEY, SCTP_AUTH_FREE_KEY},
};

static const struct xlate_pair path_states[] = {
    {STK_PATH_INACTIVE, SCTP_INACTIVE},
    {STK_PATH_PF, SCTP_PF},
    {STK_PATH_ACTIVE, SCTP_ACTIVE},
    {STK_PATH_UNCONFIRMED, SCTP_UNCONFIRMED},
    {STK_PATH_UNKNOWN, SCTP_UNKNOWN},
};

static const struct xlate_pair spp_flags[] = {
    {STK_SPP_HB_ENABLE, SPP_HB_ENABLE},
    {STK_SPP_HB_DISABLE, SPP_HB_DISABLE},
    {STK_SPP_HB_DEMAND, SPP_HB_DEMAND},
    {STK_SPP_PMTUD_ENABLE, SPP_PMTUD_ENABLE},
    {STK_SPP_PMTUD_DISABLE, SPP_PMTUD_DISABLE},
    {STK_SPP_HB_TIME_IS_ZERO, SPP_HB_TIME_IS_ZERO},
    {STK_SPP_IPV6_FLOWLABEL, SPP_IPV6_FLOWLABEL},
    {STK_SPP_DSCP, SPP_DSCP},
};

static const struct xlate_pair strreset_bits[] = {
    {STK_RESET_STREAM_REQ, SCTP_ENABLE_RESET_STREAM_REQ},
    {STK_RESET_ASSOC_REQ, SCTP_ENABLE_RESET_ASSOC_REQ},
    {STK_CHANGE_ASSOC_REQ, SCTP_ENABLE_CHANGE_ASSOC_REQ},
};

int stk_path_state_to_lx(int s)
{
    return xlate_to_abi(path_states, XLATE_LEN(path_states), s, SCTP_UNKNOWN);
}

uint32_t lx_spp_flags_to_stk(uint32_t f)
{
    return (uint32_t)xlate_bits_to_neutral(spp_flags, XLATE_LEN(spp_flags), (int)f);
}

uint32_t stk_spp_flags_to_lx(uint32_t f)
{
    return (uint32_t)xlate_bits_to_abi(spp_flags, XLATE_LEN(spp_flags), (int)f);
}

uint32_t lx_strreset_to_stk(uint32_t f)
{
    return (uint32_t)xlate_bits_to_neutral(strreset_bits, XLATE_LEN(strreset_bits), (int)f);
}

uint32_t stk_strreset_to_lx(uint32_t f)
{
    return (uint32_t)xlate_bits_to_abi(strreset_bits, XLATE_LEN(strreset_bits), (int)f);
}

uint16_t stk_notif_flags_to_lx(int neutral_type, uint16_t f)
{
    switch (neutral_type) {
    case STK_N_SEND_FAILED:
    case STK_N_SEND_FAILED_EVENT:
        /* Unknown: "sent", the answer that promises nothing. */
        return (uint16_t)xlate_to_abi(ssf_flags, XLATE_LEN(ssf_flags), f,
                                      SCTP_DATA_SENT);
    case STK_N_STREAM_RESET_EVENT:
    case STK_N_ASSOC_RESET_EVENT:
    case STK_N_STREAM_CHANGE_EVENT:
        return (uint16_t)xlate_bits_to_abi(reset_flags, XLATE_LEN(reset_flags), f);
    }
    return 0;
}

uint32_t stk_pdapi_ind_to_lx(uint32_t v)
{
    return (uint32_t)xlate_to_abi(pdapi_inds, XLATE_LEN(pdapi_inds), (int)v,
                                  SCTP_PARTIAL_DELIVERY_ABORTED);
}

uint32_t stk_auth_ind_to_lx(uint32_t v)
{
    return (uint32_t)xlate_to_abi(auth_inds, XLATE_LEN(auth_inds), (int)v,
                                  SCTP_AUTH_NO_AUTH);
}

uint16_t lx_flags_to_stk(uint16_t f)
{
    return (uint16_t)xlate_bits_to_neutral(msg_flags, XLATE_LEN(msg_flags), f);
}

uint16_t stk_flags_to_lx(uint16_t f)
{
    return (uint16_t)xlate_bits_to_abi(msg_flags, XLATE_LEN(msg_flags), f);
}

uint16_t lx_pr_to_stk(uint16_t p)
{
    return (uint16_t)xlate_to_neutral(pr_policies, XLATE_LEN(pr_policies), SCTP_PR_POLICY(p),
                            STK_PR_NONE);
}

uint16_t stk_pr_to_lx(uint16_t p)
{
    return (uint16_t)xlate_to_abi(pr_policies, XLATE_LEN(pr_policies), p, SCTP_PR_SCTP_NONE);
}

int lx_notif_to_stk(int t) { return xlate_to_neutral(notifs, XLATE_LEN(notifs), t, STK_N_NONE); }
int stk_notif_to_lx(int n) { return xlate_to_abi(notifs, XLATE_LEN(notifs), n, -1); }

int stk_assoc_state_to_lx(int s)
{
    return xlate_to_abi(assoc_states, XLATE_LEN(assoc_states), s, SCTP_COMM_LOST);
}

int stk_paddr_state_to_lx(int s)
{
    return xlate_to_abi(paddr_states, XLATE_LEN(paddr_states), s, SCTP_ADDR_UNREACHABLE);
}

int stk_conn_state_to_lx(int s)
{
    return xlate_to_abi(conn_states, XLATE_LEN(conn_states), s, SCTP_CLOSED);
}
