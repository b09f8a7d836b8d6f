/* One-line diagnostics, printed only when SCTPSHIM_DEBUG is set. */
#ifndef SCTPSHIM_LOG_H
#define SCTPSHIM_LOG_H

extern int shim_debug;

void shim_log_init(void);
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define SHIM_LOG(...)                                                       \
    do {                                                                    \
        if (shim_debug)                                                     \
            shim_log(__VA_ARGS__);                                          \
    } while (0)

#endif
