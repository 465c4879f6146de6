/* scheme.c: loading and validating scheme files. Every problem is collected with its JSON path (such as
 * "$.periods.appeal_days") so that one run of 'ltci scheme check' shows them all. */
#include "scheme/scheme.h"
#include "scheme/scheme_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"

void sch_problem(struct scheme_diag *d, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (d->n >= LIMIT_SCHEME_ERRORS) {
		d->dropped++;
		return;
	}
	str_copy(d->items[d->n].path, path, sizeof d->items[d->n].path);
	va_start(ap, fmt);
	vsnprintf(d->items[d->n].msg, sizeof d->items[d->n].msg, fmt, ap);
	va_end(ap);
	d->n++;
}

void sch_path_join(char *out, size_t size, const char *base, const char *key)
{
	snprintf(out, size, "%s.%s", base, key);
}

/* Every key of obj must be one of allowed (NULL-terminated). */
void sch_known_keys(json_t *obj, const char *path, const char *const *allowed, struct scheme_diag *d)
{
	const char *key;
	json_t *v;
	char p[128];

	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a) {
			sch_path_join(p, sizeof p, path, key);
			sch_problem(d, p, "unknown field");
		}
	}
}

json_t *sch_get_object(json_t *parent, const char *key, const char *path, bool required, struct scheme_diag *d)
{
	json_t *v = json_object_get(parent, key);
	char p[128];

	sch_path_join(p, sizeof p, path, key);
	if (!v) {
		if (required)
			sch_problem(d, p, "required object is missing");
		return NULL;
	}
	if (!json_is_object(v)) {
		sch_problem(d, p, "must be an object");
		return NULL;
	}
	return v;
}

void sch_get_string(json_t *parent, const char *key, const char *path, char *out, size_t size, bool required,
		       struct scheme_diag *d)
{
	json_t *v = json_object_get(parent, key);
	char p[128];

	sch_path_join(p, sizeof p, path, key);
	out[0] = '\0';
	if (!v || json_is_null(v)) {
		if (required)
			sch_problem(d, p, "required string is missing");
		return;
	}
	if (!json_is_string(v)) {
		sch_problem(d, p, "must be a string");
		return;
	}
	if (json_string_length(v) == 0 && required) {
		sch_problem(d, p, "must not be empty");
		return;
	}
	if (json_string_length(v) >= size) {
		sch_problem(d, p, "too long (at most %zu bytes)", size - 1);
		return;
	}
	str_copy(out, json_string_value(v), size);
}

int sch_get_int(json_t *parent, const char *key, const char *path, int min, int max, int def, bool required,
		   struct scheme_diag *d)
{
	json_t *v = json_object_get(parent, key);
	char p[128];
	json_int_t i;

	sch_path_join(p, sizeof p, path, key);
	if (!v) {
		if (required)
			sch_problem(d, p, "required integer is missing");
		return def;
	}
	if (!json_is_integer(v)) {
		sch_problem(d, p, "must be an integer");
		return def;
	}
	i = json_integer_value(v);
	if (i < min || i > max) {
		sch_problem(d, p, "must be between %d and %d (is %lld)", min, max, (long long)i);
		return def;
	}
	return (int)i;
}

