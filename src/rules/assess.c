/* assess.c: assessment scoring, the self-assessment gate and the reproducible draw (see assess.h). */
#include "rules/assess.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"

static void problem(struct assess_result *r, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct assess_result *r, const char *item, const char *fmt, ...)
{
	va_list ap;

	if (r->n_problems >= ASSESS_MAX_PROBLEMS)
		return;
	str_copy(r->problems[r->n_problems].item, item, sizeof r->problems[0].item);
	va_start(ap, fmt);
	vsnprintf(r->problems[r->n_problems].msg, sizeof r->problems[0].msg, fmt, ap);
	va_end(ap);
	r->n_problems++;
}

int assess_grade(const struct scheme_dimension *d, int total)
{
	for (int b = 0; b < d->n_bands; b++)
		if (total >= d->bands[b].min && total <= d->bands[b].max)
			return d->bands[b].grade;
	return -1;
}

int assess_level(const struct scheme_assessment *a, const int *grades)
{
	int col = 0;

	for (int i = 0; i < a->n_col_dims; i++)
		if (grades[a->col_dims[i]] > col)
			col = grades[a->col_dims[i]];
	return a->table[grades[a->row_dim]][col];
}

/* "0/5/10": an item's allowed scores for a message (built only when one is reported: scoring is a hot path). */
static const char *allowed_scores(const struct scheme_item *it, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (int k = 0; k < it->n_scores && n < size; k++)
		n += (size_t)snprintf(out + n, size - n, "%s%d", k ? "/" : "", it->scores[k]);
	return out;
}

bool assess_score(const struct scheme_assessment *a, const json_t *items, struct assess_result *r)
{
	const char *key;
	json_t *v;

	memset(r, 0, sizeof *r);
	r->level = -1;
	if (!json_is_object(items)) {
		problem(r, "items", "items应为对象（评估项目 -> 分值）");
		return false;
	}
	json_object_foreach((json_t *)items, key, v) {
		bool known = false;
		for (int i = 0; i < a->n_items; i++)
			if (strcmp(a->items[i].key, key) == 0)
				known = true;
		if (!known) {
			char safe[32];
			str_sanitize(key, safe, sizeof safe);
			problem(r, safe, "未知的评估项目%s", safe);
		}
	}
	for (int i = 0; i < a->n_items; i++) {
		const struct scheme_item *it = &a->items[i];
		json_t *x = json_object_get(items, it->key);
		char allowed[64];
		bool ok = false;
		if (!x) {
			problem(r, it->key, "缺少评估项目%s（%s），可选分值：%s", it->key, it->name,
				allowed_scores(it, allowed, sizeof allowed));
			continue;
		}
		if (json_is_integer(x))
			for (int k = 0; k < it->n_scores; k++)
				if (json_integer_value(x) == it->scores[k])
					ok = true;
		if (!ok) {
			problem(r, it->key, "%s（%s）的分值只能是%s", it->key, it->name,
				allowed_scores(it, allowed, sizeof allowed));
			continue;
		}
		r->totals[it->dim] += (int)json_integer_value(x);
	}
	if (r->n_problems)
		return false;
	for (int d = 0; d < a->n_dims; d++)
		r->grades[d] = assess_grade(&a->dims[d], r->totals[d]);
	r->level = assess_level(a, r->grades);
	return true;
}

json_t *assess_result_json(const struct scheme *s, const struct assess_result *r)
{
	const struct scheme_assessment *a = &s->assess;
	const struct scheme_level *lv = scheme_level(s, r->level);
	json_t *out = json_object();

	for (int d = 0; d < a->n_dims; d++)
		json_object_set_new(out, a->dims[d].key,
				    json_pack("{s:i, s:i, s:s}", "total", r->totals[d], "grade", r->grades[d], "grade_name",
					      r->grades[d] >= 0 && r->grades[d] < a->n_grades ? a->grade_names[r->grades[d]]
											      : ""));
	json_object_set_new(out, "level", json_integer(r->level));
	json_object_set_new(out, "level_name", json_string(lv ? lv->name : ""));
	json_object_set_new(out, "qualifies", json_boolean(lv && lv->qualifies));
	return out;
}

char assess_gate(const struct scheme_assessment *a, const json_t *answers, char *msg, size_t size)
{
	int count[2] = {0, 0};
	const char *key;
	json_t *v;

	if (!a->has_gate) {
		snprintf(msg, size, "保障方案没有自评规则");
		return 0;
	}
	if (!json_is_object(answers)) {
		snprintf(msg, size, "自评表应为对象（项目 -> independent/partial/dependent）");
		return 0;
	}
	json_object_foreach((json_t *)answers, key, v) {
		bool known = false;
		for (int i = 0; i < a->n_gate_items; i++)
			if (strcmp(a->gate_items[i].key, key) == 0)
				known = true;
		if (!known) {
			char safe[32];
			str_sanitize(key, safe, sizeof safe);
			snprintf(msg, size, "自评表中有未知项目%s", safe);
			return 0;
		}
	}
	for (int i = 0; i < a->n_gate_items; i++) {
		const char *ans = json_string_value(json_object_get(answers, a->gate_items[i].key));
		if (!ans || (strcmp(ans, "independent") && strcmp(ans, "partial") && strcmp(ans, "dependent"))) {
			snprintf(msg, size, "自评项目%s（%s）应为independent（独立）、partial（部分独立）或dependent（依赖）",
				 a->gate_items[i].key, a->gate_items[i].name);
			return 0;
		}
		if (strcmp(ans, "dependent") == 0)
			count[a->gate_items[i].cls]++;
	}
	return a->gate_table[count[0]][count[1]];
}

bool assess_gate_proceeds(const struct scheme_assessment *a, char letter)
{
	return letter && strchr(a->gate_proceed, letter) != NULL;
}

/* splitmix64: small, well distributed, and easy to re-implement to check a draw by hand or in another language. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

bool assess_draw(uint64_t seed, const int64_t *experts, int n_experts, const int64_t *assessors, int n_assessors,
		 int64_t *expert, int64_t *assessor)
{
	uint64_t state = seed;

	if (n_experts <= 0 || n_assessors <= 0)
		return false;
	/* first number picks the expert, second the assessor; modulo bias is below 2^-40 for pools under 2^24 */
	*expert = experts[splitmix64(&state) % (uint64_t)n_experts];
	*assessor = assessors[splitmix64(&state) % (uint64_t)n_assessors];
	return true;
}
