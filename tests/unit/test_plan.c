/* test_plan.c: the care-plan check (rules/plan.h) against the shipped schemes. For every mode x every level of
 * Zhoushan and Shanghai: a level without entitlement is refused naming level and mode; an entitled level is tried
 * exactly at its minimum (visits and minutes a visit) and its maximum (visits and minutes a week) and one step
 * beyond each, with the messages checked for the limit figures. The limits below are copied by hand from
 * DOMAIN.md 3.4 and the notes of the scheme files (not read from the scheme), and every expected figure of the
 * beyond cases (e.g. 420 minutes over 8 visits = 52 a visit) is worked out in the comments. Then each item rule:
 * unknown, repeated, out-of-range and family-only items, the family caregiver, institutional care, the cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "rules/plan.h"
#include "scheme/scheme.h"

static struct scheme *zs, *sh;

static struct scheme *load_scheme(const char *path)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;

	if (scheme_load_file(path, &s, &d) != 0) {
		for (int i = 0; i < d.n; i++)
			print_message("  problem %d: %s: %s\n", i, d.items[i].path, d.items[i].msg);
		return NULL;
	}
	return s;
}

static int setup(void **state)
{
	zs = load_scheme(LTCI_SOURCE_DIR "/schemes/zhoushan.json");
	sh = load_scheme(LTCI_SOURCE_DIR "/schemes/shanghai.json");
	return zs && sh ? 0 : -1;
}

static int teardown(void **state)
{
	scheme_free(zs);
	scheme_free(sh);
	return 0;
}

struct want {
	const char *field;
	const char *msg;
};

static void dump(const struct plan_result *r)
{
	for (int i = 0; i < r->n_problems; i++)
		print_message("  problem %d: %s: %s\n", i, r->problems[i].field, r->problems[i].msg);
}

/* Expect exactly the problems in want, in order (none: the plan passes). */
static void expect(const struct plan_result *r, bool ok, const struct want *want, int n, const char *what)
{
	if (r->n_problems != n || r->ok != ok) {
		dump(r);
		fail_msg("%s: %d problems (ok %d), want %d", what, r->n_problems, r->ok, n);
	}
	for (int i = 0; i < n; i++)
		if (strcmp(r->problems[i].field, want[i].field) != 0 || strcmp(r->problems[i].msg, want[i].msg) != 0) {
			dump(r);
			fail_msg("%s: problem %d is %s: %s, want %s: %s", what, i, r->problems[i].field,
				 r->problems[i].msg, want[i].field, want[i].msg);
		}
}

/* Items adding up to exactly total minutes a week over visits visits, no item more often than the visits:
 * item a visits x (total/visits - 5) minutes, item b once a week with the rest (5 x visits + remainder, 5-47). */
static int items_for(struct plan_item_in *items, const char *a, const char *b, int visits, int total)
{
	int each = total / visits - 5;

	items[0] = (struct plan_item_in){a, visits, each};
	items[1] = (struct plan_item_in){b, 1, total - visits * each};
	return 2;
}

/* ---- the entitlements, by hand from DOMAIN.md 3.4 ---- */

struct ent_row {
	const char *scheme;
	enum care_mode mode;
	int from, to;                  /* levels */
	int min_v, max_v, min_m, max_w;
	int64_t monthly, family, price;
	int share;
	/* hand-worked: the minutes a visit when max_w minutes are spread over max_v + 1 visits (rounded down) */
	int beyond_mpv;
};

static const struct ent_row visit_rows[] = {
	/* Zhoushan home: >= 3 visits x >= 60 min; at most 7 visits and 420 min (operational); 1,280 yuan/month.
	 * 420 / 8 = 52.5 -> 52 */
	{"zhoushan", CARE_HOME, 3, 5, 3, 7, 60, 420, 128000, 0, 0, 100, 52},
	/* Zhoushan family: >= 2 visits x >= 60 min; at most 4 visits and 240 min; 780 + 500 yuan. 240 / 5 = 48 */
	{"zhoushan", CARE_FAMILY, 3, 5, 2, 4, 60, 240, 78000, 50000, 0, 100, 48},
	/* Shanghai home: 3, 5, 7 one-hour visits; 65 yuan a visit-hour, fund 90 %. 180/4 = 45, 300/6 = 50,
	 * 420/8 = 52 */
	{"shanghai", CARE_HOME, 2, 3, 3, 3, 60, 180, 0, 0, 6500, 90, 45},
	{"shanghai", CARE_HOME, 4, 4, 5, 5, 60, 300, 0, 0, 6500, 90, 50},
	{"shanghai", CARE_HOME, 5, 6, 7, 7, 60, 420, 0, 0, 6500, 90, 52},
};

