/* db.c: the engine-neutral half of the database interface: URL dispatch, statement cache, transactions, helpers,
 * and the per-thread connection pool. */
#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "db/db_impl.h"

static void stmt_free(struct db_stmt *st);

int db_open(const char *url, struct db **out, struct err *e)
{
	struct db *db = xcalloc(1, sizeof *db);
	int rc;

	*out = NULL;
	if (str_starts(url, "sqlite:")) {
		db->engine = DB_SQLITE;
		db->ops = &db_sqlite_ops;
		rc = db_sqlite_open(url + 7, db, e);
	} else if (str_starts(url, "postgresql://") || str_starts(url, "postgres://")) {
		db->engine = DB_PGSQL;
		db->ops = &db_pgsql_ops;
		rc = db_pgsql_open(url, db, e);
	} else {
		rc = err_set(e, ERR_INVALID, "db", "unsupported database URL (use sqlite:PATH or postgresql://...)");
	}
	if (rc) {
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++)
		stmt_free(db->cache[i]);
	db->ops->close(db);
	free(db);
}

enum db_engine db_engine(const struct db *db)
{
	return db->engine;
}

void db_url_redact(const char *url, char *out, size_t size)
{
	const char *scheme = strstr(url, "://");
	char tmp[1024];
	size_t n;

	str_copy(tmp, url, sizeof tmp);
	if (scheme) {
		char *auth = tmp + (scheme - url) + 3;
		char *slash = strchr(auth, '/');
		char *at = strchr(auth, '@');
		if (at && (!slash || at < slash)) {
			char *colon = memchr(auth, ':', (size_t)(at - auth));
			if (colon) {
				memmove(colon + 4, at, strlen(at) + 1);
				memcpy(colon + 1, "***", 3);
			}
		}
	}
	for (char *p = strstr(tmp, "password="); p; p = strstr(p + 1, "password=")) {
		char *v = p + 9, *end = strpbrk(v, "& ");
		n = end ? (size_t)(end - v) : strlen(v);
		memmove(v + 3, v + n, strlen(v + n) + 1);
		memcpy(v, "***", 3);
	}
	str_copy(out, tmp, size);
}

int db_exec_script(struct db *db, const char *sql, struct err *e)
{
	return db->ops->exec_script(db, sql, e);
}

/* ---- statements ---- */

