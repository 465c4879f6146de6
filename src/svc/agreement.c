/* agreement.c: service agreements (服务协议) between the bureau and a provider: validity, care modes, streets and
 * capacity; where the scheme assigns one home-care provider per service region, no two providers' agreements for
 * home or family care may cover the same street at the same time. Termination ends the agreement's plans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/care_plan.h"
#include "svc/provider.h"

struct agreement_in {
	int32_t from, until;
	char modes[64];     /* "home,family" */
	bool home_like;     /* home or family care among the modes */
	bool institution_only;
	int64_t *areas;
	int n_areas;
};

static int parse_modes(const struct scheme *s, const json_t *modes, const char *provider_kind, struct agreement_in *ag,
		       struct err *e)
{
	bool seen[CARE_MODE_COUNT] = {false};
	json_t *v;
	size_t i;
	char path[32];

	if (!json_is_array(modes) || json_array_size(modes) == 0 || json_array_size(modes) > CARE_MODE_COUNT)
		return err_set(e, ERR_INVALID, "modes", "服务方式应为home、family、institution中的一项或几项");
	ag->modes[0] = '\0';
	json_array_foreach(modes, i, v) {
		int m = care_mode_parse(json_string_value(v));
		snprintf(path, sizeof path, "modes[%zu]", i);
		if (m < 0)
			return err_set(e, ERR_INVALID, path, "服务方式应为home（居家上门护理）、family（亲情护理）或institution（机构护理）");
		if (seen[m])
			return err_set(e, ERR_INVALID, path, "服务方式重复");
		if (!s->care.modes[m])
			return err_set(e, ERR_INVALID, path, "本方案没有%s", care_mode_label((enum care_mode)m));
		if (m == CARE_INSTITUTION && strcmp(provider_kind, "home_care") == 0)
			return err_set(e, ERR_INVALID, path, "居家护理服务机构不能提供机构护理");
		seen[m] = true;
	}
	/* a fixed order, so the text compares and reads the same whatever the input order */
	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		if (!seen[m])
			continue;
		if (ag->modes[0])
			strcat(ag->modes, ",");
		strcat(ag->modes, care_mode_name((enum care_mode)m));
	}
	ag->home_like = seen[CARE_HOME] || seen[CARE_FAMILY];
	ag->institution_only = seen[CARE_INSTITUTION] && !ag->home_like;
	return 0;
}

static int parse_areas(struct db *db, const json_t *list, struct agreement_in *ag, struct err *e)
{
	json_t *v;
	size_t i;
	char path[32];
	int rc = 0;

	if (!json_is_array(list))
		return err_set(e, ERR_INVALID, "area_ids", "服务区域应为街道编号的数组");
	if (json_array_size(list) > LIMIT_AGREEMENT_AREAS)
		return err_set(e, ERR_INVALID, "area_ids", "服务区域最多%d个街道", LIMIT_AGREEMENT_AREAS);
	if (json_array_size(list) == 0 && !ag->institution_only)
		return err_set(e, ERR_INVALID, "area_ids", "居家上门护理和亲情护理须指定服务的街道");
	ag->areas = calloc(json_array_size(list) + 1, sizeof *ag->areas);
	if (!ag->areas)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_array_foreach(list, i, v) {
		struct db_stmt *st = NULL;
		int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
		snprintf(path, sizeof path, "area_ids[%zu]", i);
		for (int k = 0; k < ag->n_areas; k++)
			if (ag->areas[k] == id)
				return err_set(e, ERR_INVALID, path, "街道重复");
		rc = db_query(db, &st, e, "SELECT level FROM areas WHERE id = $1", DB_INT(id));
		if (!rc) {
			rc = db_step(st, e);
			if (rc == DB_ROW)
				rc = strcmp(db_col_text(st, 0), "street") == 0 ? 0 : err_set(e, ERR_INVALID, path, "服务区域应为街道/镇");
			else if (rc == DB_DONE)
				rc = err_set(e, ERR_INVALID, path, "区域不存在");
		}
		db_done(st);
		if (rc)
			return rc;
		ag->areas[ag->n_areas++] = id;
	}
	return 0;
}

