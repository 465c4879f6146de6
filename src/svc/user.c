/* user.c: staff accounts: create, list, read, update (role, scope, status), password reset and unlock by an
 * administrator. An administrator sees and manages only accounts inside its own scope. */
#include "svc/user.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/rows.h"
#include "svc/auth.h"
#include "svc/scope.h"

#define USER_COLS                                                                                                  \
	"u.id, u.username, u.display_name, u.role, u.area_id, u.provider_id, u.status, u.must_change_password,"      \
	" u.locked_until, u.last_login_at, u.created_at, u.updated_at, u.failed_logins, a.level, a.code, a.name,"    \
	" p.code, p.name, u.previous_login_at"
#define USER_FROM                                                                                                  \
	" FROM users u LEFT JOIN areas a ON a.id = u.area_id LEFT JOIN providers p ON p.id = u.provider_id"          \
	" LEFT JOIN areas pa ON pa.id = p.area_id"
/* $1: '' for region-wide actors, else the actor's area path followed by '%'. */
#define USER_VISIBLE " ($1 = '' OR a.path LIKE $1 OR pa.path LIKE $1)"

static void visible_pattern(const struct actor *a, char *out, size_t size)
{
	if (a->kind == ACTOR_SYSTEM || (!a->provider_id && strcmp(a->area_level, "region") == 0))
		out[0] = '\0';
	else if (a->provider_id)
		str_copy(out, "/nothing/", size); /* provider-scoped accounts never manage users */
	else
		snprintf(out, size, "%s%%", a->area_path);
}

/* The scope from the joined area (columns 13-15) or provider (16-17). */
static json_t *scope_cols(struct db_stmt *st)
{
	if (!db_col_null(st, 5))
		return json_pack("{s:s, s:I, s:s, s:s}", "kind", "provider", "id", (json_int_t)db_col_int(st, 5), "code",
				 db_col_text(st, 16), "name", db_col_text(st, 17));
	return json_pack("{s:s, s:I, s:s, s:s}", "kind", db_col_text(st, 13), "id", (json_int_t)db_col_int(st, 4),
			 "code", db_col_text(st, 14), "name", db_col_text(st, 15));
}

static json_t *user_json(struct db *db, struct db_stmt *st)
{
	int64_t now = date_now_unix();

	(void)db;
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b, s:o, s:o, s:o, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "username", db_col_text(st, 1), "display_name",
			 db_col_text(st, 2), "role", db_col_text(st, 3), "role_label",
			 role_label((enum role)role_parse(db_col_text(st, 3))), "scope",
			 scope_cols(st), "status", db_col_text(st, 6),
			 "must_change_password", db_col_int(st, 7) != 0, "locked", db_col_int(st, 8) > now,
			 "locked_until", db_col_int(st, 8) > now ? json_integer(db_col_int(st, 8)) : json_null(),
			 "last_login_at", db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
			 "previous_login_at", db_col_null(st, 18) ? json_null() : json_integer(db_col_int(st, 18)),
			 "created_at", (json_int_t)db_col_int(st, 10), "updated_at", (json_int_t)db_col_int(st, 11));
}

static int valid_username(const char *u, struct err *e)
{
	size_t n = strlen(u);

	if (n < LIMIT_USERNAME_MIN || n > LIMIT_USERNAME_MAX)
		return err_set(e, ERR_INVALID, "username", "用户名长度应为%d到%d个字符", LIMIT_USERNAME_MIN,
			       LIMIT_USERNAME_MAX);
	if (!(u[0] >= 'a' && u[0] <= 'z'))
		return err_set(e, ERR_INVALID, "username", "用户名须以小写字母开头");
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return err_set(e, ERR_INVALID, "username", "用户名只能包含小写字母、数字、下划线、点和连字符");
	return 0;
}

static json_t *linked_person_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "relation",
			 db_col_text(st, 2));
}

