/* demo_care.c: the demo city's care providers (ten, of every kind, with agreements and one barred, one terminated),
 * about 150 caregivers with an ageing profile and some expired certificates, family caregivers, and care plans for
 * most certified beneficiaries built from the scheme's catalogue and entitlements (part of the demo, see demo.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/str.h"
#include "rules/plan.h"
#include "scheme/scheme.h"
#include "svc/demo_registry.h"

static const struct {
	const char *code, *name, *kind, *street, *licence;
	int beds, caregivers;
	const char *district;  /* the district whose streets a home-care provider serves ("" for institutions) */
	const char *streets;   /* region mode: the streets it alone serves, comma-separated codes */
} providers[] = {
	{"P0001", "江海市颐康居家护理服务有限公司", "home_care", "339902001", "JH-HC-2021-001", 0, 40, "339902",
	 "339902001,339902002"},
	{"P0002", "临江区仁和护理院", "medical", "339902002", "JH-YL-2019-014", 120, 12, "", ""},
	{"P0003", "海湾区福寿养老服务中心", "elderly_institution", "339903001", "JH-YL-2018-007", 200, 12, "", ""},
	{"P0004", "枫林镇安馨居家养老服务社", "home_care", "339902101", "JH-HC-2022-009", 0, 16, "339902", "339902101"},
	{"P0005", "江海市海之家居家护理有限公司", "home_care", "339903001", "JH-HC-2020-004", 0, 28, "339903", "339903001"},
	{"P0006", "青屿镇居家照护服务站", "home_care", "339903101", "JH-HC-2023-012", 0, 12, "339903", "339903101"},
	{"P0007", "江海市第二人民医院", "medical", "339903002", "PDY33990022", 60, 6, "", ""},
	{"P0008", "江海康宁长期护理中心", "ltc_facility", "339902002", "JH-CH-2022-002", 150, 10, "", ""},
	{"P0009", "江海市乐龄居家服务有限公司", "home_care", "339903002", "JH-HC-2019-003", 0, 4, "339903", ""},
	{"P0010", "盐田福缘护理站", "home_care", "339903002", "JH-HC-2021-016", 0, 10, "339903", "339903002"},
};
#define N_PROVIDERS (int)(sizeof providers / sizeof providers[0])

static const char *const contacts[] = {"郑国强", "陈美华", "林志明", "徐丽", "黄海波", "曹静", "杨文龙", "沈玉珍",
				       "罗建平", "叶红梅"};

/* Ages of the workforce: many over 55 (DOMAIN.md 3.4: 39 % over 60, mean 57, max 71). */
static int caregiver_age(struct demo_rng *r)
{
	int p = demo_pick(r, 100);
	if (p < 10)
		return 35 + demo_pick(r, 10);
	if (p < 25)
		return 45 + demo_pick(r, 5);
	if (p < 43)
		return 50 + demo_pick(r, 5);
	if (p < 61)
		return 55 + demo_pick(r, 5);
	if (p < 86)
		return 60 + demo_pick(r, 5);
	return 65 + demo_pick(r, 7);
}

static void make_id(struct demo_rng *r, const char *region, int32_t birth, bool female, int seq, char id[19])
{
	int y, m, d;

	date_to_ymd(birth, &y, &m, &d);
	snprintf(id, 19, "%s%04d%02d%02d%02d%d", region, y, m, d, seq % 100, female ? 2 * demo_pick(r, 5) : 2 * demo_pick(r, 5) + 1);
	id[17] = idcard_check_char(id);
	id[18] = '\0';
}

static int64_t id_of(struct db *db, const char *sql, const char *code, struct err *e)
{
	int64_t id = 0;
	if (db_int(db, &id, e, sql, DB_TEXT(code)))
		return 0;
	return id;
}

/* The provider rows and their agreements; ids[] gets each provider's id, agreements[] its (last) agreement. */
static int load_providers(struct db *db, const struct scheme *s, struct demo_rng *r, int64_t *ids, int64_t *agreements,
			  struct err *e)
{
	int32_t today = date_today_cn();
	int64_t now = date_now_unix();
	char from[DATE_STR], until[DATE_STR], past_from[DATE_STR], past_until[DATE_STR], bar[DATE_STR], today_s[DATE_STR];
	int rc = 0;

