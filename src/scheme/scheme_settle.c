/* scheme_settle.c: the settlement section of a scheme ($.settlement): the method (a monthly lump sum pro-rated by
 * entitled days, or hours and days at a price), the day-count rule, the rounding rule, what a month short of its
 * required visits gets, the supplementary funding sources (a supplementary insurance, social assistance) with their
 * monthly amounts per mode and the beneficiary flag that makes them pay, the quality factor per provider credit
 * grade, and for the hourly method the extra hours of high levels staying at home and the institutional daily
 * rates. The amounts of the entitlements themselves stay in $.care. Every problem is reported with its JSON path,
 * like the other sections; the rules that use all this are in rules/settle.c. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "scheme/scheme_impl.h"

#define P "$.settlement"
#define MAX_FEN 100000000 /* one million yuan: far above any monthly amount or daily rate */
/* Extra minutes a month: a day of care at most. */
#define EXTRA_MAX_MINUTES 1440

static const char *const source_names[SOURCE_COUNT] = {"fund", "supplementary", "assistance"};
static const char *const source_labels[SOURCE_COUNT] = {"长护险基金", "补充保险", "社会救助"};
static const char *const flag_names[SETTLE_FLAG_COUNT] = {"supplementary_insured", "assistance"};
static const char *const method_names[] = {"monthly_prorated", "hourly"};
static const char *const day_count_names[] = {"calendar", "thirty"};
static const char *const shortfall_names[] = {"prorate", "withhold"};
static const char *const required_names[] = {"nearest", "down", "up"};

const char *fund_source_name(enum fund_source src)
{
	return (unsigned)src < SOURCE_COUNT ? source_names[src] : "unknown";
}

const char *fund_source_label(enum fund_source src)
{
	return (unsigned)src < SOURCE_COUNT ? source_labels[src] : "未知";
}

int fund_source_parse(const char *name)
{
	for (int i = 0; name && i < SOURCE_COUNT; i++)
		if (strcmp(source_names[i], name) == 0)
			return i;
	return -1;
}

const char *settle_flag_name(enum settle_flag f)
{
	return (unsigned)f < SETTLE_FLAG_COUNT ? flag_names[f] : "unknown";
}

int settle_flag_parse(const char *name)
{
	for (int i = 0; name && i < SETTLE_FLAG_COUNT; i++)
		if (strcmp(flag_names[i], name) == 0)
			return i;
	return -1;
}

/* The index of name among n names, or -1. */
static int pick(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* A required string field that must be one of names: its index, or -1 (reported with msg when not one of them). */
static int get_choice(json_t *o, const char *key, const char *path, const char *const *names, int n,
		      const char *msg, struct scheme_diag *d)
{
	char v[32], fp[96];
	int i;

	sch_get_string(o, key, path, v, sizeof v, true, d);
	if (!v[0])
		return -1;
	i = pick(v, names, n);
	if (i < 0) {
		sch_path_join(fp, sizeof fp, path, key);
		sch_problem(d, fp, "%s", msg);
	}
	return i;
}

static void check_note(json_t *o, const char *path, struct scheme_diag *d)
{
	json_t *n = json_object_get(o, "note");
	char fp[128];

	if (n && !json_is_string(n)) {
		sch_path_join(fp, sizeof fp, path, "note");
		sch_problem(d, fp, "must be a string");
	}
}

/* The levels of o.levels: each a qualifying level of $.levels entitled in mode m, once. Sets want[level]; returns
 * false if the list itself is unusable. */
static bool get_levels(json_t *o, const char *path, const struct scheme *s, enum care_mode m, bool *want,
		       struct scheme_diag *d)
{
	json_t *arr = json_object_get(o, "levels"), *x;
	char lp[128];
	size_t k;

	sch_path_join(lp, sizeof lp, path, "levels");
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SCHEME_MAX_LEVEL + 1) {
		sch_problem(d, lp, "must be a non-empty array of levels");
		return false;
	}
	json_array_foreach(arr, k, x) {
		char xp[144];
		const struct scheme_level *l;
		int lv;
		snprintf(xp, sizeof xp, "%s[%zu]", lp, k);
		if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > SCHEME_MAX_LEVEL) {
			sch_problem(d, xp, "must be a level number");
			continue;
		}
		lv = (int)json_integer_value(x);
		if (!s->n_levels)
			continue; /* $.levels has its own problem */
		l = scheme_level(s, lv);
		if (!l) {
			sch_problem(d, xp, "no level %d in $.levels", lv);
			continue;
		}
		if (s->care.defined && !s->care.entitled[m][lv]) {
			sch_problem(d, xp, "level %d has no %s entitlement ($.care.entitlements)", lv, care_mode_name(m));
			continue;
		}
		if (want[lv]) {
			sch_problem(d, xp, "level %d is listed twice", lv);
			continue;
		}
		want[lv] = true;
	}
	return true;
}

