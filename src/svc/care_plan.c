/* care_plan.c: care plans from draft to confirmation, their lifecycle (switches, new levels, deaths, ended
 * agreements) and the providers a beneficiary may choose from (see care_plan.h). */
#include "svc/care_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "rules/plan.h"
#include "svc/audit.h"
#include "svc/caregiver.h"
#include "svc/provider.h"
#include "svc/rows.h"

static const char *const plan_statuses[][2] = {
	{"draft", "待确认"},     {"confirmed", "已确认待生效"}, {"active", "执行中"},
	{"superseded", "已被替代"}, {"ended", "已终止"},         {"cancelled", "已作废"},
};

static const char *const end_reasons[][2] = {
	{"provider_switch", "更换护理机构"},  {"plan_change", "调整护理计划"}, {"new_level", "失能等级变更"},
	{"death", "参保人死亡"},              {"provider_terminated", "机构终止协议"},
	{"agreement_terminated", "服务协议终止"}, {"certification_expired", "评估结论到期"},
	{"manual", "经办终止"},
};

static const char *label_of(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return key ? key : "";
}

#define STATUS_LABEL(s) label_of(plan_statuses, sizeof plan_statuses / sizeof plan_statuses[0], s)
#define REASON_LABEL(s) label_of(end_reasons, sizeof end_reasons / sizeof end_reasons[0], s)

/* ---- visibility ---- */

/* Provider staff see their provider's plans; area staff the plans of persons in their area; family accounts the
 * plans of the persons they act for. $1 provider, $2 area LIKE, $3 family user. */
#define PLAN_VISIBLE                                                                                               \
	"($1 = 0 OR cp.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2)"                                          \
	" AND ($3 = 0 OR cp.person_id IN (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3))"

struct vis {
	int64_t provider, family;
	char area[180];
};

static void visibility(const struct actor *a, struct vis *v)
{
	v->provider = a->provider_id;
	v->family = a->role == ROLE_APPLICANT ? (a->user_id ? a->user_id : -1) : 0;
	actor_area_like(a, v->area, sizeof v->area);
	if (a->provider_id || v->family)
		v->area[0] = '\0';
}

/* ---- the person ---- */

struct beneficiary {
	int64_t id, street, cert_id;
	int level;
	bool qualifies;
	int32_t cert_from, cert_until;
	char name[160], death[DATE_STR];
	int64_t lat, lon;
	bool has_home;
};

/* The person (in the actor's scope) and the certification in force today or starting next: the latest
 * certified one that has not expired. */
static int load_beneficiary(struct db *db, const struct actor *a, int64_t person, const char *field,
			    struct beneficiary *b, struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	char today[DATE_STR];
	int64_t area = 0;
	int rc;

	memset(b, 0, sizeof *b);
	visibility(a, &v);
	date_format(date_today_cn(), today);
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.name, p.death_date, p.area_id, p.lat_e6, p.lon_e6 FROM persons p"
		      " LEFT JOIN areas ar ON ar.id = p.area_id WHERE p.id = $4 AND $1 = 0 AND ($2 = '' OR ar.path LIKE $2)"
		      " AND ($3 = 0 OR p.id IN (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3))",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(person));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		b->id = db_col_int(st, 0);
		str_copy(b->name, db_col_text(st, 1), sizeof b->name);
		str_copy(b->death, db_col_text(st, 2) ? db_col_text(st, 2) : "", sizeof b->death);
		area = db_col_int(st, 3);
		b->has_home = !db_col_null(st, 4) && !db_col_null(st, 5);
		b->lat = db_col_int(st, 4);
		b->lon = db_col_int(st, 5);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INVALID, field, "参保人不存在或不在您的管辖范围");
	}
	db_done(st);
	if (!rc)
		rc = area_street_of(db, area, &b->street, e);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, level, qualifies, valid_from, valid_until FROM certifications WHERE person_id = $1"
			      " AND status = 'certified' AND valid_until >= $2 ORDER BY valid_from DESC, id DESC LIMIT 1",
			      DB_INT(person), DB_TEXT(today));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		b->cert_id = db_col_int(st, 0);
		b->level = (int)db_col_int(st, 1);
		b->qualifies = db_col_int(st, 2) != 0;
		date_parse(db_col_text(st, 3), &b->cert_from);
		date_parse(db_col_text(st, 4), &b->cert_until);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int check_beneficiary(const struct beneficiary *b, const char *field, struct err *e)
{
	if (b->death[0])
		return err_set(e, ERR_CONFLICT, field, "参保人已登记死亡（%s）", b->death);
	if (!b->cert_id)
		return err_set(e, ERR_CONFLICT, field, "参保人没有有效的失能等级评估结论");
	if (!b->qualifies)
		return err_set(e, ERR_CONFLICT, field, "参保人的失能等级（%d级）不享受长期护理保险待遇", b->level);
	return 0;
}

/* ---- the plan's contents ---- */

struct plan_body {
	int mode;
	int64_t provider, caregiver, family;
	int visits;
	struct plan_item_in items[PLAN_MAX_ITEMS];
	int n_items;
	const json_t *in;
};

