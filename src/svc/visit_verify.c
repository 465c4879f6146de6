/* visit_verify.c: turning the facts around a visit into the inputs of rules/verify.c: one visit at a time (at
 * check-out, after a dispute or a correction), or a whole month in bulk with every fact loaded once and the visits
 * walked in check-in order (the caregiver's previous visit and the plan week's minutes carried along). Only rows
 * whose outcome changes are written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "rules/qualify.h"
#include "rules/verify.h"
#include "svc/caregiver.h"
#include "svc/visit.h"
#include "svc/visit_internal.h"

static int32_t day_of(const char *s, int32_t def)
{
	int32_t d;
	return s && date_parse(s, &d) ? d : def;
}

static void load_point(struct db_stmt *st, int col, struct verify_point *p)
{
	p->has = !db_col_null(st, col) && !db_col_null(st, col + 1);
	p->lat_e6 = db_col_int(st, col);
	p->lon_e6 = db_col_int(st, col + 1);
	p->accuracy_m = (int)db_col_int(st, col + 2);
}

/* Codes of the items performed that the plan leaves out; codes is the plan's list (sorted or not). */
static int items_outside(const char *items_json, char (*codes)[16], int n_codes)
{
	json_t *items = items_json ? json_loads(items_json, 0, NULL) : NULL, *it;
	size_t i;
	int outside = 0;

	json_array_foreach(items, i, it) {
		bool found = false;
		for (int k = 0; k < n_codes && !found; k++)
			found = strcmp(codes[k], json_string_value(it) ? json_string_value(it) : "") == 0;
		outside += !found;
	}
	json_decref(items);
	return outside;
}

static const char *state_name(enum verify_state st)
{
	return st == VERIFY_OK ? "verified" : st == VERIFY_EXCEPTION ? "exception" : "pending";
}

/* Write an outcome if it differs; an exception's review restarts when its reasons change. */
static int write_outcome(struct db *db, int64_t id, enum verify_state st, uint32_t reasons, int minutes,
			 const char *old_state, uint32_t old_reasons, int old_minutes, bool old_minutes_null,
			 int64_t now, bool *written, struct err *e)
{
	const char *name = state_name(st);

	*written = false;
	if (!strcmp(name, old_state) && reasons == old_reasons && minutes == old_minutes && !old_minutes_null)
		return 0;
	*written = true;
	return db_exec(db, NULL, e,
		       "UPDATE visits SET verify_state = $1, reasons = $2, minutes = $3, verified_at = $4,"
		       " review_state = CASE WHEN $1 <> 'exception' THEN NULL"
		       "  WHEN review_state IS NOT NULL AND reasons = $2 THEN review_state ELSE 'open' END"
		       " WHERE id = $5",
		       DB_TEXT(name), DB_INT(reasons), DB_INT(minutes), DB_INT(now), DB_INT(id));
}

