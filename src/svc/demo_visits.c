/* demo_visits.c: two months of service delivery for the demo's care plans: home visits by each provider's
 * caregivers with positions around the home and a realistic share of every kind of exception (outside the
 * geofence, short, no GPS, poor accuracy, overlaps, impossible travel, unqualified caregivers, items outside the
 * plan, missing check-outs, hospital days), institutional presence, family-care attestations, ratings with a few
 * disputes, explanations and decisions, and complaints. The visits are then verified by the same bulk routine the
 * command line uses (part of the demo, see demo.h). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "scheme/scheme.h"
#include "svc/demo_registry.h"
#include "svc/visit.h"

#define DEMO_VISIT_DAYS 60

struct plan_row {
	int64_t id, person, provider;
	char mode[16], from[DATE_STR], until[DATE_STR];
	int per_week;
	int64_t lat, lon;
	bool has_home;
	char items[6][16];
	int n_items;
};

static int load_plans(struct db *db, struct plan_row **out, int *n, struct err *e)
{
	struct db_stmt *st = NULL;
	struct plan_row *p = NULL;
	int cap = 0, rc;

	*n = 0;
	rc = db_query(db, &st, e,
		      "SELECT cp.id, cp.person_id, cp.provider_id, cp.mode, cp.effective_from, COALESCE(cp.ended_on, ''),"
		      " cp.visits_per_week, pe.lat_e6, pe.lon_e6 FROM care_plans cp JOIN persons pe ON pe.id = cp.person_id"
		      " WHERE cp.status IN ('active', 'confirmed') ORDER BY cp.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (*n == cap) {
			cap = cap ? cap * 2 : 128;
			p = realloc(p, (size_t)cap * sizeof *p);
			if (!p)
				abort();
		}
		memset(&p[*n], 0, sizeof p[*n]);
		p[*n].id = db_col_int(st, 0);
		p[*n].person = db_col_int(st, 1);
		p[*n].provider = db_col_int(st, 2);
		str_copy(p[*n].mode, db_col_text(st, 3), sizeof p[*n].mode);
		str_copy(p[*n].from, db_col_text(st, 4), sizeof p[*n].from);
		str_copy(p[*n].until, db_col_text(st, 5), sizeof p[*n].until);
		p[*n].per_week = (int)db_col_int(st, 6);
		p[*n].has_home = !db_col_null(st, 7);
		p[*n].lat = db_col_int(st, 7);
		p[*n].lon = db_col_int(st, 8);
		(*n)++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int i = 0; !rc && i < *n; i++) {
		rc = db_query(db, &st, e, "SELECT code FROM care_plan_items WHERE plan_id = $1 ORDER BY id", DB_INT(p[i].id));
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			if (p[i].n_items < 6)
				str_copy(p[i].items[p[i].n_items++], db_col_text(st, 0), 16);
		}
		if (rc == DB_DONE)
			rc = 0;
		db_done(st);
	}
	*out = p;
	return rc;
}

/* A caregiver of the provider: most visits by qualified staff, now and then by one whose certificate lapsed. */
static int pick_caregiver(struct db *db, struct demo_rng *r, int64_t provider, bool lapsed, int64_t *cg, struct err *e)
{
	char today[DATE_STR];

	date_format(date_today_cn(), today);
	*cg = 0;
	return db_int(db, cg, e,
		      "SELECT c.id FROM caregivers c WHERE c.provider_id = $1 AND c.kind = 'staff' AND c.status = 'active'"
		      " AND ($3 = 1) = NOT EXISTS (SELECT 1 FROM caregiver_certificates q WHERE q.caregiver_id = c.id"
		      "  AND q.expires_on >= $2) ORDER BY (c.id * 7919 + $4) % 1009, c.id LIMIT 1",
		      DB_INT(provider), DB_TEXT(today), DB_INT(lapsed), DB_INT(demo_pick(r, 1000)));
}

/* A caregiver's day: visits one after another from 8:00, about two hours apart. */
struct day_slot {
	int64_t caregiver;
	int32_t day;
	int used;
};