static const struct jx_field body_fields[] = {
	{"person_id", JX_INT, 0, 1, INT64_MAX},
	{"mode", JX_STRING, JX_REQUIRED, 1, 16},
	{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	{"caregiver_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	{"family_caregiver_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	{"visits_per_week", JX_INT, JX_REQUIRED, 0, 100},
	{"items", JX_ARRAY, JX_REQUIRED, 0, 0},
	{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
	{NULL, 0, 0, 0, 0},
};

static int parse_body(const json_t *in, struct plan_body *p, struct err *e)
{
	static const struct jx_field item_fields[] = {
		{"code", JX_STRING, JX_REQUIRED, 1, 16},
		{"per_week", JX_INT, JX_REQUIRED, 0, 1000},
		{"minutes", JX_INT, JX_REQUIRED, 0, 10000},
		{NULL, 0, 0, 0, 0},
	};
	json_t *it;
	size_t i;
	int rc = jx_check(in, body_fields, "", e);

	if (rc)
		return rc;
	memset(p, 0, sizeof *p);
	p->in = in;
	p->mode = care_mode_parse(jx_str(in, "mode"));
	if (p->mode < 0)
		return err_set(e, ERR_INVALID, "mode", "服务方式应为home（居家上门护理）、family（亲情护理）或institution（机构护理）");
	p->provider = jx_int(in, "provider_id", 0);
	p->caregiver = jx_int(in, "caregiver_id", 0);
	p->family = jx_int(in, "family_caregiver_id", 0);
	p->visits = (int)jx_int(in, "visits_per_week", 0);
	if (json_array_size(json_object_get(in, "items")) > PLAN_MAX_ITEMS)
		return err_set(e, ERR_INVALID, "items", "服务项目最多%d项", PLAN_MAX_ITEMS);
	json_array_foreach(json_object_get(in, "items"), i, it) {
		char path[32];
		snprintf(path, sizeof path, "items[%zu]", i);
		rc = jx_check(it, item_fields, path, e);
		if (rc)
			return rc;
		p->items[p->n_items].code = jx_str(it, "code");
		p->items[p->n_items].per_week = (int)jx_int(it, "per_week", 0);
		p->items[p->n_items].minutes = (int)jx_int(it, "minutes", 0);
		p->n_items++;
	}
	return 0;
}

static void plan_input(const struct plan_body *p, const struct beneficiary *b, struct plan_in *pi)
{
	memset(pi, 0, sizeof *pi);
	pi->mode = p->mode;
	pi->level = b->level;
	pi->visits_per_week = p->visits;
	pi->items = p->items;
	pi->n_items = p->n_items;
	pi->has_family_caregiver = p->family != 0;
}

/* The family caregiver of family care: registered for this person, trained, qualified today. */
static int check_family(struct db *db, const struct plan_body *p, const struct beneficiary *b, int32_t day,
			struct err *e)
{
	struct db_stmt *st = NULL;
	enum qual_result q = QUAL_OK;
	int rc;

	if (!p->family)
		return 0;
	if (p->mode != CARE_FAMILY)
		return err_set(e, ERR_INVALID, "family_caregiver_id", "只有亲情护理才需指定亲情护理员");
	rc = db_query(db, &st, e, "SELECT kind, person_id FROM caregivers WHERE id = $1", DB_INT(p->family));
	if (!rc && (rc = db_step(st, e)) == DB_ROW)
		rc = strcmp(db_col_text(st, 0), "family") == 0 && db_col_int(st, 1) == b->id
			     ? 0
			     : err_set(e, ERR_INVALID, "family_caregiver_id", "该亲情护理员不是为此参保人登记的");
	else if (rc == DB_DONE)
		rc = err_set(e, ERR_INVALID, "family_caregiver_id", "亲情护理员不存在");
	db_done(st);
	if (!rc)
		rc = caregiver_qualified(db, p->family, 0, day, &q, e);
	if (!rc && q != QUAL_OK)
		rc = err_set(e, ERR_CONFLICT, "family_caregiver_id", "亲情护理员不具备资格：%s", qual_result_text(q));
	return rc;
}

static int check_caregiver(struct db *db, const struct plan_body *p, int32_t day, struct err *e)
{
	enum qual_result q = QUAL_OK;
	int rc;

	if (!p->caregiver)
		return 0;
	if (p->mode == CARE_INSTITUTION)
		return err_set(e, ERR_INVALID, "caregiver_id", "机构护理不指定上门护理员");
	rc = caregiver_qualified(db, p->caregiver, p->provider, day, &q, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID, "caregiver_id", "护理员不存在");
	if (!rc && q != QUAL_OK)
		rc = err_set(e, ERR_CONFLICT, "caregiver_id", "所选护理员不能为该机构提供服务：%s", qual_result_text(q));
	return rc;
}

/* Every check of a plan's contents for a person; on success *agreement is the provider's agreement. */
static int check_plan(struct db *db, const struct scheme *s, const struct plan_body *p, const struct beneficiary *b,
		      int32_t day, int64_t *agreement, struct err *e)
{
	struct plan_in pi;
	struct plan_result r;
	int rc = check_beneficiary(b, "person_id", e);

	if (rc)
		return rc;
	plan_input(p, b, &pi);
	if (!plan_check(s, &pi, &r)) {
		const struct plan_problem *pr = &r.problems[0];
		if (r.n_problems > 1)
			return err_set(e, ERR_INVALID, pr->field, "%s（另有%d处问题）", pr->msg, r.n_problems - 1 + r.dropped);
		return err_set(e, ERR_INVALID, pr->field, "%s", pr->msg);
	}
	if (!p->provider)
		return err_set(e, ERR_INVALID, "provider_id", "须选择护理机构");
	rc = provider_accepts(db, s, p->provider, care_mode_name((enum care_mode)p->mode), b->street, day, "provider_id",
			      agreement, e);
	if (!rc)
		rc = check_caregiver(db, p, day, e);
	if (!rc)
		rc = check_family(db, p, b, day, e);
	return rc;
}

int care_plan_check(struct db *db, const struct scheme *s, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e)
{
	struct plan_body p;
	struct beneficiary b;
	struct plan_in pi;
	struct plan_result r;
	int rc = parse_body(in, &p, e);

	if (!rc && !jx_has(in, "person_id"))
		rc = err_set(e, ERR_INVALID, "person_id", "缺少必填字段person_id");
	if (!rc)
		rc = load_beneficiary(db, a, jx_int(in, "person_id", 0), "person_id", &b, e);
	if (!rc)
		rc = check_beneficiary(&b, "person_id", e);
	if (rc)
		return rc;
	plan_input(&p, &b, &pi);
	plan_check(s, &pi, &r);
	*out = plan_result_json(s, &pi, &r);
	json_object_set_new(*out, "level", json_integer(b.level));
	json_object_set_new(*out, "person_id", json_integer(b.id));
	return 0;
}

/* ---- writes ---- */

static int write_items(struct db *db, int64_t plan, const struct plan_body *p, struct err *e)
{
	int rc = db_exec(db, NULL, e, "DELETE FROM care_plan_items WHERE plan_id = $1", DB_INT(plan));

	for (int i = 0; !rc && i < p->n_items; i++)
		rc = db_exec(db, NULL, e, "INSERT INTO care_plan_items (plan_id, code, per_week, minutes) VALUES ($1, $2, $3, $4)",
			     DB_INT(plan), DB_TEXT(p->items[i].code), DB_INT(p->items[i].per_week),
			     DB_INT(p->items[i].minutes));
	return rc;
}

static int minutes_of(const struct plan_body *p)
{
	int m = 0;
	for (int i = 0; i < p->n_items; i++)
		m += p->items[i].per_week * p->items[i].minutes;
	return m;
}

static int plan_audit(struct db *db, struct actor *a, const char *action, int64_t plan, const json_t *detail,
		      struct err *e)
{
	char ids[24];

	snprintf(ids, sizeof ids, "%lld", (long long)plan);
	return audit_append(db, a, action, "care_plan", ids, AUDIT_OK, detail, e);
}

static int finish(struct db *db, struct actor *a, int rc, struct err *e)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int care_plan_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e)
{
	struct plan_body p;
	struct beneficiary b;
	int64_t agreement = 0, pending = 0, now = date_now_unix();
	int32_t today = date_today_cn();
	int rc = parse_body(in, &p, e);

	if (!rc && !jx_has(in, "person_id"))
		rc = err_set(e, ERR_INVALID, "person_id", "缺少必填字段person_id");
	if (!rc)
		rc = load_beneficiary(db, a, jx_int(in, "person_id", 0), "person_id", &b, e);
	if (!rc)
		rc = check_plan(db, s, &p, &b, today > b.cert_from ? today : b.cert_from, &agreement, e);
	if (!rc)
		rc = db_int(db, &pending, e,
			    "SELECT COUNT(*) FROM care_plans WHERE person_id = $1 AND status IN ('draft', 'confirmed')",
			    DB_INT(b.id));
	if (!rc && pending)
		rc = err_set(e, ERR_CONFLICT, "person_id", "该参保人已有待确认或待生效的护理计划，请先修改或作废");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO care_plans (person_id, certification_id, level, mode, provider_id, agreement_id,"
			    " caregiver_id, family_caregiver_id, visits_per_week, minutes_per_week, status, note, drafted_by,"
			    " drafted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, $13, $13)"
			    " RETURNING id",
			    DB_INT(b.id), DB_INT(b.cert_id), DB_INT(b.level), DB_TEXT(care_mode_name((enum care_mode)p.mode)),
			    DB_INT(p.provider), DB_INT(agreement), DB_INT_OR_NULL(p.caregiver != 0, p.caregiver),
			    DB_INT_OR_NULL(p.family != 0, p.family), DB_INT(p.visits), DB_INT(minutes_of(&p)),
			    DB_TEXT(jx_str(in, "note")), DB_TEXT(a->username), DB_INT(now));
	if (!rc)
		rc = write_items(db, *id, &p, e);
	if (!rc)
		rc = plan_audit(db, a, "care_plan.draft", *id, in, e);
	return finish(db, a, rc, e);
}

struct plan_row {
	int64_t id, person, provider, agreement, cert;
	char status[16], mode[16];
	char from[DATE_STR];
};

static int load_plan(struct db *db, const struct actor *a, int64_t id, struct plan_row *r, struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	int rc;

	visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT cp.id, cp.person_id, cp.provider_id, cp.agreement_id, cp.status, cp.mode,"
		      " COALESCE(cp.effective_from, ''), cp.certification_id"
		      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE " PLAN_VISIBLE " AND cp.id = $4",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		r->id = db_col_int(st, 0);
		r->person = db_col_int(st, 1);
		r->provider = db_col_int(st, 2);
		r->agreement = db_col_int(st, 3);
		str_copy(r->status, db_col_text(st, 4), sizeof r->status);
		str_copy(r->mode, db_col_text(st, 5), sizeof r->mode);
		str_copy(r->from, db_col_text(st, 6), sizeof r->from);
		r->cert = db_col_int(st, 7);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
	}
	db_done(st);
	return rc;
}

int care_plan_visible(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct plan_row r;
	return load_plan(db, a, id, &r, e);
}

static int wrong_state(const struct plan_row *r, const char *action, struct err *e)
{
	return err_set(e, ERR_CONFLICT, "status", "护理计划当前为“%s”，不能%s", STATUS_LABEL(r->status), action);
}

int care_plan_update(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e)
{
	struct plan_row r;
	struct plan_body p;
	struct beneficiary b;
	int64_t agreement = 0, now = date_now_unix();
	int32_t today = date_today_cn();
	int rc = parse_body(in, &p, e);

	if (!rc && jx_has(in, "person_id"))
		rc = err_set(e, ERR_INVALID, "person_id", "护理计划的参保人不能修改");
	if (!rc)
		rc = load_plan(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "draft") != 0)
		rc = wrong_state(&r, "修改", e);
	if (!rc)
		rc = load_beneficiary(db, a, r.person, "person_id", &b, e);
	if (!rc)
		rc = check_plan(db, s, &p, &b, today > b.cert_from ? today : b.cert_from, &agreement, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET certification_id = $1, level = $2, mode = $3, provider_id = $4,"
			     " agreement_id = $5, caregiver_id = $6, family_caregiver_id = $7, visits_per_week = $8,"
			     " minutes_per_week = $9, note = $10, drafted_by = $11, drafted_at = $12, updated_at = $12"
			     " WHERE id = $13 AND status = 'draft'",
			     DB_INT(b.cert_id), DB_INT(b.level), DB_TEXT(care_mode_name((enum care_mode)p.mode)),
			     DB_INT(p.provider), DB_INT(agreement), DB_INT_OR_NULL(p.caregiver != 0, p.caregiver),
			     DB_INT_OR_NULL(p.family != 0, p.family), DB_INT(p.visits), DB_INT(minutes_of(&p)),
			     DB_TEXT(jx_str(in, "note")), DB_TEXT(a->username), DB_INT(now), DB_INT(id));
	if (!rc)
		rc = write_items(db, id, &p, e);
	if (!rc)
		rc = plan_audit(db, a, "care_plan.update", id, in, e);
	return finish(db, a, rc, e);
}