static uint64_t stmt_key(const char *sql, const char *sig)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '|') * 1099511628211ULL;
	for (const char *p = sig; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static void stmt_free(struct db_stmt *st)
{
	st->db->ops->finalize(st);
	free(st->sql);
	free(st->sig);
	free(st->pidx);
	free(st->values);
	free(st->ints);
	free(st);
}

int db_query_v(struct db *db, struct db_stmt **out, struct err *e, const char *sql, const struct db_val *args,
	       int nargs)
{
	struct db_stmt *st = NULL;
	char sigbuf[128], *sig = sigbuf;
	uint64_t key;
	int rc;

	*out = NULL;
	if (nargs > DB_MAX_PARAMS)
		return err_set(e, ERR_INTERNAL, NULL, "too many SQL parameters (%d)", nargs);
	if (nargs + 1 > (int)sizeof sigbuf)
		sig = xmalloc((size_t)nargs + 1);
	for (int i = 0; i < nargs; i++)
		sig[i] = (args[i].t == DBV_INT || args[i].t == DBV_NULL_INT) ? 'i' : 't';
	sig[nargs] = '\0';
	/* The same literal again (the common case) is found by its address, without hashing the text. */
	for (int i = 0; i < db->ncache; i++) {
		struct db_stmt *c = db->cache[i];
		if (c->sql_ptr == sql && !c->in_use && c->nparams == nargs && memcmp(c->sig, sig, (size_t)nargs) == 0 &&
		    strcmp(c->sql, sql) == 0) {
			st = c;
			break;
		}
	}
	key = st ? st->key : stmt_key(sql, sig);
	for (int i = 0; !st && i < db->ncache; i++) {
		struct db_stmt *c = db->cache[i];
		if (c->key == key && !c->in_use && strcmp(c->sql, sql) == 0 && strcmp(c->sig, sig) == 0) {
			st = c;
			c->sql_ptr = sql;
			break;
		}
	}
	if (!st) {
		st = xcalloc(1, sizeof *st);
		st->db = db;
		st->sql_ptr = sql;
		st->sql = xstrdup(sql);
		st->key = key;
		st->sig = xstrndup(sig, (size_t)nargs);
		st->nparams = nargs;
		st->pidx = xcalloc((size_t)nargs + 1, sizeof *st->pidx);
		st->values = xcalloc((size_t)nargs + 1, sizeof *st->values);
		st->ints = xcalloc((size_t)nargs + 1, sizeof *st->ints);
		st->cached = db->ncache < LIMIT_STMT_CACHE;
		rc = db->ops->prepare(st, e);
		if (rc) {
			st->sq = NULL;
			st->name[0] = '\0';
			free(st->sql);
			free(st->sig);
			free(st->pidx);
			free(st->values);
			free(st->ints);
			free(st);
			if (sig != sigbuf)
				free(sig);
			return rc;
		}
		if (st->cached)
			db->cache[db->ncache++] = st;
	}
	if (sig != sigbuf)
		free(sig);
	st->in_use = true;
	rc = db->ops->bind(st, args, nargs, e);
	if (rc) {
		db_done(st);
		return rc;
	}
	*out = st;
	return 0;
}

int db_step(struct db_stmt *st, struct err *e)
{
	int rc = st->db->ops->step(st, e);

	if (rc != DB_ROW && rc != DB_DONE && st->db->tx_depth > 0)
		st->db->tx_failed = true;
	return rc;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	st->db->ops->reset(st);
	st->in_use = false;
	if (!st->cached)
		stmt_free(st);
}

bool db_col_null(struct db_stmt *st, int col)
{
	return st->db->ops->col_null(st, col);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

int db_col_count(struct db_stmt *st)
{
	return st->db->ops->col_count(st);
}

int db_exec_v(struct db *db, int64_t *changes, struct err *e, const char *sql, const struct db_val *args, int nargs)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_query_v(db, &st, e, sql, args, nargs);
	if (rc)
		return rc;
	do
		rc = db_step(st, e);
	while (rc == DB_ROW);
	if (rc == DB_DONE) {
		rc = 0;
		if (changes)
			*changes = db->ops->changes(st);
	}
	db_done(st);
	return rc;
}

int db_int_v(struct db *db, int64_t *out, struct err *e, const char *sql, const struct db_val *args, int nargs)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_query_v(db, &st, e, sql, args, nargs);
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		*out = db_col_int(st, 0);
		rc = 0;
		/* drain so the statement completes (PostgreSQL has it already; SQLite finishes RETURNING) */
		while ((rc = db_step(st, e)) == DB_ROW)
			;
		if (rc == DB_DONE)
			rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, NULL, "not found");
	}
	db_done(st);
	return rc;
}

bool db_last_unique_violation(const struct db *db)
{
	return db->last_unique;
}

/* ---- bulk loading ---- */

/* SQLite: rows are gathered and inserted LIMIT_COPY_BATCH_VALUES values at a time by one multi-row INSERT (the
 * statement's own overhead, several microseconds, spread over the batch); the rest at the end one row at a time. */

struct db_copy {
	struct db *db;
	int ncols;
	char *insert_sql;     /* SQLite: the one-row INSERT */
	char *batch_sql;      /* SQLite: the INSERT of batch rows */
	int batch, nrows;     /* SQLite: rows per batch, rows waiting */
	struct db_val *vals;  /* SQLite: the waiting rows' values; text as offsets into text */
	struct buf text;      /* SQLite: the waiting rows' text, copied (the caller's is borrowed for one call) */
	struct buf data;      /* PostgreSQL: COPY text being gathered */
	bool failed;
};

#define COPY_FLUSH (256 * 1024)

int db_copy_begin(struct db *db, const char *table, const char *columns, int ncols, struct db_copy **out,
		  struct err *e)
{
	struct db_copy *c = xcalloc(1, sizeof *c);
	struct buf sql;
	int rc;