	date_format(date_add_months(today, -14), from);
	date_format(date_add_months(today, 22), until);
	date_format(date_add_months(today, -40), past_from);
	date_format(date_add_months(today, -5), past_until);
	date_format(today + 60, bar);
	date_format(today, today_s);
	for (int i = 0; !rc && i < N_PROVIDERS; i++) {
		int64_t area = id_of(db, "SELECT id FROM areas WHERE code = $1", providers[i].street, e);
		bool home = strcmp(providers[i].kind, "home_care") == 0, terminated = strcmp(providers[i].code, "P0009") == 0,
		     barred = strcmp(providers[i].code, "P0010") == 0;
		char modes[48] = "", number[32], phone[16];
		const int64_t lat = 29990000 + (int64_t)demo_pick(r, 40000) - 20000,
			      lon = 122220000 + (int64_t)demo_pick(r, 100000) - 50000;

		snprintf(phone, sizeof phone, "0580-%07d", 2000000 + demo_pick(r, 7000000));
		ids[i] = id_of(db, "SELECT id FROM providers WHERE code = $1", providers[i].code, e);
		if (!ids[i])
			rc = db_int(db, &ids[i], e,
				    "INSERT INTO providers (code, name, area_id, status, created_at, updated_at)"
				    " VALUES ($1, $2, $3, 'active', $4, $4) RETURNING id",
				    DB_TEXT(providers[i].code), DB_TEXT(providers[i].name), DB_INT(area), DB_INT(now));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "UPDATE providers SET name = $1, kind = $2, licence_no = $3, contact_name = $4, contact_phone = $5,"
				     " address = $6, lat_e6 = $7, lon_e6 = $8, beds = $9, area_id = $10 WHERE id = $11",
				     DB_TEXT(providers[i].name), DB_TEXT(providers[i].kind), DB_TEXT(providers[i].licence),
				     DB_TEXT(contacts[i]), DB_TEXT(phone), DB_TEXT("江海市人民路88号"), DB_INT(lat), DB_INT(lon),
				     DB_INT_OR_NULL(providers[i].beds > 0, providers[i].beds), DB_INT(area), DB_INT(ids[i]));
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "INSERT INTO provider_status_log (provider_id, status, reason, effective_on, decided_by, decided_at)"
				     " VALUES ($1, 'active', '纳入定点管理', $2, 'system:demo', $3)",
				     DB_INT(ids[i]), DB_TEXT(past_from), DB_INT(now));
		/* the care modes the scheme has, for this kind of provider */
		for (int m = 0; m < CARE_MODE_COUNT; m++) {
			if (!s->care.modes[m] || (home && m == CARE_INSTITUTION) || (!home && m != CARE_INSTITUTION))
				continue;
			if (modes[0])
				strcat(modes, ",");
			strcat(modes, care_mode_name((enum care_mode)m));
		}
		if (rc || !modes[0])
			continue;
		snprintf(number, sizeof number, "JHLTC-%s-%s", terminated ? "2022" : "2025", providers[i].code + 1);
		rc = db_int(db, &agreements[i], e,
			    "INSERT INTO agreements (provider_id, number, valid_from, valid_until, modes, capacity, region_name,"
			    " status, terminated_on, terminated_reason, created_by, created_at, updated_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'system:demo', $11, $11) RETURNING id",
			    DB_INT(ids[i]), DB_TEXT(number), DB_TEXT(terminated ? past_from : from),
			    DB_TEXT(terminated ? until : until), DB_TEXT(modes), DB_INT(home ? 300 : providers[i].beds),
			    DB_TEXT(home && s->care.choice == SCHEME_CHOICE_REGION ? "服务片区" : NULL),
			    DB_TEXT(terminated ? "terminated" : "active"), DB_TEXT(terminated ? past_until : NULL),
			    DB_TEXT(terminated ? "多次虚报服务时长，经约谈仍未整改，解除服务协议" : NULL), DB_INT(now));
		/* home care: in region mode the provider's own streets, otherwise every street of its district */
		if (!rc && home) {
			if (s->care.choice == SCHEME_CHOICE_REGION && !terminated) {
				char buf[64];
				str_copy(buf, providers[i].streets, sizeof buf);
				for (char *save = NULL, *t = strtok_r(buf, ",", &save); !rc && t; t = strtok_r(NULL, ",", &save))
					rc = db_exec(db, NULL, e,
						     "INSERT INTO agreement_areas (agreement_id, area_id) SELECT $1, id FROM areas WHERE code = $2",
						     DB_INT(agreements[i]), DB_TEXT(t));
			} else {
				rc = db_exec(db, NULL, e,
					     "INSERT INTO agreement_areas (agreement_id, area_id) SELECT $1, id FROM areas"
					     " WHERE level = 'street' AND code LIKE $2",
					     DB_INT(agreements[i]), DB_TEXT(terminated ? "339903002" : providers[i].district));
			}
		}
		if (!rc && terminated)
			rc = db_exec(db, NULL, e,
				     "UPDATE providers SET status = 'terminated', status_reason = '多次虚报服务时长，解除服务协议' WHERE id = $1",
				     DB_INT(ids[i]));
		if (!rc && (terminated || barred))
			rc = db_exec(db, NULL, e,
				     "INSERT INTO provider_status_log (provider_id, status, until_date, reason, effective_on, decided_by,"
				     " decided_at) VALUES ($1, $2, $3, $4, $5, 'bureau', $6)",
				     DB_INT(ids[i]), DB_TEXT(terminated ? "terminated" : "barred"), DB_TEXT(barred ? bar : NULL),
				     DB_TEXT(terminated ? "多次虚报服务时长，解除服务协议" : "专项检查发现护理员资质不全，暂停接收新服务对象3个月"),
				     DB_TEXT(terminated ? past_until : today_s), DB_INT(now));
		if (!rc && barred)
			rc = db_exec(db, NULL, e,
				     "UPDATE providers SET status = 'barred', barred_until = $1,"
				     " status_reason = '专项检查发现护理员资质不全，暂停接收新服务对象3个月' WHERE id = $2",
				     DB_TEXT(bar), DB_INT(ids[i]));
	}
	return rc;
}