static const struct ent_row institution_rows[] = {
	{"zhoushan", CARE_INSTITUTION, 3, 5, 0, 0, 0, 0, 140000, 0, 0, 100, 0},
	{"shanghai", CARE_INSTITUTION, 2, 3, 0, 0, 0, 0, 120000, 0, 0, 85, 0},
	{"shanghai", CARE_INSTITUTION, 4, 4, 0, 0, 0, 0, 150000, 0, 0, 85, 0},
	{"shanghai", CARE_INSTITUTION, 5, 6, 0, 0, 0, 0, 180000, 0, 0, 85, 0},
};

static struct scheme *scheme_of(const char *name)
{
	return strcmp(name, "zhoushan") == 0 ? zs : sh;
}

static void check_ent(const struct ent_row *row, const struct scheme_entitlement *e, const char *what)
{
	if (!e)
		fail_msg("%s: no entitlement", what);
	assert_int_equal(e->min_visits_per_week, row->min_v);
	assert_int_equal(e->max_visits_per_week, row->max_v);
	assert_int_equal(e->min_minutes_per_visit, row->min_m);
	assert_int_equal(e->max_minutes_per_week, row->max_w);
	assert_int_equal(e->monthly_fen, row->monthly);
	assert_int_equal(e->family_monthly_fen, row->family);
	assert_int_equal(e->visit_price_fen, row->price);
	assert_int_equal(e->fund_share_pct, row->share);
	assert_int_equal(e->family_caregiver_required, row->mode == CARE_FAMILY);
}