/* A draft's contents as stored, for the re-check at confirmation. */
static int load_body(struct db *db, int64_t id, struct plan_body *p, char codes[][16], struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e,
			  "SELECT mode, provider_id, COALESCE(caregiver_id, 0), COALESCE(family_caregiver_id, 0), visits_per_week"
			  " FROM care_plans WHERE id = $1",
			  DB_INT(id));

	memset(p, 0, sizeof *p);
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		p->mode = care_mode_parse(db_col_text(st, 0));
		p->provider = db_col_int(st, 1);
		p->caregiver = db_col_int(st, 2);
		p->family = db_col_int(st, 3);
		p->visits = (int)db_col_int(st, 4);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
	}
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT code, per_week, minutes FROM care_plan_items WHERE plan_id = $1 ORDER BY id",
			      DB_INT(id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (p->n_items == PLAN_MAX_ITEMS)
			continue;
		str_copy(codes[p->n_items], db_col_text(st, 0), 16);
		p->items[p->n_items].code = codes[p->n_items];
		p->items[p->n_items].per_week = (int)db_col_int(st, 1);
		p->items[p->n_items].minutes = (int)db_col_int(st, 2);
		p->n_items++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

int care_plan_confirm(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		      struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, 0, 1, 150},
		{"relation", JX_STRING, 0, 1, 30},
		{"method", JX_STRING, 0, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	struct plan_row r;
	struct plan_body p;
	struct beneficiary b;
	struct db_stmt *st = NULL;
	char codes[PLAN_MAX_ITEMS][16], name[160] = "", relation[40] = "", method[16] = "", from_s[DATE_STR],
		last_s[DATE_STR];
	int64_t agreement = 0, current = 0, current_provider = 0, now = date_now_unix();
	int32_t today = date_today_cn(), from;
	bool family_account = a->role == ROLE_APPLICANT, starts_now;
	const char *reason = NULL;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_plan(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "draft") != 0)
		rc = wrong_state(&r, "确认", e);
	if (rc)
		return rc;
	/* who confirmed, and how */
	if (family_account) {
		rc = db_query(db, &st, e,
			      "SELECT u.display_name, up.relation FROM users u JOIN user_persons up ON up.user_id = u.id"
			      " WHERE u.id = $1 AND up.person_id = $2",
			      DB_INT(a->user_id), DB_INT(r.person));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			str_copy(name, db_col_text(st, 0), sizeof name);
			str_copy(relation, db_col_text(st, 1), sizeof relation);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
		}
		db_done(st);
		str_copy(method, "online", sizeof method);
	} else {
		if (!jx_str(in, "name") || !jx_str(in, "relation") || !jx_str(in, "method"))
			return err_set(e, ERR_INVALID, !jx_str(in, "name") ? "name" : !jx_str(in, "relation") ? "relation" : "method",
				       "须记录确认人姓名、与参保人的关系和确认方式");
		str_copy(name, jx_str(in, "name"), sizeof name);
		str_copy(relation, jx_str(in, "relation"), sizeof relation);
		str_copy(method, jx_str(in, "method"), sizeof method);
		if (strcmp(method, "in_person") && strcmp(method, "signature") && strcmp(method, "phone"))
			return err_set(e, ERR_INVALID, "method", "确认方式应为in_person（当面确认）、signature（签字）或phone（电话确认）");
	}
	/* everything again: the provider may have been barred since the draft */
	if (!rc)
		rc = load_body(db, id, &p, codes, e);
	if (!rc)
		rc = load_beneficiary(db, a, r.person, "person_id", &b, e);
	if (rc)
		return rc;
	/* the plan in force now, if any: the same provider takes over at once, a switch starts on the scheme's day */
	rc = db_query(db, &st, e, "SELECT id, provider_id FROM care_plans WHERE person_id = $1 AND status = 'active'",
		      DB_INT(r.person));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		current = db_col_int(st, 0);
		current_provider = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	if (rc)
		return rc;
	from = today > b.cert_from ? today : b.cert_from;
	if (current && current_provider != p.provider) {
		reason = "provider_switch";
		if (s->care.switch_effective == SCHEME_SWITCH_NEXT_MONTH) {
			int y, m, d;
			date_to_ymd(date_add_months(today, 1), &y, &m, &d);
			if (date_from_ymd(y, m, 1) > from)
				from = date_from_ymd(y, m, 1);
		}
	} else if (current) {
		reason = "plan_change";
	}
	rc = check_plan(db, s, &p, &b, from, &agreement, e);
	if (rc)
		return rc;
	starts_now = from <= today;
	date_format(from, from_s);
	date_format(from - 1, last_s);
	rc = db_begin(db, e);
	if (!rc && current)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = CASE WHEN $1 = 1 THEN 'superseded' ELSE status END, ended_on = $2,"
			     " end_reason = $3, updated_at = $4 WHERE id = $5",
			     DB_INT(starts_now), DB_TEXT(last_s), DB_TEXT(reason), DB_INT(now), DB_INT(current));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = $1, effective_from = $2, agreement_id = $3, supersedes_id = $4,"
			     " certification_id = $5, level = $6, confirmed_by_name = $7, confirmed_relation = $8,"
			     " confirmed_method = $9, confirmed_by_user = $10, confirmed_at = $11, updated_at = $11"
			     " WHERE id = $12 AND status = 'draft'",
			     DB_TEXT(starts_now ? "active" : "confirmed"), DB_TEXT(from_s), DB_INT(agreement),
			     DB_INT_OR_NULL(current != 0, current), DB_INT(b.cert_id), DB_INT(b.level), DB_TEXT(name),
			     DB_TEXT(relation), DB_TEXT(method), DB_TEXT(a->username), DB_INT(now), DB_INT(id));
	if (!rc) {
		json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", name, "relation", relation, "method", method,
					   "effective_from", from_s, "supersedes",
					   current ? json_integer(current) : json_null());
		rc = plan_audit(db, a, "care_plan.confirm", id, detail, e);
		json_decref(detail);
	}
	return finish(db, a, rc, e);
}

