/* SCTPSHIM_HELD=fd,chan,id,family,type,listening,backlog,addr;...
 * chan is the descriptor of the connection to the socket's owner (kept
 * open across the exec), -1 when the exec'ing process is the owner: its
 * stack goes with the old image, so the new one re-makes the socket if it
 * carried no association (migrate.h).  addr is the bound address, hex. */
#include "remote/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/real.h"
#include "core/fdtab.h"
#include "core/sock.h"
#include "remote/chan.h"
#include "remote/owners.h"
#include "remote/migrate.h"
#include "remote/remote.h"

#define VAR "SCTPSHIM_HELD"

static int put(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t c = (*cap + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 0;
}

static int entry(char **buf, size_t *len, size_t *cap, int fd, struct ssock *s)
{
    struct chan *c = s->remote;
    int chan = c && !c->dead ? c->fd : -1;
    if (chan >= 0)
        real.fcntl(chan, F_SETFD, 0);
    char e[160];
    snprintf(e, sizeof e, "%s%d,%d,%llu,%d,%d,%d,%d,", *len ? ";" : "", fd,
             chan, (unsigned long long)(chan >= 0 ? s->remote_id : 0),
             s->family, s->type, s->listening, s->backlog);
    if (put(buf, len, cap, e) < 0)
        return -1;
    const unsigned char *a = (const unsigned char *)&s->bound;
    size_t n = !s->bound_set ? 0
               : s->bound.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                : sizeof(struct sockaddr_in);
    for (size_t i = 0; i < n; i++) {
        snprintf(e, sizeof e, "%02x", a[i]);
        if (put(buf, len, cap, e) < 0)
            return -1;
    }
    return 0;
}

char **remote_exec_env(char *const envp[])
{
    if (!__atomic_load_n(&fdtab_slots, __ATOMIC_ACQUIRE))
        return (char **)envp;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (put(&buf, &len, &cap, VAR "=") < 0)
        return (char **)envp;
    size_t start = len;
    size_t bound = fdtab_program_bound();
    for (size_t fd = 0; fd < bound; fd++) {
        struct ssock *s = fdtab_sock((int)fd);
        if (!s || (sock_orphaned(s) && !s->remote))
            continue;
        int fl = real.fcntl((int)fd, F_GETFD);
        if (fl < 0 || (fl & FD_CLOEXEC))
            continue;
        if (entry(&buf, &len, &cap, (int)fd, s) < 0)
            break;
    }
    size_t n = 0;
    while (envp && envp[n])
        n++;
    char **env = len > start ? calloc(n + 2, sizeof *env) : NULL;
    if (!env) {
        free(buf);
        return (char **)envp;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(envp[i], VAR "=", sizeof VAR) != 0)
            env[k++] = envp[i];
    env[k++] = buf;
    return env;
}

static void cloexec_again(struct chan *c, void *arg)
{
    (void)arg;
    if (c->fd >= 0)
        real.fcntl(c->fd, F_SETFD, FD_CLOEXEC);
}

void remote_exec_failed(char **env, char *const envp[])
{
    if (env == (char **)envp)
        return;
    chan_each(cloexec_again, NULL);
    for (size_t i = 0; env[i]; i++)
        if (strncmp(env[i], VAR "=", sizeof VAR) == 0)
            free(env[i]);
    free(env);
}

static int unhex(const char *h, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

struct kept {
    struct chan *c;
    uint64_t *ids;
    size_t n;
};

/* One entry of SCTPSHIM_HELD: a socket this image holds. */
static void attach(char *e, struct kept *k, size_t *nk)
{
    int fd, chan, family, type, listening, backlog, used = 0;
    unsigned long long id;
    if (sscanf(e, "%d,%d,%llu,%d,%d,%d,%d,%n", &fd, &chan, &id, &family, &type,
               &listening, &backlog, &used) < 7 || used == 0 ||
        real.fcntl(fd, F_GETFD) < 0)
        return;
    struct chan *c = NULL;
    if (chan >= 0 && real.fcntl(chan, F_SETFD, FD_CLOEXEC) == 0) {
        fdtab_set(chan, FDTAB_PRIVATE);
        c = chan_of_fd(chan);
    }
    /* Without a channel the owner was this very process: nothing serves
     * the socket, and the migration below re-makes it or fails it. */
    if (!c && (c = calloc(1, sizeof *c)) != NULL) {
        c->fd = -1;
        c->dead = 1;
        pthread_mutex_init(&c->lock, NULL);
    }
    struct ssock *s = c ? sock_attach_remote(fd, family, type, c, id) : NULL;
    if (!s)
        return;
    s->listening = listening;
    s->backlog = backlog;
    const char *addr = e + used;
    size_t alen = strlen(addr) / 2;
    if (alen >= sizeof(struct sockaddr_in) && alen <= sizeof s->bound &&
        unhex(addr, alen, (unsigned char *)&s->bound) == 0)
        s->bound_set = 1;
    if (c->dead) {
        migrate(s, 0);
        return;
    }
    size_t i;
    for (i = 0; i < *nk && k[i].c != c; i++)
        ;
    if (i == *nk) {
        if (i == 16)
            return;
        k[i] = (struct kept){c, NULL, 0};
        (*nk)++;
    }
    uint64_t *v = realloc(k[i].ids, (k[i].n + 1) * sizeof *v);
    if (v) {
        k[i].ids = v;
        k[i].ids[k[i].n++] = id;
    }
}

/* After the dynamic loader, before main: the sockets the old image left
 * this one.  Each owner is told which of the old image's holdings this
 * one keeps (the rest were close-on-exec). */
__attribute__((constructor(200))) static void attach_held(void)
{
    const char *v = getenv(VAR);
    if (!v || !*v)
        return;
    char *copy = strdup(v);
    unsetenv(VAR);
    if (!copy)
        return;
    real_init();
    remote_init();
    struct kept k[16];
    size_t nk = 0;
    char *save = NULL;
    for (char *e = strtok_r(copy, ";", &save); e; e = strtok_r(NULL, ";", &save))
        attach(e, k, &nk);
    for (size_t i = 0; i < nk; i++) {
        struct iovec io = {k[i].ids, k[i].n * sizeof(uint64_t)};
        struct rp_req q = {.op = RP_KEEP};
        chan_tell(k[i].c, &q, &io, 1);
        free(k[i].ids);
    }
    if (nk)
        owners_watch();
    free(copy);
}
