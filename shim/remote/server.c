#include "remote/server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "base/thread.h"
#include "core/privfd.h"
#include "core/sock.h"
#include "core/wait.h"
#include "remote/proto.h"
#include "remote/serve.h"

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;
static size_t nconns;
/* Held while one request is served: fork takes it to park the thread. */
static pthread_mutex_t serve_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake[2] = {-1, -1};
static int running;

static void conn_free(struct conn *c)
{
    for (size_t i = 0; i < c->n; i++)
        sock_release(c->held[i]);
    free(c->held);
    privfd_close(c->fd);
    free(c);
}

static struct conn *server_add(int fd, struct ssock **socks, size_t n)
{
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    for (size_t i = 0; i < n; i++)
        if (conn_hold(c, socks[i]) < 0) {
            conn_free(c);
            return NULL;
        }
    pthread_mutex_lock(&conns_lock);
    c->next = conns;
    conns = c;
    nconns++;
    pthread_mutex_unlock(&conns_lock);
    if (wake[1] >= 0)
        real.write(wake[1], "w", 1);
    return c;
}

static void drop(struct conn *c)
{
    pthread_mutex_lock(&conns_lock);
    for (struct conn **p = &conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            nconns--;
            break;
        }
    pthread_mutex_unlock(&conns_lock);
    conn_free(c);
}

static void fork_fail(struct conn *c, int err)
{
    struct rp_resp r = {.ret = -1, .err = err ? err : EIO};
    serve_answer(c, &r, NULL, 0, -1);
}

/* A connection for the child of a holder, holding what this one does. */
static void do_fork(struct conn *c)
{
    int sv[2];
    if (rp_pair(sv) < 0) {
        fork_fail(c, errno);
        return;
    }
    if (!server_add(sv[0], c->held, c->n)) {
        privfd_close(sv[0]);
        privfd_close(sv[1]);
        fork_fail(c, ENOMEM);
        return;
    }
    struct rp_resp r = {0};
    serve_answer(c, &r, NULL, 0, sv[1]);
    privfd_close(sv[1]);
}

static void serve_one(struct conn *c)
{
    char *buf = malloc(RP_MAX_MSG);
    int fd = -1;
    ssize_t r = buf ? rp_recv(c->fd, buf, RP_MAX_MSG, &fd) : -1;
    if (fd >= 0)
        real.close(fd); /* holders send none */
    if (r <= 0 && !(r < 0 && errno == EAGAIN)) {
        drop(c); /* the holder is gone: what it held goes too */
    } else if ((size_t)r >= sizeof(struct rp_req)) {
        const struct rp_req *q = (const struct rp_req *)buf;
        if (q->len > (size_t)r - sizeof *q)
            ; /* cut short: not a call */
        else if (q->op == RP_FORK)
            do_fork(c);
        else
            serve_request(c, q, buf + sizeof *q);
    }
    free(buf);
}

static void *serve_loop(void *arg)
{
    (void)arg;
    wait_never_here();
    for (;;) {
        pthread_mutex_lock(&conns_lock);
        size_t n = nconns + 1, i = 1;
        struct pollfd *p = calloc(n, sizeof *p);
        struct conn **who = calloc(n, sizeof *who);
        if (!p || !who) {
            pthread_mutex_unlock(&conns_lock);
            free(p);
            free(who);
            sleep(1);
            continue;
        }
        p[0].fd = wake[0];
        p[0].events = POLLIN;
        for (struct conn *c = conns; c && i < n; c = c->next, i++) {
            p[i].fd = c->fd;
            p[i].events = POLLIN;
            who[i] = c;
        }
        pthread_mutex_unlock(&conns_lock);
        if (real.poll(p, i, -1) > 0) {
            char b[64];
            if (p[0].revents)
                real.read(wake[0], b, sizeof b);
            /* A connection the poll saw may have been dropped since only
             * by this thread: the list is added to elsewhere, never cut. */
            for (size_t k = 1; k < i; k++)
                if (p[k].revents) {
                    pthread_mutex_lock(&serve_lock);
                    serve_one(who[k]);
                    pthread_mutex_unlock(&serve_lock);
                }
        }
        free(p);
        free(who);
    }
    return NULL;
}

/* Started before the first child is made, and running before fork goes
 * on (base/thread.h). */
static int start(void)
{
    if (running)
        return 0;
    int w[2];
    if (rp_pair(w) < 0)
        return -1;
    real.fcntl(w[0], F_SETFL, O_NONBLOCK);
    wake[0] = w[0];
    wake[1] = w[1];
    int e = thread_start(serve_loop, NULL, 256 * 1024, "sctpshim owner");
    if (e != 0) {
        SHIM_LOG("cannot start the holders' server: %s", strerror(e));
        errno = e;
        return -1;
    }
    running = 1;
    return 0;
}

int server_new_holder(struct ssock **socks, size_t n)
{
    int sv[2];
    if (start() < 0 || rp_pair(sv) < 0)
        return -1;
    if (!server_add(sv[0], socks, n)) {
        privfd_close(sv[0]);
        privfd_close(sv[1]);
        errno = ENOMEM;
        return -1;
    }
    return sv[1];
}

void server_park(void)
{
    pthread_mutex_lock(&serve_lock);
    pthread_mutex_lock(&conns_lock);
}

void server_unpark(void)
{
    pthread_mutex_unlock(&conns_lock);
    pthread_mutex_unlock(&serve_lock);
}

void server_forget_after_fork(void)
{
    pthread_mutex_init(&conns_lock, NULL);
    pthread_mutex_init(&serve_lock, NULL);
    /* The parent's references are the parent's: only the descriptors go. */
    while (conns) {
        struct conn *c = conns;
        conns = c->next;
        privfd_close(c->fd);
        free(c->held);
        free(c);
    }
    nconns = 0;
    privfd_close(wake[0]);
    privfd_close(wake[1]);
    wake[0] = wake[1] = -1;
    running = 0;
}

void server_owner_exit(void)
{
    if (!running)
        return;
    /* The server stops for good; the holders see their connections end,
     * and a holder that only polls is woken to come and see. */
    pthread_mutex_lock(&serve_lock);
    pthread_mutex_lock(&conns_lock);
    for (struct conn *c = conns; c; c = c->next) {
        real.shutdown(c->fd, SHUT_RDWR);
        for (size_t i = 0; i < c->n; i++)
            mirror_poke(&c->held[i]->m);
    }
    pthread_mutex_unlock(&conns_lock);
}
