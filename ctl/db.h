/* `hallqctl db ...`: the IT officer's tools for the hall's database.
 *
 *   check [FILE]                 the same checks of the file itself as hallqd's start
 *                                (hq_db_check_file), then SQLite's full PRAGMA integrity_check
 *                                (indexes against their tables too); read only, so it may run
 *                                while hallqd serves
 *   recover [FILE] --out NEW     reads what can still be read of a damaged database into a new
 *                                file of the current schema that hallqd accepts; refused while
 *                                hallqd holds the data directory, whose lock it holds meanwhile
 *
 * FILE defaults to DIR/hallq.db of --data DIR. Recovery reads each table in rowid order and
 * steps over what cannot be read: after an error it finds, by seeking (which descends the
 * table's b-tree from its root), the first rowid beyond the damaged page, so one damaged leaf
 * costs that leaf's rows only. Indexes are not read: the new file builds them anew. (The
 * sqlite3 shell's .recover, which reads pages without the tree, needs SQLite's sqlite_dbpage
 * table, which Debian 12's libsqlite3 is built without.) */
#ifndef HALLQ_CTL_DB_H
#define HALLQ_CTL_DB_H

#include "ui_options.h"

#include <sqlite3.h>

/* The command line of `hallqctl db` (for tests/unit/test_texts.c). */
extern const ui_program_t ctl_db_cli;

/* Whether SQLite's full PRAGMA integrity_check of db says "ok" (backup checks its copy with it
 * too). */
int ctl_db_integrity_ok(sqlite3 *db);

/* argv[0] is "db". Returns the exit status: 0 sound (check) or recovered (recover), 1 damaged
 * (check) or refused, 2 bad arguments, 4 failed. */
int hallqctl_db_main(int argc, char **argv);

#endif
