/* One-line diagnostics, printed only when SCTPSHIM_DEBUG is set, on
 * stderr or in the file SCTPSHIM_LOG names. */
#ifndef SCTPSHIM_LOG_H
#define SCTPSHIM_LOG_H

#include <stddef.h>

extern int shim_debug;

void shim_log_init(void);
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes whole lines (each ending in '\n') where shim_log writes. */
void shim_log_write(const char *line, size_t len);

#define SHIM_LOG(...)                                                       \
    do {                                                                    \
        if (shim_debug)                                                     \
            shim_log(__VA_ARGS__);                                          \
    } while (0)

#endif
