/* scheme_care.c: the care section of a scheme ($.care): how a beneficiary gets a provider (one per region or a
 * free choice), when a provider switch takes effect, the service catalogue (categories and items with class,
 * standard minutes and who may perform them) and the entitlements: what each qualifying level gets in each service
 * mode (visits, minutes, money). Every problem is reported with its JSON path, like the other sections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"
#include "scheme/scheme_impl.h"

#define MAX_FEN 100000000 /* one million yuan: far above any monthly benefit or hourly price */

static const char *const mode_names[CARE_MODE_COUNT] = {"home", "family", "institution"};
static const char *const mode_labels[CARE_MODE_COUNT] = {"居家上门护理", "亲情护理", "机构护理"};
static const char *const performer_names[] = {"caregiver", "nurse", "family"};

const char *care_mode_name(enum care_mode m)
{
	return (unsigned)m < CARE_MODE_COUNT ? mode_names[m] : "unknown";
}

const char *care_mode_label(enum care_mode m)
{
	return (unsigned)m < CARE_MODE_COUNT ? mode_labels[m] : "未知";
}

int care_mode_parse(const char *name)
{
	for (int i = 0; name && i < CARE_MODE_COUNT; i++)
		if (strcmp(mode_names[i], name) == 0)
			return i;
	return -1;
}

unsigned scheme_performer_parse(const char *name)
{
	for (unsigned i = 0; name && i < 3; i++)
		if (strcmp(performer_names[i], name) == 0)
			return 1u << i;
	return 0;
}

