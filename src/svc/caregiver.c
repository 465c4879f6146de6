/* caregiver.c: caregivers, their employment, certificates and status, the "qualified on day D" answer and the
 * workforce statistics (see caregiver.h). */
#include "svc/caregiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/person.h"
#include "svc/provider.h"
#include "svc/rows.h"

static const char *const statuses[][2] = {
	{"active", "在岗"},
	{"suspended", "暂停结算"},
	{"terminated", "已解除"},
};

static const char *const cert_kinds[][2] = {
	{"care_worker", "养老护理员职业技能等级证书"},
	{"nurse", "护士执业证书"},
	{"health_aide", "健康照护师证书"},
	{"family_training", "亲情护理培训合格证"},
	{"other", "其他证书"},
};

static const char *label_of(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return NULL;
}

const char *caregiver_status_label(const char *status)
{
	const char *l = label_of(statuses, sizeof statuses / sizeof statuses[0], status);
	return l ? l : "";
}

static const char *skill_label(int level)
{
	static const char *const names[] = {"无等级", "一级/高级技师", "二级/技师", "三级/高级工", "四级/中级工", "五级/初级工"};
	return level >= 0 && level <= 5 ? names[level] : "";
}

int caregiver_check_identity(const char *id_number, const char *name, const char *phone, int32_t today,
			     struct err *e)
{
	struct idcard id;
	int rc = idcard_parse(id_number, today, &id, "id_number", e);

	if (!rc)
		rc = person_check_name(name, "name", e);
	if (!rc && phone && *phone && !str_phone_valid(phone))
		rc = err_set(e, ERR_INVALID, "phone", "电话号码格式不正确（手机11位，或区号-号码）");
	if (!rc && date_age_years(id.birth, today) < 16)
		rc = err_set(e, ERR_INVALID, "id_number", "护理员应年满16周岁");
	return rc;
}

/* ---- visibility ---- */

/* Provider staff see their provider's caregivers; area staff see every provider's caregivers and the family
 * caregivers of the persons in their area. $1 provider, $2 area LIKE pattern. */
#define CG_VISIBLE                                                                                                 \
	"($1 = 0 OR c.provider_id = $1) AND ($2 = '' OR c.kind = 'staff' OR c.person_id IN (SELECT vp.id FROM persons vp" \
	" JOIN areas va ON va.id = vp.area_id WHERE va.path LIKE $2))"

/* ---- qualified on day D ---- */

static void add_period(struct qual_period **v, int *n, int *cap, int32_t from, int32_t until)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, (size_t)*cap * sizeof **v);
	}
	(*v)[*n].from = from;
	(*v)[*n].until = until;
	(*n)++;
}

static int32_t day_or(const char *s, int32_t def)
{
	int32_t d;
	return s && date_parse(s, &d) ? d : def;
}

int caregiver_qualified(struct db *db, int64_t id, int64_t provider, int32_t day, enum qual_result *result,
			struct err *e)
{
	struct db_stmt *st = NULL;
	struct qual_facts f = {0};
	struct qual_period *susp = NULL, *certs = NULL;
	struct qual_employment *emp = NULL;
	int ns = 0, cs = 0, nc = 0, cc = 0, ne = 0, ce = 0;
	bool family = false;
	int rc = db_query(db, &st, e, "SELECT kind, terminated_on, created_at FROM caregivers WHERE id = $1", DB_INT(id));

	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		family = strcmp(db_col_text(st, 0), "family") == 0;
		f.terminated_on = day_or(db_col_text(st, 1), 0);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "caregiver_id", "护理员不存在");
	}
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT from_date, until_date FROM caregiver_suspensions WHERE caregiver_id = $1",
			      DB_INT(id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		add_period(&susp, &ns, &cs, day_or(db_col_text(st, 0), 0), day_or(db_col_text(st, 1), QUAL_OPEN));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT issued_on, expires_on FROM caregiver_certificates WHERE caregiver_id = $1",
			      DB_INT(id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		add_period(&certs, &nc, &cc, day_or(db_col_text(st, 0), 0), day_or(db_col_text(st, 1), 0));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT provider_id, from_date, until_date FROM caregiver_employments WHERE caregiver_id = $1",
			      DB_INT(id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (ne == ce) {
			ce = ce ? ce * 2 : 4;
			emp = xrealloc(emp, (size_t)ce * sizeof *emp);
		}
		emp[ne].provider_id = db_col_int(st, 0);
		emp[ne].from = day_or(db_col_text(st, 1), 0);
		emp[ne].until = day_or(db_col_text(st, 2), QUAL_OPEN);
		ne++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc) {
		/* a family caregiver works for the beneficiary, not for a provider */
		struct qual_employment self = {0, 0, QUAL_OPEN};
		f.suspensions = susp;
		f.n_suspensions = ns;
		f.certificates = certs;
		f.n_certificates = nc;
		f.employments = family ? &self : emp;
		f.n_employments = family ? 1 : ne;
		*result = qualify_on(&f, family ? 0 : provider, day);
	}
	free(susp);
	free(certs);
	free(emp);
	return rc;
}

/* ---- reads ---- */

static json_t *list_row(struct db_stmt *st)
{
	char idm[24], phone[24] = "";
	int32_t birth = day_or(db_col_text(st, 4), 0), today = date_today_cn();
	json_t *o;

	str_mask_id(db_col_text(st, 1), idm, sizeof idm);
	if (db_col_text(st, 5))
		str_mask_phone(db_col_text(st, 5), phone, sizeof phone);
	o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:o, s:s, s:s, s:s, s:o, s:I, s:b, s:i, s:s, s:o}", "id",
		      (json_int_t)db_col_int(st, 0), "id_number", idm, "name", db_col_text(st, 2), "sex", db_col_text(st, 3),
		      "age", date_age_years(birth, today), "phone", phone[0] ? json_string(phone) : json_null(), "kind",
		      db_col_text(st, 6), "status", db_col_text(st, 7), "status_label", caregiver_status_label(db_col_text(st, 7)),
		      "suspended_until", jx_str_or_null(db_col_text(st, 8)), "training_hours", (json_int_t)db_col_int(st, 9),
		      "qualified_today", db_col_int(st, 10) != 0, "skill_level", (int)db_col_int(st, 11), "skill_label",
		      skill_label((int)db_col_int(st, 11)), "certificate_expires_on", jx_str_or_null(db_col_text(st, 12)));
	json_object_set_new(o, "provider",
			    db_col_null(st, 13) ? json_null()
						: json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 13), "name",
							    db_col_text(st, 14)));
	json_object_set_new(o, "person",
			    db_col_null(st, 15) ? json_null()
						: json_pack("{s:I, s:s, s:o}", "id", (json_int_t)db_col_int(st, 15), "name",
							    db_col_text(st, 16), "relation", jx_str_or_null(db_col_text(st, 17))));
	return o;
}