int care_plan_cancel(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct plan_row r;
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_plan(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "draft") != 0 && strcmp(r.status, "confirmed") != 0)
		rc = wrong_state(&r, "作废（执行中的计划请用终止）", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	/* a switch called off: the plan it was to replace runs on */
	if (!rc && strcmp(r.status, "confirmed") == 0)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET ended_on = NULL, end_reason = NULL, updated_at = $1"
			     " WHERE id = (SELECT supersedes_id FROM care_plans WHERE id = $2) AND status = 'active'",
			     DB_INT(now), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = 'cancelled', end_reason = 'manual', note = $1, updated_at = $2"
			     " WHERE id = $3",
			     DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	if (!rc)
		rc = plan_audit(db, a, "care_plan.cancel", id, in, e);
	return finish(db, a, rc, e);
}

int care_plan_end(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{"last_day", JX_STRING, JX_NULLABLE, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	struct plan_row r;
	int64_t now = date_now_unix();
	int32_t today = date_today_cn(), last = today, from = 0;
	char last_s[DATE_STR];
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_plan(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "active") != 0)
		rc = wrong_state(&r, "终止", e);
	if (!rc && jx_str(in, "last_day") && !date_parse(jx_str(in, "last_day"), &last))
		rc = err_set(e, ERR_INVALID, "last_day", "日期应为YYYY-MM-DD");
	if (!rc && date_parse(r.from, &from) && last < from - 1)
		rc = err_set(e, ERR_INVALID, "last_day", "终止日期不能早于计划生效日期%s的前一天", r.from);
	if (!rc && last > today)
		rc = err_set(e, ERR_INVALID, "last_day", "终止日期不能晚于今天");
	if (rc)
		return rc;
	date_format(last, last_s);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = 'ended', ended_on = $1, end_reason = 'manual', note = $2,"
			     " updated_at = $3 WHERE id = $4 AND status = 'active'",
			     DB_TEXT(last_s), DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id));
	if (!rc)
		rc = plan_audit(db, a, "care_plan.end", id, in, e);
	return finish(db, a, rc, e);
}