static void parse_shortfall(json_t *o, struct scheme_settlement *p, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "policy", "tolerance_visits", "required_rounding", NULL};
	const char *sp = P ".shortfall";
	int v;

	sch_known_keys(o, sp, keys, d);
	check_note(o, sp, d);
	v = get_choice(o, "policy", sp, shortfall_names, 2,
		       "must be 'prorate' (amount x delivered / required) or 'withhold' (nothing when short)", d);
	p->shortfall = v < 0 ? SETTLE_SHORTFALL_PRORATE : (enum settle_shortfall)v;
	p->tolerance_visits = sch_get_int(o, "tolerance_visits", sp, 0, SCHEME_MAX_TOLERANCE_VISITS, 0, true, d);
	v = get_choice(o, "required_rounding", sp, required_names, 3, "must be 'nearest', 'down' or 'up'", d);
	p->required_rounding = v < 0 ? SETTLE_REQUIRED_NEAREST : (enum settle_required_rounding)v;
}

static void parse_supplement(json_t *v, const char *sp, const struct scheme *s, struct scheme_settlement *p,
			     struct scheme_diag *d)
{
	static const char *const keys[] = {"source", "flag", "name", "label", "monthly_fen", "note", NULL};
	struct scheme_supplement *x = &p->supplements[p->n_supplements];
	json_t *mf, *amt;
	const char *key;
	char src[32], flag[32], fp[128];
	bool any = false;
	int i, f;

	memset(x, 0, sizeof *x);
	if (!json_is_object(v)) {
		sch_problem(d, sp, "must be an object {source, flag, name, label, monthly_fen}");
		return;
	}
	sch_known_keys(v, sp, keys, d);
	check_note(v, sp, d);
	sch_get_string(v, "source", sp, src, sizeof src, true, d);
	i = src[0] ? fund_source_parse(src) : -1;
	sch_path_join(fp, sizeof fp, sp, "source");
	if (src[0] && (i < 0 || i == SOURCE_FUND)) {
		sch_problem(d, fp, "must be 'supplementary' or 'assistance' (the fund pays through $.care.entitlements)");
		i = -1;
	}
	for (int k = 0; i > 0 && k < p->n_supplements; k++)
		if (p->supplements[k].source == (enum fund_source)i) {
			sch_problem(d, fp, "source '%s' is given twice", src);
			i = -1;
		}
	sch_get_string(v, "flag", sp, flag, sizeof flag, true, d);
	f = settle_flag_parse(flag);
	if (flag[0] && f < 0) {
		sch_path_join(fp, sizeof fp, sp, "flag");
		sch_problem(d, fp, "must be 'supplementary_insured' or 'assistance'");
	}
	sch_get_string(v, "name", sp, x->name, sizeof x->name, true, d);
	sch_get_string(v, "label", sp, x->label, sizeof x->label, true, d);
	mf = sch_get_object(v, "monthly_fen", sp, true, d);
	sch_path_join(fp, sizeof fp, sp, "monthly_fen");
	json_object_foreach(mf, key, amt) {
		int m = care_mode_parse(key);
		char mp[160];
		sch_path_join(mp, sizeof mp, fp, key);
		if (m < 0) {
			sch_problem(d, mp, "unknown care mode (home, family or institution)");
			continue;
		}
		if (s->care.defined && !s->care.modes[m]) {
			sch_problem(d, mp, "%s care is not offered ($.care)", key);
			continue;
		}
		x->monthly_fen[m] = sch_get_int(mf, key, fp, 0, MAX_FEN, 0, true, d);
		any |= x->monthly_fen[m] > 0;
	}
	if (mf && !any && json_object_size(mf))
		sch_problem(d, fp, "at least one mode must be above 0");
	else if (mf && !json_object_size(mf))
		sch_problem(d, fp, "must give the amount a month of at least one mode");
	if (i > 0 && f >= 0) {
		x->source = (enum fund_source)i;
		x->flag = (enum settle_flag)f;
		p->n_supplements++;
	}
}

