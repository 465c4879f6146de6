/* visit.c: scheduling, check-in and check-out, reads, exceptions, locks and corrections (see visit.h). The
 * verification itself is in visit_verify.c. */
#include "svc/visit.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "rules/qualify.h"
#include "rules/verify.h"
#include "svc/audit.h"
#include "svc/care_plan.h"
#include "svc/caregiver.h"
#include "svc/feedback.h"
#include "svc/filestore.h"
#include "svc/group_commit.h"
#include "svc/notify.h"
#include "svc/rows.h"
#include "svc/visit_internal.h"
#include "svc/visit_label.h"

static const char *const resolutions[] = {"staff_error", "device_problem", "beneficiary_request", "emergency", "other",
					  NULL};

int visit_actor_caregiver(struct db *db, const struct actor *a, int64_t *caregiver, int64_t *provider,
			  struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	*caregiver = *provider = 0;
	if (a->role != ROLE_CAREGIVER || !a->user_id)
		return 0;
	rc = db_query(db, &st, e, "SELECT id, COALESCE(provider_id, 0) FROM caregivers WHERE user_id = $1 AND status <> 'terminated'",
		      DB_INT(a->user_id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*caregiver = db_col_int(st, 0);
		*provider = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	return rc;
}

void visit_visibility(struct db *db, const struct actor *a, struct visit_vis *v)
{
	struct err e;
	int64_t provider = 0;

	memset(v, 0, sizeof *v);
	v->provider = a->provider_id;
	actor_area_like(a, v->area, sizeof v->area);
	if (a->provider_id)
		v->area[0] = '\0';
	if (a->role == ROLE_APPLICANT) {
		v->family = a->user_id ? a->user_id : -1;
		v->area[0] = '\0';
	}
	if (a->role == ROLE_CAREGIVER) {
		if (visit_actor_caregiver(db, a, &v->caregiver, &provider, &e) || !v->caregiver)
			v->caregiver = -1; /* a caregiver account without a record sees nothing */
	}
}

/* ---- scheduling ---- */

struct plan_info {
	int64_t id, person, provider;
	char mode[16], status[16], from[DATE_STR], until[DATE_STR];
	int visits_per_week, level;
};

static int load_plan(struct db *db, const struct actor *a, int64_t id, const char *field, struct plan_info *p,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_vis v;
	int rc;

	visit_visibility(db, a, &v);
	memset(p, 0, sizeof *p);
	rc = db_query(db, &st, e,
		      "SELECT cp.id, cp.person_id, cp.provider_id, cp.mode, cp.status, COALESCE(cp.effective_from, ''),"
		      " COALESCE(cp.ended_on, ''), cp.visits_per_week, cp.level"
		      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE cp.id = $4 AND ($1 = 0 OR cp.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2)"
		      " AND ($3 = 0 OR cp.person_id IN (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3))",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		p->id = db_col_int(st, 0);
		p->person = db_col_int(st, 1);
		p->provider = db_col_int(st, 2);
		str_copy(p->mode, db_col_text(st, 3), sizeof p->mode);
		str_copy(p->status, db_col_text(st, 4), sizeof p->status);
		str_copy(p->from, db_col_text(st, 5), sizeof p->from);
		str_copy(p->until, db_col_text(st, 6), sizeof p->until);
		p->visits_per_week = (int)db_col_int(st, 7);
		p->level = (int)db_col_int(st, 8);
	} else if (rc == DB_DONE) {
		rc = err_set(e, field ? ERR_INVALID : ERR_NOT_FOUND, field ? field : "id", "护理计划不存在或不在您的范围内");
	}
	db_done(st);
	return rc;
}

/* The plan covers day (its first to last day; an open plan runs on). */
static bool plan_covers(const struct plan_info *p, const char *day)
{
	return p->from[0] && strcmp(p->from, day) <= 0 && (!p->until[0] || strcmp(p->until, day) >= 0);
}

static int check_time(const char *t)
{
	return t && strlen(t) == 5 && t[2] == ':' && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
	       t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' && (t[0] < '2' || t[1] <= '3');
}

/* The caregiver works for the plan's provider and is qualified on day. */
static int check_caregiver(struct db *db, const struct plan_info *p, int64_t caregiver, int32_t day, const char *field,
			   struct err *e)
{
	enum qual_result q = QUAL_OK;
	int rc = caregiver_qualified(db, caregiver, p->provider, day, &q, e);

	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID, field, "护理员不存在");
	if (!rc && q != QUAL_OK)
		rc = err_set(e, ERR_CONFLICT, field, "该护理员%s不能为本机构服务：%s", "当日", qual_result_text(q));
	return rc;
}

static int plan_for_visits(const struct plan_info *p, struct err *e)
{
	if (strcmp(p->mode, "institution") == 0)
		return err_set(e, ERR_INVALID, "plan_id", "机构护理按日登记在院情况，不安排上门服务");
	if (strcmp(p->status, "active") && strcmp(p->status, "confirmed"))
		return err_set(e, ERR_CONFLICT, "plan_id", "护理计划不在执行中");
	return 0;
}

int visit_patterns_set(struct db *db, const struct scheme *s, struct actor *a, int64_t plan_id, const json_t *in,
		       struct err *e)
{
	static const struct jx_field fields[] = {
		{"patterns", JX_ARRAY, JX_REQUIRED, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	static const struct jx_field pfields[] = {
		{"weekday", JX_INT, JX_REQUIRED, 1, 7},
		{"start_time", JX_STRING, JX_REQUIRED, 5, 5},
		{"caregiver_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct plan_info p;
	json_t *pat, *list = json_object_get(in, "patterns");
	size_t i;
	char ids[24];
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (!rc)
		rc = load_plan(db, a, plan_id, NULL, &p, e);
	if (!rc)
		rc = plan_for_visits(&p, e);
	if (!rc && (int)json_array_size(list) > p.visits_per_week)
		rc = err_set(e, ERR_INVALID, "patterns", "每周安排%zu次，超过护理计划的每周%d次", json_array_size(list),
			     p.visits_per_week);
	json_array_foreach(list, i, pat) {
		char path[40];
		if (rc)
			break;
		snprintf(path, sizeof path, "patterns[%zu]", i);
		rc = jx_check(pat, pfields, path, e);
		if (!rc && !check_time(jx_str(pat, "start_time"))) {
			snprintf(path, sizeof path, "patterns[%zu].start_time", i);
			rc = err_set(e, ERR_INVALID, path, "开始时间应为HH:MM");
		}
		for (size_t k = 0; !rc && k < i; k++) {
			json_t *o = json_array_get(list, k);
			if (jx_int(o, "weekday", 0) == jx_int(pat, "weekday", 0) &&
			    !strcmp(jx_str(o, "start_time"), jx_str(pat, "start_time"))) {
				snprintf(path, sizeof path, "patterns[%zu]", i);
				rc = err_set(e, ERR_INVALID, path, "同一天同一时间重复安排");
			}
		}
		if (!rc) {
			snprintf(path, sizeof path, "patterns[%zu].caregiver_id", i);
			rc = check_caregiver(db, &p, jx_int(pat, "caregiver_id", 0), date_today_cn(), path, e);
		}
	}
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e, "DELETE FROM visit_patterns WHERE plan_id = $1", DB_INT(plan_id));
	json_array_foreach(list, i, pat) {
		if (rc)
			break;
		rc = db_exec(db, NULL, e,
			     "INSERT INTO visit_patterns (plan_id, weekday, start_time, caregiver_id, created_by, created_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6)",
			     DB_INT(plan_id), DB_INT(jx_int(pat, "weekday", 1)), DB_TEXT(jx_str(pat, "start_time")),
			     DB_INT(jx_int(pat, "caregiver_id", 0)), DB_TEXT(a->username), DB_INT(now));
	}
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)plan_id);
		rc = audit_append(db, a, "visit.patterns", "care_plan", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* Visits of a plan in the ISO week of day (not cancelled). */
static int week_count(struct db *db, int64_t plan, int32_t day, int64_t *n, struct err *e)
{
	char mon[DATE_STR], sun[DATE_STR];
	int32_t monday = day - (date_weekday(day) - 1);

	date_format(monday, mon);
	date_format(monday + 6, sun);
	return db_int(db, n, e,
		      "SELECT COUNT(*) FROM visits WHERE plan_id = $1 AND visit_date >= $2 AND visit_date <= $3"
		      " AND status <> 'cancelled'",
		      DB_INT(plan), DB_TEXT(mon), DB_TEXT(sun));
}

static int insert_visit(struct db *db, const struct plan_info *p, int64_t caregiver, const char *day,
			const char *start, const char *by, int64_t *id, struct err *e)
{
	int64_t now = date_now_unix();

	return db_int(db, id, e,
		      "INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, planned_start,"
		      " status, created_by, created_at, updated_at)"
		      " VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $9, $9) RETURNING id",
		      DB_INT(p->id), DB_INT(p->person), DB_INT(p->provider), DB_INT(caregiver), DB_TEXT(p->mode),
		      DB_TEXT(day), DB_TEXT(start), DB_TEXT(by), DB_INT(now));
}

int visit_schedule(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, json_t **out,
		   struct err *e)
{
	static const struct jx_field fields[] = {
		{"plan_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"from", JX_STRING, JX_REQUIRED, 10, 10},
		{"to", JX_STRING, JX_REQUIRED, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	struct visit_vis v;
	int32_t from, to;
	int64_t created = 0, skipped = 0, *plans = NULL, provider = 0, known = 0;
	int n = 0, cap = 0, rc = jx_check(in, fields, "", e);

	(void)s;
	if (rc)
		return rc;
	provider = jx_int(in, "provider_id", 0);
	if (provider && a->provider_id && provider != a->provider_id)
		return err_set(e, ERR_FORBIDDEN, "provider_id", "只能为本机构的护理计划排班");
	if (!date_parse(jx_str(in, "from"), &from))
		return err_set(e, ERR_INVALID, "from", "日期应为YYYY-MM-DD");
	if (!date_parse(jx_str(in, "to"), &to) || to < from)
		return err_set(e, ERR_INVALID, "to", "日期应为YYYY-MM-DD，且不早于开始日期");
	if (to - from > LIMIT_SCHEDULE_DAYS)
		return err_set(e, ERR_INVALID, "to", "一次最多排%d天", LIMIT_SCHEDULE_DAYS + 1);
	if (from < date_today_cn())
		return err_set(e, ERR_INVALID, "from", "不能为过去的日期排班");
	if (provider) {
		rc = db_int(db, &known, e, "SELECT COUNT(*) FROM providers WHERE id = $1", DB_INT(provider));
		if (!rc && !known)
			rc = err_set(e, ERR_INVALID, "provider_id", "护理机构不存在");
		if (rc)
			return rc;
	}
	visit_visibility(db, a, &v);
	/* the plans with a pattern that the actor manages: its provider's, or those of persons in its area */
	rc = db_query(db, &st, e,
		      "SELECT DISTINCT cp.id FROM care_plans cp JOIN visit_patterns vp ON vp.plan_id = cp.id"
		      " JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE cp.status IN ('active', 'confirmed') AND ($1 = 0 OR cp.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2)"
		      " AND ($3 = 0 OR cp.id = $3) AND ($4 = 0 OR cp.provider_id = $4) ORDER BY cp.id",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(jx_int(in, "plan_id", 0)), DB_INT(provider));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			plans = realloc(plans, (size_t)cap * sizeof *plans);
			if (!plans)
				abort();
		}
		plans[n++] = db_col_int(st, 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc && jx_int(in, "plan_id", 0) && !n)
		rc = err_set(e, ERR_INVALID, "plan_id", "该护理计划没有每周服务安排，或不在您的范围内");
	if (!rc)
		rc = db_begin(db, e);
	for (int i = 0; !rc && i < n; i++) {
		struct plan_info p;
		rc = load_plan(db, a, plans[i], "plan_id", &p, e);
		for (int32_t day = from; !rc && day <= to; day++) {
			char day_s[DATE_STR];
			date_format(day, day_s);
			if (!plan_covers(&p, day_s))
				continue;
			rc = db_query(db, &st, e,
				      "SELECT start_time, caregiver_id FROM visit_patterns WHERE plan_id = $1 AND weekday = $2"
				      " ORDER BY start_time",
				      DB_INT(p.id), DB_INT(date_weekday(day)));
			while (!rc && (rc = db_step(st, e)) == DB_ROW) {
				char start[8];
				int64_t caregiver = db_col_int(st, 1), exists = 0, week = 0, id;
				struct err ie;
				rc = 0;
				str_copy(start, db_col_text(st, 0), sizeof start);
				/* one statement open at a time on this connection: the checks use their own */
				if (db_int(db, &exists, &ie, "SELECT COUNT(*) FROM visits WHERE plan_id = $1 AND visit_date = $2"
							     " AND planned_start = $3",
					   DB_INT(p.id), DB_TEXT(day_s), DB_TEXT(start)) ||
				    week_count(db, p.id, day, &week, &ie)) {
					rc = err_set(e, ie.code, NULL, "%s", ie.msg);
					break;
				}
				if (exists || week >= p.visits_per_week) {
					skipped++;
					continue;
				}
				rc = insert_visit(db, &p, caregiver, day_s, start, a->username, &id, e);
				created++;
			}
			if (rc == DB_DONE)
				rc = 0;
			db_done(st);
		}
	}
	free(plans);
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "from", jx_str(in, "from"), "to", jx_str(in, "to"), "created",
				      (json_int_t)created, "skipped", (json_int_t)skipped);
		if (jx_has(in, "plan_id"))
			json_object_set_new(d, "plan_id", json_integer(jx_int(in, "plan_id", 0)));
		if (provider)
			json_object_set_new(d, "provider_id", json_integer(provider));
		rc = audit_append(db, a, "visit.schedule", NULL, NULL, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc)
		*out = json_pack("{s:I, s:I}", "created", (json_int_t)created, "skipped", (json_int_t)skipped);
	return rc;
}

int visit_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"plan_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"visit_date", JX_STRING, JX_REQUIRED, 10, 10},
		{"planned_start", JX_STRING, JX_NULLABLE, 5, 5},
		{"caregiver_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct plan_info p;
	int32_t day;
	int64_t week = 0;
	char ids[24];
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (!rc && !date_parse(jx_str(in, "visit_date"), &day))
		rc = err_set(e, ERR_INVALID, "visit_date", "日期应为YYYY-MM-DD");
	if (!rc && day < date_today_cn())
		rc = err_set(e, ERR_INVALID, "visit_date", "不能为过去的日期排班");
	if (!rc && jx_str(in, "planned_start") && !check_time(jx_str(in, "planned_start")))
		rc = err_set(e, ERR_INVALID, "planned_start", "开始时间应为HH:MM");
	if (!rc)
		rc = load_plan(db, a, jx_int(in, "plan_id", 0), "plan_id", &p, e);
	if (!rc)
		rc = plan_for_visits(&p, e);
	if (!rc && !plan_covers(&p, jx_str(in, "visit_date")))
		rc = err_set(e, ERR_INVALID, "visit_date", "该日不在护理计划的执行期内");
	if (!rc)
		rc = check_caregiver(db, &p, jx_int(in, "caregiver_id", 0), day, "caregiver_id", e);
	if (!rc)
		rc = week_count(db, p.id, day, &week, e);
	if (!rc && week >= p.visits_per_week)
		rc = err_set(e, ERR_CONFLICT, "visit_date", "该周已安排%lld次，护理计划每周%d次", (long long)week, p.visits_per_week);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = insert_visit(db, &p, jx_int(in, "caregiver_id", 0), jx_str(in, "visit_date"), jx_str(in, "planned_start"),
				  a->username, id, e);
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)*id);
		rc = audit_append(db, a, "visit.create", "visit", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int visit_load(struct db *db, const struct actor *a, int64_t id, struct visit_row *r, struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_vis v;
	int rc;

	visit_visibility(db, a, &v);
	memset(r, 0, sizeof *r);
	rc = db_query(db, &st, e,
		      "SELECT v.id, v.plan_id, v.person_id, v.provider_id, v.caregiver_id, v.status, v.visit_date,"
		      " COALESCE(v.checkin_at, 0), v.verify_state, COALESCE(v.review_state, ''), COALESCE(v.unlocked_until, 0),"
		      " v.reasons, v.mode"
		      " FROM visits v JOIN persons p ON p.id = v.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE v.id = $5 AND " VISIT_VISIBLE,
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(v.caregiver), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		r->id = db_col_int(st, 0);
		r->plan = db_col_int(st, 1);
		r->person = db_col_int(st, 2);
		r->provider = db_col_int(st, 3);
		r->caregiver = db_col_int(st, 4);
		str_copy(r->status, db_col_text(st, 5), sizeof r->status);
		str_copy(r->day, db_col_text(st, 6), sizeof r->day);
		r->checkin_at = db_col_int(st, 7);
		str_copy(r->verify, db_col_text(st, 8), sizeof r->verify);
		str_copy(r->review, db_col_text(st, 9), sizeof r->review);
		r->unlocked_until = db_col_int(st, 10);
		r->reasons = (uint32_t)db_col_int(st, 11);
		str_copy(r->mode, db_col_text(st, 12), sizeof r->mode);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务记录不存在");
	}
	db_done(st);
	return rc;
}

static int wrong_status(const struct visit_row *r, const char *action, struct err *e)
{
	return err_set(e, ERR_CONFLICT, "status", "服务记录当前为“%s”，不能%s", VISIT_STATUS_LABEL(r->status), action);
}

static int visit_audit_commit(struct db *db, struct actor *a, const char *action, int64_t id, const json_t *d,
			      int rc, struct err *e)
{
	char ids[24];

	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, action, "visit", ids, AUDIT_OK, d, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int visit_reassign(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		   struct err *e)
{
	static const struct jx_field fields[] = {
		{"caregiver_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	struct plan_info p;
	int32_t day = 0;
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (!rc)
		rc = visit_load(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "scheduled") != 0)
		rc = wrong_status(&r, "改派", e);
	if (!rc)
		rc = load_plan(db, a, r.plan, "plan_id", &p, e);
	if (!rc && jx_int(in, "caregiver_id", 0) == r.caregiver)
		rc = err_set(e, ERR_INVALID, "caregiver_id", "已是该护理员");
	if (!rc) {
		date_parse(r.day, &day);
		rc = check_caregiver(db, &p, jx_int(in, "caregiver_id", 0), day, "caregiver_id", e);
	}
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE visits SET caregiver_id = $1, updated_at = $2 WHERE id = $3 AND status = 'scheduled'",
			     DB_INT(jx_int(in, "caregiver_id", 0)), DB_INT(date_now_unix()), DB_INT(id));
	return visit_audit_commit(db, a, "visit.reassign", id, in, rc, e);
}

int visit_cancel(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = visit_load(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "scheduled") != 0)
		rc = wrong_status(&r, "取消", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET status = 'cancelled', notes = $1, updated_at = $2 WHERE id = $3 AND status = 'scheduled'",
			     DB_TEXT(jx_str(in, "reason")), DB_INT(date_now_unix()), DB_INT(id));
	return visit_audit_commit(db, a, "visit.cancel", id, in, rc, e);
}

/* ---- check-in and check-out ---- */

/* The fix sent with a check-in or check-out. */
struct fix {
	bool has;
	int64_t lat, lon;
	int accuracy;
};

static int parse_fix(const json_t *in, struct fix *f, struct err *e)
{
	json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in, "lon"), *acc = json_object_get(in, "accuracy");

	memset(f, 0, sizeof *f);
	if ((!lat || json_is_null(lat)) && (!lon || json_is_null(lon)))
		return 0;
	if (!json_is_number(lat) || !json_is_number(lon))
		return err_set(e, ERR_INVALID, !json_is_number(lat) ? "lat" : "lon", "经纬度应为数字，且须同时提供");
	f->lat = geo_e6_from_double(json_number_value(lat));
	f->lon = geo_e6_from_double(json_number_value(lon));
	if (!geo_in_china(f->lat, f->lon))
		return err_set(e, ERR_INVALID, "lat", "经纬度不在中国境内");
	if (acc && !json_is_null(acc)) {
		if (!json_is_number(acc) || json_number_value(acc) < 0 || json_number_value(acc) > 100000)
			return err_set(e, ERR_INVALID, "accuracy", "定位精度应为0到100000米");
		f->accuracy = (int)(json_number_value(acc) + 0.5);
	}
	f->has = true;
	return 0;
}

static int check_key(const char *key, struct err *e)
{
	for (const char *c = key; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-' ||
		      *c == '_'))
			return err_set(e, ERR_INVALID, "key", "记录标识只能包含字母、数字、-和_");
	return 0;
}

/* The event time: the device's for a record delivered late (sent from the offline queue), the server's otherwise. */
static int event_time(const struct scheme *s, const json_t *in, int64_t now, int64_t *at, int64_t *device, bool *late,
		      struct err *e)
{
	*device = jx_int(in, "device_at", 0);
	if (*device > now + LIMIT_CLOCK_SKEW_S)
		return err_set(e, ERR_INVALID, "device_at", "设备时间晚于服务器时间，请校准手机时间");
	if (*device < now - (int64_t)LIMIT_OFFLINE_DAYS * 86400)
		return err_set(e, ERR_INVALID, "device_at", "离线记录超过%d天，不能补传", LIMIT_OFFLINE_DAYS);
	*late = now - *device > (int64_t)s->visits.late_delivery_minutes * 60;
	*at = *late ? *device : now;
	return 0;
}

static const struct jx_field checkin_fields[] = {
	{"key", JX_STRING, JX_REQUIRED, 8, 64},
	{"visit_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	{"plan_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
	{"device_at", JX_INT, JX_REQUIRED, 1, INT64_MAX},
	{"lat", JX_ANY, JX_NULLABLE, 0, 0},
	{"lon", JX_ANY, JX_NULLABLE, 0, 0},
	{"accuracy", JX_ANY, JX_NULLABLE, 0, 0},
	{NULL, 0, 0, 0, 0},
};

/* The visit already recorded under a key (0 if none); a key of someone else's visit is refused. */
static int by_key(struct db *db, const char *column, const char *key, int64_t caregiver, int64_t *id, struct err *e)
{
	struct db_stmt *st = NULL;
	char sql[96];
	int rc;

	*id = 0;
	snprintf(sql, sizeof sql, "SELECT id, caregiver_id FROM visits WHERE %s = $1", column);
	rc = db_query(db, &st, e, sql, DB_TEXT(key));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = db_col_int(st, 1) == caregiver ? 0 : err_set(e, ERR_CONFLICT, "key", "记录标识已被使用");
		*id = db_col_int(st, 0);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* A check-in, checked and ready to write: the writes alone run in the group-commit writer's transaction. */
struct checkin_op {
	struct gc_op gc;
	struct actor *a;
	const char *key;
	int64_t visit;               /* a scheduled visit, or 0 for an unscheduled one */
	struct plan_info plan;       /* the unscheduled visit's plan */
	int64_t caregiver, at, device, now;
	bool late;
	struct fix f;
	char day[DATE_STR];
	int64_t id;                  /* out: the visit */
};

static int checkin_apply(struct db *db, struct gc_op *g, struct err *e)
{
	struct checkin_op *op = (struct checkin_op *)g;
	json_t *d;
	char ids[24];
	int64_t changes = 0;
	int rc;

	if (op->visit) {
		rc = db_exec(db, &changes, e,
			     "UPDATE visits SET status = 'in_progress', visit_date = $1, checkin_key = $2, checkin_at = $3,"
			     " checkin_device_at = $4, checkin_received_at = $5, checkin_lat_e6 = $6, checkin_lon_e6 = $7,"
			     " checkin_accuracy_m = $8, late = $9, updated_at = $5 WHERE id = $10 AND status IN ('scheduled', 'missed')",
			     DB_TEXT(op->day), DB_TEXT(op->key), DB_INT(op->at), DB_INT(op->device), DB_INT(op->now),
			     DB_INT_OR_NULL(op->f.has, op->f.lat), DB_INT_OR_NULL(op->f.has, op->f.lon),
			     DB_INT_OR_NULL(op->f.has, op->f.accuracy), DB_INT(op->late), DB_INT(op->visit));
		if (!rc && changes != 1)
			rc = err_set(e, ERR_CONFLICT, "visit_id", "该排班已签到或已取消");
		op->id = op->visit;
	} else {
		const struct plan_info *p = &op->plan;
		rc = db_int(db, &op->id, e,
			    "INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, status, checkin_key,"
			    " checkin_at, checkin_device_at, checkin_received_at, checkin_lat_e6, checkin_lon_e6, checkin_accuracy_m,"
			    " late, created_by, created_at, updated_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, 'in_progress', $7, $8, $9, $10, $11, $12, $13, $14, $15, $10, $10)"
			    " RETURNING id",
			    DB_INT(p->id), DB_INT(p->person), DB_INT(p->provider), DB_INT(op->caregiver), DB_TEXT(p->mode),
			    DB_TEXT(op->day), DB_TEXT(op->key), DB_INT(op->at), DB_INT(op->device), DB_INT(op->now),
			    DB_INT_OR_NULL(op->f.has, op->f.lat), DB_INT_OR_NULL(op->f.has, op->f.lon),
			    DB_INT_OR_NULL(op->f.has, op->f.accuracy), DB_INT(op->late), DB_TEXT(op->a->username));
	}
	if (rc)
		return rc;
	snprintf(ids, sizeof ids, "%lld", (long long)op->id);
	d = json_pack("{s:s, s:I, s:b, s:b}", "key", op->key, "device_at", (json_int_t)op->device, "late", op->late, "gps",
		      op->f.has);
	rc = audit_append(db, op->a, "visit.checkin", "visit", ids, AUDIT_OK, d, e);
	json_decref(d);
	return rc;
}

/* The plans a caregiver serves (care_plans cp; $1 the caregiver, $2 their provider, $4 the beneficiary a family
 * caregiver looks after): their provider's plans where they are the plan's caregiver or in its weekly pattern, and
 * the family-care plan they are the family caregiver of. The phone offers these for a visit not scheduled
 * (visit_plans_today) and a check-in on a plan is refused for any other: a stand-in is scheduled by the provider. */
#define CAREGIVER_SERVES                                                                                           \
	"((cp.provider_id = $2 AND (cp.caregiver_id = $1 OR EXISTS (SELECT 1 FROM visit_patterns vp"                 \
	" WHERE vp.plan_id = cp.id AND vp.caregiver_id = $1)))"                                                      \
	" OR (cp.person_id = $4 AND cp.mode = 'family' AND cp.family_caregiver_id = $1))"

/* Whether the caregiver serves the plan (CAREGIVER_SERVES): 403 on plan_id if not. */
static int check_serves(struct db *db, int64_t caregiver, int64_t provider, int64_t plan, struct err *e)
{
	int64_t person = 0, n = 0;
	int rc = db_int(db, &person, e, "SELECT COALESCE(person_id, 0) FROM caregivers WHERE id = $1", DB_INT(caregiver));

	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM care_plans cp WHERE cp.id = $3 AND " CAREGIVER_SERVES,
			    DB_INT(caregiver), DB_INT(provider), DB_INT(plan), DB_INT(person));
	if (!rc && !n)
		rc = err_set(e, ERR_FORBIDDEN, "plan_id", "您不是该护理计划的护理员，临时替班请由机构排班后签到");
	return rc;
}

int visit_checkin(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		  json_t **out, struct err *e)
{
	struct checkin_op op;
	int64_t provider = 0;
	int rc = jx_check(in, checkin_fields, "", e);

	memset(&op, 0, sizeof op);
	if (out)
		*out = NULL;
	op.a = a;
	op.now = date_now_unix();
	if (!rc)
		rc = check_key(jx_str(in, "key"), e);
	if (!rc && !jx_has(in, "visit_id") == !jx_has(in, "plan_id"))
		rc = err_set(e, ERR_INVALID, "visit_id", "须给出排班的服务记录visit_id，或未排班时的护理计划plan_id（二选一）");
	if (!rc)
		rc = parse_fix(in, &op.f, e);
	if (!rc)
		rc = event_time(s, in, op.now, &op.at, &op.device, &op.late, e);
	if (!rc)
		rc = visit_actor_caregiver(db, a, &op.caregiver, &provider, e);
	if (!rc && !op.caregiver)
		rc = err_set(e, ERR_FORBIDDEN, NULL, "当前账号没有对应的护理员登记");
	if (rc)
		return rc;
	op.key = jx_str(in, "key");
	/* the same record again (an offline queue resending): the visit as recorded */
	rc = by_key(db, "checkin_key", op.key, op.caregiver, id, e);
	if (rc || *id)
		return rc;
	date_format(date_of_unix_cn(op.at), op.day);
	if (jx_has(in, "visit_id")) {
		struct visit_row r;
		rc = visit_load(db, a, jx_int(in, "visit_id", 0), &r, e);
		if (!rc && r.caregiver != op.caregiver)
			rc = err_set(e, ERR_FORBIDDEN, "visit_id", "该排班不是安排给您的");
		/* missed: the day passed without a check-in received, and here it comes (delivered late) */
		if (!rc && strcmp(r.status, "scheduled") != 0 && strcmp(r.status, "missed") != 0)
			rc = wrong_status(&r, "签到", e);
		op.visit = r.id;
	} else {
		rc = load_plan(db, a, jx_int(in, "plan_id", 0), "plan_id", &op.plan, e);
		if (!rc)
			rc = plan_for_visits(&op.plan, e);
		if (!rc && op.plan.provider != provider && strcmp(op.plan.mode, "family") != 0)
			rc = err_set(e, ERR_FORBIDDEN, "plan_id", "该护理计划不由您所在的机构服务");
		if (!rc)
			rc = check_serves(db, op.caregiver, provider, op.plan.id, e);
	}
	if (rc)
		return rc;
	/* the writes: through the group-commit writer when the server runs one, else in a transaction here */
	op.gc.apply = checkin_apply;
	if (gc_running()) {
		rc = gc_submit(&op.gc);
		if (rc)
			*e = op.gc.err;
	} else {
		rc = db_begin(db, e);
		if (!rc)
			rc = checkin_apply(db, &op.gc, e);
		if (!rc)
			rc = db_commit(db, e);
		else if (db_in_tx(db))
			db_rollback(db);
	}
	if (rc == ERR_CONFLICT) {
		/* two deliveries of one record at once: the loser finds the winner's */
		struct err e2;
		int64_t other = 0;
		if (by_key(db, "checkin_key", op.key, op.caregiver, &other, &e2) == 0 && other) {
			*id = other;
			return 0;
		}
	}
	if (rc)
		return rc;
	a->audited = true;
	*id = op.id;
	/* the answer is built from what was written: the phone needs no more, and a busy hour saves a query */
	if (out) {
		json_t *pos = op.f.has ? json_pack("{s:f, s:f, s:i}", "lat", (double)op.f.lat / 1e6, "lon", (double)op.f.lon / 1e6,
						   "accuracy", op.f.accuracy)
				       : json_null();
		*out = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b, s:I, s:{s:I, s:I, s:o}}", "id", (json_int_t)op.id, "status",
				 "in_progress", "status_label", VISIT_STATUS_LABEL("in_progress"), "visit_date", op.day, "checkin_at",
				 (json_int_t)op.at, "late", op.late, "caregiver_id", (json_int_t)op.caregiver, "checkin",
				 "device_at", (json_int_t)op.device, "received_at", (json_int_t)op.now, "position", pos);
	}
	return 0;
}

static const struct jx_field checkout_fields[] = {
	{"key", JX_STRING, JX_REQUIRED, 8, 64},
	{"visit_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
	{"device_at", JX_INT, JX_REQUIRED, 1, INT64_MAX},
	{"lat", JX_ANY, JX_NULLABLE, 0, 0},
	{"lon", JX_ANY, JX_NULLABLE, 0, 0},
	{"accuracy", JX_ANY, JX_NULLABLE, 0, 0},
	{"items", JX_ARRAY, JX_REQUIRED, 0, 0},
	{"notes", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
	{NULL, 0, 0, 0, 0},
};

/* The item codes performed: known to the catalogue, no repeats, as a JSON text. */
static int items_text(const struct scheme *s, const json_t *items, char **out, struct err *e)
{
	json_t *it;
	size_t i;

	if (json_array_size(items) > LIMIT_VISIT_ITEMS)
		return err_set(e, ERR_INVALID, "items", "服务项目最多%d项", LIMIT_VISIT_ITEMS);
	json_array_foreach(items, i, it) {
		char path[32];
		snprintf(path, sizeof path, "items[%zu]", i);
		if (!json_is_string(it) || !scheme_service_item(s, json_string_value(it)))
			return err_set(e, ERR_INVALID, path, "不是服务项目目录中的项目");
		for (size_t k = 0; k < i; k++)
			if (json_equal(json_array_get(items, k), it))
				return err_set(e, ERR_INVALID, path, "服务项目重复");
	}
	*out = json_dumps(items, JSON_COMPACT);
	return 0;
}

/* Who gets the rating link of a visit of person: the agent's mobile, else a guardian's or another relative's,
 * else the person's own ('' if none). */
static int rating_phone(struct db *db, int64_t person, char *phone, size_t size, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e,
			  "SELECT phone, 0, is_agent, id FROM person_contacts WHERE person_id = $1 AND phone IS NOT NULL"
			  " UNION ALL SELECT phone, 1, 0, id FROM persons WHERE id = $1 AND phone IS NOT NULL"
			  " ORDER BY 2, 3 DESC, 4",
			  DB_INT(person));

	phone[0] = '\0';
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (!phone[0] && str_is_mobile(db_col_text(st, 0)))
			str_copy(phone, db_col_text(st, 0), size);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* After a check-out: an SMS with the visit's short rating link <public_url>/r/<token> and the last day to rate,
 * queued in the caller's transaction. Nothing when the scheme sets no rating window or no mobile is known.
 * *sent tells whether one was queued. */
static int queue_rating_link(struct db *db, const struct scheme *s, const struct visit_row *r, const char *token,
			     const char *public_url, bool *sent, struct err *e)
{
	char phone[40], provider[200] = "", until_s[DATE_STR], ids[24], *body;
	int32_t until = rating_last_day(s, r->day);
	size_t n = strlen(public_url);
	struct db_stmt *st = NULL;
	int rc;

	*sent = false;
	if (!until)
		return 0;
	rc = rating_phone(db, r->person, phone, sizeof phone, e);
	if (rc || !phone[0])
		return rc;
	rc = db_query(db, &st, e, "SELECT name FROM providers WHERE id = $1", DB_INT(r->provider));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(provider, db_col_text(st, 0), sizeof provider);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	if (rc)
		return rc;
	while (n && public_url[n - 1] == '/')
		n--;
	date_format(until, until_s);
	/* no names in the text: the outbox is read by staff, and the link's page masks the caregiver */
	body = xasprintf("【%s医保局】您好，%s的长期护理保险上门服务已完成（%s）。请于%s前评价本次服务：%.*s/r/%s",
			 s->region_name, r->day, provider, until_s, (int)n, public_url, token);
	snprintf(ids, sizeof ids, "%lld", (long long)r->id);
	rc = notify_enqueue(db, "sms", phone, "服务评价", body, "visit", ids, e);
	free(body);
	*sent = rc == 0;
	return rc;
}

int visit_checkout(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, const char *public_url,
		   int64_t *id, struct err *e)
{
	struct visit_row r;
	struct fix f;
	int64_t caregiver = 0, provider = 0, now = date_now_unix(), at = 0, device = 0;
	bool late = false, sms = false;
	char *items = NULL, token[33];
	unsigned char raw[16];
	int rc = jx_check(in, checkout_fields, "", e);

	if (!rc)
		rc = check_key(jx_str(in, "key"), e);
	if (!rc)
		rc = parse_fix(in, &f, e);
	if (!rc)
		rc = event_time(s, in, now, &at, &device, &late, e);
	if (!rc)
		rc = items_text(s, json_object_get(in, "items"), &items, e);
	if (!rc)
		rc = visit_actor_caregiver(db, a, &caregiver, &provider, e);
	if (!rc && !caregiver)
		rc = err_set(e, ERR_FORBIDDEN, NULL, "当前账号没有对应的护理员登记");
	if (!rc)
		rc = by_key(db, "checkout_key", jx_str(in, "key"), caregiver, id, e);
	if (rc || *id)
		goto out;
	rc = visit_load(db, a, jx_int(in, "visit_id", 0), &r, e);
	if (!rc && strcmp(r.status, "in_progress") != 0)
		rc = wrong_status(&r, "签退", e);
	if (!rc && at < r.checkin_at)
		rc = err_set(e, ERR_INVALID, "device_at", "签退时间早于签到时间");
	if (rc)
		goto out;
	*id = r.id;
	randombytes_buf(raw, sizeof raw);
	str_hex(raw, sizeof raw, token);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET status = 'done', checkout_key = $1, checkout_at = $2, checkout_device_at = $3,"
			     " checkout_received_at = $4, checkout_lat_e6 = $5, checkout_lon_e6 = $6, checkout_accuracy_m = $7,"
			     " items = $8, notes = $9, late = CASE WHEN $10 = 1 THEN 1 ELSE late END, rating_token = $11,"
			     " updated_at = $4 WHERE id = $12 AND status = 'in_progress'",
			     DB_TEXT(jx_str(in, "key")), DB_INT(at), DB_INT(device), DB_INT(now), DB_INT_OR_NULL(f.has, f.lat),
			     DB_INT_OR_NULL(f.has, f.lon), DB_INT_OR_NULL(f.has, f.accuracy), DB_TEXT(items),
			     DB_TEXT(jx_str(in, "notes")), DB_INT(late), DB_TEXT(token), DB_INT(r.id));
	/* verified at once: the caregiver sees the result before leaving */
	if (!rc)
		rc = visit_reverify(db, s, r.id, e);
	/* the family is sent the rating link, in the same transaction (only where the server knows its public address) */
	if (!rc && public_url && *public_url)
		rc = queue_rating_link(db, s, &r, token, public_url, &sms, e);
	if (rc && db_in_tx(db)) {
		db_rollback(db);
		if (rc == ERR_CONFLICT) {
			struct err e2;
			int64_t other = 0;
			if (by_key(db, "checkout_key", jx_str(in, "key"), caregiver, &other, &e2) == 0 && other) {
				*id = other;
				rc = 0;
			}
		}
		goto out;
	}
	{
		json_t *d = json_pack("{s:s, s:I, s:b, s:b, s:b}", "key", jx_str(in, "key"), "device_at", (json_int_t)device,
				      "late", late, "gps", f.has, "rating_sms", sms);
		rc = visit_audit_commit(db, a, "visit.checkout", r.id, d, rc, e);
		json_decref(d);
	}
out:
	free(items);
	return rc;
}

int visit_audio(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const char *upload_path,
		int64_t bytes, int64_t seconds, const char *data_dir, struct err *e)
{
	struct visit_row r;
	int64_t caregiver = 0, provider = 0;
	char sha[65];
	json_t *d;
	int rc = visit_load(db, a, id, &r, e);

	if (rc)
		return rc;
	rc = visit_actor_caregiver(db, a, &caregiver, &provider, e);
	if (!rc && caregiver != r.caregiver)
		rc = err_set(e, ERR_FORBIDDEN, NULL, "只有本次服务的护理员可以上传录音");
	if (!rc && strcmp(r.status, "in_progress") && strcmp(r.status, "done"))
		rc = wrong_status(&r, "上传录音", e);
	if (!rc && bytes > (int64_t)s->visits.audio_max_mb * 1024 * 1024)
		rc = err_set(e, ERR_TOO_LARGE, "file", "录音最大%dMB", s->visits.audio_max_mb);
	if (!rc && (seconds < 0 || seconds > 6 * 3600))
		rc = err_set(e, ERR_INVALID, "seconds", "录音时长应为0到21600秒");
	if (!rc)
		rc = filestore_put(upload_path, data_dir, sha, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET audio_sha256 = $1, audio_bytes = $2, audio_seconds = $3, updated_at = $4 WHERE id = $5",
			     DB_TEXT(sha), DB_INT(bytes), DB_INT(seconds), DB_INT(date_now_unix()), DB_INT(id));
	d = json_pack("{s:s, s:I, s:I}", "sha256", sha, "bytes", (json_int_t)bytes, "seconds", (json_int_t)seconds);
	rc = visit_audit_commit(db, a, "visit.audio", id, d, rc, e);
	json_decref(d);
	return rc;
}

/* ---- reads ---- */

#define VISIT_COLS                                                                                                 \
	"v.id, v.plan_id, v.person_id, p.name, v.provider_id, pr.name, v.caregiver_id, c.name, v.mode, v.visit_date,"  \
	" v.planned_start, v.status, v.checkin_at, v.checkout_at, v.minutes, v.verify_state, v.reasons,"              \
	" v.review_state, v.late, v.disputed, ar.name, v.items, v.unlocked_until"
#define VISIT_FROM                                                                                                 \
	" FROM visits v JOIN persons p ON p.id = v.person_id LEFT JOIN areas ar ON ar.id = p.area_id"                 \
	" JOIN providers pr ON pr.id = v.provider_id JOIN caregivers c ON c.id = v.caregiver_id"

static json_t *visit_row_json(struct db_stmt *st)
{
	int m = care_mode_parse(db_col_text(st, 8));
	const char *status = db_col_text(st, 11), *vstate = db_col_text(st, 15), *review = db_col_text(st, 17);
	json_t *o = json_pack(
		"{s:I, s:I, s:{s:I, s:s, s:o}, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o,"
		" s:s, s:s, s:o, s:o, s:b, s:b}",
		"id", (json_int_t)db_col_int(st, 0), "plan_id", (json_int_t)db_col_int(st, 1), "person", "id",
		(json_int_t)db_col_int(st, 2), "name", db_col_text(st, 3), "area_name", jx_str_or_null(db_col_text(st, 20)),
		"provider", "id", (json_int_t)db_col_int(st, 4), "name", db_col_text(st, 5), "caregiver", "id",
		(json_int_t)db_col_int(st, 6), "name", db_col_text(st, 7), "mode", db_col_text(st, 8), "mode_label",
		m >= 0 ? care_mode_label((enum care_mode)m) : "", "visit_date", db_col_text(st, 9), "planned_start",
		jx_str_or_null(db_col_text(st, 10)), "status", status, "status_label", VISIT_STATUS_LABEL(status), "checkin_at",
		db_col_null(st, 12) ? json_null() : json_integer(db_col_int(st, 12)), "checkout_at",
		db_col_null(st, 13) ? json_null() : json_integer(db_col_int(st, 13)), "minutes",
		db_col_null(st, 14) ? json_null() : json_integer(db_col_int(st, 14)), "verify_state", vstate,
		"verify_label", VISIT_VERIFY_LABEL(vstate), "review_state", jx_str_or_null(review), "review_label",
		review ? json_string(VISIT_REVIEW_LABEL(review)) : json_null(), "late", db_col_int(st, 18) != 0, "disputed",
		db_col_int(st, 19) != 0);

	json_object_set_new(o, "reasons", verify_reasons_json((uint32_t)db_col_int(st, 16)));
	json_object_set_new(o, "items", db_col_text(st, 21) ? json_loads(db_col_text(st, 21), 0, NULL) : json_array());
	json_object_set_new(o, "unlocked_until", db_col_null(st, 22) || !db_col_int(st, 22) ? json_null()
											 : json_integer(db_col_int(st, 22)));
	return o;
}

/* A family account's list row: the visit, its short rating link and its rating (RATED_COLS after VISIT_COLS). */
#define RATED_COLS ", v.rating_token, r.stars, r.tags, r.comment, r.dispute, r.rated_by, r.rated_at"
#define RATED_JOIN " LEFT JOIN visit_ratings r ON r.visit_id = v.id"
static json_t *visit_row_rated_json(struct db_stmt *st)
{
	json_t *o = visit_row_json(st);

	json_object_set_new(o, "rating_token", jx_str_or_null(db_col_text(st, 23)));
	json_object_set_new(o, "rating", rating_from_cols(st, 24));
	return o;
}

/* The items of each row's plan as plan_items (one query per distinct plan of the page). */
static int add_plan_items(struct db *db, const struct scheme *s, json_t *items, struct err *e)
{
	json_t *by_plan = json_object(), *it, *pi;
	size_t i;
	int rc = 0;

	json_array_foreach(items, i, it) {
		char k[24];
		snprintf(k, sizeof k, "%lld", (long long)jx_int(it, "plan_id", 0));
		pi = json_object_get(by_plan, k);
		if (!pi) {
			rc = care_plan_items_json(db, s, jx_int(it, "plan_id", 0), &pi, e);
			json_object_set_new(by_plan, k, pi);
			if (rc)
				break;
		}
		json_object_set(it, "plan_items", pi); /* shared by the rows of one plan, never changed */
	}
	json_decref(by_plan);
	return rc;
}

/* The record's lock on a row of visit_row_json: locked lock_days after the visit date unless the bureau unlocked it
 * (visit_editable), editable the opposite. */
static void add_lock(json_t *o, const struct scheme *s, int64_t now)
{
	bool editable = visit_editable(s, jx_str(o, "visit_date"), jx_int(o, "unlocked_until", 0), now);

	json_object_set_new(o, "locked", json_boolean(!editable));
	json_object_set_new(o, "editable", json_boolean(editable));
}

/* The dates of a filter checked ('' when absent). */
static int filter_dates(const struct visit_filter *f, struct err *e)
{
	int32_t d;

	if (f->from && *f->from && !date_parse(f->from, &d))
		return err_set(e, ERR_INVALID, "from", "日期应为YYYY-MM-DD");
	if (f->to && *f->to && !date_parse(f->to, &d))
		return err_set(e, ERR_INVALID, "to", "日期应为YYYY-MM-DD");
	return 0;
}

int visit_list(struct db *db, const struct scheme *s, const struct actor *a, const struct visit_filter *f,
	       json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_vis v;
	int64_t total = 0, reason_bit = 0, now = date_now_unix();
	json_t *items, *it;
	size_t i;
	bool family = a->role == ROLE_APPLICANT;
	int rc = filter_dates(f, e);

	if (rc)
		return rc;
	if (f->status && *f->status && !VISIT_STATUS_LABEL(f->status))
		return err_set(e, ERR_INVALID, "status", "状态应为scheduled、in_progress、done、missed或cancelled");
	if (f->verify_state && *f->verify_state && !VISIT_VERIFY_LABEL(f->verify_state))
		return err_set(e, ERR_INVALID, "verify_state", "核验状态应为pending、verified或exception");
	if (f->review_state && *f->review_state && !VISIT_REVIEW_LABEL(f->review_state))
		return err_set(e, ERR_INVALID, "review_state", "审核状态应为open、explained、accepted或rejected");
	if (f->reason && *f->reason) {
		int bit = verify_reason_parse(f->reason);
		if (bit < 0)
			return err_set(e, ERR_INVALID, "reason", "异常原因应为核验规则中的原因代码（如outside_geofence、short）");
		reason_bit = (int64_t)1 << bit;
	}
	visit_visibility(db, a, &v);
	if (f->mine && !v.caregiver)
		v.caregiver = -1;
#define WHERE                                                                                                      \
	" WHERE " VISIT_VISIBLE " AND ($5 = '' OR v.visit_date >= $5) AND ($6 = '' OR v.visit_date <= $6)"            \
	" AND ($7 = 0 OR v.caregiver_id = $7) AND ($8 = 0 OR v.provider_id = $8) AND ($9 = 0 OR v.person_id = $9)"    \
	" AND ($10 = 0 OR v.plan_id = $10) AND ($11 = '' OR v.status = $11) AND ($12 = '' OR v.verify_state = $12)"  \
	" AND ($13 = '' OR v.review_state = $13) AND ($14 = 0 OR (v.reasons & $14) <> 0)"
#define ARGS                                                                                                       \
	DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(v.caregiver), DB_TEXT(f->from ? f->from : ""),  \
		DB_TEXT(f->to ? f->to : ""), DB_INT(f->caregiver_id), DB_INT(f->provider_id), DB_INT(f->person_id),      \
		DB_INT(f->plan_id), DB_TEXT(f->status ? f->status : ""), DB_TEXT(f->verify_state ? f->verify_state : ""), \
		DB_TEXT(f->review_state ? f->review_state : ""), DB_INT(reason_bit)
#define ORDER " ORDER BY v.visit_date DESC, v.planned_start, v.id DESC LIMIT $15 OFFSET $16"
	rc = db_int(db, &total, e, "SELECT COUNT(*)" VISIT_FROM WHERE, ARGS);
	if (!rc)
		rc = db_query(db, &st, e,
			      family ? "SELECT " VISIT_COLS RATED_COLS VISIT_FROM RATED_JOIN WHERE ORDER
				     : "SELECT " VISIT_COLS VISIT_FROM WHERE ORDER,
			      ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ORDER
#undef ARGS
#undef WHERE
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, family ? visit_row_rated_json : visit_row_json, e);
	/* the caregiver's phone: what each plan asks for, for the checklist */
	if (!rc && v.caregiver > 0)
		rc = add_plan_items(db, s, items, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	json_array_foreach(items, i, it) {
		add_lock(it, s, now);
		/* the family: whether each visit was rated and may still be, without a request per visit */
		if (family)
			rating_state_set(s, it);
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

/* [{code, text, count}] of the reasons counted in n (bit order, only those found). */
static json_t *reason_counts(const int64_t n[VR_COUNT])
{
	json_t *arr = json_array();

	for (int b = 0; b < VR_COUNT; b++)
		if (n[b])
			json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "code", verify_reason_code((enum verify_reason)b),
							     "text", verify_reason_text((enum verify_reason)b), "count",
							     (json_int_t)n[b]));
	return arr;
}

int visit_exception_summary(struct db *db, const struct actor *a, const struct visit_filter *f, json_t **out,
			    struct err *e)
{
	enum { N_REVIEW = VISIT_REVIEW_COUNT };
	struct db_stmt *st = NULL;
	struct visit_vis v;
	int64_t total = 0, by_state[N_REVIEW] = {0}, by_reason[VR_COUNT] = {0}, by_both[N_REVIEW][VR_COUNT] = {{0}};
	json_t *states;
	int rc = filter_dates(f, e);

	if (rc)
		return rc;
	visit_visibility(db, a, &v);
	/* one row per review state and mask: few distinct masks, the bits are counted here */
	rc = db_query(db, &st, e,
		      "SELECT COALESCE(v.review_state, ''), v.reasons, COUNT(*) FROM visits v JOIN persons p ON p.id = v.person_id"
		      " LEFT JOIN areas ar ON ar.id = p.area_id WHERE v.verify_state = 'exception' AND " VISIT_VISIBLE
		      " AND ($5 = '' OR v.visit_date >= $5) AND ($6 = '' OR v.visit_date <= $6) AND ($7 = 0 OR v.provider_id = $7)"
		      " GROUP BY v.review_state, v.reasons",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(v.caregiver),
		      DB_TEXT(f->from ? f->from : ""), DB_TEXT(f->to ? f->to : ""), DB_INT(f->provider_id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *review = db_col_text(st, 0);
		uint32_t mask = (uint32_t)db_col_int(st, 1);
		int64_t n = db_col_int(st, 2);
		int k = -1;
		rc = 0;
		for (int j = 0; j < N_REVIEW; j++)
			if (strcmp(visit_review_labels[j].key, review) == 0)
				k = j;
		total += n;
		if (k >= 0)
			by_state[k] += n;
		for (int b = 0; b < VR_COUNT; b++) {
			if (!(mask & (1u << b)))
				continue;
			by_reason[b] += n;
			if (k >= 0)
				by_both[k][b] += n;
		}
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc)
		return rc;
	states = json_array();
	for (int j = 0; j < N_REVIEW; j++)
		json_array_append_new(states, json_pack("{s:s, s:s, s:I, s:o}", "key", visit_review_labels[j].key, "label",
							visit_review_labels[j].text, "count", (json_int_t)by_state[j], "reasons",
							reason_counts(by_both[j])));
	*out = json_pack("{s:I, s:o, s:o, s:o, s:o}", "total", (json_int_t)total, "review_states", states, "reasons",
			 reason_counts(by_reason), "from", f->from && *f->from ? json_string(f->from) : json_null(), "to",
			 f->to && *f->to ? json_string(f->to) : json_null());
	return 0;
}

static json_t *point(struct db_stmt *st, int lat, int lon, int acc)
{
	if (db_col_null(st, lat))
		return json_null();
	return json_pack("{s:f, s:f, s:o}", "lat", (double)db_col_int(st, lat) / 1e6, "lon", (double)db_col_int(st, lon) / 1e6,
			 "accuracy", db_col_null(st, acc) ? json_null() : json_integer(db_col_int(st, acc)));
}

int visit_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	enum { X = 23 }; /* the first column after VISIT_COLS */
	struct db_stmt *st = NULL;
	struct visit_vis v;
	json_t *o = NULL;
	int rc;

	visit_visibility(db, a, &v);
	rc = db_query(db, &st, e,
		      "SELECT " VISIT_COLS ", v.checkin_device_at, v.checkin_received_at, v.checkin_lat_e6, v.checkin_lon_e6,"
		      " v.checkin_accuracy_m, v.checkout_device_at, v.checkout_received_at, v.checkout_lat_e6, v.checkout_lon_e6,"
		      " v.checkout_accuracy_m, v.notes, v.audio_sha256, v.audio_seconds, v.explanation, v.resolution,"
		      " v.explained_by, v.explained_at, v.decision_note, v.decided_by, v.decided_at, p.lat_e6,"
		      " p.lon_e6, v.rating_token" VISIT_FROM " WHERE v.id = $5 AND " VISIT_VISIBLE,
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(v.caregiver), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = visit_row_json(st);
		json_object_set_new(o, "checkin",
				    json_pack("{s:o, s:o, s:o}", "device_at",
					      db_col_null(st, X) ? json_null() : json_integer(db_col_int(st, X)), "received_at",
					      db_col_null(st, X + 1) ? json_null() : json_integer(db_col_int(st, X + 1)),
					      "position", point(st, X + 2, X + 3, X + 4)));
		json_object_set_new(o, "checkout",
				    json_pack("{s:o, s:o, s:o}", "device_at",
					      db_col_null(st, X + 5) ? json_null() : json_integer(db_col_int(st, X + 5)),
					      "received_at",
					      db_col_null(st, X + 6) ? json_null() : json_integer(db_col_int(st, X + 6)),
					      "position", point(st, X + 7, X + 8, X + 9)));
		json_object_set_new(o, "notes", jx_str_or_null(db_col_text(st, X + 10)));
		json_object_set_new(o, "audio", db_col_null(st, X + 11)
							? json_null()
							: json_pack("{s:s, s:I}", "sha256", db_col_text(st, X + 11), "seconds",
								    (json_int_t)db_col_int(st, X + 12)));
		json_object_set_new(o, "explanation",
				    db_col_null(st, X + 13)
					    ? json_null()
					    : json_pack("{s:s, s:s, s:s, s:I}", "text", db_col_text(st, X + 13), "resolution",
							db_col_text(st, X + 14), "by", db_col_text(st, X + 15), "at",
							(json_int_t)db_col_int(st, X + 16)));
		json_object_set_new(o, "decision",
				    db_col_null(st, X + 18)
					    ? json_null()
					    : json_pack("{s:o, s:s, s:I}", "note", jx_str_or_null(db_col_text(st, X + 17)), "by",
							db_col_text(st, X + 18), "at", (json_int_t)db_col_int(st, X + 19)));
		json_object_set_new(o, "home", db_col_null(st, X + 20)
						       ? json_null()
						       : json_pack("{s:f, s:f}", "lat", (double)db_col_int(st, X + 20) / 1e6, "lon",
								   (double)db_col_int(st, X + 21) / 1e6));
		add_lock(o, s, date_now_unix());
		/* the short rating link is for the family, not for the caregiver or the provider */
		if (a->role == ROLE_APPLICANT || a->role == ROLE_BUREAU)
			json_object_set_new(o, "rating_token", jx_str_or_null(db_col_text(st, X + 22)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务记录不存在");
	}
	db_done(st);
	if (!rc) {
		/* what the plan asks for: the caregiver's checklist starts from it */
		json_t *pi = NULL;
		rc = care_plan_items_json(db, s, jx_int(o, "plan_id", 0), &pi, e);
		json_object_set_new(o, "plan_items", pi);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static json_t *contact_row(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:o, s:b}", "name", db_col_text(st, 0), "relation", db_col_text(st, 1), "phone",
			 jx_str_or_null(db_col_text(st, 2)), "is_agent", db_col_int(st, 3) != 0);
}

int visit_contact(struct db *db, struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_row r;
	int64_t caregiver = 0, provider = 0;
	char today[DATE_STR], ids[24];
	json_t *o = NULL, *d;
	int rc;

	*out = NULL;
	if (a->role != ROLE_CAREGIVER)
		return 0;
	rc = visit_load(db, a, id, &r, e);
	if (!rc)
		rc = visit_actor_caregiver(db, a, &caregiver, &provider, e);
	if (rc)
		return rc;
	date_format(date_today_cn(), today);
	/* the caregiver's own visit still to be served, or served today: nothing older */
	if (!caregiver || r.caregiver != caregiver ||
	    (strcmp(r.status, "scheduled") && strcmp(r.status, "in_progress") && strcmp(r.day, today)))
		return 0;
	rc = db_query(db, &st, e,
		      "SELECT p.name, p.address, p.phone, ar.name FROM persons p LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE p.id = $1",
		      DB_INT(r.person));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = json_pack("{s:s, s:o, s:o, s:o}", "name", db_col_text(st, 0), "address", jx_str_or_null(db_col_text(st, 1)),
			      "phone", jx_str_or_null(db_col_text(st, 2)), "area_name", jx_str_or_null(db_col_text(st, 3)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务对象不存在");
	}
	db_done(st);
	/* the agent first, then guardians and other relatives, in the order recorded */
	if (!rc)
		rc = rows_by_id(db, o, "contacts",
			       "SELECT name, relation, phone, is_agent FROM person_contacts WHERE person_id = $1"
			       " ORDER BY is_agent DESC, id",
			       r.person, contact_row, e);
	if (!rc) {
		/* a full read of personal data: audited, naming what was shown but not its values */
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		d = json_pack("{s:I, s:b, s:b, s:I}", "person_id", (json_int_t)r.person, "address",
			      !json_is_null(json_object_get(o, "address")), "phone", !json_is_null(json_object_get(o, "phone")),
			      "contacts", (json_int_t)json_array_size(json_object_get(o, "contacts")));
		rc = audit_append(db, a, "visit.contact_read", "visit", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int visits_mark_missed(struct db *db, int32_t today, int *n, struct err *e)
{
	char day[DATE_STR];
	int64_t changes = 0;
	int rc;

	date_format(today, day);
	rc = db_exec(db, &changes, e,
		     "UPDATE visits SET status = 'missed', updated_at = $2 WHERE status = 'scheduled' AND visit_date < $1",
		     DB_TEXT(day), DB_INT(date_now_unix()));
	*n = (int)changes;
	return rc;
}

int visit_plans_today(struct db *db, const struct actor *a, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t caregiver = 0, provider = 0, person = 0;
	char today[DATE_STR];
	json_t *items;
	int rc = visit_actor_caregiver(db, a, &caregiver, &provider, e);

	if (!rc && !caregiver)
		rc = err_set(e, ERR_FORBIDDEN, NULL, "当前账号没有对应的护理员登记");
	/* a family caregiver looks after one beneficiary */
	if (!rc)
		rc = db_int(db, &person, e, "SELECT COALESCE(person_id, 0) FROM caregivers WHERE id = $1", DB_INT(caregiver));
	if (rc)
		return rc;
	date_format(date_today_cn(), today);
	rc = db_query(db, &st, e,
		      "SELECT cp.id, cp.mode, p.id, p.name, ar.name, pr.id, pr.name,"
		      " (SELECT COUNT(*) FROM visits v WHERE v.plan_id = cp.id AND v.visit_date = $3 AND v.caregiver_id = $1"
		      " AND v.status = 'scheduled')"
		      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " JOIN providers pr ON pr.id = cp.provider_id"
		      " WHERE cp.status IN ('active', 'confirmed') AND cp.mode IN ('home', 'family')"
		      " AND cp.effective_from <= $3 AND (cp.ended_on IS NULL OR cp.ended_on >= $3) AND p.death_date IS NULL"
		      " AND " CAREGIVER_SERVES " ORDER BY ar.name, cp.id LIMIT $5",
		      DB_INT(caregiver), DB_INT(provider), DB_TEXT(today), DB_INT(person), DB_INT(LIMIT_PLANS_TODAY));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		int m = care_mode_parse(db_col_text(st, 1));
		char masked[160];
		feedback_mask_name(db_col_text(st, 3), masked, sizeof masked);
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:o}, s:{s:I, s:s}, s:I}", "plan_id",
					 (json_int_t)db_col_int(st, 0), "mode", db_col_text(st, 1), "mode_label",
					 m >= 0 ? care_mode_label((enum care_mode)m) : "", "person", "id",
					 (json_int_t)db_col_int(st, 2), "name", masked, "area_name",
					 jx_str_or_null(db_col_text(st, 4)), "provider", "id", (json_int_t)db_col_int(st, 5),
					 "name", db_col_text(st, 6), "scheduled_today", (json_int_t)db_col_int(st, 7)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "date", today, "items", items);
	return 0;
}

/* The container of a recording from its first bytes (the upload's type is not kept). */
static const char *audio_type(const char *path, const char **ext)
{
	unsigned char h[12] = {0};
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, h, sizeof h);
		close(fd);
	}
	*ext = "bin";
	if (n >= 12 && memcmp(h + 4, "ftyp", 4) == 0)
		return *ext = "m4a", "audio/mp4";
	if (n >= 3 && (memcmp(h, "ID3", 3) == 0 || (h[0] == 0xFF && (h[1] & 0xE6) == 0xE2)))
		return *ext = "mp3", "audio/mpeg";
	if (n >= 2 && h[0] == 0xFF && (h[1] & 0xF6) == 0xF0)
		return *ext = "aac", "audio/aac";
	if (n >= 4 && memcmp(h, "OggS", 4) == 0)
		return *ext = "ogg", "audio/ogg";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WAVE", 4) == 0)
		return *ext = "wav", "audio/wav";
	if (n >= 4 && h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3)
		return *ext = "webm", "audio/webm";
	if (n >= 5 && memcmp(h, "#!AMR", 5) == 0)
		return *ext = "amr", "audio/amr";
	return "application/octet-stream";
}

int visit_audio_file(struct db *db, const struct actor *a, int64_t id, const char *data_dir, char *path,
		     size_t psize, char *type, size_t tsize, char *name, size_t nsize, struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_row r;
	char sha[65] = "", ids[24];
	const char *ext;
	int64_t bytes = 0;
	json_t *d;
	int rc = visit_load(db, a, id, &r, e);

	if (!rc)
		rc = db_query(db, &st, e, "SELECT audio_sha256, COALESCE(audio_bytes, 0) FROM visits WHERE id = $1",
			      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(sha, db_col_text(st, 0) ? db_col_text(st, 0) : "", sizeof sha);
		bytes = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务记录不存在");
	}
	db_done(st);
	if (!rc && strlen(sha) != 64)
		rc = err_set(e, ERR_NOT_FOUND, "audio", "该次服务没有录音");
	if (rc)
		return rc;
	filestore_path(data_dir, sha, path, psize);
	if (access(path, R_OK) != 0)
		return err_set(e, ERR_NOT_FOUND, "audio", "录音文件不存在");
	str_copy(type, audio_type(path, &ext), tsize);
	snprintf(name, nsize, "visit-%lld-%s.%s", (long long)id, r.day, ext);
	/* a recording in a home: every playback is audited */
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	d = json_pack("{s:s, s:I}", "sha256", sha, "bytes", (json_int_t)bytes);
	rc = audit_append(db, a, "visit.audio_read", "visit", ids, AUDIT_OK, d, e);
	json_decref(d);
	return rc;
}

int visit_map(struct db *db, const struct actor *a, const char *date, int64_t provider_id, json_t **out,
	      struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_vis v;
	char day[DATE_STR];
	json_t *items;
	int32_t d = 0;
	int rc;

	if (date && !date_parse(date, &d))
		return err_set(e, ERR_INVALID, "date", "日期应为YYYY-MM-DD");
	date_format(date ? d : date_today_cn(), day);
	visit_visibility(db, a, &v);
	rc = db_query(db, &st, e,
		      "SELECT v.id, v.checkin_lat_e6, v.checkin_lon_e6, v.status, v.verify_state, v.reasons, pr.name, p.lat_e6,"
		      " p.lon_e6, v.provider_id FROM visits v JOIN providers pr ON pr.id = v.provider_id"
		      " JOIN persons p ON p.id = v.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE v.visit_date = $5 AND v.status IN ('in_progress', 'done') AND " VISIT_VISIBLE
		      " AND ($6 = 0 OR v.provider_id = $6) ORDER BY v.id LIMIT $7",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(v.caregiver), DB_TEXT(day),
		      DB_INT(provider_id), DB_INT(LIMIT_MAP_POINTS));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "status",
				      db_col_text(st, 3), "verify_state", db_col_text(st, 4), "provider", db_col_text(st, 6),
				      "provider_id", (json_int_t)db_col_int(st, 9));
		json_object_set_new(o, "lat", db_col_null(st, 1) ? json_null() : json_real((double)db_col_int(st, 1) / 1e6));
		json_object_set_new(o, "lon", db_col_null(st, 2) ? json_null() : json_real((double)db_col_int(st, 2) / 1e6));
		json_object_set_new(o, "home_lat", db_col_null(st, 7) ? json_null() : json_real((double)db_col_int(st, 7) / 1e6));
		json_object_set_new(o, "home_lon", db_col_null(st, 8) ? json_null() : json_real((double)db_col_int(st, 8) / 1e6));
		json_object_set_new(o, "reasons", verify_reasons_json((uint32_t)db_col_int(st, 5)));
		json_array_append_new(items, o);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "date", day, "items", items);
	return 0;
}

/* ---- exceptions, locks, corrections ---- */

bool visit_editable(const struct scheme *s, const char *visit_date, int64_t unlocked_until, int64_t now)
{
	int32_t day;

	if (unlocked_until > now)
		return true;
	if (!visit_date || !date_parse(visit_date, &day))
		return false;
	return date_of_unix_cn(now) <= day + s->visits.lock_days;
}

int visit_explain(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"explanation", JX_STRING, JX_REQUIRED | JX_MULTILINE, 4, LIMIT_TEXT_MAX},
		{"resolution", JX_STRING, JX_REQUIRED, 1, 24},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	bool known = false;
	int rc = jx_check(in, fields, "", e);

	for (const char *const *k = resolutions; !rc && *k; k++)
		known |= strcmp(*k, jx_str(in, "resolution")) == 0;
	if (!rc && !known)
		rc = err_set(e, ERR_INVALID, "resolution",
			     "处理类别应为staff_error、device_problem、beneficiary_request、emergency或other");
	if (!rc)
		rc = visit_load(db, a, id, &r, e);
	if (!rc && strcmp(r.verify, "exception") != 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该服务记录没有异常，无需说明");
	if (!rc && strcmp(r.review, "open") && strcmp(r.review, "explained"))
		rc = err_set(e, ERR_CONFLICT, "status", "经办机构已审核，不能再修改说明");
	if (!rc && !visit_editable(s, r.day, r.unlocked_until, date_now_unix()))
		rc = err_set(e, ERR_CONFLICT, "status", "服务记录已超过%d天锁定，须经办机构解锁后才能说明", s->visits.lock_days);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET review_state = 'explained', explanation = $1, resolution = $2, explained_by = $3,"
			     " explained_at = $4, updated_at = $4 WHERE id = $5",
			     DB_TEXT(jx_str(in, "explanation")), DB_TEXT(jx_str(in, "resolution")), DB_TEXT(a->username),
			     DB_INT(date_now_unix()), DB_INT(id));
	return visit_audit_commit(db, a, "visit.explain", id, in, rc, e);
}

int visit_decide(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"decision", JX_STRING, JX_REQUIRED, 1, 16},
		{"note", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	const char *decision;
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (rc)
		return rc;
	decision = jx_str(in, "decision");
	if (strcmp(decision, "accept") && strcmp(decision, "reject"))
		return err_set(e, ERR_INVALID, "decision", "审核结论应为accept（认可）或reject（不予认可）");
	rc = visit_load(db, a, id, &r, e);
	if (!rc && strcmp(r.verify, "exception") != 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该服务记录没有异常");
	if (!rc && strcmp(r.review, "open") && strcmp(r.review, "explained"))
		rc = err_set(e, ERR_CONFLICT, "status", "已审核");
	/* an unqualified caregiver's service is never paid, whatever the explanation */
	if (!rc && strcmp(decision, "accept") == 0 && (r.reasons & (1u << VR_UNQUALIFIED)))
		rc = err_set(e, ERR_CONFLICT, "decision", "护理员当日不具备服务资格，该服务不能认可");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET review_state = $1, decision_note = $2, decided_by = $3, decided_at = $4,"
			     " updated_at = $4 WHERE id = $5",
			     DB_TEXT(strcmp(decision, "accept") == 0 ? "accepted" : "rejected"), DB_TEXT(jx_str(in, "note")),
			     DB_TEXT(a->username), DB_INT(date_now_unix()), DB_INT(id));
	return visit_audit_commit(db, a, "visit.decide", id, in, rc, e);
}

int visit_unlock(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"hours", JX_INT, JX_REQUIRED, 1, 168},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = visit_load(db, a, id, &r, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE visits SET unlocked_until = $1, updated_at = $2 WHERE id = $3",
			     DB_INT(now + jx_int(in, "hours", 1) * 3600), DB_INT(now), DB_INT(id));
	return visit_audit_commit(db, a, "visit.unlock", id, in, rc, e);
}

int visit_correct(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		  struct err *e)
{
	static const struct jx_field fields[] = {
		{"items", JX_ARRAY, 0, 0, 0},
		{"notes", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{"checkout_at", JX_INT, 0, 1, INT64_MAX},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct visit_row r;
	char *items = NULL;
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc && json_object_get(in, "items"))
		rc = items_text(s, json_object_get(in, "items"), &items, e);
	if (!rc)
		rc = visit_load(db, a, id, &r, e);
	if (!rc && strcmp(r.status, "done") != 0)
		rc = wrong_status(&r, "更正", e);
	if (!rc && !visit_editable(s, r.day, r.unlocked_until, now))
		rc = err_set(e, ERR_CONFLICT, "status", "服务记录已超过%d天锁定，更正须经办机构解锁", s->visits.lock_days);
	if (!rc && jx_has(in, "checkout_at") && (jx_int(in, "checkout_at", 0) < r.checkin_at || jx_int(in, "checkout_at", 0) > now))
		rc = err_set(e, ERR_INVALID, "checkout_at", "签退时间应在签到之后、现在之前");
	if (rc)
		goto out;
	rc = db_begin(db, e);
	if (!rc && items)
		rc = db_exec(db, NULL, e, "UPDATE visits SET items = $1 WHERE id = $2", DB_TEXT(items), DB_INT(id));
	if (!rc && jx_has(in, "notes"))
		rc = db_exec(db, NULL, e, "UPDATE visits SET notes = $1 WHERE id = $2", DB_TEXT(jx_str(in, "notes")), DB_INT(id));
	if (!rc && jx_has(in, "checkout_at"))
		rc = db_exec(db, NULL, e, "UPDATE visits SET checkout_at = $1 WHERE id = $2",
			     DB_INT(jx_int(in, "checkout_at", 0)), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE visits SET updated_at = $1 WHERE id = $2", DB_INT(now), DB_INT(id));
	if (!rc)
		rc = visit_reverify(db, s, id, e);
	rc = visit_audit_commit(db, a, "visit.correct", id, in, rc, e);
out:
	free(items);
	return rc;
}