/* ---- reads ---- */

#define PLAN_COLS                                                                                                  \
	"cp.id, cp.person_id, p.name, p.id_number, cp.level, cp.mode, cp.provider_id, pr.name, cp.status,"            \
	" cp.effective_from, cp.ended_on, cp.end_reason, cp.visits_per_week, cp.minutes_per_week, cp.drafted_by,"    \
	" cp.drafted_at, cp.confirmed_at, ar.name, cp.caregiver_id, cg.name, cp.family_caregiver_id, fc.name"
#define PLAN_FROM                                                                                                  \
	" FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"          \
	" JOIN providers pr ON pr.id = cp.provider_id LEFT JOIN caregivers cg ON cg.id = cp.caregiver_id"           \
	" LEFT JOIN caregivers fc ON fc.id = cp.family_caregiver_id"

static json_t *plan_row_json(struct db_stmt *st)
{
	char idm[24];
	int m = care_mode_parse(db_col_text(st, 5));
	json_t *o;

	str_mask_id(db_col_text(st, 3), idm, sizeof idm);
	o = json_pack("{s:I, s:{s:I, s:s, s:s, s:o}, s:i, s:s, s:s, s:{s:I, s:s}, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:i,"
		      " s:s, s:I, s:o}",
		      "id", (json_int_t)db_col_int(st, 0), "person", "id", (json_int_t)db_col_int(st, 1), "name",
		      db_col_text(st, 2), "id_number", idm, "area_name", jx_str_or_null(db_col_text(st, 17)), "level",
		      (int)db_col_int(st, 4), "mode", db_col_text(st, 5), "mode_label",
		      m >= 0 ? care_mode_label((enum care_mode)m) : "", "provider", "id", (json_int_t)db_col_int(st, 6),
		      "name", db_col_text(st, 7), "status", db_col_text(st, 8), "status_label", STATUS_LABEL(db_col_text(st, 8)),
		      "effective_from", jx_str_or_null(db_col_text(st, 9)), "ended_on", jx_str_or_null(db_col_text(st, 10)),
		      "end_reason", jx_str_or_null(db_col_text(st, 11)), "end_reason_label",
		      db_col_text(st, 11) ? json_string(REASON_LABEL(db_col_text(st, 11))) : json_null(), "visits_per_week",
		      (int)db_col_int(st, 12), "minutes_per_week", (int)db_col_int(st, 13), "drafted_by", db_col_text(st, 14),
		      "drafted_at", (json_int_t)db_col_int(st, 15), "confirmed_at",
		      db_col_null(st, 16) ? json_null() : json_integer(db_col_int(st, 16)));
	json_object_set_new(o, "caregiver",
			    db_col_null(st, 18) ? json_null()
						: json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 18), "name",
							    db_col_text(st, 19)));
	json_object_set_new(o, "family_caregiver",
			    db_col_null(st, 20) ? json_null()
						: json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 20), "name",
							    db_col_text(st, 21)));
	return o;
}