/* One home-care provider per street where the scheme assigns providers by region. */
static int check_exclusive(struct db *db, const struct scheme *s, int64_t provider, int64_t self,
			   const struct agreement_in *ag, struct err *e)
{
	char from[DATE_STR], until[DATE_STR];
	int rc = 0;

	if (s->care.choice != SCHEME_CHOICE_REGION || !ag->home_like)
		return 0;
	date_format(ag->from, from);
	date_format(ag->until, until);
	for (int i = 0; !rc && i < ag->n_areas; i++) {
		struct db_stmt *st = NULL;
		rc = db_query(db, &st, e,
			      "SELECT a.name, p.name, g.number FROM agreements g JOIN agreement_areas ga ON ga.agreement_id = g.id"
			      " JOIN providers p ON p.id = g.provider_id JOIN areas a ON a.id = ga.area_id"
			      " WHERE ga.area_id = $1 AND g.status = 'active' AND g.provider_id <> $2 AND g.id <> $3"
			      " AND g.valid_from <= $5 AND g.valid_until >= $4"
			      " AND ((',' || g.modes || ',') LIKE '%,home,%' OR (',' || g.modes || ',') LIKE '%,family,%')",
			      DB_INT(ag->areas[i]), DB_INT(provider), DB_INT(self), DB_TEXT(from), DB_TEXT(until));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			char path[32];
			snprintf(path, sizeof path, "area_ids[%d]", i);
			rc = err_set(e, ERR_CONFLICT, path, "本方案每个服务区域只指定一家居家护理机构：%s已由%s（协议%s）服务", db_col_text(st, 0),
				     db_col_text(st, 1), db_col_text(st, 2));
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
	}
	return rc;
}

static int write_areas(struct db *db, int64_t agreement, const struct agreement_in *ag, struct err *e)
{
	int rc = db_exec(db, NULL, e, "DELETE FROM agreement_areas WHERE agreement_id = $1", DB_INT(agreement));

	for (int i = 0; !rc && i < ag->n_areas; i++)
		rc = db_exec(db, NULL, e, "INSERT INTO agreement_areas (agreement_id, area_id) VALUES ($1, $2)",
			     DB_INT(agreement), DB_INT(ag->areas[i]));
	return rc;
}

static int check_dates(const char *from_s, const char *until_s, struct agreement_in *ag, struct err *e)
{
	if (!date_parse(from_s, &ag->from))
		return err_set(e, ERR_INVALID, "valid_from", "日期应为YYYY-MM-DD");
	if (!date_parse(until_s, &ag->until))
		return err_set(e, ERR_INVALID, "valid_until", "日期应为YYYY-MM-DD");
	if (ag->until < ag->from)
		return err_set(e, ERR_INVALID, "valid_until", "协议截止日期不能早于起始日期");
	if (ag->until > date_add_months(ag->from, 12 * LIMIT_AGREEMENT_YEARS))
		return err_set(e, ERR_INVALID, "valid_until", "协议期限最长%d年", LIMIT_AGREEMENT_YEARS);
	return 0;
}

static int load_provider(struct db *db, int64_t id, char *kind, size_t ksize, char *status, size_t ssize,
			 struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT kind, status FROM providers WHERE id = $1", DB_INT(id));

	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(kind, db_col_text(st, 0), ksize);
		str_copy(status, db_col_text(st, 1), ssize);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理机构不存在");
	}
	db_done(st);
	return rc;
}

static const struct jx_field agreement_fields[] = {
	{"number", JX_STRING, 0, 1, 40},
	{"valid_from", JX_STRING, 0, 10, 10},
	{"valid_until", JX_STRING, 0, 10, 10},
	{"modes", JX_ARRAY, 0, 0, 0},
	{"capacity", JX_INT, 0, 1, 100000},
	{"region_name", JX_STRING, JX_NULLABLE, 1, 100},
	{"area_ids", JX_ARRAY, 0, 0, 0},
	{NULL, 0, 0, 0, 0},
};