int user_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	char vis[180];
	int rc;

	*out = NULL;
	visible_pattern(a, vis, sizeof vis);
	rc = db_query(db, &st, e, "SELECT " USER_COLS USER_FROM " WHERE" USER_VISIBLE " AND u.id = $2", DB_TEXT(vis),
		      DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		*out = user_json(db, st);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "用户不存在");
	}
	db_done(st);
	/* a family account: the persons it acts for */
	if (!rc && strcmp(json_string_value(json_object_get(*out, "role")), "applicant") == 0)
		rc = rows_by_id(db, *out, "persons",
				"SELECT p.id, p.name, up.relation FROM user_persons up JOIN persons p ON p.id = up.person_id"
				" WHERE up.user_id = $1 ORDER BY p.id",
				id, linked_person_row, e);
	if (rc && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int user_set_persons(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"persons", JX_ARRAY, JX_REQUIRED, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	static const struct jx_field link_fields[] = {
		{"person_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"relation", JX_STRING, JX_REQUIRED, 1, 30},
		{NULL, 0, 0, 0, 0},
	};
	json_t *user = NULL, *l;
	size_t i;
	char ids[24];
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = user_get(db, a, id, &user, e);
	if (!rc && strcmp(json_string_value(json_object_get(user, "role")), "applicant") != 0)
		rc = err_set(e, ERR_INVALID, "persons", "只有参保人及家属账号可以关联参保人");
	json_decref(user);
	if (!rc && json_array_size(json_object_get(in, "persons")) > 10)
		rc = err_set(e, ERR_INVALID, "persons", "一个账号最多关联10名参保人");
	json_array_foreach(json_object_get(in, "persons"), i, l) {
		char path[32];
		int64_t n = 0;
		if (rc)
			break;
		snprintf(path, sizeof path, "persons[%zu]", i);
		rc = jx_check(l, link_fields, path, e);
		if (!rc)
			rc = db_int(db, &n, e, "SELECT COUNT(*) FROM persons WHERE id = $1", DB_INT(jx_int(l, "person_id", 0)));
		if (!rc && !n) {
			snprintf(path, sizeof path, "persons[%zu].person_id", i);
			rc = err_set(e, ERR_INVALID, path, "参保人不存在");
		}
	}
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e, "DELETE FROM user_persons WHERE user_id = $1", DB_INT(id));
	json_array_foreach(json_object_get(in, "persons"), i, l) {
		if (rc)
			break;
		rc = db_exec(db, NULL, e,
			     "INSERT INTO user_persons (user_id, person_id, relation) VALUES ($1, $2, $3)"
			     " ON CONFLICT (user_id, person_id) DO UPDATE SET relation = excluded.relation",
			     DB_INT(id), DB_INT(jx_int(l, "person_id", 0)), DB_TEXT(jx_str(l, "relation")));
	}
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "user.persons", "user", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int user_list(struct db *db, const struct actor *a, const struct user_filter *f, json_t **out, struct err *e)
{
	static const char *where = USER_FROM " WHERE" USER_VISIBLE
				   " AND ($2 = '' OR u.username LIKE $2 ESCAPE '\\' OR u.display_name LIKE $2 ESCAPE '\\')"
				   " AND ($3 = '' OR u.role = $3) AND ($4 = '' OR u.status = $4)";
	struct db_stmt *st = NULL;
	char vis[180], like[LIMIT_SEARCH_MAX * 2 + 4] = "", sql[1024];
	json_t *items = json_array();
	int64_t total = 0;
	int rc;

	visible_pattern(a, vis, sizeof vis);
	if (f->q && *f->q)
		str_like_contains(f->q, like, sizeof like);
#define ARGS DB_TEXT(vis), DB_TEXT(like), DB_TEXT(f->role ? f->role : ""), DB_TEXT(f->status ? f->status : "")
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql, ARGS);
	if (rc)
		goto out;
	snprintf(sql, sizeof sql, "SELECT " USER_COLS "%s ORDER BY u.id LIMIT $5 OFFSET $6", where);
	rc = db_query(db, &st, e, sql, ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, user_json(db, st));
	}
	if (rc == DB_DONE)
		rc = 0;
out:
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f->page,
			 "page_size", f->page_size);
	return 0;
}

