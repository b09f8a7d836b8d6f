#include "watch.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sock.h"

#define WATCH_PERIOD_MS 250
/* While a one-to-many sender waits for room, which usrsctp never
 * announces, it is retried this often: the price of a retry is one
 * wake-up, the price of waiting is the association's whole queue idle. */
#define WATCH_BUSY_US 1000

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *watch_loop(void *arg)
{
    (void)arg;
    struct timespec idle = {0, WATCH_PERIOD_MS * 1000L * 1000L};
    struct timespec busy = {0, WATCH_BUSY_US * 1000L};
    int blocked = 0;
    for (;;) {
        nanosleep(blocked ? &busy : &idle, NULL);
        blocked = sock_resync_all();
    }
    return NULL;
}

static void start(void)
{
    pthread_t t;
    pthread_attr_t a;
    sigset_t all, old;
    /* The program's signals are not this thread's business. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 256 * 1024);
    int e = pthread_create(&t, &a, watch_loop, NULL);
    if (e == 0)
        pthread_setname_np(t, "sctpshim watch");
    else
        SHIM_LOG("cannot start the watch thread: %s", strerror(e));
    pthread_attr_destroy(&a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void watch_start(void)
{
    pthread_once(&once, start);
}

void watch_forget_after_fork(void)
{
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    once = fresh;
}
