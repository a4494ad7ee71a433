/*
 * csvio: all CSV parsing goes through libcsv (CONTRACTS "CSV dialect").
 * Lines are fed to libcsv one at a time so that each row knows the
 * physical line it starts on.
 *
 * Reading, decoding and parsing run in a thread of their own once the
 * first data row is asked for, a ring of rows ahead of the program, so
 * that on two cores the parse and the program's own work overlap (issue
 * 11 "Performance"; issue 15: the national year on a 2-core machine).
 * Rows come out in file order whatever the timing: one producer, one
 * consumer.
 */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "err.h"

struct row {
	char	*buf;
	size_t	 len, cap;
	size_t	*off;
	int	 n, ncap;
	long	 line;
	int	 bad;
	int	 checked;	/* the row check's answer (csvr_set_check) */
};

struct csvr {
	FILE		*fp;
	char		*name;
	size_t		 namelen;	/* its strlen, for csvr_where */
	struct csv_parser p;
	int		 delim;
	/*
	 * the input in blocks: lines are parsed where they lie, not copied
	 * out one at a time (getline)
	 */
	char		*blk;
	size_t		 bcap, bpos, blen;
	int		 beof;		/* the stream has given its last byte */
	long		 lineno;	/* physical lines read */
	long		 row_start;
	int		 eof;
	struct row	 cur;		/* the row being parsed */
	struct row	*done;		/* completed rows, a queue */
	int		 ndone, qhead, qcap;
	struct row	 out;		/* the row handed to the caller */
	struct row	 hdr;
	int		 flags;
	int		(*check)(const char *, size_t, void *);
	void		*check_arg;
	char		*iobuf;		/* fp's stdio buffer, or NULL */
	char		*xbuf;		/* a line with its guards rewritten */
	size_t		 xcap;
	long		 nrows;		/* data rows handed out */
	int		 tty;		/* stderr is a terminal: show progress */
	int		 rerr;		/* errno of a read error, ends input */
	/*
	 * The ring between the reading thread (the producer: everything
	 * above but out and nrows is its own once it runs) and the program.
	 * head and tail count rows produced and consumed; they, eof and stop
	 * are shared under mu.  The producer owns ring[i % RING] for i from
	 * tail to tail + RING, the consumer for i from tail to head.
	 */
	int		 threaded;
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 more, room;
	struct row	*ring;
	size_t		 head, tail;
	int		 done_all, stop;
	int		 c_waiting;	/* the program waits for rows */
	size_t		 c_head, c_tail;	/* the consumer's own view */
	long		 nsync;		/* rows read before the thread */
};

/* rows in flight, and how often each side tells the other */
#define RING	1024
#define BATCH	64
#define SYNC_ROWS	10000

/* a block of input; a longer line makes the block grow */
#define BLOCK	(1 << 18)

/* a long input shows its progress on a terminal (CONTRACTS "Every program") */
#define PROGRESS_EVERY	1000000

/* fields of a row csvw_row builds on the stack */
#define ROW_LENS	64

static void
row_clear(struct row *w)
{
	w->len = 0;
	w->n = 0;
	w->bad = 0;
}

static void
row_grow(struct row *w, size_t len)
{
	if (w->len + len + 1 > w->cap) {
		w->cap = (w->len + len + 1) * 2;
		w->buf = erealloc(w->buf, w->cap);
	}
	if (w->n == w->ncap) {
		w->ncap = w->ncap ? w->ncap * 2 : 16;
		w->off = erealloc(w->off, w->ncap * sizeof *w->off);
	}
}

/* a field onto the row: a dozen a row, so growing is out of the way */
static inline void
row_push(struct row *w, const char *s, size_t len)
{
	if (__builtin_expect(w->len + len + 1 > w->cap || w->n == w->ncap, 0))
		row_grow(w, len);
	w->off[w->n++] = w->len;
	memcpy(w->buf + w->len, s, len);
	w->len += len;
	w->buf[w->len++] = '\0';
}

static void
row_free(struct row *w)
{
	free(w->buf);
	free(w->off);
}

