/*
 * db.h: the one database interface, with two engines behind it (SQLite and PostgreSQL).
 *
 * SQL is written once for both engines: $1, $2 ... placeholders, the shared subset of types and syntax
 * (INSERT ... ON CONFLICT, RETURNING, CAST), and two tokens substituted per engine in migrations only ({{pk}} and
 * {{blob}}, see migrate.c). Parameters are always bound, never pasted into SQL text.
 *
 * A struct db is one connection, used by one thread at a time. Servers get a connection per worker thread from a
 * struct db_pool. Statements are prepared once per connection and cached by their SQL text.
 *
 * Usage:
 *     struct db_stmt *st = NULL;
 *     rc = db_query(db, &st, e, "SELECT id, name FROM areas WHERE parent_id = $1", DB_INT(pid));
 *     while (rc == 0 && (rc = db_step(st, e)) == DB_ROW) { db_col_int(st, 0); db_col_text(st, 1); }
 *     if (rc == DB_DONE) rc = 0;
 *     db_done(st);
 */
#ifndef LTCI_DB_H
#define LTCI_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

enum db_engine { DB_SQLITE = 1, DB_PGSQL = 2 };

/* db_step results besides error codes. */
#define DB_ROW 100
#define DB_DONE 101

enum db_vtype { DBV_NULL_TEXT = 0, DBV_NULL_INT, DBV_INT, DBV_TEXT };

/* A bound parameter value. Text is borrowed: it must stay valid until db_step has returned the first time. */
struct db_val {
	enum db_vtype t;
	int64_t i;
	const char *s;
};

#define DB_INT(x) ((struct db_val){.t = DBV_INT, .i = (int64_t)(x)})
#define DB_TEXT(x) db_text_val(x)
#define DB_NULL_INT ((struct db_val){.t = DBV_NULL_INT})
#define DB_NULL_TEXT ((struct db_val){.t = DBV_NULL_TEXT})
/* An int that is NULL when cond is false. */
#define DB_INT_OR_NULL(cond, x) ((cond) ? DB_INT(x) : DB_NULL_INT)

static inline struct db_val db_text_val(const char *s)
{
	struct db_val v = {.t = s ? DBV_TEXT : DBV_NULL_TEXT, .i = 0, .s = s};
	return v;
}

struct db;
struct db_stmt;

/* Open a connection from a URL: "sqlite:PATH" (":memory:" allowed), "postgresql://..." or "postgres://...".
 * SQLite connections get WAL, foreign keys, a busy timeout and the defensive flag. */
int db_open(const char *url, struct db **out, struct err *e);
void db_close(struct db *db);
/* This connection is about to do bulk work: on SQLite, map the file into memory for its reads (see limits.h). */
void db_bulk_mode(struct db *db);
enum db_engine db_engine(const struct db *db);
/* The URL with any password replaced by "***", for messages and logs. */
void db_url_redact(const char *url, char *out, size_t size);

/* Run a script of one or more statements without parameters (migrations, DDL). */
int db_exec_script(struct db *db, const char *sql, struct err *e);

/* Transactions. db_begin starts a write transaction (BEGIN IMMEDIATE on SQLite). Nested calls are counted: only
 * the outermost commit commits; a rollback at any depth makes the outermost commit fail and roll back. */
int db_begin(struct db *db, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);
bool db_in_tx(const struct db *db);

/* Prepare (or take from the cache) and bind. On success *out must be released with db_done. */
int db_query_v(struct db *db, struct db_stmt **out, struct err *e, const char *sql, const struct db_val *args,
	       int nargs);
#define DB_ARGS(...) ((const struct db_val[]){__VA_ARGS__}), \
	(int)(sizeof((const struct db_val[]){__VA_ARGS__}) / sizeof(struct db_val))
#define db_query(db, out, e, sql, ...) db_query_v(db, out, e, sql, DB_ARGS(__VA_ARGS__))
#define db_query0(db, out, e, sql) db_query_v(db, out, e, sql, NULL, 0)

/* Advance: DB_ROW, DB_DONE, or an error code (e filled). */
int db_step(struct db_stmt *st, struct err *e);
/* Release a statement (back to the cache). NULL is fine. */
void db_done(struct db_stmt *st);

/* Column accessors for the current row. Text is valid until the next db_step or db_done; NULL reads as 0 / NULL. */
bool db_col_null(struct db_stmt *st, int col);
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_count(struct db_stmt *st);

/* Run a statement that returns no rows; *changes (may be NULL) gets the number of rows changed. */
int db_exec_v(struct db *db, int64_t *changes, struct err *e, const char *sql, const struct db_val *args, int nargs);
#define db_exec(db, changes, e, sql, ...) db_exec_v(db, changes, e, sql, DB_ARGS(__VA_ARGS__))
#define db_exec0(db, changes, e, sql) db_exec_v(db, changes, e, sql, NULL, 0)

/* Run a query expected to return one row with one integer column (COUNT, RETURNING id, ...).
 * ERR_NOT_FOUND if there is no row. */
int db_int_v(struct db *db, int64_t *out, struct err *e, const char *sql, const struct db_val *args, int nargs);
#define db_int(db, out, e, sql, ...) db_int_v(db, out, e, sql, DB_ARGS(__VA_ARGS__))
#define db_int0(db, out, e, sql) db_int_v(db, out, e, sql, NULL, 0)

/* True if the last failure on this connection was a uniqueness violation (to answer 409 instead of 500). */
bool db_last_unique_violation(const struct db *db);

/* Bulk loading into a table: COPY FROM STDIN on PostgreSQL, multi-row INSERTs of up to 1,000 values on SQLite (the
 * rest one row at a time at the end). Use inside a transaction; columns is "a, b, c" (plain identifiers), each row
 * gives ncols values (text is copied). A row may be refused only when its batch is sent: by a later db_copy_row or
 * by db_copy_end. */
struct db_copy;
int db_copy_begin(struct db *db, const char *table, const char *columns, int ncols, struct db_copy **out,
		  struct err *e);
int db_copy_row(struct db_copy *c, const struct db_val *vals, struct err *e);
/* Finish (and free) the copy; on error the transaction is marked failed. */
int db_copy_end(struct db_copy *c, struct err *e);

/* A pool hands each thread its own connection, opened on first use and closed when the thread exits or the pool
 * is destroyed. */
struct db_pool;
int db_pool_create(const char *url, struct db_pool **out, struct err *e);
int db_pool_get(struct db_pool *pool, struct db **out, struct err *e);
void db_pool_destroy(struct db_pool *pool);
const char *db_pool_url(const struct db_pool *pool);

#endif
