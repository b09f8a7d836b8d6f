/* nanosleep(): usrsctp's timer thread handles a tick between two of its
 * sleeps, and holds the gate meanwhile (usrsctp/gate.h). */
#include "hook/hook.h"

#include <string.h>
#include <sys/prctl.h>

#include "usrsctp/gate.h"

/* 1: usrsctp's timer thread, -1: another thread, 0: not known yet.  The
 * thread is known by the name usrsctp gives it before its first sleep;
 * its address would not do, as ThreadSanitizer's nanosleep stands
 * between usrsctp and this one. */
static __thread int timer_thread;

static int is_timer_thread(void)
{
    if (__builtin_expect(timer_thread == 0, 0)) {
        char name[16] = "";
        prctl(PR_GET_NAME, name);
        timer_thread = strcmp(name, "SCTP timer") == 0 ? 1 : -1;
    }
    return timer_thread > 0;
}

HOOK_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (__builtin_expect(real.nanosleep == NULL, 0))
        real_init();
    if (!is_timer_thread())
        return real.nanosleep(req, rem);
    gate_packet_wait();
    int r = real.nanosleep(req, rem);
    int e = errno;
    gate_packet_got();
    errno = e;
    return r;
}