/* A catalogue code: 1-15 ASCII letters, digits, '-' or '_'. */
static bool code_ok(const char *c)
{
	if (!c[0])
		return false;
	for (; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_'))
			return false;
	return true;
}

static void parse_item(json_t *v, const char *p, const char *category, struct scheme_care *c, struct scheme_diag *d)
{
	static const char *const keys[] = {"code", "name", "class", "minutes", "performers", "note", NULL};
	struct scheme_service_item *it = &c->items[c->n_items];
	json_t *perf, *x;
	char cls[16], fp[160];
	size_t k;

	if (!json_is_object(v)) {
		sch_problem(d, p, "must be an object {code, name, class, minutes, performers}");
		return;
	}
	sch_known_keys(v, p, keys, d);
	sch_get_string(v, "code", p, it->code, sizeof it->code, true, d);
	sch_get_string(v, "name", p, it->name, sizeof it->name, true, d);
	str_copy(it->category, category, sizeof it->category);
	if (it->code[0]) {
		sch_path_join(fp, sizeof fp, p, "code");
		if (!code_ok(it->code))
			sch_problem(d, fp, "use letters, digits, '-' and '_' only");
		else if (sch_care_item(c, it->code))
			sch_problem(d, fp, "item code '%s' is used twice", it->code);
	}
	sch_get_string(v, "class", p, cls, sizeof cls, true, d);
	if (strcmp(cls, "medical") == 0) {
		it->medical = 1;
	} else if (cls[0] && strcmp(cls, "living") != 0) {
		sch_path_join(fp, sizeof fp, p, "class");
		sch_problem(d, fp, "must be 'living' (生活照护) or 'medical' (医疗护理)");
	}
	it->minutes = sch_get_int(v, "minutes", p, SCHEME_ITEM_MINUTES_MIN, SCHEME_ITEM_MINUTES_MAX, 0, true, d);
	perf = json_object_get(v, "performers");
	sch_path_join(fp, sizeof fp, p, "performers");
	if (!json_is_array(perf) || json_array_size(perf) == 0) {
		sch_problem(d, fp, "must be a non-empty array of 'caregiver', 'nurse', 'family'");
	} else {
		json_array_foreach(perf, k, x) {
			unsigned bit = scheme_performer_parse(json_string_value(x));
			char xp[176];
			snprintf(xp, sizeof xp, "%s[%zu]", fp, k);
			if (!bit)
				sch_problem(d, xp, "must be 'caregiver', 'nurse' or 'family'");
			else if (it->performers & bit)
				sch_problem(d, xp, "'%s' is listed twice", json_string_value(x));
			it->performers |= bit;
		}
	}
	c->n_items++;
}

static void parse_catalogue(json_t *o, struct scheme_care *c, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "categories", NULL};
	static const char *const cat_keys[] = {"code", "name", "items", "note", NULL};
	const char *p = "$.care.catalogue";
	json_t *cats = json_object_get(o, "categories"), *v, *items, *iv;
	size_t i, k, total = 0;

	sch_known_keys(o, p, keys, d);
	if (!json_is_array(cats) || json_array_size(cats) == 0 || json_array_size(cats) > SCHEME_MAX_CARE_CATEGORIES) {
		sch_problem(d, "$.care.catalogue.categories", "must be an array of 1 to %d categories",
			    SCHEME_MAX_CARE_CATEGORIES);
		return;
	}
	json_array_foreach(cats, i, v)
		total += json_array_size(json_object_get(v, "items"));
	if (total > SCHEME_MAX_CARE_ITEMS) {
		sch_problem(d, "$.care.catalogue.categories", "at most %d items in all (has %zu)", SCHEME_MAX_CARE_ITEMS,
			    total);
		return;
	}
	c->categories = xcalloc(json_array_size(cats), sizeof *c->categories);
	c->items = xcalloc(total + 1, sizeof *c->items);
	json_array_foreach(cats, i, v) {
		struct scheme_service_category *cat = &c->categories[c->n_categories];
		char cp[96], fp[128];
		snprintf(cp, sizeof cp, "$.care.catalogue.categories[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, cp, "must be an object {code, name, items}");
			continue;
		}
		sch_known_keys(v, cp, cat_keys, d);
		sch_get_string(v, "code", cp, cat->code, sizeof cat->code, true, d);
		sch_get_string(v, "name", cp, cat->name, sizeof cat->name, true, d);
		if (cat->code[0]) {
			sch_path_join(fp, sizeof fp, cp, "code");
			if (!code_ok(cat->code))
				sch_problem(d, fp, "use letters, digits, '-' and '_' only");
			for (int j = 0; j < c->n_categories; j++)
				if (strcmp(c->categories[j].code, cat->code) == 0)
					sch_problem(d, fp, "category code '%s' is used twice", cat->code);
		}
		items = json_object_get(v, "items");
		sch_path_join(fp, sizeof fp, cp, "items");
		if (!json_is_array(items) || json_array_size(items) == 0) {
			sch_problem(d, fp, "must be a non-empty array of items");
		} else {
			json_array_foreach(items, k, iv) {
				char ip[144];
				snprintf(ip, sizeof ip, "%s[%zu]", fp, k);
				parse_item(iv, ip, cat->code, c, d);
			}
		}
		c->n_categories++;
	}
}

/* The level numbers of entitlements[i].levels that name qualifying levels; the others are problems. */
static int parse_levels_list(json_t *arr, const char *p, const struct scheme *s, int *out, struct scheme_diag *d)
{
	json_t *x;
	size_t k;
	int n = 0;
	char lp[160];

	sch_path_join(lp, sizeof lp, p, "levels");
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SCHEME_MAX_LEVEL + 1) {
		sch_problem(d, lp, "must be a non-empty array of levels");
		return -1;
	}
	json_array_foreach(arr, k, x) {
		char xp[176];
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
		if (!l->qualifies) {
			sch_problem(d, xp, "level %d does not qualify for benefits ($.levels)", lv);
			continue;
		}
		out[n++] = lv;
	}
	return n;
}

static bool get_bool(json_t *o, const char *key, const char *p, struct scheme_diag *d)
{
	json_t *v = json_object_get(o, key);
	char fp[160];

	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		sch_path_join(fp, sizeof fp, p, key);
		sch_problem(d, fp, "must be true or false");
		return false;
	}
	return json_is_true(v);
}