int32_t sch_get_date(json_t *parent, const char *key, const char *path, bool required, struct scheme_diag *d)
{
	json_t *v = json_object_get(parent, key);
	char p[128];
	int32_t day;

	sch_path_join(p, sizeof p, path, key);
	if (!v || json_is_null(v)) {
		if (required)
			sch_problem(d, p, "required date is missing");
		return 0;
	}
	if (!json_is_string(v) || !date_parse(json_string_value(v), &day)) {
		sch_problem(d, p, "must be a date 'YYYY-MM-DD'");
		return 0;
	}
	return day;
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

int32_t *sch_get_dates(json_t *parent, const char *key, const char *path, int *count, struct scheme_diag *d)
{
	json_t *arr = json_object_get(parent, key), *v;
	int32_t *days = NULL;
	size_t i;
	char p[128];

	*count = 0;
	sch_path_join(p, sizeof p, path, key);
	if (!arr)
		return NULL;
	if (!json_is_array(arr)) {
		sch_problem(d, p, "must be an array of dates");
		return NULL;
	}
	days = xcalloc(json_array_size(arr) + 1, sizeof *days);
	json_array_foreach(arr, i, v) {
		char ip[128];
		int32_t day;
		snprintf(ip, sizeof ip, "%s[%zu]", p, i);
		if (!json_is_string(v) || !date_parse(json_string_value(v), &day)) {
			sch_problem(d, ip, "must be a date 'YYYY-MM-DD'");
			continue;
		}
		days[(*count)++] = day;
	}
	qsort(days, (size_t)*count, sizeof *days, cmp_day);
	for (int k = 1; k < *count; k++)
		if (days[k] == days[k - 1]) {
			char ds[DATE_STR];
			date_format(days[k], ds);
			sch_problem(d, p, "date %s is listed twice", ds);
		}
	return days;
}

static void parse_levels(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"level", "name", "qualifies", NULL};
	json_t *arr = json_object_get(doc, "levels"), *v;
	size_t i;
	int qualifying = 0;

	if (!arr) {
		sch_problem(d, "$.levels", "required array is missing");
		return;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 32) {
		sch_problem(d, "$.levels", "must be an array of 1 to 32 levels");
		return;
	}
	s->levels = xcalloc(json_array_size(arr), sizeof *s->levels);
	json_array_foreach(arr, i, v) {
		char p[128];
		json_t *q;
		struct scheme_level *l = &s->levels[s->n_levels];
		snprintf(p, sizeof p, "$.levels[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, p, "must be an object");
			continue;
		}
		sch_known_keys(v, p, keys, d);
		l->level = sch_get_int(v, "level", p, 0, SCHEME_MAX_LEVEL, -1, true, d);
		sch_get_string(v, "name", p, l->name, sizeof l->name, true, d);
		q = json_object_get(v, "qualifies");
		if (!json_is_boolean(q)) {
			char qp[128];
			sch_path_join(qp, sizeof qp, p, "qualifies");
			sch_problem(d, qp, q ? "must be true or false" : "required boolean is missing");
		} else {
			l->qualifies = json_is_true(q);
		}
		for (int k = 0; k < s->n_levels; k++)
			if (l->level >= 0 && s->levels[k].level == l->level) {
				char lp[128];
				sch_path_join(lp, sizeof lp, p, "level");
				sch_problem(d, lp, "level %d is defined twice", l->level);
			}
		if (l->level >= 0 && s->n_levels > 0 && l->level < s->levels[s->n_levels - 1].level) {
			char lp[128];
			sch_path_join(lp, sizeof lp, p, "level");
			sch_problem(d, lp, "levels must be listed in ascending order");
		}
		qualifying += l->qualifies;
		s->n_levels++;
	}
	if (qualifying == 0)
		sch_problem(d, "$.levels", "at least one level must qualify for benefits");
}

static void parse_periods(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"validity_months", "publication_days", "appeal_days",
					   "reapply_interval_months", "prescreen_working_days",
					   "conclusion_working_days", "renewal_window_days", NULL};
	json_t *o = sch_get_object(doc, "periods", "$", true, d);
	struct scheme_periods *p = &s->periods;

	if (!o)
		return;
	sch_known_keys(o, "$.periods", keys, d);
	p->validity_months = sch_get_int(o, "validity_months", "$.periods", 1, 120, 24, true, d);
	p->publication_days = sch_get_int(o, "publication_days", "$.periods", 0, 90, 7, true, d);
	p->appeal_days = sch_get_int(o, "appeal_days", "$.periods", 1, 365, 30, true, d);
	p->reapply_interval_months = sch_get_int(o, "reapply_interval_months", "$.periods", 0, 60, 6, true, d);
	p->prescreen_working_days = sch_get_int(o, "prescreen_working_days", "$.periods", 1, 60, 5, true, d);
	p->conclusion_working_days = sch_get_int(o, "conclusion_working_days", "$.periods", 1, 120, 30, true, d);
	p->renewal_window_days = sch_get_int(o, "renewal_window_days", "$.periods", 0, 365, 30, true, d);
}

