/* The receive window the tracker counts a peer's DATA with
 * (shim/usrsctp/tsnwin.c): each TSN once, in order or not, past a
 * FORWARD TSN, across the 2^32 wrap. */
#include <stdio.h>
#include <stdlib.h>

#include "usrsctp/tsnwin.h"

static int failures;
#define EXPECT(cond)                                                        \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);      \
            failures++;                                                     \
        }                                                                   \
    } while (0)

static void window_at(uint32_t first)
{
    struct tsnwin w = {0};
    EXPECT(tsnwin_arrived(&w, first + 7)); /* no base yet: counted */
    tsnwin_start(&w, first);
    /* In order: each new once, no map needed. */
    EXPECT(tsnwin_arrived(&w, first));
    EXPECT(tsnwin_arrived(&w, first + 1));
    EXPECT(!tsnwin_arrived(&w, first));
    EXPECT(!tsnwin_arrived(&w, first + 1));
    EXPECT(w.map == NULL && w.cum == first + 1);
    /* A gap: +3 and +4 first, +2 later closes it. */
    EXPECT(tsnwin_arrived(&w, first + 3));
    EXPECT(tsnwin_arrived(&w, first + 4));
    EXPECT(!tsnwin_arrived(&w, first + 4));
    EXPECT(w.cum == first + 1);
    EXPECT(tsnwin_arrived(&w, first + 2));
    EXPECT(w.cum == first + 4);
    EXPECT(!tsnwin_arrived(&w, first + 3));
    /* The peer abandons +5 and +6 (FORWARD TSN to +6); +8 was in. */
    EXPECT(tsnwin_arrived(&w, first + 8));
    tsnwin_forward(&w, first + 6);
    EXPECT(w.cum == first + 6);
    EXPECT(tsnwin_arrived(&w, first + 7));
    EXPECT(w.cum == first + 8);
    EXPECT(!tsnwin_arrived(&w, first + 8));
    /* An old FORWARD TSN changes nothing; one far ahead clears. */
    tsnwin_forward(&w, first + 3);
    EXPECT(w.cum == first + 8);
    EXPECT(tsnwin_arrived(&w, first + 10));
    tsnwin_forward(&w, first + 8 + 3 * TSNWIN_SIZE);
    EXPECT(w.cum == first + 8 + 3 * TSNWIN_SIZE);
    EXPECT(!tsnwin_arrived(&w, first + 10));
    EXPECT(tsnwin_arrived(&w, w.cum + 2));
    EXPECT(tsnwin_arrived(&w, w.cum + 1));
    EXPECT(w.cum == first + 10 + 3 * TSNWIN_SIZE);
    /* Beyond the window: counted, not remembered. */
    EXPECT(tsnwin_arrived(&w, w.cum + TSNWIN_SIZE + 5));
    tsnwin_free(&w);
}

int main(void)
{
    window_at(1000);
    window_at(0xfffffffa); /* wraps within the first few TSNs */
    window_at(0x7ffffffe);
    if (failures) {
        fprintf(stderr, "test_tsnwin: %d failures\n", failures);
        return 1;
    }
    printf("test_tsnwin: ok\n");
    return 0;
}
