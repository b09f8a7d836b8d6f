#include "watch.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "log.h"
#include "sock.h"

#define WATCH_PERIOD_MS 250
/* While a one-to-many sender waits for room, which usrsctp never
 * announces, it is retried this often: the price of a retry is one
 * wake-up, the price of waiting is the association's whole queue idle. */
#define WATCH_BUSY_US 1000

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kicked;
static int kicks;

static void *watch_loop(void *arg)
{
    (void)arg;
    int blocked = 0;
    for (;;) {
        struct timespec ts = deadline_after(
            CLOCK_MONOTONIC, blocked ? WATCH_BUSY_US : WATCH_PERIOD_MS * 1000L);
        pthread_mutex_lock(&lock);
        while (!kicks && pthread_cond_timedwait(&kicked, &lock, &ts) == 0)
            ;
        kicks = 0;
        pthread_mutex_unlock(&lock);
        blocked = sock_resync_all();
    }
    return NULL;
}

static void start(void)
{
    pthread_t t;
    pthread_attr_t a;
    pthread_condattr_t ca;
    sigset_t all, old;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&kicked, &ca);
    pthread_condattr_destroy(&ca);
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

void watch_kick(void)
{
    pthread_mutex_lock(&lock);
    kicks = 1;
    pthread_cond_signal(&kicked);
    pthread_mutex_unlock(&lock);
}

void watch_forget_after_fork(void)
{
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    pthread_mutex_t unlocked = PTHREAD_MUTEX_INITIALIZER;
    /* The child has no watch thread, and the lock may have been copied
     * held: start() makes both anew. */
    once = fresh;
    lock = unlocked;
    kicks = 0;
}
