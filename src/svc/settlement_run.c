/* settlement_run.c: the month's settlement run (settlement.h). Set-based and in one transaction:
 *
 *   1. the care plans in force in the month (and those carrying an adjustment) go into a temporary table; the facts
 *      of their persons (death, certifications, hospital stays, the assistance flag, supplementary policies), the
 *      family-care attestations, institutional home leave, home-care spells and adjustments are each read once by
 *      joining it, into arrays sorted by id;
 *   2. the drafts being replaced are emptied (their visit links, lines and items);
 *   3. the month's visits (through the check-in index) are counted per plan as payable, rejected or unqualified
 *      (or pending, not settled) and linked to their items: on PostgreSQL by one GROUP BY and one INSERT ... SELECT,
 *      on SQLite in one pass a day at a time, counted here and the links written by db_copy;
 *   4. each plan's beneficiary-month is computed by settle_month (rules/settle.c), its item written by db_copy (COPY
 *      on PostgreSQL, multi-row INSERTs on SQLite); then computed again (pure and cheap, so nothing is held) for its
 *      lines, with the quality line of each provider's statement (settle_quality) last; plans go in (provider, id)
 *      order so that each statement's rows are written together;
 *   5. the statements get their totals, the sums of their lines.
 * Statements already claimed (or later) are not touched: their plans are left out of step 1. The phases' times are
 * logged at debug level (event=settlement_phase) and summed up in the result and the info line. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "rules/settle.h"
#include "rules/verify.h"
#include "svc/audit.h"
#include "svc/settlement.h"
#include "svc/settlement_internal.h"

struct person_f {
	int64_t id;
	int32_t death;
	bool assistance, supplementary;
	int first_cert, n_cert, first_stay, n_stay, first_home, n_home;
};

struct provider_f {
	int64_t id, statement_id;
	char code[24], grade[16];
	bool has_grade, existed;
	int beneficiaries, items, lines, visits[4]; /* payable, rejected, unqualified, pending */
	int64_t base, deductions, adjustments, quality_base, quality, total, source[SOURCE_COUNT],
		payee[SETTLE_PAYEE_COUNT];
	int quality_pm;
};

enum { V_PAYABLE = 0, V_REJECTED, V_UNQUALIFIED, V_PENDING };

struct plan_f {
	int64_t id, person, provider, item_id;
	int64_t old_item, old_links, seen_links; /* SQLite: the plan's item in a draft run again, its visit links */
	int prov, per, mode, level, home_month, first_adj, n_adj, pending;
	int32_t from, until;        /* until 0: open */
	bool attested;
	uint32_t leave;             /* days of home leave (bit d-1) */
	struct settle_visits v;
};

struct adj_f {
	int64_t id, plan, ref_line;
	int source, payee;
	int64_t amount;
	char *reason, *reference;
};

struct span {
	int32_t from, until;
	int mode;
};

struct run {
	struct db *db, *rdb;        /* the writer; the walk's reading connection (NULL: the writer reads) */
	const struct scheme *s;
	struct actor *a;
	char month[8], first_s[DATE_STR], last_s[DATE_STR], like[180];
	int year, mon;
	int32_t first, last;
	int64_t provider_filter, batch_id, now;
	struct plan_f *plans;
	int n_plans, cap_plans;
	int64_t *slots;             /* plan id -> index + 1, open addressing (sparse ids) */
	size_t n_slots;
	int32_t *dense;             /* plan id - dense_lo -> index + 1 (dense ids) */
	int64_t dense_lo;
	size_t n_dense;
	struct person_f *persons;
	int n_persons, cap_persons;
	struct settle_period *certs, *stays;
	int n_certs, cap_certs, n_stays, cap_stays;
	struct span *homes;
	int n_homes, cap_homes;
	struct provider_f *provs;
	int n_provs, cap_provs;
	struct adj_f *adjs;
	int n_adjs, cap_adjs;
	int64_t *orphans;           /* SQLite: draft items not kept (their links dropped), sorted */
	int n_orphans;
	struct settlement_run_result *r;
};

#define GROW(arr, n, cap)                                                                                          \
	do {                                                                                                       \
		if ((n) == (cap)) {                                                                                \
			(cap) = (cap) ? (cap) * 2 : 256;                                                           \
			(arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));                                    \
		}                                                                                                  \
	} while (0)

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int32_t day_of(const char *s, int32_t def)
{
	int32_t d;
	return s && date_parse(s, &d) ? d : def;
}

static const char *day_text(int32_t d, char out[DATE_STR])
{
	if (!d)
		return NULL;
	date_format(d, out);
	return out;
}

static int finish_query(int rc)
{
	return rc == DB_DONE ? 0 : rc;
}

/* ---- lookups ---- */

/* The plans by id: plan ids are mostly dense (a city numbers its plans in order), so a direct table from the lowest
 * id, four bytes a plan, small enough to stay in the processor's caches while ten million visits look up their plan;
 * open addressing when the ids are too sparse for that. */
static void plan_index(struct run *rn)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	for (int i = 0; i < rn->n_plans; i++) {
		lo = rn->plans[i].id < lo ? rn->plans[i].id : lo;
		hi = rn->plans[i].id > hi ? rn->plans[i].id : hi;
	}
	if (rn->n_plans && hi - lo < (int64_t)rn->n_plans * 4 + 1024) {
		rn->dense_lo = lo;
		rn->n_dense = (size_t)(hi - lo + 1);
		rn->dense = xcalloc(rn->n_dense, sizeof *rn->dense);
		for (int i = 0; i < rn->n_plans; i++)
			rn->dense[rn->plans[i].id - lo] = i + 1;
		return;
	}
	size_t cap = 16;
	while (cap < (size_t)rn->n_plans * 2 + 1)
		cap *= 2;
	rn->n_slots = cap;
	rn->slots = xcalloc(cap, sizeof *rn->slots);
	for (int i = 0; i < rn->n_plans; i++) {
		size_t h = ((uint64_t)rn->plans[i].id * 0x9e3779b97f4a7c15ULL) & (cap - 1);
		while (rn->slots[h])
			h = (h + 1) & (cap - 1);
		rn->slots[h] = i + 1;
	}
}

static struct plan_f *plan_find(struct run *rn, int64_t id)
{
	size_t h;

	if (rn->n_dense) {
		if (id < rn->dense_lo || (uint64_t)(id - rn->dense_lo) >= rn->n_dense || !rn->dense[id - rn->dense_lo])
			return NULL;
		return &rn->plans[rn->dense[id - rn->dense_lo] - 1];
	}
	if (!rn->n_slots)
		return NULL;
	h = ((uint64_t)id * 0x9e3779b97f4a7c15ULL) & (rn->n_slots - 1);
	while (rn->slots[h]) {
		struct plan_f *p = &rn->plans[rn->slots[h] - 1];
		if (p->id == id)
			return p;
		h = (h + 1) & (rn->n_slots - 1);
	}
	return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_id(const void *k, const void *el)
{
	int64_t a = *(const int64_t *)k, b = *(const int64_t *)el; /* every fact struct starts with its id */
	return (a > b) - (a < b);
}

/* The fact with id in arr (n facts of size bytes sorted by id), or NULL (also when there are none). */
static void *find_id(const void *arr, int n, size_t size, int64_t id)
{
	return n > 0 ? bsearch(&id, arr, (size_t)n, size, cmp_id) : NULL;
}

static struct person_f *person_find(struct run *rn, int64_t id)
{
	return find_id(rn->persons, rn->n_persons, sizeof *rn->persons, id);
}

/* ---- 1. the plans and their facts ---- */

/* The plans of the run: in force in the month (active, superseded or ended, overlapping it) or carrying a pending
 * adjustment of the month, of the providers asked for and in the actor's area, whose statement is not claimed. */
static int collect_plans(struct run *rn, struct err *e)
{
	int rc = db_exec(rn->db, NULL, e,
			 "CREATE TEMP TABLE IF NOT EXISTS settle_plans (plan_id BIGINT PRIMARY KEY, person_id BIGINT NOT NULL)");

	if (!rc)
		rc = db_exec(rn->db, NULL, e, "DELETE FROM settle_plans");
	if (!rc)
		rc = db_exec(rn->db, NULL, e,
			     "INSERT INTO settle_plans (plan_id, person_id) SELECT cp.id, cp.person_id FROM care_plans cp"
			     " WHERE ((cp.status IN ('active', 'superseded', 'ended') AND cp.effective_from <= $1"
			     "   AND (cp.ended_on IS NULL OR cp.ended_on >= $2))"
			     "  OR cp.id IN (SELECT plan_id FROM settlement_adjustments WHERE month = $3 AND status = 'pending'))"
			     " AND ($4 = 0 OR cp.provider_id = $4)"
			     " AND ($5 = '' OR cp.provider_id IN (SELECT pv.id FROM providers pv JOIN areas ar ON ar.id = pv.area_id"
			     "  WHERE ar.path LIKE $5))"
			     " AND cp.provider_id NOT IN (SELECT provider_id FROM settlement_statements WHERE month = $3"
			     "  AND status <> 'draft')",
			     DB_TEXT(rn->last_s), DB_TEXT(rn->first_s), DB_TEXT(rn->month), DB_INT(rn->provider_filter),
			     DB_TEXT(rn->like));
	return rc;
}

static int load_plans(struct run *rn, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query0(rn->db, &st, e,
			   "SELECT cp.id, cp.person_id, cp.provider_id, cp.mode, cp.level, cp.effective_from, cp.ended_on"
			   " FROM settle_plans t JOIN care_plans cp ON cp.id = t.plan_id ORDER BY cp.provider_id, cp.id");

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_f *p;
		rc = 0;
		GROW(rn->plans, rn->n_plans, rn->cap_plans);
		p = &rn->plans[rn->n_plans++];
		memset(p, 0, sizeof *p);
		p->id = db_col_int(st, 0);
		p->person = db_col_int(st, 1);
		p->provider = db_col_int(st, 2);
		p->mode = care_mode_parse(db_col_text(st, 3));
		p->level = (int)db_col_int(st, 4);
		p->from = day_of(db_col_text(st, 5), 0);
		p->until = day_of(db_col_text(st, 6), 0);
		if (p->mode < 0 || !p->from)
			rc = err_set(e, ERR_INTERNAL, "plan_id", "护理计划%lld的护理方式或开始日期无效", (long long)p->id);
	}
	db_done(st);
	return finish_query(rc);
}