int user_create(struct db *db, struct actor *a, const json_t *in, int64_t *id_out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"username", JX_STRING, JX_REQUIRED, 0, LIMIT_USERNAME_MAX},
		{"display_name", JX_STRING, JX_REQUIRED, 1, LIMIT_NAME_MAX},
		{"role", JX_STRING, JX_REQUIRED, 1, 32},
		{"scope", JX_OBJECT, JX_REQUIRED, 0, 0},
		{"password", JX_STRING, JX_REQUIRED, 0, LIMIT_PASSWORD_MAX},
		{"must_change_password", JX_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	char hash[crypto_pwhash_STRBYTES], ids[24];
	int64_t area_id, provider_id, id = 0, taken = 0, now = date_now_unix();
	const char *username, *password;
	int role, rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	username = jx_str(in, "username");
	password = jx_str(in, "password");
	rc = valid_username(username, e);
	if (rc)
		return rc;
	role = role_parse(jx_str(in, "role"));
	if (role < 0)
		return err_set(e, ERR_INVALID, "role", "未知角色：%s", jx_str(in, "role"));
	rc = scope_resolve(db, a, (enum role)role, json_object_get(in, "scope"), "scope", &area_id, &provider_id, e);
	if (rc)
		return rc;
	rc = auth_password_policy(password, username, "password", e);
	if (rc)
		return rc;
	rc = db_int(db, &taken, e, "SELECT COUNT(*) FROM users WHERE username = $1", DB_TEXT(username));
	if (rc)
		return rc;
	if (taken)
		return err_set(e, ERR_CONFLICT, "username", "用户名已存在");
	rc = auth_hash_password(password, hash, sizeof hash, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &id, e,
		    "INSERT INTO users (username, display_name, role, area_id, provider_id, password_hash,"
		    " must_change_password, password_changed_at, created_at, updated_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id",
		    DB_TEXT(username), DB_TEXT(jx_str(in, "display_name")), DB_TEXT(role_name((enum role)role)),
		    DB_INT_OR_NULL(area_id, area_id), DB_INT_OR_NULL(provider_id, provider_id), DB_TEXT(hash),
		    DB_INT(jx_bool(in, "must_change_password", true) ? 1 : 0), DB_INT(now));
	if (rc == ERR_CONFLICT)
		err_set(e, ERR_CONFLICT, "username", "用户名已存在");
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:O}", "username", username, "role", role_name((enum role)role),
				      "scope", json_object_get(in, "scope"));
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "user.create", "user", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

/* Current role and scope of a visible user. */
static int load_user(struct db *db, const struct actor *a, int64_t id, int *role, int64_t *area_id,
		     int64_t *provider_id, char *username, size_t usize, struct err *e)
{
	struct db_stmt *st = NULL;
	char vis[180];
	int rc;

	visible_pattern(a, vis, sizeof vis);
	rc = db_query(db, &st, e,
		      "SELECT u.role, u.area_id, u.provider_id, u.username" USER_FROM " WHERE" USER_VISIBLE
		      " AND u.id = $2",
		      DB_TEXT(vis), DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		*role = role_parse(db_col_text(st, 0));
		*area_id = db_col_int(st, 1);
		*provider_id = db_col_int(st, 2);
		str_copy(username, db_col_text(st, 3), usize);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "用户不存在");
	}
	db_done(st);
	return rc;
}