/* Columns of a caregiver row; $3 is today. Qualified today: active, no suspension today, employed (or family),
 * a certificate valid today. */
#define CG_COLS                                                                                                    \
	"c.id, c.id_number, c.name, c.sex, c.birth_date, c.phone, c.kind, c.status, c.suspended_until,"               \
	" c.training_hours,"                                                                                         \
	" CASE WHEN c.status = 'active' AND (c.terminated_on IS NULL OR c.terminated_on > $3)"                        \
	"  AND NOT EXISTS (SELECT 1 FROM caregiver_suspensions s WHERE s.caregiver_id = c.id AND s.from_date <= $3"    \
	"   AND s.until_date >= $3)"                                                                                 \
	"  AND (c.kind = 'family' OR EXISTS (SELECT 1 FROM caregiver_employments m WHERE m.caregiver_id = c.id"      \
	"   AND m.from_date <= $3 AND (m.until_date IS NULL OR m.until_date >= $3)))"                                \
	"  AND EXISTS (SELECT 1 FROM caregiver_certificates q WHERE q.caregiver_id = c.id AND q.issued_on <= $3"       \
	"   AND q.expires_on >= $3) THEN 1 ELSE 0 END,"                                                              \
	" COALESCE((SELECT MIN(q.skill_level) FROM caregiver_certificates q WHERE q.caregiver_id = c.id"             \
	"  AND q.skill_level > 0 AND q.issued_on <= $3 AND q.expires_on >= $3), 0),"                                 \
	" (SELECT MIN(q.expires_on) FROM caregiver_certificates q WHERE q.caregiver_id = c.id AND q.expires_on >= $3)," \
	" pr.id, pr.name, pe.id, pe.name, c.relation"                                                                \
	" FROM caregivers c LEFT JOIN providers pr ON pr.id = c.provider_id LEFT JOIN persons pe ON pe.id = c.person_id"

int caregiver_list(struct db *db, const struct actor *a, const struct caregiver_filter *f, json_t **out,
		   struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180], today[DATE_STR], limit[DATE_STR] = "", name[160] = "", last4[24] = "";
	int64_t total = 0, provider = a->provider_id ? a->provider_id : f->provider_id;
	json_t *items;
	int rc;

	if (f->status && *f->status && !label_of(statuses, sizeof statuses / sizeof statuses[0], f->status))
		return err_set(e, ERR_INVALID, "status", "状态应为active、suspended或terminated");
	if (f->kind && *f->kind && strcmp(f->kind, "staff") && strcmp(f->kind, "family"))
		return err_set(e, ERR_INVALID, "kind", "类型应为staff（机构护理员）或family（亲情护理员）");
	if (f->q && *f->q) {
		if (strlen(f->q) > 60)
			return err_set(e, ERR_INVALID, "q", "查询条件过长");
		/* digits (and a final X): the end of an ID number; otherwise a name prefix */
		if (strlen(f->q) >= 4 && strspn(f->q, "0123456789Xx") == strlen(f->q)) {
			snprintf(last4, sizeof last4, "%%%s", f->q);
			for (char *c = last4; *c; c++)
				if (*c == 'x')
					*c = 'X';
		} else {
			str_like_contains(f->q, name, sizeof name);
			memmove(name, name + 1, strlen(name)); /* a prefix: drop the leading % */
		}
	}
	actor_area_like(a, scope, sizeof scope);
	if (a->provider_id)
		scope[0] = '\0'; /* their own provider's staff: the provider filter does it */
	date_format(date_today_cn(), today);
	if (f->expiring_within > 0)
		date_format(date_today_cn() + f->expiring_within, limit);