static void parse_supplements(json_t *arr, const struct scheme *s, struct scheme_settlement *p,
			      struct scheme_diag *d)
{
	json_t *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) > SOURCE_COUNT - 1) {
		sch_problem(d, P ".supplements", "must be an array of at most %d supplements (one per source)",
			    SOURCE_COUNT - 1);
		return;
	}
	json_array_foreach(arr, i, v) {
		char sp[64];
		snprintf(sp, sizeof sp, P ".supplements[%zu]", i);
		parse_supplement(v, sp, s, p, d);
	}
}

/* A grade: 1-15 bytes, no spaces or control characters. */
static bool grade_ok(const char *g)
{
	if (!g[0])
		return false;
	for (; *g; g++)
		if ((unsigned char)*g <= ' ')
			return false;
	return true;
}

static void parse_quality(json_t *o, struct scheme_settlement *p, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "default_permille", "grades", NULL};
	static const char *const grade_keys[] = {"grade", "permille", "note", NULL};
	const char *qp = P ".quality";
	json_t *arr, *v;
	size_t i;

	sch_known_keys(o, qp, keys, d);
	check_note(o, qp, d);
	p->quality_default_pm = sch_get_int(o, "default_permille", qp, SCHEME_QUALITY_MIN_PM, SCHEME_QUALITY_MAX_PM,
					    1000, true, d);
	arr = json_object_get(o, "grades");
	if (!json_is_array(arr) || json_array_size(arr) > SCHEME_MAX_QUALITY_GRADES) {
		sch_problem(d, P ".quality.grades", "must be an array of at most %d grades {grade, permille}",
			    SCHEME_MAX_QUALITY_GRADES);
		return;
	}
	json_array_foreach(arr, i, v) {
		struct scheme_quality_grade *g = &p->grades[p->n_grades];
		char gp[64], fp[80];
		snprintf(gp, sizeof gp, P ".quality.grades[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, gp, "must be an object {grade, permille}");
			continue;
		}
		sch_known_keys(v, gp, grade_keys, d);
		check_note(v, gp, d);
		sch_get_string(v, "grade", gp, g->grade, sizeof g->grade, true, d);
		g->permille = sch_get_int(v, "permille", gp, SCHEME_QUALITY_MIN_PM, SCHEME_QUALITY_MAX_PM, 1000, true, d);
		if (!g->grade[0])
			continue;
		sch_path_join(fp, sizeof fp, gp, "grade");
		if (!grade_ok(g->grade)) {
			sch_problem(d, fp, "must not contain spaces");
			continue;
		}
		for (int k = 0; k < p->n_grades; k++)
			if (strcmp(p->grades[k].grade, g->grade) == 0) {
				sch_problem(d, fp, "grade '%s' is given twice", g->grade);
				g = NULL;
				break;
			}
		if (g)
			p->n_grades++;
	}
}

