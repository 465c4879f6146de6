/* attendance.c: monthly family-care attestations and daily institutional presence (see attendance.h). */
#include "svc/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/rows.h"

static const char *const methods[][2] = {
	{"in_person", "当面确认"}, {"signature", "签字确认"}, {"phone", "电话确认"}, {"online", "网上确认"},
};

static const char *const presence_statuses[][2] = {
	{"in", "在院"}, {"out", "外出"}, {"hospital", "住院"}, {"leave", "回家探亲"},
};
#define N_PRESENCE (sizeof presence_statuses / sizeof presence_statuses[0])

static const char *label_of(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return NULL;
}

#define LABEL(table, key) label_of(table, sizeof table / sizeof table[0], key)

/* Longest stretch of months listed as missing an attestation (ten years). */
#define MISSING_MONTHS_MAX 120

/* ---- the plan ---- */

struct plan {
	int64_t id, person, provider;
	int visits_per_week;
	char mode[16], status[16], person_name[160], provider_name[160];
	int32_t from, until;       /* days in force (until: INT32_MAX while open); from 0 when never in force */
	int32_t death;             /* 0 if alive */
};

/* Provider staff see their provider's plans, area staff those of persons in their area, family accounts their
 * persons'. A plan not visible reads as missing. */
static int load_plan(struct db *db, const struct actor *a, int64_t id, const char *field, struct plan *p,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	char area[180];
	int64_t family = a->role == ROLE_APPLICANT ? (a->user_id ? a->user_id : -1) : 0;
	int rc;

	memset(p, 0, sizeof *p);
	actor_area_like(a, area, sizeof area);
	if (a->provider_id || family)
		area[0] = '\0';
	rc = db_query(db, &st, e,
		      "SELECT cp.id, cp.person_id, cp.provider_id, cp.mode, cp.status, cp.effective_from, cp.ended_on,"
		      " cp.visits_per_week, p.name, pr.name, p.death_date"
		      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		      " JOIN providers pr ON pr.id = cp.provider_id"
		      " WHERE ($1 = 0 OR cp.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2)"
		      " AND ($3 = 0 OR cp.person_id IN (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3))"
		      " AND cp.id = $4",
		      DB_INT(a->provider_id), DB_TEXT(area), DB_INT(family), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *status = db_col_text(st, 4);
		bool in_force = strcmp(status, "active") == 0 || strcmp(status, "superseded") == 0 ||
				strcmp(status, "ended") == 0;
		rc = 0;
		p->id = db_col_int(st, 0);
		p->person = db_col_int(st, 1);
		p->provider = db_col_int(st, 2);
		str_copy(p->mode, db_col_text(st, 3), sizeof p->mode);
		str_copy(p->status, status, sizeof p->status);
		if (!in_force || !db_col_text(st, 5) || !date_parse(db_col_text(st, 5), &p->from))
			p->from = 0;
		if (!db_col_text(st, 6) || !date_parse(db_col_text(st, 6), &p->until))
			p->until = INT32_MAX;
		p->visits_per_week = (int)db_col_int(st, 7);
		str_copy(p->person_name, db_col_text(st, 8), sizeof p->person_name);
		str_copy(p->provider_name, db_col_text(st, 9), sizeof p->provider_name);
		if (!db_col_text(st, 10) || !date_parse(db_col_text(st, 10), &p->death))
			p->death = 0;
	} else if (rc == DB_DONE) {
		rc = field && strcmp(field, "id") != 0 ? err_set(e, ERR_INVALID, field, "护理计划不存在")
						       : err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
	}
	db_done(st);
	return rc;
}

/* The days of [first, last] the plan was in force (and today had come): *from..*to, the count returned. */
static int days_in_force(const struct plan *p, int32_t first, int32_t last, int32_t *from, int32_t *to)
{
	int32_t today = date_today_cn();

	*from = first > p->from ? first : p->from;
	*to = last < p->until ? last : p->until;
	if (*to > today)
		*to = today;
	if (!p->from || *to < *from)
		return 0;
	return (int)(*to - *from + 1);
}

