/* migrate.h: numbered schema migrations embedded in the binary, each applied in its own transaction and recorded
 * in schema_migrations. A database whose schema is newer than the binary is refused. */
#ifndef LTCI_MIGRATE_H
#define LTCI_MIGRATE_H

#include "db/db.h"

/* Highest migration version this binary knows. */
int migrate_latest(void);
/* Version the database is at (0 for an empty database). */
int migrate_current(struct db *db, int *version, struct err *e);
/* Apply every pending migration; *applied (may be NULL) gets how many were applied. ERR_CONFLICT if the database
 * is newer than the binary. */
int migrate_run(struct db *db, int *applied, struct err *e);
/* 0 if the database is exactly at migrate_latest(); ERR_CONFLICT with a message otherwise. */
int migrate_check(struct db *db, struct err *e);

/* Drop every table (and the functions migrations create) so the schema can be built afresh. Destroys all data:
 * only 'ltci demo --force' calls it. */
int migrate_wipe(struct db *db, struct err *e);

#endif