static int load_caregivers(struct db *db, struct demo_rng *r, const int64_t *ids, int *count, struct err *e)
{
	int32_t today = date_today_cn();
	int64_t now = date_now_unix(), user = id_of(db, "SELECT id FROM users WHERE username = $1", "caregiver", e);
	int seq = 0, rc = 0;

	*count = 0;
	for (int i = 0; !rc && i < N_PROVIDERS; i++) {
		for (int k = 0; !rc && k < providers[i].caregivers; k++, seq++) {
			bool female = demo_pick(r, 100) < 88, first = i == 0 && k == 0;
			int age = caregiver_age(r), level = 3 + demo_pick(r, 3);
			int32_t birth = today - (int32_t)(age * 365.25) - demo_pick(r, 365);
			int32_t hired = today - 60 - demo_pick(r, 2000), issued = hired - demo_pick(r, 400);
			/* three-year certificates: those issued long ago have expired (about one in ten) */
			int32_t expires = demo_pick(r, 10) == 0 ? today - 1 - demo_pick(r, 200) : today + 30 + demo_pick(r, 900);
			char id[19], name[32], phone[16], birth_s[DATE_STR], hired_s[DATE_STR], iss[DATE_STR], exp[DATE_STR],
				cert[24];
			int64_t cg = 0;
			make_id(r, "339905", birth, female, seq, id);
			if (first) {
				female = true;
				str_copy(name, "冯桂英", sizeof name);
			} else {
				demo_person_name(r, female, name, sizeof name);
			}
			snprintf(phone, sizeof phone, "1%d%09u", 3 + demo_pick(r, 7), demo_next(r) % 1000000000u);
			if (issued > expires)
				issued = expires - 1095;
			date_format(birth, birth_s);
			date_format(hired, hired_s);
			date_format(issued, iss);
			date_format(expires, exp);
			snprintf(cert, sizeof cert, "JH%08d", 10000000 + seq * 7919 % 89999999);
			rc = db_int(db, &cg, e,
				    "INSERT INTO caregivers (id_number, name, sex, birth_date, phone, kind, provider_id, user_id,"
				    " training_hours, status, created_at, updated_at)"
				    " VALUES ($1, $2, $3, $4, $5, 'staff', $6, $7, $8, 'active', $9, $9) RETURNING id",
				    DB_TEXT(id), DB_TEXT(name), DB_TEXT(female ? "F" : "M"), DB_TEXT(birth_s), DB_TEXT(phone),
				    DB_INT(ids[i]), DB_INT_OR_NULL(first && user, user), DB_INT(40 + demo_pick(r, 120)), DB_INT(now));
			if (!rc)
				rc = db_exec(db, NULL, e,
					     "INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date) VALUES ($1, $2, $3)",
					     DB_INT(cg), DB_INT(ids[i]), DB_TEXT(hired_s));
			if (!rc)
				rc = db_exec(db, NULL, e,
					     "INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on,"
					     " expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
					     DB_INT(cg), DB_TEXT(providers[i].beds && k % 4 == 0 ? "nurse" : "care_worker"),
					     DB_TEXT(cert), DB_INT(first ? 4 : level), DB_TEXT(iss), DB_TEXT(first ? "2099-12-31" : exp),
					     DB_INT(now));
			/* a few penalties: settlement suspended for some months, one contract ended */
			if (!rc && !first && seq % 37 == 5) {
				char from[DATE_STR], until[DATE_STR];
				date_format(today - 20, from);
				date_format(today + 70, until);
				rc = db_exec(db, NULL, e,
					     "INSERT INTO caregiver_suspensions (caregiver_id, from_date, until_date, reason, decided_by,"
					     " decided_at) VALUES ($1, $2, $3, '上门服务签到后未实际服务', 'bureau', $4)",
					     DB_INT(cg), DB_TEXT(from), DB_TEXT(until), DB_INT(now));
				if (!rc)
					rc = db_exec(db, NULL, e,
						     "UPDATE caregivers SET status = 'suspended', suspended_until = $1,"
						     " status_reason = '上门服务签到后未实际服务' WHERE id = $2",
						     DB_TEXT(until), DB_INT(cg));
			}
			if (!rc && seq == 61)
				rc = db_exec(db, NULL, e,
					     "UPDATE caregivers SET status = 'terminated', terminated_on = $1, status_reason = '冒用他人资格证书'"
					     " WHERE id = $2",
					     DB_TEXT(hired_s), DB_INT(cg));
			(*count)++;
		}
	}
	return rc;
}

