/* The error causes of an ABORT (or ERROR) chunk, as text for a log
 * line: "cause 12 (user-initiated abort) \"reason\"", each cause named
 * (RFC 9260, 3.3.10), with its information when it is printable. */
#ifndef SCTPSHIM_CAUSES_H
#define SCTPSHIM_CAUSES_H

#include <stddef.h>

#include "usrsctp/packet.h"

/* The chunk starts at offset at of p and is clen bytes long. */
void wire_causes(const struct wire_pkt *p, size_t at, size_t clen, char *out, size_t cap);

#endif