static int next_slot(struct day_slot **slots, int *n, int *cap, int64_t caregiver, int32_t day)
{
	for (int i = 0; i < *n; i++)
		if ((*slots)[i].caregiver == caregiver && (*slots)[i].day == day)
			return (*slots)[i].used++;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*slots = realloc(*slots, (size_t)*cap * sizeof **slots);
		if (!*slots)
			abort();
	}
	(*slots)[*n] = (struct day_slot){caregiver, day, 1};
	(*n)++;
	return 0;
}

static int insert_visit(struct db *db, struct demo_rng *r, const struct plan_row *p, int64_t caregiver, int32_t day,
			int slot, int kind, int64_t *id, struct err *e)
{
	/* kind: 0 normal, 1 outside geofence, 2 short, 3 no GPS, 4 poor accuracy, 5 missing check-out,
	 * 6 item outside the plan */
	int start_min = 8 * 60 + slot * 110 + demo_pick(r, 20), minutes = kind == 2 ? 20 + demo_pick(r, 25) : 60 + demo_pick(r, 30);
	int64_t at = (int64_t)day * 86400 - 8 * 3600 + start_min * 60, out = at + minutes * 60, now = date_now_unix();
	int64_t lat = p->lat + (int64_t)demo_pick(r, 400) - 200, lon = p->lon + (int64_t)demo_pick(r, 400) - 200;
	int acc = kind == 4 ? 300 + demo_pick(r, 500) : 8 + demo_pick(r, 30);
	char day_s[DATE_STR], key_in[40], key_out[40], items[96], token[33];
	unsigned char raw[16];
	bool gps = kind != 3, done = kind != 5;

	if (kind == 1)
		lat += 6000 + demo_pick(r, 20000); /* 0.7 - 3 km away */
	if (out > now)
		return 0; /* later today: not yet */
	date_format(day, day_s);
	snprintf(key_in, sizeof key_in, "demo-in-%lld-%d", (long long)p->id, (int)day);
	snprintf(key_out, sizeof key_out, "demo-out-%lld-%d", (long long)p->id, (int)day);
	if (kind == 6)
		snprintf(items, sizeof items, "[\"%s\",\"YZ04\"]", p->n_items ? p->items[0] : "QJ01");
	else if (p->n_items >= 2)
		snprintf(items, sizeof items, "[\"%s\",\"%s\"]", p->items[0], p->items[1]);
	else
		snprintf(items, sizeof items, "[\"%s\"]", p->n_items ? p->items[0] : "QJ01");
	randombytes_buf(raw, sizeof raw);
	str_hex(raw, sizeof raw, token);
	return db_int(db, id, e,
		      "INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, planned_start,"
		      " status, checkin_key, checkin_at, checkin_device_at, checkin_received_at, checkin_lat_e6, checkin_lon_e6,"
		      " checkin_accuracy_m, checkout_key, checkout_at, checkout_device_at, checkout_received_at, checkout_lat_e6,"
		      " checkout_lon_e6, checkout_accuracy_m, items, late, rating_token, created_by, created_at, updated_at)"
		      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11, $12, $13, $14, $15, $15, $15, $11, $12, $13,"
		      " $16, $17, $18, 'system:demo', $10, $10) RETURNING id",
		      DB_INT(p->id), DB_INT(p->person), DB_INT(p->provider), DB_INT(caregiver), DB_TEXT(p->mode), DB_TEXT(day_s),
		      DB_TEXT(NULL), DB_TEXT(done ? "done" : "in_progress"), DB_TEXT(key_in), DB_INT(at),
		      DB_INT_OR_NULL(gps, lat), DB_INT_OR_NULL(gps, lon), DB_INT_OR_NULL(gps, acc),
		      DB_TEXT(done ? key_out : NULL), DB_INT_OR_NULL(done, out), DB_TEXT(done ? items : NULL),
		      DB_INT(demo_pick(r, 25) == 0), DB_TEXT(done ? token : NULL));
}