int agreement_create(struct db *db, const struct scheme *s, struct actor *a, int64_t provider_id, const json_t *in,
		     int64_t *id, struct err *e)
{
	const char *required[] = {"number", "valid_from", "valid_until", "modes", "capacity", "area_ids", NULL};
	struct agreement_in ag = {0};
	char kind[32], status[16], ids[24], from[DATE_STR], until[DATE_STR];
	int64_t n = 0, now = date_now_unix();
	int rc = jx_check(in, agreement_fields, "", e);

	for (int i = 0; !rc && required[i]; i++)
		if (!jx_has(in, required[i]))
			rc = err_set(e, ERR_INVALID, required[i], "缺少必填字段%s", required[i]);
	if (!rc)
		rc = load_provider(db, provider_id, kind, sizeof kind, status, sizeof status, e);
	if (!rc && strcmp(status, "terminated") == 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该机构已终止协议，不能签订新协议");
	if (!rc)
		rc = check_dates(jx_str(in, "valid_from"), jx_str(in, "valid_until"), &ag, e);
	if (!rc)
		rc = parse_modes(s, json_object_get(in, "modes"), kind, &ag, e);
	if (!rc)
		rc = parse_areas(db, json_object_get(in, "area_ids"), &ag, e);
	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM agreements WHERE number = $1", DB_TEXT(jx_str(in, "number")));
	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, "number", "协议编号%s已存在", jx_str(in, "number"));
	if (!rc)
		rc = check_exclusive(db, s, provider_id, 0, &ag, e);
	if (rc)
		goto out;
	date_format(ag.from, from);
	date_format(ag.until, until);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO agreements (provider_id, number, valid_from, valid_until, modes, capacity, region_name,"
			    " status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $9)"
			    " RETURNING id",
			    DB_INT(provider_id), DB_TEXT(jx_str(in, "number")), DB_TEXT(from), DB_TEXT(until), DB_TEXT(ag.modes),
			    DB_INT(jx_int(in, "capacity", 1)), DB_TEXT(jx_str(in, "region_name")), DB_TEXT(a->username),
			    DB_INT(now));
	if (!rc)
		rc = write_areas(db, *id, &ag, e);
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)provider_id);
		rc = audit_append(db, a, "agreement.create", "provider", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		goto out;
	}
	rc = audit_commit(db, a, e);
out:
	free(ag.areas);
	return rc;
}

