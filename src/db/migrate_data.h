/* migrate_data.h: the table of embedded migration files, generated at build time by cmake/embed_migrations.cmake. */
#ifndef LTCI_MIGRATE_DATA_H
#define LTCI_MIGRATE_DATA_H

struct migration_file {
	int version;
	const char *name;
	const char *dialect; /* "any", "sqlite" or "pgsql" */
	const char *sql;
};

extern const struct migration_file migration_files[];
extern const int migration_file_count;

#endif