/* 'YYYY-MM' into its first and last day. */
static bool month_parse(const char *s, int32_t *first, int32_t *last)
{
	int y, m;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	if (m < 1 || m > 12 || !date_valid_ymd(y, m, 1))
		return false;
	*first = date_from_ymd(y, m, 1);
	*last = date_from_ymd(y, m, date_days_in_month(y, m));
	return true;
}

static void month_format(int32_t day, char out[8])
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(out, 8, "%04d-%02d", y % 10000, m % 100);
}

static int32_t month_first(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, m, 1);
}

/* The day the attestation of the month starting at first is due: the scheme's attestation_day of the month
 * after (0 when the scheme sets none). */
static int32_t attestation_due(const struct scheme *s, int32_t first)
{
	int y, m, d;

	if (!s->visits.defined || s->visits.attestation_day <= 0)
		return 0;
	date_to_ymd(date_add_months(first, 1), &y, &m, &d);
	return date_from_ymd(y, m, s->visits.attestation_day);
}

static json_t *day_or_null(int32_t day)
{
	char s[DATE_STR];

	if (!day)
		return json_null();
	date_format(day, s);
	return json_string(s);
}

/* ---- family care: attestations ---- */

#define ATTEST_COLS                                                                                                \
	"id, plan_id, month, caregiver_days, beneficiary_name, beneficiary_relation, method, visits_required,"      \
	" visits_done, recorded_by, recorded_at"

static json_t *attestation_row(const struct scheme *s, struct db_stmt *st)
{
	int32_t first = 0, last = 0, due;
	int64_t required = db_col_int(st, 7), done = db_col_int(st, 8);
	bool late;

	month_parse(db_col_text(st, 2), &first, &last);
	due = attestation_due(s, first);
	late = due && date_of_unix_cn(db_col_int(st, 10)) > due;
	return json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:s, s:I, s:o, s:b}", "id",
			 (json_int_t)db_col_int(st, 0), "plan_id", (json_int_t)db_col_int(st, 1), "month",
			 db_col_text(st, 2), "caregiver_days", (int)db_col_int(st, 3), "beneficiary_name",
			 db_col_text(st, 4), "beneficiary_relation", db_col_text(st, 5), "method", db_col_text(st, 6),
			 "method_label", LABEL(methods, db_col_text(st, 6)) ? LABEL(methods, db_col_text(st, 6)) : "",
			 "visits_required", (json_int_t)required, "visits_done", (json_int_t)done, "visits_short",
			 done < required, "recorded_by", db_col_text(st, 9), "recorded_at", (json_int_t)db_col_int(st, 10),
			 "due_on", day_or_null(due), "late", late);
}