static int load_persons(struct run *rn, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(rn->db, &st, e,
			  "SELECT p.id, p.death_date,"
			  " (SELECT COUNT(*) FROM supplementary_policies sp WHERE sp.person_id = p.id AND sp.valid_from <= $1"
			  "  AND sp.valid_until >= $2)"
			  " FROM persons p WHERE p.id IN (SELECT person_id FROM settle_plans) ORDER BY p.id",
			  DB_TEXT(rn->last_s), DB_TEXT(rn->first_s));

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct person_f *p;
		rc = 0;
		GROW(rn->persons, rn->n_persons, rn->cap_persons);
		p = &rn->persons[rn->n_persons++];
		memset(p, 0, sizeof *p);
		p->id = db_col_int(st, 0);
		p->death = day_of(db_col_text(st, 1), 0);
		p->supplementary = db_col_int(st, 2) > 0;
	}
	db_done(st);
	rc = finish_query(rc);
	/* the assistance flag of the enrolment in force on the month's last day (the latest on or before it) */
	if (!rc)
		rc = db_query(rn->db, &st, e,
			      "SELECT e.person_id, e.assistance FROM enrolments e"
			      " WHERE e.person_id IN (SELECT person_id FROM settle_plans) AND e.effective_from <= $1"
			      " ORDER BY e.person_id, e.effective_from, e.id",
			      DB_TEXT(rn->last_s));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct person_f *p = person_find(rn, db_col_int(st, 0));
		rc = 0;
		if (p)
			p->assistance = db_col_int(st, 1) != 0;
	}
	db_done(st);
	return finish_query(rc);
}

/* Rows (person_id, from, until[, mode]) sorted by person into an array of periods, each person's range noted. */
static int load_periods(struct run *rn, const char *sql, bool with_mode, int kind, struct err *e)
{
	struct db_stmt *st = NULL;
	const struct db_val args[2] = {DB_TEXT(rn->last_s), DB_TEXT(rn->first_s)};
	int rc = db_query_v(rn->db, &st, e, sql, args, kind == 2 ? 1 : 2); /* spells: every plan up to the month's end */

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct person_f *p = person_find(rn, db_col_int(st, 0));
		int32_t from = day_of(db_col_text(st, 1), 0), until = day_of(db_col_text(st, 2), 0);
		rc = 0;
		if (!p || !from)
			continue;
		if (kind == 0) {
			GROW(rn->certs, rn->n_certs, rn->cap_certs);
			if (!p->n_cert)
				p->first_cert = rn->n_certs;
			p->n_cert++;
			rn->certs[rn->n_certs++] = (struct settle_period){from, until};
		} else if (kind == 1) {
			GROW(rn->stays, rn->n_stays, rn->cap_stays);
			if (!p->n_stay)
				p->first_stay = rn->n_stays;
			p->n_stay++;
			rn->stays[rn->n_stays++] = (struct settle_period){from, until};
		} else {
			GROW(rn->homes, rn->n_homes, rn->cap_homes);
			if (!p->n_home)
				p->first_home = rn->n_homes;
			p->n_home++;
			rn->homes[rn->n_homes++] =
				(struct span){from, until, with_mode ? care_mode_parse(db_col_text(st, 3)) : CARE_HOME};
		}
	}
	db_done(st);
	return finish_query(rc);
}

/* The months of a continuous home-care spell up to this month (1 = its first): back from the plan through the
 * person's earlier home plans while each ends the day before the next starts (or later). */
static int home_month(const struct run *rn, const struct person_f *pe, const struct plan_f *p)
{
	int32_t start = p->from;
	int y0, m0, d0;
	bool moved = true;

	while (moved) {
		moved = false;
		for (int k = 0; k < pe->n_home; k++) {
			const struct span *h = &rn->homes[pe->first_home + k];
			if (h->mode == CARE_HOME && h->from < start && (!h->until || h->until >= start - 1)) {
				start = h->from;
				moved = true;
			}
		}
	}
	date_to_ymd(start, &y0, &m0, &d0);
	return (rn->year - y0) * 12 + (rn->mon - m0) + 1;
}

static int load_facts(struct run *rn, struct err *e)
{
	struct db_stmt *st = NULL;
	bool hourly = rn->s->settle.method == SETTLE_METHOD_HOURLY;
	int rc = load_plans(rn, e);

	if (!rc)
		rc = load_persons(rn, e);
	/* qualifying certifications and hospital stays overlapping the month */
	if (!rc)
		rc = load_periods(rn,
				  "SELECT c.person_id, c.valid_from, c.valid_until FROM certifications c"
				  " WHERE c.person_id IN (SELECT person_id FROM settle_plans) AND c.qualifies = 1"
				  " AND c.status <> 'publicised' AND c.valid_from <= $1 AND c.valid_until >= $2"
				  " ORDER BY c.person_id, c.valid_from",
				  false, 0, e);
	if (!rc)
		rc = load_periods(rn,
				  "SELECT h.person_id, h.admitted, h.discharged FROM hospital_stays h"
				  " WHERE h.person_id IN (SELECT person_id FROM settle_plans) AND h.admitted <= $1"
				  " AND (h.discharged IS NULL OR h.discharged >= $2) ORDER BY h.person_id, h.admitted",
				  false, 1, e);
	if (!rc && hourly)
		rc = load_periods(rn,
				  "SELECT cp.person_id, cp.effective_from, cp.ended_on, cp.mode FROM care_plans cp"
				  " WHERE cp.person_id IN (SELECT person_id FROM settle_plans)"
				  " AND cp.status IN ('active', 'superseded', 'ended') AND cp.effective_from <= $1"
				  " ORDER BY cp.person_id, cp.effective_from",
				  true, 2, e);
	for (int i = 0; !rc && i < rn->n_plans; i++) {
		struct plan_f *p = &rn->plans[i];
		struct person_f *pe = person_find(rn, p->person);
		if (!pe)
			return err_set(e, ERR_INTERNAL, "plan_id", "护理计划%lld的参保人不存在", (long long)p->id);
		p->per = (int)(pe - rn->persons);
		if (hourly && p->mode == CARE_HOME)
			p->home_month = home_month(rn, pe, p);
	}
	plan_index(rn);
	/* family care: the month's attestation */
	if (!rc)
		rc = db_query(rn->db, &st, e,
			      "SELECT plan_id FROM family_attestations WHERE month = $1"
			      " AND plan_id IN (SELECT plan_id FROM settle_plans)",
			      DB_TEXT(rn->month));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_f *p = plan_find(rn, db_col_int(st, 0));
		rc = 0;
		if (p)
			p->attested = true;
	}
	db_done(st);
	rc = finish_query(rc);
	/* institutional care paid by the day: days of home leave */
	if (!rc && hourly)
		rc = db_query(rn->db, &st, e,
			      "SELECT plan_id, day FROM presence WHERE plan_id IN (SELECT plan_id FROM settle_plans)"
			      " AND day >= $1 AND day <= $2 AND status = 'leave'",
			      DB_TEXT(rn->first_s), DB_TEXT(rn->last_s));
	while (!rc && hourly && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_f *p = plan_find(rn, db_col_int(st, 0));
		int32_t d = day_of(db_col_text(st, 1), 0);
		rc = 0;
		if (p && d >= rn->first && d <= rn->last)
			p->leave |= 1u << (d - rn->first);
	}
	if (hourly)
		db_done(st);
	rc = finish_query(rc);
	/* the adjustments each plan's item carries */
	if (!rc)
		rc = db_query(rn->db, &st, e,
			      "SELECT id, plan_id, source, payee, amount_fen, reason, reference, COALESCE(ref_line_id, 0)"
			      " FROM settlement_adjustments WHERE month = $1 AND status = 'pending'"
			      " AND plan_id IN (SELECT plan_id FROM settle_plans) ORDER BY plan_id, id",
			      DB_TEXT(rn->month));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_f *p = plan_find(rn, db_col_int(st, 1));
		struct adj_f *x;
		rc = 0;
		if (!p)
			continue;
		if (p->n_adj >= LIMIT_SETTLE_ADJUSTMENTS) {
			rc = err_set(e, ERR_CONFLICT, "adjustments", "护理计划%lld在%s的调整项超过%d项，请移至以后月份",
				     (long long)p->id, rn->month, LIMIT_SETTLE_ADJUSTMENTS);
			break;
		}
		GROW(rn->adjs, rn->n_adjs, rn->cap_adjs);
		x = &rn->adjs[rn->n_adjs];
		if (!p->n_adj)
			p->first_adj = rn->n_adjs;
		p->n_adj++;
		rn->n_adjs++;
		x->id = db_col_int(st, 0);
		x->plan = p->id;
		x->source = fund_source_parse(db_col_text(st, 2));
		x->payee = settle_payee_parse(db_col_text(st, 3));
		x->amount = db_col_int(st, 4);
		x->reason = xstrdup(db_col_text(st, 5));
		x->reference = xstrdup(db_col_text(st, 6));
		x->ref_line = db_col_int(st, 7);
	}
	db_done(st);
	rc = finish_query(rc);
	/* the providers of these plans, with their credit grade */
	if (!rc)
		rc = db_query0(rn->db, &st, e,
			       "SELECT pv.id, pv.code, pv.credit_grade FROM providers pv WHERE pv.id IN"
			       " (SELECT cp.provider_id FROM settle_plans t JOIN care_plans cp ON cp.id = t.plan_id) ORDER BY pv.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct provider_f *v;
		rc = 0;
		GROW(rn->provs, rn->n_provs, rn->cap_provs);
		v = &rn->provs[rn->n_provs++];
		memset(v, 0, sizeof *v);
		v->id = db_col_int(st, 0);
		str_copy(v->code, db_col_text(st, 1), sizeof v->code);
		v->has_grade = db_col_text(st, 2) && db_col_text(st, 2)[0];
		str_copy(v->grade, v->has_grade ? db_col_text(st, 2) : "", sizeof v->grade);
		v->quality_pm = scheme_quality_permille(rn->s, v->has_grade ? v->grade : NULL);
		if (v->quality_pm < 0)
			rc = err_set(e, ERR_CONFLICT, "credit_grade", "护理机构%s的信用等级%s在保障方案中没有质量系数",
				     v->code, v->grade);
	}
	db_done(st);
	rc = finish_query(rc);
	for (int i = 0; !rc && i < rn->n_plans; i++) {
		struct plan_f *p = &rn->plans[i];
		struct provider_f *v = find_id(rn->provs, rn->n_provs, sizeof *rn->provs, p->provider);
		if (!v)
			return err_set(e, ERR_INTERNAL, "provider_id", "护理计划%lld的护理机构不存在", (long long)p->id);
		p->prov = (int)(v - rn->provs);
	}
	return rc;
}

