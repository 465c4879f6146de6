/* demo_assess.c: the demo city's assessment work: an expert pool (12 experts, 20 assessors), about 160 certified
 * beneficiaries whose levels come from scored forms, and cases in every state of the workflow so that every
 * screen has something to show. Deterministic. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "rules/assess.h"
#include "svc/demo.h"
#include "svc/demo_registry.h"

#define CERTIFIED 160

static const char *const expert_names[] = {"孙卫东", "周文斌", "吴海涛", "郑晓梅", "王志刚", "冯丽娟",
					   "陈国华", "褚建平", "卫红", "蒋春燕", "沈立新", "韩雪梅"};
static const char *const assessor_names[] = {"赵明", "钱芳", "孙丽", "李强", "周敏", "吴静怡", "郑伟", "王磊",
					     "冯娟", "陈燕", "褚涛", "卫杰", "蒋丽华", "沈斌", "韩勇", "杨洁",
					     "朱红梅", "秦海", "尤佳", "许文"};
static const char *const orgs[] = {"江海市失能评估中心", "江海市人民医院评估科", "临江区社区卫生服务中心",
				   "海湾区第一人民医院"};

/* A form of the national standard whose severity leans on `severity` (0 light .. 3 heavy); scored by the rules. */
static json_t *make_form(const struct scheme *s, struct demo_rng *r, int severity)
{
	json_t *items = json_object();

	for (int i = 0; i < s->assess.n_items; i++) {
		const struct scheme_item *it = &s->assess.items[i];
		int top = it->n_scores - 1, k = top - severity - demo_pick(r, 2);
		if (k < 0)
			k = 0;
		if (k > top)
			k = top;
		json_object_set_new(items, it->key, json_integer(it->scores[k]));
	}
	return items;
}

struct pool {
	int64_t experts[12], assessors[20];
	int64_t expert_users[12];
};

static int load_pool(struct db *db, const char *hash, int64_t region, int64_t district_lj, int64_t district_hw,
		     int64_t provider, struct pool *p, struct err *e)
{
	int64_t now = date_now_unix(), uid;
	char username[32];
	int rc = 0;

	for (int i = 0; i < 12 && !rc; i++) {
		if (i == 0) {
			rc = db_int(db, &uid, e, "SELECT id FROM users WHERE username = 'expert'");
		} else {
			snprintf(username, sizeof username, "expert%02d", i + 1);
			rc = db_int(db, &uid, e,
				    "INSERT INTO users (username, display_name, role, area_id, password_hash, password_changed_at,"
				    " created_at, updated_at) VALUES ($1, $2, 'expert', $3, $4, $5, $5, $5) RETURNING id",
				    DB_TEXT(username), DB_TEXT(expert_names[i]), DB_INT(region), DB_TEXT(hash), DB_INT(now));
		}
		p->expert_users[i] = uid;
		if (!rc)
			rc = db_int(db, &p->experts[i], e,
				    "INSERT INTO assessors (user_id, name, kind, core, organisation, area_id, status, created_at,"
				    " updated_at) VALUES ($1, $2, 'expert', $3, $4, $5, 'active', $6, $6) RETURNING id",
				    DB_INT(uid), DB_TEXT(expert_names[i]), DB_INT(i < 3), DB_TEXT(orgs[i % 4]),
				    DB_INT(i < 8 ? region : (i % 2 ? district_lj : district_hw)), DB_INT(now));
	}
	for (int i = 0; i < 20 && !rc; i++) {
		if (i == 0) {
			rc = db_int(db, &uid, e, "SELECT id FROM users WHERE username = 'assessor'");
		} else {
			snprintf(username, sizeof username, "assessor%02d", i + 1);
			rc = db_int(db, &uid, e,
				    "INSERT INTO users (username, display_name, role, area_id, password_hash, password_changed_at,"
				    " created_at, updated_at) VALUES ($1, $2, 'assessor', $3, $4, $5, $5, $5) RETURNING id",
				    DB_TEXT(username), DB_TEXT(assessor_names[i]), DB_INT(region), DB_TEXT(hash), DB_INT(now));
		}
		/* one assessor works for a care provider: the draw must leave them out */
		if (!rc)
			rc = db_int(db, &p->assessors[i], e,
				    "INSERT INTO assessors (user_id, name, kind, core, organisation, provider_id, area_id, status,"
				    " created_at, updated_at) VALUES ($1, $2, 'assessor', 0, $3, $4, $5, 'active', $6, $6)"
				    " RETURNING id",
				    DB_INT(uid), DB_TEXT(assessor_names[i]), DB_TEXT(i == 19 ? "颐康护理（兼职）" : orgs[(i + 1) % 4]),
				    DB_INT_OR_NULL(i == 19, provider), DB_INT(i < 14 ? region : (i % 2 ? district_lj : district_hw)),
				    DB_INT(now));
	}
	return rc;
}

