#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "real.h"

int shim_debug;

__attribute__((constructor(102))) void shim_log_init(void)
{
    const char *v = getenv("SCTPSHIM_DEBUG");
    shim_debug = v && *v && strcmp(v, "0") != 0;
}

/* Formats into a local buffer and writes once, straight to stderr's fd, so
 * that a log line never goes through stdio locks the program may hold. */
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
    real_init();
    if (real.write(2, buf, len) < 0) {
        /* nowhere left to report it */
    }
    errno = saved;
}
