/*
 * csvparse: the parse-only peer of the ingest benchmark (issue 11
 * "Performance"): libcsv over the file in large blocks, counting fields
 * and rows, nothing else.  alf-ingest must stay within 2× of it.
 *   csvparse [-d DELIM] FILE
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long fields, rows;

static void
on_field(void *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(void)arg;
	fields++;
}

static void
on_row(int c, void *arg)
{
	(void)c;
	(void)arg;
	rows++;
}

int
main(int argc, char *argv[])
{
	static char buf[1 << 20];
	struct csv_parser p;
	int delim = ';';
	size_t n;
	FILE *fp;

	if (argc == 4 && strcmp(argv[1], "-d") == 0) {
		delim = argv[2][0];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: csvparse [-d DELIM] FILE\n");
		return 2;
	}
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		return 3;
	csv_set_delim(&p, (unsigned char)delim);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) {
			fprintf(stderr, "csvparse: %s\n",
			    csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, NULL);
	csv_free(&p);
	fclose(fp);
	printf("%lu rows, %lu fields\n", rows, fields);
	return 0;
}