/* One entitlement entry; returns false if its mode or levels could not be read (the coverage check is skipped). */
static bool parse_entitlement(json_t *v, const char *p, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"mode", "levels", "min_visits_per_week", "max_visits_per_week",
					   "min_minutes_per_visit", "max_minutes_per_week", "monthly_fen",
					   "family_monthly_fen", "visit_price_fen", "fund_share_pct",
					   "family_caregiver_required", "note", NULL};
	struct scheme_care *c = &s->care;
	struct scheme_entitlement e = {0};
	char mode[32], fp[160];
	int levels[SCHEME_MAX_LEVEL + 1], n_levels, m;

	if (!json_is_object(v)) {
		sch_problem(d, p, "must be an object {mode, levels, ...}");
		return false;
	}
	sch_known_keys(v, p, keys, d);
	sch_get_string(v, "mode", p, mode, sizeof mode, true, d);
	m = care_mode_parse(mode);
	if (mode[0] && m < 0) {
		sch_path_join(fp, sizeof fp, p, "mode");
		sch_problem(d, fp, "must be 'home', 'family' or 'institution'");
	}
	n_levels = parse_levels_list(json_object_get(v, "levels"), p, s, levels, d);
	e.min_visits_per_week = sch_get_int(v, "min_visits_per_week", p, 0, SCHEME_MAX_VISITS_PER_WEEK, 0, false, d);
	e.max_visits_per_week = sch_get_int(v, "max_visits_per_week", p, 0, SCHEME_MAX_VISITS_PER_WEEK, 0, false, d);
	e.min_minutes_per_visit = sch_get_int(v, "min_minutes_per_visit", p, 0, SCHEME_ITEM_MINUTES_MAX, 0, false, d);
	e.max_minutes_per_week = sch_get_int(v, "max_minutes_per_week", p, 0,
					     SCHEME_MAX_VISITS_PER_WEEK * SCHEME_ITEM_MINUTES_MAX, 0, false, d);
	e.monthly_fen = sch_get_int(v, "monthly_fen", p, 0, MAX_FEN, 0, false, d);
	e.family_monthly_fen = sch_get_int(v, "family_monthly_fen", p, 0, MAX_FEN, 0, false, d);
	e.visit_price_fen = sch_get_int(v, "visit_price_fen", p, 0, MAX_FEN, 0, false, d);
	e.fund_share_pct = sch_get_int(v, "fund_share_pct", p, 1, 100, 100, false, d);
	e.family_caregiver_required = get_bool(v, "family_caregiver_required", p, d);

	if (e.max_visits_per_week && e.min_visits_per_week > e.max_visits_per_week) {
		sch_path_join(fp, sizeof fp, p, "min_visits_per_week");
		sch_problem(d, fp, "is above max_visits_per_week (%d > %d)", e.min_visits_per_week,
			    e.max_visits_per_week);
	}
	if (m >= 0 && m != CARE_INSTITUTION && e.max_minutes_per_week) {
		/* the least a plan may have must fit under the weekly maximum */
		int visits = e.min_visits_per_week > 0 ? e.min_visits_per_week : 1;
		if (e.min_minutes_per_visit * visits > e.max_minutes_per_week) {
			sch_path_join(fp, sizeof fp, p, "max_minutes_per_week");
			sch_problem(d, fp, "is below the minimum of %d visits x %d minutes", visits,
				    e.min_minutes_per_visit);
		}
	}
	if ((e.monthly_fen > 0) == (e.visit_price_fen > 0))
		sch_problem(d, p, "give exactly one of monthly_fen (a monthly lump sum) and visit_price_fen (a price "
				  "per visit-hour)");
	if (m == CARE_FAMILY) {
		if (!e.family_caregiver_required) {
			sch_path_join(fp, sizeof fp, p, "family_caregiver_required");
			sch_problem(d, fp, "must be true for family care");
		}
		if (e.family_monthly_fen <= 0) {
			sch_path_join(fp, sizeof fp, p, "family_monthly_fen");
			sch_problem(d, fp, "family care needs the relative's allowance (above 0)");
		}
	} else if (m >= 0) {
		if (e.family_caregiver_required) {
			sch_path_join(fp, sizeof fp, p, "family_caregiver_required");
			sch_problem(d, fp, "only family care requires a family caregiver");
		}
		if (e.family_monthly_fen) {
			sch_path_join(fp, sizeof fp, p, "family_monthly_fen");
			sch_problem(d, fp, "only family care pays a relative's allowance");
		}
	}
	if (m == CARE_INSTITUTION && (e.min_visits_per_week || e.max_visits_per_week || e.min_minutes_per_visit))
		sch_problem(d, p, "institutional care has no visits: leave out min_visits_per_week, max_visits_per_week "
				  "and min_minutes_per_visit");
	if (m < 0 || n_levels < 0)
		return false;
	for (int i = 0; i < n_levels; i++) {
		if (c->entitled[m][levels[i]]) {
			sch_path_join(fp, sizeof fp, p, "levels");
			sch_problem(d, fp, "level %d already has an entitlement in mode %s", levels[i], mode_names[m]);
			continue;
		}
		c->entitled[m][levels[i]] = true;
		c->ent[m][levels[i]] = e;
		c->modes[m] = true;
	}
	return true;
}