/* Home and family care at and beyond each limit, for every entitled level. */
static void test_visit_modes_at_the_limits(void **state)
{
	for (size_t k = 0; k < sizeof visit_rows / sizeof visit_rows[0]; k++) {
		const struct ent_row *row = &visit_rows[k];
		struct scheme *s = scheme_of(row->scheme);
		const char *label = row->mode == CARE_HOME ? "居家上门护理" : "亲情护理";
		const char *a = s == zs ? "QJ03" : "JC05", *b = s == zs ? "YD05" : "LC05";

		for (int level = row->from; level <= row->to; level++) {
			struct plan_item_in items[2];
			struct plan_in in = {.mode = row->mode, .level = level, .items = items,
					     .has_family_caregiver = row->mode == CARE_FAMILY};
			struct plan_result r;
			char what[96], m1[200], m2[200];

			/* 1. exactly the minimum: min_v visits x min_m minutes */
			snprintf(what, sizeof what, "%s %s level %d at the minimum", row->scheme, label, level);
			in.visits_per_week = row->min_v;
			in.n_items = items_for(items, a, b, row->min_v, row->min_v * row->min_m);
			assert_true(plan_check(s, &in, &r));
			expect(&r, true, NULL, 0, what);
			assert_int_equal(r.minutes_per_week, row->min_v * row->min_m);
			assert_int_equal(r.minutes_per_visit, row->min_m);
			assert_ptr_equal(r.ent, scheme_entitlement(s, row->mode, level));
			check_ent(row, r.ent, what);

			/* 2. one visit fewer than the minimum (each still min_m minutes) */
			snprintf(what, sizeof what, "%s %s level %d one visit below", row->scheme, label, level);
			in.visits_per_week = row->min_v - 1;
			in.n_items = items_for(items, a, b, row->min_v - 1, (row->min_v - 1) * row->min_m);
			snprintf(m1, sizeof m1, "每周上门%d次，少于规定的至少%d次", row->min_v - 1, row->min_v);
			assert_false(plan_check(s, &in, &r));
			expect(&r, false, (struct want[]){{"visits_per_week", m1}}, 1, what);
			assert_int_equal(r.minutes_per_visit, row->min_m);

			/* 3. one minute short of the minimum a visit: (min_v x min_m - 1) / min_v = min_m - 1 */
			snprintf(what, sizeof what, "%s %s level %d one minute short", row->scheme, label, level);
			in.visits_per_week = row->min_v;
			in.n_items = items_for(items, a, b, row->min_v, row->min_v * row->min_m - 1);
			snprintf(m1, sizeof m1, "每次平均%d分钟，少于规定的至少%d分钟", row->min_m - 1, row->min_m);
			assert_false(plan_check(s, &in, &r));
			expect(&r, false, (struct want[]){{"minutes_per_visit", m1}}, 1, what);
			assert_int_equal(r.minutes_per_week, row->min_v * row->min_m - 1);
			assert_int_equal(r.minutes_per_visit, row->min_m - 1);

			/* 4. exactly the maximum: max_v visits and max_w minutes (= max_v x 60 in both schemes) */
			snprintf(what, sizeof what, "%s %s level %d at the maximum", row->scheme, label, level);
			in.visits_per_week = row->max_v;
			in.n_items = items_for(items, a, b, row->max_v, row->max_w);
			assert_true(plan_check(s, &in, &r));
			expect(&r, true, NULL, 0, what);
			assert_int_equal(r.minutes_per_week, row->max_w);
			assert_int_equal(r.minutes_per_visit, 60);

			/* 5. one visit more than the maximum, same minutes: the average falls to beyond_mpv */
			snprintf(what, sizeof what, "%s %s level %d one visit beyond", row->scheme, label, level);
			in.visits_per_week = row->max_v + 1;
			in.n_items = items_for(items, a, b, row->max_v + 1, row->max_w);
			snprintf(m1, sizeof m1, "每周上门%d次，超过该等级%s上限%d次", row->max_v + 1, label, row->max_v);
			snprintf(m2, sizeof m2, "每次平均%d分钟，少于规定的至少60分钟", row->beyond_mpv);
			assert_false(plan_check(s, &in, &r));
			expect(&r, false, (struct want[]){{"visits_per_week", m1}, {"minutes_per_visit", m2}}, 2, what);
			assert_int_equal(r.minutes_per_visit, row->beyond_mpv);

			/* 6. one minute over the weekly maximum */
			snprintf(what, sizeof what, "%s %s level %d one minute beyond", row->scheme, label, level);
			in.visits_per_week = row->max_v;
			in.n_items = items_for(items, a, b, row->max_v, row->max_w + 1);
			snprintf(m1, sizeof m1, "每周服务时长%d分钟，超过该等级%s上限%d分钟", row->max_w + 1, label,
				 row->max_w);
			assert_false(plan_check(s, &in, &r));
			expect(&r, false, (struct want[]){{"minutes_per_week", m1}}, 1, what);
			assert_int_equal(r.minutes_per_week, row->max_w + 1);
		}
	}
}

/* The messages of the brief, literally, for Zhoushan home care level 3. */
static void test_messages_literal(void **state)
{
	struct plan_item_in items[2];
	struct plan_in in = {.mode = CARE_HOME, .level = 3, .items = items};
	struct plan_result r;

	/* 7 visits, 480 minutes: 480 > 420 */
	in.visits_per_week = 7;
	in.n_items = items_for(items, "QJ03", "YD05", 7, 480);
	plan_check(zs, &in, &r);
	expect(&r, false, (struct want[]){{"minutes_per_week", "每周服务时长480分钟，超过该等级居家上门护理上限420分钟"}},
	       1, "480 minutes");
	/* 2 visits of 60 minutes */
	in.visits_per_week = 2;
	in.n_items = items_for(items, "QJ03", "YD05", 2, 120);
	plan_check(zs, &in, &r);
	expect(&r, false, (struct want[]){{"visits_per_week", "每周上门2次，少于规定的至少3次"}}, 1, "2 visits");
	/* 3 visits, 135 minutes: 45 a visit */
	in.visits_per_week = 3;
	in.n_items = items_for(items, "QJ03", "YD05", 3, 135);
	plan_check(zs, &in, &r);
	expect(&r, false, (struct want[]){{"minutes_per_visit", "每次平均45分钟，少于规定的至少60分钟"}}, 1, "45 a visit");
	/* the seed's usual family plan: 2 visits of 1.5 hours */
	in.mode = CARE_FAMILY;
	in.has_family_caregiver = true;
	in.visits_per_week = 2;
	items[0] = (struct plan_item_in){"QJ03", 2, 40};
	items[1] = (struct plan_item_in){"YD05", 2, 50};
	in.n_items = 2;
	assert_true(plan_check(zs, &in, &r));
	assert_int_equal(r.minutes_per_week, 180);
	assert_int_equal(r.minutes_per_visit, 90);
}

