/* Which TSNs of a peer have arrived, so that a DATA chunk the peer sent
 * twice (a retransmission whose first copy was not lost, only slow to be
 * acknowledged) counts once: the cumulative TSN, and a ring of bits for
 * the TSNs past it, TSN t at bit t % TSNWIN_SIZE. */
#ifndef SCTPSHIM_TSNWIN_H
#define SCTPSHIM_TSNWIN_H

#include <stdint.h>

#define TSNWIN_SIZE 4096

struct tsnwin {
    uint32_t cum;   /* every TSN up to here arrived */
    int base;       /* cum is known (the peer's INIT told its first TSN) */
    uint32_t *map;  /* allocated on the first TSN past cum + 1 */
};

/* The peer's initial TSN, from its INIT or INIT ACK. */
void tsnwin_start(struct tsnwin *w, uint32_t initial_tsn);
/* 1 when tsn is new (also when it is beyond the window, or before the
 * window has a base), 0 for a duplicate. */
int tsnwin_arrived(struct tsnwin *w, uint32_t tsn);
/* FORWARD TSN: the peer gave up on everything up to cum. */
void tsnwin_forward(struct tsnwin *w, uint32_t cum);
void tsnwin_free(struct tsnwin *w);

#endif
