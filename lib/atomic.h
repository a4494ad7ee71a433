/*
 * atomic: publish output files whole or not at all.
 *
 * atomic_open writes to a temporary file beside the target.  A program
 * with several outputs (-o, --rejects, --names, --out-dir) first closes
 * each with atomic_close, which checks every write (fflush, ferror, fsync,
 * fclose) and dies EXIT_IO on the first that failed, and only then calls
 * atomic_publish, which renames all of them into place: a write error in
 * any one of them publishes none (CONTRACTS "Every program": exit 2 and 3
 * publish nothing).  Anything not published when the program exits (die,
 * a signal handled by exit) is unlinked.  Standard output and device files
 * (such as /dev/full) are written directly and checked the same way.
 * atomic_dir does the same for a directory (`--out-dir`).  The structs are
 * atomic's: atomic_publish and atomic_commit free them.
 */
#ifndef ALF_ATOMIC_H
#define ALF_ATOMIC_H

#include <stdio.h>

struct atomic;

/* path NULL or "-": standard output.  Dies EXIT_IO when it cannot create. */
struct atomic	*atomic_open(const char *path);
FILE		*atomic_fp(struct atomic *a);
/* check and close a file (a directory: mark it done); dies EXIT_IO on a
 * write error.  Nothing is published yet. */
void		 atomic_close(struct atomic *a);
/* rename everything closed into place, in the order it was closed */
void		 atomic_publish(void);
/* atomic_close and publish this one alone (a file inside an atomic_dir) */
void		 atomic_commit(struct atomic *a);
/* with mode: the published file's permissions (0600 for secrets) */
struct atomic	*atomic_open_mode(const char *path, int mode);

/* a directory built as DIR.tmp.PID, renamed (or exchanged) into place */
struct atomic	*atomic_dir(const char *dir);
const char	*atomic_dir_path(struct atomic *a);	/* the temporary dir */

#endif
