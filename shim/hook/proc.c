/* Process calls: fork, daemon and the exec family, which hand SCTP descriptors
 * on to a child or a new image (remote/fork.h, remote/exec.h).
 * posix_spawn and vfork are left alone (README, "Differences from
 * Linux"). */
#include "hook/hook.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remote/exec.h"
#include "remote/fork.h"

extern char **environ;

HOOK_EXPORT pid_t fork(void)
{
    real_init();
    remote_fork_prepare();
    pid_t pid = real.fork();
    int e = errno;
    if (pid == 0)
        remote_fork_child();
    else
        remote_fork_parent();
    errno = e;
    return pid;
}

/* glibc's daemon() forks with its internal __fork, which no preload
 * sees: the child would hold the SCTP descriptors it inherited without
 * a connection to their owner.  The same steps as glibc's, through the
 * fork above (and dup2, fd.c, for a shim descriptor on 0, 1 or 2). */
HOOK_EXPORT int daemon(int nochdir, int noclose)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -1;
    if (!nochdir && chdir("/") < 0) {
        /* glibc ignores it too */
    }
    if (!noclose) {
        int fd = open("/dev/null", O_RDWR);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0) {
            int e = errno;
            if (fd >= 0)
                real.close(fd);
            errno = e;
            return -1;
        }
        if (!S_ISCHR(st.st_mode)) {
            real.close(fd);
            errno = ENODEV; /* as glibc: nothing failed, but not a device */
            return -1;
        }
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > 2)
            real.close(fd);
    }
    return 0;
}

/* Every exec goes through one of these three, with the environment the
 * new image needs to hold the descriptors it keeps. */
static int exec_with(int how, const char *path, int fd, char *const argv[],
                     char *const envp[])
{
    real_init();
    char **env = remote_exec_env(envp);
    int r = how == 0   ? real.execve(path, argv, env)
            : how == 1 ? real.execvpe(path, argv, env)
                       : real.fexecve(fd, argv, env);
    int e = errno;
    remote_exec_failed(env, envp);
    errno = e;
    return r;
}

HOOK_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
    return exec_with(0, path, -1, argv, envp);
}

HOOK_EXPORT int execv(const char *path, char *const argv[])
{
    return exec_with(0, path, -1, argv, environ);
}

HOOK_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
    return exec_with(1, file, -1, argv, envp);
}

HOOK_EXPORT int execvp(const char *file, char *const argv[])
{
    return exec_with(1, file, -1, argv, environ);
}

HOOK_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
    return exec_with(2, NULL, fd, argv, envp);
}

/* execl, execlp, execle: the arguments up to the NULL (and, for execle,
 * the environment after it) into an array. */
static int exec_list(int how, const char *path, const char *arg0, va_list ap,
                     int with_env)
{
    size_t n = 1, cap = 16;
    char **argv = malloc(cap * sizeof *argv);
    if (!argv) {
        errno = ENOMEM;
        return -1;
    }
    argv[0] = (char *)arg0;
    for (char *a = arg0 ? va_arg(ap, char *) : NULL;; a = va_arg(ap, char *)) {
        if (n + 1 >= cap) {
            char **v = realloc(argv, (cap *= 2) * sizeof *v);
            if (!v) {
                free(argv);
                errno = ENOMEM;
                return -1;
            }
            argv = v;
        }
        argv[n++] = a;
        if (!a)
            break;
    }
    if (!arg0)
        argv[0] = NULL;
    char *const *envp = with_env ? va_arg(ap, char *const *) : environ;
    int r = exec_with(how, path, -1, argv, envp);
    int e = errno;
    free(argv);
    errno = e;
    return r;
}

#define EXEC_LIST_HOOK(name, how, with_env)                                 \
    HOOK_EXPORT int name(const char *path, const char *arg, ...)            \
    {                                                                       \
        va_list ap;                                                         \
        va_start(ap, arg);                                                  \
        int r = exec_list(how, path, arg, ap, with_env);                    \
        va_end(ap);                                                         \
        return r;                                                           \
    }

EXEC_LIST_HOOK(execl, 0, 0)
EXEC_LIST_HOOK(execlp, 1, 0)
EXEC_LIST_HOOK(execle, 0, 1)
