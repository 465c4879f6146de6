/* provider.c: the provider directory, provider status with its history, and the hand-over list (see provider.h).
 * Agreements are in agreement.c. */
#include "svc/provider.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/care_plan.h"
#include "svc/person.h"
#include "svc/rows.h"

static const char *const kinds[][2] = {
	{"home_care", "居家护理服务机构"},
	{"elderly_institution", "养老机构"},
	{"medical", "医疗机构"},
	{"ltc_facility", "长期护理机构"},
};

static const char *const statuses[][2] = {
	{"active", "正常"},
	{"barred", "暂停接收新服务对象"},
	{"suspended", "暂停服务"},
	{"terminated", "已终止协议"},
};

static const char *label_of(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return NULL;
}

const char *provider_kind_label(const char *kind)
{
	const char *l = label_of(kinds, sizeof kinds / sizeof kinds[0], kind);
	return l ? l : "";
}

const char *provider_status_label(const char *status)
{
	const char *l = label_of(statuses, sizeof statuses / sizeof statuses[0], status);
	return l ? l : "";
}

int area_street_of(struct db *db, int64_t area_id, int64_t *street, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT level, id, parent_id FROM areas WHERE id = $1", DB_INT(area_id));

	*street = 0;
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (strcmp(db_col_text(st, 0), "street") == 0)
			*street = db_col_int(st, 1);
		else if (strcmp(db_col_text(st, 0), "neighbourhood") == 0)
			*street = db_col_int(st, 2);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* A bar whose end has passed no longer applies. */
static const char *effective_status(const char *status, const char *barred_until, const char *today)
{
	if (strcmp(status, "barred") == 0 && barred_until && strcmp(barred_until, today) < 0)
		return "active";
	return status;
}

static json_t *coord(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_real((double)db_col_int(st, col) / 1e6);
}

#define PROVIDER_COLS                                                                                              \
	"p.id, p.code, p.name, p.kind, p.status, p.barred_until, p.status_reason, p.licence_no, p.contact_name,"       \
	" p.contact_phone, p.address, p.lat_e6, p.lon_e6, p.beds, p.credit_grade, a.id, a.name,"                      \
	" (SELECT COUNT(*) FROM care_plans cp WHERE cp.provider_id = p.id AND cp.status = 'active'),"                 \
	" (SELECT COUNT(*) FROM caregivers c WHERE c.provider_id = p.id AND c.status <> 'terminated')"

static json_t *provider_row(struct db_stmt *st)
{
	char today[DATE_STR];
	const char *status;

	date_format(date_today_cn(), today);
	status = effective_status(db_col_text(st, 4), db_col_text(st, 5), today);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s,"
			 " s:o, s:o, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1), "name", db_col_text(st, 2),
			 "kind", db_col_text(st, 3), "kind_label", provider_kind_label(db_col_text(st, 3)), "status", status,
			 "status_label", provider_status_label(status), "barred_until",
			 jx_str_or_null(strcmp(status, "barred") == 0 ? db_col_text(st, 5) : NULL), "status_reason",
			 jx_str_or_null(db_col_text(st, 6)), "licence_no", jx_str_or_null(db_col_text(st, 7)), "contact_name",
			 jx_str_or_null(db_col_text(st, 8)), "contact_phone", jx_str_or_null(db_col_text(st, 9)), "address",
			 jx_str_or_null(db_col_text(st, 10)), "lat", coord(st, 11), "lon", coord(st, 12), "beds",
			 db_col_null(st, 13) ? json_null() : json_integer(db_col_int(st, 13)), "credit_grade",
			 jx_str_or_null(db_col_text(st, 14)), "credit_label",
			 db_col_text(st, 14) ? db_col_text(st, 14) : "未评级", "area_id",
			 db_col_null(st, 15) ? json_null() : json_integer(db_col_int(st, 15)), "area_name",
			 jx_str_or_null(db_col_text(st, 16)), "clients", (json_int_t)db_col_int(st, 17), "caregivers",
			 (json_int_t)db_col_int(st, 18));
}

