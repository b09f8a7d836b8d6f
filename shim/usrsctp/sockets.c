/* The stack's own packet sockets: how packets travel (UDP encapsulation
 * on this process's port, or raw IP), which descriptors usrsctp opened
 * for them, and how the shim sets those sockets up. */
#include "usrsctp/stack.h"

#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/real.h"
#include "usrsctp/gate.h"
#include "usrsctp/internal.h"

static int raw_mode;
static uint16_t udp_port; /* host order */

/* Descriptors usrsctp opened during init, noted by the socket() hook,
 * and what each is once usrsctp has set them up. */
static int stack_fds[8];
static int kinds[8];
static int n_stack_fds;

void stk_note_stack_fd(int fd)
{
    if (n_stack_fds < (int)(sizeof stack_fds / sizeof stack_fds[0]))
        stack_fds[n_stack_fds++] = fd;
}

static int kind_of(int fd);

int pk_count(void)
{
    int n = 0;
    for (int i = 0; i < n_stack_fds; i++) {
        int again = 0; /* a number usrsctp closed and opened anew */
        for (int j = 0; j < i; j++)
            again |= stack_fds[j] == stack_fds[i];
        if (!again && kind_of(stack_fds[i]) != PK_NONE)
            n++;
    }
    return n;
}

int stk_packet_fds(int *fds, int max)
{
    int n = 0;
    for (int i = 0; i < n_stack_fds && n < max; i++) {
        int again = 0;
        for (int j = 0; j < i; j++)
            again |= stack_fds[j] == stack_fds[i];
        if (!again)
            fds[n++] = stack_fds[i];
    }
    return n;
}

uint16_t stk_local_udp_port(void) { return udp_port; }
int stk_is_raw_mode(void) { return raw_mode; }
int pk_raw(void) { return raw_mode; }
uint16_t pk_udp_port(void) { return udp_port; }

void pk_start(int raw, uint16_t port)
{
    raw_mode = raw;
    udp_port = port;
    n_stack_fds = 0;
}

int pk_holds_port(void)
{
    for (int i = 0; i < n_stack_fds; i++) {
        struct sockaddr_storage ss;
        socklen_t l = sizeof ss;
        int type = 0;
        socklen_t tl = sizeof type;
        if (real.getsockopt(stack_fds[i], SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
            type == SOCK_DGRAM &&
            real.getsockname(stack_fds[i], (struct sockaddr *)&ss, &l) == 0 &&
            ((struct sockaddr_in *)&ss)->sin_port == htons(udp_port))
            return 1;
    }
    return 0;
}

/* usrsctp gives its UDP sockets a fixed 128 KiB receive buffer, which a
 * busy association overflows on loopback; a lost SHUTDOWN-COMPLETE is
 * never retransmitted.  The shim owns the process, so it enlarges them
 * (beyond rmem_max where it may, as root). */
static void enlarge_buffers(int fd)
{
    int size = 8 << 20;
    if (real.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
        real.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    if (real.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
        real.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

static int kind_of(int fd)
{
    int type = 0, domain = 0;
    socklen_t l = sizeof type, dl = sizeof domain;
    if (real.getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) < 0 ||
        real.getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dl) < 0)
        return PK_NONE;
    if (type == SOCK_DGRAM)
        return domain == AF_INET6 ? PK_UDP6 : domain == AF_INET ? PK_UDP4 : PK_NONE;
    if (type == SOCK_RAW)
        return domain == AF_INET6 ? PK_RAW6 : domain == AF_INET ? PK_RAW4 : PK_NONE;
    return PK_NONE;
}

/* The kernel refuses a packet larger than the path (EMSGSIZE), where it
 * would split it in IP fragments by default: the send hook (wire.c) then
 * lowers the association's path MTU, so that new packets fit, and lets
 * the one packet go fragmented (a chunk already cut for the larger MTU
 * can only travel so).  Raw IPv4 packets carry their own header
 * (IP_HDRINCL): the kernel refuses those when too large in any case. */
static void refuse_fragments(int fd, int kind)
{
    int on = 1, doit = IP_PMTUDISC_DO;
    if (kind == PK_UDP4)
        real.setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &doit, sizeof doit);
    else if (kind == PK_UDP6 || kind == PK_RAW6)
        real.setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
}

/* ICMP errors about the stack's packets are queued for the shim to read
 * (icmp.c): a dead peer's port unreachable, a router's too-big. */
static void hear_errors(int fd, int kind)
{
    int on = 1;
    if (kind == PK_UDP4)
        real.setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
    else if (kind == PK_UDP6)
        real.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
}

void pk_setup(void)
{
    for (int i = 0; i < n_stack_fds; i++) {
        int fd = stack_fds[i], kind = kind_of(fd);
        __atomic_store_n(&kinds[i], kind, __ATOMIC_RELAXED);
        enlarge_buffers(fd);
        refuse_fragments(fd, kind);
        hear_errors(fd, kind);
    }
}

/* usrsctp's receive threads start inside usrsctp_init, before pk_setup:
 * a socket is classified on first sight, by whichever thread comes
 * first (each finds the same kind). */
int pk_kind(int fd)
{
    for (int i = 0; i < n_stack_fds; i++)
        if (stack_fds[i] == fd) {
            int kind = __atomic_load_n(&kinds[i], __ATOMIC_RELAXED);
            if (kind == PK_NONE) {
                kind = kind_of(fd);
                __atomic_store_n(&kinds[i], kind, __ATOMIC_RELAXED);
            }
            return kind;
        }
    return PK_NONE;
}

int stk_backlog(void)
{
    if (gate_busy())
        return 1;
    for (int i = 0; i < n_stack_fds; i++) {
        int n = 0;
        if (__atomic_load_n(&kinds[i], __ATOMIC_RELAXED) != PK_NONE &&
            real.ioctl(stack_fds[i], FIONREAD, &n) == 0 && n > 0)
            return 1;
    }
    return 0;
}

void stk_settle(long max_us, int (*done)(void *), void *arg)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned h0 = gate_packets_handled();
    while (stk_backlog() && !(done && done(arg)) &&
           gate_packets_handled() - h0 < STK_SETTLE_PACKETS) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        long us = (t.tv_sec - t0.tv_sec) * 1000000L + (t.tv_nsec - t0.tv_nsec) / 1000;
        if (us >= max_us)
            return;
        struct timespec nap = {0, 50 * 1000};
        real.nanosleep(&nap, NULL);
    }
}
