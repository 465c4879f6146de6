/* area.c: the area tree (see area.h). Codes follow GB/T 2260 and the statistical division codes: region and
 * district 6 digits, street 9, neighbourhood 12, each starting with its parent's code. */
#include "svc/area.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/audit.h"

static const char *levels[] = {"region", "district", "street", "neighbourhood"};
static const int code_len[] = {6, 6, 9, 12};

static int level_index(const char *level)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(levels[i], level) == 0)
			return i;
	return -1;
}

const char *area_level_label(const char *level)
{
	static const char *labels[] = {"统筹区", "区/县", "街道/镇", "居委/村委"};
	int i = level_index(level);
	return i >= 0 ? labels[i] : "";
}

#define AREA_COLS "a.id, a.parent_id, a.level, a.code, a.name, a.path"

static json_t *area_json(struct db_stmt *st)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "parent_id",
			 db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)), "level", db_col_text(st, 2),
			 "level_label", area_level_label(db_col_text(st, 2)), "code", db_col_text(st, 3), "name",
			 db_col_text(st, 4));
}

/* '' for actors that read the whole tree, else their area path. */
static void read_scope(const struct actor *a, char *out, size_t size)
{
	if (a->kind == ACTOR_SYSTEM || a->provider_id || strcmp(a->area_level, "region") == 0 || !a->area_path[0])
		out[0] = '\0';
	else
		str_copy(out, a->area_path, size);
}

#define AREA_VISIBLE " ($1 = '' OR a.path LIKE $1 || '%' OR $1 LIKE a.path || '%')"

int area_list(struct db *db, const struct actor *a, const struct area_filter *f, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[160], like[LIMIT_SEARCH_MAX * 2 + 4] = "";
	json_t *items = json_array();
	int rc;

	read_scope(a, scope, sizeof scope);
	if (f->q && *f->q)
		str_like_contains(f->q, like, sizeof like);
	rc = db_query(db, &st, e,
		      "SELECT " AREA_COLS " FROM areas a WHERE" AREA_VISIBLE
		      " AND ($2 = 0 OR a.parent_id = $2) AND ($3 = '' OR a.level = $3)"
		      " AND ($4 = '' OR a.name LIKE $4 ESCAPE '\\' OR a.code LIKE $4 ESCAPE '\\')"
		      " ORDER BY a.code LIMIT $5",
		      DB_TEXT(scope), DB_INT(f->parent_id), DB_TEXT(f->level ? f->level : ""), DB_TEXT(like),
		      DB_INT(LIMIT_AREA_LIST));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, area_json(st));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

struct area_row {
	int64_t id, parent_id;
	char level[16], code[16], name[LIMIT_NAME_MAX + 1], path[160];
};

static int load_area(struct db *db, int64_t id, struct area_row *r, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT " AREA_COLS " FROM areas a WHERE a.id = $1", DB_INT(id));

	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->parent_id = db_col_int(st, 1);
		str_copy(r->level, db_col_text(st, 2), sizeof r->level);
		str_copy(r->code, db_col_text(st, 3), sizeof r->code);
		str_copy(r->name, db_col_text(st, 4), sizeof r->name);
		str_copy(r->path, db_col_text(st, 5), sizeof r->path);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "区域不存在");
	}
	db_done(st);
	return rc;
}

int area_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[160];
	int rc;

	read_scope(a, scope, sizeof scope);
	rc = db_query(db, &st, e, "SELECT " AREA_COLS " FROM areas a WHERE" AREA_VISIBLE " AND a.id = $2",
		      DB_TEXT(scope), DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		*out = area_json(st);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "区域不存在");
	}
	db_done(st);
	return rc;
}

/* The significant prefix of a region code: "330900" -> "3309", "310000" -> "31". */
static void region_prefix(const char *code, char *out, size_t size)
{
	size_t n = strlen(code);

	str_copy(out, code, size);
	while (n >= 2 && out[n - 1] == '0' && out[n - 2] == '0')
		out[n -= 2] = '\0';
}

static int check_code(const char *code, int level, const struct area_row *parent, struct err *e)
{
	char prefix[16];

	if (!str_is_digits(code) || (int)strlen(code) != code_len[level])
		return err_set(e, ERR_INVALID, "code", "%s的区划代码应为%d位数字", area_level_label(levels[level]),
			       code_len[level]);
	if (!parent)
		return 0;
	if (level == 1) {
		region_prefix(parent->code, prefix, sizeof prefix);
		if (!str_starts(code, prefix) || strcmp(code, parent->code) == 0)
			return err_set(e, ERR_INVALID, "code", "区/县代码应以统筹区代码前缀%s开头且不同于统筹区代码",
				       prefix);
	} else if (!str_starts(code, parent->code)) {
		return err_set(e, ERR_INVALID, "code", "区划代码应以上级区域代码%s开头", parent->code);
	}
	return 0;
}

static int check_name(const char *name, int64_t parent_id, int64_t self, struct db *db, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(db, &n, e,
			"SELECT COUNT(*) FROM areas WHERE name = $1 AND id <> $3 AND"
			" ((parent_id IS NULL AND $2 = 0) OR parent_id = $2)",
			DB_TEXT(name), DB_INT(parent_id), DB_INT(self));

	if (rc)
		return rc;
	if (n)
		return err_set(e, ERR_CONFLICT, "name", "同一上级区域下已有同名区域");
	return 0;
}

