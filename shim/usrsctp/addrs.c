/* usrsctp's list of local addresses, kept true.
 *
 * usrsctp learns the host's addresses once, from getifaddrs() in
 * usrsctp_init, and refuses to bind any other (EADDRNOTAVAIL) or to use
 * one as a source: 127.0.0.2 (all of 127/8 is local to the kernel, but
 * only 127.0.0.1 is configured), an address added to an interface after
 * the process started, a /32 on lo (a connect to it sent nothing and
 * hung).  The shim tells usrsctp of every address the kernel calls local
 * when it matters: an address the program binds or connects to, a packet
 * that arrives for an address usrsctp does not know, and the kernel's
 * address changes (RTM_NEWADDR / RTM_DELADDR, from core/life.c's thread);
 * addresses that are gone are taken back out.
 *
 * usrsctp also treats every address of the interface named "lo" as a
 * loopback address, fit as a source only towards 127/8 and ::1: a /32 on
 * lo had no source to be reached from at all, even from itself.  Such
 * addresses are given to usrsctp as on an interface of their own.
 *
 * usrsctp has no API for this in userland: the shim calls the function
 * its own getifaddrs() loop calls, sctp_add_addr_to_vrf (and
 * sctp_del_addr_from_vrf), with the arguments that loop passes (Debian's
 * libusrsctp 0.9.5). */
#include "usrsctp/stack.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "usrsctp/internal.h"
#include "usrsctp/ipaddr.h"
#include "usrsctp/usr.h"

typedef void *(*add_fn)(uint32_t vrf, void *ifn, uint32_t ifn_index,
                        uint32_t ifn_type, const char *if_name, void *ifa,
                        struct sockaddr *addr, uint32_t ifa_flags,
                        int dynamic_add);
typedef void (*del_fn)(uint32_t vrf, struct sockaddr *addr, uint32_t ifn_index,
                       const char *if_name);

struct known {
    struct sockaddr_storage addr;
    unsigned ifindex;
    char ifname[IF_NAMESIZE];
    int extra; /* local to the kernel, but on no interface's list */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct known *list;
static int n_list, cap_list;
static add_fn add_addr;
static del_fn del_addr;

/* As usrsctp's own loop: IP addresses, not the unspecified ones. */
static int usable(const struct sockaddr *sa)
{
    if (!sa)
        return 0;
    if (sa->sa_family == AF_INET)
        return ((const struct sockaddr_in *)sa)->sin_addr.s_addr != 0;
    if (sa->sa_family == AF_INET6)
        return !IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return 0;
}

static struct known *find(const struct sockaddr *sa)
{
    for (int i = 0; i < n_list; i++)
        if (ip_same_addr((struct sockaddr *)&list[i].addr, sa))
            return &list[i];
    return NULL;
}

static void remember(const struct sockaddr *sa, unsigned ifindex,
                     const char *ifname, int extra)
{
    if (n_list == cap_list) {
        int c = cap_list ? cap_list * 2 : 16;
        struct known *n = realloc(list, (size_t)c * sizeof *n);
        if (!n)
            return;
        list = n;
        cap_list = c;
    }
    struct known *k = &list[n_list++];
    memset(k, 0, sizeof *k);
    memcpy(&k->addr, sa, ip_addr_len(sa));
    k->ifindex = ifindex;
    snprintf(k->ifname, sizeof k->ifname, "%s", ifname);
    k->extra = extra;
}

/* Not a loopback address by its value (127/8, ::1). */
static int plain_address(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) != 127;
    return !IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* The interface usrsctp is told an address is on: an ordinary address
 * of lo gets a pseudo-interface (an index no real interface has). */
#define LOCAL_IFNAME "sctpshim-lo"
#define LOCAL_IFINDEX 0x7fff0001u

static void where(const struct sockaddr *sa, unsigned *ifindex, const char **ifname)
{
    if (!strcmp(*ifname, "lo") && plain_address(sa)) {
        *ifindex = LOCAL_IFINDEX;
        *ifname = LOCAL_IFNAME;
    }
}

static void tell_usrsctp(const struct sockaddr *sa, unsigned ifindex,
                         const char *ifname)
{
    struct sockaddr_storage ss;
    memcpy(&ss, sa, ip_addr_len(sa));
    where(sa, &ifindex, &ifname);
    if (add_addr)
        add_addr(0, NULL, ifindex, 0, ifname, NULL, (struct sockaddr *)&ss, 0, 0);
}

static void untell_usrsctp(struct known *k)
{
    unsigned idx = k->ifindex;
    const char *name = k->ifname;
    where((struct sockaddr *)&k->addr, &idx, &name);
    if (del_addr)
        del_addr(0, (struct sockaddr *)&k->addr, idx, name);
}

/* The kernel calls an address local when a datagram socket binds it. */
static int kernel_local(const struct sockaddr *sa)
{
    int fd = real.socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_storage ss;
    memcpy(&ss, sa, ip_addr_len(sa));
    if (ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_port = 0;
    else
        ((struct sockaddr_in *)&ss)->sin_port = 0;
    int ok = real.bind(fd, (struct sockaddr *)&ss, (socklen_t)ip_addr_len(sa)) == 0;
    real.close(fd);
    return ok;
}

/* Brings usrsctp's list in line with the interfaces' (lock held). */
static void sync_locked(int tell)
{
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) < 0)
        return;
    int n_ifs = 0;
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next)
        n_ifs++;
    /* Which entries the interfaces still list (new ones are). */
    char *present = calloc((size_t)(n_list + n_ifs) + 1, 1);
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
        if (!usable(i->ifa_addr))
            continue;
        struct known *k = find(i->ifa_addr);
        if (k) {
            if (present)
                present[k - list] = 1;
            k->extra = 0;
            continue;
        }
        unsigned idx = if_nametoindex(i->ifa_name);
        if (tell) {
            tell_usrsctp(i->ifa_addr, idx, i->ifa_name);
            SHIM_LOG("addresses: %s has a new one", i->ifa_name);
        }
        remember(i->ifa_addr, idx, i->ifa_name, 0);
        if (present)
            present[n_list - 1] = 1;
    }
    freeifaddrs(ifs);
    /* Gone from the interfaces: out, unless the kernel still takes it
     * (127.0.0.2 and the like, which no interface lists). */
    for (int i = 0; present && i < n_list; i++) {
        if (present[i] || (list[i].extra && kernel_local((struct sockaddr *)&list[i].addr)))
            continue;
        if (tell) {
            untell_usrsctp(&list[i]);
            SHIM_LOG("addresses: one of %s is gone", list[i].ifname);
        }
        list[i] = list[--n_list];
        present[i] = present[n_list];
        i--;
    }
    free(present);
}