/* One case: the application row in its state, and the rows its past steps left. */
struct demo_case {
	int64_t person, area;
	const char *status;
	int32_t submitted;
	int level;            /* -1: not assessed yet */
	json_t *form;         /* scored form (borrowed) */
	json_t *result;
	bool flagged;
};

static int add_case(struct db *db, const struct scheme *s, struct demo_rng *r, const struct pool *p,
		    const struct demo_case *c, struct err *e)
{
	char sub[DATE_STR], due[DATE_STR], since[DATE_STR], seed[24], experts[256] = "[", assessors[256] = "[";
	char excluded[96];
	int64_t app = 0, asg = 0, now = date_now_unix(), t0 = (int64_t)(c->submitted + 10) * 86400 - 8 * 3600 + 9 * 3600;
	int ex = 0, rc;
	bool drawn = c->level >= 0 || !strcmp(c->status, "assigned");
	static const char *const after_prescreen[] = {"accepted", "assigned", "in_review", "awaiting_confirmation",
						      "publicised", "certified", NULL};
	bool accepted = false;

	for (const char *const *x = after_prescreen; *x; x++)
		if (strcmp(*x, c->status) == 0)
			accepted = true;
	date_format(c->submitted, sub);
	date_format(cal_add_workdays(&s->cal, c->submitted, s->periods.prescreen_working_days), due);
	date_format(c->submitted - 200 - demo_pick(r, 400), since);
	rc = db_int(db, &app, e,
		    "INSERT INTO applications (person_id, area_id, type, status, green_channel, pledge_signed, self_assessment,"
		    " gate, disability_since, applicant_kind, submitted_by, submitted_at, submitted_on, due_date,"
		    " reject_reasons, decided_by, decided_at, level, concluded_at, updated_at)"
		    " VALUES ($1, $2, 'first', $3, 0, 1, $4, $5, $6, 'agent', 'intake', $7, $8, $9, $10, $11, $12, $13, $14, $7)"
		    " RETURNING id",
		    DB_INT(c->person), DB_INT(c->area), DB_TEXT(c->status),
		    DB_TEXT("{\"bathing\":\"dependent\",\"continence\":\"dependent\",\"dressing\":\"dependent\","
			    "\"eating\":\"partial\",\"toileting\":\"dependent\",\"transfer\":\"dependent\"}"),
		    DB_TEXT("F"), DB_TEXT(since), DB_INT((int64_t)c->submitted * 86400), DB_TEXT(sub), DB_TEXT(due),
		    DB_TEXT(strcmp(c->status, "rejected") == 0
				    ? "[{\"code\":\"materials_incomplete\",\"message\":\"申请材料不全\"}]"
				    : NULL),
		    DB_TEXT(accepted || !strcmp(c->status, "rejected") ? "intake" : NULL),
		    DB_INT_OR_NULL(accepted || !strcmp(c->status, "rejected"), (int64_t)(c->submitted + 2) * 86400),
		    DB_INT_OR_NULL(c->level >= 0, c->level),
		    DB_INT_OR_NULL(!strcmp(c->status, "publicised") || !strcmp(c->status, "certified"), t0 + 86400 * 5));
	if (!rc && accepted) {
		char cdue[DATE_STR];
		date_format(cal_add_workdays(&s->cal, c->submitted + 2, s->periods.conclusion_working_days), cdue);
		rc = db_exec(db, NULL, e, "UPDATE applications SET conclusion_due = $1 WHERE id = $2", DB_TEXT(cdue),
			     DB_INT(app));
	}
	if (rc || !drawn)
		return rc;
	for (int i = 0; i < 8; i++)
		snprintf(experts + strlen(experts), sizeof experts - strlen(experts), "%s%lld", i ? "," : "",
			 (long long)p->experts[i]);
	for (int i = 0; i < 14; i++)
		snprintf(assessors + strlen(assessors), sizeof assessors - strlen(assessors), "%s%lld", i ? "," : "",
			 (long long)p->assessors[i]);
	strcat(experts, "]");
	strcat(assessors, "]");
	/* the provider's part-time assessor is left out of every draw, and the record says why */
	snprintf(excluded, sizeof excluded, "[{\"id\":%lld,\"reason\":\"受雇于定点护理机构\"}]", (long long)p->assessors[19]);
	/* a real draw over the recorded candidates: the seed reproduces the pair. Open cases go to the demo expert and
	 * assessor accounts, so that they have work to do: the first seed giving that pair is used. */
	{
		int64_t ce[8], ca[14], pe = 0, pa = 0;
		uint64_t sd = 0;
		memcpy(ce, p->experts, sizeof ce);
		memcpy(ca, p->assessors, sizeof ca);
		for (int tries = 0; tries < 100000; tries++) {
			sd = ((uint64_t)demo_next(r) << 32) | demo_next(r);
			assess_draw(sd, ce, 8, ca, 14, &pe, &pa);
			if (strcmp(c->status, "assigned") != 0 || (pe == p->experts[0] && pa == p->assessors[0]))
				break;
		}
		snprintf(seed, sizeof seed, "%llu", (unsigned long long)sd);
		ex = 0;
		while (ex < 8 && p->experts[ex] != pe)
			ex++;
		rc = db_int(db, &asg, e,
			    "INSERT INTO assignments (application_id, purpose, seed, experts, assessors, excluded, expert_id,"
			    " assessor_id, status, drawn_by, drawn_at) VALUES ($1, 'assessment', $2, $3, $4, $5, $6, $7, $8,"
			    " 'bureau', $9) RETURNING id",
			    DB_INT(app), DB_TEXT(seed), DB_TEXT(experts), DB_TEXT(assessors), DB_TEXT(excluded), DB_INT(pe),
			    DB_INT(pa), DB_TEXT(strcmp(c->status, "assigned") == 0 ? "open" : "done"), DB_INT(t0));
	}
	if (rc || c->level < 0)
		return rc;
	{
		char *form = json_dumps(c->form, JSON_COMPACT | JSON_SORT_KEYS), *result = json_dumps(c->result, JSON_COMPACT);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO assessments (application_id, assignment_id, form, result, level, visit_start, visit_end,"
			     " video_ref, video_sha256, video_seconds, present, flags, submitted_by, submitted_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'assessor', $7)",
			     DB_INT(app), DB_INT(asg), DB_TEXT(form), DB_TEXT(result), DB_INT(c->level), DB_INT(t0 + 86400),
			     DB_INT(t0 + 86400 + (c->flagged ? 15 : 50) * 60), DB_TEXT("video/2026/case.mp4"),
			     DB_TEXT("9f2c4d8e1b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"),
			     DB_INT((c->flagged ? 15 : 50) * 60),
			     DB_TEXT("[{\"name\":\"评估专家\",\"role\":\"expert\"},{\"name\":\"评估员\",\"role\":\"assessor\"},"
				     "{\"name\":\"家属\",\"role\":\"family\"}]"),
			     DB_TEXT(c->flagged ? "[{\"code\":\"short_visit\",\"message\":\"现场评估15分钟，少于规定的30分钟\"}]"
						: "[]"),
			     DB_INT(t0 + 86400 + 3600));
		free(form);
		free(result);
	}
	if (rc)
		return rc;
	if (!strcmp(c->status, "publicised") || !strcmp(c->status, "certified")) {
		const struct scheme_level *lv = scheme_level(s, c->level);
		int32_t concluded = c->submitted + 15, from;
		int y, m, d;
		char con[DATE_STR], pub[DATE_STR], app_s[DATE_STR], from_s[DATE_STR], until_s[DATE_STR];
		for (int k = 0; k < 2 && !rc; k++)
			rc = db_exec(db, NULL, e,
				     "INSERT INTO confirmations (application_id, user_id, level, confirmed_at) VALUES ($1, $2, $3, $4)",
				     DB_INT(app), DB_INT(p->expert_users[(ex + k) % 12]), DB_INT(c->level),
				     DB_INT(t0 + 86400 * (4 + k)));
		date_to_ymd(concluded, &y, &m, &d);
		from = date_add_months(date_from_ymd(y, m, 1), 1);
		date_format(concluded, con);
		date_format(concluded + s->periods.publication_days, pub);
		date_format(concluded + s->periods.appeal_days, app_s);
		date_format(from, from_s);
		date_format(date_add_months(from, s->periods.validity_months) - 1, until_s);
		if (!rc)
			rc = db_exec(db, NULL, e,
				     "INSERT INTO certifications (person_id, application_id, level, level_name, qualifies,"
				     " concluded_on, published_until, appeal_until, valid_from, valid_until, status, final,"
				     " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12)",
				     DB_INT(c->person), DB_INT(app), DB_INT(c->level), DB_TEXT(lv ? lv->name : ""),
				     DB_INT(lv && lv->qualifies), DB_TEXT(con), DB_TEXT(pub), DB_TEXT(app_s), DB_TEXT(from_s),
				     DB_TEXT(until_s), DB_TEXT(c->status), DB_INT(now));
	}
	return rc;
}