static void parse_calendar(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"holidays", "workdays", "note", NULL};
	json_t *o = sch_get_object(doc, "calendar", "$", false, d);

	if (!o)
		return;
	sch_known_keys(o, "$.calendar", keys, d);
	s->holidays = sch_get_dates(o, "holidays", "$.calendar", &s->n_holidays, d);
	s->workdays = sch_get_dates(o, "workdays", "$.calendar", &s->n_workdays, d);
	for (int i = 0; i < s->n_workdays; i++) {
		int wd = date_weekday(s->workdays[i]);
		if (wd <= 5) {
			char ds[DATE_STR];
			date_format(s->workdays[i], ds);
			sch_problem(d, "$.calendar.workdays", "%s is a weekday already; list only weekend days worked", ds);
		}
	}
	for (int i = 0; i < s->n_workdays; i++)
		for (int k = 0; k < s->n_holidays; k++)
			if (s->workdays[i] == s->holidays[k]) {
				char ds[DATE_STR];
				date_format(s->workdays[i], ds);
				sch_problem(d, "$.calendar.workdays", "%s is listed as a holiday and as a working day", ds);
			}
	s->cal.holidays = s->holidays;
	s->cal.n_holidays = s->n_holidays;
	s->cal.workdays = s->workdays;
	s->cal.n_workdays = s->n_workdays;
}

static const char *const payer_names[PAYER_COUNT] = {"personal_account", "pooled_fund", "individual", "finance"};
static const char *const payer_labels[PAYER_COUNT] = {"个人账户划转", "统筹基金划转", "个人缴费", "财政补助"};
static const char *const category_names[SCHEME_CATEGORIES] = {"employee", "resident"};

const char *payer_name(enum payer p)
{
	return (unsigned)p < PAYER_COUNT ? payer_names[p] : "unknown";
}

const char *payer_label(enum payer p)
{
	return (unsigned)p < PAYER_COUNT ? payer_labels[p] : "未知";
}

int payer_parse(const char *name)
{
	for (int i = 0; name && i < PAYER_COUNT; i++)
		if (strcmp(payer_names[i], name) == 0)
			return i;
	return -1;
}

int category_parse(const char *name)
{
	for (int i = 0; name && i < SCHEME_CATEGORIES; i++)
		if (strcmp(category_names[i], name) == 0)
			return i;
	return -1;
}

const char *category_name(int category)
{
	return category >= 0 && category < SCHEME_CATEGORIES ? category_names[category] : "unknown";
}

/* $.sharing.scales: how certified levels read on other departments' scales (多评合一). */
static void parse_sharing(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"scales", "note", NULL};
	static const char *const scale_keys[] = {"key", "name", "map", "note", NULL};
	json_t *o = sch_get_object(doc, "sharing", "$", false, d), *scales, *v, *m;
	const char *lv;
	size_t i;

	if (!o)
		return;
	sch_known_keys(o, "$.sharing", keys, d);
	scales = json_object_get(o, "scales");
	if (!json_is_array(scales)) {
		sch_problem(d, "$.sharing.scales", "must be an array of {key, name, map}");
		return;
	}
	json_array_foreach(scales, i, v) {
		char p[64], key[32], name[64];
		snprintf(p, sizeof p, "$.sharing.scales[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, p, "must be an object");
			continue;
		}
		sch_known_keys(v, p, scale_keys, d);
		sch_get_string(v, "key", p, key, sizeof key, true, d);
		sch_get_string(v, "name", p, name, sizeof name, true, d);
		json_object_foreach(json_object_get(v, "map"), lv, m) {
			int64_t level;
			if (!str_to_i64(lv, &level) || !scheme_level(s, (int)level) || !json_is_string(m)) {
				char mp[96];
				snprintf(mp, sizeof mp, "%s.map.%s", p, lv);
				sch_problem(d, mp, "keys must be levels of $.levels and values the department's grade names");
			}
		}
		if (!json_is_object(json_object_get(v, "map"))) {
			char mp[80];
			snprintf(mp, sizeof mp, "%s.map", p);
			sch_problem(d, mp, "must be an object level -> grade name");
		}
	}
}

