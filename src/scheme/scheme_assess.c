/* scheme_assess.c: the assessment section of a scheme: the standard's items and allowed scores, dimensions with
 * their grade bands, the combination table, the self-assessment gate and the quality-review thresholds. Bands are
 * checked against every total the items can actually produce, so a gap or an overlap is caught at load time. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "scheme/scheme_impl.h"

static int find_dim(const struct scheme_assessment *a, const char *key)
{
	for (int i = 0; i < a->n_dims; i++)
		if (strcmp(a->dims[i].key, key) == 0)
			return i;
	return -1;
}

static void parse_dimensions(json_t *arr, struct scheme_assessment *a, struct scheme_diag *d)
{
	static const char *const keys[] = {"key", "name", "max", "bands", NULL};
	static const char *const band_keys[] = {"grade", "min", "max", NULL};
	json_t *v, *b;
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SCHEME_MAX_DIMS) {
		sch_problem(d, "$.assessment.dimensions", "must be an array of 1 to %d dimensions", SCHEME_MAX_DIMS);
		return;
	}
	json_array_foreach(arr, i, v) {
		struct scheme_dimension *dim = &a->dims[a->n_dims];
		char p[128];
		snprintf(p, sizeof p, "$.assessment.dimensions[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, p, "must be an object");
			continue;
		}
		sch_known_keys(v, p, keys, d);
		sch_get_string(v, "key", p, dim->key, sizeof dim->key, true, d);
		sch_get_string(v, "name", p, dim->name, sizeof dim->name, true, d);
		dim->max = sch_get_int(v, "max", p, 1, 10000, 0, false, d);
		if (dim->key[0] && find_dim(a, dim->key) >= 0)
			sch_problem(d, p, "dimension '%s' is defined twice", dim->key);
		b = json_object_get(v, "bands");
		if (!json_is_array(b) || json_array_size(b) == 0 || json_array_size(b) > SCHEME_MAX_GRADES) {
			char bp[140];
			sch_path_join(bp, sizeof bp, p, "bands");
			sch_problem(d, bp, "must be an array of 1 to %d bands", SCHEME_MAX_GRADES);
		} else {
			json_t *bv;
			json_array_foreach(b, k, bv) {
				char bp[160];
				struct scheme_band *band = &dim->bands[dim->n_bands];
				snprintf(bp, sizeof bp, "%s.bands[%zu]", p, k);
				if (!json_is_object(bv)) {
					sch_problem(d, bp, "must be an object {grade, min, max}");
					continue;
				}
				sch_known_keys(bv, bp, band_keys, d);
				band->grade = sch_get_int(bv, "grade", bp, 0, SCHEME_MAX_GRADES - 1, 0, true, d);
				band->min = sch_get_int(bv, "min", bp, 0, 10000, 0, true, d);
				band->max = sch_get_int(bv, "max", bp, 0, 10000, 0, true, d);
				if (band->min > band->max)
					sch_problem(d, bp, "min is above max");
				for (int g = 0; g < dim->n_bands; g++)
					if (dim->bands[g].grade == band->grade)
						sch_problem(d, bp, "grade %d has two bands", band->grade);
				dim->n_bands++;
			}
		}
		a->n_dims++;
	}
}

static void parse_items(json_t *arr, struct scheme_assessment *a, struct scheme_diag *d)
{
	static const char *const keys[] = {"key", "name", "dimension", "scores", "hints", NULL};
	json_t *v, *sc;
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SCHEME_MAX_ITEMS) {
		sch_problem(d, "$.assessment.items", "must be an array of 1 to %d items", SCHEME_MAX_ITEMS);
		return;
	}
	json_array_foreach(arr, i, v) {
		struct scheme_item *it = &a->items[a->n_items];
		char p[128], dim[32];
		snprintf(p, sizeof p, "$.assessment.items[%zu]", i);
		if (!json_is_object(v)) {
			sch_problem(d, p, "must be an object");
			continue;
		}
		sch_known_keys(v, p, keys, d);
		sch_get_string(v, "key", p, it->key, sizeof it->key, true, d);
		sch_get_string(v, "name", p, it->name, sizeof it->name, true, d);
		sch_get_string(v, "dimension", p, dim, sizeof dim, true, d);
		for (int k2 = 0; k2 < a->n_items; k2++)
			if (it->key[0] && strcmp(a->items[k2].key, it->key) == 0)
				sch_problem(d, p, "item '%s' is defined twice", it->key);
		it->dim = find_dim(a, dim);
		if (dim[0] && it->dim < 0) {
			char dp[140];
			sch_path_join(dp, sizeof dp, p, "dimension");
			sch_problem(d, dp, "no dimension '%s'", dim);
		}
		sc = json_object_get(v, "scores");
		if (!json_is_array(sc) || json_array_size(sc) < 2 || json_array_size(sc) > SCHEME_MAX_SCORES) {
			char sp[140];
			sch_path_join(sp, sizeof sp, p, "scores");
			sch_problem(d, sp, "must be an array of 2 to %d allowed scores", SCHEME_MAX_SCORES);
		} else {
			json_t *x;
			json_array_foreach(sc, k, x) {
				char sp[160];
				snprintf(sp, sizeof sp, "%s.scores[%zu]", p, k);
				if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 1000) {
					sch_problem(d, sp, "must be an integer from 0 to 1000");
					continue;
				}
				if (it->n_scores && json_integer_value(x) <= it->scores[it->n_scores - 1]) {
					sch_problem(d, sp, "scores must be listed in ascending order without repeats");
					continue;
				}
				it->scores[it->n_scores++] = (int)json_integer_value(x);
			}
		}
		if (json_object_get(v, "hints")) {
			/* one hint per listed score (not per accepted one: a bad score is reported once, above) */
			json_t *h = json_object_get(v, "hints");
			char hp[140];
			sch_path_join(hp, sizeof hp, p, "hints");
			if (!json_is_array(h) || (json_is_array(sc) && json_array_size(h) != json_array_size(sc)))
				sch_problem(d, hp, "must be an array with one description per allowed score");
		}
		a->n_items++;
	}
}