int area_create(struct db *db, struct actor *a, const json_t *in, int64_t *id_out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"parent_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"code", JX_STRING, JX_REQUIRED, 1, 16},
		{"name", JX_STRING, JX_REQUIRED, 1, LIMIT_NAME_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct area_row parent;
	int64_t parent_id = jx_int(in, "parent_id", 0), id = 0, n = 0, now = date_now_unix();
	const char *code = jx_str(in, "code"), *name = jx_str(in, "name");
	char path[160], ids[24];
	int level, rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	code = jx_str(in, "code");
	name = jx_str(in, "name");
	parent_id = jx_int(in, "parent_id", 0);
	if (parent_id) {
		rc = load_area(db, parent_id, &parent, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID, "parent_id", "上级区域不存在");
		if (rc)
			return rc;
		if (!actor_covers_area(a, parent.path))
			return err_set(e, ERR_FORBIDDEN, "parent_id", "上级区域不在您的管理范围内");
		level = level_index(parent.level) + 1;
		if (level > 3)
			return err_set(e, ERR_INVALID, "parent_id", "居委/村委下不能再设下级区域");
	} else {
		if (a->kind != ACTOR_SYSTEM && strcmp(a->area_level, "region") != 0)
			return err_set(e, ERR_FORBIDDEN, "parent_id", "只有全统筹区管理员可以设置统筹区");
		rc = db_int0(db, &n, e, "SELECT COUNT(*) FROM areas WHERE parent_id IS NULL");
		if (rc)
			return rc;
		if (n)
			return err_set(e, ERR_CONFLICT, "parent_id", "统筹区已存在，新区域须指定上级区域");
		level = 0;
	}
	rc = check_code(code, level, parent_id ? &parent : NULL, e);
	if (!rc)
		rc = check_name(name, parent_id, 0, db, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &id, e,
		    "INSERT INTO areas (parent_id, level, code, name, path, created_at, updated_at)"
		    " VALUES ($1, $2, $3, $4, '', $5, $5) RETURNING id",
		    DB_INT_OR_NULL(parent_id, parent_id), DB_TEXT(levels[level]), DB_TEXT(code), DB_TEXT(name),
		    DB_INT(now));
	if (rc == ERR_CONFLICT)
		err_set(e, ERR_CONFLICT, "code", "区划代码已存在");
	if (!rc) {
		snprintf(path, sizeof path, "%s%lld/", parent_id ? parent.path : "/", (long long)id);
		rc = db_exec(db, NULL, e, "UPDATE areas SET path = $1 WHERE id = $2", DB_TEXT(path), DB_INT(id));
	}
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:s}", "level", levels[level], "code", code, "name", name);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "area.create", "area", ids, AUDIT_OK, d, e);
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

int area_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"code", JX_STRING, 0, 1, 16},
		{"name", JX_STRING, 0, 1, LIMIT_NAME_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct area_row cur, parent;
	const char *code, *name;
	int64_t children = 0;
	char ids[24];
	int rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	if (json_object_size(in) == 0)
		return err_set(e, ERR_INVALID, "", "没有要修改的字段");
	rc = load_area(db, id, &cur, e);
	if (rc)
		return rc;
	if (!actor_covers_area(a, cur.path))
		return err_set(e, ERR_NOT_FOUND, "id", "区域不存在");
	code = jx_str(in, "code");
	name = jx_str(in, "name");
	if (code && strcmp(code, cur.code) != 0) {
		if (cur.parent_id && (rc = load_area(db, cur.parent_id, &parent, e)))
			return rc;
		rc = check_code(code, level_index(cur.level), cur.parent_id ? &parent : NULL, e);
		if (rc)
			return rc;
		rc = db_int(db, &children, e, "SELECT COUNT(*) FROM areas WHERE parent_id = $1", DB_INT(id));
		if (rc)
			return rc;
		if (children)
			return err_set(e, ERR_CONFLICT, "code", "该区域已有下级区域，不能修改区划代码");
	}
	if (name && (rc = check_name(name, cur.parent_id, id, db, e)))
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "UPDATE areas SET code = COALESCE($1, code), name = COALESCE($2, name), updated_at = $3 WHERE id = $4",
		     DB_TEXT(code), DB_TEXT(name), DB_INT(date_now_unix()), DB_INT(id));
	if (rc == ERR_CONFLICT)
		err_set(e, ERR_CONFLICT, "code", "区划代码已存在");
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:O}", "code", cur.code, "name", cur.name, "changes", in);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "area.update", "area", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int area_delete(struct db *db, struct actor *a, int64_t id, struct err *e)
{
	struct area_row cur;
	int64_t refs = 0;
	char ids[24];
	int rc;

	rc = load_area(db, id, &cur, e);
	if (rc)
		return rc;
	if (!actor_covers_area(a, cur.path) || (a->kind == ACTOR_USER && a->area_id == id))
		return err_set(e, ERR_NOT_FOUND, "id", "区域不存在");
	rc = db_int(db, &refs, e,
		    "SELECT (SELECT COUNT(*) FROM areas WHERE parent_id = $1) + (SELECT COUNT(*) FROM users WHERE area_id = $1)"
		    " + (SELECT COUNT(*) FROM api_tokens WHERE area_id = $1) + (SELECT COUNT(*) FROM providers WHERE area_id = $1)",
		    DB_INT(id));
	if (rc)
		return rc;
	if (refs)
		return err_set(e, ERR_CONFLICT, "id", "该区域有下级区域或被账号、机构引用，不能删除");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e, "DELETE FROM areas WHERE id = $1", DB_INT(id));
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s}", "code", cur.code, "name", cur.name);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "area.delete", "area", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}
