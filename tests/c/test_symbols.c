/* A program that defines names usrsctp exports for its own use.
 * usrsctp 0.9.5 exports about 600 internal symbols without a prefix;
 * kamailio, for one, defines a global variable sctp_listen, and
 * usrsctp_listen() jumped into it.  These globals are exported (the
 * program is linked with -rdynamic, as kamailio is), and SCTP sockets
 * must work under the shim all the same, in a fork child's private copy
 * of the stack too, while the program's variables keep their values. */
#include <sys/wait.h>

#include "testlib.h"

int sctp_listen = 0x5c7915;
long sctp_bind[4] = {1, 2, 3, 4};
char m_free[32] = "the program's own m_free";

static void globals_intact(void)
{
    CHECK_EQ(sctp_listen, 0x5c7915);
    CHECK_EQ(sctp_bind[0] + sctp_bind[1] + sctp_bind[2] + sctp_bind[3], 10);
    CHECK(strcmp(m_free, "the program's own m_free") == 0);
}

/* Listen, connect, and 256 KiB each way through usrsctp's mbufs. */
static void talk(int port)
{
    int lsn, cli, srv;
    t_pair(port, &lsn, &cli, &srv);
    static char buf[8192], in[8192];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i * 13);
    for (int round = 0; round < 32; round++) {
        CHECK_EQ(send(cli, buf, sizeof buf, 0), sizeof buf);
        CHECK_EQ(recv(srv, in, sizeof in, 0), sizeof in);
        CHECK(memcmp(buf, in, sizeof buf) == 0);
        CHECK_EQ(send(srv, buf, sizeof buf, 0), sizeof buf);
        CHECK_EQ(recv(cli, in, sizeof in, 0), sizeof in);
        CHECK(memcmp(buf, in, sizeof buf) == 0);
    }
    close(cli);
    close(srv);
    close(lsn);
    int m = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(m >= 0);
    struct sockaddr_in a = t_addr(port + 1);
    CHECK_EQ(bind(m, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(m, 1), 0);
    close(m);
}

TEST(own_symbols_win)
{
    talk(t_port(0));
    globals_intact();
}

/* A fork child runs its own private copy of the stack. */
TEST(fork_child_copy)
{
#ifdef __SANITIZE_ADDRESS__
    /* GCC 12's ASan cannot give a child forked from a threaded process
     * a stack of its own (README, Limits): the plain build checks it. */
    fprintf(stderr, "  (ASan build: not tried)\n");
#else
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        talk(t_port(2));
        globals_intact();
        exit(0);
    }
    t_wait_ok(pid);
#endif
}

int main(void)
{
    RUN(own_symbols_win);
    RUN(fork_child_copy);
    t_done("symbols");
    return 0;
}
