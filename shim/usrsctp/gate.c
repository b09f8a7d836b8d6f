#include "usrsctp/gate.h"

#include <pthread.h>

static pthread_rwlock_t gate;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
/* Set while this stack thread holds the gate for a packet or tick. */
static __thread int holding;
/* How deep this program thread is in gate_shut. */
static __thread int shut_depth;
/* Receive threads that may hold a packet taken off their socket and
 * have not gone back to wait: what stk_backlog() looks at besides the
 * sockets' queues.  counted: this thread is one of them. */
static int busy;
static __thread int counted;
/* Packets handled by receive threads, ever (gate_packets_handled). */
static unsigned handled;
/* Stack threads that have reached their first wait (gate_arrived). */
static int arrived;
static __thread int arrived_me;

/* usrsctp's timer thread leaves its loop right after a sleep, holding
 * the gate: it lets go as it ends. */
static void thread_ends(void *arg)
{
    (void)arg;
    if (holding) {
        holding = 0;
        pthread_rwlock_unlock(&gate);
    }
    gate_packet_none();
}

static void make_key(void)
{
    pthread_key_create(&exit_key, thread_ends);
}

static void init(void)
{
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    /* Stack threads take it for every packet while program threads come
     * and go: without writer preference a busy program would keep the
     * packets (and with them the data it waits for) out. */
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&gate, &a);
    pthread_rwlockattr_destroy(&a);
    pthread_once(&key_once, make_key);
}

void gate_packet_wait(void)
{
    if (!arrived_me) {
        arrived_me = 1;
        __atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
    }
    if (holding) {
        holding = 0;
        pthread_rwlock_unlock(&gate);
        if (counted)
            __atomic_add_fetch(&handled, 1, __ATOMIC_RELEASE);
    }
    gate_packet_none();
}

int gate_arrived(void)
{
    return __atomic_load_n(&arrived, __ATOMIC_ACQUIRE);
}

unsigned gate_packets_handled(void)
{
    return __atomic_load_n(&handled, __ATOMIC_ACQUIRE);
}

void gate_packet_coming(void)
{
    if (!counted) {
        counted = 1;
        __atomic_add_fetch(&busy, 1, __ATOMIC_ACQ_REL);
    }
}

void gate_packet_none(void)
{
    if (counted) {
        counted = 0;
        __atomic_sub_fetch(&busy, 1, __ATOMIC_RELEASE);
    }
}

void gate_packet_got(void)
{
    pthread_once(&once, init);
    pthread_rwlock_wrlock(&gate);
    holding = 1;
    pthread_setspecific(exit_key, &holding);
}

void gate_shut(void)
{
    /* Upcalls run on stack threads holding the gate, and a read lock
     * taken twice by one thread deadlocks once a writer waits. */
    if (holding || shut_depth++)
        return;
    pthread_once(&once, init);
    pthread_rwlock_rdlock(&gate);
}

void gate_open(void)
{
    if (holding || --shut_depth)
        return;
    pthread_rwlock_unlock(&gate);
}

void gate_forget_after_fork(void)
{
    /* The child has no stack threads; the lock may have been copied
     * held by one of them. */
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    once = fresh;
    arrived = 0;
    arrived_me = 0;
    holding = 0;
    busy = 0;
    counted = 0;
}

int gate_busy(void)
{
    return __atomic_load_n(&busy, __ATOMIC_ACQUIRE) > 0;
}
