/* audit.c: appending to and verifying the hash-chained audit trail, and listing it. */
#include "svc/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const char *actor_kind_name(enum actor_kind k)
{
	switch (k) {
	case ACTOR_USER: return "user";
	case ACTOR_TOKEN: return "token";
	case ACTOR_SYSTEM: return "system";
	case ACTOR_ANONYMOUS: return "anonymous";
	}
	return "anonymous";
}

/* The fields of one row, as stored. */
struct row {
	int64_t id, at;
	const char *actor_kind;
	bool has_user;
	int64_t user_id;
	const char *username, *role, *scope_path, *action, *target_type, *target_id, *source_ip, *outcome, *detail;
	const char *prev_hash;
};

/* SHA-256 over a canonical JSON array of every field, previous hash included. */
static void row_hash(const struct row *r, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	json_t *a = json_array();
	char *text;

	json_array_append_new(a, json_integer(r->id));
	json_array_append_new(a, json_integer(r->at));
	json_array_append_new(a, json_string(r->actor_kind));
	json_array_append_new(a, r->has_user ? json_integer(r->user_id) : json_null());
	json_array_append_new(a, jx_str_or_null(r->username));
	json_array_append_new(a, jx_str_or_null(r->role));
	json_array_append_new(a, jx_str_or_null(r->scope_path));
	json_array_append_new(a, json_string(r->action));
	json_array_append_new(a, jx_str_or_null(r->target_type));
	json_array_append_new(a, jx_str_or_null(r->target_id));
	json_array_append_new(a, jx_str_or_null(r->source_ip));
	json_array_append_new(a, json_string(r->outcome));
	json_array_append_new(a, jx_str_or_null(r->detail));
	json_array_append_new(a, json_string(r->prev_hash));
	text = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	str_hex(h, sizeof h, out);
	free(text);
	json_decref(a);
}

int audit_append(struct db *db, const struct actor *a, const char *action, const char *target_type,
		 const char *target_id, const char *outcome, const json_t *detail, struct err *e)
{
	struct db_stmt *st = NULL;
	struct row r = {0};
	char scope[160], prev[65], hash[65];
	char *detail_text = NULL;
	bool own_tx = !db_in_tx(db);
	int rc;

	if (own_tx && (rc = db_begin(db, e)))
		return rc;
	rc = db_query0(db, &st, e, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash");
	if (rc)
		goto out;
	rc = db_step(st, e);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			rc = err_set(e, ERR_INTERNAL, NULL, "audit_head row is missing");
		goto out;
	}
	r.id = db_col_int(st, 0);
	str_copy(prev, db_col_text(st, 1) ? db_col_text(st, 1) : "", sizeof prev);
	db_done(st);
	st = NULL;

	actor_scope_path(a, scope, sizeof scope);
	if (detail)
		detail_text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	r.at = date_now_unix();
	r.actor_kind = actor_kind_name(a->kind);
	r.has_user = a->kind == ACTOR_USER;
	r.user_id = a->id;
	r.username = a->username[0] ? a->username : NULL;
	r.role = a->kind == ACTOR_ANONYMOUS ? NULL : role_name(a->role);
	r.scope_path = a->kind == ACTOR_ANONYMOUS ? NULL : scope;
	r.action = action;
	r.target_type = target_type;
	r.target_id = target_id;
	r.source_ip = a->ip[0] ? a->ip : NULL;
	r.outcome = outcome;
	r.detail = detail_text;
	r.prev_hash = prev;
	row_hash(&r, hash);

	rc = db_exec(db, NULL, e,
		     "INSERT INTO audit_log (id, at, actor_kind, user_id, username, role, scope_path, action, target_type,"
		     " target_id, source_ip, outcome, detail, prev_hash, hash)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
		     DB_INT(r.id), DB_INT(r.at), DB_TEXT(r.actor_kind), DB_INT_OR_NULL(r.has_user, r.user_id),
		     DB_TEXT(r.username), DB_TEXT(r.role), DB_TEXT(r.scope_path), DB_TEXT(r.action),
		     DB_TEXT(r.target_type), DB_TEXT(r.target_id), DB_TEXT(r.source_ip), DB_TEXT(r.outcome),
		     DB_TEXT(r.detail), DB_TEXT(r.prev_hash), DB_TEXT(hash));
	if (rc)
		goto out;
	rc = db_exec(db, NULL, e, "UPDATE audit_head SET last_hash = $1 WHERE id = 1", DB_TEXT(hash));
	if (rc)
		goto out;
	if (own_tx)
		rc = db_commit(db, e);
	own_tx = false;
out:
	db_done(st);
	if (rc && own_tx)
		db_rollback(db);
	free(detail_text);
	return rc;
}