void addrs_start(void)
{
    /* Under the lock: usrsctp_init has started the receive threads, and
     * a packet from an unknown address makes one read these. */
    pthread_mutex_lock(&lock);
    add_addr = (add_fn)usr_symbol("sctp_add_addr_to_vrf");
    del_addr = (del_fn)usr_symbol("sctp_del_addr_from_vrf");
    if (!add_addr || !del_addr)
        SHIM_LOG("libusrsctp lacks sctp_add_addr_to_vrf: its addresses stay as at start");
    n_list = 0;
    sync_locked(0); /* what usrsctp_init has just learnt itself */
    /* usrsctp_init put them on lo: out, and in again (usrsctp decides an
     * address is a loopback one when it first sees it). */
    for (int i = 0; i < n_list; i++)
        if (!strcmp(list[i].ifname, "lo") &&
            plain_address((struct sockaddr *)&list[i].addr) && del_addr) {
            del_addr(0, (struct sockaddr *)&list[i].addr, list[i].ifindex, "lo");
            tell_usrsctp((struct sockaddr *)&list[i].addr, list[i].ifindex, "lo");
        }
    pthread_mutex_unlock(&lock);
}

void stk_addrs_sync(void)
{
    pthread_mutex_lock(&lock);
    sync_locked(1);
    pthread_mutex_unlock(&lock);
}

void stk_addr_ensure(const struct sockaddr *sa)
{
    if (!usable(sa))
        return;
    struct sockaddr_storage plain;
    memcpy(&plain, sa, ip_addr_len(sa));
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
    if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
        struct sockaddr_in *a = (struct sockaddr_in *)&plain;
        memset(&plain, 0, sizeof plain);
        a->sin_family = AF_INET;
        memcpy(&a->sin_addr, &a6->sin6_addr.s6_addr[12], 4);
    }
    const struct sockaddr *p = (const struct sockaddr *)&plain;
    pthread_mutex_lock(&lock);
    if (!find(p)) {
        sync_locked(1);
        if (!find(p) && kernel_local(p)) {
            unsigned lo = if_nametoindex("lo");
            tell_usrsctp(p, lo, "lo");
            remember(p, lo, "lo", 1);
            SHIM_LOG("addresses: one more on lo, local to the kernel only");
        }
    }
    pthread_mutex_unlock(&lock);
}

/* A packet came for dst: usrsctp must know it to answer from it. */
void addrs_seen(const struct sockaddr *dst)
{
    static __thread struct sockaddr_storage last;
    if (!usable(dst) || ip_same_addr((struct sockaddr *)&last, dst))
        return;
    memcpy(&last, dst, ip_addr_len(dst));
    pthread_mutex_lock(&lock);
    int known = find(dst) != NULL;
    pthread_mutex_unlock(&lock);
    if (!known)
        stk_addr_ensure(dst);
}

void addrs_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    n_list = 0;
}