/* Institutional care: no visits, items optional, for every entitled level. */
static void test_institution(void **state)
{
	for (size_t k = 0; k < sizeof institution_rows / sizeof institution_rows[0]; k++) {
		const struct ent_row *row = &institution_rows[k];
		struct scheme *s = scheme_of(row->scheme);
		const char *a = s == zs ? "SM01" : "LC05";

		for (int level = row->from; level <= row->to; level++) {
			struct plan_item_in items[1] = {{a, 7, 15}};
			struct plan_in in = {.mode = CARE_INSTITUTION, .level = level};
			struct plan_result r;
			char what[96];

			snprintf(what, sizeof what, "%s institution level %d", row->scheme, level);
			assert_true(plan_check(s, &in, &r));
			expect(&r, true, NULL, 0, what);
			check_ent(row, r.ent, what);
			assert_int_equal(r.minutes_per_week, 0);
			assert_int_equal(r.minutes_per_visit, 0);
			/* with an item: 7 x 15 = 105 minutes a week, no weekly maximum, no visits */
			in.items = items;
			in.n_items = 1;
			assert_true(plan_check(s, &in, &r));
			assert_int_equal(r.minutes_per_week, 105);
			assert_int_equal(r.minutes_per_visit, 0);
			/* visits are refused */
			in.visits_per_week = 1;
			assert_false(plan_check(s, &in, &r));
			expect(&r, false,
			       (struct want[]){{"visits_per_week", "机构护理不安排上门服务，每周上门次数应为0（现为1次）"}}, 1,
			       what);
			/* items are still checked */
			in.visits_per_week = 0;
			items[0].code = "XX99";
			assert_false(plan_check(s, &in, &r));
			expect(&r, false, (struct want[]){{"items[0].code", "服务目录中没有项目代码XX99"}}, 1, what);
		}
	}
}

/* Every (mode, level) without an entitlement, in both schemes: refused naming the level and the mode. */
static void test_levels_not_entitled(void **state)
{
	static const struct {
		const char *scheme;
		enum care_mode mode;
		int level;
		const char *msg;
	} rows[] = {
		{"zhoushan", CARE_HOME, 0, "失能等级0级不享受居家上门护理待遇"},
		{"zhoushan", CARE_HOME, 1, "失能等级1级不享受居家上门护理待遇"},
		{"zhoushan", CARE_HOME, 2, "失能等级2级不享受居家上门护理待遇"},
		{"zhoushan", CARE_FAMILY, 0, "失能等级0级不享受亲情护理待遇"},
		{"zhoushan", CARE_FAMILY, 1, "失能等级1级不享受亲情护理待遇"},
		{"zhoushan", CARE_FAMILY, 2, "失能等级2级不享受亲情护理待遇"},
		{"zhoushan", CARE_INSTITUTION, 0, "失能等级0级不享受机构护理待遇"},
		{"zhoushan", CARE_INSTITUTION, 1, "失能等级1级不享受机构护理待遇"},
		{"zhoushan", CARE_INSTITUTION, 2, "失能等级2级不享受机构护理待遇"},
		{"zhoushan", CARE_HOME, 6, "失能等级6级不享受居家上门护理待遇"}, /* no such level */
		{"shanghai", CARE_HOME, 0, "失能等级0级不享受居家上门护理待遇"},
		{"shanghai", CARE_HOME, 1, "失能等级1级不享受居家上门护理待遇"},
		{"shanghai", CARE_INSTITUTION, 0, "失能等级0级不享受机构护理待遇"},
		{"shanghai", CARE_INSTITUTION, 1, "失能等级1级不享受机构护理待遇"},
		/* Shanghai has no family care at all */
		{"shanghai", CARE_FAMILY, 0, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 1, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 2, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 3, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 4, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 5, "本方案不提供亲情护理"},
		{"shanghai", CARE_FAMILY, 6, "本方案不提供亲情护理"},
	};

	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		struct scheme *s = scheme_of(rows[k].scheme);
		struct plan_item_in items[2];
		struct plan_in in = {.mode = rows[k].mode, .level = rows[k].level, .has_family_caregiver = true};
		struct plan_result r;
		char what[96];

		snprintf(what, sizeof what, "%s %s level %d", rows[k].scheme, care_mode_name(rows[k].mode),
			 rows[k].level);
		if (rows[k].mode != CARE_INSTITUTION) {
			/* a plan that would pass at the top level: 3 visits, 180 minutes */
			in.items = items;
			in.visits_per_week = 3;
			in.n_items = items_for(items, s == zs ? "QJ03" : "JC05", s == zs ? "YD05" : "LC05", 3, 180);
		}
		assert_false(plan_check(s, &in, &r));
		expect(&r, false, (struct want[]){{"mode", rows[k].msg}}, 1, what);
		assert_null(r.ent);
		assert_null(scheme_entitlement(s, rows[k].mode, rows[k].level));
		assert_int_equal(r.minutes_per_week, rows[k].mode != CARE_INSTITUTION ? 180 : 0);
	}
}