/* ---- 2. statements ---- */

/* SQLite, drafts run again: their visit links stay (ten million deletes and inserts would be most of the run) and
 * each plan gets its item's id back, so the walk (walk_rows) keeps a link that still holds, changes or drops one
 * that does not and adds the new ones; links left to visits the walk no longer sees are dropped after it
 * (drop_stale_links). The links of items whose plan is not run again are dropped here, through their plan's
 * visits (visits_plan). drafts: the SELECT of the draft statements' ids ($1-$3 as in prepare_statements). */
static int keep_links(struct run *rn, const char *drafts, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t (*orphans)[2] = NULL;
	int n_orphans = 0, cap_orphans = 0;
	char sql[1024];
	int rc;

	snprintf(sql, sizeof sql,
		 "SELECT i.id, i.plan_id, i.visits_payable + i.visits_rejected + i.visits_unqualified FROM settlement_items i"
		 " WHERE i.statement_id IN (%s)",
		 drafts);
	rc = db_query(rn->db, &st, e, sql, DB_TEXT(rn->month), DB_INT(rn->provider_filter), DB_TEXT(rn->like));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		struct plan_f *p = plan_find(rn, db_col_int(st, 1));
		rc = 0;
		if (p && !p->old_item && p->mode != CARE_INSTITUTION) {
			p->old_item = db_col_int(st, 0);
			p->old_links = db_col_int(st, 2);
		} else if (db_col_int(st, 2) > 0) {
			GROW(orphans, n_orphans, cap_orphans);
			orphans[n_orphans][0] = db_col_int(st, 0);
			orphans[n_orphans++][1] = db_col_int(st, 1);
		}
	}
	db_done(st);
	rc = finish_query(rc);
	for (int i = 0; !rc && i < n_orphans; i++)
		rc = db_exec(rn->db, NULL, e,
			     "DELETE FROM settlement_visits WHERE item_id = $1 AND visit_id IN (SELECT id FROM visits"
			     " WHERE plan_id = $2)",
			     DB_INT(orphans[i][0]), DB_INT(orphans[i][1]));
	/* the walk's own connection still sees these links (its reads do not see this transaction) */
	rn->orphans = xcalloc((size_t)n_orphans + 1, sizeof *rn->orphans);
	for (int i = 0; i < n_orphans; i++)
		rn->orphans[rn->n_orphans++] = orphans[i][0];
	qsort(rn->orphans, (size_t)rn->n_orphans, sizeof *rn->orphans, cmp_i64);
	free(orphans);
	return rc;
}

/* After the walk: a kept item whose links the walk did not all see has links to visits no longer of the month
 * (or no longer checked in): dropped, through the plan's visits. */
static int drop_stale_links(struct run *rn, struct err *e)
{
	int64_t lo = (int64_t)rn->first * 86400 - 8 * 3600, hi = (int64_t)(rn->last + 1) * 86400 - 8 * 3600;
	int rc = 0;

	for (int i = 0; !rc && i < rn->n_plans; i++) {
		const struct plan_f *p = &rn->plans[i];
		if (!p->old_item || p->seen_links >= p->old_links)
			continue;
		rc = db_exec(rn->db, NULL, e,
			     "DELETE FROM settlement_visits WHERE item_id = $1 AND visit_id IN (SELECT v.id FROM visits v"
			     " WHERE v.plan_id = $2 AND NOT (v.checkin_at >= $3 AND v.checkin_at < $4"
			     " AND v.status IN ('in_progress', 'done')))",
			     DB_INT(p->old_item), DB_INT(p->id), DB_INT(lo), DB_INT(hi));
	}
	return rc;
}

/* Empty the drafts of the month in the run's reach (their items and lines; their visit links deleted on PostgreSQL,
 * kept on SQLite: keep_links), note the statements left alone, create a draft for each provider without one, and
 * delete the drafts with nothing left to settle. */
static int prepare_statements(struct run *rn, struct err *e)
{
	static const char *drafts = "SELECT s.id FROM settlement_statements s WHERE s.month = $1 AND s.status = 'draft'"
				    " AND ($2 = 0 OR s.provider_id = $2) AND ($3 = '' OR s.provider_id IN (SELECT pv.id"
				    " FROM providers pv JOIN areas ar ON ar.id = pv.area_id WHERE ar.path LIKE $3))";
	struct db_stmt *st = NULL;
	int64_t lo = (int64_t)rn->first * 86400 - 8 * 3600, hi = (int64_t)(rn->last + 1) * 86400 - 8 * 3600;
	int64_t (*gone)[2] = NULL, n_items = 0; /* drafts with nothing left: id, objections */
	int n_gone = 0, cap_gone = 0;
	char sql[1024];
	int rc;

#define DRAFT_ARGS DB_TEXT(rn->month), DB_INT(rn->provider_filter), DB_TEXT(rn->like)
	/* the visit links of the drafts' items (if they have any): found through the month's visits (the links have
	 * only their key) */
	log_debug("event=settlement_phase phase=facts t=%.3f", seconds_now());
	/* the drafts are locked first (PostgreSQL: their rows; SQLite holds the database's write lock), so a step
	 * taken meanwhile waits for the run and then finds the new draft */
	snprintf(sql, sizeof sql, "UPDATE settlement_statements SET updated_at = $4 WHERE id IN (%s)", drafts);
	rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS, DB_INT(rn->now));
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM settlement_items i WHERE i.statement_id IN (%s)", drafts);
	if (!rc)
		rc = db_int(rn->db, &n_items, e, sql, DRAFT_ARGS);
	if (!rc && n_items && db_engine(rn->db) == DB_SQLITE) {
		rc = keep_links(rn, drafts, e);
	} else if (!rc && n_items > LIMIT_SETTLE_PLAN_WALK) {
		snprintf(sql, sizeof sql,
			 "DELETE FROM settlement_visits WHERE visit_id IN (SELECT id FROM visits WHERE checkin_at >= $4"
			 " AND checkin_at < $5) AND item_id IN (SELECT i.id FROM settlement_items i WHERE i.statement_id IN (%s))",
			 drafts);
		rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS, DB_INT(lo), DB_INT(hi));
	} else if (!rc && n_items) {
		/* a few drafts: their items' plans' visits of the month (visits_plan; a link's visit is of its item's
		 * plan), not the city's month */
		char from[DATE_STR], until[DATE_STR];
		snprintf(sql, sizeof sql,
			 "DELETE FROM settlement_visits WHERE visit_id IN (SELECT v.id FROM settlement_items i CROSS JOIN visits v"
			 " WHERE i.statement_id IN (%s) AND v.plan_id = i.plan_id AND v.visit_date >= $6 AND v.visit_date <= $7"
			 " AND v.checkin_at >= $4 AND v.checkin_at < $5) AND item_id IN (SELECT i.id FROM settlement_items i"
			 " WHERE i.statement_id IN (%s))",
			 drafts, drafts);
		rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS, DB_INT(lo), DB_INT(hi), DB_TEXT(day_text(rn->first - 1, from)),
			     DB_TEXT(day_text(rn->last + 1, until)));
	}
	log_debug("event=settlement_phase phase=delete_links t=%.3f", seconds_now());
	if (!rc) {
		snprintf(sql, sizeof sql,
			 "UPDATE settlement_objections SET line_id = NULL WHERE line_id IN (SELECT l.id FROM settlement_lines l"
			 " WHERE l.statement_id IN (%s))",
			 drafts);
		rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS);
	}
	if (!rc) {
		snprintf(sql, sizeof sql, "DELETE FROM settlement_lines WHERE statement_id IN (%s)", drafts);
		rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS);
	}
	if (!rc) {
		snprintf(sql, sizeof sql, "DELETE FROM settlement_items WHERE statement_id IN (%s)", drafts);
		rc = db_exec(rn->db, NULL, e, sql, DRAFT_ARGS);
	}
	/* the statements there are: drafts to reuse, the others skipped */
	if (!rc)
		rc = db_query(rn->db, &st, e,
			      "SELECT s.id, s.provider_id, s.status, s.number, pv.code, pv.name,"
			      " (SELECT COUNT(*) FROM settlement_objections o WHERE o.statement_id = s.id)"
			      " FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id WHERE s.month = $1"
			      " AND ($2 = 0 OR s.provider_id = $2) AND ($3 = '' OR s.provider_id IN (SELECT pv2.id"
			      " FROM providers pv2 JOIN areas ar ON ar.id = pv2.area_id WHERE ar.path LIKE $3)) ORDER BY pv.code",
			      DRAFT_ARGS);