/* Every total a dimension's items can produce (subset sums of one score per item), as a bitmap. */
static void reachable(const struct scheme_assessment *a, int dim, unsigned char *can, int max)
{
	unsigned char next[10001];

	memset(can, 0, (size_t)max + 1);
	can[0] = 1;
	for (int i = 0; i < a->n_items; i++) {
		if (a->items[i].dim != dim)
			continue;
		memset(next, 0, (size_t)max + 1);
		for (int t = 0; t <= max; t++)
			if (can[t])
				for (int k = 0; k < a->items[i].n_scores; k++)
					if (t + a->items[i].scores[k] <= max)
						next[t + a->items[i].scores[k]] = 1;
		memcpy(can, next, (size_t)max + 1);
	}
}

static void check_bands(struct scheme_assessment *a, struct scheme_diag *d)
{
	static unsigned char can[10001];

	if (a->n_items == 0)
		return; /* $.assessment.items has its own problem: no "no item belongs to" for every dimension */
	for (int di = 0; di < a->n_dims; di++) {
		struct scheme_dimension *dim = &a->dims[di];
		char p[128];
		int sum = 0;
		snprintf(p, sizeof p, "$.assessment.dimensions[%d]", di);
		for (int i = 0; i < a->n_items; i++)
			if (a->items[i].dim == di && a->items[i].n_scores)
				sum += a->items[i].scores[a->items[i].n_scores - 1];
		if (sum == 0) {
			sch_problem(d, p, "no item belongs to dimension '%s'", dim->key);
			continue;
		}
		if (dim->max && dim->max != sum)
			sch_problem(d, p, "max is %d but the items add up to %d", dim->max, sum);
		dim->max = sum;
		if (sum > 10000)
			continue;
		reachable(a, di, can, sum);
		for (int t = 0; t <= sum; t++) {
			int hits = 0;
			if (!can[t])
				continue;
			for (int b = 0; b < dim->n_bands; b++)
				if (t >= dim->bands[b].min && t <= dim->bands[b].max)
					hits++;
			if (hits != 1) {
				char bp[140];
				sch_path_join(bp, sizeof bp, p, "bands");
				sch_problem(d, bp, "a total of %d falls in %d bands (must be exactly one)", t, hits);
				break;
			}
		}
		for (int b = 0; b < dim->n_bands; b++)
			if (dim->bands[b].grade >= a->n_grades && a->n_grades) {
				char bp[140];
				snprintf(bp, sizeof bp, "%s.bands[%d].grade", p, b);
				sch_problem(d, bp, "no grade %d in $.assessment.grades", dim->bands[b].grade);
			}
	}
}