int care_plan_list(struct db *db, const struct actor *a, const struct care_plan_filter *f, json_t **out,
		   struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	int64_t total = 0;
	json_t *items;
	int rc;

	if (f->status && *f->status && strcmp(STATUS_LABEL(f->status), f->status) == 0)
		return err_set(e, ERR_INVALID, "status", "状态应为draft、confirmed、active、superseded、ended或cancelled");
	if (f->mode && *f->mode && care_mode_parse(f->mode) < 0)
		return err_set(e, ERR_INVALID, "mode", "服务方式应为home、family或institution");
	visibility(a, &v);
#define WHERE                                                                                                      \
	" WHERE " PLAN_VISIBLE " AND ($4 = '' OR cp.status = $4) AND ($5 = 0 OR cp.person_id = $5)"                  \
	" AND ($6 = 0 OR cp.provider_id = $6) AND ($7 = '' OR cp.mode = $7)"
#define ARGS                                                                                                       \
	DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_TEXT(f->status ? f->status : ""),                  \
		DB_INT(f->person_id), DB_INT(f->provider_id), DB_TEXT(f->mode ? f->mode : "")
	rc = db_int(db, &total, e, "SELECT COUNT(*)" PLAN_FROM WHERE, ARGS);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT " PLAN_COLS PLAN_FROM WHERE " ORDER BY cp.id DESC LIMIT $8 OFFSET $9", ARGS,
			      DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef WHERE
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, plan_row_json, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

/* The plan's items with their catalogue names. */
static int load_items(struct db *db, const struct scheme *s, int64_t id, json_t *into, struct err *e)
{
	json_t *arr = NULL;
	int rc = care_plan_items_json(db, s, id, &arr, e);

	json_object_set_new(into, "items", arr);
	return rc;
}

int care_plan_items_json(struct db *db, const struct scheme *s, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc = db_query(db, &st, e, "SELECT code, per_week, minutes FROM care_plan_items WHERE plan_id = $1 ORDER BY id",
			  DB_INT(id));

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const struct scheme_service_item *it = scheme_service_item(s, db_col_text(st, 0));
		rc = 0;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:i, s:i}", "code", db_col_text(st, 0), "name",
						     it ? it->name : "（已停用的项目）", "medical",
						     it ? json_boolean(it->medical) : json_null(), "per_week",
						     (int)db_col_int(st, 1), "minutes", (int)db_col_int(st, 2)));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	*out = arr;
	return rc;
}

static json_t *history_row(struct db_stmt *st)
{
	int m = care_mode_parse(db_col_text(st, 1));

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int(st, 0), "mode",
			 db_col_text(st, 1), "mode_label", m >= 0 ? care_mode_label((enum care_mode)m) : "", "provider_name",
			 db_col_text(st, 2), "status", db_col_text(st, 3), "status_label", STATUS_LABEL(db_col_text(st, 3)),
			 "effective_from", jx_str_or_null(db_col_text(st, 4)), "ended_on", jx_str_or_null(db_col_text(st, 5)),
			 "end_reason_label",
			 db_col_text(st, 6) ? json_string(REASON_LABEL(db_col_text(st, 6))) : json_null());
}