/* The week ahead as a provider's 排班 would make it: a weekly pattern for each home and family plan in force with
 * its usual caregiver (the one of its latest visit) on its first weekdays, and the scheduled visits of the next seven
 * days from it (one plan in five left without, for the provider to arrange). The demo caregiver account's caregiver gets three of her provider's beneficiaries on days that
 * include today, so her phone page has work on any day of the week. */
static int schedule_week(struct db *db, int32_t today, int64_t now, struct err *e)
{
	struct db_stmt *st = NULL;
	struct week_plan {
		int64_t id, person, provider, caregiver;
		char mode[16];
		int per_week;
	} *wp = NULL;
	int n = 0, cap = 0, mine = 0, rc;
	int64_t demo_cg = 0, demo_provider = 0;
	char today_s[DATE_STR];

	date_format(today, today_s);
	rc = db_query0(db, &st, e,
		       "SELECT c.id, c.provider_id FROM caregivers c JOIN users u ON u.id = c.user_id"
		       " WHERE u.username = 'caregiver'");
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		demo_cg = db_col_int(st, 0);
		demo_provider = db_col_int(st, 1);
	}
	if (rc == DB_ROW || rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT cp.id, cp.person_id, cp.provider_id, cp.mode, cp.visits_per_week,"
			      " (SELECT v.caregiver_id FROM visits v WHERE v.plan_id = cp.id ORDER BY v.id DESC LIMIT 1)"
			      " FROM care_plans cp JOIN persons p ON p.id = cp.person_id"
			      " WHERE cp.status = 'active' AND cp.mode IN ('home', 'family') AND cp.effective_from <= $1"
			      " AND (cp.ended_on IS NULL OR cp.ended_on >= $1) AND p.death_date IS NULL"
			      " AND p.lat_e6 IS NOT NULL ORDER BY cp.id",
			      DB_TEXT(today_s));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (db_col_null(st, 5))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			wp = realloc(wp, (size_t)cap * sizeof *wp);
			if (!wp)
				abort();
		}
		wp[n].id = db_col_int(st, 0);
		wp[n].person = db_col_int(st, 1);
		wp[n].provider = db_col_int(st, 2);
		str_copy(wp[n].mode, db_col_text(st, 3), sizeof wp[n].mode);
		wp[n].per_week = (int)db_col_int(st, 4);
		wp[n].caregiver = db_col_int(st, 5);
		n++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int i = 0; !rc && i < n; i++) {
		static const char *const starts[] = {"08:30", "10:30", "14:00", "16:00"};
		bool hers = demo_cg && wp[i].provider == demo_provider && mine < 3;
		int days[7] = {0}, n_days = wp[i].per_week < 7 ? wp[i].per_week : 7;
		const char *start = starts[hers ? 1 + mine : (int)(wp[i].id % 4)];
		if (hers) {
			wp[i].caregiver = demo_cg;
			mine++;
		} else if (wp[i].id % 5 == 0) {
			continue; /* one plan in five still waits for its provider's 排班 */
		}
		/* weekdays: Monday on for most; today, every other day after, for hers */
		for (int k = 0; k < n_days; k++)
			days[k] = hers ? (date_weekday(today) - 1 + 2 * k) % 7 + 1 : k + 1;
		for (int k = 0; !rc && k < n_days; k++)
			rc = db_exec(db, NULL, e,
				     "INSERT INTO visit_patterns (plan_id, weekday, start_time, caregiver_id, created_by, created_at)"
				     " VALUES ($1, $2, $3, $4, 'system:demo', $5) ON CONFLICT DO NOTHING",
				     DB_INT(wp[i].id), DB_INT(days[k]), DB_TEXT(start), DB_INT(wp[i].caregiver), DB_INT(now));
		for (int32_t d = today; !rc && d < today + 7; d++) {
			char ds[DATE_STR];
			bool on = false;
			for (int k = 0; k < n_days; k++)
				on = on || days[k] == date_weekday(d);
			if (!on)
				continue;
			date_format(d, ds);
			rc = db_exec(db, NULL, e,
				     "INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date,"
				     " planned_start, status, created_by, created_at, updated_at)"
				     " SELECT $1, $2, $3, $4, $5, $6, $7, 'scheduled', 'system:demo', $8, $8"
				     " WHERE NOT EXISTS (SELECT 1 FROM visits WHERE plan_id = $1 AND visit_date = $6)",
				     DB_INT(wp[i].id), DB_INT(wp[i].person), DB_INT(wp[i].provider), DB_INT(wp[i].caregiver),
				     DB_TEXT(wp[i].mode), DB_TEXT(ds), DB_TEXT(start), DB_INT(now));
		}
	}
	free(wp);
	return rc;
}

