#include "core/privfd.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "base/real.h"
#include "core/fdtab.h"

/* Serialises the shim's own windows; the program's setrlimit is not
 * hooked (programs set their limits at start, before any socket). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Raises the soft limit (and the hard one, where allowed) so that numbers
 * from the program's limit up to the table's capacity can be made.
 * Returns 0 with the program's limits in *saved, or -1 when there is no
 * room above them. */
static int open_window(struct rlimit *saved)
{
    rlim_t top = (rlim_t)fdtab_capacity();
    if (getrlimit(RLIMIT_NOFILE, saved) < 0 || saved->rlim_cur == RLIM_INFINITY ||
        saved->rlim_cur >= top)
        return -1;
    struct rlimit up = {top, saved->rlim_max};
    if (saved->rlim_max != RLIM_INFINITY && saved->rlim_max < top) {
        up.rlim_max = top;
        if (setrlimit(RLIMIT_NOFILE, &up) == 0)
            return 0;
        if (saved->rlim_max <= saved->rlim_cur)
            return -1; /* no room, and no right to make any */
        up.rlim_cur = up.rlim_max = saved->rlim_max;
    }
    return setrlimit(RLIMIT_NOFILE, &up);
}

static void close_window(const struct rlimit *saved)
{
    int e = errno;
    setrlimit(RLIMIT_NOFILE, saved);
    errno = e;
}

/* Above the program's limit, if fd is not already. */
static int lift(int fd, const struct rlimit *saved)
{
    if ((rlim_t)fd >= saved->rlim_cur)
        return fd;
    int nfd = real.fcntl(fd, F_DUPFD_CLOEXEC, (int)saved->rlim_cur);
    if (nfd < 0)
        return fd;
    real.close(fd);
    return nfd;
}

static int mark(int fd)
{
    if (fd >= 0)
        fdtab_set(fd, FDTAB_PRIVATE); /* made close-on-exec */
    return fd;
}

int privfd_socket(int domain, int type, int protocol)
{
    struct rlimit saved;
    pthread_mutex_lock(&lock);
    int opened = open_window(&saved) == 0;
    int fd = real.socket(domain, type | SOCK_CLOEXEC, protocol);
    if (opened) {
        if (fd >= 0)
            fd = lift(fd, &saved);
        close_window(&saved);
    }
    pthread_mutex_unlock(&lock);
    return mark(fd);
}

int privfd_dup(int fd)
{
    struct rlimit saved;
    pthread_mutex_lock(&lock);
    int nfd = -1;
    if (open_window(&saved) == 0) {
        nfd = real.fcntl(fd, F_DUPFD_CLOEXEC, (int)saved.rlim_cur);
        close_window(&saved);
    }
    /* No room above (or none left): among the program's numbers. */
    if (nfd < 0)
        nfd = real.fcntl(fd, F_DUPFD_CLOEXEC, 0);
    pthread_mutex_unlock(&lock);
    return mark(nfd);
}

void privfd_close(int fd)
{
    if (fd >= 0) {
        fdtab_take(fd);
        real.close(fd);
    }
}
