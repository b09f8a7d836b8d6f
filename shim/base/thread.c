#include "base/thread.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>

struct start {
    void *(*fn)(void *);
    void *arg;
    sem_t running;
};

static void *trampoline(void *p)
{
    struct start *st = p;
    void *(*fn)(void *) = st->fn;
    void *arg = st->arg;
    sem_post(&st->running); /* st is the starter's, gone after this */
    return fn(arg);
}

int thread_start(void *(*fn)(void *), void *arg, size_t stack,
                 const char *name)
{
    struct start st = {.fn = fn, .arg = arg};
    pthread_t t;
    pthread_attr_t a;
    sigset_t all, old;
    sem_init(&st.running, 0, 0);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, stack);
    int e = pthread_create(&t, &a, trampoline, &st);
    pthread_attr_destroy(&a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e == 0) {
        pthread_setname_np(t, name);
        while (sem_wait(&st.running) < 0 && errno == EINTR)
            ;
    }
    sem_destroy(&st.running);
    return e;
}
