/*
 * atomic: publish output files whole or not at all.
 *
 * atomic_open writes to a temporary file beside the target; atomic_commit
 * checks every write (fflush, ferror, fsync, fclose) and renames it into
 * place.  Anything not committed when the program exits (die, a signal
 * handled by exit) is unlinked, so exit 2 and 3 publish nothing
 * (CONTRACTS "Every program").  Standard output and device files (such as
 * /dev/full) are written directly and checked the same way.
 * atomic_dir does the same for a directory (`--out-dir`).
 */
#ifndef ALF_ATOMIC_H
#define ALF_ATOMIC_H

#include <stdio.h>

struct atomic;

/* path NULL or "-": standard output.  Dies EXIT_IO when it cannot create. */
struct atomic	*atomic_open(const char *path);
FILE		*atomic_fp(struct atomic *a);
/* check, close and publish; dies EXIT_IO on any write error */
void		 atomic_commit(struct atomic *a);
/* with mode: the published file's permissions (0600 for secrets) */
struct atomic	*atomic_open_mode(const char *path, int mode);

/* a directory built as DIR.tmp.PID, renamed (or exchanged) into place */
struct atomic	*atomic_dir(const char *dir);
const char	*atomic_dir_path(struct atomic *a);	/* the temporary dir */
void		 atomic_dir_commit(struct atomic *a);

#endif
