/* Every usrsctp socket the shim holds, for the work that concerns all of
 * them at once: a path whose MTU fell applies to whichever association
 * runs on it. */
#include "usrsctp/internal.h"

#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stk_sock *all;

void socks_add(struct stk_sock *s)
{
    pthread_mutex_lock(&lock);
    s->next = all;
    s->prev = NULL;
    if (all)
        all->prev = s;
    all = s;
    pthread_mutex_unlock(&lock);
}

void socks_remove(struct stk_sock *s)
{
    pthread_mutex_lock(&lock);
    if (s->prev)
        s->prev->next = s->next;
    else if (all == s)
        all = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
    pthread_mutex_unlock(&lock);
}

/* Holding the lock keeps every listed socket open: a close takes it off
 * the list first. */
void socks_each(void (*fn)(struct stk_sock *s, void *arg), void *arg)
{
    pthread_mutex_lock(&lock);
    for (struct stk_sock *s = all; s; s = s->next)
        fn(s, arg);
    pthread_mutex_unlock(&lock);
}

void socks_forget_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
    all = NULL; /* the parent's stack: never to be touched here */
}
