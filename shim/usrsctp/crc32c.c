/* CRC32c (Castagnoli), the SCTP checksum (RFC 9260, appendix A), for the
 * packets the shim checks or makes itself. */
#include "usrsctp/internal.h"

#include <pthread.h>

static uint32_t table[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        table[i] = c;
    }
}

uint32_t crc32c_update(uint32_t crc, const void *data, size_t len)
{
    pthread_once(&once, make_table);
    const unsigned char *p = data;
    while (len--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

/* The checksum field of an SCTP packet: the CRC over the packet with the
 * field zero, its low byte first on the wire. */
void crc32c_seal(unsigned char *pkt, size_t len)
{
    memset(pkt + 8, 0, 4);
    uint32_t c = ~crc32c_update(~0u, pkt, len);
    pkt[8] = (unsigned char)c;
    pkt[9] = (unsigned char)(c >> 8);
    pkt[10] = (unsigned char)(c >> 16);
    pkt[11] = (unsigned char)(c >> 24);
}