#undef DRAFT_ARGS
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 1), sid = db_col_int(st, 0);
		struct provider_f *v = find_id(rn->provs, rn->n_provs, sizeof *rn->provs, pid);
		rc = 0;
		if (strcmp(db_col_text(st, 2), "draft") != 0) {
			rn->r->skipped++;
			json_array_append_new(
				rn->r->providers,
				json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:s}", "provider_id", (json_int_t)pid, "code",
					  db_col_text(st, 4), "name", db_col_text(st, 5), "statement_id", (json_int_t)sid,
					  "number", db_col_text(st, 3), "status", db_col_text(st, 2), "status_label",
					  settlement_status_label(db_col_text(st, 2)), "run", 0, "note",
					  "结算单已提交，本次未重新计算"));
		} else if (v) {
			v->statement_id = sid;
			v->existed = true;
		} else {
			/* a draft with nothing left to settle: deleted, or emptied when objections refer to it */
			GROW(gone, n_gone, cap_gone);
			gone[n_gone][0] = sid;
			gone[n_gone++][1] = db_col_int(st, 6);
		}
	}
	db_done(st);
	rc = finish_query(rc);
	for (int i = 0; !rc && i < n_gone; i++) {
		if (gone[i][1] == 0)
			rc = db_exec(rn->db, NULL, e, "DELETE FROM settlement_statements WHERE id = $1 AND status = 'draft'",
				     DB_INT(gone[i][0]));
		else
			rc = db_exec(rn->db, NULL, e,
				     "UPDATE settlement_statements SET beneficiaries = 0, items = 0, visits_payable = 0,"
				     " visits_rejected = 0, visits_unqualified = 0, visits_pending = 0, base_fen = 0, deductions_fen = 0,"
				     " adjustments_fen = 0, quality_fen = 0, total_fen = 0, fund_fen = 0, supplementary_fen = 0,"
				     " assistance_fen = 0, provider_fen = 0, family_fen = 0, beneficiary_fen = 0, lines = 0,"
				     " runs = runs + 1, computed_at = $1, updated_at = $1 WHERE id = $2 AND status = 'draft'",
				     DB_INT(rn->now), DB_INT(gone[i][0]));
		rn->r->removed++;
	}
	free(gone);
	for (int i = 0; !rc && i < rn->n_provs; i++) {
		struct provider_f *v = &rn->provs[i];
		char number[48];
		if (v->existed)
			continue;
		snprintf(number, sizeof number, "JS%.4s%.2s-%s", rn->month, rn->month + 5, v->code);
		rc = db_int(rn->db, &v->statement_id, e,
			    "INSERT INTO settlement_statements (batch_id, month, provider_id, number, status, scheme_id,"
			    " scheme_version, quality_permille, beneficiaries, items, visits_payable, visits_rejected,"
			    " visits_unqualified, visits_pending, base_fen, deductions_fen, adjustments_fen, quality_fen, total_fen,"
			    " fund_fen, supplementary_fen, assistance_fen, provider_fen, family_fen, beneficiary_fen, lines, runs,"
			    " computed_at, computed_by, updated_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, 1000, 0, 0, 0, 0, 0,"
			    " 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, $7, $8, $7) RETURNING id",
			    DB_INT(rn->batch_id), DB_TEXT(rn->month), DB_INT(v->id), DB_TEXT(number), DB_TEXT(rn->s->id),
			    DB_TEXT(rn->s->version), DB_INT(rn->now), DB_TEXT(rn->a->username[0] ? rn->a->username : "system"));
	}
	return rc;
}

/* ---- 3. the visits ---- */

/* Each plan's item id, for the set-based statements: the plans in (provider, id) order get first_item,
 * first_item + 1, ... as the plans array (loaded in that order from the same table) does. In that order each
 * statement's items and lines are written one after another, so their indexes by statement grow at the end. */
static int map_items(struct run *rn, int64_t first_item, struct err *e)
{
	/* on SQLite the plan id is the temporary table's rowid: one B-tree, the lookup of each visit's plan direct */
	int rc = db_exec(rn->db, NULL, e,
			 db_engine(rn->db) == DB_SQLITE
				 ? "CREATE TEMP TABLE IF NOT EXISTS settle_items_map (plan_id INTEGER PRIMARY KEY,"
				   " item_id BIGINT NOT NULL, mode TEXT NOT NULL)"
				 : "CREATE TEMP TABLE IF NOT EXISTS settle_items_map (plan_id BIGINT PRIMARY KEY,"
				   " item_id BIGINT NOT NULL, mode TEXT NOT NULL)");

	if (!rc)
		rc = db_exec(rn->db, NULL, e, "DELETE FROM settle_items_map");
	if (!rc)
		rc = db_exec(rn->db, NULL, e,
			     "INSERT INTO settle_items_map (plan_id, item_id, mode) SELECT t.plan_id,"
			     " $1 + ROW_NUMBER() OVER (ORDER BY cp.provider_id, t.plan_id) - 1, cp.mode FROM settle_plans t"
			     " JOIN care_plans cp ON cp.id = t.plan_id",
			     DB_INT(first_item));
	return rc;
}

/* The month's visits of the run's plans (checked in during the month, through visits_checkin; the CROSS JOIN keeps
 * that order on SQLite): first counted per plan by kind -- unqualified (the reason, whatever else), payable
 * (verified, or accepted), rejected, pending (an exception not decided: counted, not settled) -- then linked to the
 * items by one INSERT ... SELECT. A visit already settled elsewhere (its check-in moved into this month after its own
 * month was claimed) is neither counted nor linked again. Institutional care has no visits. */
#define MONTH_VISITS                                                                                               \
	" FROM visits v CROSS JOIN settle_items_map m WHERE m.plan_id = v.plan_id AND v.checkin_at >= $1"            \
	" AND v.checkin_at < $2 AND v.status IN ('in_progress', 'done') AND m.mode <> 'institution'"
#define UNQUALIFIED "(v.reasons & 1) <> 0"
#define PAYABLE "(v.reasons & 1) = 0 AND (v.verify_state = 'verified' OR v.review_state = 'accepted')"
#define REJECTED "(v.reasons & 1) = 0 AND v.verify_state <> 'verified' AND v.review_state = 'rejected'"
#define PENDING                                                                                                    \
	"(v.reasons & 1) = 0 AND v.verify_state <> 'verified' AND COALESCE(v.review_state, '') NOT IN ('accepted',"  \
	" 'rejected')"

/* Count one plan's visits of a kind (0 payable, 1 rejected, 2 unqualified, 3 pending). */
static void count_visit(struct plan_f *p, int kind, int64_t n, int64_t minutes)
{
	switch (kind) {
	case 0: p->v.payable += (int)n; p->v.payable_minutes += (int)minutes; break;
	case 1: p->v.rejected += (int)n; p->v.rejected_minutes += (int)minutes; break;
	case 2: p->v.unqualified += (int)n; p->v.unqualified_minutes += (int)minutes; break;
	default: p->pending += (int)n;
	}
}

struct link {
	int64_t visit, item;
	int kind, minutes;
};

static const char *const link_kinds[] = {"payable", "rejected", "unqualified"};

static int write_links(struct run *rn, const struct link *l, int n, struct err *e)
{
	struct db_copy *copy = NULL;
	int rc;

	if (!n)
		return 0;
	rc = db_copy_begin(rn->db, "settlement_visits", "visit_id, item_id, kind, minutes", 4, &copy, e);
	for (int i = 0; !rc && i < n; i++) {
		struct db_val vals[4] = {DB_INT(l[i].visit), DB_INT(l[i].item), DB_TEXT(link_kinds[l[i].kind]),
					 DB_INT(l[i].minutes)};
		rc = db_copy_row(copy, vals, e);
	}
	if (copy) {
		int rc2 = db_copy_end(copy, e);
		rc = rc ? rc : rc2;
	}
	return rc;
}

/* The columns and conditions of the SQLite walk over the month's visits ($1 and $2: the check-in's bounds): the id,
 * the plan, the kind (0 payable, 1 rejected, 2 unqualified, 3 pending) and the minutes of each visit, and its link if
 * it has one: the item (0: none), the kind and the minutes it was settled as. */