/* Items for a plan that meets the entitlement: visits a week at the minimum (or 3), about the minimum minutes a
 * visit, from the caregiver-performable items of the catalogue. */
static int build_items(const struct scheme *s, const struct scheme_entitlement *ent, struct demo_rng *r,
		       struct plan_item_in *items, int *visits)
{
	int n = 0, per_visit = 0, want = ent->min_minutes_per_visit ? ent->min_minutes_per_visit : 60;
	int v = ent->min_visits_per_week ? ent->min_visits_per_week : 0;

	if (v && ent->max_visits_per_week && v < ent->max_visits_per_week && demo_pick(r, 3) == 0)
		v++;
	if (ent->max_minutes_per_week && v && want * v > ent->max_minutes_per_week)
		want = ent->max_minutes_per_week / v;
	*visits = v;
	if (!v)
		v = 7; /* institutional care: daily items */
	for (int tries = 0; tries < 200 && per_visit < want && n < 6; tries++) {
		const struct scheme_service_item *it = &s->care.items[demo_pick(r, s->care.n_items)];
		int minutes = it->minutes;
		bool dup = false;
		if (!(it->performers & (SCHEME_PERFORMER_CAREGIVER | SCHEME_PERFORMER_NURSE)))
			continue;
		for (int k = 0; k < n; k++)
			dup |= strcmp(items[k].code, it->code) == 0;
		if (dup)
			continue;
		if (per_visit + minutes > want)
			minutes = want - per_visit < 5 ? 5 : want - per_visit;
		items[n].code = it->code;
		items[n].per_week = v;
		items[n].minutes = minutes;
		per_visit += minutes;
		n++;
	}
	return n;
}

