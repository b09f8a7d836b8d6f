/* What a notification looks like to one particular socket: the form of
 * the send-failure event it subscribed to, and addresses as the socket
 * shows addresses (v4-mapped on an AF_INET6 socket, as Linux does). */
#include "linux/notif.h"

#include <string.h>

#include "core/sock.h"
#include "linux/assoc.h"
#include "linux/addr.h"

void lx_notif_for_socket(struct ssock *s, struct stk_notif *n)
{
    /* The association's own subscription picks the form. */
    lx_notif_pick_form(n, lx_assoc_vals(s, n->assoc_id).events);
    if (n->type == STK_N_PEER_ADDR_CHANGE &&
        lx_addr_len((const struct sockaddr *)&n->addr)) {
        struct sockaddr_storage out;
        socklen_t len = sizeof out;
        memset(&out, 0, sizeof out);
        lx_addr_out(s, (const struct sockaddr *)&n->addr,
                    (struct sockaddr *)&out, &len);
        n->addr = out;
    }
}