#define WALK_COLUMNS                                                                                               \
	"v.id, v.plan_id, CASE WHEN " UNQUALIFIED " THEN 2 WHEN " PAYABLE " THEN 0 WHEN " REJECTED " THEN 1 ELSE 3"  \
	" END, COALESCE(v.minutes, 0), COALESCE(sv.item_id, 0), CASE sv.kind WHEN 'payable' THEN 0 WHEN 'rejected'" \
	" THEN 1 ELSE 2 END, sv.minutes"
#define WALK_LINK " LEFT JOIN settlement_visits sv ON sv.visit_id = v.id"
#define WALK_WHERE "v.checkin_at >= $1 AND v.checkin_at < $2 AND v.status IN ('in_progress', 'done')"

/* A visit of the walk as read: its plan, kind (0 payable, 1 rejected, 2 unqualified, 3 pending) and minutes, and
 * its link if it has one (linked: the item, 0 for none). */
struct walk_row {
	int64_t visit, plan, linked;
	int kind, minutes, lkind, lminutes;
};

/* Reads every row of a walk query (WALK_COLUMNS) into *rows (grown as needed; *n set). Closes st. */
static int collect_rows(struct db_stmt *st, struct walk_row **rows, int *n, int *cap, struct err *e)
{
	int rc;

	*n = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		GROW(*rows, *n, *cap);
		(*rows)[(*n)++] = (struct walk_row){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 4),
						     (int)db_col_int(st, 2), (int)db_col_int(st, 3), (int)db_col_int(st, 5),
						     (int)db_col_int(st, 6)};
	}
	db_done(st);
	return finish_query(rc);
}

/* Counts walked visits for their plans and links them to the plans' items: a visit linked to another item is settled
 * elsewhere (skipped; a link to a draft item not kept counts as none: keep_links dropped it); one linked to its
 * plan's item (kept from the draft) keeps its link, or has it changed or dropped (now pending); one not linked gets
 * a link unless pending. Adds the visits linked to *n. */
static int settle_rows(struct run *rn, const struct walk_row *rows, int n_rows, int64_t *n, struct err *e)
{
	struct link *links = NULL, *changed = NULL;
	int n_links = 0, cap_links = 0, n_changed = 0, cap_changed = 0, rc = 0;

	for (int i = 0; i < n_rows; i++) {
		const struct walk_row *w = &rows[i];
		struct plan_f *p = plan_find(rn, w->plan);
		int64_t linked = w->linked;
		if (!p || p->mode == CARE_INSTITUTION)
			continue;
		if (linked && linked != p->item_id && rn->n_orphans &&
		    bsearch(&linked, rn->orphans, (size_t)rn->n_orphans, sizeof *rn->orphans, cmp_i64))
			linked = 0;
		if (linked && linked != p->item_id)
			continue;
		count_visit(p, w->kind, 1, w->minutes);
		if (w->kind != 3)
			(*n)++;
		if (linked) {
			p->seen_links++;
			if (w->kind == 3 || w->kind != w->lkind || w->minutes != w->lminutes) {
				GROW(changed, n_changed, cap_changed);
				changed[n_changed++] = (struct link){w->visit, p->item_id, w->kind, w->minutes};
			}
			continue;
		}
		if (w->kind == 3)
			continue;
		GROW(links, n_links, cap_links);
		links[n_links++] = (struct link){w->visit, p->item_id, w->kind, w->minutes};
	}
	for (int i = 0; !rc && i < n_changed; i++) {
		const struct link *l = &changed[i];
		if (l->kind == 3)
			rc = db_exec(rn->db, NULL, e, "DELETE FROM settlement_visits WHERE visit_id = $1", DB_INT(l->visit));
		else
			rc = db_exec(rn->db, NULL, e, "UPDATE settlement_visits SET kind = $1, minutes = $2 WHERE visit_id = $3",
				     DB_TEXT(link_kinds[l->kind]), DB_INT(l->minutes), DB_INT(l->visit));
	}
	if (!rc)
		rc = write_links(rn, links, n_links, e);
	free(links);
	free(changed);
	return rc;
}

/* One walk query read and settled on the writer's connection (a day of a city, or the visits of at most
 * LIMIT_SETTLE_PLAN_WALK plans: a few hundred thousand rows at most). */
static int walk_rows(struct run *rn, struct db_stmt *st, int64_t *n, struct err *e)
{
	struct walk_row *rows = NULL;
	int n_rows = 0, cap = 0;
	int rc = collect_rows(st, &rows, &n_rows, &cap, e);

	if (!rc)
		rc = settle_rows(rn, rows, n_rows, n, e);
	free(rows);
	return rc;
}

/* The city's month on SQLite with a second connection: a thread reads the days (walk_reader) while the calling
 * thread counts and writes them (walk_writer), at most LIMIT_SETTLE_QUEUE_DAYS days in between: the reading and the
 * writing each take about half the walk, and the machine has two cores. The reader does not see the run's own
 * transaction: it needs only what was there before (the kept links; keep_links' orphans are told apart). */
struct walk_day {
	struct walk_day *next;
	struct walk_row *rows;
	int n;
};

struct walk_pipe {
	struct run *rn;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct walk_day *head, *tail;
	int queued;
	bool done, failed;
	int rc;
	struct err err;
};

static void *walk_reader(void *arg)
{
	struct walk_pipe *wp = arg;
	struct run *rn = wp->rn;
	int rc = 0;

	for (int32_t day = rn->first; !rc && day <= rn->last; day++) {
		int64_t dlo = (int64_t)day * 86400 - 8 * 3600;
		struct db_stmt *st = NULL;
		struct walk_day *d = xcalloc(1, sizeof *d);
		int cap = 0;
		bool failed;
		rc = db_query(rn->rdb, &st, &wp->err, "SELECT " WALK_COLUMNS " FROM visits v" WALK_LINK " WHERE " WALK_WHERE,
			      DB_INT(dlo), DB_INT(dlo + 86400));
		if (!rc)
			rc = collect_rows(st, &d->rows, &d->n, &cap, &wp->err);
		pthread_mutex_lock(&wp->mu);
		while (!rc && wp->queued >= LIMIT_SETTLE_QUEUE_DAYS && !wp->failed)
			pthread_cond_wait(&wp->cv, &wp->mu);
		failed = wp->failed;
		if (!rc && !failed) {
			if (wp->tail)
				wp->tail->next = d;
			else
				wp->head = d;
			wp->tail = d;
			wp->queued++;
			pthread_cond_broadcast(&wp->cv);
		}
		pthread_mutex_unlock(&wp->mu);
		if (rc || failed) {
			free(d->rows);
			free(d);
			break;
		}
	}
	pthread_mutex_lock(&wp->mu);
	wp->rc = rc;
	wp->done = true;
	pthread_cond_broadcast(&wp->cv);
	pthread_mutex_unlock(&wp->mu);
	return NULL;
}

static int walk_writer(struct walk_pipe *wp, int64_t *n, struct err *e)
{
	int rc = 0;

	for (;;) {
		struct walk_day *d;
		pthread_mutex_lock(&wp->mu);
		while (!wp->head && !wp->done)
			pthread_cond_wait(&wp->cv, &wp->mu);
		d = wp->head;
		if (d) {
			wp->head = d->next;
			if (!wp->head)
				wp->tail = NULL;
			wp->queued--;
			pthread_cond_broadcast(&wp->cv);
		}
		pthread_mutex_unlock(&wp->mu);
		if (!d)
			return rc; /* the reader is done and every day settled */
		if (!rc)
			rc = settle_rows(wp->rn, d->rows, d->n, n, e);
		free(d->rows);
		free(d);
		if (rc) {
			pthread_mutex_lock(&wp->mu);
			wp->failed = true;
			pthread_cond_broadcast(&wp->cv);
			pthread_mutex_unlock(&wp->mu);
		}
	}
}

/* Runs the pipeline; *started false when the thread could not be started (the caller walks alone). */
static int walk_piped(struct run *rn, int64_t *n, bool *started, struct err *e)
{
	struct walk_pipe wp;
	pthread_t reader;
	int rc;

	memset(&wp, 0, sizeof wp);
	wp.rn = rn;
	pthread_mutex_init(&wp.mu, NULL);
	pthread_cond_init(&wp.cv, NULL);
	*started = !pthread_create(&reader, NULL, walk_reader, &wp);
	if (!*started) {
		pthread_mutex_destroy(&wp.mu);
		pthread_cond_destroy(&wp.cv);
		return 0;
	}
	rc = walk_writer(&wp, n, e);
	pthread_join(reader, NULL);
	if (!rc && wp.rc) {
		*e = wp.err;
		rc = wp.rc;
	}
	pthread_mutex_destroy(&wp.mu);
	pthread_cond_destroy(&wp.cv);
	return rc;
}