int agreement_update(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	struct agreement_in ag = {0};
	char kind[32] = "", status[16] = "", from[DATE_STR] = "", until[DATE_STR] = "", modes[64] = "", ids[24];
	int64_t provider = 0, clients = 0, now = date_now_unix();
	json_t *modes_in = NULL;
	int rc = jx_check(in, agreement_fields, "", e);

	if (!rc && (jx_has(in, "number") || jx_has(in, "valid_from")))
		rc = err_set(e, ERR_INVALID, jx_has(in, "number") ? "number" : "valid_from", "协议编号和起始日期不能修改");
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT g.provider_id, g.valid_from, g.valid_until, g.modes, g.status,"
			      " (SELECT COUNT(*) FROM care_plans cp WHERE cp.agreement_id = g.id AND cp.status IN ('active', 'confirmed'))"
			      " FROM agreements g WHERE g.id = $1",
			      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		provider = db_col_int(st, 0);
		str_copy(from, db_col_text(st, 1), sizeof from);
		str_copy(until, db_col_text(st, 2), sizeof until);
		str_copy(modes, db_col_text(st, 3), sizeof modes);
		str_copy(status, db_col_text(st, 4), sizeof status);
		clients = db_col_int(st, 5);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "协议不存在");
	}
	db_done(st);
	if (!rc && strcmp(status, "terminated") == 0)
		rc = err_set(e, ERR_CONFLICT, "status", "协议已终止，不能修改");
	if (!rc && jx_has(in, "capacity") && jx_int(in, "capacity", 0) < clients)
		rc = err_set(e, ERR_INVALID, "capacity", "容量不能少于现有服务对象%lld人", (long long)clients);
	if (!rc)
		rc = check_dates(from, jx_str(in, "valid_until") ? jx_str(in, "valid_until") : until, &ag, e);
	if (!rc) {
		char kstatus[16];
		rc = load_provider(db, provider, kind, sizeof kind, kstatus, sizeof kstatus, e);
	}
	/* the modes and streets in force after the change, for the checks */
	if (!rc) {
		modes_in = json_object_get(in, "modes");
		if (modes_in) {
			rc = parse_modes(s, modes_in, kind, &ag, e);
		} else {
			json_t *arr = json_array();
			char buf[64];
			str_copy(buf, modes, sizeof buf);
			for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
				json_array_append_new(arr, json_string(t));
			rc = parse_modes(s, arr, kind, &ag, e);
			json_decref(arr);
		}
	}
	if (!rc) {
		json_t *areas = json_object_get(in, "area_ids");
		if (areas) {
			rc = parse_areas(db, areas, &ag, e);
		} else {
			json_t *arr = json_array();
			rc = db_query(db, &st, e, "SELECT area_id FROM agreement_areas WHERE agreement_id = $1 ORDER BY area_id",
				      DB_INT(id));
			while (!rc && (rc = db_step(st, e)) == DB_ROW) {
				rc = 0;
				json_array_append_new(arr, json_integer(db_col_int(st, 0)));
			}
			if (rc == DB_DONE)
				rc = 0;
			db_done(st);
			if (!rc)
				rc = parse_areas(db, arr, &ag, e);
			json_decref(arr);
		}
	}
	if (!rc)
		rc = check_exclusive(db, s, provider, id, &ag, e);
	if (rc)
		goto out;
	date_format(ag.until, until);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE agreements SET valid_until = $1, modes = $2, capacity = COALESCE($3, capacity),"
			     " region_name = CASE WHEN $4 = 1 THEN $5 ELSE region_name END, updated_at = $6 WHERE id = $7",
			     DB_TEXT(until), DB_TEXT(ag.modes), DB_INT_OR_NULL(jx_has(in, "capacity"), jx_int(in, "capacity", 0)),
			     DB_INT(jx_has(in, "region_name")), DB_TEXT(jx_str(in, "region_name")), DB_INT(now), DB_INT(id));
	if (!rc && json_object_get(in, "area_ids"))
		rc = write_areas(db, id, &ag, e);
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)provider);
		rc = audit_append(db, a, "agreement.update", "provider", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		goto out;
	}
	rc = audit_commit(db, a, e);
out:
	free(ag.areas);
	return rc;
}

int agreement_terminate(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	char status[16] = "", today_s[DATE_STR], ids[24];
	int64_t provider = 0, now = date_now_unix();
	int32_t today = date_today_cn();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = db_query(db, &st, e, "SELECT provider_id, status FROM agreements WHERE id = $1", DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		provider = db_col_int(st, 0);
		str_copy(status, db_col_text(st, 1), sizeof status);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "协议不存在");
	}
	db_done(st);
	if (!rc && strcmp(status, "terminated") == 0)
		rc = err_set(e, ERR_CONFLICT, "status", "协议已终止");
	if (rc)
		return rc;
	date_format(today, today_s);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE agreements SET status = 'terminated', terminated_on = $1, terminated_reason = $2,"
			     " updated_at = $3 WHERE id = $4",
			     DB_TEXT(today_s), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	if (!rc)
		rc = care_plans_end_for(db, 0, id, today, "agreement_terminated", e);
	if (!rc) {
		json_t *detail = json_pack("{s:I, s:s}", "agreement_id", (json_int_t)id, "reason", jx_str(in, "reason"));
		snprintf(ids, sizeof ids, "%lld", (long long)provider);
		rc = audit_append(db, a, "agreement.terminate", "provider", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}
