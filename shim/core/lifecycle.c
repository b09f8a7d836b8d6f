#include "core/lifecycle.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "core/fdtab.h"
#include "core/life.h"
#include "core/linger.h"
#include "core/privfd.h"
#include "core/registry.h"
#include "core/sock.h"
#include "core/watch.h"
#include "usrsctp/gate.h"
#include "usrsctp/stack.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered;

/* A fork child inherits the descriptors but not usrsctp's threads: its
 * copies of the parent's sockets become unusable (their calls fail with
 * EBADFD), the parent's claims stay the parent's, and a new socket in the
 * child starts a fresh stack instance. */
static void at_fork_child(void);

/* SCTPSHIM_LINGER_MS bounds the wait at exit; by default there is none,
 * as with the kernel, which keeps the associations after the process. */
static int linger_bound_ms(void)
{
    const char *v = getenv("SCTPSHIM_LINGER_MS");
    return v && *v ? atoi(v) : -1;
}

static pthread_mutex_t exit_lock = PTHREAD_MUTEX_INITIALIZER;
static int exit_done;
static int exiting;
static pthread_t exit_thread;
static volatile sig_atomic_t exit_signal;

/* The kernel keeps an exiting process's associations until their data is
 * delivered and the SHUTDOWN is done, or they fail; usrsctp would vanish
 * with the process.  So the exit ends every association as close() does
 * and waits for them.  Once per process: a second caller (exit() while a
 * signal's linger runs, say) waits for the first. */
static void exit_linger(void)
{
    pthread_mutex_lock(&exit_lock);
    if (!exit_done) {
        exit_thread = pthread_self();
        __atomic_store_n(&exiting, 1, __ATOMIC_RELEASE);
        sock_close_all();
        linger_finish(linger_bound_ms());
        if (shim_debug)
            stk_log_stats();
        exit_done = 1;
    }
    pthread_mutex_unlock(&exit_lock);
}

/* The default action of sig, now, from this thread. */
static void die_by(int sig)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigset_t m;
    sigaction(sig, &dfl, NULL);
    sigemptyset(&m);
    sigaddset(&m, sig);
    pthread_sigmask(SIG_UNBLOCK, &m, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached unless the signal's action changed */
}

/* After the program's own exit handlers and destructors, as the kernel
 * closes a process's files after them: this library's destructor runs
 * from _dl_fini, which glibc registers before anything else. */
__attribute__((destructor)) static void at_exit(void)
{
    if (!registered)
        return;
    exit_linger();
    if (exit_signal)
        die_by(exit_signal);
}

/* SIGTERM or SIGINT whose action the program left at the default: the
 * process is to die, but its associations first finish, as the kernel
 * would finish them without it.  A handler can call none of the shim, so
 * the watch thread does the waiting and then re-raises the signal; the
 * program's threads meanwhile run on until they next touch an SCTP socket. */
static void on_request(void)
{
    exit_linger();
    die_by(exit_signal);
}

static void on_exit_signal(int sig)
{
    /* Another one (timeout(1) sends SIGTERM to the child and to the
     * whole group) changes nothing: the first one's wait goes on. */
    if (__atomic_exchange_n(&exit_signal, sig, __ATOMIC_SEQ_CST))
        return;
    if (!watch_running())
        die_by(sig); /* no socket of this process's own to wait for */
    watch_request();
}

static void catch_if_default(int sig)
{
    struct sigaction old, sa = {.sa_handler = on_exit_signal,
                                .sa_flags = SA_RESTART};
    if (sigaction(sig, NULL, &old) < 0 || (old.sa_flags & SA_SIGINFO) ||
        old.sa_handler != SIG_DFL)
        return; /* the program's own action stands */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaction(sig, &sa, NULL);
}

void lifecycle_hold_if_exiting(void)
{
    if (!__atomic_load_n(&exiting, __ATOMIC_ACQUIRE) ||
        pthread_equal(exit_thread, pthread_self()))
        return;
    for (;;)
        pause();
}

static void at_fork_child(void)
{
    int fds[8];
    fdtab_forget_after_fork();
    for (int i = 0, n = stk_packet_fds(fds, 8); i < n; i++)
        privfd_close(fds[i]);
    sock_orphan_all();
    watch_forget_after_fork();
    life_forget_after_fork();
    linger_forget_after_fork();
    registry_forget_after_fork();
    stk_forget_after_fork();
    gate_forget_after_fork();
    pthread_mutex_init(&exit_lock, NULL);
    exit_done = 0;
    exiting = 0;
    exit_signal = 0;
}

static void do_register(void)
{
    watch_set_request_fn(on_request);
    if (pthread_atfork(NULL, NULL, at_fork_child) == 0)
        registered = 1;
    catch_if_default(SIGTERM);
    catch_if_default(SIGINT);
}

int lifecycle_first_socket(void)
{
    pthread_once(&once, do_register);
    return registered ? 0 : -1;
}