static int walk_visits(struct run *rn, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t lo = (int64_t)rn->first * 86400 - 8 * 3600, hi = (int64_t)(rn->last + 1) * 86400 - 8 * 3600, n = 0;
	int rc = 0;

	if (db_engine(rn->db) == DB_PGSQL) {
		/* PostgreSQL: counted in the server by one GROUP BY (a hash, one row per plan back), then linked by one
		 * INSERT ... SELECT */
		rc = db_query(rn->db, &st, e,
			      "SELECT v.plan_id,"
			      " SUM(CASE WHEN " PAYABLE " THEN 1 ELSE 0 END), SUM(CASE WHEN " PAYABLE " THEN COALESCE(v.minutes, 0) ELSE 0 END),"
			      " SUM(CASE WHEN " REJECTED " THEN 1 ELSE 0 END), SUM(CASE WHEN " REJECTED " THEN COALESCE(v.minutes, 0) ELSE 0 END),"
			      " SUM(CASE WHEN " UNQUALIFIED " THEN 1 ELSE 0 END),"
			      " SUM(CASE WHEN " UNQUALIFIED " THEN COALESCE(v.minutes, 0) ELSE 0 END),"
			      " SUM(CASE WHEN " PENDING " THEN 1 ELSE 0 END)" MONTH_VISITS
			      " AND NOT EXISTS (SELECT 1 FROM settlement_visits sv WHERE sv.visit_id = v.id) GROUP BY v.plan_id",
			      DB_INT(lo), DB_INT(hi));
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			struct plan_f *p = plan_find(rn, db_col_int(st, 0));
			rc = 0;
			for (int k = 0; p && k < 3; k++)
				count_visit(p, k, db_col_int(st, 1 + 2 * k), db_col_int(st, 2 + 2 * k));
			if (p)
				count_visit(p, 3, db_col_int(st, 7), 0);
		}
		db_done(st);
		rc = finish_query(rc);
		log_debug("event=settlement_phase phase=count t=%.3f", seconds_now());
		if (!rc)
			rc = db_exec(rn->db, &n, e,
				     "INSERT INTO settlement_visits (visit_id, item_id, kind, minutes)"
				     " SELECT v.id, m.item_id, CASE WHEN " UNQUALIFIED " THEN 'unqualified' WHEN " PAYABLE
				     " THEN 'payable' ELSE 'rejected' END, COALESCE(v.minutes, 0)" MONTH_VISITS
				     " AND (" UNQUALIFIED " OR v.verify_state = 'verified' OR v.review_state IN ('accepted', 'rejected'))"
				     " ON CONFLICT (visit_id) DO NOTHING",
				     DB_INT(lo), DB_INT(hi));
	} else if ((rn->provider_filter || rn->like[0]) && rn->n_plans <= LIMIT_SETTLE_PLAN_WALK) {
		/* SQLite, a run for one provider or a small area: the run's plans' visits through visits_plan (a check-in
		 * sets visit_date to the check-in's day, so the month's check-ins are of the month's visit dates), a few
		 * thousand rows instead of the city's month; a day's margin each side for a check-in moved by a correction) */
		char from[DATE_STR], until[DATE_STR];
		rc = db_query(rn->db, &st, e,
			      "SELECT " WALK_COLUMNS " FROM settle_plans t CROSS JOIN visits v" WALK_LINK " WHERE v.plan_id = t.plan_id"
			      " AND v.visit_date >= $3 AND v.visit_date <= $4 AND " WALK_WHERE,
			      DB_INT(lo), DB_INT(hi), DB_TEXT(day_text(rn->first - 1, from)), DB_TEXT(day_text(rn->last + 1, until)));
		if (!rc)
			rc = walk_rows(rn, st, &n, e);
	} else {
		/* SQLite: one pass over the month, a day at a time in the index's order (its GROUP BY would sort the
		 * month, and a second pass would read the visits' pages again): each row counted for its plan, found by a
		 * hash, and its link kept; the day's links written after its cursor is closed (db_copy: in batches); with
		 * a second connection the reading goes on in a thread of its own meanwhile */
		bool piped = false;
		if (rn->rdb && rn->rdb != rn->db)
			rc = walk_piped(rn, &n, &piped, e);
		bool alone = !piped;
		for (int32_t day = rn->first; alone && !rc && day <= rn->last; day++) {
			int64_t dlo = (int64_t)day * 86400 - 8 * 3600;
			rc = db_query(rn->db, &st, e, "SELECT " WALK_COLUMNS " FROM visits v" WALK_LINK " WHERE " WALK_WHERE,
				      DB_INT(dlo), DB_INT(dlo + 86400));
			if (!rc)
				rc = walk_rows(rn, st, &n, e);
		}
	}
	if (!rc && db_engine(rn->db) == DB_SQLITE)
		rc = drop_stale_links(rn, e);
	for (int i = 0; !rc && i < rn->n_plans; i++) {
		const struct plan_f *p = &rn->plans[i];
		if (p->v.payable > LIMIT_SETTLE_VISITS || p->v.rejected > LIMIT_SETTLE_VISITS ||
		    p->v.unqualified > LIMIT_SETTLE_VISITS || p->v.payable_minutes > LIMIT_SETTLE_MINUTES ||
		    p->v.rejected_minutes > LIMIT_SETTLE_MINUTES || p->v.unqualified_minutes > LIMIT_SETTLE_MINUTES)
			rc = err_set(e, ERR_CONFLICT, "plan_id", "护理计划%lld当月服务记录超出上限，请先核查", (long long)p->id);
	}
	rn->r->visits_settled = n;
	log_debug("event=settlement_phase phase=visits t=%.3f", seconds_now());
	return rc;
}

/* ---- 4. items and lines ---- */

/* The rules' input for a plan's month. adj has room for LIMIT_SETTLE_ADJUSTMENTS. */
static void build_in(const struct run *rn, const struct plan_f *p, struct settle_in *in, struct settle_adjustment *adj)
{
	const struct person_f *pe = &rn->persons[p->per];

	memset(in, 0, sizeof *in);
	in->year = rn->year;
	in->month = rn->mon;
	in->mode = p->mode;
	in->level = p->level;
	in->plan.from = p->from;
	in->plan.until = p->until;
	in->certified = pe->n_cert ? rn->certs + pe->first_cert : NULL;
	in->n_certified = pe->n_cert;
	in->hospital = pe->n_stay ? rn->stays + pe->first_stay : NULL;
	in->n_hospital = pe->n_stay;
	in->death_day = pe->death;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = pe->supplementary;
	in->flags[SETTLE_FLAG_ASSISTANCE] = pe->assistance;
	in->family_attested = p->attested;
	in->visits = p->v;
	in->home_month = p->home_month;
	in->extra_choice = SETTLE_EXTRA_SERVICE;
	if (p->leave && rn->s->settle.method == SETTLE_METHOD_HOURLY && p->mode == CARE_INSTITUTION) {
		uint32_t mask = 0;
		settle_entitled_days(in, &mask);
		in->absent_days = __builtin_popcount(mask & p->leave);
	}
	for (int k = 0; k < p->n_adj; k++) {
		const struct adj_f *x = &rn->adjs[p->first_adj + k];
		adj[k] = (struct settle_adjustment){(enum fund_source)x->source, (enum settle_payee)x->payee, x->amount,
						    x->reason, x->reference, x->ref_line};
	}
	in->adjustments = p->n_adj ? adj : NULL;
	in->n_adjustments = p->n_adj;
}

static int compute(const struct run *rn, const struct plan_f *p, struct settle_result *res, struct settle_in *in,
		   struct err *e)
{
	struct settle_adjustment adj[LIMIT_SETTLE_ADJUSTMENTS];
	const struct person_f *pe = &rn->persons[p->per];
	int rc;

	if (pe->n_cert > LIMIT_SETTLE_PERIODS || pe->n_stay > LIMIT_SETTLE_STAYS)
		return err_set(e, ERR_CONFLICT, "plan_id", "护理计划%lld：参保人当月认定期间或住院记录过多", (long long)p->id);
	build_in(rn, p, in, adj);
	rc = settle_month(rn->s, in, res, e);
	if (rc) {
		char field[64], msg[200];
		snprintf(field, sizeof field, "plan_id");
		snprintf(msg, sizeof msg, "护理计划%lld（%s）无法结算：%s", (long long)p->id, e->field, e->msg);
		return err_set(e, rc, field, "%s", msg);
	}
	in->adjustments = NULL; /* adj is gone when this returns */
	return 0;
}