int attestation_create(struct db *db, const struct scheme *s, struct actor *a, int64_t plan_id, const json_t *in,
		       json_t **out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"month", JX_STRING, JX_REQUIRED, 7, 7},
		{"caregiver_days", JX_INT, JX_REQUIRED, 0, 31},
		{"beneficiary_name", JX_STRING, 0, 1, 150},
		{"beneficiary_relation", JX_STRING, 0, 1, 30},
		{"method", JX_STRING, 0, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	struct plan p;
	struct db_stmt *st = NULL;
	char name[160] = "", relation[40] = "", method[16] = "", first_s[DATE_STR], last_s[DATE_STR], ids[24];
	int32_t first, last, from, to, this_month = month_first(date_today_cn());
	int64_t done = 0, existing = 0, id = 0, now = date_now_unix();
	int days, required, caregiver_days, rc = jx_check(in, fields, "", e);
	bool family_account = a->role == ROLE_APPLICANT;

	if (!rc)
		rc = load_plan(db, a, plan_id, NULL, &p, e);
	if (rc)
		return rc;
	if (strcmp(p.mode, "family") != 0)
		return err_set(e, ERR_CONFLICT, "mode", "只有亲情护理计划需要按月确认服务情况");
	if (!month_parse(jx_str(in, "month"), &first, &last))
		return err_set(e, ERR_INVALID, "month", "月份应为YYYY-MM");
	if (first > this_month)
		return err_set(e, ERR_INVALID, "month", "不能确认尚未到来的月份");
	days = days_in_force(&p, first, last, &from, &to);
	if (!days)
		return err_set(e, ERR_CONFLICT, "month", "该护理计划在%s未执行", jx_str(in, "month"));
	caregiver_days = (int)jx_int(in, "caregiver_days", 0);
	if (caregiver_days > days)
		return err_set(e, ERR_INVALID, "caregiver_days", "亲情护理天数不能超过该月计划执行的%d天", days);
	/* who attests, and how */
	if (jx_str(in, "method"))
		str_copy(method, jx_str(in, "method"), sizeof method);
	if (family_account) {
		if (method[0] && strcmp(method, "online") != 0)
			return err_set(e, ERR_INVALID, "method", "家属账号只能网上确认（method应为online）");
		str_copy(method, "online", sizeof method);
		rc = db_query(db, &st, e,
			      "SELECT u.display_name, up.relation FROM users u JOIN user_persons up ON up.user_id = u.id"
			      " WHERE u.id = $1 AND up.person_id = $2",
			      DB_INT(a->user_id), DB_INT(p.person));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			str_copy(name, db_col_text(st, 0), sizeof name);
			str_copy(relation, db_col_text(st, 1), sizeof relation);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "id", "护理计划不存在");
		}
		db_done(st);
		if (rc)
			return rc;
	} else {
		if (!method[0] || !jx_str(in, "beneficiary_name") || !jx_str(in, "beneficiary_relation"))
			return err_set(e, ERR_INVALID,
				       !jx_str(in, "beneficiary_name")       ? "beneficiary_name"
				       : !jx_str(in, "beneficiary_relation") ? "beneficiary_relation"
									     : "method",
				       "须记录确认人（参保人或代理人）姓名、与参保人的关系和确认方式");
		if (strcmp(method, "in_person") && strcmp(method, "signature") && strcmp(method, "phone"))
			return err_set(e, ERR_INVALID, "method",
				       "确认方式应为in_person（当面确认）、signature（签字确认）或phone（电话确认）");
	}
	if (jx_str(in, "beneficiary_name"))
		str_copy(name, jx_str(in, "beneficiary_name"), sizeof name);
	if (jx_str(in, "beneficiary_relation"))
		str_copy(relation, jx_str(in, "beneficiary_relation"), sizeof relation);
	if (str_utf8_len(name) > 50)
		return err_set(e, ERR_INVALID, "beneficiary_name", "确认人姓名最多50个字");
	rc = db_int(db, &existing, e, "SELECT COUNT(*) FROM family_attestations WHERE plan_id = $1 AND month = $2",
		    DB_INT(p.id), DB_TEXT(jx_str(in, "month")));
	if (!rc && existing)
		rc = err_set(e, ERR_CONFLICT, "month", "%s的服务情况已经确认，不能重复确认", jx_str(in, "month"));
	if (rc)
		return rc;
	/* the month's visits that count: verified, or an exception the bureau accepted */
	date_format(first, first_s);
	date_format(last, last_s);
	rc = db_int(db, &done, e,
		    "SELECT COUNT(*) FROM visits WHERE plan_id = $1 AND visit_date >= $2 AND visit_date <= $3"
		    " AND (verify_state = 'verified' OR review_state = 'accepted')",
		    DB_INT(p.id), DB_TEXT(first_s), DB_TEXT(last_s));
	if (rc)
		return rc;
	required = p.visits_per_week * days / 7;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, &id, e,
			    "INSERT INTO family_attestations (plan_id, month, caregiver_days, beneficiary_name,"
			    " beneficiary_relation, method, visits_required, visits_done, recorded_by, recorded_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
			    DB_INT(p.id), DB_TEXT(jx_str(in, "month")), DB_INT(caregiver_days), DB_TEXT(name),
			    DB_TEXT(relation), DB_TEXT(method), DB_INT(required), DB_INT(done), DB_TEXT(a->username),
			    DB_INT(now));
	if (rc && db_last_unique_violation(db))
		rc = err_set(e, ERR_CONFLICT, "month", "%s的服务情况已经确认，不能重复确认", jx_str(in, "month"));
	if (!rc) {
		json_t *detail = json_pack("{s:s, s:i, s:s, s:i, s:i, s:I, s:I}", "month", jx_str(in, "month"),
					   "caregiver_days", caregiver_days, "method", method, "days_in_force", days,
					   "visits_required", required, "visits_done", (json_int_t)done, "attestation_id",
					   (json_int_t)id);
		snprintf(ids, sizeof ids, "%lld", (long long)p.id);
		rc = audit_append(db, a, "attestation.create", "care_plan", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (rc)
		return rc;
	rc = db_query(db, &st, e, "SELECT " ATTEST_COLS " FROM family_attestations WHERE id = $1", DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*out = attestation_row(s, st);
		json_object_set_new(*out, "days_in_force", json_integer(days));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INTERNAL, NULL, "attestation vanished");
	}
	db_done(st);
	return rc;
}