int visit_reverify(struct db *db, const struct scheme *s, int64_t id, struct err *e)
{
	struct db_stmt *st = NULL;
	struct verify_visit v;
	struct verify_prev prev;
	const struct scheme_entitlement *ent;
	int64_t plan = 0, person = 0, caregiver = 0, provider = 0, week_minutes = 0, n = 0, now = date_now_unix();
	char day[DATE_STR] = "", status[16] = "", old_state[16] = "", mode[16] = "", *items = NULL, monday[DATE_STR],
	     codes[64][16];
	uint32_t old_reasons = 0, reasons = 0;
	int old_minutes = 0, level = 0, n_codes = 0;
	bool old_minutes_null = true, written;
	enum verify_state state;
	int rc;

	memset(&v, 0, sizeof v);
	memset(&prev, 0, sizeof prev);
	rc = db_query(db, &st, e,
		      "SELECT v.plan_id, v.person_id, v.caregiver_id, v.provider_id, v.mode, v.visit_date, v.status,"
		      " COALESCE(v.checkin_at, 0), COALESCE(v.checkout_at, 0), v.checkin_lat_e6, v.checkin_lon_e6,"
		      " v.checkin_accuracy_m, v.checkout_lat_e6, v.checkout_lon_e6, v.checkout_accuracy_m, v.items, v.disputed,"
		      " v.verify_state, v.reasons, v.minutes, p.lat_e6, p.lon_e6, p.death_date, cp.level"
		      " FROM visits v JOIN persons p ON p.id = v.person_id JOIN care_plans cp ON cp.id = v.plan_id WHERE v.id = $1",
		      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		plan = db_col_int(st, 0);
		person = db_col_int(st, 1);
		caregiver = db_col_int(st, 2);
		provider = db_col_int(st, 3);
		str_copy(mode, db_col_text(st, 4), sizeof mode);
		str_copy(day, db_col_text(st, 5), sizeof day);
		str_copy(status, db_col_text(st, 6), sizeof status);
		v.checkin_at = db_col_int(st, 7);
		v.checkout_at = db_col_int(st, 8);
		load_point(st, 9, &v.in);
		load_point(st, 12, &v.out);
		items = db_col_text(st, 15) ? xstrdup(db_col_text(st, 15)) : NULL;
		v.disputed = db_col_int(st, 16) != 0;
		str_copy(old_state, db_col_text(st, 17), sizeof old_state);
		old_reasons = (uint32_t)db_col_int(st, 18);
		old_minutes_null = db_col_null(st, 19);
		old_minutes = (int)db_col_int(st, 19);
		v.home.has = !db_col_null(st, 20) && !db_col_null(st, 21);
		v.home.lat_e6 = db_col_int(st, 20);
		v.home.lon_e6 = db_col_int(st, 21);
		v.death_day = day_of(db_col_text(st, 22), 0);
		level = (int)db_col_int(st, 23);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务记录不存在");
	}
	db_done(st);
	if (rc || (strcmp(status, "in_progress") && strcmp(status, "done")))
		goto out;
	v.mode = care_mode_parse(mode);
	v.day = day_of(day, 0);
	rc = caregiver_qualified(db, caregiver, provider, v.day, &v.qualified, e);
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM certifications WHERE person_id = $1 AND qualifies = 1 AND status <> 'publicised'"
			    " AND valid_from <= $2 AND valid_until >= $2",
			    DB_INT(person), DB_TEXT(day));
	v.certified = n > 0;
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM care_plans WHERE id = $1 AND status IN ('active', 'superseded', 'ended')"
			    " AND effective_from <= $2 AND (ended_on IS NULL OR ended_on >= $2)",
			    DB_INT(plan), DB_TEXT(day));
	v.plan_in_force = n > 0;
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM hospital_stays WHERE person_id = $1 AND admitted <= $2"
			    " AND (discharged IS NULL OR discharged >= $2)",
			    DB_INT(person), DB_TEXT(day));
	v.in_hospital = n > 0;
	/* the plan week's verified (or accepted) minutes before this visit */
	date_format(v.day - (date_weekday(v.day) - 1), monday);
	if (!rc)
		rc = db_int(db, &week_minutes, e,
			    "SELECT COALESCE(SUM(minutes), 0) FROM visits WHERE plan_id = $1 AND visit_date >= $2 AND visit_date <= $3"
			    " AND (verify_state = 'verified' OR review_state = 'accepted')"
			    " AND (checkin_at < $4 OR (checkin_at = $4 AND id < $5))",
			    DB_INT(plan), DB_TEXT(monday), DB_TEXT(day), DB_INT(v.checkin_at), DB_INT(id));
	v.week_minutes_before = (int)week_minutes;
	ent = v.mode >= 0 ? scheme_entitlement(s, (enum care_mode)v.mode, level) : NULL;
	v.max_minutes_per_week = ent ? ent->max_minutes_per_week : 0;
	if (!rc)
		rc = db_query(db, &st, e, "SELECT code FROM care_plan_items WHERE plan_id = $1", DB_INT(plan));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n_codes < 64)
			str_copy(codes[n_codes++], db_col_text(st, 0), 16);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	v.items_not_in_plan = items_outside(items, codes, n_codes);
	/* the same caregiver's visit before this one */
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT COALESCE(checkout_at, 0), checkout_lat_e6, checkout_lon_e6, checkout_accuracy_m FROM visits"
			      " WHERE caregiver_id = $1 AND status IN ('in_progress', 'done') AND id <> $3"
			      " AND (checkin_at < $2 OR (checkin_at = $2 AND id < $3)) ORDER BY checkin_at DESC, id DESC LIMIT 1",
			      DB_INT(caregiver), DB_INT(v.checkin_at), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		prev.has = db_col_int(st, 0) != 0;
		prev.checkout_at = db_col_int(st, 0);
		load_point(st, 1, &prev.out);
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	if (rc)
		goto out;
	state = verify_visit(&s->visits, &v, &prev, now, &reasons);
	rc = write_outcome(db, id, state, reasons, verify_minutes(&v), old_state, old_reasons, old_minutes,
			   old_minutes_null, now, &written, e);