static int write_items(struct run *rn, struct err *e)
{
	struct db_copy *copy = NULL;
	struct settle_result *res = xmalloc(sizeof *res);
	int rc = 0;

	rc = db_copy_begin(rn->db, "settlement_items",
			   "id, statement_id, plan_id, person_id, month, mode, level, plan_from, plan_until, days_in_month,"
			   " entitled_days, entitled_mask, paid_days, day_divisor, hospital_days, death_date, required_visits,"
			   " shortfall_visits, forgiven, visits_payable, visits_rejected, visits_unqualified, visits_pending,"
			   " minutes_payable, minutes_rejected, minutes_unqualified, absent_days, home_month, supplementary,"
			   " assistance, attested, quality_base_fen, total_fen",
			   33, &copy, e);
	for (int i = 0; !rc && i < rn->n_plans; i++) {
		struct plan_f *p = &rn->plans[i];
		struct provider_f *v = &rn->provs[p->prov];
		const struct person_f *pe = &rn->persons[p->per];
		struct settle_in in;
		char from[DATE_STR], until[DATE_STR], death[DATE_STR];
		int hospital_days = 0;
		rc = compute(rn, p, res, &in, e);
		if (rc)
			break;
		if (pe->n_stay) {
			struct settle_in dry = in;
			dry.n_hospital = 0;
			dry.hospital = NULL;
			hospital_days = settle_entitled_days(&dry, NULL) - res->entitled_days;
		}
		{
			struct db_val vals[33] = {
				DB_INT(p->item_id), DB_INT(v->statement_id), DB_INT(p->id), DB_INT(p->person),
				DB_TEXT(rn->month), DB_TEXT(care_mode_name((enum care_mode)p->mode)), DB_INT(p->level),
				DB_TEXT(day_text(p->from, from)), DB_TEXT(day_text(p->until, until)), DB_INT(res->days_in_month),
				DB_INT(res->entitled_days), DB_INT(res->entitled_mask), DB_INT(res->paid_days),
				DB_INT(res->day_divisor), DB_INT(hospital_days), DB_TEXT(day_text(pe->death, death)),
				DB_INT(res->required_visits), DB_INT(res->shortfall_visits), DB_INT(res->forgiven),
				DB_INT(p->v.payable), DB_INT(p->v.rejected), DB_INT(p->v.unqualified), DB_INT(p->pending),
				DB_INT(p->v.payable_minutes), DB_INT(p->v.rejected_minutes), DB_INT(p->v.unqualified_minutes),
				DB_INT(in.absent_days), DB_INT(p->home_month), DB_INT(pe->supplementary), DB_INT(pe->assistance),
				DB_INT_OR_NULL(p->mode == CARE_FAMILY, p->attested), DB_INT(res->quality_base_fen),
				DB_INT(res->total_fen)};
			rc = db_copy_row(copy, vals, e);
		}
		/* the statement's figures */
		v->items++;
		v->visits[V_PAYABLE] += p->v.payable;
		v->visits[V_REJECTED] += p->v.rejected;
		v->visits[V_UNQUALIFIED] += p->v.unqualified;
		v->visits[V_PENDING] += p->pending;
		v->quality_base += res->quality_base_fen;
		v->lines += res->n_lines;
		rn->r->visits_pending += p->pending;
		for (int k = 0; k < res->n_lines; k++) {
			const struct settle_line *l = &res->lines[k];
			if (l->kind == SETTLE_KIND_BASE)
				v->base += l->amount_fen;
			else if (l->kind == SETTLE_KIND_ADJUSTMENT)
				v->adjustments += l->amount_fen;
			else
				v->deductions += l->amount_fen;
			v->source[l->source] += l->amount_fen;
			v->payee[l->payee] += l->amount_fen;
			v->total += l->amount_fen;
		}
	}
	if (copy) {
		int rc2 = db_copy_end(copy, e);
		rc = rc ? rc : rc2;
	}
	free(res);
	rn->r->items = rn->n_plans;
	return rc;
}

static int copy_line(struct db_copy *copy, int64_t id, int64_t statement, int64_t item, int seq,
		     const struct settle_line *l, int64_t adjustment, struct err *e)
{
	struct db_val vals[19] = {DB_INT(id),
				  DB_INT(statement),
				  DB_INT_OR_NULL(item != 0, item),
				  DB_INT(seq),
				  DB_TEXT(fund_source_name(l->source)),
				  DB_TEXT(settle_payee_code(l->payee)),
				  DB_TEXT(settle_kind_code(l->kind)),
				  DB_TEXT(settle_reason_code(l->reason)),
				  DB_TEXT(settle_qty_code(l->unit)),
				  DB_INT(l->quantity),
				  DB_INT(l->unit_fen),
				  DB_INT(l->divisor),
				  DB_INT(l->rate_pm),
				  DB_INT(l->amount_fen),
				  DB_INT(l->balanced),
				  DB_TEXT(l->label ? l->label : ""),
				  DB_TEXT(l->reference ? l->reference : ""),
				  DB_INT_OR_NULL(l->ref_line_id > 0, l->ref_line_id),
				  DB_INT_OR_NULL(adjustment > 0, adjustment)};
	return db_copy_row(copy, vals, e);
}

static int write_lines(struct run *rn, int64_t first_line, struct err *e)
{
	struct db_copy *copy = NULL;
	struct settle_result *res = xmalloc(sizeof *res);
	int64_t next = first_line;
	int rc;

	rc = db_copy_begin(rn->db, "settlement_lines",
			   "id, statement_id, item_id, seq, source, payee, kind, reason, unit, quantity, unit_fen, divisor,"
			   " rate_pm, amount_fen, balanced, label, reference, ref_line_id, adjustment_id",
			   19, &copy, e);
	for (int i = 0; !rc && i < rn->n_plans; i++) {
		struct plan_f *p = &rn->plans[i];
		struct settle_in in;
		int adj = 0;
		rc = compute(rn, p, res, &in, e);
		for (int k = 0; !rc && k < res->n_lines; k++) {
			const struct settle_line *l = &res->lines[k];
			int64_t adjustment = 0;
			if (l->kind == SETTLE_KIND_ADJUSTMENT && adj < p->n_adj)
				adjustment = rn->adjs[p->first_adj + adj++].id;
			rc = copy_line(copy, next++, rn->provs[p->prov].statement_id, p->item_id, k + 1, l, adjustment, e);
		}
	}
	/* each statement's quality line, last */
	for (int i = 0; !rc && i < rn->n_provs; i++) {
		struct provider_f *v = &rn->provs[i];
		struct settle_line q;
		rc = settle_quality(rn->s, v->has_grade ? v->grade : NULL, v->quality_base, &q, e);
		if (!rc)
			rc = copy_line(copy, next++, v->statement_id, 0, 1, &q, 0, e);
		v->quality = q.amount_fen;
		v->total += q.amount_fen;
		v->source[q.source] += q.amount_fen;
		v->payee[q.payee] += q.amount_fen;
		v->lines++;
	}
	if (copy) {
		int rc2 = db_copy_end(copy, e);
		rc = rc ? rc : rc2;
	}
	free(res);
	rn->r->lines = next - first_line;
	return rc;
}

static int cmp_pair(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	if (x[0] != y[0])
		return (x[0] > y[0]) - (x[0] < y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Distinct persons per statement, then each statement's figures. */
static int finish_statements(struct run *rn, struct err *e)
{
	int64_t (*pairs)[2] = xmalloc(((size_t)rn->n_plans + 1) * sizeof *pairs);
	int rc = 0;

	for (int i = 0; i < rn->n_plans; i++) {
		pairs[i][0] = rn->plans[i].prov;
		pairs[i][1] = rn->plans[i].person;
	}
	qsort(pairs, (size_t)rn->n_plans, sizeof *pairs, cmp_pair);
	for (int i = 0; i < rn->n_plans; i++)
		if (i == 0 || pairs[i][0] != pairs[i - 1][0] || pairs[i][1] != pairs[i - 1][1])
			rn->provs[pairs[i][0]].beneficiaries++;
	free(pairs);
	for (int i = 0; !rc && i < rn->n_provs; i++) {
		struct provider_f *v = &rn->provs[i];
		int64_t changes = 0;
		rc = db_exec(rn->db, &changes, e,
			     "UPDATE settlement_statements SET batch_id = $1, scheme_id = $2, scheme_version = $3, credit_grade = $4,"
			     " quality_permille = $5, beneficiaries = $6, items = $7, visits_payable = $8, visits_rejected = $9,"
			     " visits_unqualified = $10, visits_pending = $11, base_fen = $12, deductions_fen = $13,"
			     " adjustments_fen = $14, quality_fen = $15, total_fen = $16, fund_fen = $17, supplementary_fen = $18,"
			     " assistance_fen = $19, provider_fen = $20, family_fen = $21, beneficiary_fen = $22, lines = $23,"
			     " runs = runs + 1, computed_at = $24, computed_by = $25, updated_at = $24"
			     " WHERE id = $26 AND status = 'draft'",
			     DB_INT(rn->batch_id), DB_TEXT(rn->s->id), DB_TEXT(rn->s->version),
			     DB_TEXT(v->has_grade ? v->grade : NULL), DB_INT(v->quality_pm), DB_INT(v->beneficiaries),
			     DB_INT(v->items), DB_INT(v->visits[V_PAYABLE]), DB_INT(v->visits[V_REJECTED]),
			     DB_INT(v->visits[V_UNQUALIFIED]), DB_INT(v->visits[V_PENDING]), DB_INT(v->base),
			     DB_INT(v->deductions), DB_INT(v->adjustments), DB_INT(v->quality), DB_INT(v->total),
			     DB_INT(v->source[SOURCE_FUND]), DB_INT(v->source[SOURCE_SUPPLEMENTARY]),
			     DB_INT(v->source[SOURCE_ASSISTANCE]), DB_INT(v->payee[SETTLE_PAYEE_PROVIDER]),
			     DB_INT(v->payee[SETTLE_PAYEE_FAMILY_CAREGIVER]), DB_INT(v->payee[SETTLE_PAYEE_BENEFICIARY]),
			     DB_INT(v->lines), DB_INT(rn->now), DB_TEXT(rn->a->username[0] ? rn->a->username : "system"),
			     DB_INT(v->statement_id));
		if (!rc && changes != 1)
			rc = err_set(e, ERR_CONFLICT, "status", "结算单%lld在计算期间已被提交，请重新运行",
				     (long long)v->statement_id);
		rn->r->total_fen += v->total;
	}
	rn->r->statements = rn->n_provs;
	return rc;
}

/* The result's rows of the statements computed (the skipped ones were added when found). */
static int report(struct run *rn, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	for (int i = 0; !rc && i < rn->n_provs; i++) {
		struct provider_f *v = &rn->provs[i];
		rc = db_query(rn->db, &st, e,
			      "SELECT pv.code, pv.name, s.number FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id"
			      " WHERE s.id = $1",
			      DB_INT(v->statement_id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			json_array_append_new(
				rn->r->providers,
				json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:I,"
					  " s:{s:I, s:I, s:I}}",
					  "provider_id", (json_int_t)v->id, "code", db_col_text(st, 0), "name",
					  db_col_text(st, 1), "statement_id", (json_int_t)v->statement_id, "number",
					  db_col_text(st, 2), "status", "draft", "status_label", settlement_status_label("draft"),
					  "run", 1, "beneficiaries", v->beneficiaries, "items", v->items, "visits_payable",
					  v->visits[V_PAYABLE], "visits_rejected", v->visits[V_REJECTED], "visits_unqualified",
					  v->visits[V_UNQUALIFIED], "visits_pending", v->visits[V_PENDING], "deductions_fen",
					  (json_int_t)v->deductions, "total_fen", (json_int_t)v->total, "by_source", "fund",
					  (json_int_t)v->source[SOURCE_FUND], "supplementary",
					  (json_int_t)v->source[SOURCE_SUPPLEMENTARY], "assistance",
					  (json_int_t)v->source[SOURCE_ASSISTANCE]));
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_INTERNAL, NULL, "statement %lld vanished", (long long)v->statement_id);
		}
		db_done(st);
	}
	return rc;
}

static int cmp_code(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "code"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "code"));
	return strcmp(x ? x : "", y ? y : "");
}

