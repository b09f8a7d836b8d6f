#include "fake.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/real.h"
#include "core/held.h"
#include "core/lifecycle.h"
#include "core/mirror.h"
#include "core/registry.h"
#include "core/wait.h"
#include "usrsctp/notif.h"
#include "usrsctp/stack.h"

struct fz_stack fz;

/* Every byte a sender hands the stack is read, so that a bad buffer is
 * seen by the sanitizer here. */
static volatile unsigned char sink;

static void read_all(const struct iovec *iov, int n)
{
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < iov[i].iov_len; j++)
            sink ^= ((const unsigned char *)iov[i].iov_base)[j];
}

struct ssock *fz_socket(int family, int type)
{
    struct ssock *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->family = family;
    s->type = type;
    s->stk = (struct stk_sock *)s; /* never looked into */
    s->m.x = real.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    s->connected = type == SOCK_STREAM;
    pthread_mutex_init(&s->lock, NULL);
    held_init(&s->held);
    return s;
}

struct ssock *fz_socket_of(uint32_t sel)
{
    return fz_socket(sel & 1 ? AF_INET6 : AF_INET, sel & 2 ? SOCK_SEQPACKET : SOCK_STREAM);
}

/* A send that fails with EPIPE raises SIGPIPE, as the kernel's does. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    real_init();
    return 0;
}

void fz_socket_free(struct ssock *s)
{
    real.close(s->m.x);
    pthread_mutex_destroy(&s->lock);
    held_destroy(&s->held);
    free(s);
}

/* core/ */

int lifecycle_first_socket(void) { return 0; }
int mirror_init(struct mirror *m, int *app_fd, int cloexec, int nonblock)
{
    (void)m, (void)app_fd, (void)cloexec, (void)nonblock;
    errno = ENFILE;
    return -1;
}
int mirror_sync(struct mirror *m, struct stk_sock *stk)
{
    (void)m, (void)stk;
    return 0;
}
void mirror_hangup(struct mirror *m, int both) { (void)m, (void)both; }
int mirror_wait(struct mirror *m, int for_write)
{
    (void)m, (void)for_write;
    errno = EAGAIN; /* a fuzzer never waits */
    return -1;
}
void mirror_wait_upcall(struct mirror *m, unsigned seen, int ms)
{
    (void)m, (void)seen, (void)ms;
}
int mirror_ready(struct mirror *m, int for_write)
{
    (void)m, (void)for_write;
    return 0;
}
int registry_claim(uint16_t port) { return port == 1 ? (errno = EADDRINUSE, -1) : 0; }
void registry_release(uint16_t port) { (void)port; }
uint16_t registry_claim_ephemeral(void) { return 40000; }
int registry_lookup(uint16_t port, uint16_t *udp_port)
{
    *udp_port = 9899;
    return port != 2;
}
struct ssock *sock_alloc(int family, int type) { return fz_socket(family, type); }
void sock_free(struct ssock *s) { fz_socket_free(s); }
int sock_create(int family, int type, int cloexec, int nonblock)
{
    (void)family, (void)type, (void)cloexec, (void)nonblock;
    errno = EMFILE;
    return -1;
}
int sock_adopt(struct ssock *parent, struct stk_sock *stk, struct ssock *s, int fd)
{
    (void)parent, (void)stk, (void)s;
    return fd;
}
void sock_upcall(void *arg) { (void)arg; }
int sock_close_fd(int fd, struct ssock *s)
{
    (void)s;
    return real.close(fd);
}
void sock_call_pause(struct ssock *s) { (void)s; }
void wait_fd_bound(int ms) { (void)ms; }
void sock_call_resume(struct ssock *s) { (void)s; }
void sock_send_blocked(struct ssock *s, unsigned seen, int to_program)
{
    (void)s, (void)seen, (void)to_program;
}
void sock_set_drain(void (*fn)(struct ssock *s)) { (void)fn; }

/* usrsctp/stack.h */