	*out = NULL;
	c->db = db;
	c->ncols = ncols;
	buf_init(&sql, 4096);
	if (db->ops->copy_begin) {
		buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
		rc = db->ops->copy_begin(db, sql.data, e);
		buf_init(&c->data, COPY_FLUSH * 2 + LIMIT_CSV_RECORD_BYTES * 2);
	} else {
		struct buf b;
		buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
		for (int i = 1; i <= ncols; i++)
			buf_printf(&sql, "%s$%d", i > 1 ? ", " : "", i);
		buf_puts(&sql, ")");
		rc = 0;
		c->insert_sql = buf_steal(&sql);
		c->batch = ncols > 0 && ncols <= LIMIT_COPY_BATCH_VALUES ? LIMIT_COPY_BATCH_VALUES / ncols : 1;
		if (c->batch > 1) {
			buf_init(&b, 1024 * 1024);
			buf_printf(&b, "INSERT INTO %s (%s) VALUES ", table, columns);
			for (int r = 0; r < c->batch; r++) {
				buf_puts(&b, r ? ", (" : "(");
				for (int i = 1; i <= ncols; i++)
					buf_printf(&b, "%s$%d", i > 1 ? ", " : "", r * ncols + i);
				buf_putc(&b, ')');
			}
			c->batch_sql = buf_steal(&b);
		}
		c->vals = xcalloc((size_t)c->batch * (size_t)ncols + 1, sizeof *c->vals);
		buf_init(&c->text, (size_t)-1 / 2);
	}
	buf_free(&sql);
	if (rc) {
		buf_free(&c->data);
		free(c->insert_sql);
		free(c);
		if (db->tx_depth > 0)
			db->tx_failed = true;
		return rc;
	}
	*out = c;
	return 0;
}

/* COPY text format: tab-separated, \N for NULL, backslash escapes for \, tab, newline and carriage return. */
static void copy_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		default: buf_putc(b, *s);
		}
	}
}

/* SQLite: insert the waiting rows (a whole batch in one statement, fewer one by one). */
static int copy_flush(struct db_copy *c, struct err *e)
{
	int rc = 0;

	for (int i = 0; i < c->nrows * c->ncols; i++)
		if (c->vals[i].t == DBV_TEXT)
			c->vals[i].s = c->text.data + c->vals[i].i;
	if (c->nrows == c->batch && c->batch > 1)
		rc = db_exec_v(c->db, NULL, e, c->batch_sql, c->vals, c->nrows * c->ncols);
	else
		for (int r = 0; !rc && r < c->nrows; r++)
			rc = db_exec_v(c->db, NULL, e, c->insert_sql, c->vals + r * c->ncols, c->ncols);
	c->nrows = 0;
	buf_reset(&c->text);
	if (rc)
		c->failed = true;
	return rc;
}

int db_copy_row(struct db_copy *c, const struct db_val *vals, struct err *e)
{
	int rc;

	if (c->failed)
		return err_set(e, ERR_DB, NULL, "bulk load already failed");
	if (!c->db->ops->copy_begin) {
		struct db_val *row = c->vals + c->nrows * c->ncols;
		for (int i = 0; i < c->ncols; i++) {
			row[i] = vals[i];
			if (vals[i].t == DBV_TEXT) {
				row[i].i = (int64_t)c->text.len;
				row[i].s = NULL;
				buf_append(&c->text, vals[i].s, strlen(vals[i].s) + 1);
			}
		}
		if (++c->nrows == c->batch)
			return copy_flush(c, e);
		return 0;
	}
	for (int i = 0; i < c->ncols; i++) {
		char num[24];
		if (i)
			buf_putc(&c->data, '\t');
		switch (vals[i].t) {
		case DBV_INT:
			snprintf(num, sizeof num, "%lld", (long long)vals[i].i);
			buf_puts(&c->data, num);
			break;
		case DBV_TEXT: copy_escape(&c->data, vals[i].s); break;
		case DBV_NULL_INT:
		case DBV_NULL_TEXT: buf_append(&c->data, "\\N", 2); break;
		}
	}
	if (buf_putc(&c->data, '\n')) {
		c->failed = true;
		return err_set(e, ERR_TOO_LARGE, NULL, "bulk load row too large");
	}
	if (c->data.len >= COPY_FLUSH) {
		rc = c->db->ops->copy_data(c->db, c->data.data, c->data.len, e);
		buf_reset(&c->data);
		if (rc) {
			c->failed = true;
			return rc;
		}
	}
	return 0;
}

int db_copy_end(struct db_copy *c, struct err *e)
{
	int rc = 0;

	if (!c)
		return 0;
	if (c->db->ops->copy_begin) {
		if (!c->failed && c->data.len)
			rc = c->db->ops->copy_data(c->db, c->data.data, c->data.len, e);
		/* always end the COPY so the connection is usable again */
		{
			struct err e2;
			int rc2 = c->db->ops->copy_end(c->db, rc || c->failed ? &e2 : e);
			if (!rc && !c->failed)
				rc = rc2;
		}
		if (c->failed && !rc)
			rc = err_set(e, ERR_DB, NULL, "bulk load failed");
	} else {
		if (!c->failed && c->nrows)
			rc = copy_flush(c, e);
		if (c->failed && !rc)
			rc = err_set(e, ERR_DB, NULL, "bulk load failed");
	}
	if (rc && c->db->tx_depth > 0)
		c->db->tx_failed = true;
	buf_free(&c->data);
	buf_free(&c->text);
	free(c->insert_sql);
	free(c->batch_sql);
	free(c->vals);
	free(c);
	return rc;
}

