#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "real.h"
#include "usr_api.h"

struct usr_api usr;

static void *usr_handle;

/* A copy of the library behind a memfd has its own inode, so the dynamic
 * loader maps it as a new object with its own globals, mutexes and
 * threads: the fresh stack a fork child needs. */
static void *open_private_copy(void)
{
    struct link_map *lm = NULL;
    if (!usr_handle || dlinfo(usr_handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
        return NULL;
    int src = open(lm->l_name, O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return NULL;
    struct stat st;
    int mfd = memfd_create("libusrsctp-child", MFD_CLOEXEC);
    void *h = NULL;
    if (mfd >= 0 && fstat(src, &st) == 0 &&
        sendfile(mfd, src, NULL, (size_t)st.st_size) == st.st_size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    real.close(src);
    if (mfd >= 0)
        real.close(mfd);
    return h;
}

int usr_load(int fresh)
{
    void *h = fresh ? open_private_copy()
                    : dlopen("libusrsctp.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        SHIM_LOG("cannot load libusrsctp: %s", dlerror());
        errno = EPROTONOSUPPORT;
        return -1;
    }
    struct usr_api t;
#define USR_RESOLVE(ret, name, args)                                        \
    t.name = (ret(*) args)dlsym(h, #name);                                  \
    if (!t.name) {                                                          \
        SHIM_LOG("libusrsctp lacks %s", #name);                             \
        errno = EPROTONOSUPPORT;                                            \
        return -1;                                                          \
    }
    USR_FUNCS(USR_RESOLVE)
#undef USR_RESOLVE
    usr = t;
    usr_handle = h;
    return 0;
}