int care_plan_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		  struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	struct plan_body p;
	struct plan_in pi;
	struct plan_result r;
	char codes[PLAN_MAX_ITEMS][16];
	json_t *o = NULL;
	int64_t person = 0;
	int level = 0, rc;

	visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT " PLAN_COLS ", cp.note, cp.confirmed_by_name, cp.confirmed_relation, cp.confirmed_method,"
		      " cp.confirmed_by_user, cp.supersedes_id, cp.agreement_id" PLAN_FROM " WHERE " PLAN_VISIBLE " AND cp.id = $4",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = plan_row_json(st);
		person = db_col_int(st, 1);
		level = (int)db_col_int(st, 4);
		json_object_set_new(o, "note", jx_str_or_null(db_col_text(st, 22)));
		json_object_set_new(o, "confirmation",
				    db_col_null(st, 23)
					    ? json_null()
					    : json_pack("{s:s, s:s, s:s, s:s}", "name", db_col_text(st, 23), "relation",
							db_col_text(st, 24), "method", db_col_text(st, 25), "recorded_by",
							db_col_text(st, 26)));
		json_object_set_new(o, "supersedes_id", db_col_null(st, 27) ? json_null() : json_integer(db_col_int(st, 27)));
		json_object_set_new(o, "agreement_id", json_integer(db_col_int(st, 28)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
	}
	db_done(st);
	if (!rc)
		rc = load_items(db, s, id, o, e);
	if (!rc)
		rc = rows_by_id(db, o, "history",
				"SELECT cp.id, cp.mode, pr.name, cp.status, cp.effective_from, cp.ended_on, cp.end_reason"
				" FROM care_plans cp JOIN providers pr ON pr.id = cp.provider_id WHERE cp.person_id = $1"
				" ORDER BY cp.id DESC",
				person, history_row, e);
	/* the entitlement, as the plan stands */
	if (!rc)
		rc = load_body(db, id, &p, codes, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	memset(&pi, 0, sizeof pi);
	pi.mode = p.mode;
	pi.level = level;
	pi.visits_per_week = p.visits;
	pi.items = p.items;
	pi.n_items = p.n_items;
	pi.has_family_caregiver = p.family != 0;
	plan_check(s, &pi, &r);
	json_object_set_new(o, "entitlement", plan_result_json(s, &pi, &r));
	*out = o;
	return 0;
}

int care_plan_options(struct db *db, const struct scheme *s, const struct actor *a, int64_t person_id,
		      const char *mode, json_t **out, struct err *e)
{
	struct beneficiary b;
	struct db_stmt *st = NULL;
	char today[DATE_STR];
	int m = mode ? care_mode_parse(mode) : -1;
	json_t *items;
	int rc;

	if (m < 0)
		return err_set(e, ERR_INVALID, "mode", "服务方式应为home、family或institution");
	rc = load_beneficiary(db, a, person_id, "id", &b, e);
	if (rc == ERR_INVALID)
		return err_set(e, ERR_NOT_FOUND, "id", "参保人不存在");
	if (rc)
		return rc;
	date_format(date_today_cn(), today);
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.name, p.kind, p.status, p.barred_until, p.credit_grade, p.lat_e6, p.lon_e6, p.address,"
		      " g.id, g.capacity, (SELECT COUNT(*) FROM care_plans cp WHERE cp.agreement_id = g.id"
		      "  AND cp.status IN ('active', 'confirmed'))"
		      " FROM providers p JOIN agreements g ON g.provider_id = p.id"
		      " WHERE g.status = 'active' AND g.valid_from <= $1 AND g.valid_until >= $1"
		      " AND (',' || g.modes || ',') LIKE ('%,' || $2 || ',%') AND p.status <> 'terminated'"
		      " AND ($3 = 1 OR EXISTS (SELECT 1 FROM agreement_areas ga WHERE ga.agreement_id = g.id AND ga.area_id = $4))"
		      " ORDER BY p.code, g.id LIMIT $5",
		      DB_TEXT(today), DB_TEXT(mode), DB_INT(m == CARE_INSTITUTION), DB_INT(b.street),
		      DB_INT(LIMIT_PROVIDER_OPTIONS));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *status = db_col_text(st, 3), *until = db_col_text(st, 4), *why = NULL;
		int64_t cap = db_col_int(st, 10), used = db_col_int(st, 11);
		bool barred = strcmp(status, "barred") == 0 && until && strcmp(until, today) >= 0;
		json_t *o;
		if (barred)
			why = "暂停接收新服务对象";
		else if (strcmp(status, "suspended") == 0)
			why = "暂停服务";
		else if (used >= cap)
			why = "服务协议容量已满";
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}", "id",
			      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "kind_label",
			      provider_kind_label(db_col_text(st, 2)), "status", barred ? "barred" : status, "credit_label",
			      db_col_text(st, 5) ? db_col_text(st, 5) : "未评级", "rating", json_null(), "agreement_id",
			      (json_int_t)db_col_int(st, 9), "capacity", (json_int_t)cap, "clients", (json_int_t)used, "free",
			      (json_int_t)(cap > used ? cap - used : 0), "can_accept", why == NULL, "reason",
			      why ? json_string(why) : json_null(), "address", jx_str_or_null(db_col_text(st, 8)),
			      "distance_m",
			      b.has_home && !db_col_null(st, 6) && !db_col_null(st, 7)
				      ? json_integer((json_int_t)geo_distance_m(b.lat, b.lon, db_col_int(st, 6), db_col_int(st, 7)))
				      : json_null());
		json_array_append_new(items, o);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o}", "person_id", (json_int_t)b.id, "mode", mode, "level",
			 b.cert_id ? json_integer(b.level) : json_null(), "choice",
			 s->care.choice == SCHEME_CHOICE_REGION ? "region" : "street", "entitlement",
			 b.cert_id ? scheme_entitlement_json(s, (enum care_mode)m, b.level) : json_null(), "items", items);
	return 0;
}

/* ---- lifecycle ---- */

int care_plans_end_for(struct db *db, int64_t provider, int64_t agreement, int32_t last_day, const char *reason,
		       struct err *e)
{
	char last[DATE_STR];
	int64_t now = date_now_unix();
	int rc;