static void sort_providers(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **items = xmalloc((n + 1) * sizeof *items);

	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(arr, i));
	qsort(items, n, sizeof *items, cmp_code);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, items[i]);
	free(items);
}

static void run_free(struct run *rn)
{
	for (int i = 0; i < rn->n_adjs; i++) {
		free(rn->adjs[i].reason);
		free(rn->adjs[i].reference);
	}
	free(rn->adjs);
	free(rn->plans);
	free(rn->slots);
	free(rn->orphans);
	free(rn->dense);
	free(rn->persons);
	free(rn->certs);
	free(rn->stays);
	free(rn->homes);
	free(rn->provs);
}

/* Reserve n ids of a kind ("next_item" or "next_line") from settlement_head: *first gets the first. */
static int reserve(struct db *db, const char *column, int64_t n, int64_t *first, struct err *e)
{
	char sql[128];
	int64_t next = 0;
	int rc;

	snprintf(sql, sizeof sql, "UPDATE settlement_head SET %s = %s + $1 WHERE id = 1 RETURNING %s", column, column,
		 column);
	rc = db_int(db, &next, e, sql, DB_INT(n));
	*first = next - n;
	return rc;
}

int settlement_run(struct db *db, struct db *rdb, const struct scheme *s, struct actor *a, const char *month,
		   int64_t provider_id, struct settlement_run_result *r, struct err *e)
{
	struct run rn;
	double t0 = seconds_now(), t_facts, t_visits;
	int64_t first_item = 0, first_line = 0, n_lines = 0;
	int32_t today = date_today_cn();
	json_t *detail;
	int rc, d;

	memset(r, 0, sizeof *r);
	memset(&rn, 0, sizeof rn);
	r->providers = json_array();
	if (!s->settle.defined || !s->care.defined)
		return err_set(e, ERR_INVALID, "scheme", "保障方案（%s）未规定结算规则，不能结算", s->id);
	rc = settlement_month_parse(month, "month", &rn.first, &rn.last, e);
	if (rc)
		return rc;
	if (rn.last >= today)
		return err_set(e, ERR_INVALID, "month", "只能结算已经结束的月份（%s尚未结束）", month);
	str_copy(rn.month, month, sizeof rn.month);
	str_copy(r->month, month, sizeof r->month);
	date_format(rn.first, rn.first_s);
	date_format(rn.last, rn.last_s);
	date_to_ymd(rn.first, &rn.year, &rn.mon, &d);
	rn.db = db;
	rn.rdb = rdb && db_engine(rdb) == DB_SQLITE && db_engine(db) == DB_SQLITE ? rdb : NULL;
	rn.s = s;
	rn.a = a;
	rn.r = r;
	rn.now = date_now_unix();
	rn.provider_filter = provider_id;
	actor_area_like(a, rn.like, sizeof rn.like);
	if (a->provider_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "护理机构不能发起结算");
	if (provider_id) {
		int64_t n = 0;
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM providers pv LEFT JOIN areas ar ON ar.id = pv.area_id WHERE pv.id = $1"
			    " AND ($2 = '' OR ar.path LIKE $2)",
			    DB_INT(provider_id), DB_TEXT(rn.like));
		if (!rc && !n)
			return err_set(e, ERR_NOT_FOUND, "provider_id", "护理机构不存在");
		if (rc)
			return rc;
	}
	db_bulk_mode(db);
	if (rn.rdb)
		db_bulk_mode(rn.rdb);
	rc = db_begin(db, e);
	if (rc)
		return rc;
	/* one run at a time: the head row is the lock */
	rc = db_exec0(db, NULL, e, "UPDATE settlement_head SET runs = runs + 1 WHERE id = 1");
	if (!rc)
		rc = db_int(db, &rn.batch_id, e,
			    "INSERT INTO settlement_batches (month, scheme_id, scheme_version, runs, last_run_at, last_run_by,"
			    " created_at) VALUES ($1, $2, $3, 1, $4, $5, $4) ON CONFLICT (month) DO UPDATE SET runs ="
			    " settlement_batches.runs + 1, last_run_at = $4, last_run_by = $5, scheme_id = $2, scheme_version = $3"
			    " RETURNING id",
			    DB_TEXT(rn.month), DB_TEXT(s->id), DB_TEXT(s->version), DB_INT(rn.now),
			    DB_TEXT(a->username[0] ? a->username : "system"));
	if (!rc)
		rc = collect_plans(&rn, e);
	if (!rc)
		rc = load_facts(&rn, e);
	if (!rc)
		rc = prepare_statements(&rn, e);
	if (!rc && rn.n_plans)
		rc = reserve(db, "next_item", rn.n_plans, &first_item, e);
	for (int i = 0; !rc && i < rn.n_plans; i++) /* a kept item's id is older than any reserved now */
		rn.plans[i].item_id = rn.plans[i].old_item ? rn.plans[i].old_item : first_item + i;
	if (!rc && rn.n_plans && db_engine(db) == DB_PGSQL) /* SQLite finds each visit's plan in C */
		rc = map_items(&rn, first_item, e);
	t_facts = seconds_now();
	if (!rc && rn.n_plans)
		rc = walk_visits(&rn, e);
	t_visits = seconds_now();
	if (!rc)
		rc = write_items(&rn, e);
	log_debug("event=settlement_phase phase=items t=%.3f", seconds_now());
	for (int i = 0; i < rn.n_provs; i++)
		n_lines += rn.provs[i].lines + 1;
	if (!rc && rn.n_provs)
		rc = reserve(db, "next_line", n_lines, &first_line, e);
	if (!rc)
		rc = write_lines(&rn, first_line, e);
	log_debug("event=settlement_phase phase=lines t=%.3f", seconds_now());
	if (!rc)
		rc = finish_statements(&rn, e);
	if (!rc)
		rc = report(&rn, e);
	if (!rc) {
		detail = json_pack("{s:s, s:o, s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I}", "month", rn.month, "provider_id",
				   provider_id ? json_integer(provider_id) : json_null(), "statements", r->statements,
				   "skipped", r->skipped, "removed", r->removed, "items", (json_int_t)r->items, "lines",
				   (json_int_t)r->lines, "visits_settled", (json_int_t)r->visits_settled, "visits_pending",
				   (json_int_t)r->visits_pending, "total_fen", (json_int_t)r->total_fen);
		rc = audit_append(db, a, "settlement.run", "settlement_month", rn.month, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		run_free(&rn);
		return rc;
	}
	rc = audit_commit(db, a, e);
	run_free(&rn);
	sort_providers(r->providers);
	r->seconds = seconds_now() - t0;
	r->facts_seconds = t_facts - t0;
	r->visits_seconds = t_visits - t_facts;
	r->write_seconds = r->seconds - (t_visits - t0);
	log_info("event=settlement_run month=%s provider=%lld statements=%d skipped=%d removed=%d items=%lld lines=%lld"
		 " visits=%lld pending=%lld total_fen=%lld seconds=%.2f facts_seconds=%.2f visits_seconds=%.2f"
		 " write_seconds=%.2f",
		 rn.month, (long long)provider_id, r->statements, r->skipped, r->removed, (long long)r->items,
		 (long long)r->lines, (long long)r->visits_settled, (long long)r->visits_pending, (long long)r->total_fen,
		 r->seconds, r->facts_seconds, r->visits_seconds, r->write_seconds);
	return rc;
}

json_t *settlement_run_json(const struct settlement_run_result *r)
{
	return json_pack("{s:s, s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:O}", "month", r->month,
			 "statements", r->statements, "skipped", r->skipped, "removed", r->removed, "items",
			 (json_int_t)r->items, "lines", (json_int_t)r->lines, "visits_settled",
			 (json_int_t)r->visits_settled, "visits_pending", (json_int_t)r->visits_pending, "total_fen",
			 (json_int_t)r->total_fen, "seconds", r->seconds, "facts_seconds", r->facts_seconds,
			 "visits_seconds", r->visits_seconds, "write_seconds", r->write_seconds, "providers",
			 r->providers ? r->providers : json_array());
}

void settlement_run_free(struct settlement_run_result *r)
{
	json_decref(r->providers);
	r->providers = NULL;
}
