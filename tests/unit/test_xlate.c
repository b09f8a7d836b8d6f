/* The translation tables on both sides of the neutral boundary, in both
 * directions.  This file sees only neutral headers, so the Linux and
 * usrsctp values are spelled as numbers, taken from <linux/sctp.h> and
 * <usrsctp.h>. */
#include <stdio.h>
#include <stdlib.h>

#include "linux/xlate.h"
#include "usrsctp/stack.h"
#include "usrsctp/xlate.h"

static int fails, checks;

#define EQ(a, b)                                                            \
    do {                                                                    \
        checks++;                                                           \
        if ((long)(a) != (long)(b)) {                                       \
            fprintf(stderr, "%s:%d: %s = 0x%lx, expected 0x%lx\n", __FILE__, \
                    __LINE__, #a, (long)(a), (long)(b));                    \
            fails++;                                                        \
        }                                                                   \
    } while (0)

struct flagrow {
    uint16_t neutral, linux_v, usr_v;
};

/* SCTP_UNORDERED, SCTP_ADDR_OVER, SCTP_ABORT, SCTP_EOF, SCTP_SENDALL,
 * SCTP_SACK_IMMEDIATELY */
static const struct flagrow flags[] = {
    {STK_F_UNORDERED, 0x0001, 0x0400},
    {STK_F_ADDR_OVER, 0x0002, 0x0800},
    {STK_F_ABORT, 0x0004, 0x0200},
    {STK_F_EOF, 0x0200, 0x0100},
    {STK_F_SENDALL, 0x0040, 0x1000},
    {STK_F_SACK_IMMEDIATELY, 0x0008, 0x4000},
};

static void message_flags(void)
{
    uint16_t all_n = 0, all_l = 0, all_u = 0;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        EQ(stk_flags_to_lx(flags[i].neutral), flags[i].linux_v);
        EQ(lx_flags_to_stk(flags[i].linux_v), flags[i].neutral);
        EQ(stk_flags_to_usr(flags[i].neutral), flags[i].usr_v);
        EQ(usr_flags_to_stk(flags[i].usr_v), flags[i].neutral);
        all_n |= flags[i].neutral;
        all_l |= flags[i].linux_v;
        all_u |= flags[i].usr_v;
    }
    EQ(stk_flags_to_lx(all_n), all_l);
    EQ(lx_flags_to_stk(all_l), all_n);
    EQ(stk_flags_to_usr(all_n), all_u);
    EQ(usr_flags_to_stk(all_u), all_n);
    /* Linux keeps the PR-SCTP policy in bits 4-5 of the same field: they
     * are not message flags. */
    EQ(lx_flags_to_stk(0x0030), 0);
}

static void pr_policies(void)
{
    /* Linux: TTL 0x10, RTX 0x20, PRIO 0x30; usrsctp: TTL 1, BUF 2, RTX 3 */
    EQ(lx_pr_to_stk(0x0010), STK_PR_TTL);
    EQ(lx_pr_to_stk(0x0020), STK_PR_RTX);
    EQ(lx_pr_to_stk(0x0030), STK_PR_PRIO);
    EQ(lx_pr_to_stk(0x0000), STK_PR_NONE);
    EQ(lx_pr_to_stk(0x0031), STK_PR_PRIO); /* flags beside the policy */
    EQ(stk_pr_to_lx(STK_PR_TTL), 0x0010);
    EQ(stk_pr_to_lx(STK_PR_RTX), 0x0020);
    EQ(stk_pr_to_lx(STK_PR_PRIO), 0x0030);
    EQ(stk_pr_to_usr(STK_PR_TTL), 1);
    EQ(stk_pr_to_usr(STK_PR_PRIO), 2);
    EQ(stk_pr_to_usr(STK_PR_RTX), 3);
    EQ(usr_pr_to_stk(1), STK_PR_TTL);
    EQ(usr_pr_to_stk(2), STK_PR_PRIO);
    EQ(usr_pr_to_stk(3), STK_PR_RTX);
    EQ(usr_pr_to_stk(0), STK_PR_NONE);
}

