/* Peer processes on this host, watched for death (life.c). */
#ifndef SCTPSHIM_LIFE_H
#define SCTPSHIM_LIFE_H

#include <stdint.h>

/* Once the stack has its UDP port: this process can be watched. */
void life_publish(uint16_t udp_port);
/* Watch the shimmed process whose stack has this UDP port (the stack
 * calls it for each new association with a peer on this host); its pid,
 * or 0 when no shimmed process holds the port. */
int life_watch(uint16_t udp_port);
/* Around fork: the thread is in its wait, holding nothing. */
void life_park(void);
void life_unpark(void);
void life_forget_after_fork(void);

#endif