#define WHERE                                                                                                      \
	" WHERE " CG_VISIBLE " AND ($4 = '' OR c.name LIKE $4 ESCAPE '\\') AND ($5 = '' OR c.id_number LIKE $5)"    \
	" AND ($6 = '' OR c.kind = $6) AND ($7 = '' OR c.status = $7) AND ($8 = 0 OR c.person_id = $8)"              \
	" AND ($9 = '' OR EXISTS (SELECT 1 FROM caregiver_certificates x WHERE x.caregiver_id = c.id"                \
	"  AND x.expires_on >= $3 AND x.expires_on <= $9))"
#define ARGS                                                                                                       \
	DB_INT(provider), DB_TEXT(scope), DB_TEXT(today), DB_TEXT(name), DB_TEXT(last4),                            \
		DB_TEXT(f->kind ? f->kind : ""), DB_TEXT(f->status ? f->status : ""), DB_INT(f->person_id),          \
		DB_TEXT(limit)
	rc = db_int(db, &total, e, "SELECT COUNT(*) FROM caregivers c" WHERE, ARGS);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT " CG_COLS WHERE " ORDER BY c.id DESC LIMIT $10 OFFSET $11", ARGS,
			      DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef WHERE
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, list_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

static json_t *employment_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)db_col_int(st, 0), "provider_id",
			 (json_int_t)db_col_int(st, 1), "provider_name", db_col_text(st, 2), "from", db_col_text(st, 3),
			 "until", jx_str_or_null(db_col_text(st, 4)));
}

static json_t *certificate_row(struct db_stmt *st)
{
	char today[DATE_STR];
	const char *kind = db_col_text(st, 1), *label = label_of(cert_kinds, sizeof cert_kinds / sizeof cert_kinds[0], kind);

	date_format(date_today_cn(), today);
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "kind", kind,
			 "kind_label", label ? label : kind, "number", db_col_text(st, 2), "skill_level",
			 (int)db_col_int(st, 3), "skill_label", skill_label((int)db_col_int(st, 3)), "issued_on",
			 db_col_text(st, 4), "expires_on", db_col_text(st, 5), "valid_today",
			 strcmp(db_col_text(st, 4), today) <= 0 && strcmp(db_col_text(st, 5), today) >= 0);
}

static json_t *suspension_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "from", db_col_text(st, 1),
			 "until", db_col_text(st, 2), "reason", db_col_text(st, 3), "decided_by", db_col_text(st, 4),
			 "decided_at", (json_int_t)db_col_int(st, 5));
}

