#include "usrsctp/tsnwin.h"

#include <stdlib.h>
#include <string.h>

static int after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

static int bit(const struct tsnwin *w, uint32_t t)
{
    return (w->map[(t % TSNWIN_SIZE) / 32] >> (t % 32)) & 1u;
}

static void flip(struct tsnwin *w, uint32_t t)
{
    w->map[(t % TSNWIN_SIZE) / 32] ^= 1u << (t % 32);
}

/* Moves cum over what is contiguous now, clearing the bits it passes. */
static void slide(struct tsnwin *w)
{
    while (bit(w, w->cum + 1)) {
        flip(w, w->cum + 1);
        w->cum++;
    }
}

void tsnwin_start(struct tsnwin *w, uint32_t initial_tsn)
{
    w->cum = initial_tsn - 1;
    w->base = 1;
    if (w->map)
        memset(w->map, 0, TSNWIN_SIZE / 8);
}

int tsnwin_arrived(struct tsnwin *w, uint32_t tsn)
{
    if (!w->base)
        return 1;
    if (!after(tsn, w->cum))
        return 0;
    if (tsn - w->cum > TSNWIN_SIZE)
        return 1;
    if (tsn == w->cum + 1 && !w->map) {
        w->cum = tsn; /* in order: no map needed */
        return 1;
    }
    if (!w->map && !(w->map = calloc(TSNWIN_SIZE / 32, sizeof *w->map)))
        return 1;
    if (bit(w, tsn))
        return 0;
    flip(w, tsn);
    slide(w);
    return 1;
}

void tsnwin_forward(struct tsnwin *w, uint32_t cum)
{
    if (!w->base || !after(cum, w->cum))
        return;
    if (w->map) {
        if (cum - w->cum >= TSNWIN_SIZE)
            memset(w->map, 0, TSNWIN_SIZE / 8);
        else
            for (uint32_t t = w->cum + 1; t != cum + 1; t++)
                if (bit(w, t))
                    flip(w, t);
    }
    w->cum = cum;
    if (w->map)
        slide(w);
}

void tsnwin_free(struct tsnwin *w)
{
    free(w->map);
    w->map = NULL;
}
