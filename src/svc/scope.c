/* scope.c: resolving and describing account scopes. */
#include "svc/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/str.h"

static bool is_area_kind(const char *k)
{
	return strcmp(k, "region") == 0 || strcmp(k, "district") == 0 || strcmp(k, "street") == 0 ||
	       strcmp(k, "neighbourhood") == 0;
}

int scope_resolve(struct db *db, const struct actor *a, enum role r, const json_t *scope, const char *field,
		  int64_t *area_id, int64_t *provider_id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"kind", JX_STRING, JX_REQUIRED, 1, 16},
		{"id", JX_INT, 0, 1, INT64_MAX},
		{"code", JX_STRING, 0, 1, 32},
		{"name", JX_STRING, 0, 0, 200},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	const char *kind, *code;
	int64_t id;
	int rc;

	*area_id = 0;
	*provider_id = 0;
	if (!scope)
		return err_set(e, ERR_INVALID, field, "缺少权限范围");
	rc = jx_check(scope, fields, field, e);
	if (rc)
		return rc;
	kind = jx_str(scope, "kind");
	id = jx_int(scope, "id", 0);
	code = jx_str(scope, "code");
	if (!id && !code)
		return err_set(e, ERR_INVALID, field, "权限范围需要id或code");
	if (strcmp(kind, "provider") == 0) {
		if (!role_provider_scoped(r))
			return err_set(e, ERR_INVALID, field, "角色%s不能限定到护理机构", role_label(r));
		rc = db_query(db, &st, e,
			      "SELECT p.id, COALESCE(a.path, '') FROM providers p LEFT JOIN areas a ON a.id = p.area_id"
			      " WHERE ($1 > 0 AND p.id = $1) OR ($1 = 0 AND p.code = $2)",
			      DB_INT(id), DB_TEXT(code ? code : ""));
		if (rc)
			return rc;
		rc = db_step(st, e);
		if (rc == DB_ROW) {
			const char *path = db_col_text(st, 1);
			*provider_id = db_col_int(st, 0);
			rc = 0;
			if (a->kind != ACTOR_SYSTEM && strcmp(a->area_level, "region") != 0 &&
			    !(path && *path && actor_covers_area(a, path)))
				rc = err_set(e, ERR_FORBIDDEN, field, "该护理机构不在您的管理范围内");
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_INVALID, field, "护理机构不存在");
		}
		db_done(st);
		return rc;
	}
	if (!is_area_kind(kind))
		return err_set(e, ERR_INVALID, field, "权限范围类型应为region、district、street、neighbourhood或provider");
	if (role_provider_scoped(r))
		return err_set(e, ERR_INVALID, field, "角色%s必须限定到一家护理机构", role_label(r));
	rc = db_query(db, &st, e,
		      "SELECT id, level, path FROM areas WHERE ($1 > 0 AND id = $1) OR ($1 = 0 AND code = $2)", DB_INT(id),
		      DB_TEXT(code ? code : ""));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		rc = 0;
		if (strcmp(db_col_text(st, 1), kind) != 0)
			rc = err_set(e, ERR_INVALID, field, "区域的层级与权限范围类型不符");
		else if (!actor_covers_area(a, db_col_text(st, 2)))
			rc = err_set(e, ERR_FORBIDDEN, field, "该区域不在您的管理范围内");
		else
			*area_id = db_col_int(st, 0);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INVALID, field, "区域不存在");
	}
	db_done(st);
	return rc;
}

json_t *scope_parse_arg(const char *arg)
{
	const char *colon = strchr(arg, ':');
	char kind[32];
	int64_t id;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof kind || !colon[1])
		return NULL;
	snprintf(kind, sizeof kind, "%.*s", (int)(colon - arg), arg);
	/* Administrative codes have 6 or more digits; shorter numbers are ids. Provider codes are not numeric. */
	if (str_to_i64(colon + 1, &id) && id > 0 && strlen(colon + 1) < 6)
		return json_pack("{s:s, s:I}", "kind", kind, "id", (json_int_t)id);
	return json_pack("{s:s, s:s}", "kind", kind, "code", colon + 1);
}

json_t *scope_json(struct db *db, int64_t area_id, int64_t provider_id)
{
	struct db_stmt *st = NULL;
	struct err e;
	json_t *out = NULL;
	int rc;

	if (provider_id)
		rc = db_query(db, &st, &e, "SELECT 'provider', id, code, name FROM providers WHERE id = $1",
			      DB_INT(provider_id));
	else
		rc = db_query(db, &st, &e, "SELECT level, id, code, name FROM areas WHERE id = $1", DB_INT(area_id));
	if (!rc && db_step(st, &e) == DB_ROW)
		out = json_pack("{s:s, s:I, s:s, s:s}", "kind", db_col_text(st, 0), "id", (json_int_t)db_col_int(st, 1),
				"code", db_col_text(st, 2), "name", db_col_text(st, 3));
	db_done(st);
	return out ? out : json_null();
}

int scope_fill_actor(struct db *db, struct actor *a, int64_t area_id, int64_t provider_id, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	a->area_id = area_id;
	a->provider_id = provider_id;
	a->area_path[0] = '\0';
	a->area_level[0] = '\0';
	if (!area_id)
		return 0;
	rc = db_query(db, &st, e, "SELECT path, level FROM areas WHERE id = $1", DB_INT(area_id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		str_copy(a->area_path, db_col_text(st, 0), sizeof a->area_path);
		str_copy(a->area_level, db_col_text(st, 1), sizeof a->area_level);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, NULL, "scope area not found");
	}
	db_done(st);
	return rc;
}
