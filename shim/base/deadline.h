/* An absolute time us microseconds from now on clock clk, as
 * pthread_cond_timedwait wants it. */
#ifndef SCTPSHIM_DEADLINE_H
#define SCTPSHIM_DEADLINE_H

#include <time.h>

static inline struct timespec deadline_after(clockid_t clk, long us)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    ts.tv_nsec += us * 1000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

#endif