/* ---- transactions ---- */

static int run_plain(struct db *db, const char *sql, struct err *e)
{
	return db_exec_v(db, NULL, e, sql, NULL, 0);
}

int db_begin(struct db *db, struct err *e)
{
	int rc;

	if (db->tx_depth > 0) {
		db->tx_depth++;
		return 0;
	}
	rc = run_plain(db, db->ops->begin_sql, e);
	if (rc)
		return rc;
	db->tx_depth = 1;
	db->tx_failed = false;
	return 0;
}

int db_commit(struct db *db, struct err *e)
{
	int rc;

	if (db->tx_depth <= 0)
		return err_set(e, ERR_INTERNAL, NULL, "commit without a transaction");
	if (--db->tx_depth > 0)
		return 0;
	if (db->tx_failed) {
		run_plain(db, "ROLLBACK", NULL);
		db->tx_failed = false;
		return err_set(e, ERR_DB, NULL, "transaction rolled back after an earlier failure");
	}
	rc = run_plain(db, "COMMIT", e);
	if (rc)
		run_plain(db, "ROLLBACK", NULL);
	return rc;
}

void db_rollback(struct db *db)
{
	if (db->tx_depth <= 0)
		return;
	if (--db->tx_depth > 0) {
		db->tx_failed = true;
		return;
	}
	run_plain(db, "ROLLBACK", NULL);
	db->tx_failed = false;
}

bool db_in_tx(const struct db *db)
{
	return db->tx_depth > 0;
}

/* ---- per-thread pool ---- */

struct pool_conn {
	struct db *db;
	struct db_pool *pool;
	struct pool_conn *next;
};

struct db_pool {
	char *url;
	pthread_key_t key;
	pthread_mutex_t lock;
	struct pool_conn *all;
};

static void pool_conn_release(void *p)
{
	struct pool_conn *pc = p;
	struct db_pool *pool = pc->pool;

	pthread_mutex_lock(&pool->lock);
	for (struct pool_conn **pp = &pool->all; *pp; pp = &(*pp)->next) {
		if (*pp == pc) {
			*pp = pc->next;
			break;
		}
	}
	pthread_mutex_unlock(&pool->lock);
	db_close(pc->db);
	free(pc);
}

int db_pool_create(const char *url, struct db_pool **out, struct err *e)
{
	struct db_pool *pool = xcalloc(1, sizeof *pool);

	pool->url = xstrdup(url);
	if (pthread_key_create(&pool->key, pool_conn_release)) {
		free(pool->url);
		free(pool);
		return err_set(e, ERR_INTERNAL, NULL, "pthread_key_create failed");
	}
	pthread_mutex_init(&pool->lock, NULL);
	*out = pool;
	return 0;
}

int db_pool_get(struct db_pool *pool, struct db **out, struct err *e)
{
	struct pool_conn *pc = pthread_getspecific(pool->key);
	int rc;

	if (pc) {
		*out = pc->db;
		return 0;
	}
	pc = xcalloc(1, sizeof *pc);
	rc = db_open(pool->url, &pc->db, e);
	if (rc) {
		free(pc);
		return rc;
	}
	pc->pool = pool;
	pthread_mutex_lock(&pool->lock);
	pc->next = pool->all;
	pool->all = pc;
	pthread_mutex_unlock(&pool->lock);
	pthread_setspecific(pool->key, pc);
	*out = pc->db;
	return 0;
}

void db_pool_destroy(struct db_pool *pool)
{
	struct pool_conn *pc, *next;

	if (!pool)
		return;
	pthread_setspecific(pool->key, NULL);
	pthread_mutex_lock(&pool->lock);
	pc = pool->all;
	pool->all = NULL;
	pthread_mutex_unlock(&pool->lock);
	for (; pc; pc = next) {
		next = pc->next;
		db_close(pc->db);
		free(pc);
	}
	pthread_key_delete(pool->key);
	pthread_mutex_destroy(&pool->lock);
	free(pool->url);
	free(pool);
}

const char *db_pool_url(const struct db_pool *pool)
{
	return pool->url;
}

void db_bulk_mode(struct db *db)
{
	struct err e;

	if (db_engine(db) == DB_SQLITE)
		run_plain(db, "PRAGMA mmap_size=" LIMIT_SQLITE_BULK_MMAP_BYTES, &e);
}