int caregiver_get(struct db *db, const struct actor *a, int64_t id, bool audit, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180], today[DATE_STR], ids[24];
	json_t *o = NULL;
	enum qual_result q = QUAL_OK;
	int rc;

	actor_area_like(a, scope, sizeof scope);
	if (a->provider_id)
		scope[0] = '\0';
	date_format(date_today_cn(), today);
	rc = db_query(db, &st, e, "SELECT " CG_COLS " WHERE " CG_VISIBLE " AND c.id = $4", DB_INT(a->provider_id),
		      DB_TEXT(scope), DB_TEXT(today), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = list_row(st);
		/* the full record: unmasked identity and phone */
		json_object_set_new(o, "id_number", json_string(db_col_text(st, 1)));
		json_object_set_new(o, "phone", jx_str_or_null(db_col_text(st, 5)));
		json_object_set_new(o, "birth_date", json_string(db_col_text(st, 4)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理员不存在");
	}
	db_done(st);
	if (!rc)
		rc = rows_by_id(db, o, "employments",
				"SELECT m.id, m.provider_id, p.name, m.from_date, m.until_date FROM caregiver_employments m"
				" JOIN providers p ON p.id = m.provider_id WHERE m.caregiver_id = $1 ORDER BY m.from_date DESC, m.id DESC",
				id, employment_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "certificates",
				"SELECT id, kind, number, skill_level, issued_on, expires_on FROM caregiver_certificates"
				" WHERE caregiver_id = $1 ORDER BY expires_on DESC, id DESC",
				id, certificate_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "suspensions",
				"SELECT id, from_date, until_date, reason, decided_by, decided_at FROM caregiver_suspensions"
				" WHERE caregiver_id = $1 ORDER BY from_date DESC, id DESC",
				id, suspension_row, e);
	if (!rc)
		rc = caregiver_qualified(db, id, 0, date_today_cn(), &q, e);
	if (!rc) {
		json_object_set_new(o, "qualification",
				    json_pack("{s:s, s:s, s:s}", "on", today, "result", qual_result_code(q), "text",
					      qual_result_text(q)));
		if (audit) {
			snprintf(ids, sizeof ids, "%lld", (long long)id);
			rc = audit_append(db, a, "caregiver.read", "caregiver", ids, AUDIT_OK, NULL, e);
		}
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- writes ---- */

static int check_certificate(const json_t *c, const char *prefix, struct err *e)
{
	static const struct jx_field fields[] = {
		{"kind", JX_STRING, JX_REQUIRED, 1, 24},
		{"number", JX_STRING, JX_REQUIRED, 1, 40},
		{"skill_level", JX_INT, 0, 0, 5},
		{"issued_on", JX_STRING, JX_REQUIRED, 10, 10},
		{"expires_on", JX_STRING, JX_REQUIRED, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	char path[64];
	int32_t issued, expires;
	int rc = jx_check(c, fields, prefix, e);

	if (rc)
		return rc;
	if (!label_of(cert_kinds, sizeof cert_kinds / sizeof cert_kinds[0], jx_str(c, "kind"))) {
		snprintf(path, sizeof path, "%s.kind", prefix);
		return err_set(e, ERR_INVALID, path, "证书类型应为care_worker、nurse、health_aide、family_training或other");
	}
	if (str_has_control(jx_str(c, "number"), false)) {
		snprintf(path, sizeof path, "%s.number", prefix);
		return err_set(e, ERR_INVALID, path, "证书编号含有控制字符");
	}
	if (!date_parse(jx_str(c, "issued_on"), &issued)) {
		snprintf(path, sizeof path, "%s.issued_on", prefix);
		return err_set(e, ERR_INVALID, path, "日期应为YYYY-MM-DD");
	}
	if (!date_parse(jx_str(c, "expires_on"), &expires) || expires < issued) {
		snprintf(path, sizeof path, "%s.expires_on", prefix);
		return err_set(e, ERR_INVALID, path, "有效期至应为YYYY-MM-DD，且不早于发证日期");
	}
	if (issued > date_today_cn()) {
		snprintf(path, sizeof path, "%s.issued_on", prefix);
		return err_set(e, ERR_INVALID, path, "发证日期不能晚于今天");
	}
	return 0;
}

static int insert_certificate(struct db *db, int64_t caregiver, const json_t *c, const char *path, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(db, &n, e, "SELECT COUNT(*) FROM caregiver_certificates WHERE kind = $1 AND number = $2",
			DB_TEXT(jx_str(c, "kind")), DB_TEXT(jx_str(c, "number")));

	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, path, "证书编号%s已登记", jx_str(c, "number"));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on, expires_on,"
			     " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_INT(caregiver), DB_TEXT(jx_str(c, "kind")), DB_TEXT(jx_str(c, "number")),
			     DB_INT(jx_int(c, "skill_level", 0)), DB_TEXT(jx_str(c, "issued_on")),
			     DB_TEXT(jx_str(c, "expires_on")), DB_INT(date_now_unix()));
	return rc;
}

/* A provider that exists and is not terminated; provider staff may only name their own. */
static int check_employer(struct db *db, const struct actor *a, int64_t provider, const char *field, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	if (a->provider_id && a->provider_id != provider)
		return err_set(e, ERR_FORBIDDEN, field, "只能登记本机构的护理员");
	rc = db_query(db, &st, e, "SELECT status FROM providers WHERE id = $1", DB_INT(provider));
	if (!rc && (rc = db_step(st, e)) == DB_ROW)
		rc = strcmp(db_col_text(st, 0), "terminated") == 0 ? err_set(e, ERR_CONFLICT, field, "该机构已终止协议") : 0;
	else if (rc == DB_DONE)
		rc = err_set(e, ERR_INVALID, field, "护理机构不存在");
	db_done(st);
	return rc;
}

int caregiver_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e)
{
	static const struct jx_field fields[] = {
		{"id_number", JX_STRING, JX_REQUIRED, 15, 18},
		{"name", JX_STRING, JX_REQUIRED, 1, 150},
		{"phone", JX_STRING, JX_NULLABLE, 1, 20},
		{"kind", JX_STRING, JX_REQUIRED, 1, 8},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"employed_from", JX_STRING, JX_NULLABLE, 10, 10},
		{"person_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"relation", JX_STRING, JX_NULLABLE, 1, 30},
		{"training_hours", JX_INT, 0, 0, 10000},
		{"certificates", JX_ARRAY, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	struct idcard idc;
	const char *kind;
	bool family;
	int32_t today = date_today_cn(), from = today;
	int64_t provider = 0, person = 0, n = 0, now = date_now_unix();
	char from_s[DATE_STR], ids[24];
	json_t *certs, *c;
	size_t i;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	kind = jx_str(in, "kind");
	family = strcmp(kind, "family") == 0;
	if (!family && strcmp(kind, "staff") != 0)
		return err_set(e, ERR_INVALID, "kind", "类型应为staff（机构护理员）或family（亲情护理员）");
	rc = caregiver_check_identity(jx_str(in, "id_number"), jx_str(in, "name"), jx_str(in, "phone"), today, e);
	if (!rc)
		rc = idcard_parse(jx_str(in, "id_number"), today, &idc, "id_number", e);
	if (rc)
		return rc;
	if (jx_str(in, "employed_from") && !date_parse(jx_str(in, "employed_from"), &from))
		return err_set(e, ERR_INVALID, "employed_from", "日期应为YYYY-MM-DD");
	certs = json_object_get(in, "certificates");
	if (json_array_size(certs) > LIMIT_CAREGIVER_CERTIFICATES)
		return err_set(e, ERR_INVALID, "certificates", "证书最多%d个", LIMIT_CAREGIVER_CERTIFICATES);
	json_array_foreach(certs, i, c) {
		char path[32];
		snprintf(path, sizeof path, "certificates[%zu]", i);
		rc = check_certificate(c, path, e);
		if (rc)
			return rc;
	}
	if (family) {
		struct db_stmt *st = NULL;
		char scope[180];
		if (a->provider_id)
			return err_set(e, ERR_FORBIDDEN, "kind", "亲情护理员由经办机构或社区护士登记");
		if (jx_has(in, "provider_id"))
			return err_set(e, ERR_INVALID, "provider_id", "亲情护理员不属于护理机构");
		person = jx_int(in, "person_id", 0);
		if (!person)
			return err_set(e, ERR_INVALID, "person_id", "亲情护理员须指定所照护的参保人");
		if (!jx_str(in, "relation"))
			return err_set(e, ERR_INVALID, "relation", "须填写与参保人的关系");
		if (jx_int(in, "training_hours", 0) < s->care.family_training_hours)
			return err_set(e, ERR_INVALID, "training_hours", "亲情护理员须经培训不少于%d学时", s->care.family_training_hours);
		actor_area_like(a, scope, sizeof scope);
		rc = db_query(db, &st, e,
			      "SELECT p.id_number FROM persons p LEFT JOIN areas ar ON ar.id = p.area_id"
			      " WHERE p.id = $1 AND ($2 = '' OR ar.path LIKE $2)",
			      DB_INT(person), DB_TEXT(scope));
		if (!rc && (rc = db_step(st, e)) == DB_ROW)
			rc = strcmp(db_col_text(st, 0), idc.number) == 0
				     ? err_set(e, ERR_INVALID, "id_number", "参保人本人不能登记为自己的亲情护理员")
				     : 0;
		else if (rc == DB_DONE)
			rc = err_set(e, ERR_INVALID, "person_id", "参保人不存在或不在您的管辖范围");
		db_done(st);
		if (!rc)
			rc = db_int(db, &n, e,
				    "SELECT COUNT(*) FROM caregivers WHERE person_id = $1 AND kind = 'family' AND status <> 'terminated'",
				    DB_INT(person));
		if (!rc && n)
			rc = err_set(e, ERR_CONFLICT, "person_id", "该参保人已有亲情护理员");
	} else {
		if (jx_has(in, "person_id"))
			return err_set(e, ERR_INVALID, "person_id", "机构护理员不与参保人绑定");
		provider = jx_int(in, "provider_id", a->provider_id);
		if (!provider)
			return err_set(e, ERR_INVALID, "provider_id", "须指定所属护理机构");
		rc = check_employer(db, a, provider, "provider_id", e);
	}
	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM caregivers WHERE id_number = $1", DB_TEXT(idc.number));
	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, "id_number", "该身份证号的护理员已登记");
	if (rc)
		return rc;
	date_format(from, from_s);
	{
		char birth[DATE_STR], sex[2] = {idc.sex, 0};
		date_format(idc.birth, birth);
		rc = db_begin(db, e);
		if (!rc)
			rc = db_int(db, id, e,
				    "INSERT INTO caregivers (id_number, name, sex, birth_date, phone, kind, provider_id, person_id,"
				    " relation, training_hours, status, created_at, updated_at)"
				    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $11) RETURNING id",
				    DB_TEXT(idc.number), DB_TEXT(jx_str(in, "name")), DB_TEXT(sex), DB_TEXT(birth),
				    DB_TEXT(jx_str(in, "phone")), DB_TEXT(kind), DB_INT_OR_NULL(provider != 0, provider),
				    DB_INT_OR_NULL(person != 0, person), DB_TEXT(family ? jx_str(in, "relation") : NULL),
				    DB_INT(jx_int(in, "training_hours", 0)), DB_INT(now));
	}
	if (!rc && !family)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date) VALUES ($1, $2, $3)",
			     DB_INT(*id), DB_INT(provider), DB_TEXT(from_s));
	json_array_foreach(certs, i, c) {
		char path[32];
		if (rc)
			break;
		snprintf(path, sizeof path, "certificates[%zu].number", i);
		rc = insert_certificate(db, *id, c, path, e);
	}
	if (!rc) {
		json_t *detail = json_deep_copy(in);
		json_object_del(detail, "id_number"); /* no identity number in the audit detail: the target names the row */
		snprintf(ids, sizeof ids, "%lld", (long long)*id);
		rc = audit_append(db, a, "caregiver.create", "caregiver", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* The caregiver as seen by the actor (ERR_NOT_FOUND outside its scope). */
static int load_visible(struct db *db, const struct actor *a, int64_t id, char *kind, size_t ksize, char *status,
			size_t ssize, int64_t *provider, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180];
	int rc;

	actor_area_like(a, scope, sizeof scope);
	if (a->provider_id)
		scope[0] = '\0';
	rc = db_query(db, &st, e,
		      "SELECT c.kind, c.status, COALESCE(c.provider_id, 0) FROM caregivers c WHERE " CG_VISIBLE " AND c.id = $3",
		      DB_INT(a->provider_id), DB_TEXT(scope), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(kind, db_col_text(st, 0), ksize);
		str_copy(status, db_col_text(st, 1), ssize);
		*provider = db_col_int(st, 2);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理员不存在");
	}
	db_done(st);
	return rc;
}

static int audit_and_commit(struct db *db, struct actor *a, const char *action, int64_t id, const json_t *detail,
			    struct err *e)
{
	char ids[24];
	int rc;

	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = audit_append(db, a, action, "caregiver", ids, AUDIT_OK, detail, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int caregiver_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, 0, 1, 150},
		{"phone", JX_STRING, JX_NULLABLE, 1, 20},
		{"training_hours", JX_INT, 0, 0, 10000},
		{"user_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	char kind[16], status[16];
	int64_t provider, now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_visible(db, a, id, kind, sizeof kind, status, sizeof status, &provider, e);
	/* the account the caregiver signs in with on the phone: a caregiver account of the same provider; for a family
	 * caregiver (no provider), of the provider whose family-care plan they look after */
	if (!rc && jx_int(in, "user_id", 0)) {
		struct db_stmt *st = NULL;
		int64_t taken = 0, serves = 0;
		rc = db_query(db, &st, e,
			      "SELECT u.role, COALESCE(u.provider_id, 0), (SELECT COUNT(*) FROM care_plans cp"
			      " WHERE cp.family_caregiver_id = $2 AND cp.provider_id = u.provider_id) FROM users u"
			      " WHERE u.id = $1 AND u.status = 'active'",
			      DB_INT(jx_int(in, "user_id", 0)), DB_INT(id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			serves = db_col_int(st, 2);
			if (strcmp(db_col_text(st, 0), "caregiver") != 0)
				rc = err_set(e, ERR_INVALID, "user_id", "应为护理员账号");
			else if (strcmp(kind, "family") == 0 && !serves)
				rc = err_set(e, ERR_INVALID, "user_id", "家庭护理员应关联其家庭护理计划所属机构的护理员账号");
			else if (strcmp(kind, "family") != 0 && db_col_int(st, 1) != provider)
				rc = err_set(e, ERR_INVALID, "user_id", "应为本机构的护理员账号");
			else
				rc = 0;
		} else if (rc == DB_DONE)
			rc = err_set(e, ERR_INVALID, "user_id", "账号不存在或已停用");
		db_done(st);
		if (!rc)
			rc = db_int(db, &taken, e, "SELECT COUNT(*) FROM caregivers WHERE user_id = $1 AND id <> $2",
				    DB_INT(jx_int(in, "user_id", 0)), DB_INT(id));
		if (!rc && taken)
			rc = err_set(e, ERR_CONFLICT, "user_id", "该账号已关联其他护理员");
	}
	if (!rc && jx_str(in, "name"))
		rc = person_check_name(jx_str(in, "name"), "name", e);
	if (!rc && jx_str(in, "phone") && !str_phone_valid(jx_str(in, "phone")))
		rc = err_set(e, ERR_INVALID, "phone", "电话号码格式不正确（手机11位，或区号-号码）");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc && jx_str(in, "name"))
		rc = db_exec(db, NULL, e, "UPDATE caregivers SET name = $1, updated_at = $2 WHERE id = $3",
			     DB_TEXT(jx_str(in, "name")), DB_INT(now), DB_INT(id));
	if (!rc && jx_has(in, "phone"))
		rc = db_exec(db, NULL, e, "UPDATE caregivers SET phone = $1, updated_at = $2 WHERE id = $3",
			     DB_TEXT(jx_str(in, "phone")), DB_INT(now), DB_INT(id));
	if (!rc && jx_has(in, "training_hours"))
		rc = db_exec(db, NULL, e, "UPDATE caregivers SET training_hours = $1, updated_at = $2 WHERE id = $3",
			     DB_INT(jx_int(in, "training_hours", 0)), DB_INT(now), DB_INT(id));
	if (!rc && jx_has(in, "user_id"))
		rc = db_exec(db, NULL, e, "UPDATE caregivers SET user_id = $1, updated_at = $2 WHERE id = $3",
			     DB_INT_OR_NULL(jx_int(in, "user_id", 0) != 0, jx_int(in, "user_id", 0)), DB_INT(now), DB_INT(id));
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_and_commit(db, a, "caregiver.update", id, in, e);
}

int caregiver_add_certificate(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	char kind[16], status[16];
	int64_t provider, n = 0;
	int rc = check_certificate(in, "", e);

	if (!rc)
		rc = load_visible(db, a, id, kind, sizeof kind, status, sizeof status, &provider, e);
	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM caregiver_certificates WHERE caregiver_id = $1", DB_INT(id));
	if (!rc && n >= LIMIT_CAREGIVER_CERTIFICATES)
		rc = err_set(e, ERR_CONFLICT, "number", "证书最多%d个", LIMIT_CAREGIVER_CERTIFICATES);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = insert_certificate(db, id, in, "number", e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_and_commit(db, a, "caregiver.certificate", id, in, e);
}

int caregiver_move(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"provider_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"from", JX_STRING, JX_REQUIRED, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	char kind[16] = "", status[16] = "", last[DATE_STR], from_s[DATE_STR], open_from[DATE_STR] = "";
	int64_t provider = 0, target, now = date_now_unix();
	int32_t from;
	bool has_open = false;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	target = jx_int(in, "provider_id", 0);
	if (!date_parse(jx_str(in, "from"), &from))
		return err_set(e, ERR_INVALID, "from", "日期应为YYYY-MM-DD");
	/* the receiving provider's staff may take on a caregiver, so they look past their own scope here */
	{
		struct actor wide = *a;
		if (a->provider_id)
			wide.provider_id = 0, str_copy(wide.area_level, "region", sizeof wide.area_level);
		rc = load_visible(db, &wide, id, kind, sizeof kind, status, sizeof status, &provider, e);
	}
	if (!rc && strcmp(kind, "family") == 0)
		rc = err_set(e, ERR_INVALID, "provider_id", "亲情护理员不属于护理机构");
	if (!rc && strcmp(status, "terminated") == 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该护理员已解除，不能变更所属机构");
	if (!rc && provider == target)
		rc = err_set(e, ERR_INVALID, "provider_id", "已是该机构的护理员");
	if (!rc)
		rc = check_employer(db, a, target, "provider_id", e);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT from_date FROM caregiver_employments WHERE caregiver_id = $1 AND until_date IS NULL",
			      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		has_open = true;
		str_copy(open_from, db_col_text(st, 0), sizeof open_from);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	/* provider staff take on only someone whom no other provider employs on that day */
	if (!rc && a->provider_id && has_open)
		rc = err_set(e, ERR_CONFLICT, "provider_id", "该护理员仍受雇于其他机构，须由原机构解除或经办机构办理变更");
	date_format(from, from_s);
	if (!rc && has_open && strcmp(from_s, open_from) <= 0)
		rc = err_set(e, ERR_INVALID, "from", "新机构的起始日期应晚于现机构的起始日期%s", open_from);
	if (rc)
		return rc;
	date_format(from - 1, last);
	rc = db_begin(db, e);
	if (!rc && has_open)
		rc = db_exec(db, NULL, e,
			     "UPDATE caregiver_employments SET until_date = $1 WHERE caregiver_id = $2 AND until_date IS NULL",
			     DB_TEXT(last), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date) VALUES ($1, $2, $3)",
			     DB_INT(id), DB_INT(target), DB_TEXT(from_s));
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE caregivers SET provider_id = $1, updated_at = $2 WHERE id = $3",
			     DB_INT(target), DB_INT(now), DB_INT(id));
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_and_commit(db, a, "caregiver.move", id, in, e);
}

int caregiver_set_status(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"status", JX_STRING, JX_REQUIRED, 1, 16},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{"from", JX_STRING, JX_NULLABLE, 10, 10},
		{"until", JX_STRING, JX_NULLABLE, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	char kind[16], current[16], from_s[DATE_STR], until_s[DATE_STR] = "", before[DATE_STR];
	const char *status;
	int64_t provider, now = date_now_unix();
	int32_t today = date_today_cn(), from = today, until = 0;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_visible(db, a, id, kind, sizeof kind, current, sizeof current, &provider, e);
	if (rc)
		return rc;
	status = jx_str(in, "status");
	if (!label_of(statuses, sizeof statuses / sizeof statuses[0], status))
		return err_set(e, ERR_INVALID, "status", "状态应为active（恢复）、suspended（暂停结算）或terminated（解除）");
	if (jx_str(in, "from") && !date_parse(jx_str(in, "from"), &from))
		return err_set(e, ERR_INVALID, "from", "日期应为YYYY-MM-DD");
	if (strcmp(current, "terminated") == 0)
		return err_set(e, ERR_CONFLICT, "status", "该护理员已解除");
	if (strcmp(status, "suspended") == 0) {
		if (!jx_str(in, "until") || !date_parse(jx_str(in, "until"), &until) || until < from)
			return err_set(e, ERR_INVALID, "until", "暂停结算须给出截止日期（YYYY-MM-DD），且不早于起始日期");
		if (until > date_add_months(from, 12))
			return err_set(e, ERR_INVALID, "until", "暂停结算期限最长12个月");
		date_format(until, until_s);
	} else if (jx_str(in, "until")) {
		return err_set(e, ERR_INVALID, "until", "只有暂停结算才有截止日期");
	}
	if (strcmp(status, "active") == 0 && strcmp(current, "suspended") != 0)
		return err_set(e, ERR_CONFLICT, "status", "该护理员不在暂停结算期间");
	date_format(from, from_s);
	date_format(from - 1, before);
	rc = db_begin(db, e);
	if (!rc && strcmp(status, "suspended") == 0) {
		rc = db_exec(db, NULL, e,
			     "INSERT INTO caregiver_suspensions (caregiver_id, from_date, until_date, reason, decided_by,"
			     " decided_at) VALUES ($1, $2, $3, $4, $5, $6)",
			     DB_INT(id), DB_TEXT(from_s), DB_TEXT(until_s), DB_TEXT(jx_str(in, "reason")), DB_TEXT(a->username),
			     DB_INT(now));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "UPDATE caregivers SET status = 'suspended', suspended_until = $1, status_reason = $2,"
				     " updated_at = $3 WHERE id = $4",
				     DB_TEXT(until_s), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	} else if (!rc && strcmp(status, "active") == 0) {
		/* lifted early: the suspension in force ends the day before */
		rc = db_exec(db, NULL, e,
			     "UPDATE caregiver_suspensions SET until_date = $1 WHERE caregiver_id = $2 AND from_date <= $3"
			     " AND until_date >= $3",
			     DB_TEXT(before), DB_INT(id), DB_TEXT(from_s));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "UPDATE caregivers SET status = 'active', suspended_until = NULL, status_reason = $1,"
				     " updated_at = $2 WHERE id = $3",
				     DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	} else if (!rc) {
		rc = db_exec(db, NULL, e,
			     "UPDATE caregivers SET status = 'terminated', terminated_on = $1, status_reason = $2, updated_at = $3"
			     " WHERE id = $4",
			     DB_TEXT(from_s), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "UPDATE caregiver_employments SET until_date = $1 WHERE caregiver_id = $2 AND until_date IS NULL",
				     DB_TEXT(before), DB_INT(id));
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_and_commit(db, a, "caregiver.status", id, in, e);
}

/* ---- workforce statistics ---- */

int caregiver_stats(struct db *db, const struct actor *a, int64_t provider_id, json_t **out, struct err *e)
{
	static const struct {
		int min, max;
		const char *label;
	} bands[] = {{0, 39, "40岁以下"}, {40, 49, "40-49岁"}, {50, 54, "50-54岁"}, {55, 59, "55-59岁"},
		     {60, 64, "60-64岁"}, {65, 200, "65岁及以上"}};
	struct db_stmt *st = NULL;
	char today[DATE_STR];
	int32_t now = date_today_cn();
	int64_t provider = a->provider_id ? a->provider_id : provider_id;
	int64_t count = 0, over60 = 0, age_sum = 0, max_age = 0, by_band[6] = {0}, by_level[6] = {0}, qualified = 0;
	int64_t beneficiaries = 0, family = 0;
	json_t *ages, *levels, *providers;
	int rc;

	date_format(now, today);
	rc = db_query(db, &st, e,
		      "SELECT c.birth_date, COALESCE((SELECT MIN(q.skill_level) FROM caregiver_certificates q"
		      "  WHERE q.caregiver_id = c.id AND q.skill_level > 0 AND q.issued_on <= $2 AND q.expires_on >= $2), 0),"
		      " CASE WHEN EXISTS (SELECT 1 FROM caregiver_certificates q WHERE q.caregiver_id = c.id"
		      "  AND q.issued_on <= $2 AND q.expires_on >= $2) THEN 1 ELSE 0 END"
		      " FROM caregivers c WHERE c.kind = 'staff' AND c.status <> 'terminated' AND ($1 = 0 OR c.provider_id = $1)",
		      DB_INT(provider), DB_TEXT(today));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int32_t birth = day_or(db_col_text(st, 0), now);
		int age = date_age_years(birth, now), level = (int)db_col_int(st, 1);
		rc = 0;
		count++;
		age_sum += age;
		if (age > max_age)
			max_age = age;
		if (age >= 60)
			over60++;
		for (int b = 0; b < 6; b++)
			if (age >= bands[b].min && age <= bands[b].max)
				by_band[b]++;
		by_level[level >= 0 && level <= 5 ? level : 0]++;
		qualified += db_col_int(st, 2) != 0;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_int(db, &beneficiaries, e,
			    "SELECT COUNT(DISTINCT person_id) FROM care_plans WHERE status = 'active' AND mode IN ('home', 'family')"
			    " AND ($1 = 0 OR provider_id = $1)",
			    DB_INT(provider));
	if (!rc && !provider)
		rc = db_int(db, &family, e, "SELECT COUNT(*) FROM caregivers WHERE kind = 'family' AND status <> 'terminated'");
	if (rc)
		return rc;
	ages = json_array();
	for (int b = 0; b < 6; b++)
		json_array_append_new(ages, json_pack("{s:s, s:I}", "band", bands[b].label, "count", (json_int_t)by_band[b]));
	levels = json_array();
	for (int l = 1; l <= 5; l++)
		json_array_append_new(levels, json_pack("{s:i, s:s, s:I}", "level", l, "label", skill_label(l), "count",
							(json_int_t)by_level[l]));
	json_array_append_new(levels, json_pack("{s:i, s:s, s:I}", "level", 0, "label", "无有效等级证书", "count",
						(json_int_t)by_level[0]));
	providers = json_array();
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.name, p.kind,"
		      " (SELECT COUNT(*) FROM caregivers c WHERE c.provider_id = p.id AND c.kind = 'staff' AND c.status <> 'terminated'),"
		      " (SELECT COUNT(*) FROM care_plans cp WHERE cp.provider_id = p.id AND cp.status = 'active')"
		      " FROM providers p WHERE ($1 = 0 OR p.id = $1) AND p.status <> 'terminated' ORDER BY p.code",
		      DB_INT(provider));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cg = db_col_int(st, 3), clients = db_col_int(st, 4);
		rc = 0;
		json_array_append_new(providers,
				      json_pack("{s:I, s:s, s:s, s:I, s:I, s:o}", "id", (json_int_t)db_col_int(st, 0), "name",
						db_col_text(st, 1), "kind_label", provider_kind_label(db_col_text(st, 2)),
						"caregivers", (json_int_t)cg, "clients", (json_int_t)clients, "clients_per_caregiver",
						cg ? json_real((double)clients / (double)cg) : json_null()));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(ages);
		json_decref(levels);
		json_decref(providers);
		return rc;
	}
	*out = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:o, s:o, s:I, s:o, s:o}", "on", today, "caregivers",
			 (json_int_t)count, "qualified", (json_int_t)qualified, "over_60", (json_int_t)over60, "over_60_share",
			 count ? json_real((double)over60 / (double)count) : json_null(), "mean_age",
			 count ? json_real((double)age_sum / (double)count) : json_null(), "max_age", (json_int_t)max_age,
			 "beneficiaries", (json_int_t)beneficiaries, "beneficiaries_per_caregiver",
			 count ? json_real((double)beneficiaries / (double)count) : json_null(), "age_bands", ages,
			 "family_caregivers", (json_int_t)family, "skill_levels", levels, "providers", providers);
	return 0;
}