int attestation_list(struct db *db, const struct scheme *s, const struct actor *a, int64_t plan_id, json_t **out,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	struct plan p;
	json_t *items, *missing;
	int32_t this_month = month_first(date_today_cn()), today = date_today_cn();
	int rc = load_plan(db, a, plan_id, NULL, &p, e);

	if (rc)
		return rc;
	if (strcmp(p.mode, "family") != 0)
		return err_set(e, ERR_CONFLICT, "mode", "只有亲情护理计划需要按月确认服务情况");
	rc = db_query(db, &st, e, "SELECT " ATTEST_COLS " FROM family_attestations WHERE plan_id = $1 ORDER BY month DESC",
		      DB_INT(p.id));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(items, attestation_row(s, st));
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	/* completed months in force without an attestation, oldest first */
	missing = json_array();
	if (p.from) {
		int32_t m = month_first(p.from), end = p.until < today ? p.until : today;
		for (int n = 0; m < this_month && m <= end && n < MISSING_MONTHS_MAX; n++) {
			char ms[8];
			bool found = false;
			size_t i;
			json_t *it;
			int32_t due = attestation_due(s, m);
			month_format(m, ms);
			json_array_foreach(items, i, it)
				found = found || strcmp(json_string_value(json_object_get(it, "month")), ms) == 0;
			if (!found)
				json_array_append_new(missing, json_pack("{s:s, s:o, s:b}", "month", ms, "due_on",
									 day_or_null(due), "overdue", due && today > due));
			m = date_add_months(m, 1);
		}
	}
	*out = json_pack("{s:I, s:{s:I, s:s}, s:s, s:i, s:o, s:o}", "plan_id", (json_int_t)p.id, "person", "id",
			 (json_int_t)p.person, "name", p.person_name, "status", p.status, "visits_per_week",
			 p.visits_per_week, "items", items, "missing", missing);
	return 0;
}

/* ---- institutional care: presence ---- */

struct stay {
	int64_t id;
	int32_t admitted, discharged;  /* discharged INT32_MAX while in hospital */
	char hospital[160];
};

/* The person's hospital stays overlapping [first, last] (at most n). */
static int load_stays(struct db *db, int64_t person, int32_t first, int32_t last, struct stay *v, int max, int *n,
		      struct err *e)
{
	struct db_stmt *st = NULL;
	char first_s[DATE_STR], last_s[DATE_STR];
	int rc;