int provider_list(struct db *db, const struct actor *a, const struct provider_filter *f, json_t **out,
		  struct err *e)
{
	struct db_stmt *st = NULL;
	char like[200] = "", today[DATE_STR];
	int64_t total = 0;
	json_t *items;
	int rc;

	(void)a; /* the directory is public */
	if (f->kind && *f->kind && !label_of(kinds, sizeof kinds / sizeof kinds[0], f->kind))
		return err_set(e, ERR_INVALID, "kind", "机构类型应为home_care、elderly_institution、medical或ltc_facility");
	if (f->status && *f->status && !label_of(statuses, sizeof statuses / sizeof statuses[0], f->status))
		return err_set(e, ERR_INVALID, "status", "状态应为active、barred、suspended或terminated");
	if (f->mode && *f->mode && care_mode_parse(f->mode) < 0)
		return err_set(e, ERR_INVALID, "mode", "服务方式应为home、family或institution");
	if (f->q && *f->q) {
		if (strlen(f->q) > 60)
			return err_set(e, ERR_INVALID, "q", "查询条件过长");
		str_like_contains(f->q, like, sizeof like);
	}
	date_format(date_today_cn(), today);
#define WHERE                                                                                                      \
	" FROM providers p LEFT JOIN areas a ON a.id = p.area_id"                                                    \
	" WHERE ($1 = '' OR p.name LIKE $1 ESCAPE '\\' OR p.code LIKE $1 ESCAPE '\\') AND ($2 = '' OR p.kind = $2)"  \
	" AND ($3 = '' OR (CASE WHEN p.status = 'barred' AND p.barred_until < $4 THEN 'active' ELSE p.status END) = $3)" \
	" AND ($5 = 0 OR EXISTS (SELECT 1 FROM agreements g JOIN agreement_areas ga ON ga.agreement_id = g.id"          \
	"  WHERE g.provider_id = p.id AND g.status = 'active' AND g.valid_from <= $4 AND g.valid_until >= $4"            \
	"  AND ga.area_id = $5 AND ($6 = '' OR (',' || g.modes || ',') LIKE ('%,' || $6 || ',%'))))"                      \
	" AND ($6 = '' OR EXISTS (SELECT 1 FROM agreements g WHERE g.provider_id = p.id AND g.status = 'active'"        \
	"  AND g.valid_from <= $4 AND g.valid_until >= $4 AND (',' || g.modes || ',') LIKE ('%,' || $6 || ',%')))"
#define ARGS                                                                                                       \
	DB_TEXT(like), DB_TEXT(f->kind ? f->kind : ""), DB_TEXT(f->status ? f->status : ""), DB_TEXT(today),          \
		DB_INT(f->area_id), DB_TEXT(f->mode ? f->mode : "")
	rc = db_int(db, &total, e, "SELECT COUNT(*)" WHERE, ARGS);
	if (rc)
		return rc;
	rc = db_query(db, &st, e, "SELECT " PROVIDER_COLS WHERE " ORDER BY p.code LIMIT $7 OFFSET $8", ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef WHERE
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, provider_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

static json_t *agreement_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:o, s:o, s:I}", "id", (json_int_t)db_col_int(st, 0),
			 "number", db_col_text(st, 1), "valid_from", db_col_text(st, 2), "valid_until", db_col_text(st, 3),
			 "modes", db_col_text(st, 4), "capacity", (json_int_t)db_col_int(st, 5), "region_name",
			 jx_str_or_null(db_col_text(st, 6)), "status", db_col_text(st, 7), "terminated_on",
			 jx_str_or_null(db_col_text(st, 8)), "terminated_reason", jx_str_or_null(db_col_text(st, 9)), "clients",
			 (json_int_t)db_col_int(st, 10));
}

static json_t *area_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1), "name",
			 db_col_text(st, 2));
}

