/* Tables between the Linux SCTP ABI and the shim's neutral values.  Used
 * only by Linux-side files and their unit test. */
#ifndef SCTPSHIM_LX_XLATE_H
#define SCTPSHIM_LX_XLATE_H

#include <stdint.h>

/* sinfo_flags / snd_flags: message flags, PR-SCTP policy bits apart. */
uint16_t lx_flags_to_stk(uint16_t linux_flags);
uint16_t stk_flags_to_lx(uint16_t neutral);
/* The PR-SCTP policy: from sinfo_flags bits 4-5, or a pr_policy value. */
uint16_t lx_pr_to_stk(uint16_t linux_policy);
uint16_t stk_pr_to_lx(uint16_t neutral);
int lx_notif_to_stk(int linux_type);  /* STK_N_NONE when unknown */
int stk_notif_to_lx(int neutral);     /* -1 when unknown */
int stk_assoc_state_to_lx(int neutral);
int stk_paddr_state_to_lx(int neutral);
int stk_conn_state_to_lx(int neutral);
/* sn_flags of a notification of the given neutral type. */
uint16_t stk_notif_flags_to_lx(int neutral_type, uint16_t neutral);
uint32_t stk_pdapi_ind_to_lx(uint32_t neutral);
uint32_t stk_auth_ind_to_lx(uint32_t neutral);
int stk_path_state_to_lx(int neutral);
/* spp_flags, less the SACK delay's, which no neutral flag carries. */
uint32_t lx_spp_flags_to_stk(uint32_t linux_flags);
uint32_t stk_spp_flags_to_lx(uint32_t neutral);
/* SCTP_ENABLE_STREAM_RESET's bits. */
uint32_t lx_strreset_to_stk(uint32_t linux_bits);
uint32_t stk_strreset_to_lx(uint32_t neutral);

#endif