static void parse_contributions(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"annual_fen", "categories", "subsidies", "note", NULL};
	static const char *const share_keys[] = {"payer", "fen", NULL};
	static const char *const subsidy_keys[] = {"flag", "category", "from", "to", NULL};
	struct scheme_contributions *c = &s->contributions;
	json_t *o = sch_get_object(doc, "contributions", "$", false, d), *cats, *subs, *v;
	const char *cat;
	size_t i;
	char p[128];

	if (!o)
		return;
	c->defined = true;
	sch_known_keys(o, "$.contributions", keys, d);
	c->annual_fen = sch_get_int(o, "annual_fen", "$.contributions", 1, 100000000, 0, true, d);
	cats = sch_get_object(o, "categories", "$.contributions", true, d);
	if (cats) {
		json_object_foreach(cats, cat, v) {
			int ci = category_parse(cat);
			int64_t sum = 0;
			json_t *sh;
			snprintf(p, sizeof p, "$.contributions.categories.%s", cat);
			if (ci < 0) {
				sch_problem(d, p, "unknown insurance category (employee or resident)");
				continue;
			}
			if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > PAYER_COUNT) {
				sch_problem(d, p, "must be an array of 1 to %d shares", PAYER_COUNT);
				continue;
			}
			json_array_foreach(v, i, sh) {
				char sp[160];
				char payer[32];
				int pi;
				snprintf(sp, sizeof sp, "%s[%zu]", p, i);
				if (!json_is_object(sh)) {
					sch_problem(d, sp, "must be an object {payer, fen}");
					continue;
				}
				sch_known_keys(sh, sp, share_keys, d);
				sch_get_string(sh, "payer", sp, payer, sizeof payer, true, d);
				pi = payer_parse(payer);
				if (payer[0] && pi < 0) {
					char pp[170];
					sch_path_join(pp, sizeof pp, sp, "payer");
					sch_problem(d, pp, "unknown payer (personal_account, pooled_fund, individual, finance)");
					continue;
				}
				for (int k = 0; k < c->n_shares[ci]; k++)
					if ((int)c->shares[ci][k].payer == pi) {
						sch_problem(d, sp, "payer %s is listed twice", payer);
						pi = -1;
					}
				if (pi < 0)
					continue;
				c->shares[ci][c->n_shares[ci]].payer = (enum payer)pi;
				c->shares[ci][c->n_shares[ci]].fen = sch_get_int(sh, "fen", sp, 0, 100000000, 0, true, d);
				sum += c->shares[ci][c->n_shares[ci]].fen;
				c->n_shares[ci]++;
			}
			if (c->annual_fen && sum != c->annual_fen)
				sch_problem(d, p, "shares add up to %lld fen, not annual_fen %lld", (long long)sum,
					(long long)c->annual_fen);
		}
	}
	subs = json_object_get(o, "subsidies");
	if (subs && !json_is_array(subs)) {
		sch_problem(d, "$.contributions.subsidies", "must be an array");
		subs = NULL;
	}
	json_array_foreach(subs, i, v) {
		char sp[128], flag[32], category[32], from[32], to[32];
		struct scheme_subsidy *sub;
		snprintf(sp, sizeof sp, "$.contributions.subsidies[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, sp, "must be an object");
			continue;
		}
		if (c->n_subsidies >= SCHEME_MAX_SUBSIDIES) {
			sch_problem(d, sp, "at most %d subsidies", SCHEME_MAX_SUBSIDIES);
			break;
		}
		sch_known_keys(v, sp, subsidy_keys, d);
		sch_get_string(v, "flag", sp, flag, sizeof flag, true, d);
		sch_get_string(v, "category", sp, category, sizeof category, true, d);
		sch_get_string(v, "from", sp, from, sizeof from, true, d);
		sch_get_string(v, "to", sp, to, sizeof to, true, d);
		sub = &c->subsidies[c->n_subsidies];
		sub->flag = strcmp(flag, "assistance") == 0 ? 0 : strcmp(flag, "sponsored") == 0 ? 1 : -1;
		sub->category = category_parse(category);
		if (flag[0] && sub->flag < 0)
			sch_problem(d, sp, "flag must be 'assistance' or 'sponsored'");
		if (category[0] && sub->category < 0)
			sch_problem(d, sp, "category must be 'employee' or 'resident'");
		if ((from[0] && payer_parse(from) < 0) || (to[0] && payer_parse(to) < 0) ||
		    (from[0] && strcmp(from, to) == 0))
			sch_problem(d, sp, "from and to must be two different payers");
		if (sub->flag < 0 || sub->category < 0 || payer_parse(from) < 0 || payer_parse(to) < 0 ||
		    strcmp(from, to) == 0)
			continue;
		sub->from = (enum payer)payer_parse(from);
		sub->to = (enum payer)payer_parse(to);
		c->n_subsidies++;
	}
	for (int ci = 0; ci < SCHEME_CATEGORIES; ci++)
		if (cats && !c->n_shares[ci] && !json_object_get(cats, category_names[ci]))
			sch_problem(d, "$.contributions.categories", "no shares for category %s", category_names[ci]);
}