static void
cb_field(void *s, size_t len, void *arg)
{
	struct csvr *r = arg;

	row_push(&r->cur, s != NULL ? s : "", s != NULL ? len : 0);
}

static void
enqueue(struct csvr *r)
{
	struct row *w, tmp;

	if (r->qhead > 0 && r->qhead == r->ndone)
		r->qhead = r->ndone = 0;
	if (r->ndone == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 4;
		r->done = erealloc(r->done, r->qcap * sizeof *r->done);
		memset(r->done + r->ndone, 0,
		    (r->qcap - r->ndone) * sizeof *r->done);
	}
	/* swap, not copy: the buffers go round between cur and the queue */
	w = &r->done[r->ndone++];
	tmp = *w;
	*w = r->cur;
	w->line = r->row_start;
	r->cur = tmp;
	row_clear(&r->cur);
}

static void
cb_row(int c, void *arg)
{
	(void)c;
	enqueue(arg);
}

/*
 * libcsv trims the spaces and tabs around an unquoted field (its default,
 * inline in its loop: a function of ours here was a call a character, 3 %
 * of every program's reading); a tab that is the delimiter stays one.
 * csvw quotes a field with a space or tab at either end, so what alf
 * writes reads back as it was.
 */
static void
parser_init(struct csvr *r)
{
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		die(EXIT_IO, "out of memory");
	csv_set_delim(&r->p, (unsigned char)r->delim);
}

/*
 * Excel writes text it must not turn into a number as ="0123", unquoted;
 * strict libcsv refuses the quote, so `="` opening a field becomes `"`,
 * which reads as the quoted field "0123" (issue 11 "Decoding").
 */
static void
unguard(struct csvr *r, char **s, size_t *len)
{
	size_t i, o = 0;
	int inq, start;
	char *in = *s;

	if (!(r->flags & CSVR_EXCEL) || memchr(in, '=', *len) == NULL)
		return;
	if (*len + 1 > r->xcap) {
		r->xcap = (*len + 1) * 2;
		r->xbuf = erealloc(r->xbuf, r->xcap);
	}
	inq = r->p.pstate != 0 && r->p.quoted;
	start = !inq && (r->p.pstate <= 1);
	for (i = 0; i < *len; i++) {
		if (inq) {
			if (in[i] == '"') {
				if (i + 1 < *len && in[i + 1] == '"')
					r->xbuf[o++] = in[i++];
				else
					inq = 0;
			}
		} else if (start && in[i] == '=' && i + 1 < *len &&
		    in[i + 1] == '"')
			continue;
		else if (in[i] == '"' && start)
			inq = 1;
		start = !inq && in[i] == r->delim;
		r->xbuf[o++] = in[i];
	}
	*s = r->xbuf;
	*len = o;
}

/* Feed one more physical line; 0 at end of input. */
/*
 * Parse bytes of one or more physical lines.  A lone CR ends a line too
 * (old Mac exports): libcsv ends a row there, so the count of lines, and
 * each row's FILE:LINE, must step with it.
 */
static void
feed_bytes(struct csvr *r, char *s, size_t len)
{
	char *seg, *cr;
	size_t k, slen;

	while (len > 0) {
		/* memchr: the bytes of a line are scanned once, and fast */
		for (k = 0; k < len; k++) {
			if ((cr = memchr(s + k, '\r', len - k)) == NULL) {
				k = len;
				break;
			}
			k = (size_t)(cr - s);
			if (k + 1 == len || s[k + 1] != '\n') {
				k++;
				break;
			}
		}
		r->lineno++;
		if (r->p.pstate == 0)
			r->row_start = r->lineno;
		seg = s;
		slen = k;
		unguard(r, &seg, &slen);
		if (csv_parse(&r->p, seg, slen, cb_field, cb_row, r) != slen) {
			/* a quote libcsv cannot place: hand the row over as bad */
			if (r->cur.n == 0)
				row_push(&r->cur, "", 0);
			r->cur.bad = 1;
			enqueue(r);
			csv_free(&r->p);
			parser_init(r);
		}
		s += k;
		len -= k;
	}
}