static json_t *status_log_row(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:I}", "status", db_col_text(st, 0), "status_label",
			 provider_status_label(db_col_text(st, 0)), "until", jx_str_or_null(db_col_text(st, 1)), "reason",
			 jx_str_or_null(db_col_text(st, 2)), "effective_on", db_col_text(st, 3), "decided_by",
			 db_col_text(st, 4), "decided_at", (json_int_t)db_col_int(st, 5));
}

/* The agreements' modes come back as a list with labels, their streets as [{id, code, name}]. */
static int agreements_shape(struct db *db, json_t *list, struct err *e)
{
	json_t *ag;
	size_t i;
	int rc = 0;

	json_array_foreach(list, i, ag) {
		const char *modes = json_string_value(json_object_get(ag, "modes"));
		json_t *arr = json_array(), *labels = json_array();
		char buf[64];
		str_copy(buf, modes ? modes : "", sizeof buf);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int m = care_mode_parse(t);
			json_array_append_new(arr, json_string(t));
			json_array_append_new(labels, json_string(m >= 0 ? care_mode_label((enum care_mode)m) : t));
		}
		json_object_set_new(ag, "modes", arr);
		json_object_set_new(ag, "mode_labels", labels);
		if (!rc)
			rc = rows_by_id(db, ag, "areas",
					"SELECT a.id, a.code, a.name FROM agreement_areas ga JOIN areas a ON a.id = ga.area_id"
					" WHERE ga.agreement_id = $1 ORDER BY a.code",
					json_integer_value(json_object_get(ag, "id")), area_row, e);
	}
	return rc;
}

int provider_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *p = NULL;
	int rc;

	(void)a;
	rc = db_query(db, &st, e,
		      "SELECT " PROVIDER_COLS " FROM providers p LEFT JOIN areas a ON a.id = p.area_id WHERE p.id = $1",
		      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		p = provider_row(st);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理机构不存在");
	}
	db_done(st);
	if (rc)
		return rc;
	rc = rows_by_id(db, p, "agreements",
			"SELECT g.id, g.number, g.valid_from, g.valid_until, g.modes, g.capacity, g.region_name, g.status,"
			" g.terminated_on, g.terminated_reason,"
			" (SELECT COUNT(*) FROM care_plans cp WHERE cp.agreement_id = g.id AND cp.status IN ('active', 'confirmed'))"
			" FROM agreements g WHERE g.provider_id = $1 ORDER BY g.valid_from DESC, g.id DESC",
			id, agreement_row, e);
	if (!rc)
		rc = agreements_shape(db, json_object_get(p, "agreements"), e);
	if (!rc)
		rc = rows_by_id(db, p, "status_history",
				"SELECT status, until_date, reason, effective_on, decided_by, decided_at FROM provider_status_log"
				" WHERE provider_id = $1 ORDER BY id DESC",
				id, status_log_row, e);
	if (rc) {
		json_decref(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* ---- writes ---- */

static int check_code(const char *code, struct err *e)
{
	for (const char *c = code; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '-' ||
		      *c == '_'))
			return err_set(e, ERR_INVALID, "code", "机构编码只能包含字母、数字、-和_");
	return 0;
}

/* The checks shared by create and update; only fields present in `in` are checked. */
static int check_fields(struct db *db, const json_t *in, const char *kind, struct err *e)
{
	const char *phone = jx_str(in, "contact_phone"), *addr = jx_str(in, "address");
	json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in, "lon");
	int rc;

	if (jx_has(in, "name") && (str_utf8_len(jx_str(in, "name")) < 2 || str_has_control(jx_str(in, "name"), false)))
		return err_set(e, ERR_INVALID, "name", "机构名称应为2到100个字");
	if (kind && !label_of(kinds, sizeof kinds / sizeof kinds[0], kind))
		return err_set(e, ERR_INVALID, "kind", "机构类型应为home_care（居家护理服务机构）、elderly_institution（养老机构）、"
						     "medical（医疗机构）或ltc_facility（长期护理机构）");
	if (phone && !str_phone_valid(phone))
		return err_set(e, ERR_INVALID, "contact_phone", "联系电话格式不正确（手机11位，或区号-号码）");
	if (addr && str_has_control(addr, false))
		return err_set(e, ERR_INVALID, "address", "地址含有控制字符");
	if ((lat && !json_is_null(lat)) || (lon && !json_is_null(lon))) {
		if (!json_is_number(lat) || !json_is_number(lon))
			return err_set(e, ERR_INVALID, !json_is_number(lat) ? "lat" : "lon", "经纬度应为数字，且须同时提供");
		if (!geo_in_china(geo_e6_from_double(json_number_value(lat)), geo_e6_from_double(json_number_value(lon))))
			return err_set(e, ERR_INVALID, "lat", "经纬度不在中国境内");
	}
	if (kind && strcmp(kind, "home_care") == 0 && jx_int(in, "beds", 0) > 0)
		return err_set(e, ERR_INVALID, "beds", "居家护理服务机构没有床位");
	if (jx_has(in, "area_id")) {
		int64_t n = 0;
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM areas WHERE id = $1", DB_INT(jx_int(in, "area_id", 0)));
		if (rc)
			return rc;
		if (!n)
			return err_set(e, ERR_INVALID, "area_id", "所在区域不存在");
	}
	return 0;
}