void sch_parse_care(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "choice", "switch_effective", "family_training_hours", "catalogue",
					   "entitlements", NULL};
	struct scheme_care *c = &s->care;
	json_t *o = sch_get_object(doc, "care", "$", false, d), *cat, *ents, *v;
	char choice[16], sw[16];
	bool complete = true, training_bad = false;
	size_t i;

	if (!o)
		return;
	c->defined = true;
	sch_known_keys(o, "$.care", keys, d);
	sch_get_string(o, "choice", "$.care", choice, sizeof choice, true, d);
	if (strcmp(choice, "street") == 0)
		c->choice = SCHEME_CHOICE_STREET;
	else if (choice[0] && strcmp(choice, "region") != 0)
		sch_problem(d, "$.care.choice", "must be 'region' (one provider per service region) or 'street' (a "
						"choice among the providers serving the street)");
	sch_get_string(o, "switch_effective", "$.care", sw, sizeof sw, true, d);
	if (strcmp(sw, "immediate") == 0)
		c->switch_effective = SCHEME_SWITCH_IMMEDIATE;
	else if (sw[0] && strcmp(sw, "next_month") != 0)
		sch_problem(d, "$.care.switch_effective", "must be 'next_month' or 'immediate'");
	/* -1: absent (then 0) or invalid (reported once, not again as missing below) */
	c->family_training_hours = sch_get_int(o, "family_training_hours", "$.care", 0, 1000, -1, false, d);
	if (c->family_training_hours < 0 && json_object_get(o, "family_training_hours"))
		training_bad = true;
	if (c->family_training_hours < 0)
		c->family_training_hours = 0;
	cat = sch_get_object(o, "catalogue", "$.care", true, d);
	if (cat)
		parse_catalogue(cat, c, d);
	ents = json_object_get(o, "entitlements");
	if (!json_is_array(ents) || json_array_size(ents) == 0) {
		sch_problem(d, "$.care.entitlements", "must be a non-empty array of entitlements");
		return;
	}
	json_array_foreach(ents, i, v) {
		char p[64];
		snprintf(p, sizeof p, "$.care.entitlements[%zu]", i);
		complete &= parse_entitlement(v, p, s, d);
	}
	if (c->modes[CARE_FAMILY] && c->family_training_hours == 0 && !training_bad)
		sch_problem(d, "$.care.family_training_hours", "required (above 0) when family care is offered");
	if (!complete)
		return;
	/* a qualifying level that gets nothing in any mode is almost certainly a gap in the file */
	for (int l = 0; l < s->n_levels; l++) {
		int lv = s->levels[l].level;
		bool any = false;
		if (!s->levels[l].qualifies || lv < 0)
			continue;
		for (int m = 0; m < CARE_MODE_COUNT; m++)
			any |= c->entitled[m][lv];
		if (!any)
			sch_problem(d, "$.care.entitlements", "qualifying level %d has no entitlement in any mode", lv);
	}
}

void sch_free_care(struct scheme *s)
{
	free(s->care.categories);
	free(s->care.items);
	s->care.categories = NULL;
	s->care.items = NULL;
}

const struct scheme_entitlement *scheme_entitlement(const struct scheme *s, enum care_mode m, int level)
{
	if (!s || (unsigned)m >= CARE_MODE_COUNT || level < 0 || level > SCHEME_MAX_LEVEL || !s->care.entitled[m][level])
		return NULL;
	return &s->care.ent[m][level];
}

