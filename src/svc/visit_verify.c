/* visit_verify.c: turning the facts around a visit into the inputs of rules/verify.c: one visit at a time (at
 * check-out, after a dispute or a correction), or a whole month in bulk with every fact loaded once and the visits
 * walked in check-in order (the caregiver's previous visit and the plan week's minutes carried along). Only rows
 * whose outcome changes are written. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
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

/* items_outside for the form the service stores, ["CODE","CODE",...] compact and without escapes, read in place;
 * -1 when the text has any other form. */
static int items_outside_stored(const char *s, char (*codes)[16], int n_codes)
{
	int outside = 0;

	if (*s++ != '[')
		return -1;
	if (*s == ']')
		return s[1] ? -1 : 0;
	for (;;) {
		const char *q;
		size_t len;
		bool found = false;

		if (*s++ != '"' || !(q = strchr(s, '"')))
			return -1;
		len = (size_t)(q - s);
		if (memchr(s, '\\', len))
			return -1;
		for (int k = 0; k < n_codes && !found; k++)
			found = len < 16 && memcmp(codes[k], s, len) == 0 && codes[k][len] == '\0';
		outside += !found;
		s = q + 1;
		if (*s == ']')
			return s[1] ? -1 : outside;
		if (*s++ != ',')
			return -1;
	}
}