	*n = 0;
	date_format(first, first_s);
	date_format(last, last_s);
	rc = db_query(db, &st, e,
		      "SELECT id, admitted, discharged, hospital FROM hospital_stays WHERE person_id = $1 AND admitted <= $3"
		      " AND (discharged IS NULL OR discharged >= $2) ORDER BY admitted",
		      DB_INT(person), DB_TEXT(first_s), DB_TEXT(last_s));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (*n == max)
			continue;
		v[*n].id = db_col_int(st, 0);
		if (!date_parse(db_col_text(st, 1), &v[*n].admitted))
			continue;
		if (!db_col_text(st, 2) || !date_parse(db_col_text(st, 2), &v[*n].discharged))
			v[*n].discharged = INT32_MAX;
		str_copy(v[*n].hospital, db_col_text(st, 3) ? db_col_text(st, 3) : "", sizeof v[*n].hospital);
		(*n)++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

static const struct stay *stay_on(const struct stay *v, int n, int32_t day)
{
	for (int i = 0; i < n; i++)
		if (v[i].admitted <= day && day <= v[i].discharged)
			return &v[i];
	return NULL;
}

/* Whether a day's status agrees with the hospital stays: NULL if it does, else why not. Admission and discharge
 * days may be spent in either place. */
static const char *disagreement(const char *status, const struct stay *stay, int32_t day)
{
	if (strcmp(status, "hospital") == 0)
		return stay ? NULL : "登记为住院，但该日没有住院记录，请核实（住院记录由经办机构登记）";
	if (stay && day > stay->admitted && day < stay->discharged)
		return "该日在住院期间，但登记的不是住院";
	return NULL;
}

int presence_record(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"plan_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"day", JX_STRING, JX_REQUIRED, 10, 10},
		{"status", JX_STRING, JX_REQUIRED, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	struct plan p;
	struct db_stmt *st = NULL;
	struct stay stays[4];
	const struct stay *stay;
	const char *status, *why;
	char day_s[DATE_STR], previous[16] = "", ids[24];
	int64_t prev_provider = 0, now = date_now_unix();
	int32_t day, today = date_today_cn();
	int n_stays = 0, rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_plan(db, a, jx_int(in, "plan_id", 0), "plan_id", &p, e);
	if (rc)
		return rc;
	status = jx_str(in, "status");
	if (!LABEL(presence_statuses, status))
		return err_set(e, ERR_INVALID, "status", "在院状态应为in（在院）、out（外出）、hospital（住院）或leave（回家探亲）");
	if (strcmp(p.mode, "institution") != 0)
		return err_set(e, ERR_CONFLICT, "plan_id", "只有机构护理计划按日登记在院情况");
	if (!date_parse(jx_str(in, "day"), &day))
		return err_set(e, ERR_INVALID, "day", "日期应为YYYY-MM-DD");
	if (day > today)
		return err_set(e, ERR_INVALID, "day", "不能登记今天以后的在院情况");
	if (!p.from || day < p.from || day > p.until)
		return err_set(e, ERR_CONFLICT, "day", "%s不在护理计划的执行期内", jx_str(in, "day"));
	if (p.death && day > p.death)
		return err_set(e, ERR_CONFLICT, "day", "参保人已登记死亡，不能登记死亡以后的在院情况");
	date_format(day, day_s);
	rc = db_query(db, &st, e, "SELECT status, provider_id FROM presence WHERE person_id = $1 AND day = $2",
		      DB_INT(p.person), DB_TEXT(day_s));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(previous, db_col_text(st, 0), sizeof previous);
		prev_provider = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	if (!rc && previous[0] && a->provider_id && prev_provider != a->provider_id)
		rc = err_set(e, ERR_CONFLICT, "day", "该日的在院情况已由其他机构登记");
	if (!rc)
		rc = load_stays(db, p.person, day, day, stays, 4, &n_stays, e);
	if (rc)
		return rc;
	stay = stay_on(stays, n_stays, day);
	why = disagreement(status, stay, day);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO presence (plan_id, person_id, provider_id, day, status, recorded_by, recorded_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (person_id, day) DO UPDATE SET"
			     " plan_id = excluded.plan_id, provider_id = excluded.provider_id, status = excluded.status,"
			     " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
			     DB_INT(p.id), DB_INT(p.person), DB_INT(p.provider), DB_TEXT(day_s), DB_TEXT(status),
			     DB_TEXT(a->username), DB_INT(now));
	if (!rc) {
		json_t *detail = json_pack("{s:s, s:s, s:o, s:b}", "day", day_s, "status", status, "previous",
					   previous[0] ? json_string(previous) : json_null(), "hospital_consistent", why == NULL);
		snprintf(ids, sizeof ids, "%lld", (long long)p.id);
		rc = audit_append(db, a, "presence.record", "care_plan", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (rc)
		return rc;
	*out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:o}", "plan_id", (json_int_t)p.id, "person_id",
			 (json_int_t)p.person, "day", day_s, "status", status, "status_label", LABEL(presence_statuses, status),
			 "previous", previous[0] ? json_string(previous) : json_null(), "changed",
			 strcmp(previous, status) != 0, "consistent", why == NULL, "warning",
			 why ? json_string(why) : json_null());
	json_object_set_new(*out, "hospital_stay",
			    stay ? json_pack("{s:I, s:o, s:o, s:s}", "id", (json_int_t)stay->id, "admitted",
					     day_or_null(stay->admitted), "discharged",
					     stay->discharged == INT32_MAX ? json_null() : day_or_null(stay->discharged),
					     "hospital", stay->hospital)
				 : json_null());
	return 0;
}

static json_t *counts_json(const int64_t counts[N_PRESENCE])
{
	json_t *o = json_object();

	for (size_t i = 0; i < N_PRESENCE; i++)
		json_object_set_new(o, presence_statuses[i][0], json_integer(counts[i]));
	return o;
}

static int status_index(const char *status)
{
	for (size_t i = 0; i < N_PRESENCE; i++)
		if (strcmp(presence_statuses[i][0], status) == 0)
			return (int)i;
	return -1;
}

/* One resident's month: every recorded day, the counts, days without a record, disagreements with the stays. */
static int presence_month_of_plan(struct db *db, const struct actor *a, int64_t plan_id, int32_t first,
				  int32_t last, json_t **out, struct err *e)
{
	struct plan p;
	struct db_stmt *st = NULL;
	struct stay stays[32];
	char first_s[DATE_STR], last_s[DATE_STR], ms[8];
	int64_t counts[N_PRESENCE] = {0};
	int32_t from, to;
	int n_stays = 0, days, recorded = 0, rc = load_plan(db, a, plan_id, "plan_id", &p, e);
	json_t *items, *bad;

	if (rc)
		return rc;
	if (strcmp(p.mode, "institution") != 0)
		return err_set(e, ERR_INVALID, "plan_id", "只有机构护理计划按日登记在院情况");
	days = days_in_force(&p, first, last, &from, &to);
	rc = load_stays(db, p.person, first, last, stays, 32, &n_stays, e);
	if (rc)
		return rc;
	date_format(first, first_s);
	date_format(last, last_s);
	rc = db_query(db, &st, e,
		      "SELECT day, status, recorded_by, recorded_at FROM presence WHERE person_id = $1 AND plan_id = $2"
		      " AND day >= $3 AND day <= $4 ORDER BY day",
		      DB_INT(p.person), DB_INT(p.id), DB_TEXT(first_s), DB_TEXT(last_s));
	if (rc)
		return rc;
	items = json_array();
	bad = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *day_s = db_col_text(st, 0), *status = db_col_text(st, 1), *why;
		int32_t day = 0;
		int k = status_index(status);
		const struct stay *stay;
		date_parse(day_s, &day);
		stay = stay_on(stays, n_stays, day);
		why = disagreement(status, stay, day);
		if (k >= 0)
			counts[k]++;
		if (day >= from && day <= to)
			recorded++;
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "day", day_s, "status", status,
						       "status_label", k >= 0 ? presence_statuses[k][1] : status,
						       "recorded_by", db_col_text(st, 2), "recorded_at",
						       (json_int_t)db_col_int(st, 3), "in_hospital_stay", stay != NULL));
		if (why)
			json_array_append_new(bad, json_pack("{s:s, s:s, s:s}", "day", day_s, "status", status, "reason", why));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		json_decref(bad);
		return rc;
	}
	month_format(first, ms);
	*out = json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:i, s:o, s:o, s:i, s:o}", "plan_id", (json_int_t)p.id,
			 "person", "id", (json_int_t)p.person, "name", p.person_name, "provider", "id",
			 (json_int_t)p.provider, "name", p.provider_name, "month", ms, "days_in_force", days, "items", items,
			 "counts", counts_json(counts), "missing", days > recorded ? days - recorded : 0, "inconsistent", bad);
	return 0;
}