static void parse_combination(json_t *o, struct scheme_assessment *a, const struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"row", "columns", "column_rule", "table", NULL};
	const char *p = "$.assessment.combination";
	char row[32], rule[16];
	json_t *cols, *table, *r, *c;
	size_t i, k;

	sch_known_keys(o, p, keys, d);
	sch_get_string(o, "row", p, row, sizeof row, true, d);
	a->row_dim = find_dim(a, row);
	if (row[0] && a->row_dim < 0)
		sch_problem(d, "$.assessment.combination.row", "no dimension '%s'", row);
	sch_get_string(o, "column_rule", p, rule, sizeof rule, true, d);
	if (rule[0] && strcmp(rule, "worst") != 0)
		sch_problem(d, "$.assessment.combination.column_rule", "only 'worst' (the worse grade) is supported");
	cols = json_object_get(o, "columns");
	if (!json_is_array(cols) || json_array_size(cols) == 0) {
		sch_problem(d, "$.assessment.combination.columns", "must be an array of dimension keys");
	} else {
		json_array_foreach(cols, i, c) {
			int di = json_is_string(c) ? find_dim(a, json_string_value(c)) : -1;
			if (di < 0 || di == a->row_dim || a->n_col_dims >= SCHEME_MAX_DIMS) {
				char cp[80];
				snprintf(cp, sizeof cp, "$.assessment.combination.columns[%zu]", i);
				sch_problem(d, cp, "must name another dimension");
				continue;
			}
			a->col_dims[a->n_col_dims++] = di;
		}
	}
	table = json_object_get(o, "table");
	if (!json_is_array(table) || (int)json_array_size(table) != a->n_grades) {
		sch_problem(d, "$.assessment.combination.table", "must have one row per grade (%d)", a->n_grades);
		return;
	}
	json_array_foreach(table, i, r) {
		char rp[80];
		snprintf(rp, sizeof rp, "$.assessment.combination.table[%zu]", i);
		if (!json_is_array(r) || (int)json_array_size(r) != a->n_grades) {
			sch_problem(d, rp, "must have one cell per grade (%d)", a->n_grades);
			continue;
		}
		json_array_foreach(r, k, c) {
			char cp[96];
			snprintf(cp, sizeof cp, "%s[%zu]", rp, k);
			/* with no level parsed, $.levels has its own problem already: do not repeat it per cell */
			if (!json_is_integer(c) || (s->n_levels && !scheme_level(s, (int)json_integer_value(c)))) {
				sch_problem(d, cp, "must be a level defined in $.levels");
				continue;
			}
			a->table[i][k] = (int)json_integer_value(c);
		}
	}
}

static void parse_gate(json_t *o, struct scheme_assessment *a, struct scheme_diag *d)
{
	static const char *const keys[] = {"items", "table", "proceed", "note", NULL};
	static const char *const item_keys[] = {"key", "name", "class", NULL};
	const char *p = "$.assessment.self_assessment";
	json_t *items = json_object_get(o, "items"), *table = json_object_get(o, "table"), *v, *r, *c;
	char proceed[16];
	size_t i, k;

	sch_known_keys(o, p, keys, d);
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > SCHEME_MAX_GATE_ITEMS) {
		sch_problem(d, "$.assessment.self_assessment.items", "must be an array of 1 to %d items",
			    SCHEME_MAX_GATE_ITEMS);
		return;
	}
	json_array_foreach(items, i, v) {
		struct scheme_gate_item *g = &a->gate_items[a->n_gate_items];
		char ip[96], cls[8];
		snprintf(ip, sizeof ip, "%s.items[%zu]", p, i);
		if (!json_is_object(v)) {
			sch_problem(d, ip, "must be an object {key, name, class}");
			continue;
		}
		sch_known_keys(v, ip, item_keys, d);
		sch_get_string(v, "key", ip, g->key, sizeof g->key, true, d);
		sch_get_string(v, "name", ip, g->name, sizeof g->name, true, d);
		sch_get_string(v, "class", ip, cls, sizeof cls, true, d);
		if (strcmp(cls, "a") != 0 && strcmp(cls, "b") != 0) {
			sch_problem(d, ip, "class must be 'a' or 'b'");
			continue;
		}
		g->cls = cls[0] == 'b';
		a->gate_count[g->cls]++;
		a->n_gate_items++;
	}
	if (!json_is_array(table) || (int)json_array_size(table) != a->gate_count[0] + 1) {
		sch_problem(d, "$.assessment.self_assessment.table",
			    "must have a row for each count of dependent class-a items (0 to %d)", a->gate_count[0]);
		return;
	}
	json_array_foreach(table, i, r) {
		char rp[80];
		snprintf(rp, sizeof rp, "%s.table[%zu]", p, i);
		if (!json_is_array(r) || (int)json_array_size(r) != a->gate_count[1] + 1) {
			sch_problem(d, rp, "must have a cell for each count of dependent class-b items (0 to %d)",
				    a->gate_count[1]);
			continue;
		}
		json_array_foreach(r, k, c) {
			const char *letter = json_string_value(c);
			if (!letter || strlen(letter) != 1 || letter[0] < 'A' || letter[0] > 'Z') {
				char cp[96];
				snprintf(cp, sizeof cp, "%s[%zu]", rp, k);
				sch_problem(d, cp, "must be a capital letter");
				continue;
			}
			a->gate_table[i][k] = letter[0];
		}
	}
	sch_get_string(o, "proceed", p, proceed, sizeof proceed, true, d);
	for (const char *x = proceed; *x; x++)
		if (*x < 'A' || *x > 'Z') {
			sch_problem(d, "$.assessment.self_assessment.proceed", "must be capital letters, e.g. \"EFG\"");
			break; /* once, not once per letter */
		}
	str_copy(a->gate_proceed, proceed, sizeof a->gate_proceed);
	a->has_gate = true;
}

