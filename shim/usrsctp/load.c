#include "usrsctp/usr.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"

struct usr_api usr;

static void *usr_handle;

static char usr_path[PATH_MAX]; /* the library's file, found once */

/* Where the dynamic loader finds libusrsctp: load it to ask, and let it
 * go again (its code never runs: the patched copy below is the one
 * used). */
static int find_library(void)
{
    if (usr_path[0])
        return 0;
    void *h = dlopen("libusrsctp.so.2", RTLD_LAZY | RTLD_LOCAL);
    struct link_map *lm = NULL;
    if (!h)
        return -1;
    if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm && lm->l_name[0])
        snprintf(usr_path, sizeof usr_path, "%s", lm->l_name);
    dlclose(h);
    return usr_path[0] ? 0 : -1;
}

/* usrsctp 0.9.5 exports about 600 internal symbols without a prefix
 * (sctp_listen, sctp_bind, m_free...), and its own calls to them go
 * through the global scope: a program that defines one of those names
 * takes it over (kamailio's global variable sctp_listen made
 * usrsctp_listen jump into data).  DF_SYMBOLIC in the copy's dynamic
 * section makes the dynamic loader look its references up in the
 * library itself first, as -Bsymbolic would have; names it does not
 * define (libc's, which the shim's hooks and ASan interpose) are still
 * found in the global scope.  RTLD_DEEPBIND would put libc before the
 * shim's hooks and ASan's interceptors, and ASan refuses it. */
static int make_symbolic(int fd)
{
    ElfW(Ehdr) eh;
    if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_phentsize != sizeof(ElfW(Phdr)))
        return -1;
    for (int i = 0; i < eh.e_phnum; i++) {
        ElfW(Phdr) ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) !=
            (ssize_t)sizeof ph)
            return -1;
        if (ph.p_type != PT_DYNAMIC)
            continue;
        size_t n = ph.p_filesz / sizeof(ElfW(Dyn));
        for (size_t k = 0; k < n; k++) {
            ElfW(Dyn) d;
            off_t at = (off_t)(ph.p_offset + k * sizeof d);
            if (pread(fd, &d, sizeof d, at) != (ssize_t)sizeof d)
                return -1;
            if (d.d_tag == DT_FLAGS) {
                d.d_un.d_val |= DF_SYMBOLIC;
                return pwrite(fd, &d, sizeof d, at) == (ssize_t)sizeof d ? 0 : -1;
            }
            if (d.d_tag == DT_NULL) {
                /* No DT_FLAGS: take a spare DT_NULL, if the section
                 * has one after the terminator. */
                if (k + 1 >= n)
                    return -1;
                ElfW(Dyn) add[2] = {{.d_tag = DT_FLAGS}, {.d_tag = DT_NULL}};
                add[0].d_un.d_val = DF_SYMBOLIC;
                return pwrite(fd, add, sizeof add, at) == (ssize_t)sizeof add ? 0 : -1;
            }
        }
    }
    return -1;
}

/* A copy of the library behind a memfd, patched as above.  Having its
 * own inode, it is also mapped as a new object with its own globals,
 * mutexes and threads: the fresh stack a fork child needs. */
static void *open_copy(void)
{
    int src = open(usr_path, O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return NULL;
    struct stat st;
    int mfd = memfd_create("libusrsctp", MFD_CLOEXEC);
    void *h = NULL;
    if (mfd >= 0 && fstat(src, &st) == 0 &&
        real.sendfile(mfd, src, NULL, (size_t)st.st_size) == st.st_size) {
        if (make_symbolic(mfd) < 0)
            SHIM_LOG("libusrsctp: cannot mark it symbolic; a program that "
                     "defines one of its internal names takes it over");
        /* With the process id, not "self": the loader keeps this name,
         * and a debugger reading a core or attaching would otherwise
         * open its own descriptor of that number. */
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), mfd);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    real.close(src);
    if (mfd >= 0)
        real.close(mfd);
    return h;
}

void *usr_symbol(const char *name)
{
    return usr_handle ? dlsym(usr_handle, name) : NULL;
}

/* usrsctp 0.9.5's usrsctp_getsockopt and usrsctp_setsockopt write
 * errno even when they succeed (errno = sctp_getopt(...), 0 then), where
 * a system call leaves it alone.  A shim path that asks an option after
 * a failure (is the peer shut down? what ended the association?) would
 * otherwise report the failure with errno 0: thread_mix saw a send give
 * -1 with errno 0 once in about ten runs.  Every option call goes through
 * these. */
static int (*lib_getsockopt)(struct socket *, int, int, void *, socklen_t *);
static int (*lib_setsockopt)(struct socket *, int, int, const void *, socklen_t);

static int getsockopt_keeping_errno(struct socket *so, int level, int name,
                                    void *val, socklen_t *len)
{
    int e = errno;
    int r = lib_getsockopt(so, level, name, val, len);
    if (r == 0)
        errno = e;
    return r;
}

static int setsockopt_keeping_errno(struct socket *so, int level, int name,
                                    const void *val, socklen_t len)
{
    int e = errno;
    int r = lib_setsockopt(so, level, name, val, len);
    if (r == 0)
        errno = e;
    return r;
}

int usr_load(void)
{
    void *h = find_library() == 0 ? open_copy() : NULL;
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
    lib_getsockopt = t.usrsctp_getsockopt;
    lib_setsockopt = t.usrsctp_setsockopt;
    t.usrsctp_getsockopt = getsockopt_keeping_errno;
    t.usrsctp_setsockopt = setsockopt_keeping_errno;
    usr = t;
    usr_handle = h;
    return 0;
}