int audit_commit(struct db *db, struct actor *a, struct err *e)
{
	int rc = db_commit(db, e);

	if (!rc)
		a->audited = true;
	return rc;
}

#define VERIFY_BATCH 5000

int audit_verify(struct db *db, struct audit_verify_result *res, struct err *e)
{
	struct db_stmt *st = NULL;
	char prev[65] = ZERO_HASH, computed[65];
	int64_t last_id = 0, head_seq = 0;
	int rc = 0;

	memset(res, 0, sizeof *res);
	for (;;) {
		int64_t batch = 0;
		rc = db_query(db, &st, e,
			      "SELECT id, at, actor_kind, user_id, username, role, scope_path, action, target_type,"
			      " target_id, source_ip, outcome, detail, prev_hash, hash"
			      " FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
			      DB_INT(last_id), DB_INT(VERIFY_BATCH));
		if (rc)
			return rc;
		while ((rc = db_step(st, e)) == DB_ROW) {
			struct row r;
			const char *stored;
			batch++;
			r.id = db_col_int(st, 0);
			r.at = db_col_int(st, 1);
			r.actor_kind = db_col_text(st, 2);
			r.has_user = !db_col_null(st, 3);
			r.user_id = db_col_int(st, 3);
			r.username = db_col_text(st, 4);
			r.role = db_col_text(st, 5);
			r.scope_path = db_col_text(st, 6);
			r.action = db_col_text(st, 7);
			r.target_type = db_col_text(st, 8);
			r.target_id = db_col_text(st, 9);
			r.source_ip = db_col_text(st, 10);
			r.outcome = db_col_text(st, 11);
			r.detail = db_col_text(st, 12);
			r.prev_hash = db_col_text(st, 13);
			stored = db_col_text(st, 14);
			if (!r.actor_kind || !r.action || !r.outcome || !r.prev_hash || !stored) {
				res->first_bad = r.id;
				snprintf(res->reason, sizeof res->reason, "entry %lld has missing fields", (long long)r.id);
				goto found;
			}
			if (r.id != last_id + 1) {
				res->first_bad = last_id + 1;
				snprintf(res->reason, sizeof res->reason,
					 "entry %lld is missing (next entry present is %lld): deleted", (long long)(last_id + 1),
					 (long long)r.id);
				goto found;
			}
			if (strcmp(r.prev_hash, prev) != 0) {
				res->first_bad = r.id;
				snprintf(res->reason, sizeof res->reason,
					 "entry %lld does not follow the previous entry's hash: inserted, or an earlier entry"
					 " was removed", (long long)r.id);
				goto found;
			}
			row_hash(&r, computed);
			if (strcmp(computed, stored) != 0) {
				res->first_bad = r.id;
				snprintf(res->reason, sizeof res->reason,
					 "entry %lld does not match its hash: its content was changed", (long long)r.id);
				goto found;
			}
			str_copy(prev, stored, sizeof prev);
			last_id = r.id;
			res->checked++;
		}
		db_done(st);
		st = NULL;
		if (rc != DB_DONE)
			return rc;
		if (batch < VERIFY_BATCH)
			break;
	}
	{
		struct db_stmt *h = NULL;
		rc = db_query0(db, &h, e, "SELECT seq, last_hash FROM audit_head WHERE id = 1");
		if (rc)
			return rc;
		rc = db_step(h, e);
		if (rc != DB_ROW) {
			db_done(h);
			if (rc == DB_DONE) {
				res->first_bad = last_id + 1;
				snprintf(res->reason, sizeof res->reason, "the chain head record is missing");
				return 0;
			}
			return rc;
		}
		head_seq = db_col_int(h, 0);
		if (head_seq > last_id) {
			res->first_bad = last_id + 1;
			snprintf(res->reason, sizeof res->reason, "entries %lld to %lld are missing: deleted from the end",
				 (long long)(last_id + 1), (long long)head_seq);
		} else if (head_seq < last_id) {
			res->first_bad = head_seq + 1;
			snprintf(res->reason, sizeof res->reason,
				 "entries %lld to %lld lie beyond the chain head: inserted outside the application",
				 (long long)(head_seq + 1), (long long)last_id);
		} else if (!db_col_text(h, 1) || strcmp(db_col_text(h, 1), prev) != 0) {
			res->first_bad = last_id;
			snprintf(res->reason, sizeof res->reason,
				 "entry %lld does not match the chain head: replaced outside the application",
				 (long long)last_id);
		}
		db_done(h);
	}
	return 0;
found:
	db_done(st);
	return 0;
}