/*
 * The next physical line (its LF included, or the last without one) in
 * *len bytes where it lies in the block; NULL at the end of the input.
 * A read error ends the input too, with r->rerr set (the program dies of
 * it, not the reading thread).
 */
static char *
next_line(struct csvr *r, size_t *len)
{
	char *nl;
	size_t n, scan = 0;

	for (;;) {
		if ((nl = memchr(r->blk + r->bpos + scan, '\n',
		    r->blen - r->bpos - scan)) != NULL) {
			*len = (size_t)(nl - (r->blk + r->bpos)) + 1;
			r->bpos += *len;
			return r->blk + r->bpos - *len;
		}
		if (r->beof) {
			if ((*len = r->blen - r->bpos) == 0)
				return NULL;
			r->bpos = r->blen;
			return r->blk + r->bpos - *len;
		}
		/* the line's start to the block's front; grow for a long one */
		scan = r->blen - r->bpos;
		memmove(r->blk, r->blk + r->bpos, scan);
		r->blen = scan;
		r->bpos = 0;
		if (r->bcap - r->blen < BLOCK / 2) {
			r->bcap *= 2;
			r->blk = erealloc(r->blk, r->bcap);
		}
		errno = 0;
		n = fread(r->blk + r->blen, 1, r->bcap - r->blen, r->fp);
		r->blen += n;
		if (n == 0) {
			if (ferror(r->fp))
				r->rerr = errno ? errno : EIO;
			r->beof = 1;
		}
	}
}