/* Family care needs the registered relative. */
static void test_family_caregiver_required(void **state)
{
	for (int level = 3; level <= 5; level++) {
		struct plan_item_in items[2];
		struct plan_in in = {.mode = CARE_FAMILY, .level = level, .items = items, .visits_per_week = 2};
		struct plan_result r;

		in.n_items = items_for(items, "QJ03", "YD05", 2, 120);
		assert_false(plan_check(zs, &in, &r));
		expect(&r, false, (struct want[]){{"family_caregiver_id", "亲情护理须指定经培训登记的亲情护理员"}}, 1,
		       "family without relative");
		in.has_family_caregiver = true;
		assert_true(plan_check(zs, &in, &r));
		/* a relative named in home care is not a problem (the flag is read for family care only) */
		in.mode = CARE_HOME;
		in.visits_per_week = 3;
		in.n_items = items_for(items, "QJ03", "YD05", 3, 180);
		assert_true(plan_check(zs, &in, &r));
	}
}

static void test_item_rules(void **state)
{
	struct plan_result r;

	{
		/* unknown, missing, unprintable codes; a repeat (reported on the second) */
		struct plan_item_in items[] = {{"QJ03", 3, 30}, {"ZZ99", 1, 30}, {NULL, 1, 30}, {"", 1, 30},
					       {"QJ03", 1, 30}, {"\xe4\xb8\xad", 1, 30}, {"YD05", 3, 30}};
		struct plan_in in = {.mode = CARE_HOME, .level = 4, .visits_per_week = 3, .items = items, .n_items = 7};
		/* minutes: 90 + 30 + 30 + 30 + 30 + 30 + 90 = 330; 330 / 3 = 110 */
		assert_false(plan_check(zs, &in, &r));
		expect(&r, false,
		       (struct want[]){{"items[1].code", "服务目录中没有项目代码ZZ99"},
				       {"items[2].code", "缺少服务项目代码"},
				       {"items[3].code", "缺少服务项目代码"},
				       {"items[4].code", "服务项目QJ03（温水擦浴）重复列出（与第1项相同）"},
				       {"items[5].code", "服务目录中没有该项目代码"}},
		       5, "codes");
		assert_int_equal(r.minutes_per_week, 330);
		assert_int_equal(r.minutes_per_visit, 110);
	}
	{
		/* per_week 1-21 and not above the visits; minutes 5-480 */
		struct plan_item_in items[] = {{"QJ01", 0, 30},  {"QJ02", 22, 30}, {"QJ03", 1, 4},   {"QJ04", 1, 481},
					       {"QJ05", 1, 5},   {"QJ06", 1, 480}, {"QJ07", 4, 10},  {"QJ08", 3, 10},
					       {"QJ09", -1, -1}};
		struct plan_in in = {.mode = CARE_HOME, .level = 5, .visits_per_week = 3, .items = items, .n_items = 9};
		/* counted: QJ05 5 + QJ06 480 + QJ07 40 + QJ08 30 = 555 > 420; 555 / 3 = 185 */
		assert_false(plan_check(zs, &in, &r));
		expect(&r, false,
		       (struct want[]){
			       {"items[0].per_week", "服务项目QJ01（面部清洁和梳头）每周次数应为1到21次（现为0次）"},
			       {"items[1].per_week", "服务项目QJ02（口腔护理）每周次数应为1到21次（现为22次）"},
			       {"items[2].minutes", "服务项目QJ03（温水擦浴）每次时长应为5到480分钟（现为4分钟）"},
			       {"items[3].minutes", "服务项目QJ04（协助沐浴）每次时长应为5到480分钟（现为481分钟）"},
			       {"items[6].per_week", "服务项目QJ07（会阴护理）每周4次，多于每周上门3次"},
			       {"items[8].per_week", "服务项目QJ09（整理床单位）每周次数应为1到21次（现为-1次）"},
			       {"items[8].minutes", "服务项目QJ09（整理床单位）每次时长应为5到480分钟（现为-1分钟）"},
			       {"minutes_per_week", "每周服务时长555分钟，超过该等级居家上门护理上限420分钟"}},
		       8, "ranges");
		assert_int_equal(r.minutes_per_week, 555);
		assert_int_equal(r.minutes_per_visit, 185);
	}
	{
		/* 21 a week is the top (with 21 visits allowed by a scheme); the home maximum of 7 visits applies */
		struct plan_item_in items[] = {{"QJ01", 21, 5}};
		struct plan_in in = {.mode = CARE_HOME, .level = 3, .visits_per_week = 21, .items = items, .n_items = 1};
		/* 105 minutes over 21 visits = 5 a visit */
		assert_false(plan_check(zs, &in, &r));
		expect(&r, false,
		       (struct want[]){{"visits_per_week", "每周上门21次，超过该等级居家上门护理上限7次"},
				       {"minutes_per_visit", "每次平均5分钟，少于规定的至少60分钟"}},
		       2, "21 visits");
	}
}