static const struct jx_field provider_fields[] = {
	{"code", JX_STRING, 0, 1, 20},
	{"name", JX_STRING, 0, 2, 300},
	{"kind", JX_STRING, 0, 1, 24},
	{"licence_no", JX_STRING, 0, 1, 40},
	{"contact_name", JX_STRING, JX_NULLABLE, 1, 150},
	{"contact_phone", JX_STRING, JX_NULLABLE, 1, 20},
	{"address", JX_STRING, JX_NULLABLE, 1, 300},
	{"lat", JX_ANY, JX_NULLABLE, 0, 0},
	{"lon", JX_ANY, JX_NULLABLE, 0, 0},
	{"beds", JX_INT, JX_NULLABLE, 0, 100000},
	{"area_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	/* where settlement pays it (the bank file of a payment export) */
	{"bank_name", JX_STRING, JX_NULLABLE, 2, 150},
	{"bank_account", JX_STRING, JX_NULLABLE, 6, 40},
	{"account_name", JX_STRING, JX_NULLABLE, 2, 300},
	{NULL, 0, 0, 0, 0},
};

/* A bank account number: digits, with spaces or hyphens between groups. */
static int check_account(const json_t *in, struct err *e)
{
	const char *s = jx_str(in, "bank_account");
	int digits = 0;

	for (const char *p = s; p && *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ' && *p != '-')
			return err_set(e, ERR_INVALID, "bank_account", "银行账号只能包含数字（可用空格或短横线分组）");
	}
	if (s && (digits < 6 || digits > 32))
		return err_set(e, ERR_INVALID, "bank_account", "银行账号应为6到32位数字");
	return 0;
}

static int64_t coord_e6(const json_t *in, const char *key, bool *has)
{
	json_t *v = json_object_get(in, key);
	*has = json_is_number(v);
	return *has ? geo_e6_from_double(json_number_value(v)) : 0;
}

int provider_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e)
{
	const char *required[] = {"code", "name", "kind", "licence_no", NULL};
	int64_t lat, lon, now = date_now_unix(), n = 0;
	bool has_lat, has_lon;
	char ids[24], today[DATE_STR];
	int rc = jx_check(in, provider_fields, "", e);

	for (int i = 0; !rc && required[i]; i++)
		if (!jx_str(in, required[i]))
			rc = err_set(e, ERR_INVALID, required[i], "缺少必填字段%s", required[i]);
	if (!rc)
		rc = check_code(jx_str(in, "code"), e);
	if (!rc)
		rc = check_fields(db, in, jx_str(in, "kind"), e);
	if (!rc)
		rc = check_account(in, e);
	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM providers WHERE code = $1", DB_TEXT(jx_str(in, "code")));
	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, "code", "机构编码%s已存在", jx_str(in, "code"));
	if (rc)
		return rc;
	lat = coord_e6(in, "lat", &has_lat);
	lon = coord_e6(in, "lon", &has_lon);
	date_format(date_today_cn(), today);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO providers (code, name, kind, licence_no, contact_name, contact_phone, address, lat_e6,"
			    " lon_e6, beds, area_id, bank_name, bank_account, account_name, status, created_at, updated_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14, $15, 'active', $12, $12) RETURNING id",
			    DB_TEXT(jx_str(in, "code")), DB_TEXT(jx_str(in, "name")), DB_TEXT(jx_str(in, "kind")),
			    DB_TEXT(jx_str(in, "licence_no")), DB_TEXT(jx_str(in, "contact_name")),
			    DB_TEXT(jx_str(in, "contact_phone")), DB_TEXT(jx_str(in, "address")), DB_INT_OR_NULL(has_lat, lat),
			    DB_INT_OR_NULL(has_lon, lon), DB_INT_OR_NULL(jx_has(in, "beds"), jx_int(in, "beds", 0)),
			    DB_INT_OR_NULL(jx_has(in, "area_id"), jx_int(in, "area_id", 0)), DB_INT(now),
			    DB_TEXT(jx_str(in, "bank_name")), DB_TEXT(jx_str(in, "bank_account")),
			    DB_TEXT(jx_str(in, "account_name")));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO provider_status_log (provider_id, status, reason, effective_on, decided_by, decided_at)"
			     " VALUES ($1, 'active', '新增定点机构', $2, $3, $4)",
			     DB_INT(*id), DB_TEXT(today), DB_TEXT(a->username), DB_INT(now));
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)*id);
		rc = audit_append(db, a, "provider.create", "provider", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int provider_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const char *const cols[][2] = {
		{"name", "name"}, {"kind", "kind"}, {"licence_no", "licence_no"}, {"contact_name", "contact_name"},
		{"contact_phone", "contact_phone"}, {"address", "address"}, {"beds", "beds"}, {"area_id", "area_id"},
		{"bank_name", "bank_name"}, {"bank_account", "bank_account"}, {"account_name", "account_name"},
	};
	struct db_stmt *st = NULL;
	char kind[32] = "", ids[24];
	int64_t now = date_now_unix();
	int rc = jx_check(in, provider_fields, "", e);

	if (!rc && jx_has(in, "code"))
		rc = err_set(e, ERR_INVALID, "code", "机构编码不能修改");
	if (!rc)
		rc = db_query(db, &st, e, "SELECT kind FROM providers WHERE id = $1", DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(kind, jx_str(in, "kind") ? jx_str(in, "kind") : db_col_text(st, 0), sizeof kind);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理机构不存在");
	}
	db_done(st);
	if (!rc)
		rc = check_fields(db, in, kind, e);
	if (!rc)
		rc = check_account(in, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	for (size_t i = 0; !rc && i < sizeof cols / sizeof cols[0]; i++) {
		char sql[160];
		json_t *v = json_object_get(in, cols[i][0]);
		if (!v)
			continue;
		snprintf(sql, sizeof sql, "UPDATE providers SET %s = $1, updated_at = $2 WHERE id = $3", cols[i][1]);
		if (json_is_integer(v))
			rc = db_exec(db, NULL, e, sql, DB_INT(json_integer_value(v)), DB_INT(now), DB_INT(id));
		else
			rc = db_exec(db, NULL, e, sql, DB_TEXT(json_string_value(v)), DB_INT(now), DB_INT(id));
	}
	if (!rc && (jx_has(in, "lat") || jx_has(in, "lon"))) {
		bool has_lat, has_lon;
		int64_t lat = coord_e6(in, "lat", &has_lat), lon = coord_e6(in, "lon", &has_lon);
		rc = db_exec(db, NULL, e, "UPDATE providers SET lat_e6 = $1, lon_e6 = $2, updated_at = $3 WHERE id = $4",
			     DB_INT_OR_NULL(has_lat, lat), DB_INT_OR_NULL(has_lon, lon), DB_INT(now), DB_INT(id));
	}
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "provider.update", "provider", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int provider_set_status(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
			struct err *e)
{
	static const struct jx_field fields[] = {
		{"status", JX_STRING, JX_REQUIRED, 1, 16},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{"until", JX_STRING, JX_NULLABLE, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	const char *status, *until;
	char current[16] = "", today_s[DATE_STR], ids[24];
	int32_t today = date_today_cn(), until_day = 0;
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (rc)
		return rc;
	status = jx_str(in, "status");
	until = jx_str(in, "until");
	if (!label_of(statuses, sizeof statuses / sizeof statuses[0], status))
		return err_set(e, ERR_INVALID, "status", "状态应为active、barred、suspended或terminated");
	if (strcmp(status, "barred") == 0) {
		if (!until || !date_parse(until, &until_day))
			return err_set(e, ERR_INVALID, "until", "暂停接收新服务对象须给出截止日期（YYYY-MM-DD）");
		if (until_day <= today)
			return err_set(e, ERR_INVALID, "until", "截止日期应晚于今天");
	} else if (until) {
		return err_set(e, ERR_INVALID, "until", "只有暂停接收新服务对象才有截止日期");
	}
	{
		struct db_stmt *st = NULL;
		rc = db_query(db, &st, e, "SELECT status FROM providers WHERE id = $1", DB_INT(id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			str_copy(current, db_col_text(st, 0), sizeof current);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "id", "护理机构不存在");
		}
		db_done(st);
		if (rc)
			return rc;
	}
	if (strcmp(current, "terminated") == 0)
		return err_set(e, ERR_CONFLICT, "status", "该机构已终止协议，不能再变更状态");
	date_format(today, today_s);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE providers SET status = $1, barred_until = $2, status_reason = $3, updated_at = $4"
			     " WHERE id = $5",
			     DB_TEXT(status), DB_TEXT(until), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO provider_status_log (provider_id, status, until_date, reason, effective_on, decided_by,"
			     " decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_INT(id), DB_TEXT(status), DB_TEXT(until), DB_TEXT(jx_str(in, "reason")), DB_TEXT(today_s),
			     DB_TEXT(a->username), DB_INT(now));
	/* terminated: its agreements end today and its clients' plans with them */
	if (!rc && strcmp(status, "terminated") == 0)
		rc = db_exec(db, NULL, e,
			     "UPDATE agreements SET status = 'terminated', terminated_on = $1, terminated_reason = $2,"
			     " updated_at = $3 WHERE provider_id = $4 AND status = 'active'",
			     DB_TEXT(today_s), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	if (!rc && strcmp(status, "terminated") == 0)
		rc = care_plans_end_for(db, id, 0, today, "provider_terminated", e);
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "provider.status", "provider", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

static json_t *handover_row(struct db_stmt *st)
{
	char idm[24];

	str_mask_id(db_col_text(st, 2), idm, sizeof idm);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:i, s:s, s:s, s:o, s:s}", "plan_id", (json_int_t)db_col_int(st, 0),
			 "person_id", (json_int_t)db_col_int(st, 1), "id_number", idm, "name", db_col_text(st, 3),
			 "area_name", jx_str_or_null(db_col_text(st, 4)), "level", (int)db_col_int(st, 5), "mode",
			 db_col_text(st, 6), "ended_on", db_col_text(st, 7), "end_reason", jx_str_or_null(db_col_text(st, 8)),
			 "new_plan", db_col_int(st, 9) ? "已有新计划" : "待重新选择机构");
}

int provider_handover(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items;
	int64_t n = 0;
	int rc;

	(void)a;
	rc = db_int(db, &n, e, "SELECT COUNT(*) FROM providers WHERE id = $1", DB_INT(id));
	if (!rc && !n)
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理机构不存在");
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT cp.id, p.id, p.id_number, p.name, ar.name, cp.level, cp.mode, cp.ended_on, cp.end_reason,"
			      " (SELECT COUNT(*) FROM care_plans n WHERE n.person_id = cp.person_id AND n.id > cp.id"
			      "  AND n.status IN ('draft', 'confirmed', 'active'))"
			      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
			      " WHERE cp.provider_id = $1 AND cp.status = 'ended'"
			      " AND cp.end_reason IN ('provider_terminated', 'agreement_terminated')"
			      " ORDER BY cp.ended_on DESC, p.name LIMIT $2",
			      DB_INT(id), DB_INT(LIMIT_HANDOVER_LIST));
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, handover_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

int provider_accepts(struct db *db, const struct scheme *s, int64_t provider, const char *mode, int64_t street,
		     int32_t day, const char *field, int64_t *agreement, struct err *e)
{
	struct db_stmt *st = NULL;
	char day_s[DATE_STR], status[16] = "", until[DATE_STR] = "", name[160] = "";
	bool institution = strcmp(mode, "institution") == 0, found = false;
	int64_t capacity = 0, used = 0;
	int rc;

	(void)s;
	*agreement = 0;
	date_format(day, day_s);
	rc = db_query(db, &st, e, "SELECT status, barred_until, name FROM providers WHERE id = $1", DB_INT(provider));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(status, db_col_text(st, 0), sizeof status);
		str_copy(until, db_col_text(st, 1) ? db_col_text(st, 1) : "", sizeof until);
		str_copy(name, db_col_text(st, 2), sizeof name);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INVALID, field, "护理机构不存在");
	}
	db_done(st);
	if (rc)
		return rc;
	if (strcmp(effective_status(status, until, day_s), "active") != 0)
		return err_set(e, ERR_CONFLICT, field, "%s当前%s%s%s，不能接收新的服务对象", name, provider_status_label(status),
			       strcmp(status, "barred") == 0 ? "至" : "", strcmp(status, "barred") == 0 ? until : "");
	/* an agreement in force that day with the mode; home and family care also need the person's street */
	rc = db_query(db, &st, e,
		      "SELECT g.id, g.capacity,"
		      " (SELECT COUNT(*) FROM care_plans cp WHERE cp.agreement_id = g.id AND cp.status IN ('active', 'confirmed'))"
		      " FROM agreements g WHERE g.provider_id = $1 AND g.status = 'active' AND g.valid_from <= $2"
		      " AND g.valid_until >= $2 AND (',' || g.modes || ',') LIKE ('%,' || $3 || ',%')"
		      " AND ($4 = 1 OR EXISTS (SELECT 1 FROM agreement_areas ga WHERE ga.agreement_id = g.id AND ga.area_id = $5))"
		      " ORDER BY g.valid_until DESC, g.id",
		      DB_INT(provider), DB_TEXT(day_s), DB_TEXT(mode), DB_INT(institution), DB_INT(street));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		found = true;
		if (db_col_int(st, 2) < db_col_int(st, 1)) {
			*agreement = db_col_int(st, 0);
			break;
		}
		capacity = db_col_int(st, 1);
		used = db_col_int(st, 2);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc)
		return rc;
	if (!found) {
		int m = care_mode_parse(mode);
		return err_set(e, ERR_CONFLICT, field, "%s在%s没有覆盖该街道的有效%s服务协议", name, day_s,
			       m >= 0 ? care_mode_label((enum care_mode)m) : mode);
	}
	if (!*agreement)
		return err_set(e, ERR_CONFLICT, field, "%s服务协议的容量已满（%lld/%lld人）", name, (long long)used,
			       (long long)capacity);
	return 0;
}