int audit_list(struct db *db, const struct actor *a, const struct audit_filter *f, json_t **out, struct err *e)
{
	static const char *where =
		" FROM audit_log WHERE ($1 = '' OR scope_path LIKE $1)"
		" AND ($2 = 0 OR user_id = $2)"
		" AND ($3 = '' OR username = $3)"
		" AND (($4 = '' AND $5 = '') OR action = $4 OR ($5 <> '' AND action LIKE $5))"
		" AND ($6 = '' OR target_type = $6)"
		" AND ($7 = '' OR target_id = $7)"
		" AND ($8 = '' OR outcome = $8)"
		" AND ($9 = 0 OR at >= $9)"
		" AND ($10 = 0 OR at <= $10)";
	struct db_stmt *st = NULL;
	char scope[170], prefix[80] = "";
	struct buf sql;
	json_t *items = json_array();
	int64_t total = 0;
	int rc;

	/* Region-wide (and system) actors see every row, anonymous ones included; scoped ones their subtree. */
	if (a->kind == ACTOR_SYSTEM || (!a->provider_id && strcmp(a->area_level, "region") == 0)) {
		scope[0] = '\0';
	} else {
		actor_scope_path(a, scope, sizeof scope - 2);
		strcat(scope, "%");
	}
	if (f->action && f->action[0] && f->action[strlen(f->action) - 1] == '*') {
		snprintf(prefix, sizeof prefix, "%.*s%%", (int)strlen(f->action) - 1, f->action);
	}
#define FILTER_ARGS                                                                                                  \
	DB_TEXT(scope), DB_INT(f->user_id), DB_TEXT(f->username ? f->username : ""),                                   \
		DB_TEXT(f->action && !prefix[0] ? f->action : ""), DB_TEXT(prefix), DB_TEXT(f->target_type ? f->target_type : ""), \
		DB_TEXT(f->target_id ? f->target_id : ""), DB_TEXT(f->outcome ? f->outcome : ""), DB_INT(f->from),       \
		DB_INT(f->to)
	buf_init(&sql, 4096);
	buf_printf(&sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql.data, FILTER_ARGS);
	if (rc)
		goto out;
	buf_reset(&sql);
	buf_printf(&sql,
		   "SELECT id, at, actor_kind, user_id, username, role, action, target_type, target_id, source_ip, outcome,"
		   " detail%s ORDER BY id DESC LIMIT $11 OFFSET $12",
		   where);
	rc = db_query(db, &st, e, sql.data, FILTER_ARGS, DB_INT(f->page_size),
		      DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef FILTER_ARGS
	if (rc)
		goto out;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *detail = NULL;
		const char *dt = db_col_text(st, 11);
		if (dt)
			detail = json_loads(dt, 0, NULL);
		json_array_append_new(
			items,
			json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:o}", "id",
				  (json_int_t)db_col_int(st, 0), "at", (json_int_t)db_col_int(st, 1), "actor_kind",
				  db_col_text(st, 2), "user_id",
				  db_col_null(st, 3) ? json_null() : json_integer(db_col_int(st, 3)), "username",
				  jx_str_or_null(db_col_text(st, 4)), "role", jx_str_or_null(db_col_text(st, 5)), "action",
				  db_col_text(st, 6), "target_type", jx_str_or_null(db_col_text(st, 7)), "target_id",
				  jx_str_or_null(db_col_text(st, 8)), "source_ip", jx_str_or_null(db_col_text(st, 9)),
				  "outcome", db_col_text(st, 10), "detail", detail ? detail : json_null()));
	}
	if (rc == DB_DONE)
		rc = 0;
out:
	db_done(st);
	buf_free(&sql);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f->page,
			 "page_size", f->page_size);
	return 0;
}