static void test_visits_and_items_required(void **state)
{
	struct plan_result r;
	struct plan_item_in items[2];
	struct plan_in in = {.mode = CARE_HOME, .level = 3, .visits_per_week = 3};

	/* no items in home care (minutes a visit not reported twice) */
	assert_false(plan_check(zs, &in, &r));
	expect(&r, false, (struct want[]){{"items", "居家上门护理须至少列出一个服务项目"}}, 1, "no items");
	/* out of range visits */
	in.items = items;
	in.n_items = items_for(items, "QJ03", "YD05", 3, 180);
	in.visits_per_week = 22;
	assert_false(plan_check(zs, &in, &r));
	expect(&r, false, (struct want[]){{"visits_per_week", "每周上门次数应为0到21次（现为22次）"}}, 1, "22 visits");
	assert_int_equal(r.minutes_per_visit, 0);
	in.visits_per_week = -1;
	assert_false(plan_check(zs, &in, &r));
	expect(&r, false, (struct want[]){{"visits_per_week", "每周上门次数应为0到21次（现为-1次）"}}, 1, "-1 visits");
	/* zero visits: below the minimum; with items done once a week */
	items[0] = (struct plan_item_in){"QJ03", 1, 60};
	in.n_items = 1;
	in.visits_per_week = 0;
	assert_false(plan_check(zs, &in, &r));
	expect(&r, false, (struct want[]){{"visits_per_week", "每周上门0次，少于规定的至少3次"}}, 1, "0 visits");
	assert_int_equal(r.minutes_per_visit, 0);
	/* a scheme with no visit minimum for home care still needs one visit */
	{
		static struct scheme_diag d;
		struct scheme *s = NULL;
		json_t *doc = json_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", 0, NULL);
		json_object_del(json_array_get(json_object_get(json_object_get(doc, "care"), "entitlements"), 0),
				"min_visits_per_week");
		assert_int_equal(scheme_from_json(doc, &s, &d), 0);
		json_decref(doc);
		assert_int_equal(scheme_entitlement(s, CARE_HOME, 3)->min_visits_per_week, 0);
		assert_false(plan_check(s, &in, &r));
		expect(&r, false, (struct want[]){{"visits_per_week", "居家上门护理每周至少上门1次"}}, 1, "0 visits, no min");
		in.visits_per_week = 1;
		assert_true(plan_check(s, &in, &r));
		assert_int_equal(r.minutes_per_visit, 60);
		scheme_free(s);
	}
}