int scheme_from_json(json_t *doc, struct scheme **out, struct scheme_diag *diag)
{
	static const char *const top[] = {"format", "id", "name", "version", "region", "effective_from",
					  "effective_until", "sources", "note", "assessment", "levels",
					  "eligibility", "periods", "calendar", "contributions", "sharing", "care", "visits",
					  "settlement", NULL};
	static const char *const region_keys[] = {"name", "code", NULL};
	static const char *const assess_keys[] = {"standard", "instrument", "note", "grades", "dimensions", "items",
						  "combination", "self_assessment", "quality", NULL};
	static const char *const elig_keys[] = {"min_age", "disability_min_months", "waiting_months", NULL};
	struct scheme *s = xcalloc(1, sizeof *s);
	char format[32], standard[32];
	json_t *o;

	memset(diag, 0, sizeof *diag);
	*out = NULL;
	if (!json_is_object(doc)) {
		sch_problem(diag, "$", "a scheme must be a JSON object");
		scheme_free(s);
		return ERR_INVALID;
	}
	sch_known_keys(doc, "$", top, diag);
	sch_get_string(doc, "format", "$", format, sizeof format, true, diag);
	if (format[0] && strcmp(format, SCHEME_FORMAT) != 0)
		sch_problem(diag, "$.format", "unsupported format '%s' (expected '%s')", format, SCHEME_FORMAT);
	sch_get_string(doc, "id", "$", s->id, sizeof s->id, true, diag);
	for (const char *c = s->id; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')) {
			sch_problem(diag, "$.id", "use lower-case letters, digits, '-' and '_' only");
			break;
		}
	sch_get_string(doc, "name", "$", s->name, sizeof s->name, true, diag);
	sch_get_string(doc, "version", "$", s->version, sizeof s->version, true, diag);
	o = sch_get_object(doc, "region", "$", true, diag);
	if (o) {
		sch_known_keys(o, "$.region", region_keys, diag);
		sch_get_string(o, "name", "$.region", s->region_name, sizeof s->region_name, true, diag);
		sch_get_string(o, "code", "$.region", s->region_code, sizeof s->region_code, true, diag);
		if (s->region_code[0] && (strlen(s->region_code) != 6 || !str_is_digits(s->region_code)))
			sch_problem(diag, "$.region.code", "must be a 6-digit administrative division code");
	}
	s->effective_from = sch_get_date(doc, "effective_from", "$", true, diag);
	s->effective_until = sch_get_date(doc, "effective_until", "$", false, diag);
	if (s->effective_from && s->effective_until && s->effective_until < s->effective_from)
		sch_problem(diag, "$.effective_until", "must not be before effective_from");
	if (json_object_get(doc, "sources") && !json_is_array(json_object_get(doc, "sources")))
		sch_problem(diag, "$.sources", "must be an array");

	o = sch_get_object(doc, "assessment", "$", true, diag);
	if (o) {
		sch_known_keys(o, "$.assessment", assess_keys, diag);
		sch_get_string(o, "standard", "$.assessment", standard, sizeof standard, true, diag);
		if (strcmp(standard, "national-2021") == 0)
			s->standard = SCHEME_STD_NATIONAL_2021;
		else if (strcmp(standard, "external") == 0)
			s->standard = SCHEME_STD_EXTERNAL;
		else if (standard[0])
			sch_problem(diag, "$.assessment.standard", "must be 'national-2021' or 'external'");
		sch_get_string(o, "instrument", "$.assessment", s->instrument, sizeof s->instrument, true, diag);
	}
	parse_levels(doc, s, diag);
	if (o && s->standard)
		sch_parse_assessment(o, s, diag);
	if (s->standard == SCHEME_STD_NATIONAL_2021) {
		/* The national standard's combination table yields levels 0-5: all must be named. */
		for (int lv = 0; lv <= 5; lv++)
			if (s->levels && !scheme_level(s, lv))
				sch_problem(diag, "$.levels", "the national standard needs level %d", lv);
	}
	o = sch_get_object(doc, "eligibility", "$", true, diag);
	if (o) {
		sch_known_keys(o, "$.eligibility", elig_keys, diag);
		s->min_age = sch_get_int(o, "min_age", "$.eligibility", 0, 120, 0, true, diag);
		s->disability_min_months = sch_get_int(o, "disability_min_months", "$.eligibility", 0, 60, 0, true, diag);
		s->waiting_months = sch_get_int(o, "waiting_months", "$.eligibility", 0, 120, 0, false, diag);
	}
	parse_periods(doc, s, diag);
	parse_calendar(doc, s, diag);
	parse_contributions(doc, s, diag);
	parse_sharing(doc, s, diag);
	sch_parse_care(doc, s, diag);
	sch_parse_visits(doc, s, diag);
	sch_parse_settlement(doc, s, diag);

	if (diag->n) {
		scheme_free(s);
		return ERR_INVALID;
	}
	s->doc = json_incref(doc);
	*out = s;
	return 0;
}

