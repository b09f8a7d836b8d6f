#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/real.h"

int shim_debug;

/* SCTPSHIM_LOG: the file the lines go to instead of stderr.  Opened on
 * the first line, appending, so that a fork child's and other processes'
 * lines land in the same file whole (one write each). */
static const char *log_path;
static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* Fork child: the lock may have been copied held. */
static void log_after_fork(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    log_lock = fresh;
}

/* Constructors of one library run in no order one can rely on: others
 * call this first too. */
__attribute__((constructor(102))) void shim_log_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    const char *v = getenv("SCTPSHIM_DEBUG");
    shim_debug = v && *v && strcmp(v, "0") != 0;
    const char *p = getenv("SCTPSHIM_LOG");
    log_path = p && *p ? p : NULL;
    if (log_path)
        pthread_atfork(NULL, NULL, log_after_fork);
}

/* A descriptor of the program's numbers may be closed behind the shim's
 * back (a "close every descriptor" loop) and reused for another file:
 * the log's is checked before each line, and opened again if it is no
 * longer the log file.  Kept high, out of the way of programs that
 * expect the lowest free numbers. */
static int log_target(void)
{
    struct stat st;
    if (log_fd >= 0 && fstat(log_fd, &st) == 0 && st.st_dev == log_dev &&
        st.st_ino == log_ino)
        return log_fd;
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return 2;
    int high = real.fcntl(fd, F_DUPFD_CLOEXEC, 512);
    if (high >= 0) {
        real.close(fd);
        fd = high;
    }
    if (fstat(fd, &st) < 0) {
        real.close(fd);
        return 2;
    }
    log_fd = fd;
    log_dev = st.st_dev;
    log_ino = st.st_ino;
    return fd;
}

void shim_log_write(const char *line, size_t len)
{
    real_init();
    if (!log_path) {
        if (real.write(2, line, len) < 0) {
            /* nowhere left to report it */
        }
        return;
    }
    pthread_mutex_lock(&log_lock);
    if (real.write(log_target(), line, len) < 0) {
        /* nowhere left to report it */
    }
    pthread_mutex_unlock(&log_lock);
}

/* Formats into a local buffer and writes once, straight to stderr's fd
 * (or SCTPSHIM_LOG's), so that a log line never goes through stdio locks
 * the program may hold. */
void shim_log(const char *fmt, ...)
{
    int saved = errno;
    char buf[512];
    int n = snprintf(buf, sizeof buf, "sctpshim[%d]: ", (int)getpid());
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    size_t len = (size_t)n + ((size_t)m < sizeof buf - (size_t)n - 1
                                  ? (size_t)m
                                  : sizeof buf - (size_t)n - 2);
    buf[len++] = '\n';
    shim_log_write(buf, len);
    errno = saved;
}