static void test_mode_problems(void **state)
{
	static struct scheme_diag d;
	struct plan_item_in items[2];
	struct plan_in in = {.level = 3, .visits_per_week = 3, .items = items};
	struct plan_result r;
	struct scheme *bare = NULL;
	json_t *doc;

	in.n_items = items_for(items, "QJ03", "YD05", 3, 180);
	for (int m = -2; m <= 3; m += 5) { /* -2 and 3 */
		in.mode = m;
		assert_false(plan_check(zs, &in, &r));
		expect(&r, false, (struct want[]){{"mode", "服务方式无效，应为居家上门护理、亲情护理或机构护理"}}, 1,
		       "bad mode");
		assert_null(r.ent);
		assert_int_equal(r.minutes_per_week, 180);
	}
	in.mode = -1;
	assert_false(plan_check(zs, &in, &r));
	/* a scheme without a care section */
	doc = json_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", 0, NULL);
	assert_non_null(doc);
	json_object_del(doc, "care");
	assert_int_equal(scheme_from_json(doc, &bare, &d), 0);
	json_decref(doc);
	assert_false(bare->care.defined);
	in.mode = CARE_HOME;
	assert_false(plan_check(bare, &in, &r));
	/* the catalogue is gone too */
	expect(&r, false,
	       (struct want[]){{"mode", "本方案未规定护理服务待遇"},
			       {"items[0].code", "服务目录中没有项目代码QJ03"},
			       {"items[1].code", "服务目录中没有项目代码YD05"}},
	       3, "no care section");
	scheme_free(bare);
}

