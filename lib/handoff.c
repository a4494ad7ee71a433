/*
 * handoff: a ring of NBATCH byte batches between two threads.  Batch i
 * is the program's while i >= sent (it fills batch sent % NBATCH) and
 * the consumer's from sent until done passes it; both counters only grow
 * and are shared under mu.  A batch is handed over when the next record
 * does not fit, so each side wakes the other once a batch (BATCH bytes,
 * a few thousand rows), not once a row.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "handoff.h"

#define NBATCH	8
#define BATCH	(64 * 1024)

struct batch {
	char	*buf;
	size_t	 len, cap;
};

struct handoff {
	void		(*fn)(char *, size_t, void *);
	void		*arg;
	struct batch	 b[NBATCH];
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 full, empty;
	size_t		 sent, done;	/* batches handed over, consumed */
	int		 ending;
};

static void *
consume(void *arg)
{
	struct handoff *h = arg;
	struct batch *b;
	size_t i;

	for (i = 0;; i++) {
		pthread_mutex_lock(&h->mu);
		while (h->sent == i && !h->ending)
			pthread_cond_wait(&h->full, &h->mu);
		if (h->sent == i) {
			pthread_mutex_unlock(&h->mu);
			return NULL;
		}
		pthread_mutex_unlock(&h->mu);
		b = &h->b[i % NBATCH];
		h->fn(b->buf, b->len, h->arg);
		b->len = 0;
		pthread_mutex_lock(&h->mu);
		h->done = i + 1;
		pthread_cond_signal(&h->empty);
		pthread_mutex_unlock(&h->mu);
	}
}

struct handoff *
handoff_start(void (*fn)(char *, size_t, void *), void *arg)
{
	struct handoff *h = ecalloc(1, sizeof *h);
	int i;

	h->fn = fn;
	h->arg = arg;
	for (i = 0; i < NBATCH; i++) {
		h->b[i].cap = BATCH;
		h->b[i].buf = emalloc(BATCH);
	}
	if (pthread_mutex_init(&h->mu, NULL) != 0 ||
	    pthread_cond_init(&h->full, NULL) != 0 ||
	    pthread_cond_init(&h->empty, NULL) != 0 ||
	    pthread_create(&h->thread, NULL, consume, h) != 0)
		die(EXIT_IO, "cannot start the writing thread");
	return h;
}

/* hand the batch being filled to the consumer; wait for the next free */
static void
send(struct handoff *h)
{
	pthread_mutex_lock(&h->mu);
	h->sent++;
	pthread_cond_signal(&h->full);
	while (h->sent - h->done == NBATCH)
		pthread_cond_wait(&h->empty, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

char *
handoff_room(struct handoff *h, size_t n)
{
	struct batch *b = &h->b[h->sent % NBATCH];

	if (b->len > 0 && b->len + n > b->cap) {
		send(h);
		b = &h->b[h->sent % NBATCH];
	}
	if (n > b->cap) {
		/* a record larger than a batch: this batch grows for it */
		b->cap = n;
		b->buf = erealloc(b->buf, b->cap);
	}
	return b->buf + b->len;
}

void
handoff_add(struct handoff *h, size_t n)
{
	h->b[h->sent % NBATCH].len += n;
}

void
handoff_end(struct handoff *h)
{
	int i;

	if (h->b[h->sent % NBATCH].len > 0)
		send(h);
	pthread_mutex_lock(&h->mu);
	h->ending = 1;
	pthread_cond_signal(&h->full);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	for (i = 0; i < NBATCH; i++)
		free(h->b[i].buf);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->full);
	pthread_cond_destroy(&h->empty);
	free(h);
}

int
handoff_in_consumer(const struct handoff *h)
{
	return pthread_equal(pthread_self(), h->thread);
}