int user_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"display_name", JX_STRING, 0, 1, LIMIT_NAME_MAX},
		{"role", JX_STRING, 0, 1, 32},
		{"scope", JX_OBJECT, 0, 0, 0},
		{"status", JX_STRING, 0, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	int64_t area_id, provider_id, now = date_now_unix();
	char username[40], ids[24];
	const char *status = jx_str(in, "status");
	int role, rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	if (json_object_size(in) == 0)
		return err_set(e, ERR_INVALID, "", "没有要修改的字段");
	rc = load_user(db, a, id, &role, &area_id, &provider_id, username, sizeof username, e);
	if (rc)
		return rc;
	if (jx_has(in, "role")) {
		int r = role_parse(jx_str(in, "role"));
		if (r < 0)
			return err_set(e, ERR_INVALID, "role", "未知角色：%s", jx_str(in, "role"));
		if (a->kind == ACTOR_USER && id == a->user_id && r != role)
			return err_set(e, ERR_CONFLICT, "role", "不能修改自己的角色");
		role = r;
	}
	if (status && strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0)
		return err_set(e, ERR_INVALID, "status", "状态应为active或disabled");
	if (status && strcmp(status, "disabled") == 0 && a->kind == ACTOR_USER && id == a->user_id)
		return err_set(e, ERR_CONFLICT, "status", "不能停用自己的账号");
	if (jx_has(in, "scope")) {
		if (a->kind == ACTOR_USER && id == a->user_id)
			return err_set(e, ERR_CONFLICT, "scope", "不能修改自己的权限范围");
		rc = scope_resolve(db, a, (enum role)role, json_object_get(in, "scope"), "scope", &area_id,
				   &provider_id, e);
		if (rc)
			return rc;
	} else if (role_provider_scoped((enum role)role) != (provider_id != 0)) {
		return err_set(e, ERR_INVALID, "scope", "角色变更后须同时指定相应的权限范围");
	}
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "UPDATE users SET display_name = COALESCE($1, display_name), role = $2, area_id = $3,"
		     " provider_id = $4, status = COALESCE($5, status), updated_at = $6 WHERE id = $7",
		     DB_TEXT(jx_str(in, "display_name")), DB_TEXT(role_name((enum role)role)),
		     DB_INT_OR_NULL(area_id, area_id), DB_INT_OR_NULL(provider_id, provider_id), DB_TEXT(status),
		     DB_INT(now), DB_INT(id));
	/* A disabled account, or one whose role or scope changed, signs in again. */
	if (!rc && (status || jx_has(in, "role") || jx_has(in, "scope")) && !(a->kind == ACTOR_USER && id == a->user_id))
		rc = db_exec(db, NULL, e, "DELETE FROM sessions WHERE user_id = $1", DB_INT(id));
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "user.update", "user", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int user_set_password(struct db *db, struct actor *a, int64_t id, const char *password, bool must_change,
		      struct err *e)
{
	int64_t area_id, provider_id;
	char username[40], hash[crypto_pwhash_STRBYTES], ids[24];
	int role, rc;

	rc = load_user(db, a, id, &role, &area_id, &provider_id, username, sizeof username, e);
	if (rc)
		return rc;
	rc = auth_password_policy(password, username, "password", e);
	if (rc)
		return rc;
	rc = auth_hash_password(password, hash, sizeof hash, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = 0,"
		     " password_changed_at = $3, updated_at = $3 WHERE id = $4",
		     DB_TEXT(hash), DB_INT(must_change ? 1 : 0), DB_INT(date_now_unix()), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e, "DELETE FROM sessions WHERE user_id = $1", DB_INT(id));
	if (!rc) {
		json_t *d = json_pack("{s:b}", "must_change_password", must_change);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "user.password.reset", "user", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int user_unlock(struct db *db, struct actor *a, int64_t id, struct err *e)
{
	int64_t area_id, provider_id;
	char username[40], ids[24];
	int role, rc;

	rc = load_user(db, a, id, &role, &area_id, &provider_id, username, sizeof username, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e, "UPDATE users SET failed_logins = 0, locked_until = 0, updated_at = $1 WHERE id = $2",
		     DB_INT(date_now_unix()), DB_INT(id));
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc)
		rc = audit_append(db, a, "user.unlock", "user", ids, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int user_find_id(struct db *db, const char *username, int64_t *id, struct err *e)
{
	int rc = db_int(db, id, e, "SELECT id FROM users WHERE username = $1", DB_TEXT(username));

	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "username", "no user named '%s'", username);
	return rc;
}