int scheme_load_file(const char *path, struct scheme **out, struct scheme_diag *diag)
{
	json_error_t je;
	json_t *doc;
	FILE *f;
	long size;
	int rc;

	memset(diag, 0, sizeof *diag);
	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		sch_problem(diag, "$", "cannot open %s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > LIMIT_SCHEME_BYTES) {
		fclose(f);
		sch_problem(diag, "$", "file is larger than %d bytes", LIMIT_SCHEME_BYTES);
		return ERR_INVALID;
	}
	rewind(f);
	doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!doc) {
		sch_problem(diag, "$", "not valid JSON (line %d, column %d): %s", je.line, je.column, je.text);
		return ERR_INVALID;
	}
	rc = scheme_from_json(doc, out, diag);
	json_decref(doc);
	return rc;
}

void scheme_free(struct scheme *s)
{
	if (!s)
		return;
	sch_free_care(s);
	free(s->levels);
	free(s->holidays);
	free(s->workdays);
	json_decref(s->doc);
	free(s);
}

const struct scheme_level *scheme_level(const struct scheme *s, int level)
{
	for (int i = 0; i < s->n_levels; i++)
		if (s->levels[i].level == level)
			return &s->levels[i];
	return NULL;
}

bool scheme_in_force(const struct scheme *s, int32_t day)
{
	return day >= s->effective_from && (!s->effective_until || day <= s->effective_until);
}

const char *scheme_standard_name(enum scheme_standard std)
{
	return std == SCHEME_STD_NATIONAL_2021 ? "national-2021" : "external";
}

json_t *scheme_summary_json(const struct scheme *s)
{
	json_t *levels = json_array();
	char from[DATE_STR], until[DATE_STR];

	for (int i = 0; i < s->n_levels; i++)
		json_array_append_new(levels, json_pack("{s:i, s:s, s:b}", "level", s->levels[i].level, "name",
							s->levels[i].name, "qualifies", s->levels[i].qualifies));
	date_format(s->effective_from, from);
	if (s->effective_until)
		date_format(s->effective_until, until);
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:{s:s, s:s}, s:o, s:{s:i, s:i},"
			 " s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i}}",
			 "id", s->id, "name", s->name, "version", s->version,
			 "region", "name", s->region_name, "code", s->region_code,
			 "effective_from", from,
			 "effective_until", s->effective_until ? json_string(until) : json_null(),
			 "assessment", "standard", scheme_standard_name(s->standard), "instrument", s->instrument,
			 "levels", levels,
			 "eligibility", "min_age", s->min_age, "disability_min_months", s->disability_min_months,
			 "periods", "validity_months", s->periods.validity_months, "publication_days",
			 s->periods.publication_days, "appeal_days", s->periods.appeal_days, "reapply_interval_months",
			 s->periods.reapply_interval_months, "prescreen_working_days",
			 s->periods.prescreen_working_days, "conclusion_working_days",
			 s->periods.conclusion_working_days, "renewal_window_days", s->periods.renewal_window_days);
}
