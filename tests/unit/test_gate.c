/* The gate between usrsctp's own work (packets, timer ticks) and the
 * program's calls into usrsctp (see shim/usrsctp/gate.h): a stack thread
 * handling a packet keeps calls out, calls keep the next packet waiting,
 * stack threads exclude each other, calls do not, and a stack thread that
 * ends holding the gate lets it go.  Ordering is checked with stages, not
 * with timing bounds: a slow machine can only make a check pass for the
 * wrong reason, never fail. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "usrsctp/gate.h"

static int checks;
#define CHECK(c)                                                            \
    do {                                                                    \
        checks++;                                                           \
        if (!(c)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #c);                                                    \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

static atomic_int stage;

static void wait_stage(int n)
{
    while (atomic_load(&stage) < n)
        usleep(1000);
}

static void *stack_thread(void *arg)
{
    (void)arg;
    gate_packet_got(); /* a packet arrived: handle it */
    atomic_store(&stage, 1);
    usleep(100 * 1000);
    atomic_store(&stage, 2);
    gate_packet_wait(); /* back in recvmsg() */
    wait_stage(3);      /* accept() now holds the gate */
    gate_packet_got();  /* the next packet waits for it */
    CHECK(atomic_load(&stage) == 4);
    gate_packet_wait();
    return NULL;
}

static void *second_stack_thread(void *arg)
{
    (void)arg;
    gate_packet_got();
    int was = atomic_fetch_add(&stage, 1);
    usleep(50 * 1000);
    /* the other stack thread did not get in meanwhile */
    CHECK(atomic_load(&stage) == was + 1);
    gate_packet_wait();
    return NULL;
}

static void *call_thread(void *arg)
{
    (void)arg;
    gate_shut();
    gate_shut(); /* calls nest */
    atomic_fetch_add(&stage, 1);
    wait_stage(22); /* both calls are in at once */
    gate_open();
    gate_open();
    return NULL;
}

/* usrsctp's timer thread leaves its loop holding the gate. */
static void *ending_stack_thread(void *arg)
{
    (void)arg;
    gate_packet_got();
    return NULL;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, stack_thread, NULL) == 0);
    wait_stage(1);
    gate_shut(); /* accept() while the packet is handled */
    CHECK(atomic_load(&stage) == 2);
    atomic_store(&stage, 3);
    usleep(100 * 1000);
    atomic_store(&stage, 4);
    gate_open();
    CHECK(pthread_join(t, NULL) == 0);

    /* Two stack threads (IPv4 and IPv6, or the timer) take turns. */
    pthread_t a, b;
    atomic_store(&stage, 10);
    CHECK(pthread_create(&a, NULL, second_stack_thread, NULL) == 0);
    CHECK(pthread_create(&b, NULL, second_stack_thread, NULL) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    CHECK(pthread_join(b, NULL) == 0);
    CHECK(atomic_load(&stage) == 12);

    /* Program calls on two threads go on side by side. */
    atomic_store(&stage, 20);
    CHECK(pthread_create(&a, NULL, call_thread, NULL) == 0);
    CHECK(pthread_create(&b, NULL, call_thread, NULL) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    CHECK(pthread_join(b, NULL) == 0);

    /* A stack thread that ends holding the gate lets it go. */
    CHECK(pthread_create(&a, NULL, ending_stack_thread, NULL) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    gate_shut();
    gate_open();

    /* A thread that holds nothing releases nothing. */
    gate_packet_wait();
    gate_shut();
    gate_open();
    printf("test_gate: %d checks passed\n", checks);
    return 0;
}