/* An item only a family caregiver performs is the relative's own care: never itemised in a plan. */
static void test_family_only_item(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	json_t *doc = json_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", 0, NULL), *item;
	struct plan_item_in items[2];
	struct plan_in in = {.mode = CARE_FAMILY, .level = 3, .visits_per_week = 2, .items = items,
			     .has_family_caregiver = true};
	struct plan_result r;

	/* QJ01 面部清洁和梳头: performers ["family"] only */
	item = json_array_get(json_object_get(json_array_get(json_object_get(json_object_get(json_object_get(doc,
		"care"), "catalogue"), "categories"), 0), "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "code")), "QJ01");
	json_object_set_new(item, "performers", json_pack("[s]", "family"));
	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_int_equal(scheme_service_item(s, "QJ01")->performers, SCHEME_PERFORMER_FAMILY);
	for (int m = CARE_HOME; m <= CARE_INSTITUTION; m++) {
		/* a plan within the limits of each mode: home 3 x 60, family 2 x 60, institution 60 + 60 a week */
		static const int visits[] = {3, 2, 0}, minutes[] = {180, 120, 120};
		in.mode = m;
		in.visits_per_week = visits[m];
		in.n_items = items_for(items, "QJ01", "YD05", visits[m] ? visits[m] : 1, minutes[m]);
		assert_false(plan_check(s, &in, &r));
		expect(&r, false,
		       (struct want[]){{"items[0].code", "服务项目QJ01（面部清洁和梳头）仅由亲情护理员自行提供，不列入护理计划"}},
		       1, care_mode_name((enum care_mode)m));
	}
	scheme_free(s);
}

static void test_problem_cap(void **state)
{
	struct plan_item_in items[PLAN_MAX_ITEMS + 2];
	struct plan_in in = {.mode = CARE_HOME, .level = 3, .visits_per_week = 3, .items = items};
	struct plan_result r;

	for (int i = 0; i < PLAN_MAX_ITEMS + 2; i++)
		items[i] = (struct plan_item_in){"QJ03", 1, 5};
	/* 41 items: one too many; only the first 40 are read */
	in.n_items = PLAN_MAX_ITEMS + 1;
	assert_false(plan_check(zs, &in, &r));
	assert_int_equal(r.n_problems, PLAN_MAX_PROBLEMS);
	assert_string_equal(r.problems[0].field, "items");
	assert_string_equal(r.problems[0].msg, "护理计划最多列40个服务项目（现有41个）");
	/* then 39 repeats of QJ03 (items[1..39]): 15 listed, the rest counted. The minutes pass: 40 x 5 = 200 a week
	 * (under 420), 200 / 3 = 66 a visit (over 60); so 1 + 39 problems, 16 kept, 24 dropped. */
	assert_string_equal(r.problems[1].field, "items[1].code");
	assert_string_equal(r.problems[15].field, "items[15].code");
	assert_int_equal(r.dropped, 1 + 39 - PLAN_MAX_PROBLEMS);
	assert_int_equal(r.minutes_per_week, 200);
	/* exactly 40 distinct-enough items are allowed (the Zhoushan catalogue has 41 codes) */
	{
		static const char *const codes[] = {"QJ01", "QJ02", "QJ03", "QJ04", "QJ05", "QJ06", "QJ07", "QJ08",
						    "QJ09", "YY01", "YY02", "YY03", "YY04", "YY05", "YY06", "PX01",
						    "PX02", "PX03", "PX04", "PX05", "PX06", "PX07", "YD01", "YD02",
						    "YD03", "YD04", "YD05", "YD06", "YD07", "YD08", "SM01", "SM02",
						    "SM03", "SM04", "SM05", "SM06", "YZ01", "YZ02", "YZ03", "YZ04"};
		for (int i = 0; i < PLAN_MAX_ITEMS; i++)
			items[i] = (struct plan_item_in){codes[i], 1, 10};
		in.n_items = PLAN_MAX_ITEMS;
		in.visits_per_week = 4;
		/* 400 minutes over 4 visits: 100 a visit; under 420 */
		assert_true(plan_check(zs, &in, &r));
		assert_int_equal(r.minutes_per_week, 400);
	}
}

static void test_result_json(void **state)
{
	struct plan_item_in items[2];
	struct plan_in in = {.mode = CARE_HOME, .level = 3, .visits_per_week = 2, .items = items};
	struct plan_result r;
	json_t *j, *e, *p;

	in.n_items = items_for(items, "JC05", "LC05", 2, 180);
	plan_check(sh, &in, &r);
	j = plan_result_json(sh, &in, &r);
	assert_non_null(j);
	assert_false(json_is_true(json_object_get(j, "ok")));
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "home");
	assert_int_equal(json_integer_value(json_object_get(j, "level")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "visits_per_week")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "minutes_per_week")), 180);
	assert_int_equal(json_integer_value(json_object_get(j, "minutes_per_visit")), 90);
	e = json_object_get(j, "entitlement");
	assert_string_equal(json_string_value(json_object_get(e, "mode_label")), "居家上门护理");
	assert_string_equal(json_string_value(json_object_get(e, "level_name")), "照护三级");
	assert_int_equal(json_integer_value(json_object_get(e, "min_visits_per_week")), 3);
	assert_int_equal(json_integer_value(json_object_get(e, "max_minutes_per_week")), 180);
	assert_int_equal(json_integer_value(json_object_get(e, "visit_price_fen")), 6500);
	assert_int_equal(json_integer_value(json_object_get(e, "fund_share_pct")), 90);
	assert_int_equal(json_integer_value(json_object_get(e, "monthly_fen")), 0);
	p = json_object_get(j, "problems");
	assert_int_equal(json_array_size(p), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "field")), "visits_per_week");
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "message")),
			    "每周上门2次，少于规定的至少3次");
	json_decref(j);

	/* not entitled, unknown mode: entitlement and mode are null */
	in.mode = -1;
	plan_check(sh, &in, &r);
	j = plan_result_json(sh, &in, &r);
	assert_true(json_is_null(json_object_get(j, "mode")));
	assert_true(json_is_null(json_object_get(j, "entitlement")));
	json_decref(j);
	in.mode = CARE_HOME;
	in.level = 1;
	in.visits_per_week = 3;
	in.n_items = items_for(items, "JC05", "LC05", 3, 180);
	assert_false(plan_check(sh, &in, &r));
	j = plan_result_json(sh, &in, &r);
	assert_true(json_is_null(json_object_get(j, "entitlement")));
	assert_int_equal(json_array_size(json_object_get(j, "problems")), 1);
	json_decref(j);
	/* a passing plan */
	in.level = 2;
	assert_true(plan_check(sh, &in, &r));
	j = plan_result_json(sh, &in, &r);
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_array_size(json_object_get(j, "problems")), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visit_modes_at_the_limits),
		cmocka_unit_test(test_messages_literal),
		cmocka_unit_test(test_institution),
		cmocka_unit_test(test_levels_not_entitled),
		cmocka_unit_test(test_family_caregiver_required),
		cmocka_unit_test(test_item_rules),
		cmocka_unit_test(test_visits_and_items_required),
		cmocka_unit_test(test_mode_problems),
		cmocka_unit_test(test_family_only_item),
		cmocka_unit_test(test_problem_cap),
		cmocka_unit_test(test_result_json),
	};

	return cmocka_run_group_tests_name("plan", tests, setup, teardown);
}