int stk_is_nonblocking_errno(int e) { return e == EAGAIN || e == EWOULDBLOCK; }
/* Same-host timing: the fake stack has nothing queued. */
int stk_backlog(void) { return 0; }
void stk_settle(long max_us, int (*done)(void *), void *arg)
{
    (void)max_us;
    (void)done;
    (void)arg;
}
int stk_events(struct stk_sock *s)
{
    (void)s;
    return STK_EV_WRITE;
}
int stk_bind(struct stk_sock *s, const struct sockaddr *sa, socklen_t len)
{
    (void)s;
    const volatile unsigned char *b = (const void *)sa;
    for (socklen_t i = 0; i < len; i++)
        sink ^= b[i];
    return 0;
}
static int addr_list(const struct sockaddr *addrs, int cnt)
{
    const char *p = (const char *)addrs;
    for (int i = 0; i < cnt; i++) {
        const struct sockaddr *sa = (const void *)p;
        size_t l = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                             : sizeof(struct sockaddr_in);
        const volatile unsigned char *b = (const void *)p;
        for (size_t j = 0; j < l; j++)
            sink ^= b[j];
        p += l;
    }
    return 0;
}
int stk_bindx(struct stk_sock *s, const struct sockaddr *addrs, int cnt, int add)
{
    (void)s, (void)add;
    return addr_list(addrs, cnt);
}
int stk_listen(struct stk_sock *s, int backlog) { (void)s, (void)backlog; return 0; }
int stk_bound_count(struct stk_sock *s)
{
    (void)s;
    return 2; /* bindx REM of one address may go ahead */
}
void stk_addr_ensure(const struct sockaddr *sa) { (void)sa; }
int stk_is_raw_mode(void) { return 0; }
struct stk_sock *stk_accept(struct stk_sock *s, struct sockaddr *sa, socklen_t *len,
                            stk_upcall_fn fn, void *arg)
{
    (void)s, (void)sa, (void)len, (void)fn, (void)arg;
    errno = EAGAIN;
    return NULL;
}
int stk_connectx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
                 uint16_t remote_udp_port, uint32_t *assoc_id)
{
    (void)s, (void)remote_udp_port;
    *assoc_id = 7;
    addr_list(addrs, cnt);
    errno = EINPROGRESS;
    return -1;
}
int stk_set_remote_udp_port(struct stk_sock *s, uint16_t port) { (void)s, (void)port; return 0; }
int stk_shutdown(struct stk_sock *s, int how) { (void)s, (void)how; return 0; }
int stk_renew(struct stk_sock *s) { (void)s; return 0; }

ssize_t stk_sendv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  const struct sockaddr *to, int tocnt, struct stk_sndinfo *info)
{
    (void)s;
    if (fz.fail_errno) {
        errno = fz.fail_errno;
        return -1;
    }
    if (to)
        addr_list(to, tocnt);
    read_all(iov, iovcnt);
    if (to)
        info->assoc_id = 9;
    size_t n = 0;
    for (int i = 0; i < iovcnt; i++)
        n += iov[i].iov_len;
    return (ssize_t)n;
}

ssize_t stk_recvv(struct stk_sock *s, const struct iovec *iov, int iovcnt,
                  struct sockaddr *from, socklen_t *fromlen,
                  struct stk_rcvinfo *info, int *flags, int peek)
{
    (void)s;
    memset(info, 0, sizeof *info);
    info->valid = !(fz.recv_flags & STK_F_NOTIFICATION);
    info->nxt_valid = fz.recv_off == 0;
    info->nxt_length = (uint32_t)fz.recv_len;
    if (fz.recv_off >= fz.recv_len) {
        errno = EAGAIN;
        return -1;
    }
    size_t off = fz.recv_off, got = 0;
    for (int i = 0; i < iovcnt && off < fz.recv_len; i++) {
        size_t k = iov[i].iov_len < fz.recv_len - off ? iov[i].iov_len : fz.recv_len - off;
        memcpy(iov[i].iov_base, fz.recv_data + off, k);
        off += k;
        got += k;
    }
    if (!peek)
        fz.recv_off = off;
    *flags = fz.recv_flags & STK_F_NOTIFICATION;
    if (off == fz.recv_len)
        *flags |= STK_F_EOR;
    if (from && fromlen && *fromlen >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(5000),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        memcpy(from, &a, sizeof a);
        *fromlen = sizeof a;
    }
    return (ssize_t)got;
}