static void parse_extra(json_t *arr, const struct scheme *s, struct scheme_settlement *p, struct scheme_diag *d)
{
	static const char *const keys[] = {"levels", "from_month", "until_month", "minutes", "cash_fen", "note", NULL};
	json_t *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) > SCHEME_MAX_EXTRA_HOURS) {
		sch_problem(d, P ".extra_hours", "must be an array of at most %d entries", SCHEME_MAX_EXTRA_HOURS);
		return;
	}
	json_array_foreach(arr, i, v) {
		struct scheme_extra_hours *x = &p->extra[p->n_extra];
		char ep[64], fp[96];
		bool levels_ok;
		memset(x, 0, sizeof *x);
		snprintf(ep, sizeof ep, P ".extra_hours[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, ep, "must be an object {levels, from_month, until_month, minutes, cash_fen}");
			continue;
		}
		sch_known_keys(v, ep, keys, d);
		check_note(v, ep, d);
		levels_ok = get_levels(v, ep, s, CARE_HOME, x->levels, d);
		x->from_month = sch_get_int(v, "from_month", ep, 1, SCHEME_MAX_SPELL_MONTHS, 0, true, d);
		x->until_month = sch_get_int(v, "until_month", ep, 0, SCHEME_MAX_SPELL_MONTHS, -1, true, d);
		x->minutes = sch_get_int(v, "minutes", ep, 0, EXTRA_MAX_MINUTES, -1, true, d);
		x->cash_fen = sch_get_int(v, "cash_fen", ep, 0, MAX_FEN, -1, true, d);
		if (x->from_month && x->until_month > 0 && x->until_month < x->from_month) {
			sch_path_join(fp, sizeof fp, ep, "until_month");
			sch_problem(d, fp, "must be 0 (open) or at least from_month (%d)", x->from_month);
			continue;
		}
		if (x->minutes == 0 && x->cash_fen == 0) {
			sch_problem(d, ep, "give minutes or cash_fen above 0");
			continue;
		}
		if (!levels_ok || !x->from_month || x->until_month < 0 || x->minutes < 0 || x->cash_fen < 0)
			continue;
		/* one entry per level and month: two would make the extra ambiguous */
		for (int k = 0; k < p->n_extra; k++) {
			const struct scheme_extra_hours *o = &p->extra[k];
			int lo = x->from_month > o->from_month ? x->from_month : o->from_month;
			int hx = x->until_month ? x->until_month : SCHEME_MAX_SPELL_MONTHS;
			int ho = o->until_month ? o->until_month : SCHEME_MAX_SPELL_MONTHS;
			if (lo > (hx < ho ? hx : ho))
				continue;
			for (int lv = 0; lv <= SCHEME_MAX_LEVEL; lv++)
				if (x->levels[lv] && o->levels[lv]) {
					sch_problem(d, ep, "level %d already has extra hours in month %d (extra_hours[%d])",
						    lv, lo, k);
					x = NULL;
					break;
				}
			if (!x)
				break;
		}
		if (x)
			p->n_extra++;
	}
}

/* False if the array itself is unusable (then no level is reported as without a rate). */
static bool parse_daily(json_t *arr, const struct scheme *s, struct scheme_settlement *p, struct scheme_diag *d)
{
	static const char *const keys[] = {"levels", "daily_fen", "note", NULL};
	json_t *v;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SCHEME_MAX_LEVEL + 1) {
		sch_problem(d, P ".institution_daily", "must be a non-empty array of {levels, daily_fen}");
		return false;
	}
	json_array_foreach(arr, i, v) {
		bool want[SCHEME_MAX_LEVEL + 1] = {false};
		char ep[64], fp[96];
		int64_t fen;
		snprintf(ep, sizeof ep, P ".institution_daily[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, ep, "must be an object {levels, daily_fen}");
			continue;
		}
		sch_known_keys(v, ep, keys, d);
		check_note(v, ep, d);
		get_levels(v, ep, s, CARE_INSTITUTION, want, d);
		fen = sch_get_int(v, "daily_fen", ep, 1, MAX_FEN, 0, true, d);
		sch_path_join(fp, sizeof fp, ep, "levels");
		for (int lv = 0; lv <= SCHEME_MAX_LEVEL; lv++) {
			if (!want[lv])
				continue;
			if (p->institution_daily_fen[lv])
				sch_problem(d, fp, "level %d already has a daily rate", lv);
			else /* -1 for a rate already reported, so that the level is not reported again as without one */
				p->institution_daily_fen[lv] = fen ? fen : -1;
		}
	}
	return true;
}

/* The entitlements must carry what the method pays by: a monthly sum (monthly_prorated), a price per visit-hour for
 * home and family care and a daily rate for institutional care (hourly). daily: 0 no $.settlement.institution_daily,
 * 1 read, -1 unusable (reported already). */
