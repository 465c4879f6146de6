/* db_pgsql.c: the PostgreSQL engine over libpq: named prepared statements per connection, text-format results,
 * and one reconnect-and-retry when the connection was lost outside a transaction. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "db/db_impl.h"

#define OID_INT8 20
#define OID_TEXT 25

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("event=db_notice engine=pgsql msg=\"%.200s\"", message);
}

int db_pgsql_open(const char *url, struct db *db, struct err *e)
{
	const char *keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding", NULL};
	char timeout[16];
	const char *vals[5];
	PGconn *c;

	snprintf(timeout, sizeof timeout, "%d", LIMIT_PG_CONNECT_TIMEOUT_S);
	vals[0] = url;
	vals[1] = timeout;
	vals[2] = "ltci";
	vals[3] = "UTF8";
	vals[4] = NULL;
	c = PQconnectdbParams(keys, vals, 1);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		char safe[512], msg[200];
		db_url_redact(url, safe, sizeof safe);
		str_sanitize(c ? PQerrorMessage(c) : "out of memory", msg, sizeof msg);
		err_set(e, ERR_UNAVAILABLE, "db", "cannot connect to %s: %s", safe, msg);
		PQfinish(c);
		return ERR_UNAVAILABLE;
	}
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	db->conn = c;
	db->generation = 1;
	return 0;
}

static int map_result(struct db *db, PGresult *r, const char *what, struct err *e)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn);
	char safe[200];

	db->last_unique = state && strcmp(state, "23505") == 0;
	if (db->last_unique)
		return err_set(e, ERR_CONFLICT, NULL, "记录已存在（唯一性冲突）");
	if (state && strcmp(state, "23503") == 0)
		return err_set(e, ERR_CONFLICT, NULL, "记录被引用或引用的记录不存在");
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
		return err_set(e, ERR_UNAVAILABLE, NULL, "数据库繁忙，请稍后重试");
	str_sanitize(msg ? msg : "", safe, sizeof safe);
	if (PQstatus(db->conn) == CONNECTION_BAD) {
		log_error("event=db_error engine=pgsql op=%s lost_connection=1 msg=\"%s\"", what, safe);
		return err_set(e, ERR_UNAVAILABLE, NULL, "database connection lost");
	}
	log_error("event=db_error engine=pgsql op=%s state=%s msg=\"%s\"", what, state ? state : "-", safe);
	return err_set(e, ERR_DB, NULL, "database error (%s): %s", what, safe);
}

/* Re-establish a lost connection; every prepared statement must be prepared again afterwards. */
static bool reconnect(struct db *db)
{
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return false;
	db->generation++;
	log_warn("event=db_reconnect engine=pgsql generation=%u", db->generation);
	return true;
}

static int pg_do_prepare(struct db_stmt *st, struct err *e)
{
	Oid *types = xcalloc((size_t)st->nparams + 1, sizeof *types);
	PGresult *r;
	int rc = 0;

	for (int i = 0; i < st->nparams; i++)
		types[i] = st->sig[i] == 'i' ? OID_INT8 : OID_TEXT;
	if (st->cached || !st->name[0])
		snprintf(st->name, sizeof st->name, "s%u", ++st->db->next_name);
	r = PQprepare(st->db->conn, st->name, st->sql, st->nparams, types);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_result(st->db, r, "prepare", e);
	else
		st->generation = st->db->generation;
	PQclear(r);
	free(types);
	return rc;
}

static int pg_prepare(struct db_stmt *st, struct err *e)
{
	int rc = pg_do_prepare(st, e);

	if (rc == ERR_UNAVAILABLE && st->db->tx_depth == 0 && PQstatus(st->db->conn) == CONNECTION_BAD &&
	    reconnect(st->db))
		rc = pg_do_prepare(st, e);
	return rc;
}