static void parse_quality(json_t *o, struct scheme_assessment *a, struct scheme_diag *d)
{
	static const char *const keys[] = {"min_visit_minutes", "gps_max_m", "level_jump", "outlier_min_assessments",
					   "outlier_z_x100", "workload_cap", "valid_from", "note", NULL};
	const char *p = "$.assessment.quality";
	char from[16];

	sch_known_keys(o, p, keys, d);
	a->min_visit_minutes = sch_get_int(o, "min_visit_minutes", p, 1, 600, 30, true, d);
	a->gps_max_m = sch_get_int(o, "gps_max_m", p, 10, 100000, 500, true, d);
	a->level_jump = sch_get_int(o, "level_jump", p, 1, 10, 2, true, d);
	a->outlier_min_assessments = sch_get_int(o, "outlier_min_assessments", p, 2, 10000, 10, true, d);
	a->outlier_z_x100 = sch_get_int(o, "outlier_z_x100", p, 50, 1000, 200, true, d);
	a->workload_cap = sch_get_int(o, "workload_cap", p, 1, 1000, 10, true, d);
	sch_get_string(o, "valid_from", p, from, sizeof from, true, d);
	if (from[0] && strcmp(from, "next_month") != 0 && strcmp(from, "conclusion") != 0)
		sch_problem(d, "$.assessment.quality.valid_from", "must be 'next_month' or 'conclusion'");
	str_copy(a->valid_from, from, sizeof a->valid_from);
}

void sch_parse_assessment(json_t *o, struct scheme *s, struct scheme_diag *d)
{
	struct scheme_assessment *a = &s->assess;
	json_t *grades = json_object_get(o, "grades"), *v, *q;
	size_t i;

	q = sch_get_object(o, "quality", "$.assessment", true, d);
	if (q)
		parse_quality(q, a, d);
	if (s->standard != SCHEME_STD_NATIONAL_2021) {
		/* an external instrument: only the quality thresholds (and an optional gate) apply */
		if (json_object_get(o, "self_assessment"))
			parse_gate(json_object_get(o, "self_assessment"), a, d);
		return;
	}
	if (!json_is_array(grades) || json_array_size(grades) == 0 || json_array_size(grades) > SCHEME_MAX_GRADES) {
		sch_problem(d, "$.assessment.grades", "must be an array of 1 to %d grade names", SCHEME_MAX_GRADES);
	} else {
		json_array_foreach(grades, i, v) {
			if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= 32) {
				char gp[64];
				snprintf(gp, sizeof gp, "$.assessment.grades[%zu]", i);
				sch_problem(d, gp, "must be a grade name");
				continue;
			}
			str_copy(a->grade_names[a->n_grades++], json_string_value(v), sizeof a->grade_names[0]);
		}
	}
	if (!json_object_get(o, "dimensions"))
		sch_problem(d, "$.assessment.dimensions", "required for the national standard");
	else
		parse_dimensions(json_object_get(o, "dimensions"), a, d);
	if (!json_object_get(o, "items"))
		sch_problem(d, "$.assessment.items", "required for the national standard");
	else
		parse_items(json_object_get(o, "items"), a, d);
	check_bands(a, d);
	/* a missing combination table must not hide the gate's problems: every problem in one run */
	if (sch_get_object(o, "combination", "$.assessment", true, d))
		parse_combination(json_object_get(o, "combination"), a, s, d);
	if (json_object_get(o, "self_assessment"))
		parse_gate(json_object_get(o, "self_assessment"), a, d);
	else
		sch_problem(d, "$.assessment.self_assessment", "required for the national standard (the A-G gate)");
}

json_t *scheme_form_json(const struct scheme *s)
{
	json_t *o = json_object_get(s->doc, "assessment"), *out;

	if (!o)
		return json_null();
	out = json_deep_copy(o);
	json_object_set_new(out, "standard", json_string(scheme_standard_name(s->standard)));
	return out;
}