/* Feed one more physical line; 0 at end of input. */
static int
feed_line(struct csvr *r)
{
	char *s;
	size_t len;

	if (r->eof)
		return 0;
	if ((s = next_line(r, &len)) == NULL) {
		r->eof = 1;
		if (csv_fini(&r->p, cb_field, cb_row, r) != 0) {
			/* an unterminated quote at the end of the file */
			if (r->cur.n == 0)
				row_push(&r->cur, "", 0);
			r->cur.bad = 1;
			enqueue(r);
		}
		return r->ndone > r->qhead;
	}
	if (r->lineno == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	feed_bytes(r, s, len);
	return 1;
}

static int
next_row(struct csvr *r, struct row *into)
{
	struct row tmp;

	while (r->qhead == r->ndone)
		if (!feed_line(r))
			return 0;
	tmp = *into;
	*into = r->done[r->qhead];
	r->done[r->qhead++] = tmp;
	/* in the reading thread, once it runs: off the program's path */
	into->checked = r->check == NULL || r->check(into->buf, into->len,
	    r->check_arg);
	return 1;
}

static void
lock(struct csvr *r)
{
	if (pthread_mutex_lock(&r->mu) != 0)
		die(EXIT_IO, "%s: cannot lock", r->name);
}

static void
unlock(struct csvr *r)
{
	pthread_mutex_unlock(&r->mu);
}

/* the reading thread: rows into the ring until the end or stop */
static void *
produce(void *arg)
{
	struct csvr *r = arg;
	size_t head = 0, tail = 0;
	int more = 1;

	while (more) {
		if (head - tail == RING) {
			lock(r);
			r->head = head;
			pthread_cond_signal(&r->more);
			/*
			 * wait for half the ring, not one batch: the program
			 * wakes this thread once every RING / 2 rows, not
			 * once a batch (each wake is a futex round trip)
			 */
			while (head - r->tail > RING / 2 && !r->stop)
				pthread_cond_wait(&r->room, &r->mu);
			tail = r->tail;
			more = !r->stop;
			unlock(r);
			if (!more)
				break;
		}
		if (!(more = next_row(r, &r->ring[head % RING])))
			break;
		if (++head % BATCH == 0) {
			lock(r);
			r->head = head;
			tail = r->tail;
			more = !r->stop;
			/*
			 * a program that waits is woken with half the ring
			 * full, not once a batch: when it is the faster side
			 * each wake is a futex round trip for 64 rows
			 */
			if (r->c_waiting && head - r->tail >= RING / 2)
				pthread_cond_signal(&r->more);
			unlock(r);
		}
	}
	lock(r);
	r->head = head;
	r->done_all = 1;
	pthread_cond_signal(&r->more);
	unlock(r);
	return NULL;
}

static void
start(struct csvr *r)
{
	r->ring = ecalloc(RING, sizeof *r->ring);
	if (pthread_mutex_init(&r->mu, NULL) != 0 ||
	    pthread_cond_init(&r->more, NULL) != 0 ||
	    pthread_cond_init(&r->room, NULL) != 0 ||
	    pthread_create(&r->thread, NULL, produce, r) != 0)
		die(EXIT_IO, "%s: cannot start the reading thread", r->name);
	r->threaded = 1;
}

/* the next row from the ring into into; 0 at the end */
static int
take_row(struct csvr *r, struct row *into)
{
	struct row tmp;
	int all;

	/* a short input is read as it goes: a thread pays off on long ones */
	if (!r->threaded && r->nsync < SYNC_ROWS) {
		r->nsync++;
		if (next_row(r, into))
			return 1;
		if (r->rerr != 0)
			die(EXIT_IO, "%s: read error: %s", r->name,
			    strerror(r->rerr));
		return 0;
	}
	if (!r->threaded)
		start(r);
	if (r->c_tail == r->c_head) {
		lock(r);
		r->tail = r->c_tail;
		pthread_cond_signal(&r->room);
		if (r->head == r->c_tail && !r->done_all) {
			r->c_waiting = 1;
			while (r->head - r->c_tail < RING / 2 && !r->done_all)
				pthread_cond_wait(&r->more, &r->mu);
			r->c_waiting = 0;
		}
		r->c_head = r->head;
		all = r->done_all;
		unlock(r);
		if (r->c_tail == r->c_head) {
			/* the end; the thread has written its last */
			if (all && r->rerr != 0)
				die(EXIT_IO, "%s: read error: %s", r->name,
				    strerror(r->rerr));
			return 0;
		}
	}
	tmp = *into;
	*into = r->ring[r->c_tail % RING];
	r->ring[r->c_tail % RING] = tmp;
	if (++r->c_tail % BATCH == 0) {
		lock(r);
		r->tail = r->c_tail;
		/* the producer waits for half the ring free (produce) */
		if (r->head - r->tail <= RING / 2)
			pthread_cond_signal(&r->room);
		unlock(r);
	}
	return 1;
}

static int
detect_delim(const char *line, size_t len)
{
	const char *end = line + len;
	int inq = 0, semi = 0, comma = 0, tab = 0;

	for (; line < end && *line != '\0' && *line != '\n' && *line != '\r';
	    line++) {
		if (*line == '"')
			inq = !inq;
		else if (!inq && *line == ';')
			semi++;
		else if (!inq && *line == ',')
			comma++;
		else if (!inq && *line == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma)
		return '\t';
	return ',';
}

static const char *stdin_name = "-";

void
csvr_set_stdin_name(const char *name)
{
	stdin_name = name;
}

const char *
csvr_stdin_name(void)
{
	return stdin_name;
}

struct csvr *
csvr_open(const char *path, int delim)
{
	FILE *fp;
	struct csvr *r;
	char *buf;

	if (path == NULL || strcmp(path, "-") == 0)
		return csvr_open_fp(stdin, stdin_name, delim);
	if ((fp = fopen(path, "r")) == NULL)
		die(EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
	/*
	 * reads of 256 KiB, not stdio's 4 KiB, each a system call; the
	 * buffer is ours (glibc ignores the size without one)
	 */
	setvbuf(fp, buf = emalloc(1 << 18), _IOFBF, 1 << 18);
	r = csvr_open_fp(fp, path, delim);
	r->iobuf = buf;
	return r;
}

struct csvr *
csvr_open_fp(FILE *fp, const char *name, int delim)
{
	return csvr_open_flags(fp, name, delim, 0);
}

struct csvr *
csvr_open_flags(FILE *fp, const char *name, int delim, int flags)
{
	struct csvr *r = ecalloc(1, sizeof *r);
	char *line;
	size_t len;

	r->fp = fp;
	r->flags = flags;
	r->name = estrdup(name);
	r->namelen = strlen(name);
	r->tty = isatty(STDERR_FILENO);
	r->bcap = BLOCK;
	r->blk = emalloc(r->bcap);
	if (delim == 0) {
		/* the header line, read ahead, chooses the delimiter */
		line = next_line(r, &len);
		if (r->rerr != 0)
			die(EXIT_IO, "%s: read error: %s", r->name,
			    strerror(r->rerr));
		if (line == NULL)
			die(EXIT_USAGE, "%s: empty file (no header)", r->name);
		delim = detect_delim(line, len);
		r->bpos = 0;	/* next_row feeds it from the block */
	}
	r->delim = delim;
	parser_init(r);
	if (!next_row(r, &r->hdr)) {
		if (r->rerr != 0)
			die(EXIT_IO, "%s: read error: %s", r->name,
			    strerror(r->rerr));
		die(EXIT_USAGE, "%s: empty file (no header)", r->name);
	}
	if (r->hdr.bad)
		die(EXIT_USAGE, "%s:%ld: malformed header", r->name, r->hdr.line);
	return r;
}

void
csvr_close(struct csvr *r)
{
	int i;

	if (r == NULL)
		return;
	if (r->tty && r->nrows >= PROGRESS_EVERY)
		fputs("\r\033[K", stderr);	/* the summary line takes its place */
	if (r->threaded) {
		lock(r);
		r->stop = 1;
		pthread_cond_signal(&r->room);
		unlock(r);
		pthread_join(r->thread, NULL);
		for (i = 0; i < RING; i++)
			row_free(&r->ring[i]);
		free(r->ring);
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->more);
		pthread_cond_destroy(&r->room);
	}
	if (r->fp != stdin)
		fclose(r->fp);
	free(r->iobuf);
	csv_free(&r->p);
	for (i = 0; i < r->qcap; i++)
		row_free(&r->done[i]);
	free(r->done);
	row_free(&r->cur);
	row_free(&r->out);
	row_free(&r->hdr);
	free(r->blk);
	free(r->xbuf);
	free(r->name);
	free(r);
}

const char *
csvr_name(const struct csvr *r)
{
	return r->name;
}

int
csvr_delim(const struct csvr *r)
{
	return r->delim;
}

int
csvr_ncols(const struct csvr *r)
{
	return r->hdr.n;
}

const char *
csvr_colname(const struct csvr *r, int i)
{
	return i >= 0 && i < r->hdr.n ? r->hdr.buf + r->hdr.off[i] : "";
}

int
csvr_col(const struct csvr *r, const char *name)
{
	int i;

	for (i = 0; i < r->hdr.n; i++)
		if (strcmp(r->hdr.buf + r->hdr.off[i], name) == 0)
			return i;
	return -1;
}

int
csvr_require(const struct csvr *r, const char *name)
{
	int i;

	if ((i = csvr_col(r, name)) < 0)
		die(EXIT_USAGE, "%s:%ld: %s: missing required column",
		    r->name, r->hdr.line, name);
	return i;
}

int
csvr_next(struct csvr *r)
{
	if (!take_row(r, &r->out))
		return 0;
	if (r->tty && ++r->nrows % PROGRESS_EVERY == 0)
		fprintf(stderr, "\r%s: %s: %ld rows", progname, r->name, r->nrows);
	return 1;
}

int
csvr_nfields(const struct csvr *r)
{
	return r->out.n;
}

const char *
csvr_field(const struct csvr *r, int col)
{
	return col >= 0 && col < r->out.n ? r->out.buf + r->out.off[col] : "";
}

const char *
csvr_cell(const struct csvr *r, int col, size_t *len)
{
	const struct row *w = &r->out;

	if (col < 0 || col >= w->n) {
		*len = 0;
		return "";
	}
	*len = (col + 1 < w->n ? w->off[col + 1] : w->len) - w->off[col] - 1;
	return w->buf + w->off[col];
}

void
csvr_set_check(struct csvr *r, int (*check)(const char *, size_t, void *),
    void *arg)
{
	if (r->threaded || r->nsync > 0)
		die(EXIT_IO, "%s: a row check set after the first row", r->name);
	r->check = check;
	r->check_arg = arg;
}

int
csvr_checked(const struct csvr *r)
{
	return r->out.checked;
}

long
csvr_line(const struct csvr *r)
{
	return r->out.line;
}

char *
csvr_where(const struct csvr *r, char *buf, size_t len)
{
	char digits[24];
	size_t n = r->namelen, k = 0;
	long line = r->out.line;

	if (len < sizeof digits + 2) {
		*buf = '\0';
		return buf;
	}
	do {
		digits[k++] = (char)('0' + line % 10);
		line /= 10;
	} while (line > 0 && k < sizeof digits);
	if (n + k + 2 > len)
		n = len > k + 2 ? len - k - 2 : 0;
	memcpy(buf, r->name, n);
	buf[n++] = ':';
	while (k > 0)
		buf[n++] = digits[--k];
	buf[n] = '\0';
	return buf;
}

int
csvr_bad(const struct csvr *r)
{
	return r->out.bad;
}

/* a space or tab: what readers on libcsv trim around an unquoted field */
static int
edge(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * 1 when s must be written quoted: a comma, quote or line end in it, or a
 * space or tab at either end (parser_init).  *n is its length when it
 * need not.
 */
static int
needs_quotes(const char *s, size_t *n)
{
	*n = strcspn(s, ",\"\r\n");
	return s[*n] != '\0' || (*n > 0 && (edge(s[0]) || edge(s[*n - 1])));
}

void
csvw_field(FILE *fp, const char *s, int first)
{
	size_t n;

	if (!first)
		putc_unlocked(',', fp);
	/* the common case, nothing to quote, in one write */
	if (!needs_quotes(s, &n)) {
		fwrite_unlocked(s, 1, n, fp);
		return;
	}
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

void
csvw_end(FILE *fp)
{
	putc('\n', fp);
}

/* 1 when one of the eight bytes of w is c (the classic zero-byte test) */
static int
has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (0x0101010101010101ULL * c);

	return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

char *
csvw_put(char *o, const char *s, size_t len, int first)
{
	size_t i;

	static const unsigned char special[256] = { ['"'] = 1, [','] = 1,
	    ['\n'] = 1, ['\r'] = 1 };

	if (!first)
		*o++ = ',';
	/*
	 * needs_quotes on (s, len), copying as it looks: a field is short,
	 * and one pass is cheaper than a search a character
	 */
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (has_byte(w, '"') | has_byte(w, ',') | has_byte(w, '\n') |
		    has_byte(w, '\r'))
			break;
		memcpy(o + i, &w, 8);
	}
	for (; i < len && !special[(unsigned char)s[i]]; i++)
		o[i] = s[i];
	if (i == len && (len == 0 || (!edge(s[0]) && !edge(s[len - 1]))))
		return o + len;
	*o++ = '"';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			*o++ = '"';
		*o++ = s[i];
	}
	*o++ = '"';
	return o;
}

void
csvw_row(FILE *fp, const char *const *fields, int n)
{
	char line[2048], *o;
	size_t lens[ROW_LENS], len;
	int i;

	/* a lone empty field would be a blank line, which readers skip */
	if (n == 1 && *fields[0] == '\0') {
		fputs("\"\"\n", fp);
		return;
	}
	/* a short row built on the stack and written at once: one call */
	for (i = 0, len = 1; i < n && i < ROW_LENS && len <= sizeof line; i++)
		len += CSVW_MAX(lens[i] = strlen(fields[i]));
	if (i == n && len <= sizeof line) {
		for (i = 0, o = line; i < n; i++)
			o = csvw_put(o, fields[i], lens[i], i == 0);
		*o++ = '\n';
		fwrite_unlocked(line, 1, (size_t)(o - line), fp);
		return;
	}
	for (i = 0; i < n; i++)
		csvw_field(fp, fields[i], i == 0);
	csvw_end(fp);
}