out:
	free(items);
	return rc;
}

/* ---- a month in bulk ---- */

struct person_fact {
	int64_t id;
	bool has_home;
	int64_t lat, lon;
	int32_t death;
	int first_stay, n_stays;     /* into the stays array */
	int first_cert, n_certs;     /* into the certs array */
};

struct plan_fact {
	int64_t id;
	int32_t from, until;         /* until QUAL_OPEN while open */
	bool counts;                 /* active, superseded or ended (not draft, confirmed-not-started, cancelled) */
	int level;
	int max_minutes;
	int first_code, n_codes;     /* into the codes array */
};

struct caregiver_fact {
	int64_t id;
	int32_t terminated;
	int first_emp, n_emp, first_susp, n_susp, first_cert, n_cert;
	/* the previous visit, carried along the walk */
	bool has_prev;
	int64_t prev_out_at;
	struct verify_point prev_out;
};

struct month {
	struct person_fact *persons;
	int n_persons, cap_persons;
	struct qual_period *stays, *certs;
	int n_stays, cap_stays, n_certs, cap_certs;
	struct plan_fact *plans;
	int n_plans, cap_plans;
	char (*codes)[16];
	int n_codes, cap_codes;
	struct caregiver_fact *cgs;
	int n_cgs, cap_cgs;
	struct qual_employment *emps;
	struct qual_period *susps, *ccerts;
	int n_emps, cap_emps, n_susps, cap_susps, n_ccerts, cap_ccerts;
	/* minutes per plan and week: open addressing on (plan, monday) */
	struct week_slot {
		int64_t plan;
		int32_t monday;
		int minutes;
	} *weeks;
	size_t weeks_cap, weeks_used;
};

#define GROW(arr, n, cap)                                                                                          \
	do {                                                                                                       \
		if ((n) == (cap)) {                                                                                \
			(cap) = (cap) ? (cap) * 2 : 1024;                                                          \
			(arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));                                    \
		}                                                                                                  \
	} while (0)

static int cmp_id(const void *k, const void *el)
{
	int64_t a = *(const int64_t *)k, b = *(const int64_t *)el; /* every fact struct starts with its id */
	return (a > b) - (a < b);
}

static int *week_slot(struct month *m, int64_t plan, int32_t monday)
{
	size_t h, mask;

	if ((m->weeks_used + 1) * 2 > m->weeks_cap) {
		struct week_slot *old = m->weeks;
		size_t old_cap = m->weeks_cap;
		m->weeks_cap = old_cap ? old_cap * 2 : 4096;
		m->weeks = xcalloc(m->weeks_cap, sizeof *m->weeks);
		m->weeks_used = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].plan)
				*week_slot(m, old[i].plan, old[i].monday) = old[i].minutes;
		free(old);
	}
	mask = m->weeks_cap - 1;
	h = ((uint64_t)plan * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uint32_t)monday * 0xbf58476d1ce4e5b9ULL) & mask;
	while (m->weeks[h].plan && (m->weeks[h].plan != plan || m->weeks[h].monday != monday))
		h = (h + 1) & mask;
	if (!m->weeks[h].plan) {
		m->weeks[h].plan = plan;
		m->weeks[h].monday = monday;
		m->weeks_used++;
	}
	return &m->weeks[h].minutes;
}