static void notifications(void)
{
    /* Linux numbers them from 0x8001 in this order; usrsctp from 1 in
     * its own order. */
    static const struct {
        int neutral, linux_v, usr_v;
    } rows[] = {
        {STK_N_ASSOC_CHANGE, 0x8001, 0x0001},
        {STK_N_PEER_ADDR_CHANGE, 0x8002, 0x0002},
        {STK_N_SEND_FAILED, 0x8003, 0x0004},
        {STK_N_REMOTE_ERROR, 0x8004, 0x0003},
        {STK_N_SHUTDOWN_EVENT, 0x8005, 0x0005},
        {STK_N_PARTIAL_DELIVERY_EVENT, 0x8006, 0x0007},
        {STK_N_ADAPTATION_INDICATION, 0x8007, 0x0006},
        {STK_N_AUTHENTICATION_EVENT, 0x8008, 0x0008},
        {STK_N_SENDER_DRY_EVENT, 0x8009, 0x000a},
        {STK_N_STREAM_RESET_EVENT, 0x800a, 0x0009},
        {STK_N_ASSOC_RESET_EVENT, 0x800b, 0x000c},
        {STK_N_STREAM_CHANGE_EVENT, 0x800c, 0x000d},
        {STK_N_SEND_FAILED_EVENT, 0x800d, 0x000e},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        EQ(stk_notif_to_lx(rows[i].neutral), rows[i].linux_v);
        EQ(lx_notif_to_stk(rows[i].linux_v), rows[i].neutral);
        EQ(stk_notif_to_usr(rows[i].neutral), rows[i].usr_v);
        EQ(usr_notif_to_stk(rows[i].usr_v), rows[i].neutral);
    }
    EQ(lx_notif_to_stk(0x8000), STK_N_DATA_IO);
    EQ(stk_notif_to_usr(STK_N_DATA_IO), -1);
    EQ(usr_notif_to_stk(0x000b), STK_N_NONE); /* notifications stopped */
    EQ(lx_notif_to_stk(0x7777), STK_N_NONE);
}

/* sn_flags and indications, usrsctp -> neutral -> Linux. */
static void notification_details(void)
{
    /* ssf_flags: usrsctp UNSENT 1, SENT 2; Linux UNSENT 0, SENT 1 */
    EQ(stk_notif_flags_to_lx(STK_N_SEND_FAILED_EVENT,
                             usr_notif_flags_to_stk(STK_N_SEND_FAILED_EVENT, 1)), 0);
    EQ(stk_notif_flags_to_lx(STK_N_SEND_FAILED_EVENT,
                             usr_notif_flags_to_stk(STK_N_SEND_FAILED_EVENT, 2)), 1);
    EQ(stk_notif_flags_to_lx(STK_N_SEND_FAILED,
                             usr_notif_flags_to_stk(STK_N_SEND_FAILED_EVENT, 2)), 1);
    /* Reset and stream change flags: INCOMING_SSN 1, OUTGOING_SSN 2,
     * DENIED 4, FAILED 8 on both sides. */
    int resets[] = {STK_N_STREAM_RESET_EVENT, STK_N_ASSOC_RESET_EVENT,
                    STK_N_STREAM_CHANGE_EVENT};
    for (size_t i = 0; i < 3; i++)
        for (unsigned f = 0; f < 16; f++)
            EQ(stk_notif_flags_to_lx(resets[i], usr_notif_flags_to_stk(resets[i], (uint16_t)f)), f);
    /* Events without flags carry none. */
    EQ(stk_notif_flags_to_lx(STK_N_ASSOC_CHANGE,
                             usr_notif_flags_to_stk(STK_N_ASSOC_CHANGE, 2)), 0);
    /* pdapi_indication: usrsctp ABORTED 1, Linux 0 */
    EQ(stk_pdapi_ind_to_lx(usr_pdapi_ind_to_stk(1)), 0);
    /* auth_indication: usrsctp NEW_KEY 1, NO_AUTH 2, FREE_KEY 3;
     * Linux NEW_KEY 0, FREE_KEY 1, NO_AUTH 2 */
    EQ(stk_auth_ind_to_lx(usr_auth_ind_to_stk(1)), 0);
    EQ(stk_auth_ind_to_lx(usr_auth_ind_to_stk(2)), 2);
    EQ(stk_auth_ind_to_lx(usr_auth_ind_to_stk(3)), 1);
}

static void states(void)
{
    /* sac_state: Linux 0..4, usrsctp 1..5 */
    for (int i = 0; i < 5; i++) {
        EQ(stk_assoc_state_to_lx(usr_assoc_state_to_stk(i + 1)), i);
    }
    /* spc_state: Linux 0..5, usrsctp 1..6 */
    for (int i = 0; i < 6; i++)
        EQ(stk_paddr_state_to_lx(usr_paddr_state_to_stk(i + 1)), i);
    /* sstat_state: usrsctp CLOSED 0, COOKIE_WAIT 2, ESTABLISHED 8;
     * Linux CLOSED 1, COOKIE_WAIT 2, ESTABLISHED 4 */
    EQ(stk_conn_state_to_lx(usr_conn_state_to_stk(0x0000)), 1);
    EQ(stk_conn_state_to_lx(usr_conn_state_to_stk(0x0002)), 2);
    EQ(stk_conn_state_to_lx(usr_conn_state_to_stk(0x0008)), 4);
}

int main(void)
{
    message_flags();
    pr_policies();
    notifications();
    notification_details();
    states();
    printf("%d passed, %d failed\n", checks - fails, fails);
    return fails ? 1 : 0;
}
