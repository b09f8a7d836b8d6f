/* The shim's own threads (watch, life, the owner's server). */
#ifndef SCTPSHIM_THREAD_H
#define SCTPSHIM_THREAD_H

#include <stddef.h>

/* Starts fn(arg) on a detached thread named name, with every signal
 * blocked (the program's signals are not its business), and returns once
 * it runs: a fork must not copy a thread half-way through its start
 * (under ASan, with its allocator's locks held).  0, or an errno value. */
int thread_start(void *(*fn)(void *), void *arg, size_t stack,
                 const char *name);

#endif
