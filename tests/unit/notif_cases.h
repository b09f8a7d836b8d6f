/* The notifications tests/unit/test_notif.c feeds through the shim,
 * built in usrsctp's layout by notif_usr.c.  Neutral: seen by both the
 * usrsctp-side builder and the Linux-side checker, which cannot share a
 * translation unit. */
#ifndef SCTPSHIM_NOTIF_CASES_H
#define SCTPSHIM_NOTIF_CASES_H

#include <stddef.h>

enum notif_case {
    NC_COMM_UP,            /* with usrsctp's feature list appended */
    NC_COMM_LOST,          /* with the peer's ABORT chunk, cause 12 */
    NC_RESTART,
    NC_SHUTDOWN_COMP,
    NC_CANT_STR_ASSOC,     /* no ABORT chunk */
    NC_PEER_ADDR_UNREACHABLE,
    NC_PEER_ADDR_CONFIRMED,
    NC_REMOTE_ERROR,       /* cause 5, with 8 bytes of cause data */
    NC_SEND_FAILED_UNSENT, /* SEND_FAILED_EVENT, never on the wire */
    NC_SEND_FAILED_SENT,
    NC_SHUTDOWN_EVENT,
    NC_ADAPTATION,
    NC_PDAPI_ABORTED,
    NC_AUTH_NEW_KEY,
    NC_AUTH_NO_AUTH,
    NC_AUTH_FREE_KEY,
    NC_SENDER_DRY,
    NC_STREAM_RESET,       /* incoming, denied, streams 1 2 3 */
    NC_ASSOC_RESET,        /* failed */
    NC_STREAM_CHANGE,      /* denied */
    NC_COUNT
};

/* Writes case c in usrsctp's layout into buf; returns its length. */
size_t usr_notif_build(int c, void *buf, size_t cap);

/* The values every case uses. */
#define NC_ASSOC 0x2a
#define NC_OUT 5
#define NC_IN 7
#define NC_PEER_PORT 5000
#define NC_SID 9
#define NC_PPID 0x11223344u
#define NC_CONTEXT 0xc0ffee01u
#define NC_ADAPT_IND 0x01020304u
#define NC_PDAPI_STREAM 3
#define NC_PDAPI_SEQ 17
#define NC_KEY 2
#define NC_LOCAL_TSN 0x10000001u
#define NC_REMOTE_TSN 0x20000002u
#define NC_FAILED_BODY "unsent body"
#define NC_ABORT_REASON "bye"

#endif