int demo_assess_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out, struct err *e)
{
	struct demo_rng r = {0xa55e55edULL};
	struct db_stmt *st = NULL;
	struct pool p;
	int64_t region = 0, lj = 0, hw = 0, provider = 0, persons[CERTIFIED + 40], areas[CERTIFIED + 40];
	int32_t today = date_today_cn();
	int n = 0, rc;
	static const struct {
		const char *status;
		int count, age_days, severity;
		bool assessed, flagged;
	} pending[] = {
		{"submitted", 2, 3, 0, false, false},   {"submitted", 2, 14, 0, false, false}, /* the last two overdue */
		{"rejected", 2, 30, 0, false, false},   {"accepted", 2, 6, 0, false, false},
		{"assigned", 3, 9, 0, false, false},    {"in_review", 2, 12, 2, true, true},
		{"awaiting_confirmation", 2, 11, 3, true, false},
		{"publicised", 2, 18, 3, true, false},  {"withdrawn", 1, 20, 0, false, false},
	};

	if (s->standard != SCHEME_STD_NATIONAL_2021)
		return 0; /* an external instrument's forms cannot be made up here */
	rc = db_int0(db, &region, e, "SELECT id FROM areas WHERE parent_id IS NULL");
	if (!rc)
		rc = db_int0(db, &lj, e, "SELECT id FROM areas WHERE code = '339902'");
	if (!rc)
		rc = db_int0(db, &hw, e, "SELECT id FROM areas WHERE code = '339903'");
	if (!rc)
		rc = db_int0(db, &provider, e, "SELECT id FROM providers WHERE code = 'P0001'");
	if (!rc)
		rc = load_pool(db, hash, region, lj, hw, provider, &p, e);
	/* the oldest living people apply */
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, area_id FROM persons WHERE death_date IS NULL ORDER BY birth_date, id LIMIT $1",
			      DB_INT(CERTIFIED + 40));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		persons[n] = db_col_int(st, 0);
		areas[n++] = db_col_int(st, 1);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int i = 0; i < n && i < CERTIFIED && !rc; i++) {
		struct assess_result res;
		json_t *form = make_form(s, &r, i % 11 == 0 ? 0 : i % 7 == 0 ? 1 : i % 3 == 0 ? 2 : 3);
		struct demo_case c = {persons[i], areas[i], "certified", today - 120 - demo_pick(&r, 500), -1, form, NULL,
				      false};
		assess_score(&s->assess, form, &res);
		c.level = res.level;
		c.result = assess_result_json(s, &res);
		rc = add_case(db, s, &r, &p, &c, e);
		json_decref(c.result);
		json_decref(form);
		out->certified++;
	}
	for (size_t k = 0, i = CERTIFIED; k < sizeof pending / sizeof pending[0] && !rc; k++) {
		for (int j = 0; j < pending[k].count && (int)i < n && !rc; j++, i++) {
			struct assess_result res;
			json_t *form = pending[k].assessed ? make_form(s, &r, pending[k].severity) : NULL;
			struct demo_case c = {persons[i], areas[i], pending[k].status, today - pending[k].age_days, -1, form,
					      NULL, pending[k].flagged};
			if (form) {
				assess_score(&s->assess, form, &res);
				c.level = res.level;
				c.result = assess_result_json(s, &res);
			}
			rc = add_case(db, s, &r, &p, &c, e);
			json_decref(c.result);
			json_decref(form);
			out->cases++;
		}
	}
	return rc;
}