static int pg_bind(struct db_stmt *st, const struct db_val *args, int n, struct err *e)
{
	(void)e;
	for (int i = 0; i < n; i++) {
		switch (args[i].t) {
		case DBV_INT:
			snprintf(st->ints[i], sizeof st->ints[i], "%lld", (long long)args[i].i);
			st->values[i] = st->ints[i];
			break;
		case DBV_TEXT: st->values[i] = args[i].s; break;
		case DBV_NULL_INT:
		case DBV_NULL_TEXT: st->values[i] = NULL; break;
		}
	}
	st->started = false;
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	return 0;
}

static int pg_execute(struct db_stmt *st, struct err *e)
{
	PGresult *r;
	int rc;

	if (st->generation != st->db->generation) {
		rc = pg_do_prepare(st, e);
		if (rc)
			return rc;
	}
	r = PQexecPrepared(st->db->conn, st->name, st->nparams, st->values, NULL, NULL, 0);
	if (r && (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)) {
		st->res = r;
		st->nrows = PQntuples(r);
		return 0;
	}
	rc = map_result(st->db, r, "execute", e);
	PQclear(r);
	return rc;
}

static int pg_step(struct db_stmt *st, struct err *e)
{
	int rc;

	if (!st->started) {
		st->started = true;
		rc = pg_execute(st, e);
		if (rc == ERR_UNAVAILABLE && st->db->tx_depth == 0 && PQstatus(st->db->conn) == CONNECTION_BAD &&
		    reconnect(st->db))
			rc = pg_execute(st, e);
		if (rc)
			return rc;
		st->row = -1;
	}
	if (++st->row < st->nrows)
		return DB_ROW;
	return DB_DONE;
}

static void pg_reset(struct db_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->started = false;
}

static void pg_finalize(struct db_stmt *st)
{
	pg_reset(st);
	/* Cached statements live as long as the connection; transient ones are deallocated. */
	if (!st->cached && st->name[0] && st->generation == st->db->generation &&
	    PQstatus(st->db->conn) == CONNECTION_OK && PQtransactionStatus(st->db->conn) == PQTRANS_IDLE) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(st->db->conn, sql));
	}
}

static bool pg_col_null(struct db_stmt *st, int col)
{
	return PQgetisnull(st->res, st->row, col);
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	const char *v;

	if (PQgetisnull(st->res, st->row, col))
		return 0;
	v = PQgetvalue(st->res, st->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	if (PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int pg_col_count(struct db_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static int64_t pg_changes(struct db_stmt *st)
{
	const char *n = st->res ? PQcmdTuples(st->res) : "";
	return *n ? strtoll(n, NULL, 10) : 0;
}

static int pg_exec_script(struct db *db, const char *sql, struct err *e)
{
	PGresult *r = PQexec(db->conn, sql);
	int rc = 0;

	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
		rc = map_result(db, r, "exec", e);
	PQclear(r);
	return rc;
}

static int pg_copy_begin(struct db *db, const char *sql, struct err *e)
{
	PGresult *r = PQexec(db->conn, sql);
	int rc = 0;

	if (!r || PQresultStatus(r) != PGRES_COPY_IN)
		rc = map_result(db, r, "copy", e);
	PQclear(r);
	return rc;
}

static int pg_copy_data(struct db *db, const char *data, size_t len, struct err *e)
{
	if (PQputCopyData(db->conn, data, (int)len) != 1)
		return map_result(db, NULL, "copy", e);
	return 0;
}

static int pg_copy_end(struct db *db, struct err *e)
{
	PGresult *r;
	int rc = 0;

	if (PQputCopyEnd(db->conn, NULL) != 1)
		return map_result(db, NULL, "copy", e);
	while ((r = PQgetResult(db->conn)) != NULL) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = map_result(db, r, "copy", e);
		PQclear(r);
	}
	return rc;
}

static void pg_close(struct db *db)
{
	PQfinish(db->conn);
	db->conn = NULL;
}

const struct db_ops db_pgsql_ops = {
	.prepare = pg_prepare,
	.bind = pg_bind,
	.step = pg_step,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_count = pg_col_count,
	.changes = pg_changes,
	.exec_script = pg_exec_script,
	.copy_begin = pg_copy_begin,
	.copy_data = pg_copy_data,
	.copy_end = pg_copy_end,
	.begin_sql = "BEGIN",
	.close = pg_close,
};