	date_format(last_day, last);
	/* plans not started yet are cancelled; those in force end on last_day (or earlier if already set) */
	rc = db_exec(db, NULL, e,
		     "UPDATE care_plans SET status = 'cancelled', end_reason = $1, updated_at = $2"
		     " WHERE status IN ('draft', 'confirmed') AND (($3 <> 0 AND provider_id = $3) OR ($4 <> 0 AND agreement_id = $4))",
		     DB_TEXT(reason), DB_INT(now), DB_INT(provider), DB_INT(agreement));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = 'ended', end_reason = $1, updated_at = $2,"
			     " ended_on = CASE WHEN ended_on IS NOT NULL AND ended_on < $5 THEN ended_on ELSE $5 END"
			     " WHERE status = 'active' AND (($3 <> 0 AND provider_id = $3) OR ($4 <> 0 AND agreement_id = $4))",
			     DB_TEXT(reason), DB_INT(now), DB_INT(provider), DB_INT(agreement), DB_TEXT(last));
	return rc;
}

int care_plans_end_person(struct db *db, int64_t person, int32_t last_day, const char *reason, struct err *e)
{
	char last[DATE_STR];
	int64_t now = date_now_unix();
	int rc;

	date_format(last_day, last);
	rc = db_exec(db, NULL, e,
		     "UPDATE care_plans SET status = 'cancelled', end_reason = $1, updated_at = $2"
		     " WHERE person_id = $3 AND status IN ('draft', 'confirmed')",
		     DB_TEXT(reason), DB_INT(now), DB_INT(person));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE care_plans SET status = 'ended', end_reason = $1, updated_at = $2,"
			     " ended_on = CASE WHEN ended_on IS NOT NULL AND ended_on < $4 THEN ended_on ELSE $4 END"
			     " WHERE person_id = $3 AND status = 'active'",
			     DB_TEXT(reason), DB_INT(now), DB_INT(person), DB_TEXT(last));
	return rc;
}

int care_plans_on_certified(struct db *db, int64_t person, int64_t cert, int level, bool qualifies,
			    int32_t valid_from, struct err *e)
{
	char last[DATE_STR];
	int64_t now = date_now_unix();

	date_format(valid_from - 1, last);
	/* the same qualifying level: the plan carries on under the new conclusion */
	if (qualifies) {
		int rc = db_exec(db, NULL, e,
				 "UPDATE care_plans SET certification_id = $1, updated_at = $2"
				 " WHERE person_id = $3 AND status IN ('active', 'confirmed', 'draft') AND level = $4",
				 DB_INT(cert), DB_INT(now), DB_INT(person), DB_INT(level));
		if (rc)
			return rc;
	}
	/* another level: the plan ends the day before the new level applies; a new plan is drafted for it */
	return db_exec(db, NULL, e,
		       "UPDATE care_plans SET status = CASE WHEN status = 'active' THEN 'active' ELSE 'cancelled' END,"
		       " end_reason = 'new_level', updated_at = $1,"
		       " ended_on = CASE WHEN status = 'active' THEN"
		       "  (CASE WHEN ended_on IS NOT NULL AND ended_on < $2 THEN ended_on ELSE $2 END) ELSE ended_on END"
		       " WHERE person_id = $3 AND status IN ('active', 'confirmed', 'draft') AND level <> $4",
		       DB_INT(now), DB_TEXT(last), DB_INT(person), DB_INT(level));
}

int care_plans_roll(struct db *db, int32_t today, int *started, int *closed, struct err *e)
{
	char today_s[DATE_STR];
	int64_t now = date_now_unix(), n1 = 0, n2 = 0, n3 = 0, n4 = 0;
	int rc;

	date_format(today, today_s);
	*started = *closed = 0;
	rc = db_begin(db, e);
	/* the dead: their plans end on the day of death */
	if (!rc)
		rc = db_exec(db, &n1, e,
			     "UPDATE care_plans SET status = 'ended', end_reason = 'death', updated_at = $1,"
			     " ended_on = (SELECT p.death_date FROM persons p WHERE p.id = care_plans.person_id)"
			     " WHERE status = 'active' AND person_id IN (SELECT id FROM persons WHERE death_date IS NOT NULL)",
			     DB_INT(now));
	/* expired conclusions not renewed */
	if (!rc)
		rc = db_exec(db, &n2, e,
			     "UPDATE care_plans SET ended_on = (SELECT c.valid_until FROM certifications c"
			     "  WHERE c.id = care_plans.certification_id), end_reason = 'certification_expired', updated_at = $1"
			     " WHERE status = 'active' AND ended_on IS NULL AND certification_id IN"
			     " (SELECT id FROM certifications WHERE valid_until < $2)",
			     DB_INT(now), DB_TEXT(today_s));
	/* plans whose last day has passed: superseded if a later plan took over, ended otherwise */
	if (!rc)
		rc = db_exec(db, &n3, e,
			     "UPDATE care_plans SET updated_at = $1, status = CASE WHEN EXISTS (SELECT 1 FROM care_plans n"
			     "  WHERE n.supersedes_id = care_plans.id AND n.status IN ('confirmed', 'active')) THEN 'superseded'"
			     "  ELSE 'ended' END"
			     " WHERE status = 'active' AND ended_on IS NOT NULL AND ended_on < $2",
			     DB_INT(now), DB_TEXT(today_s));
	/* plans whose first day has come */
	if (!rc)
		rc = db_exec(db, &n4, e,
			     "UPDATE care_plans SET status = 'active', updated_at = $1 WHERE status = 'confirmed'"
			     " AND effective_from <= $2 AND NOT EXISTS (SELECT 1 FROM care_plans o WHERE o.person_id = care_plans.person_id"
			     " AND o.status = 'active')",
			     DB_INT(now), DB_TEXT(today_s));
	if (!rc)
		rc = db_commit(db, e);
	else
		db_rollback(db);
	*started = (int)n4;
	*closed = (int)(n1 + n3);
	return rc;
}
