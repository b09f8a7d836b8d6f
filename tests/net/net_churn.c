/* net_churn NAME_PREFIX: abstract AF_UNIX names coming and going in the
 * hash chain of one registry name, the way any busy host's sockets come
 * and go, but aimed: this is what makes a scan of /proc/net/unix miss a
 * name that is bound all along.  It waits for the first name of
 * /proc/net/unix starting with NAME_PREFIX (e.g. @sctpshim/map/25100/),
 * then keeps 1000 names of the same hash chain bound, and binds and closes
 * 1000 more, over and over, until killed.  Not run under the shim.
 *
 * The chain is Linux's unix_abstract_hash(): the ones' complement sum of
 * the address's 16-bit words, folded and complemented (csum_fold), then
 * mixed with its high byte and the socket type. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static socklen_t fill(struct sockaddr_un *a, const char *name)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    size_t l = strlen(name);
    memcpy(a->sun_path + 1, name, l);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + l);
}

static unsigned chain(const char *name, int type)
{
    struct sockaddr_un a;
    socklen_t len = fill(&a, name);
    const unsigned char *p = (const unsigned char *)&a;
    uint64_t sum = 0;
    for (socklen_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] | p[i + 1] << 8);
    if (len & 1)
        sum += p[len - 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    unsigned h = (unsigned)(~sum & 0xffff);
    h ^= h >> 8;
    h ^= (unsigned)type;
    return h & 255;
}

static int bind_name(const char *name)
{
    struct sockaddr_un a;
    socklen_t len = fill(&a, name);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, len) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The next name of the chain, from a counter (two free characters at the
 * end, so that every chain is reached). */
static void next_in_chain(unsigned want, unsigned *n, char *out, size_t len)
{
    for (;; (*n)++) {
        snprintf(out, len, "churn/%u/%c%c", *n / 8836, 0x21 + *n % 94,
                 0x21 + *n / 94 % 94);
        if (chain(out, SOCK_DGRAM) == want) {
            (*n)++;
            return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 64;
    int stay = argc > 2 ? atoi(argv[2]) : 1000, move = argc > 3 ? atoi(argv[3]) : 1000;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    char target[108] = "";
    for (int i = 0; i < 1000 && !target[0]; i++) {
        FILE *f = fopen("/proc/net/unix", "re");
        char line[512];
        while (f && fgets(line, sizeof line, f)) {
            char *p = strstr(line, argv[1]);
            if (p) {
                p[strcspn(p, "\n")] = 0;
                snprintf(target, sizeof target, "%s", p + 1);
                break;
            }
        }
        if (f)
            fclose(f);
        if (!target[0])
            usleep(10000);
    }
    if (!target[0]) {
        fprintf(stderr, "net_churn: no name starting with %s\n", argv[1]);
        return 1;
    }
    unsigned want = chain(target, SOCK_DGRAM), n = 0;
    char name[64];
    for (int i = 0; i < stay; i++) {
        next_in_chain(want, &n, name, sizeof name);
        bind_name(name);
    }
    fprintf(stderr, "net_churn: churning the chain of @%s\n", target);
    unsigned base = n;
    int fds[4000];
    if (move > 4000)
        move = 4000;
    for (;;) {
        unsigned k = base;
        for (int i = 0; i < move; i++) {
            next_in_chain(want, &k, name, sizeof name);
            fds[i] = bind_name(name);
        }
        for (int i = 0; i < move; i++)
            if (fds[i] >= 0)
                close(fds[i]);
    }
}
