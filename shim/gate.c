#include "gate.h"

#include <pthread.h>

static pthread_rwlock_t gate;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* Set while this stack thread holds the gate for a packet. */
static __thread int holding;

static void init(void)
{
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    /* The receive threads take it for every packet: without writer
     * preference a busy stack would keep accept() waiting. */
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&gate, &a);
    pthread_rwlockattr_destroy(&a);
}

void gate_packet_wait(void)
{
    if (holding) {
        holding = 0;
        pthread_rwlock_unlock(&gate);
    }
}

void gate_packet_got(void)
{
    pthread_once(&once, init);
    pthread_rwlock_rdlock(&gate);
    holding = 1;
}

void gate_shut(void)
{
    pthread_once(&once, init);
    pthread_rwlock_wrlock(&gate);
}

void gate_open(void)
{
    pthread_rwlock_unlock(&gate);
}

void gate_forget_after_fork(void)
{
    /* The child has no stack threads; the lock may have been copied
     * held by one of them. */
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    once = fresh;
    holding = 0;
}
