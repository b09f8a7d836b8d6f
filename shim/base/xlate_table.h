/* Lookup tables between the shim's neutral values and one ABI's (Linux
 * or usrsctp).  ABI-neutral itself: both sides of the boundary use it. */
#ifndef SCTPSHIM_XLATE_TABLE_H
#define SCTPSHIM_XLATE_TABLE_H

#include <stddef.h>

struct xlate_pair {
    int neutral, abi;
};

#define XLATE_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline int xlate_to_abi(const struct xlate_pair *t, size_t n, int v,
                               int dflt)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].neutral == v)
            return t[i].abi;
    return dflt;
}

static inline int xlate_to_neutral(const struct xlate_pair *t, size_t n, int v,
                                   int dflt)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].abi == v)
            return t[i].neutral;
    return dflt;
}

/* For tables of single-bit flags: every bit set in v, translated. */
static inline unsigned xlate_bits_to_abi(const struct xlate_pair *t, size_t n,
                                         unsigned v)
{
    unsigned out = 0;
    for (size_t i = 0; i < n; i++)
        if (v & (unsigned)t[i].neutral)
            out |= (unsigned)t[i].abi;
    return out;
}

static inline unsigned xlate_bits_to_neutral(const struct xlate_pair *t,
                                             size_t n, unsigned v)
{
    unsigned out = 0;
    for (size_t i = 0; i < n; i++)
        if (v & (unsigned)t[i].abi)
            out |= (unsigned)t[i].neutral;
    return out;
}

#endif