static void check_method(const struct scheme *s, const struct scheme_settlement *p, int daily, struct scheme_diag *d)
{
	const struct scheme_care *c = &s->care;

	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		for (int lv = 0; lv <= SCHEME_MAX_LEVEL; lv++) {
			const struct scheme_entitlement *e = &c->ent[m][lv];
			if (!c->entitled[m][lv])
				continue;
			if (p->method == SETTLE_METHOD_MONTHLY_PRORATED && e->monthly_fen <= 0) {
				sch_problem(d, P ".method", "monthly_prorated needs monthly_fen in every entitlement "
							    "($.care.entitlements: %s level %d has none)",
					    care_mode_name((enum care_mode)m), lv);
				break;
			}
			if (p->method == SETTLE_METHOD_HOURLY && m != CARE_INSTITUTION && e->visit_price_fen <= 0) {
				sch_problem(d, P ".method", "hourly needs visit_price_fen in every home and family "
							    "entitlement ($.care.entitlements: %s level %d has none)",
					    care_mode_name((enum care_mode)m), lv);
				break;
			}
			if (p->method == SETTLE_METHOD_HOURLY && m == CARE_INSTITUTION && daily > 0 &&
			    !p->institution_daily_fen[lv])
				sch_problem(d, P ".institution_daily", "no daily rate for institutional level %d", lv);
		}
	}
	if (p->method == SETTLE_METHOD_HOURLY && c->modes[CARE_INSTITUTION] && daily == 0)
		sch_problem(d, P ".institution_daily", "required: hourly settlement pays institutional care by the day "
						      "and $.care offers it");
}

void sch_parse_settlement(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "method", "day_count", "rounding", "shortfall", "supplements",
					   "quality", "extra_hours", "institution_daily", NULL};
	struct scheme_settlement *p = &s->settle;
	json_t *o = sch_get_object(doc, "settlement", "$", false, d), *x;
	int method, v, daily = 0;

	if (!o)
		return;
	p->defined = true;
	sch_known_keys(o, P, keys, d);
	check_note(o, P, d);
	/* without $.care (like $.visits) the section loads unchecked against the entitlements, and nothing can be
	 * settled under the scheme (settle_month refuses it) */
	method = get_choice(o, "method", P, method_names, 2, "must be 'monthly_prorated' (a monthly sum pro-rated by "
							    "entitled days) or 'hourly' (hours and days at a price)", d);
	p->method = method < 0 ? SETTLE_METHOD_MONTHLY_PRORATED : (enum settle_method)method;
	v = get_choice(o, "day_count", P, day_count_names, 2, "must be 'calendar' or 'thirty'", d);
	p->day_count = v < 0 ? SETTLE_DAYS_CALENDAR : (enum settle_day_count)v;
	{
		static const char *const roundings[] = {"half_up"};
		get_choice(o, "rounding", P, roundings, 1,
			   "must be 'half_up' (each line to the fen, halves away from zero)", d);
	}

	x = json_object_get(o, "shortfall");
	if (method == SETTLE_METHOD_HOURLY && x)
		sch_problem(d, P ".shortfall", "only for monthly_prorated: the hourly method pays the minutes delivered");
	else if (method != SETTLE_METHOD_HOURLY && (x = sch_get_object(o, "shortfall", P, method >= 0, d)))
		parse_shortfall(x, p, d);

	x = json_object_get(o, "supplements");
	if (method == SETTLE_METHOD_HOURLY && x)
		sch_problem(d, P ".supplements", "only for monthly_prorated: supplements are monthly amounts that follow "
						 "the month's visits");
	else if (x)
		parse_supplements(x, s, p, d);

	x = sch_get_object(o, "quality", P, true, d);
	if (x)
		parse_quality(x, p, d);

	x = json_object_get(o, "extra_hours");
	if (method == SETTLE_METHOD_MONTHLY_PRORATED && x)
		sch_problem(d, P ".extra_hours", "only for hourly: extra hours are billed at the hourly price");
	else if (x)
		parse_extra(x, s, p, d);

	x = json_object_get(o, "institution_daily");
	if (method == SETTLE_METHOD_MONTHLY_PRORATED && x) {
		sch_problem(d, P ".institution_daily", "only for hourly: monthly_prorated pays institutional care by the "
						       "month ($.care.entitlements)");
	} else if (x) {
		daily = parse_daily(x, s, p, d) ? 1 : -1;
	}
	if (method >= 0 && s->care.defined)
		check_method(s, p, daily, d);
}

