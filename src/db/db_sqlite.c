/* db_sqlite.c: the SQLite engine (WAL, foreign keys, busy timeout, defensive mode, statement cache). */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/str.h"
#include "db/db_impl.h"

static int map_error(struct db *db, int code, const char *what, struct err *e)
{
	sqlite3 *c = db->conn;
	int ext = sqlite3_extended_errcode(c);

	db->last_unique = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
	if (db->last_unique)
		return err_set(e, ERR_CONFLICT, NULL, "记录已存在（唯一性冲突）");
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(e, ERR_CONFLICT, NULL, "记录被引用或引用的记录不存在");
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return err_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后重试");
	log_error("event=db_error engine=sqlite op=%s code=%d msg=\"%s\"", what, ext, sqlite3_errmsg(c));
	return err_set(e, ERR_DB, NULL, "database error (%s): %s", what, sqlite3_errmsg(c));
}

static int make_parent_dir(const char *path)
{
	char dir[1024];
	char *slash;

	str_copy(dir, path, sizeof dir);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0750) && errno != EEXIST)
		return -1;
	return 0;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Process-wide settings, before SQLite initialises: no global memory statistics (a mutex on every allocation). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

int db_sqlite_open(const char *path, struct db *db, struct err *e)
{
	static const char *pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA temp_store=MEMORY;"
		"PRAGMA case_sensitive_like=ON;"
		/* Bulk work touches index pages all over the file: a larger cache keeps them; memory-mapped reads are
		 * turned on for bulk work only (db_bulk_mode). */
		"PRAGMA cache_size=-" LIMIT_SQLITE_CACHE_KIB ";";
	sqlite3 *c = NULL;
	char *msg = NULL;
	int rc;

	pthread_once(&sqlite_once, sqlite_setup);
	if (!*path)
		return err_set(e, ERR_INVALID, "db", "empty SQLite path");
	if (strcmp(path, ":memory:") != 0 && make_parent_dir(path))
		return err_set(e, ERR_IO, "db", "cannot create the directory of %s: %s", path, strerror(errno));
	rc = sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_UNAVAILABLE, "db", "cannot open SQLite database %s: %s", path,
			c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
		sqlite3_close(c);
		return ERR_UNAVAILABLE;
	}
	sqlite3_extended_result_codes(c, 1);
	sqlite3_busy_timeout(c, LIMIT_SQLITE_BUSY_MS);
	sqlite3_db_config(c, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(c, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	rc = sqlite3_exec(c, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_UNAVAILABLE, "db", "cannot configure SQLite database %s: %s", path, msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(c);
		return ERR_UNAVAILABLE;
	}
	db->conn = c;
	return 0;
}

static int sq_prepare(struct db_stmt *st, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db->conn, st->sql, -1, st->cached ? SQLITE_PREPARE_PERSISTENT : 0, &s, NULL);

	if (rc != SQLITE_OK)
		return map_error(st->db, rc, "prepare", e);
	if (!s)
		return err_set(e, ERR_INTERNAL, NULL, "empty SQL statement");
	st->sq = s;
	for (int i = 0; i < st->nparams; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i + 1);
		st->pidx[i] = sqlite3_bind_parameter_index(s, name);
	}
	return 0;
}

static int sq_bind(struct db_stmt *st, const struct db_val *args, int n, struct err *e)
{
	sqlite3_stmt *s = st->sq;

	for (int i = 0; i < n; i++) {
		int idx = st->pidx[i], rc = SQLITE_OK;
		if (!idx)
			continue; /* a parameter the statement does not use */
		switch (args[i].t) {
		case DBV_INT: rc = sqlite3_bind_int64(s, idx, args[i].i); break;
		case DBV_TEXT: rc = sqlite3_bind_text(s, idx, args[i].s, -1, SQLITE_TRANSIENT); break;
		case DBV_NULL_INT:
		case DBV_NULL_TEXT: rc = sqlite3_bind_null(s, idx); break;
		}
		if (rc != SQLITE_OK)
			return map_error(st->db, rc, "bind", e);
	}
	return 0;
}

static int sq_step(struct db_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st->sq);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return map_error(st->db, rc, "step", e);
}

static void sq_reset(struct db_stmt *st)
{
	if (st->sq) {
		sqlite3_reset(st->sq);
		sqlite3_clear_bindings(st->sq);
	}
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(st->sq);
	st->sq = NULL;
}

static bool sq_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->sq, col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->sq, col);
}

static const char *sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->sq, col);
}

static int sq_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(st->sq);
}

static int64_t sq_changes(struct db_stmt *st)
{
	return sqlite3_changes64(st->db->conn);
}

static int sq_exec_script(struct db *db, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int r = map_error(db, rc, "exec", e);
		if (e && msg)
			snprintf(e->msg, sizeof e->msg, "%s", msg);
		sqlite3_free(msg);
		return r;
	}
	return 0;
}

static void sq_close(struct db *db)
{
	sqlite3_close_v2(db->conn);
	db->conn = NULL;
}

const struct db_ops db_sqlite_ops = {
	.prepare = sq_prepare,
	.bind = sq_bind,
	.step = sq_step,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_count = sq_col_count,
	.changes = sq_changes,
	.exec_script = sq_exec_script,
	.begin_sql = "BEGIN IMMEDIATE",
	.close = sq_close,
};
