#include "core/watch.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "base/deadline.h"
#include "base/log.h"
#include "base/thread.h"

#define WATCH_PERIOD_MS 250
/* While a one-to-many sender waits for room, which usrsctp never
 * announces, it is retried this often: the price of a retry is one
 * wake-up, the price of waiting is the association's whole queue idle. */
#define WATCH_BUSY_US 1000

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* A semaphore rather than a condition: sem_post is async-signal-safe. */
static sem_t wake;
static int running;
static volatile sig_atomic_t requested;
static void (*request_fn)(void);
static int (*tick_fn)(void);
static int (*tick_wanted)(void); /* set before the thread starts */
/* Held while the thread works: fork takes it to park the thread. */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;

static void *watch_loop(void *arg)
{
    (void)arg;
    int blocked = 0;
    for (;;) {
        struct timespec ts = deadline_after(
            CLOCK_MONOTONIC, blocked ? WATCH_BUSY_US : WATCH_PERIOD_MS * 1000L);
        while (sem_clockwait(&wake, CLOCK_MONOTONIC, &ts) < 0 && errno == EINTR)
            ;
        while (sem_trywait(&wake) == 0)
            ;
        if (requested && request_fn) {
            requested = 0;
            request_fn();
        }
        pthread_mutex_lock(&busy);
        blocked = tick_fn();
        pthread_mutex_unlock(&busy);
    }
    return NULL;
}

static void start(void)
{
    tick_fn = __atomic_load_n(&tick_wanted, __ATOMIC_RELAXED);
    sem_init(&wake, 0, 0);
    int e = thread_start(watch_loop, NULL, 256 * 1024, "sctpshim watch");
    if (e == 0)
        __atomic_store_n(&running, 1, __ATOMIC_RELEASE);
    else
        SHIM_LOG("cannot start the watch thread: %s", strerror(e));
}

void watch_start(int (*tick)(void))
{
    __atomic_store_n(&tick_wanted, tick, __ATOMIC_RELAXED);
    pthread_once(&once, start);
}

void watch_kick(void)
{
    int v = 0;
    if (__atomic_load_n(&running, __ATOMIC_ACQUIRE) &&
        sem_getvalue(&wake, &v) == 0 && v == 0)
        sem_post(&wake);
}

int watch_running(void)
{
    return __atomic_load_n(&running, __ATOMIC_ACQUIRE);
}

void watch_set_request_fn(void (*fn)(void))
{
    request_fn = fn;
}

void watch_request(void)
{
    requested = 1;
    if (__atomic_load_n(&running, __ATOMIC_ACQUIRE))
        sem_post(&wake);
}

void watch_park(void)
{
    pthread_mutex_lock(&busy);
}

void watch_unpark(void)
{
    pthread_mutex_unlock(&busy);
}

void watch_forget_after_fork(void)
{
    pthread_mutex_init(&busy, NULL);
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    /* The child has no watch thread: start() makes one anew. */
    once = fresh;
    tick_fn = NULL;
    running = 0;
    requested = 0;
}