int stk_assoc_lookup(struct stk_sock *s, const struct sockaddr *sa, uint32_t *id)
{
    (void)s, (void)sa;
    *id = 3;
    return fz.lookup_found ? 0 : -1;
}

/* The stand-in's associations are 3, 4, ... (stk_assoc_list). */
int stk_assoc_exists(struct stk_sock *s, uint32_t id)
{
    (void)s;
    return id >= 3 && id < 3 + (uint32_t)fz.n_assocs;
}

int stk_assoc_id_in_use(uint32_t id) { return stk_assoc_exists(NULL, id); }

struct stk_sock *stk_peeloff(struct stk_sock *s, uint32_t assoc_id,
                             stk_upcall_fn fn, void *arg)
{
    (void)s, (void)assoc_id, (void)fn, (void)arg;
    errno = EINVAL;
    return NULL;
}

/* The stack's ids need no translation here. */
int stk_decode_notif(struct stk_sock *s, const void *buf, size_t len,
                     struct stk_notif *n)
{
    (void)s;
    return usr_decode_notif(buf, len, n);
}

int stk_assoc_list(struct stk_sock *s, uint32_t **ids)
{
    (void)s;
    *ids = NULL;
    if (!fz.n_assocs)
        return 0;
    *ids = malloc((size_t)fz.n_assocs * sizeof **ids);
    if (!*ids)
        abort();
    for (int i = 0; i < fz.n_assocs; i++)
        (*ids)[i] = (uint32_t)(3 + i);
    return fz.n_assocs;
}

int stk_setopt(struct stk_sock *s, int opt, const void *val, size_t len)
{
    (void)s, (void)opt;
    const volatile unsigned char *b = val;
    for (size_t i = 0; i < len; i++)
        sink ^= b[i];
    if (fz.fail_errno) {
        errno = fz.fail_errno;
        return -1;
    }
    return 0;
}

int stk_getopt(struct stk_sock *s, int opt, void *val, size_t *len)
{
    (void)s;
    if (fz.fail_errno) {
        errno = fz.fail_errno;
        return -1;
    }
    memset(val, 0, *len);
    if (opt == STK_O_STATUS && *len >= sizeof(struct stk_status)) {
        struct stk_status *st = val;
        st->state = STK_S_ESTABLISHED;
        struct sockaddr_in *a = (struct sockaddr_in *)&st->primary;
        a->sin_family = AF_INET;
    }
    return 0;
}

int stk_getaddrs(struct stk_sock *s, int peer, uint32_t assoc_id, struct sockaddr **out)
{
    (void)s, (void)peer, (void)assoc_id;
    struct sockaddr_in6 *a = calloc(2, sizeof *a);
    if (!a)
        abort();
    ((struct sockaddr_in *)&a[0])->sin_family = AF_INET;
    a[1].sin6_family = AF_INET6; /* packed: it starts right after the first */
    memmove((char *)a + sizeof(struct sockaddr_in), &a[1], sizeof a[1]);
    *out = (struct sockaddr *)a;
    return 2;
}

/* addrcnt addresses from the input, each as long as its family says;
 * the list stops at a family that is neither (its family is read). */
unsigned char *fz_addrs(struct fz_in *in, int addrcnt, size_t *bytes)
{
    size_t n = 0, cap = (size_t)addrcnt * sizeof(struct sockaddr_in6) + 2;
    unsigned char *p = calloc(1, cap);
    for (int i = 0; i < addrcnt; i++) {
        uint16_t fam = (uint16_t)fz_take(in, 1);
        fam = fam & 1 ? AF_INET6 : fam & 2 ? AF_INET : fam;
        memcpy(p + n, &fam, 2);
        size_t l = fam == AF_INET6 ? sizeof(struct sockaddr_in6)
                   : fam == AF_INET ? sizeof(struct sockaddr_in)
                                    : 2;
        for (size_t j = 2; j < l; j++)
            p[n + j] = (unsigned char)fz_take(in, 1);
        n += l;
        if (l == 2)
            break;
    }
    /* exactly n bytes: a copy, so that reading past them is caught */
    unsigned char *out = malloc(n ? n : 1);
    memcpy(out, p, n);
    free(p);
    *bytes = n;
    return out;
}
