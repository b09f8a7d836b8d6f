/* Tables between the shim's neutral values and usrsctp's.  Used only by
 * the usrsctp-side files and their unit test. */
#ifndef SCTPSHIM_STK_XLATE_H
#define SCTPSHIM_STK_XLATE_H

#include <stdint.h>

uint16_t stk_flags_to_usr(uint16_t neutral);
uint16_t usr_flags_to_stk(uint16_t usr_flags);
uint16_t stk_pr_to_usr(uint16_t neutral);
uint16_t usr_pr_to_stk(uint16_t usr_policy);
int stk_notif_to_usr(int neutral);   /* -1 when usrsctp has no such event */
int usr_notif_to_stk(int usr_type);  /* STK_N_NONE when unknown */
int usr_assoc_state_to_stk(int usr_state);
int usr_paddr_state_to_stk(int usr_state);
int usr_conn_state_to_stk(int usr_state);
/* sn_flags of a notification of the given neutral type. */
uint16_t usr_notif_flags_to_stk(int neutral_type, uint16_t usr_flags);
uint32_t usr_pdapi_ind_to_stk(uint32_t usr_indication);
uint32_t usr_auth_ind_to_stk(uint32_t usr_indication);
int usr_path_state_to_stk(int usr_state);
uint32_t stk_spp_flags_to_usr(uint32_t neutral);
uint32_t usr_spp_flags_to_stk(uint32_t usr_flags);
uint32_t stk_strreset_to_usr(uint32_t neutral);
uint32_t usr_strreset_to_stk(uint32_t usr_bits);

#endif
