#include "lifecycle.h"

#include <pthread.h>
#include <stdlib.h>

#include "gate.h"
#include "linger.h"
#include "log.h"
#include "watch.h"
#include "registry.h"
#include "sock.h"
#include "stack.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered;

/* A fork child inherits the descriptors but not usrsctp's threads: its
 * copies of the parent's sockets become unusable (their calls fail with
 * EBADFD), the parent's claims stay the parent's, and a new socket in the
 * child starts a fresh stack instance. */
static void at_fork_child(void)
{
    sock_orphan_all();
    watch_forget_after_fork();
    linger_forget_after_fork();
    registry_forget_after_fork();
    stk_forget_after_fork();
    gate_forget_after_fork();
}

static int linger_ms(void)
{
    const char *v = getenv("SCTPSHIM_LINGER_MS");
    return v && *v ? atoi(v) : 5000;
}

/* The kernel keeps an exiting process's associations until their data is
 * delivered and the SHUTDOWN is done; usrsctp would vanish with the
 * process.  So exit closes every socket gracefully and waits, bounded. */
static void at_exit(void)
{
    sock_close_all();
    linger_finish(linger_ms());
    stk_drain_at_exit(1000);
}

static void do_register(void)
{
    if (pthread_atfork(NULL, NULL, at_fork_child) == 0 && atexit(at_exit) == 0)
        registered = 1;
}

int lifecycle_first_socket(void)
{
    pthread_once(&once, do_register);
    return registered ? 0 : -1;
}