int presence_list(struct db *db, const struct actor *a, const struct presence_filter *f, json_t **out,
		  struct err *e)
{
	struct db_stmt *st = NULL;
	char area[180], first_s[DATE_STR], last_s[DATE_STR], ms[8];
	int64_t counts[N_PRESENCE] = {0}, total = 0;
	int32_t first, last;
	json_t *items;
	int rc;

	if (f->month && *f->month) {
		if (!month_parse(f->month, &first, &last))
			return err_set(e, ERR_INVALID, "month", "月份应为YYYY-MM");
	} else {
		int y, m, d;
		date_to_ymd(date_today_cn(), &y, &m, &d);
		first = date_from_ymd(y, m, 1);
		last = date_from_ymd(y, m, date_days_in_month(y, m));
	}
	if (f->plan_id)
		return presence_month_of_plan(db, a, f->plan_id, first, last, out, e);
	actor_area_like(a, area, sizeof area);
	if (a->provider_id)
		area[0] = '\0';
	date_format(first, first_s);
	date_format(last, last_s);
#define FROM                                                                                                       \
	" FROM presence x JOIN persons p ON p.id = x.person_id LEFT JOIN areas ar ON ar.id = p.area_id"              \
	" JOIN providers pr ON pr.id = x.provider_id"                                                                \
	" WHERE ($1 = 0 OR x.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2) AND ($3 = 0 OR x.provider_id = $3)"  \
	" AND x.day >= $4 AND x.day <= $5"
#define ARGS DB_INT(a->provider_id), DB_TEXT(area), DB_INT(f->provider_id), DB_TEXT(first_s), DB_TEXT(last_s)
	rc = db_query(db, &st, e, "SELECT x.status, COUNT(*)" FROM " GROUP BY x.status", ARGS);
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int k = status_index(db_col_text(st, 0));
		rc = 0;
		if (k >= 0)
			counts[k] = db_col_int(st, 1);
		total += db_col_int(st, 1);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT x.day, x.status, x.plan_id, x.person_id, p.name, x.provider_id, pr.name, x.recorded_by,"
			      " x.recorded_at" FROM " ORDER BY x.day DESC, x.person_id LIMIT $6 OFFSET $7",
			      ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef FROM
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		int k = status_index(db_col_text(st, 1));
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:I}", "day",
						       db_col_text(st, 0), "status", db_col_text(st, 1), "status_label",
						       k >= 0 ? presence_statuses[k][1] : db_col_text(st, 1), "plan_id",
						       (json_int_t)db_col_int(st, 2), "person", "id",
						       (json_int_t)db_col_int(st, 3), "name", db_col_text(st, 4), "provider",
						       "id", (json_int_t)db_col_int(st, 5), "name", db_col_text(st, 6),
						       "recorded_by", db_col_text(st, 7), "recorded_at",
						       (json_int_t)db_col_int(st, 8)));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	month_format(first, ms);
	*out = rows_page(items, total, f->page, f->page_size);
	json_object_set_new(*out, "month", json_string(ms));
	json_object_set_new(*out, "counts", counts_json(counts));
	return 0;
}