static int load_plans(struct db *db, const struct scheme *s, struct demo_rng *r, const int64_t *ids,
		      const int64_t *agreements, int *plans, int *family, struct err *e)
{
	struct db_stmt *st = NULL;
	int32_t today = date_today_cn();
	int64_t now = date_now_unix(), reserved = 0, applicant = id_of(db, "SELECT id FROM users WHERE username = $1",
									 "applicant", e);
	struct {
		int64_t person, cert, street;
		int level;
		char street_code[16], from[DATE_STR];
	} ben[400];
	int n = 0, rc;
	char today_s[DATE_STR];

	*plans = *family = 0;
	if (!s->care.defined || !s->care.n_items)
		return 0;
	date_format(today, today_s);
	rc = db_query(db, &st, e,
		      "SELECT c.person_id, c.id, c.level, c.valid_from, a.code, a.level, a.id, a.parent_id FROM certifications c"
		      " JOIN persons p ON p.id = c.person_id JOIN areas a ON a.id = p.area_id"
		      " WHERE c.status = 'certified' AND c.qualifies = 1 AND c.valid_until >= $1 AND p.death_date IS NULL"
		      " ORDER BY c.person_id LIMIT 400",
		      DB_TEXT(today_s));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		ben[n].person = db_col_int(st, 0);
		ben[n].cert = db_col_int(st, 1);
		ben[n].level = (int)db_col_int(st, 2);
		str_copy(ben[n].from, db_col_text(st, 3), sizeof ben[n].from);
		str_copy(ben[n].street_code, db_col_text(st, 4), 10); /* the street's code is the first 9 digits */
		ben[n].street_code[9] = '\0';
		ben[n].street = strcmp(db_col_text(st, 5), "street") == 0 ? db_col_int(st, 6) : db_col_int(st, 7);
		n++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int i = 0; !rc && i < n; i++) {
		struct plan_item_in items[8];
		struct plan_in pi = {0};
		struct plan_result pr;
		const struct scheme_entitlement *ent;
		int mode = demo_pick(r, 100) < 15 ? CARE_INSTITUTION : demo_pick(r, 100) < 18 ? CARE_FAMILY : CARE_HOME;
		int visits = 0, n_items, p = -1;
		int64_t plan = 0, fam = 0;
		char from[DATE_STR];
		/* the family account's person (望江街道) is left without a plan: the nurse drafts one with them */
		if (!reserved && strcmp(ben[i].street_code, "339902001") == 0 && applicant) {
			reserved = ben[i].person;
			rc = db_exec(db, NULL, e, "INSERT INTO user_persons (user_id, person_id, relation) VALUES ($1, $2, '女儿')",
				     DB_INT(applicant), DB_INT(ben[i].person));
			continue;
		}
		if (i % 9 == 4)
			continue; /* some beneficiaries have not chosen yet */
		if (!s->care.modes[mode] || !scheme_entitlement(s, (enum care_mode)mode, ben[i].level))
			mode = CARE_HOME;
		ent = scheme_entitlement(s, (enum care_mode)mode, ben[i].level);
		if (!ent)
			continue;
		/* the provider: the one serving the street (home, family), or an institution */
		for (int k = 0; k < N_PROVIDERS && p < 0; k++) {
			bool home = strcmp(providers[k].kind, "home_care") == 0;
			if (!agreements[k] || strcmp(providers[k].code, "P0009") == 0)
				continue;
			if (mode == CARE_INSTITUTION ? !home && demo_pick(r, 3) == 0
						     : home && (s->care.choice == SCHEME_CHOICE_REGION
								       ? strstr(providers[k].streets, ben[i].street_code) != NULL
								       : str_starts(ben[i].street_code, providers[k].district)))
				p = k;
		}
		if (p < 0 && mode == CARE_INSTITUTION)
			p = 2; /* P0003 */
		if (p < 0)
			continue;
		n_items = build_items(s, ent, r, items, &visits);
		pi.mode = mode;
		pi.level = ben[i].level;
		pi.visits_per_week = visits;
		pi.items = items;
		pi.n_items = n_items;
		pi.has_family_caregiver = mode == CARE_FAMILY;
		if (!plan_check(s, &pi, &pr))
			continue;
		if (mode == CARE_FAMILY) {
			char id[19], name[32], cert[24], iss[DATE_STR], birth_s[DATE_STR];
			int32_t birth = today - (int32_t)((40 + demo_pick(r, 25)) * 365.25);
			make_id(r, "339906", birth, true, i, id);
			date_format(birth, birth_s);
			demo_person_name(r, true, name, sizeof name);
			date_format(today - 200 - demo_pick(r, 300), iss);
			snprintf(cert, sizeof cert, "QQHL%06d", 100000 + i);
			rc = db_int(db, &fam, e,
				    "INSERT INTO caregivers (id_number, name, sex, birth_date, kind, person_id, relation, training_hours,"
				    " status, created_at, updated_at) VALUES ($1, $2, 'F', $3, 'family', $4, '子女', $5, 'active', $6, $6)"
				    " RETURNING id",
				    DB_TEXT(id), DB_TEXT(name), DB_TEXT(birth_s), DB_INT(ben[i].person),
				    DB_INT(s->care.family_training_hours + 8), DB_INT(now));
			if (!rc)
				rc = db_exec(db, NULL, e,
					     "INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on,"
					     " expires_on, created_at) VALUES ($1, 'family_training', $2, 0, $3, '2099-12-31', $4)",
					     DB_INT(fam), DB_TEXT(cert), DB_TEXT(iss), DB_INT(now));
			(*family)++;
		}
		/* from the first day of the level (a level starting next month: confirmed, not yet in force) */
		str_copy(from, ben[i].from, sizeof from);
		if (!rc)
			rc = db_int(db, &plan, e,
				    "INSERT INTO care_plans (person_id, certification_id, level, mode, provider_id, agreement_id,"
				    " family_caregiver_id, visits_per_week, minutes_per_week, status, effective_from, drafted_by,"
				    " drafted_at, confirmed_by_name, confirmed_relation, confirmed_method, confirmed_by_user,"
				    " confirmed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $12, $10, 'nurse', $11,"
				    " '家属', '子女', 'signature', 'nurse', $11, $11) RETURNING id",
				    DB_INT(ben[i].person), DB_INT(ben[i].cert), DB_INT(ben[i].level),
				    DB_TEXT(care_mode_name((enum care_mode)mode)), DB_INT(ids[p]), DB_INT(agreements[p]),
				    DB_INT_OR_NULL(fam != 0, fam), DB_INT(visits), DB_INT(pr.minutes_per_week), DB_TEXT(from),
				    DB_INT(now), DB_TEXT(strcmp(from, today_s) > 0 ? "confirmed" : "active"));
		for (int k = 0; !rc && k < n_items; k++)
			rc = db_exec(db, NULL, e,
				     "INSERT INTO care_plan_items (plan_id, code, per_week, minutes) VALUES ($1, $2, $3, $4)",
				     DB_INT(plan), DB_TEXT(items[k].code), DB_INT(items[k].per_week), DB_INT(items[k].minutes));
		(*plans)++;
	}
	return rc;
}

int demo_care_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out, struct err *e)
{
	struct demo_rng r = {0xca4e9117ULL};
	int64_t ids[N_PROVIDERS] = {0}, agreements[N_PROVIDERS] = {0};
	int caregivers = 0, plans = 0, family = 0, rc;

	(void)hash;
	if (!s->care.defined)
		return 0;
	rc = load_providers(db, s, &r, ids, agreements, e);
	if (!rc)
		rc = load_caregivers(db, &r, ids, &caregivers, e);
	if (!rc)
		rc = load_plans(db, s, &r, ids, agreements, &plans, &family, e);
	out->providers = N_PROVIDERS;
	out->caregivers = caregivers + family;
	out->plans = plans;
	return rc;
}