int demo_visits_load(struct db *db, const struct scheme *s, struct demo_summary *out, struct err *e)
{
	struct demo_rng r = {0x715175ULL};
	struct plan_row *plans = NULL;
	int32_t today = date_today_cn();
	int64_t now = date_now_unix();
	struct day_slot *slots = NULL;
	int n = 0, rc, visits = 0, n_slots = 0, cap_slots = 0;

	if (!s->visits.defined || !s->care.defined)
		return 0;
	rc = load_plans(db, &plans, &n, e);
	for (int i = 0; !rc && i < n; i++) {
		struct plan_row *p = &plans[i];
		int32_t from = today - DEMO_VISIT_DAYS, pfrom = 0, puntil = 0;
		int64_t regular = 0;
		if (!date_parse(p->from, &pfrom))
			continue;
		if (p->until[0])
			date_parse(p->until, &puntil);
		if (pfrom > from)
			from = pfrom;
		if (strcmp(p->mode, "institution") == 0) {
			/* one presence status per day: in, now and then home leave or a hospital stay */
			for (int32_t d = from; !rc && d < today; d++) {
				char ds[DATE_STR];
				int x = demo_pick(&r, 100);
				date_format(d, ds);
				rc = db_exec(db, NULL, e,
					     "INSERT INTO presence (plan_id, person_id, provider_id, day, status, recorded_by, recorded_at)"
					     " VALUES ($1, $2, $3, $4, $5, 'system:demo', $6)",
					     DB_INT(p->id), DB_INT(p->person), DB_INT(p->provider), DB_TEXT(ds),
					     DB_TEXT(x < 92 ? "in" : x < 96 ? "leave" : x < 98 ? "out" : "hospital"), DB_INT(now));
			}
			continue;
		}
		if (!p->has_home)
			continue;
		rc = pick_caregiver(db, &r, p->provider, false, &regular, e);
		if (rc == ERR_NOT_FOUND || !regular) {
			rc = 0;
			continue;
		}
		for (int32_t d = from; !rc && d <= today && (!puntil || d <= puntil); d++) {
			int wd = date_weekday(d), kind = 0, x;
			int64_t cg = regular, id = 0;
			/* the plan's visits a week on its first weekdays (a Monday-to-Friday rhythm) */
			if (wd > p->per_week || wd > 6)
				continue;
			x = demo_pick(&r, 1000);
			kind = x < 30 ? 1 : x < 55 ? 2 : x < 65 ? 3 : x < 75 ? 4 : x < 80 ? 6 : 0;
			if (d >= today - 1 && x >= 990)
				kind = 5; /* yesterday's or today's visit never checked out */
			if (x >= 960 && x < 975) {
				rc = pick_caregiver(db, &r, p->provider, true, &cg, e);
				if (rc == ERR_NOT_FOUND || !cg) {
					rc = 0;
					cg = regular;
				}
			}
			rc = insert_visit(db, &r, p, cg, d, next_slot(&slots, &n_slots, &cap_slots, cg, d), kind, &id, e);
			visits += id != 0;
		}
	}
	/* one beneficiary whose level (and plan) only started twenty days ago: the visits before were recorded
	 * without a certified level or a plan in force */
	for (int i = 0; !rc && i < n; i++) {
		char started[DATE_STR];
		if (strcmp(plans[i].mode, "home") || !plans[i].has_home)
			continue;
		date_format(today - 20, started);
		rc = db_exec(db, NULL, e, "UPDATE care_plans SET effective_from = $1 WHERE id = $2", DB_TEXT(started),
			     DB_INT(plans[i].id));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "UPDATE certifications SET valid_from = $1 WHERE id = (SELECT certification_id FROM care_plans"
				     " WHERE id = $2)",
				     DB_TEXT(started), DB_INT(plans[i].id));
		break;
	}
	/* a visit recorded before a plan confirmed to start later, and one the day after the beneficiary died */
	for (int i = 0, made = 0; !rc && i < n && made < 2; i++) {
		struct plan_row *p = &plans[i];
		int32_t pfrom = 0;
		int64_t cg = 0, id = 0;
		/* a plan confirmed to start later (its level starts next month): a visit before that day */
		if (strcmp(p->mode, "home") || !p->has_home || !date_parse(p->from, &pfrom) || pfrom <= today)
			continue;
		rc = pick_caregiver(db, &r, p->provider, false, &cg, e);
		if (rc == ERR_NOT_FOUND || !cg) {
			rc = 0;
			continue;
		}
		rc = insert_visit(db, &r, p, cg, today - 1 - made, 3, 0, &id, e);
		made++;
	}
	for (int i = n - 1; !rc && i >= 0; i--) {
		struct plan_row *p = &plans[i];
		int64_t cg = 0, id = 0;
		char died[DATE_STR];
		if (strcmp(p->mode, "home") || !p->has_home)
			continue;
		rc = pick_caregiver(db, &r, p->provider, false, &cg, e);
		if (rc == ERR_NOT_FOUND || !cg) {
			rc = 0;
			continue;
		}
		date_format(today - 3, died);
		rc = insert_visit(db, &r, p, cg, today - 2, 3, 0, &id, e);
		if (!rc)
			rc = db_exec(db, NULL, e, "UPDATE persons SET death_date = $1 WHERE id = $2", DB_TEXT(died), DB_INT(p->person));
		break;
	}
	free(plans);
	free(slots);
	/* overlapping visits and impossible travel: a few visits moved right next to the one before them */
	if (!rc)
		rc = db_exec0(db, NULL, e,
			      "UPDATE visits SET checkin_at = checkin_at - 100 * 60, checkout_at = checkout_at - 100 * 60"
			      " WHERE id % 89 = 7 AND status = 'done'");
	/* ratings for about four visits in ten; a few disputed ("shorter than recorded") */
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO visit_ratings (visit_id, stars, tags, comment, dispute, rated_by, rated_at)"
			     " SELECT id, CASE WHEN id % 151 = 0 THEN 1 WHEN id % 13 = 0 THEN 3 WHEN id % 29 = 0 THEN 2"
			     "  WHEN id % 5 = 0 THEN 4 ELSE 5 END,"
			     " CASE WHEN id % 29 = 0 OR id % 151 = 0 THEN '[\"迟到\",\"时间不足\"]' ELSE '[\"准时\",\"耐心\"]' END,"
			     " CASE WHEN id % 151 = 0 THEN '实际只服务了二十分钟' WHEN id % 29 = 0 THEN '护理员来晚了，时间也不够'"
			     "  ELSE '护理员很细心' END, CASE WHEN id % 151 = 0 THEN 'shorter' END, 'link', checkout_at + 3600"
			     " FROM visits WHERE status = 'done' AND (id % 5 IN (0, 2) OR id % 151 = 0)");
	if (!rc)
		rc = db_exec0(db, NULL, e,
			      "UPDATE visits SET disputed = 1 WHERE id IN (SELECT visit_id FROM visit_ratings WHERE dispute IS NOT NULL)");
	/* family care: last month's attestation for each family plan in force then */
	if (!rc) {
		char month[8], like[12], last[DATE_STR];
		int y, m, d;
		date_to_ymd(date_add_months(today, -1), &y, &m, &d);
		snprintf(month, sizeof month, "%04d-%02d", y, m);
		snprintf(like, sizeof like, "%s-%%", month);
		date_format(date_from_ymd(y, m, date_days_in_month(y, m)), last);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO family_attestations (plan_id, month, caregiver_days, beneficiary_name, beneficiary_relation,"
			     " method, visits_required, visits_done, recorded_by, recorded_at)"
			     " SELECT cp.id, $1, 28, '家属', '子女', 'signature', cp.visits_per_week * 4,"
			     " (SELECT COUNT(*) FROM visits v WHERE v.plan_id = cp.id AND v.visit_date LIKE $2 AND v.status = 'done'),"
			     " 'nurse', $3 FROM care_plans cp WHERE cp.mode = 'family' AND cp.status = 'active' AND cp.effective_from <= $4",
			     DB_TEXT(month), DB_TEXT(like), DB_INT(now), DB_TEXT(last));
	}
	/* verify the two months with the command line's routine */
	for (int k = 2; !rc && k >= 0; k--) {
		struct visit_verify_result vr;
		char month[8];
		int y, m, d;
		date_to_ymd(date_add_months(today, -k), &y, &m, &d);
		snprintf(month, sizeof month, "%04d-%02d", y, m);
		rc = visit_verify_month(db, NULL, s, month, &vr, e);
	}
	/* the providers explain most exceptions; the bureau decides on part of them */
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET review_state = 'explained', explanation = '老人临时有事，服务时间调整', resolution ="
			     " 'beneficiary_request', explained_by = 'provider_admin', explained_at = $1"
			     " WHERE verify_state = 'exception' AND id % 3 <> 0",
			     DB_INT(now));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET review_state = CASE WHEN reasons % 2 = 1 OR id % 4 = 0 THEN 'rejected' ELSE 'accepted'"
			     " END, decision_note = '经核查', decided_by = 'bureau', decided_at = $1"
			     " WHERE review_state = 'explained' AND id % 2 = 0",
			     DB_INT(now));
	/* complaints about the providers, by category */
	if (!rc) {
		static const struct {
			const char *source, *category, *text;
			int age, status;
		} cs[] = {
			{"hotline", "service_quality", "护理员擦浴不认真，老人身上有异味", 2, 0},
			{"portal", "attitude", "护理员说话不耐烦", 6, 2},
			{"hotline", "fraud", "护理员签到后十分钟就走了，记录却是一小时", 1, 1},
			{"inspection", "fraud", "飞行检查发现服务记录与实际不符", 9, 3},
			{"portal", "fees", "机构要求额外收取上门费", 4, 1},
			{"hotline", "other", "希望更换护理员", 12, 3},
			{"portal", "service_quality", "服务项目少于护理计划", 3, 0},
			{"hotline", "attitude", "护理员在老人家中玩手机", 15, 2},
		};
		for (size_t i = 0; !rc && i < sizeof cs / sizeof cs[0]; i++) {
			static const char *const st[] = {"open", "processing", "replied", "closed"};
			const struct scheme_complaint_category *c = scheme_complaint_category(s, cs[i].category);
			char deadline[DATE_STR];
			int64_t visit = 0;
			date_format(today - cs[i].age + (c ? c->days : 5), deadline);
			rc = db_int(db, &visit, e, "SELECT MAX(id) FROM visits WHERE status = 'done' AND id % 8 = $1",
				    DB_INT((int64_t)i));
			if (!rc)
				rc = db_exec(db, NULL, e,
					     "INSERT INTO complaints (source, category, provider_id, caregiver_id, visit_id, person_id,"
					     " complainant_name, complainant_phone, description, status, deadline, reply, replied_at,"
					     " created_by, created_at, updated_at)"
					     " SELECT $1, $2, provider_id, caregiver_id, id, person_id, '家属', '13800000000', $3, $4, $5,"
					     " CASE WHEN $6 >= 2 THEN '已约谈机构并督促整改，感谢您的监督' END,"
					     " CASE WHEN $6 >= 2 THEN $7 END, 'bureau', $7, $7 FROM visits WHERE id = $8",
					     DB_TEXT(cs[i].source), DB_TEXT(cs[i].category), DB_TEXT(cs[i].text),
					     DB_TEXT(st[cs[i].status]), DB_TEXT(deadline), DB_INT(cs[i].status),
					     DB_INT(now - cs[i].age * 86400), DB_INT(visit));
		}
	}
	if (!rc)
		rc = schedule_week(db, today, now, e);
	out->visits = visits;
	return rc;
}
