/* db_impl.h: what db.c shares with the two engine files; not for use outside src/db. */
#ifndef LTCI_DB_IMPL_H
#define LTCI_DB_IMPL_H

#include <stdint.h>

#include "base/limits.h"
#include "db/db.h"

/* Most parameters one statement may take (multi-row INSERTs use hundreds). */
#define DB_MAX_PARAMS 2000

struct db_stmt {
	struct db *db;
	const char *sql_ptr;        /* the caller's pointer: a literal is found again without hashing */
	char *sql;
	uint64_t key;               /* hash of sql and parameter types */
	char *sig;                  /* parameter types: 'i' or 't' per parameter */
	int nparams;
	bool cached;
	bool in_use;
	/* SQLite */
	void *sq;                   /* sqlite3_stmt */
	int *pidx;                  /* bind index of $1..$n (0: not used by the statement) */
	/* PostgreSQL */
	char name[24];              /* prepared statement name */
	unsigned generation;        /* connection generation it was prepared on */
	const char **values;        /* nparams entries */
	char (*ints)[24];           /* text of integer parameters */
	void *res;                  /* PGresult */
	int row, nrows;
	bool started;
};

struct db_ops {
	int (*prepare)(struct db_stmt *st, struct err *e);
	int (*bind)(struct db_stmt *st, const struct db_val *args, int n, struct err *e);
	int (*step)(struct db_stmt *st, struct err *e);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	bool (*col_null)(struct db_stmt *st, int col);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	int (*col_count)(struct db_stmt *st);
	int64_t (*changes)(struct db_stmt *st);
	int (*exec_script)(struct db *db, const char *sql, struct err *e);
	/* bulk load; NULL for engines that use the generic INSERT path */
	int (*copy_begin)(struct db *db, const char *sql, struct err *e);
	int (*copy_data)(struct db *db, const char *data, size_t len, struct err *e);
	int (*copy_end)(struct db *db, struct err *e);
	const char *begin_sql;
	void (*close)(struct db *db);
};

struct db {
	enum db_engine engine;
	const struct db_ops *ops;
	void *conn;                 /* sqlite3 * or PGconn * */
	unsigned generation;        /* bumped when a PostgreSQL connection is re-established */
	struct db_stmt *cache[LIMIT_STMT_CACHE];
	int ncache;
	unsigned next_name;
	int tx_depth;
	bool tx_failed;
	bool last_unique;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pgsql_ops;

int db_sqlite_open(const char *path, struct db *db, struct err *e);
int db_pgsql_open(const char *url, struct db *db, struct err *e);

#endif
