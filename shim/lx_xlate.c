#include "lx_xlate.h"

#include <netinet/sctp.h>

#include "stack.h"

struct pair {
    int lx, neutral;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct pair msg_flags[] = {
    {SCTP_UNORDERED, STK_F_UNORDERED},
    {SCTP_ADDR_OVER, STK_F_ADDR_OVER},
    {SCTP_ABORT, STK_F_ABORT},
    {SCTP_EOF, STK_F_EOF},
    {SCTP_SENDALL, STK_F_SENDALL},
    {SCTP_SACK_IMMEDIATELY, STK_F_SACK_IMMEDIATELY},
};

static const struct pair pr_policies[] = {
    {SCTP_PR_SCTP_NONE, STK_PR_NONE},
    {SCTP_PR_SCTP_TTL, STK_PR_TTL},
    {SCTP_PR_SCTP_RTX, STK_PR_RTX},
    {SCTP_PR_SCTP_PRIO, STK_PR_PRIO},
};

static const struct pair notifs[] = {
    {SCTP_DATA_IO_EVENT, STK_N_DATA_IO},
    {SCTP_ASSOC_CHANGE, STK_N_ASSOC_CHANGE},
    {SCTP_PEER_ADDR_CHANGE, STK_N_PEER_ADDR_CHANGE},
    {SCTP_SEND_FAILED, STK_N_SEND_FAILED},
    {SCTP_REMOTE_ERROR, STK_N_REMOTE_ERROR},
    {SCTP_SHUTDOWN_EVENT, STK_N_SHUTDOWN_EVENT},
    {SCTP_PARTIAL_DELIVERY_EVENT, STK_N_PARTIAL_DELIVERY_EVENT},
    {SCTP_ADAPTATION_INDICATION, STK_N_ADAPTATION_INDICATION},
    {SCTP_AUTHENTICATION_EVENT, STK_N_AUTHENTICATION_EVENT},
    {SCTP_SENDER_DRY_EVENT, STK_N_SENDER_DRY_EVENT},
    {SCTP_STREAM_RESET_EVENT, STK_N_STREAM_RESET_EVENT},
    {SCTP_ASSOC_RESET_EVENT, STK_N_ASSOC_RESET_EVENT},
    {SCTP_STREAM_CHANGE_EVENT, STK_N_STREAM_CHANGE_EVENT},
    {SCTP_SEND_FAILED_EVENT, STK_N_SEND_FAILED_EVENT},
};

static const struct pair assoc_states[] = {
    {SCTP_COMM_UP, STK_COMM_UP},
    {SCTP_COMM_LOST, STK_COMM_LOST},
    {SCTP_RESTART, STK_RESTART},
    {SCTP_SHUTDOWN_COMP, STK_SHUTDOWN_COMP},
    {SCTP_CANT_STR_ASSOC, STK_CANT_STR_ASSOC},
};

static const struct pair paddr_states[] = {
    {SCTP_ADDR_AVAILABLE, STK_ADDR_AVAILABLE},
    {SCTP_ADDR_UNREACHABLE, STK_ADDR_UNREACHABLE},
    {SCTP_ADDR_REMOVED, STK_ADDR_REMOVED},
    {SCTP_ADDR_ADDED, STK_ADDR_ADDED},
    {SCTP_ADDR_MADE_PRIM, STK_ADDR_MADE_PRIM},
    {SCTP_ADDR_CONFIRMED, STK_ADDR_CONFIRMED},
};

static const struct pair conn_states[] = {
    {SCTP_CLOSED, STK_S_CLOSED},
    {SCTP_COOKIE_WAIT, STK_S_COOKIE_WAIT},
    {SCTP_COOKIE_ECHOED, STK_S_COOKIE_ECHOED},
    {SCTP_ESTABLISHED, STK_S_ESTABLISHED},
    {SCTP_SHUTDOWN_PENDING, STK_S_SHUTDOWN_PENDING},
    {SCTP_SHUTDOWN_SENT, STK_S_SHUTDOWN_SENT},
    {SCTP_SHUTDOWN_RECEIVED, STK_S_SHUTDOWN_RECEIVED},
    {SCTP_SHUTDOWN_ACK_SENT, STK_S_SHUTDOWN_ACK_SENT},
};

static int to_stk(const struct pair *t, size_t n, int v, int dflt)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].lx == v)
            return t[i].neutral;
    return dflt;
}

static int to_lx(const struct pair *t, size_t n, int v, int dflt)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].neutral == v)
            return t[i].lx;
    return dflt;
}

uint16_t lx_flags_to_stk(uint16_t f)
{
    uint16_t out = 0;
    for (size_t i = 0; i < N(msg_flags); i++)
        if (f & msg_flags[i].lx)
            out |= (uint16_t)msg_flags[i].neutral;
    return out;
}

uint16_t stk_flags_to_lx(uint16_t f)
{
    uint16_t out = 0;
    for (size_t i = 0; i < N(msg_flags); i++)
        if (f & msg_flags[i].neutral)
            out |= (uint16_t)msg_flags[i].lx;
    return out;
}

uint16_t lx_pr_to_stk(uint16_t p)
{
    return (uint16_t)to_stk(pr_policies, N(pr_policies), SCTP_PR_POLICY(p),
                            STK_PR_NONE);
}

uint16_t stk_pr_to_lx(uint16_t p)
{
    return (uint16_t)to_lx(pr_policies, N(pr_policies), p, SCTP_PR_SCTP_NONE);
}

int lx_notif_to_stk(int t) { return to_stk(notifs, N(notifs), t, STK_N_NONE); }
int stk_notif_to_lx(int n) { return to_lx(notifs, N(notifs), n, -1); }

int stk_assoc_state_to_lx(int s)
{
    return to_lx(assoc_states, N(assoc_states), s, SCTP_COMM_LOST);
}

int stk_paddr_state_to_lx(int s)
{
    return to_lx(paddr_states, N(paddr_states), s, SCTP_ADDR_UNREACHABLE);
}

int stk_conn_state_to_lx(int s)
{
    return to_lx(conn_states, N(conn_states), s, SCTP_CLOSED);
}
