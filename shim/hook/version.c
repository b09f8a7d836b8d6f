#include "sctpshim.h"

__attribute__((visibility("default"))) const char *sctpshim_version(void)
{
    return SCTPSHIM_VERSION;
}
