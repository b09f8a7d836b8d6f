#include "base/real.h"

#include <dlfcn.h>

struct real_api real;

/* dlsym does not call back into any function the shim interposes, so
 * resolving everything at once is recursion-safe.  The constructor runs
 * before main; the explicit calls cover other libraries' constructors
 * that reach a hook before ours has run. */
__attribute__((constructor(101))) void real_init(void)
{
    if (real.close)
        return;
#define REAL_RESOLVE(ret, name, args)                                       \
    real.name = (ret(*) args)dlsym(RTLD_NEXT, #name);
    REAL_FUNCS(REAL_RESOLVE)
#undef REAL_RESOLVE
}
