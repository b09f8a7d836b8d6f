/* Notification layouts where usrsctp 0.9.5's library and its public
 * header disagree.  The library writes SCTP_PARTIAL_DELIVERY_EVENT with
 * a 16-bit stream and sequence number (its netinet/sctp_uio.h), 20 bytes
 * in all, while <usrsctp.h> declares them 32 bits wide, 24 bytes: read
 * through the header, stream and sequence run together and the
 * association id lies past the end of the event. */
#ifndef SCTPSHIM_USR_NOTIF_WIRE_H
#define SCTPSHIM_USR_NOTIF_WIRE_H

#include <stdint.h>

struct usr_pdapi_event {
    uint16_t pdapi_type;
    uint16_t pdapi_flags;
    uint32_t pdapi_length;
    uint32_t pdapi_indication;
    uint16_t pdapi_stream;
    uint16_t pdapi_seq;
    uint32_t pdapi_assoc_id;
};

#endif
