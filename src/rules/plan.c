/* plan.c: the care-plan check (see plan.h and docs/SCHEMES.md, "Care plans"). Order of the problems: the mode and
 * entitlement, then each item, then the visits, the weekly and per-visit minutes, and the family caregiver. */
#include "rules/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"

static void add(struct plan_result *r, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(struct plan_result *r, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (r->n_problems >= PLAN_MAX_PROBLEMS) {
		r->dropped++;
		return;
	}
	str_copy(r->problems[r->n_problems].field, field, sizeof r->problems[0].field);
	va_start(ap, fmt);
	vsnprintf(r->problems[r->n_problems].msg, sizeof r->problems[0].msg, fmt, ap);
	va_end(ap);
	r->n_problems++;
}

/* A client's code is echoed in a message only when it is short printable ASCII (messages go into JSON). */
static bool printable_code(const char *c)
{
	size_t n = 0;

	for (; c && *c; c++, n++)
		if (*c <= ' ' || *c > '~' || n >= 16)
			return false;
	return c && n > 0;
}

static void check_item(const struct scheme *s, const struct plan_in *in, int i, bool visit_mode,
		       struct plan_result *r)
{
	const struct plan_item_in *it = &in->items[i];
	const struct scheme_service_item *si = NULL;
	char f[48], label[128];

	snprintf(f, sizeof f, "items[%d].code", i);
	if (!it->code || !it->code[0]) {
		add(r, f, "缺少服务项目代码");
		snprintf(label, sizeof label, "第%d项", i + 1);
	} else if (!(si = scheme_service_item(s, it->code))) {
		if (printable_code(it->code)) {
			add(r, f, "服务目录中没有项目代码%s", it->code);
			snprintf(label, sizeof label, "%s", it->code);
		} else {
			add(r, f, "服务目录中没有该项目代码");
			snprintf(label, sizeof label, "第%d项", i + 1);
		}
	} else {
		snprintf(label, sizeof label, "%s（%s）", si->code, si->name);
		for (int j = 0; j < i; j++)
			if (in->items[j].code && strcmp(in->items[j].code, it->code) == 0) {
				add(r, f, "服务项目%s重复列出（与第%d项相同）", label, j + 1);
				break;
			}
		if (!(si->performers & (SCHEME_PERFORMER_CAREGIVER | SCHEME_PERFORMER_NURSE)))
			add(r, f, "服务项目%s仅由亲情护理员自行提供，不列入护理计划", label);
	}
	snprintf(f, sizeof f, "items[%d].per_week", i);
	if (it->per_week < 1 || it->per_week > PLAN_MAX_PER_WEEK)
		add(r, f, "服务项目%s每周次数应为1到%d次（现为%d次）", label, PLAN_MAX_PER_WEEK, it->per_week);
	else if (visit_mode && in->visits_per_week >= 1 && in->visits_per_week <= SCHEME_MAX_VISITS_PER_WEEK &&
		 it->per_week > in->visits_per_week)
		add(r, f, "服务项目%s每周%d次，多于每周上门%d次", label, it->per_week, in->visits_per_week);
	snprintf(f, sizeof f, "items[%d].minutes", i);
	if (it->minutes < SCHEME_ITEM_MINUTES_MIN || it->minutes > SCHEME_ITEM_MINUTES_MAX)
		add(r, f, "服务项目%s每次时长应为%d到%d分钟（现为%d分钟）", label, SCHEME_ITEM_MINUTES_MIN,
		    SCHEME_ITEM_MINUTES_MAX, it->minutes);
	if (it->per_week >= 1 && it->per_week <= PLAN_MAX_PER_WEEK && it->minutes >= SCHEME_ITEM_MINUTES_MIN &&
	    it->minutes <= SCHEME_ITEM_MINUTES_MAX)
		r->minutes_per_week += it->per_week * it->minutes;
}

bool plan_check(const struct scheme *s, const struct plan_in *in, struct plan_result *r)
{
	const struct scheme_entitlement *e = NULL;
	bool mode_ok = in->mode >= 0 && in->mode < CARE_MODE_COUNT;
	bool visit_mode = mode_ok && in->mode != CARE_INSTITUTION;
	const char *label = mode_ok ? care_mode_label((enum care_mode)in->mode) : "";
	int n_items = in->items ? in->n_items : 0, visits = in->visits_per_week;
	bool visits_ok = visits >= 0 && visits <= SCHEME_MAX_VISITS_PER_WEEK;

	memset(r, 0, sizeof *r);
	/* the mode, and what the level gets in it */
	if (!s->care.defined)
		add(r, "mode", "本方案未规定护理服务待遇");
	else if (!mode_ok)
		add(r, "mode", "服务方式无效，应为居家上门护理、亲情护理或机构护理");
	else if (!s->care.modes[in->mode])
		add(r, "mode", "本方案不提供%s", label);
	else if (!(e = scheme_entitlement(s, (enum care_mode)in->mode, in->level)))
		add(r, "mode", "失能等级%d级不享受%s待遇", in->level, label);
	r->ent = e;

	/* the items */
	if (n_items > PLAN_MAX_ITEMS) {
		add(r, "items", "护理计划最多列%d个服务项目（现有%d个）", PLAN_MAX_ITEMS, n_items);
		n_items = PLAN_MAX_ITEMS;
	}
	if (n_items < 0)
		n_items = 0;
	for (int i = 0; i < n_items; i++)
		check_item(s, in, i, visit_mode, r);

	/* the visits */
	if (mode_ok && !visit_mode) {
		if (visits != 0)
			add(r, "visits_per_week", "机构护理不安排上门服务，每周上门次数应为0（现为%d次）", visits);
	} else if (!visits_ok) {
		add(r, "visits_per_week", "每周上门次数应为0到%d次（现为%d次）", SCHEME_MAX_VISITS_PER_WEEK, visits);
	} else if (visit_mode) {
		if (n_items == 0)
			add(r, "items", "%s须至少列出一个服务项目", label);
		if (e && visits < e->min_visits_per_week)
			add(r, "visits_per_week", "每周上门%d次，少于规定的至少%d次", visits, e->min_visits_per_week);
		else if (visits == 0)
			add(r, "visits_per_week", "%s每周至少上门1次", label);
		if (e && e->max_visits_per_week && visits > e->max_visits_per_week)
			add(r, "visits_per_week", "每周上门%d次，超过该等级%s上限%d次", visits, label,
			    e->max_visits_per_week);
	}
	if (visit_mode && visits_ok && visits > 0)
		r->minutes_per_visit = r->minutes_per_week / visits;

	/* the minutes */
	if (e && e->max_minutes_per_week && r->minutes_per_week > e->max_minutes_per_week)
		add(r, "minutes_per_week", "每周服务时长%d分钟，超过该等级%s上限%d分钟", r->minutes_per_week, label,
		    e->max_minutes_per_week);
	if (e && visit_mode && visits_ok && visits > 0 && n_items > 0 && e->min_minutes_per_visit &&
	    r->minutes_per_visit < e->min_minutes_per_visit)
		add(r, "minutes_per_visit", "每次平均%d分钟，少于规定的至少%d分钟", r->minutes_per_visit,
		    e->min_minutes_per_visit);

	/* family care: the trained relative */
	if (e && e->family_caregiver_required && !in->has_family_caregiver)
		add(r, "family_caregiver_id", "%s须指定经培训登记的亲情护理员", label);

	r->ok = r->n_problems == 0 && r->dropped == 0;
	return r->ok;
}

json_t *plan_result_json(const struct scheme *s, const struct plan_in *in, const struct plan_result *r)
{
	json_t *problems = json_array();
	bool mode_ok = in->mode >= 0 && in->mode < CARE_MODE_COUNT;

	for (int i = 0; i < r->n_problems; i++)
		json_array_append_new(problems, json_pack("{s:s, s:s}", "field", r->problems[i].field, "message",
							  r->problems[i].msg));
	return json_pack("{s:b, s:o, s:i, s:i, s:i, s:i, s:o, s:o, s:i}", "ok", r->ok, "mode",
			 mode_ok ? json_string(care_mode_name((enum care_mode)in->mode)) : json_null(), "level",
			 in->level, "visits_per_week", in->visits_per_week, "minutes_per_week", r->minutes_per_week,
			 "minutes_per_visit", r->minutes_per_visit, "entitlement",
			 r->ent && mode_ok ? scheme_entitlement_json(s, (enum care_mode)in->mode, in->level)
					   : json_null(),
			 "problems", problems, "dropped", r->dropped);
}
