/*
 * handoff: bytes from the program to a thread of its own, in batches and
 * in order, so that a row's last work (alf-ingest: its pseudonym and its
 * writing) runs beside the decoding of the next rows (issue 11
 * "Performance").  One producer, one consumer: the program fills a
 * batch, the consumer's function gets each full batch in the order they
 * were filled, then the batch is reused.  handoff_end waits until the
 * consumer has had every byte.  The consumer must not touch what the
 * program uses, and the program must not touch what the consumer owns,
 * until handoff_end.
 */
#ifndef ALF_HANDOFF_H
#define ALF_HANDOFF_H

#include <stddef.h>

struct handoff;

/*
 * Start the consumer: fn(buf, len, arg) for each batch; the batch holds
 * whole records as the program added them, never half of one.
 */
struct handoff	*handoff_start(void (*fn)(char *, size_t, void *), void *arg);
/* room for n bytes of one record at the end of the batch being filled */
char		*handoff_room(struct handoff *h, size_t n);
/* n bytes of that room were used (n at most what was asked for) */
void		 handoff_add(struct handoff *h, size_t n);
/* the rest to the consumer, wait until it has had all, free */
void		 handoff_end(struct handoff *h);
/* 1 when called from the consumer's thread (which must not end it) */
int		 handoff_in_consumer(const struct handoff *h);

#endif