const struct scheme_service_item *sch_care_item(const struct scheme_care *c, const char *code)
{
	for (int i = 0; code && i < c->n_items; i++)
		if (strcmp(c->items[i].code, code) == 0)
			return &c->items[i];
	return NULL;
}

const struct scheme_service_item *scheme_service_item(const struct scheme *s, const char *code)
{
	return s ? sch_care_item(&s->care, code) : NULL;
}

const struct scheme_service_category *scheme_service_category(const struct scheme *s, const char *code)
{
	for (int i = 0; s && code && i < s->care.n_categories; i++)
		if (strcmp(s->care.categories[i].code, code) == 0)
			return &s->care.categories[i];
	return NULL;
}

static json_t *performers_json(unsigned bits)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < 3; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(performer_names[i]));
	return a;
}

json_t *scheme_entitlement_json(const struct scheme *s, enum care_mode m, int level)
{
	const struct scheme_entitlement *e = scheme_entitlement(s, m, level);
	const struct scheme_level *l;

	if (!e)
		return json_null();
	l = scheme_level(s, level);
	return json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:I, s:I, s:I, s:i, s:b}", "mode", mode_names[m],
			 "mode_label", mode_labels[m], "level", level, "level_name", l ? l->name : "",
			 "min_visits_per_week", e->min_visits_per_week, "max_visits_per_week", e->max_visits_per_week,
			 "min_minutes_per_visit", e->min_minutes_per_visit, "max_minutes_per_week",
			 e->max_minutes_per_week, "monthly_fen", (json_int_t)e->monthly_fen, "family_monthly_fen",
			 (json_int_t)e->family_monthly_fen, "visit_price_fen", (json_int_t)e->visit_price_fen,
			 "fund_share_pct", e->fund_share_pct, "family_caregiver_required", e->family_caregiver_required);
}

static json_t *note_of(json_t *o)
{
	json_t *n = json_object_get(o, "note");

	return json_is_string(n) ? json_copy(n) : json_null();
}

json_t *scheme_care_json(const struct scheme *s)
{
	const struct scheme_care *c = &s->care;
	json_t *care = json_object_get(s->doc, "care");
	json_t *modes = json_array(), *cats = json_array(), *out;

	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		json_t *ents;
		if (!c->modes[m])
			continue;
		ents = json_array();
		for (int l = 0; l < s->n_levels; l++)
			if (scheme_entitlement(s, (enum care_mode)m, s->levels[l].level))
				json_array_append_new(ents,
						      scheme_entitlement_json(s, (enum care_mode)m, s->levels[l].level));
		json_array_append_new(modes, json_pack("{s:s, s:s, s:o}", "mode", mode_names[m], "label",
						       mode_labels[m], "entitlements", ents));
	}
	for (int k = 0; k < c->n_categories; k++) {
		json_t *items = json_array();
		for (int i = 0; i < c->n_items; i++) {
			const struct scheme_service_item *it = &c->items[i];
			if (strcmp(it->category, c->categories[k].code) != 0)
				continue;
			json_array_append_new(items,
					      json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:o}", "code", it->code, "name",
							it->name, "category", it->category, "class",
							it->medical ? "medical" : "living", "medical", it->medical,
							"minutes", it->minutes, "performers", performers_json(it->performers)));
		}
		json_array_append_new(cats, json_pack("{s:s, s:s, s:o}", "code", c->categories[k].code, "name",
						      c->categories[k].name, "items", items));
	}
	out = json_pack("{s:b, s:o, s:s, s:s, s:i, s:o, s:o, s:o, s:i}", "defined", c->defined, "note",
			c->defined ? note_of(care) : json_null(), "choice",
			c->choice == SCHEME_CHOICE_STREET ? "street" : "region", "switch_effective",
			c->switch_effective == SCHEME_SWITCH_IMMEDIATE ? "immediate" : "next_month",
			"family_training_hours", c->family_training_hours, "catalogue_note",
			c->defined ? note_of(json_object_get(care, "catalogue")) : json_null(), "modes", modes,
			"categories", cats, "n_items", c->n_items);
	return out;
}