/* Codes of the items performed that the plan leaves out; codes is the plan's list (sorted or not). */
static int items_outside(const char *items_json, char (*codes)[16], int n_codes)
{
	json_t *items, *it;
	size_t i;
	int outside = items_json ? items_outside_stored(items_json, codes, n_codes) : 0;

	if (outside >= 0)
		return outside;
	outside = 0;
	items = json_loads(items_json, 0, NULL);
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

/* Whether an outcome differs from the one stored. */
static bool outcome_changed(enum verify_state st, uint32_t reasons, int minutes, const char *old_state,
			    uint32_t old_reasons, int old_minutes, bool old_minutes_null)
{
	return strcmp(state_name(st), old_state) || reasons != old_reasons || minutes != old_minutes || old_minutes_null;
}

/* Write an outcome; an exception's review restarts when its reasons change. */
static int write_outcome(struct db *db, int64_t id, enum verify_state st, uint32_t reasons, int minutes, int64_t now,
			 struct err *e)
{
	return db_exec(db, NULL, e,
		       "UPDATE visits SET verify_state = $1, reasons = $2, minutes = $3, verified_at = $4,"
		       " review_state = CASE WHEN $1 <> 'exception' THEN NULL"
		       "  WHEN review_state IS NOT NULL AND reasons = $2 THEN review_state ELSE 'open' END"
		       " WHERE id = $5",
		       DB_TEXT(state_name(st)), DB_INT(reasons), DB_INT(minutes), DB_INT(now), DB_INT(id));
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
	bool old_minutes_null = true;
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
		rc = db_query(db, &st, e,
			      "SELECT admitted, discharged FROM hospital_stays WHERE person_id = $1 AND admitted <= $2"
			      " AND (discharged IS NULL OR discharged >= $2)",
			      DB_INT(person), DB_TEXT(day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		v.in_hospital = v.in_hospital || verify_hospital_day(day_of(db_col_text(st, 0), 0),
								      day_of(db_col_text(st, 1), 0), v.day);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
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
	if (outcome_changed(state, reasons, verify_minutes(&v), old_state, old_reasons, old_minutes, old_minutes_null))
		rc = write_outcome(db, id, state, reasons, verify_minutes(&v), now, e);
out:
	free(items);
	return rc;
}

/* ---- a month in bulk ---- */

/* A set of ids as a bitmap indexed by id with a running count per 64-bit word: adding is one bit, the ids come out
 * sorted, and an id's rank among them (its position in a fact array sorted by id) is one count and one popcount.
 * Ids beyond LIMIT_VERIFY_ID_BITS go to an overflow hash set and are found by binary search. */
struct id_set {
	int64_t *slots;
	size_t cap, used;
};

struct id_index {
	uint64_t *words;
	int32_t *before;             /* ids in the words before this one */
	size_t n_words;
	struct id_set big;           /* ids >= LIMIT_VERIFY_ID_BITS */
};

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
	/* the week being walked: its Monday and the minutes verified so far (the walk goes forward in time) */
	int32_t week_monday;
	int week_minutes;
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
	/* the persons (0), plans (1) and caregivers (2) of the month, for finding their facts */
	struct id_index idx[3];
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

/* Add to a set of ids (open addressing, 0 never an id), later sorted into a plain array. */
static void id_set_add(struct id_set *set, int64_t id)
{
	size_t h, mask;

	if ((set->used + 1) * 2 > set->cap) {
		int64_t *old = set->slots;
		size_t old_cap = set->cap;
		set->cap = old_cap ? old_cap * 2 : 4096;
		set->slots = xcalloc(set->cap, sizeof *set->slots);
		set->used = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i])
				id_set_add(set, old[i]);
		free(old);
	}
	mask = set->cap - 1;
	h = ((uint64_t)id * 0x9e3779b97f4a7c15ULL) & mask;
	while (set->slots[h] && set->slots[h] != id)
		h = (h + 1) & mask;
	if (!set->slots[h]) {
		set->slots[h] = id;
		set->used++;
	}
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The set's ids in ascending order, compacted into the front of its slots; returns how many. */
static size_t id_set_sorted(struct id_set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			set->slots[n++] = set->slots[i];
	if (n)
		qsort(set->slots, n, sizeof *set->slots, cmp_int64);
	return n;
}

static void id_index_add(struct id_index *x, int64_t id)
{
	if (id <= 0 || id >= LIMIT_VERIFY_ID_BITS) {
		if (id > 0)
			id_set_add(&x->big, id);
		return;
	}
	if ((size_t)(id >> 6) >= x->n_words) {
		size_t n = x->n_words ? x->n_words : 1024;
		while (n <= (size_t)(id >> 6))
			n *= 2;
		x->words = xrealloc(x->words, n * sizeof *x->words);
		memset(x->words + x->n_words, 0, (n - x->n_words) * sizeof *x->words);
		x->n_words = n;
	}
	x->words[id >> 6] |= 1ULL << (id & 63);
}

/* Count the ranks once every id is in; the ids in ascending order into *out (caller frees), their number returned. */
static size_t id_index_finish(struct id_index *x, int64_t **out)
{
	size_t n = 0, n_big = id_set_sorted(&x->big);
	int64_t *ids;

	x->before = xmalloc((x->n_words + 1) * sizeof *x->before);
	for (size_t w = 0; w < x->n_words; w++) {
		x->before[w] = (int32_t)n;
		n += (size_t)__builtin_popcountll(x->words[w]);
	}
	ids = xmalloc((n + n_big + 1) * sizeof *ids);
	n = 0;
	for (size_t w = 0; w < x->n_words; w++)
		for (uint64_t bits = x->words[w]; bits; bits &= bits - 1)
			ids[n++] = (int64_t)(w << 6) + __builtin_ctzll(bits);
	if (n_big) /* all larger than the bitmap's */
		memcpy(ids + n, x->big.slots, n_big * sizeof *ids);
	*out = ids;
	return n + n_big;
}

/* The fact for id in arr (n facts of size bytes sorted by id, each starting with its id), or NULL. */
static void *id_index_find(const struct id_index *x, int64_t id, void *arr, size_t n, size_t size)
{
	if (id > 0 && (size_t)(id >> 6) < x->n_words && x->before) {
		uint64_t word = x->words[id >> 6], bit = 1ULL << (id & 63);
		size_t rank;
		if (!(word & bit))
			return NULL;
		rank = (size_t)x->before[id >> 6] + (size_t)__builtin_popcountll(word & (bit - 1));
		if (rank < n && *(int64_t *)(void *)((char *)arr + rank * size) == id)
			return (char *)arr + rank * size;
	}
	return bsearch(&id, arr, n, size, cmp_id); /* beyond the bitmap, or a fact missing from the array */
}

static void id_index_free(struct id_index *x)
{
	free(x->words);
	free(x->before);
	free(x->big.slots);
}

/* The persons (kind 1), plans (2) and caregivers (3) of the visits checked in between lo and hi, in one pass over
 * the month, into the temporary table verify_ids that the fact queries join. */
static int collect_ids(struct db *db, struct month *m, int64_t lo, int64_t hi, struct err *e)
{
	struct db_stmt *st = NULL;
	struct db_copy *copy = NULL;
	int rc;

	rc = db_exec(db, NULL, e,
		     "CREATE TEMP TABLE IF NOT EXISTS verify_ids (kind INTEGER NOT NULL, id BIGINT NOT NULL,"
		     " PRIMARY KEY (kind, id))");
	if (!rc)
		rc = db_exec(db, NULL, e, "DELETE FROM verify_ids");
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT person_id, plan_id, caregiver_id FROM visits WHERE checkin_at >= $1 AND checkin_at < $2",
			      DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		for (int k = 0; k < 3; k++)
			id_index_add(&m->idx[k], db_col_int(st, k));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_copy_begin(db, "verify_ids", "kind, id", 2, &copy, e);
	for (int k = 0; k < 3; k++) {
		int64_t *ids = NULL;
		size_t n = id_index_finish(&m->idx[k], &ids);
		for (size_t i = 0; !rc && i < n; i++) {
			struct db_val vals[2] = {DB_INT(k + 1), DB_INT(ids[i])};
			rc = db_copy_row(copy, vals, e);
		}
		free(ids);
	}
	if (copy) {
		int rc2 = db_copy_end(copy, e);
		rc = rc ? rc : rc2;
	}
	return rc;
}

/* Where an owner's periods are: its owners (persons or caregivers, sorted by id, found through m->idx[k]) and, in
 * each owner, the first index and count of its run in the period array. */
struct period_owner {
	int k;
	void *arr;
	int n;
	size_t size, first_off, n_off;
};

/* Reads rows (owner id, from, until) in owner order from st into *periods, each owner's run noted in it; an until
 * not given is open_until. Closes st. */
static int load_period_rows(struct month *m, const struct period_owner *o, struct db_stmt *st,
			    struct qual_period **periods, int *n, int *cap, int32_t open_until, struct err *e)
{
	int rc;

	while ((rc = db_step(st, e)) == DB_ROW) {
		char *owner = id_index_find(&m->idx[o->k], db_col_int(st, 0), o->arr, (size_t)o->n, o->size);
		int *first, *count;
		if (!owner)
			continue;
		first = (int *)(owner + o->first_off);
		count = (int *)(owner + o->n_off);
		GROW(*periods, *n, *cap);
		if (!*count)
			*first = *n;
		(*count)++;
		(*periods)[*n].from = day_of(db_col_text(st, 1), 0);
		(*periods)[(*n)++].until = day_of(db_col_text(st, 2), open_until);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

#define PERSON_RUN(first, count)                                                                                   \
	(struct period_owner){0, m->persons, m->n_persons, sizeof *m->persons, offsetof(struct person_fact, first),  \
			      offsetof(struct person_fact, count)}
#define CAREGIVER_RUN(first, count)                                                                                \
	(struct period_owner){2, m->cgs, m->n_cgs, sizeof *m->cgs, offsetof(struct caregiver_fact, first),           \
			      offsetof(struct caregiver_fact, count)}

/* The facts of everyone in verify_ids (collect_ids), sorted by id. */
static int load_facts(struct db *db, const struct scheme *s, struct month *m, const char *first_day,
		      const char *last_day, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	/* persons, with their hospital stays and qualifying certifications overlapping the month */
	rc = db_query0(db, &st, e,
		      "SELECT p.id, p.lat_e6, p.lon_e6, p.death_date FROM verify_ids t JOIN persons p ON p.id = t.id"
		      " WHERE t.kind = 1 ORDER BY p.id");
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
			      "SELECT h.person_id, h.admitted, h.discharged FROM verify_ids t JOIN hospital_stays h"
			      " ON h.person_id = t.id WHERE t.kind = 1 AND h.admitted <= $2"
			      " AND (h.discharged IS NULL OR h.discharged >= $1) ORDER BY h.person_id",
			      DB_TEXT(first_day), DB_TEXT(last_day));
	if (!rc) /* until 0: still in hospital */
		rc = load_period_rows(m, &PERSON_RUN(first_stay, n_stays), st, &m->stays, &m->n_stays, &m->cap_stays, 0, e);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT c.person_id, c.valid_from, c.valid_until FROM verify_ids t JOIN certifications c"
			      " ON c.person_id = t.id WHERE t.kind = 1 AND c.qualifies = 1 AND c.status <> 'publicised'"
			      " AND c.valid_from <= $2 AND c.valid_until >= $1 ORDER BY c.person_id",
			      DB_TEXT(first_day), DB_TEXT(last_day));
	if (!rc)
		rc = load_period_rows(m, &PERSON_RUN(first_cert, n_certs), st, &m->certs, &m->n_certs, &m->cap_certs, 0, e);
	/* plans and their items */
	if (!rc)
		rc = db_query0(db, &st, e,
			      "SELECT cp.id, cp.effective_from, cp.ended_on, cp.status, cp.level, cp.mode FROM verify_ids t"
			      " JOIN care_plans cp ON cp.id = t.id WHERE t.kind = 2 ORDER BY cp.id");
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
		rc = db_query0(db, &st, e,
			      "SELECT i.plan_id, i.code FROM verify_ids t JOIN care_plan_items i ON i.plan_id = t.id"
			      " WHERE t.kind = 2 ORDER BY i.plan_id, i.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);
		struct plan_fact *p = id_index_find(&m->idx[1], pid, m->plans, (size_t)m->n_plans, sizeof *m->plans);
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
		rc = db_query0(db, &st, e,
			      "SELECT c.id, c.terminated_on, c.kind FROM verify_ids t JOIN caregivers c ON c.id = t.id"
			      " WHERE t.kind = 3 ORDER BY c.id");
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
		rc = db_query0(db, &st, e,
			      "SELECT x.caregiver_id, x.provider_id, x.from_date, x.until_date FROM verify_ids t"
			      " JOIN caregiver_employments x ON x.caregiver_id = t.id WHERE t.kind = 3 ORDER BY x.caregiver_id, x.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cid = db_col_int(st, 0);
		struct caregiver_fact *c = id_index_find(&m->idx[2], cid, m->cgs, (size_t)m->n_cgs, sizeof *m->cgs);
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
		rc = db_query0(db, &st, e,
			      "SELECT x.caregiver_id, x.from_date, x.until_date FROM verify_ids t"
			      " JOIN caregiver_suspensions x ON x.caregiver_id = t.id WHERE t.kind = 3 ORDER BY x.caregiver_id, x.id");
	if (!rc)
		rc = load_period_rows(m, &CAREGIVER_RUN(first_susp, n_susp), st, &m->susps, &m->n_susps, &m->cap_susps,
				      QUAL_OPEN, e);
	if (!rc)
		rc = db_query0(db, &st, e,
			      "SELECT x.caregiver_id, x.issued_on, x.expires_on FROM verify_ids t"
			      " JOIN caregiver_certificates x ON x.caregiver_id = t.id WHERE t.kind = 3 ORDER BY x.caregiver_id, x.id");
	if (!rc)
		rc = load_period_rows(m, &CAREGIVER_RUN(first_cert, n_cert), st, &m->ccerts, &m->n_ccerts, &m->cap_ccerts, 0,
				      e);
	return rc;
}

static bool in_periods(const struct qual_period *p, int n, int32_t day)
{
	for (int i = 0; i < n; i++)
		if (p[i].from <= day && day <= p[i].until)
			return true;
	return false;
}

/* Each caregiver's last visit in the day before the month (an earlier one can neither overlap a visit of the month
 * nor make the travel to it look impossible: 24 hours at max_speed_kmh is farther than any city), and each plan
 * week's minutes already verified before the month. */
static int load_carry(struct db *db, struct month *m, int64_t lo, int32_t first_monday, const char *first_day,
		      struct err *e)
{
	struct db_stmt *st = NULL;
	char monday_s[DATE_STR];
	int rc;

	rc = db_query(db, &st, e,
		      "SELECT caregiver_id, COALESCE(checkout_at, 0), checkout_lat_e6, checkout_lon_e6, checkout_accuracy_m"
		      " FROM visits WHERE checkin_at >= $1 AND checkin_at < $2 AND status IN ('in_progress', 'done')"
		      " ORDER BY checkin_at, id",
		      DB_INT(lo - 86400), DB_INT(lo));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t cid = db_col_int(st, 0);
		struct caregiver_fact *c = id_index_find(&m->idx[2], cid, m->cgs, (size_t)m->n_cgs, sizeof *m->cgs);
		rc = 0;
		if (!c)
			continue;
		c->has_prev = db_col_int(st, 1) != 0;
		c->prev_out_at = db_col_int(st, 1);
		load_point(st, 2, &c->prev_out);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	date_format(first_monday, monday_s);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT plan_id, SUM(minutes) FROM visits WHERE visit_date >= $1 AND visit_date < $2"
			      " AND (verify_state = 'verified' OR review_state = 'accepted') GROUP BY plan_id",
			      DB_TEXT(monday_s), DB_TEXT(first_day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t pid = db_col_int(st, 0);
		struct plan_fact *p = id_index_find(&m->idx[1], pid, m->plans, (size_t)m->n_plans, sizeof *m->plans);
		rc = 0;
		if (p) {
			p->week_monday = first_monday;
			p->week_minutes = (int)db_col_int(st, 1);
		}
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
	for (int k = 0; k < 3; k++)
		id_index_free(&m->idx[k]);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One visit's new outcome. */
struct change {
	int64_t id;
	uint32_t reasons;
	int minutes;
	enum verify_state state;
};

/* A day's changed outcomes on their way from the walk to the writer. */
struct day_batch {
	struct day_batch *next;
	int n;
	struct change c[];
};

/* The month run: the walk (reading) hands each day's changes to the writer, either directly or, with a second
 * connection, through a short queue to the calling thread while the walk goes on in its own thread. */
struct month_run {
	struct db *db, *rdb;           /* writer, reader (the same connection without a pipeline) */
	const struct scheme *s;
	int32_t first, last;
	int64_t lo, hi, now;
	char first_s[DATE_STR], last_s[DATE_STR];
	struct visit_verify_result *r;
	double t_facts, t_carry, t0;
	int64_t written;
	/* the pipeline */
	bool piped;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct day_batch *head, *tail;
	int queued;
	bool walk_done, writer_failed;
	int walk_rc;
	struct err walk_err;
};

/* The day's changed outcomes in one transaction (a running server's check-ins wait at most one day's writes):
 * loaded into a temporary table (COPY on PostgreSQL) and applied by one UPDATE ... FROM, about half the cost of an
 * UPDATE per visit on SQLite. An exception's review restarts when its reasons change. */
static int write_day(struct month_run *mr, const struct change *c, int n, struct err *e)
{
	struct db_copy *copy = NULL;
	int rc;

	if (!n)
		return 0;
	rc = db_exec(mr->db, NULL, e,
		     "CREATE TEMP TABLE IF NOT EXISTS verify_changes (id BIGINT NOT NULL, state TEXT NOT NULL,"
		     " reasons BIGINT NOT NULL, minutes BIGINT NOT NULL)");
	if (!rc)
		rc = db_begin(mr->db, e);
	if (!rc)
		rc = db_copy_begin(mr->db, "verify_changes", "id, state, reasons, minutes", 4, &copy, e);
	for (int i = 0; !rc && i < n; i++) {
		struct db_val vals[4] = {DB_INT(c[i].id), DB_TEXT(state_name(c[i].state)), DB_INT(c[i].reasons),
					 DB_INT(c[i].minutes)};
		rc = db_copy_row(copy, vals, e);
	}
	if (copy) {
		int rc2 = db_copy_end(copy, e);
		rc = rc ? rc : rc2;
	}
	if (!rc)
		rc = db_exec(mr->db, NULL, e,
			     "UPDATE visits SET verify_state = c.state, reasons = c.reasons, minutes = c.minutes,"
			     " verified_at = $1, review_state = CASE WHEN c.state <> 'exception' THEN NULL"
			     "  WHEN visits.review_state IS NOT NULL AND visits.reasons = c.reasons THEN visits.review_state"
			     "  ELSE 'open' END"
			     " FROM verify_changes c WHERE visits.id = c.id",
			     DB_INT(mr->now));
	if (!rc)
		rc = db_exec(mr->db, NULL, e, "DELETE FROM verify_changes");
	if (!rc)
		rc = db_commit(mr->db, e);
	else if (db_in_tx(mr->db))
		db_rollback(mr->db);
	if (!rc)
		mr->written += n;
	return rc;
}

/* The walk's hand-over of a finished day: written at once, or queued for the writer (at most
 * LIMIT_VERIFY_QUEUE_DAYS days waiting). */
static int hand_over(struct month_run *mr, const struct change *c, int n, struct err *e)
{
	struct day_batch *b;
	bool failed;

	if (!mr->piped)
		return write_day(mr, c, n, e);
	b = xmalloc(sizeof *b + (size_t)n * sizeof *c);
	b->next = NULL;
	b->n = n;
	if (n)
		memcpy(b->c, c, (size_t)n * sizeof *c);
	pthread_mutex_lock(&mr->mu);
	while (mr->queued >= LIMIT_VERIFY_QUEUE_DAYS && !mr->writer_failed)
		pthread_cond_wait(&mr->cv, &mr->mu);
	failed = mr->writer_failed;
	if (!failed) {
		if (mr->tail)
			mr->tail->next = b;
		else
			mr->head = b;
		mr->tail = b;
		mr->queued++;
		pthread_cond_broadcast(&mr->cv);
	}
	pthread_mutex_unlock(&mr->mu);
	if (failed) {
		free(b);
		return err_set(e, ERR_INTERNAL, NULL, "the writer stopped");
	}
	return 0;
}

/* Everything that reads: the ids, the facts, the carry-over, then the days in check-in order, each caregiver's
 * previous visit and each plan week's minutes carried along. */
static int walk_month(struct month_run *mr, struct err *e)
{
	struct db *db = mr->rdb;
	struct visit_verify_result *r = mr->r;
	struct month m;
	struct db_stmt *st = NULL;
	struct change *changes = NULL;
	int n_changes = 0, cap_changes = 0;
	int32_t first_monday = mr->first - (date_weekday(mr->first) - 1);
	int rc;

	memset(&m, 0, sizeof m);
	rc = collect_ids(db, &m, mr->lo, mr->hi, e);
	if (!rc)
		rc = load_facts(db, mr->s, &m, mr->first_s, mr->last_s, e);
	mr->t_facts = seconds_now();
	if (!rc)
		rc = load_carry(db, &m, mr->lo, first_monday, mr->first_s, e);
	mr->t_carry = seconds_now();
	for (int32_t day = mr->first; !rc && day <= mr->last; day++) {
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
			struct person_fact *p = id_index_find(&m.idx[0], pid, m.persons, (size_t)m.n_persons, sizeof *m.persons);
			struct plan_fact *pl = id_index_find(&m.idx[1], plan_id, m.plans, (size_t)m.n_plans, sizeof *m.plans);
			struct caregiver_fact *c = id_index_find(&m.idx[2], cid, m.cgs, (size_t)m.n_cgs, sizeof *m.cgs);
			struct qual_facts qf = {0};
			uint32_t reasons = 0;
			enum verify_state state;
			int minutes;
			int32_t monday;
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
			for (int k = 0; k < p->n_stays && !v.in_hospital; k++)
				v.in_hospital = verify_hospital_day(m.stays[p->first_stay + k].from,
								    m.stays[p->first_stay + k].until, v.day);
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
			monday = v.day - (date_weekday(v.day) - 1);
			if (pl->week_monday != monday) { /* a new week */
				pl->week_monday = monday;
				pl->week_minutes = 0;
			}
			v.week_minutes_before = pl->week_minutes;
			prev.has = c->has_prev;
			prev.checkout_at = c->prev_out_at;
			prev.out = c->prev_out;
			state = verify_visit(&mr->s->visits, &v, &prev, mr->now, &reasons);
			minutes = verify_minutes(&v);
			/* carry along: this visit is the caregiver's previous one for the next, its minutes count for the week */
			c->has_prev = v.checkout_at != 0;
			c->prev_out_at = v.checkout_at;
			c->prev_out = v.out;
			/* an exception the bureau accepted (for the same reasons) counts like a verified visit */
			if (state == VERIFY_OK || (state == VERIFY_EXCEPTION && !strcmp(db_col_text(st, 19), "accepted") &&
						   reasons == (uint32_t)db_col_int(st, 17)))
				pl->week_minutes += minutes;
			if (outcome_changed(state, reasons, minutes, db_col_text(st, 16), (uint32_t)db_col_int(st, 17),
					    (int)db_col_int(st, 18), db_col_null(st, 18))) {
				GROW(changes, n_changes, cap_changes);
				changes[n_changes++] = (struct change){db_col_int(st, 0), reasons, minutes, state};
			}
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
		/* the day's changed outcomes, handed over once its cursor is closed */
		if (!rc)
			rc = hand_over(mr, changes, n_changes, e);
		n_changes = 0;
	}
	free(changes);
	month_free(&m);
	return rc;
}

static void *walk_thread(void *arg)
{
	struct month_run *mr = arg;
	int rc = walk_month(mr, &mr->walk_err);

	pthread_mutex_lock(&mr->mu);
	mr->walk_rc = rc;
	mr->walk_done = true;
	pthread_cond_broadcast(&mr->cv);
	pthread_mutex_unlock(&mr->mu);
	return NULL;
}

/* The calling thread's part of the pipeline: write each queued day until the walk is over. */
static int write_queue(struct month_run *mr, struct err *e)
{
	int rc = 0;

	for (;;) {
		struct day_batch *b;

		pthread_mutex_lock(&mr->mu);
		while (!mr->head && !mr->walk_done)
			pthread_cond_wait(&mr->cv, &mr->mu);
		b = mr->head;
		if (b) {
			mr->head = b->next;
			if (!mr->head)
				mr->tail = NULL;
			mr->queued--;
			pthread_cond_broadcast(&mr->cv);
		}
		pthread_mutex_unlock(&mr->mu);
		if (!b)
			return rc; /* the walk is over and everything is written */
		if (!rc)
			rc = write_day(mr, b->c, b->n, e);
		free(b);
		if (rc) {
			pthread_mutex_lock(&mr->mu);
			mr->writer_failed = true;
			pthread_cond_broadcast(&mr->cv);
			pthread_mutex_unlock(&mr->mu);
		}
	}
}

int visit_verify_month(struct db *db, struct db *rdb, const struct scheme *s, const char *month,
		       struct visit_verify_result *r, struct err *e)
{
	struct month_run mr;
	pthread_t walker;
	int y = 0, mo = 0;
	int rc;

	memset(r, 0, sizeof *r);
	memset(&mr, 0, sizeof mr);
	if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 || y < 1900 ||
	    y > 2199)
		return err_set(e, ERR_INVALID, "month", "月份应为YYYY-MM");
	mr.db = db;
	mr.rdb = rdb ? rdb : db;
	mr.s = s;
	mr.r = r;
	mr.now = date_now_unix();
	mr.t0 = mr.t_facts = mr.t_carry = seconds_now();
	db_bulk_mode(db);
	if (rdb)
		db_bulk_mode(rdb);
	mr.first = date_from_ymd(y, mo, 1);
	mr.last = date_add_months(mr.first, 1) - 1;
	date_format(mr.first, mr.first_s);
	date_format(mr.last, mr.last_s);
	/* the month in Asia/Shanghai time */
	mr.lo = (int64_t)mr.first * 86400 - 8 * 3600;
	mr.hi = (int64_t)(mr.last + 1) * 86400 - 8 * 3600;
	if (!rdb || rdb == db) {
		rc = walk_month(&mr, e);
	} else {
		mr.piped = true;
		pthread_mutex_init(&mr.mu, NULL);
		pthread_cond_init(&mr.cv, NULL);
		if (pthread_create(&walker, NULL, walk_thread, &mr)) {
			mr.piped = false;
			mr.rdb = db;
			rc = walk_month(&mr, e);
		} else {
			rc = write_queue(&mr, e);
			pthread_join(walker, NULL);
			if (!rc && mr.walk_rc) {
				*e = mr.walk_err;
				rc = mr.walk_rc;
			}
		}
		if (mr.piped) {
			pthread_mutex_destroy(&mr.mu);
			pthread_cond_destroy(&mr.cv);
		}
	}
	r->seconds = seconds_now() - mr.t0;
	log_info("event=visits_verify month=%s visits=%lld verified=%lld exceptions=%lld pending=%lld written=%lld"
		 " seconds=%.2f facts_seconds=%.2f carry_seconds=%.2f piped=%d",
		 month, (long long)r->visits, (long long)r->verified, (long long)r->exceptions, (long long)r->pending,
		 (long long)mr.written, r->seconds, mr.t_facts - mr.t0, mr.t_carry - mr.t_facts, mr.piped);
	return rc;
}