/* The facts of everyone with a visit checked in between lo and hi (Unix seconds), sorted by id. */
static int load_facts(struct db *db, const struct scheme *s, struct month *m, int64_t lo, int64_t hi,
		      const char *first_day, const char *last_day, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

#define VISITS_IN "(SELECT %s FROM visits WHERE checkin_at >= $1 AND checkin_at < $2)"
	/* persons, with their hospital stays and qualifying certifications overlapping the month */
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.lat_e6, p.lon_e6, p.death_date FROM persons p WHERE p.id IN"
		      " (SELECT person_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY p.id",
		      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct person_fact *p;
		rc = 0;
		GROW(m->persons, m->n_persons, m->cap_persons);
		p = &m->persons[m->n_persons++];
		memset(p, 0, sizeof *p);
		p->id = db_col_int(st, 0);
		p->has_home = !db_col_null(st, 1) && !db_col_null(st, 2);
		p->lat = db_col_int(st, 1);
		p->lon = db_col_int(st, 2);
		p->death = day_of(db_col_text(st, 3), 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT person_id, admitted, discharged FROM hospital_stays WHERE admitted <= $4"
			      " AND (discharged IS NULL OR discharged >= $3) AND person_id IN"
			      " (SELECT person_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2)"
			      " ORDER BY person_id",
			      DB_INT(lo), DB_INT(hi), DB_TEXT(first_day), DB_TEXT(last_day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);
		struct person_fact *p = bsearch(&pid, m->persons, (size_t)m->n_persons, sizeof *m->persons, cmp_id);
		rc = 0;
		if (!p)
			continue;
		GROW(m->stays, m->n_stays, m->cap_stays);
		if (!p->n_stays)
			p->first_stay = m->n_stays;
		p->n_stays++;
		m->stays[m->n_stays].from = day_of(db_col_text(st, 1), 0);
		m->stays[m->n_stays++].until = day_of(db_col_text(st, 2), QUAL_OPEN);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT person_id, valid_from, valid_until FROM certifications WHERE qualifies = 1"
			      " AND status <> 'publicised' AND valid_from <= $4 AND valid_until >= $3 AND person_id IN"
			      " (SELECT person_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY person_id",
			      DB_INT(lo), DB_INT(hi), DB_TEXT(first_day), DB_TEXT(last_day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);
		struct person_fact *p = bsearch(&pid, m->persons, (size_t)m->n_persons, sizeof *m->persons, cmp_id);
		rc = 0;
		if (!p)
			continue;
		GROW(m->certs, m->n_certs, m->cap_certs);
		if (!p->n_certs)
			p->first_cert = m->n_certs;
		p->n_certs++;
		m->certs[m->n_certs].from = day_of(db_col_text(st, 1), 0);
		m->certs[m->n_certs++].until = day_of(db_col_text(st, 2), 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	/* plans and their items */
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, effective_from, ended_on, status, level, mode FROM care_plans WHERE id IN"
			      " (SELECT plan_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_fact *p;
		const char *status = db_col_text(st, 3);
		int mode = care_mode_parse(db_col_text(st, 5));
		const struct scheme_entitlement *ent;
		rc = 0;
		GROW(m->plans, m->n_plans, m->cap_plans);
		p = &m->plans[m->n_plans++];
		memset(p, 0, sizeof *p);
		p->id = db_col_int(st, 0);
		p->from = day_of(db_col_text(st, 1), QUAL_OPEN);
		p->until = day_of(db_col_text(st, 2), QUAL_OPEN);
		p->counts = !strcmp(status, "active") || !strcmp(status, "superseded") || !strcmp(status, "ended");
		p->level = (int)db_col_int(st, 4);
		ent = mode >= 0 ? scheme_entitlement(s, (enum care_mode)mode, p->level) : NULL;
		p->max_minutes = ent ? ent->max_minutes_per_week : 0;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT plan_id, code FROM care_plan_items WHERE plan_id IN"
			      " (SELECT plan_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY plan_id, id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);
		struct plan_fact *p = bsearch(&pid, m->plans, (size_t)m->n_plans, sizeof *m->plans, cmp_id);
		rc = 0;
		if (!p)
			continue;
		GROW(m->codes, m->n_codes, m->cap_codes);
		if (!p->n_codes)
			p->first_code = m->n_codes;
		p->n_codes++;
		str_copy(m->codes[m->n_codes++], db_col_text(st, 1), 16);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	/* caregivers: termination, employments, suspensions, certificates */
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, terminated_on, kind FROM caregivers WHERE id IN"
			      " (SELECT caregiver_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct caregiver_fact *c;
		rc = 0;
		GROW(m->cgs, m->n_cgs, m->cap_cgs);
		c = &m->cgs[m->n_cgs++];
		memset(c, 0, sizeof *c);
		c->id = db_col_int(st, 0);
		c->terminated = day_of(db_col_text(st, 1), 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT caregiver_id, provider_id, from_date, until_date FROM caregiver_employments WHERE caregiver_id IN"
			      " (SELECT caregiver_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY caregiver_id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cid = db_col_int(st, 0);
		struct caregiver_fact *c = bsearch(&cid, m->cgs, (size_t)m->n_cgs, sizeof *m->cgs, cmp_id);
		rc = 0;
		if (!c)
			continue;
		GROW(m->emps, m->n_emps, m->cap_emps);
		if (!c->n_emp)
			c->first_emp = m->n_emps;
		c->n_emp++;
		m->emps[m->n_emps].provider_id = db_col_int(st, 1);
		m->emps[m->n_emps].from = day_of(db_col_text(st, 2), 0);
		m->emps[m->n_emps++].until = day_of(db_col_text(st, 3), QUAL_OPEN);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT caregiver_id, from_date, until_date FROM caregiver_suspensions WHERE caregiver_id IN"
			      " (SELECT caregiver_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY caregiver_id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cid = db_col_int(st, 0);
		struct caregiver_fact *c = bsearch(&cid, m->cgs, (size_t)m->n_cgs, sizeof *m->cgs, cmp_id);
		rc = 0;
		if (!c)
			continue;
		GROW(m->susps, m->n_susps, m->cap_susps);
		if (!c->n_susp)
			c->first_susp = m->n_susps;
		c->n_susp++;
		m->susps[m->n_susps].from = day_of(db_col_text(st, 1), 0);
		m->susps[m->n_susps++].until = day_of(db_col_text(st, 2), QUAL_OPEN);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT caregiver_id, issued_on, expires_on FROM caregiver_certificates WHERE caregiver_id IN"
			      " (SELECT caregiver_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2) ORDER BY caregiver_id",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cid = db_col_int(st, 0);
		struct caregiver_fact *c = bsearch(&cid, m->cgs, (size_t)m->n_cgs, sizeof *m->cgs, cmp_id);
		rc = 0;
		if (!c)
			continue;
		GROW(m->ccerts, m->n_ccerts, m->cap_ccerts);
		if (!c->n_cert)
			c->first_cert = m->n_ccerts;
		c->n_cert++;
		m->ccerts[m->n_ccerts].from = day_of(db_col_text(st, 1), 0);
		m->ccerts[m->n_ccerts++].until = day_of(db_col_text(st, 2), 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
#undef VISITS_IN
	return rc;
}

static bool in_periods(const struct qual_period *p, int n, int32_t day)
{
	for (int i = 0; i < n; i++)
		if (p[i].from <= day && day <= p[i].until)
			return true;
	return false;
}

/* Each caregiver's last visit before the month, and each plan week's minutes already verified before it. */
static int load_carry(struct db *db, struct month *m, int64_t lo, int32_t first_monday, const char *first_day,
		      struct err *e)
{
	struct db_stmt *st = NULL;
	char monday_s[DATE_STR];
	int rc = 0;

	for (int i = 0; !rc && i < m->n_cgs; i++) {
		struct caregiver_fact *c = &m->cgs[i];
		rc = db_query(db, &st, e,
			      "SELECT COALESCE(checkout_at, 0), checkout_lat_e6, checkout_lon_e6, checkout_accuracy_m FROM visits"
			      " WHERE caregiver_id = $1 AND checkin_at < $2 AND status IN ('in_progress', 'done')"
			      " ORDER BY checkin_at DESC, id DESC LIMIT 1",
			      DB_INT(c->id), DB_INT(lo));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			c->has_prev = db_col_int(st, 0) != 0;
			c->prev_out_at = db_col_int(st, 0);
			load_point(st, 1, &c->prev_out);
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
	}
	date_format(first_monday, monday_s);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT plan_id, SUM(minutes) FROM visits WHERE visit_date >= $1 AND visit_date < $2"
			      " AND (verify_state = 'verified' OR review_state = 'accepted') GROUP BY plan_id",
			      DB_TEXT(monday_s), DB_TEXT(first_day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*week_slot(m, db_col_int(st, 0), first_monday) = (int)db_col_int(st, 1);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

static void month_free(struct month *m)
{
	free(m->persons);
	free(m->stays);
	free(m->certs);
	free(m->plans);
	free(m->codes);
	free(m->cgs);
	free(m->emps);
	free(m->susps);
	free(m->ccerts);
	free(m->weeks);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int visit_verify_month(struct db *db, const struct scheme *s, const char *month, struct visit_verify_result *r,
		       struct err *e)
{
	struct month m;
	struct db_stmt *st = NULL;
	int y = 0, mo = 0, written_rows = 0;
	int32_t first, last, first_monday;
	int64_t lo, hi, now = date_now_unix();
	char first_s[DATE_STR], last_s[DATE_STR];
	double t0 = seconds_now();
	int rc;

	memset(r, 0, sizeof *r);
	memset(&m, 0, sizeof m);
	if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 || y < 1900 ||
	    y > 2199)
		return err_set(e, ERR_INVALID, "month", "月份应为YYYY-MM");
	db_bulk_mode(db);
	first = date_from_ymd(y, mo, 1);
	last = date_add_months(first, 1) - 1;
	date_format(first, first_s);
	date_format(last, last_s);
	/* the month in Asia/Shanghai time */
	lo = (int64_t)first * 86400 - 8 * 3600;
	hi = (int64_t)(last + 1) * 86400 - 8 * 3600;
	first_monday = first - (date_weekday(first) - 1);
	rc = load_facts(db, s, &m, lo, hi, first_s, last_s, e);
	if (!rc)
		rc = load_carry(db, &m, lo, first_monday, first_s, e);
	if (!rc)
		rc = db_begin(db, e);
	/* day by day in check-in order: each caregiver's previous visit and each plan week's minutes carried along */
	for (int32_t day = first; !rc && day <= last; day++) {
		int64_t dlo = (int64_t)day * 86400 - 8 * 3600, dhi = dlo + 86400;
		rc = db_query(db, &st, e,
			      "SELECT id, plan_id, person_id, caregiver_id, provider_id, mode, COALESCE(checkin_at, 0),"
			      " COALESCE(checkout_at, 0), checkin_lat_e6, checkin_lon_e6, checkin_accuracy_m, checkout_lat_e6,"
			      " checkout_lon_e6, checkout_accuracy_m, items, disputed, verify_state, reasons, minutes,"
			      " COALESCE(review_state, '')"
			      " FROM visits WHERE checkin_at >= $1 AND checkin_at < $2 AND status IN ('in_progress', 'done')"
			      " ORDER BY checkin_at, id",
			      DB_INT(dlo), DB_INT(dhi));
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			struct verify_visit v;
			struct verify_prev prev = {0};
			int64_t pid = db_col_int(st, 2), plan_id = db_col_int(st, 1), cid = db_col_int(st, 3);
			struct person_fact *p = bsearch(&pid, m.persons, (size_t)m.n_persons, sizeof *m.persons, cmp_id);
			struct plan_fact *pl = bsearch(&plan_id, m.plans, (size_t)m.n_plans, sizeof *m.plans, cmp_id);
			struct caregiver_fact *c = bsearch(&cid, m.cgs, (size_t)m.n_cgs, sizeof *m.cgs, cmp_id);
			struct qual_facts qf = {0};
			uint32_t reasons = 0;
			enum verify_state state;
			int minutes, *week;
			bool written = false;
			rc = 0;
			if (!p || !pl || !c)
				continue; /* a row added during the run: the next run sees it */
			memset(&v, 0, sizeof v);
			v.mode = care_mode_parse(db_col_text(st, 5));
			v.checkin_at = db_col_int(st, 6);
			v.checkout_at = db_col_int(st, 7);
			load_point(st, 8, &v.in);
			load_point(st, 11, &v.out);
			v.disputed = db_col_int(st, 15) != 0;
			v.day = date_of_unix_cn(v.checkin_at);
			v.home.has = p->has_home;
			v.home.lat_e6 = p->lat;
			v.home.lon_e6 = p->lon;
			v.death_day = p->death;
			v.in_hospital = in_periods(m.stays + p->first_stay, p->n_stays, v.day);
			v.certified = in_periods(m.certs + p->first_cert, p->n_certs, v.day);
			v.plan_in_force = pl->counts && pl->from <= v.day && v.day <= pl->until;
			v.max_minutes_per_week = pl->max_minutes;
			qf.terminated_on = c->terminated;
			qf.employments = m.emps + c->first_emp;
			qf.n_employments = c->n_emp;
			qf.suspensions = m.susps + c->first_susp;
			qf.n_suspensions = c->n_susp;
			qf.certificates = m.ccerts + c->first_cert;
			qf.n_certificates = c->n_cert;
			v.qualified = qualify_on(&qf, db_col_int(st, 4), v.day);
			v.items_not_in_plan = items_outside(db_col_text(st, 14), m.codes + pl->first_code, pl->n_codes);
			week = week_slot(&m, plan_id, v.day - (date_weekday(v.day) - 1));
			v.week_minutes_before = *week;
			prev.has = c->has_prev;
			prev.checkout_at = c->prev_out_at;
			prev.out = c->prev_out;
			state = verify_visit(&s->visits, &v, &prev, now, &reasons);
			minutes = verify_minutes(&v);
			/* carry along: this visit is the caregiver's previous one for the next, its minutes count for the week */
			c->has_prev = v.checkout_at != 0;
			c->prev_out_at = v.checkout_at;
			c->prev_out = v.out;
			/* an exception the bureau accepted (for the same reasons) counts like a verified visit */
			if (state == VERIFY_OK || (state == VERIFY_EXCEPTION && !strcmp(db_col_text(st, 19), "accepted") &&
						   reasons == (uint32_t)db_col_int(st, 17)))
				*week += minutes;
			rc = write_outcome(db, db_col_int(st, 0), state, reasons, minutes, db_col_text(st, 16),
					   (uint32_t)db_col_int(st, 17), (int)db_col_int(st, 18), db_col_null(st, 18), now,
					   &written, e);
			written_rows += written;
			r->visits++;
			if (state == VERIFY_OK)
				r->verified++;
			else if (state == VERIFY_EXCEPTION)
				r->exceptions++;
			else
				r->pending++;
		}
		if (rc == DB_DONE)
			rc = 0;
		db_done(st);
	}
	if (!rc)
		rc = db_commit(db, e);
	else if (db_in_tx(db))
		db_rollback(db);
	month_free(&m);
	r->seconds = seconds_now() - t0;
	log_info("event=visits_verify month=%s visits=%lld verified=%lld exceptions=%lld pending=%lld written=%d seconds=%.2f",
		 month, (long long)r->visits, (long long)r->verified, (long long)r->exceptions, (long long)r->pending,
		 written_rows, r->seconds);
	return rc;
}