const struct scheme_supplement *scheme_supplement(const struct scheme *s, enum fund_source src)
{
	for (int i = 0; s && i < s->settle.n_supplements; i++)
		if (s->settle.supplements[i].source == src)
			return &s->settle.supplements[i];
	return NULL;
}

int scheme_quality_permille(const struct scheme *s, const char *grade)
{
	if (!grade || !grade[0])
		return s->settle.quality_default_pm;
	for (int i = 0; i < s->settle.n_grades; i++)
		if (strcmp(s->settle.grades[i].grade, grade) == 0)
			return s->settle.grades[i].permille;
	return -1;
}

static json_t *levels_json(const bool *levels)
{
	json_t *a = json_array();

	for (int lv = 0; lv <= SCHEME_MAX_LEVEL; lv++)
		if (levels[lv])
			json_array_append_new(a, json_integer(lv));
	return a;
}

json_t *scheme_settlement_json(const struct scheme *s)
{
	const struct scheme_settlement *p = &s->settle;
	json_t *sec = json_object_get(s->doc, "settlement"), *note = json_object_get(sec, "note");
	json_t *sups = json_array(), *grades = json_array(), *extra = json_array(), *daily = json_array();
	json_t *shortfall = json_null();

	for (int i = 0; i < p->n_supplements; i++) {
		const struct scheme_supplement *x = &p->supplements[i];
		json_t *mf = json_object();
		for (int m = 0; m < CARE_MODE_COUNT; m++)
			if (x->monthly_fen[m])
				json_object_set_new(mf, care_mode_name((enum care_mode)m), json_integer(x->monthly_fen[m]));
		json_array_append_new(sups, json_pack("{s:s, s:s, s:s, s:s, s:o}", "source", fund_source_name(x->source),
						      "flag", settle_flag_name(x->flag), "name", x->name, "label",
						      x->label, "monthly_fen", mf));
	}
	for (int i = 0; i < p->n_grades; i++)
		json_array_append_new(grades, json_pack("{s:s, s:i}", "grade", p->grades[i].grade, "permille",
							p->grades[i].permille));
	for (int i = 0; i < p->n_extra; i++) {
		const struct scheme_extra_hours *x = &p->extra[i];
		json_array_append_new(extra, json_pack("{s:o, s:i, s:i, s:i, s:I}", "levels", levels_json(x->levels),
						       "from_month", x->from_month, "until_month", x->until_month,
						       "minutes", x->minutes, "cash_fen", (json_int_t)x->cash_fen));
	}
	for (int lv = 0; lv <= SCHEME_MAX_LEVEL; lv++)
		if (p->institution_daily_fen[lv])
			json_array_append_new(daily, json_pack("{s:i, s:I}", "level", lv, "daily_fen",
							       (json_int_t)p->institution_daily_fen[lv]));
	if (p->defined && p->method == SETTLE_METHOD_MONTHLY_PRORATED)
		shortfall = json_pack("{s:s, s:i, s:s}", "policy", shortfall_names[p->shortfall], "tolerance_visits",
				      p->tolerance_visits, "required_rounding", required_names[p->required_rounding]);
	return json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:o}, s:o, s:o}", "defined", p->defined, "note",
			 p->defined && json_is_string(note) ? json_copy(note) : json_null(), "method",
			 p->defined ? json_string(method_names[p->method]) : json_null(), "day_count",
			 p->defined ? json_string(day_count_names[p->day_count]) : json_null(), "rounding",
			 p->defined ? json_string("half_up") : json_null(), "shortfall", shortfall, "supplements",
			 sups, "quality", "default_permille", p->defined ? p->quality_default_pm : 1000, "grades",
			 grades, "extra_hours", extra, "institution_daily", daily);
}
