/* test_assess.c: the assessment rules (rules/assess.h) with the shipped Zhoushan scheme, i.e. the national standard
 * (2021) of DOMAIN.md 3.2-3.3:
 * - scoring: every allowed score of every item accepted and its neighbours, other types and huge integers refused
 *   with the item and its allowed scores named; missing and unknown items; every problem at once;
 * - the grade bands at each boundary (ADL 100/95/65/60/45/40/0, cognition 16/15/4/3/2/1/0, perception
 *   12/11/4/3/2/1/0) and all 16 cells of the combination table, the column being the WORSE of cognition and
 *   perception whichever of the two it is;
 * - the self-assessment gate for all 3^6 = 729 answer sets against the rule text rewritten here as plain if/else,
 *   with the letter counts worked by hand;
 * - the draw: reproducible, spread over the candidates, members only, and pinned to splitmix64 values computed
 *   outside this code (see test_draw_pinned).
 * Expected totals, grades and levels are written literally; nothing expected is computed by the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rules/assess.h"
#include "scheme/scheme.h"

/* ---- the form of the national standard, written out from DOMAIN.md ---- */

#define N_ITEMS 17

struct item_def {
	const char *key, *name;
	int dim;              /* 0 adl, 1 cognition, 2 perception */
	int scores[5], n;     /* allowed scores */
	const char *allowed;  /* as the error message lists them */
};

static const struct item_def items[N_ITEMS] = {
	{"eating", "进食", 0, {0, 5, 10}, 3, "0/5/10"},
	{"dressing", "穿衣", 0, {0, 5, 10}, 3, "0/5/10"},
	{"face_oral", "面部与口腔清洁", 0, {0, 5}, 2, "0/5"},
	{"bowel", "大便控制", 0, {0, 5, 10}, 3, "0/5/10"},
	{"bladder", "小便控制", 0, {0, 5, 10}, 3, "0/5/10"},
	{"toilet", "用厕", 0, {0, 5, 10}, 3, "0/5/10"},
	{"walking", "平地行走", 0, {0, 5, 10, 15}, 4, "0/5/10/15"},
	{"transfer", "床椅转移", 0, {0, 5, 10, 15}, 4, "0/5/10/15"},
	{"stairs", "上下楼梯", 0, {0, 5, 10}, 3, "0/5/10"},
	{"bathing", "洗澡", 0, {0, 5}, 2, "0/5"},
	{"time_orientation", "时间定向", 1, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"person_orientation", "人物定向", 1, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"place_orientation", "空间定向", 1, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"memory", "记忆力", 1, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"vision", "视力", 2, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"hearing", "听力", 2, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
	{"communication", "沟通能力", 2, {0, 1, 2, 3, 4}, 5, "0/1/2/3/4"},
};

static const int dim_max[3] = {100, 16, 12};

/* The level table of DOMAIN.md 3.3: rows ADL grade, columns the worse of cognition and perception. */
static const int domain_table[4][4] = {{0, 0, 1, 1}, {1, 1, 1, 2}, {2, 2, 2, 3}, {3, 3, 4, 5}};

static int setup(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;

	if (scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &s, &d) != 0) {
		for (int i = 0; i < d.n; i++)
			print_message("  problem %d: %s: %s\n", i, d.items[i].path, d.items[i].msg);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	scheme_free(*state);
	return 0;
}

static const struct scheme_assessment *A(void **state)
{
	return &((const struct scheme *)*state)->assess;
}

/* A form from literal scores: ADL in the order of items[] (10), cognition (4), perception (3). */
static json_t *form(const int adl[10], const int cog[4], const int perc[3])
{
	json_t *f = json_object();

	for (int i = 0; i < 10; i++)
		json_object_set_new(f, items[i].key, json_integer(adl[i]));
	for (int i = 0; i < 4; i++)
		json_object_set_new(f, items[10 + i].key, json_integer(cog[i]));
	for (int i = 0; i < 3; i++)
		json_object_set_new(f, items[14 + i].key, json_integer(perc[i]));
	return f;
}

static const int ADL_FULL[10] = {10, 10, 5, 10, 10, 10, 15, 15, 10, 5}; /* 100 */
static const int COG_FULL[4] = {4, 4, 4, 4};                          /* 16 */
static const int PERC_FULL[3] = {4, 4, 4};                            /* 12 */

static void dump_problems(const struct assess_result *r)
{
	for (int i = 0; i < r->n_problems; i++)
		print_message("  problem %d: %s: %s\n", i, r->problems[i].item, r->problems[i].msg);
}

/* Score f (consumed); expect success with these totals, grades and level. */
static void expect_scored(void **state, json_t *f, const int totals[3], const int grades[3], int level,
			  const char *what)
{
	struct assess_result r;
	bool ok = assess_score(A(state), f, &r);

	json_decref(f);
	if (!ok) {
		dump_problems(&r);
		fail_msg("%s: refused", what);
	}
	assert_int_equal(r.n_problems, 0);
	for (int d = 0; d < 3; d++) {
		if (r.totals[d] != totals[d])
			fail_msg("%s: dimension %d total %d, expected %d", what, d, r.totals[d], totals[d]);
		if (r.grades[d] != grades[d])
			fail_msg("%s: dimension %d grade %d, expected %d", what, d, r.grades[d], grades[d]);
	}
	if (r.level != level)
		fail_msg("%s: level %d, expected %d", what, r.level, level);
}

/* ---- scoring: allowed and refused values ---- */

static void test_every_allowed_score(void **state)
{
	int cases = 0;

	for (int i = 0; i < N_ITEMS; i++)
		for (int k = 0; k < items[i].n; k++) {
			struct assess_result r;
			json_t *f = form(ADL_FULL, COG_FULL, PERC_FULL);
			int top = items[i].scores[items[i].n - 1];
			bool ok;
			json_object_set_new(f, items[i].key, json_integer(items[i].scores[k]));
			ok = assess_score(A(state), f, &r);
			json_decref(f);
			if (!ok) {
				dump_problems(&r);
				fail_msg("%s = %d refused", items[i].key, items[i].scores[k]);
			}
			/* the other items stay at their top score */
			assert_int_equal(r.totals[items[i].dim], dim_max[items[i].dim] - top + items[i].scores[k]);
			cases++;
		}
	assert_int_equal(cases, 3 + 3 + 2 + 3 + 3 + 3 + 4 + 4 + 3 + 2 + 7 * 5);
}

static bool allowed(const struct item_def *it, long long v)
{
	for (int k = 0; k < it->n; k++)
		if (it->scores[k] == v)
			return true;
	return false;
}

/* Score a full form with item i set to v (stolen); expect exactly one problem naming it and its scores. */
static void expect_refused(void **state, int i, json_t *v, const char *what)
{
	struct assess_result r;
	char msg[200];
	json_t *f = form(ADL_FULL, COG_FULL, PERC_FULL);
	bool ok;

	json_object_set_new(f, items[i].key, v);
	ok = assess_score(A(state), f, &r);
	json_decref(f);
	if (ok)
		fail_msg("%s = %s accepted", items[i].key, what);
	if (r.n_problems != 1) {
		dump_problems(&r);
		fail_msg("%s = %s: %d problems, expected 1", items[i].key, what, r.n_problems);
	}
	assert_int_equal(r.level, -1);
	assert_string_equal(r.problems[0].item, items[i].key);
	snprintf(msg, sizeof msg, "%s（%s）的分值只能是%s", items[i].key, items[i].name, items[i].allowed);
	assert_string_equal(r.problems[0].msg, msg);
}

static void test_neighbouring_scores_refused(void **state)
{
	/* beyond the neighbours v-1 and v+1 of every allowed v: far below, far above, the cognition maximum, and
	 * integers that equal an allowed score modulo 2^32 (a truncation to int would accept them) */
	static const long long extra[] = {-5, -1, 16, 20, 100, 1000, -2147483648LL, 2147483647LL,
					  4294967296LL, 4294967301LL, 4294967306LL, -4294967296LL};
	int refused = 0;

	for (int i = 0; i < N_ITEMS; i++) {
		const struct item_def *it = &items[i];
		long long top = it->scores[it->n - 1];
		long long tried[64];
		int n = 0;
		for (int k = 0; k < it->n; k++) {
			tried[n++] = it->scores[k] - 1;
			tried[n++] = it->scores[k] + 1;
		}
		tried[n++] = top + 5;
		for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++)
			tried[n++] = extra[e];
		for (int t = 0; t < n; t++) {
			char what[32];
			if (allowed(it, tried[t]))
				continue;
			snprintf(what, sizeof what, "%lld", tried[t]);
			expect_refused(state, i, json_integer(tried[t]), what);
			refused++;
		}
	}
	/* e.g. walking 0/5/10/15 refuses -1,1,4,6,9,11,14,16,20 and the extras */
	assert_true(refused > N_ITEMS * 12);
}

static void test_other_types_refused(void **state)
{
	for (int i = 0; i < N_ITEMS; i++) {
		int top = items[i].scores[items[i].n - 1];
		char text[8];
		snprintf(text, sizeof text, "%d", top);
		expect_refused(state, i, json_string(text), "a string");
		expect_refused(state, i, json_string(""), "an empty string");
		expect_refused(state, i, json_real(top), "a real");
		expect_refused(state, i, json_real(top + 0.5), "a fraction");
		expect_refused(state, i, json_null(), "null");
		expect_refused(state, i, json_true(), "true");
		expect_refused(state, i, json_false(), "false");
		expect_refused(state, i, json_pack("[i]", top), "an array");
		expect_refused(state, i, json_pack("{s:i}", "score", top), "an object");
	}
}

struct want_problem {
	const char *item, *msg;
};

/* Score f (consumed); expect it refused with exactly these problems, in any order. */
static void expect_problems(void **state, json_t *f, const struct want_problem *want, int n)
{
	struct assess_result r;
	bool used[ASSESS_MAX_PROBLEMS] = {false};
	bool ok = assess_score(A(state), f, &r);

	json_decref(f);
	assert_false(ok);
	assert_int_equal(r.level, -1);
	for (int i = 0; i < n; i++) {
		int k;
		for (k = 0; k < r.n_problems; k++)
			if (!used[k] && strcmp(r.problems[k].item, want[i].item) == 0 &&
			    strcmp(r.problems[k].msg, want[i].msg) == 0)
				break;
		if (k == r.n_problems) {
			dump_problems(&r);
			fail_msg("missing problem %s: %s", want[i].item, want[i].msg);
		}
		used[k] = true;
	}
	if (r.n_problems != n) {
		dump_problems(&r);
		fail_msg("%d problems, expected %d", r.n_problems, n);
	}
}

static void test_missing_and_unknown_items(void **state)
{
	json_t *f;

	f = form(ADL_FULL, COG_FULL, PERC_FULL);
	json_object_del(f, "memory");
	{
		static const struct want_problem w[] = {{"memory", "缺少评估项目memory（记忆力），可选分值：0/1/2/3/4"}};
		expect_problems(state, f, w, 1);
	}
	f = form(ADL_FULL, COG_FULL, PERC_FULL);
	json_object_del(f, "walking");
	{
		static const struct want_problem w[] = {{"walking", "缺少评估项目walking（平地行走），可选分值：0/5/10/15"}};
		expect_problems(state, f, w, 1);
	}
	f = form(ADL_FULL, COG_FULL, PERC_FULL);
	json_object_set_new(f, "mood", json_integer(3));
	{
		static const struct want_problem w[] = {{"mood", "未知的评估项目mood"}};
		expect_problems(state, f, w, 1);
	}
	/* a gate key is not a form item; a non-ASCII key is echoed with '?' for each byte */
	f = form(ADL_FULL, COG_FULL, PERC_FULL);
	json_object_set_new(f, "continence", json_integer(10));
	json_object_set_new(f, "情绪", json_integer(3));
	{
		static const struct want_problem w[] = {{"continence", "未知的评估项目continence"},
							{"??????", "未知的评估项目??????"}};
		expect_problems(state, f, w, 2);
	}
}

static void test_all_problems_at_once(void **state)
{
	static const struct want_problem w[] = {
		{"mood", "未知的评估项目mood"},
		{"walking", "walking（平地行走）的分值只能是0/5/10/15"},
		{"face_oral", "face_oral（面部与口腔清洁）的分值只能是0/5"},
		{"memory", "缺少评估项目memory（记忆力），可选分值：0/1/2/3/4"},
		{"vision", "vision（视力）的分值只能是0/1/2/3/4"},
		{"communication", "缺少评估项目communication（沟通能力），可选分值：0/1/2/3/4"},
	};
	json_t *f = form(ADL_FULL, COG_FULL, PERC_FULL);
	struct assess_result r;

	json_object_set_new(f, "walking", json_integer(7));
	json_object_set_new(f, "face_oral", json_integer(10));
	json_object_del(f, "memory");
	json_object_set_new(f, "vision", json_string("4"));
	json_object_del(f, "communication");
	json_object_set_new(f, "mood", json_integer(1));
	expect_problems(state, f, w, 6);

	/* an empty form: all 17 items missing */
	f = json_object();
	assert_false(assess_score(A(state), f, &r));
	json_decref(f);
	assert_int_equal(r.n_problems, 17);
	assert_string_equal(r.problems[0].item, "eating");
	assert_string_equal(r.problems[16].item, "communication");

	/* not an object */
	{
		static const struct want_problem nw[] = {{"items", "items应为对象（评估项目 -> 分值）"}};
		expect_problems(state, json_array(), nw, 1);
		expect_problems(state, json_integer(100), nw, 1);
		assert_false(assess_score(A(state), NULL, &r));
		assert_int_equal(r.n_problems, 1);
		assert_string_equal(r.problems[0].item, "items");
	}
}

/* ---- grade bands at every boundary ---- */

struct band_case {
	int adl[10], cog[4], perc[3];
	int totals[3], grades[3], level;
};

static void test_band_boundaries(void **state)
{
	static const struct band_case cases[] = {
		/* ADL, with cognition 16 and perception 12 (column grade 0): level = row of column 0 */
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {4, 4, 4}, {100, 16, 12}, {0, 0, 0}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 0}, {4, 4, 4, 4}, {4, 4, 4}, {95, 16, 12}, {1, 0, 0}, 1},
		{{10, 10, 0, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {4, 4, 4}, {95, 16, 12}, {1, 0, 0}, 1},
		{{10, 10, 0, 10, 10, 10, 0, 0, 10, 5}, {4, 4, 4, 4}, {4, 4, 4}, {65, 16, 12}, {1, 0, 0}, 1},
		{{10, 10, 0, 10, 10, 10, 0, 0, 10, 0}, {4, 4, 4, 4}, {4, 4, 4}, {60, 16, 12}, {2, 0, 0}, 2},
		{{0, 0, 0, 0, 0, 0, 15, 15, 10, 5}, {4, 4, 4, 4}, {4, 4, 4}, {45, 16, 12}, {2, 0, 0}, 2},
		{{5, 5, 5, 5, 5, 5, 5, 5, 5, 0}, {4, 4, 4, 4}, {4, 4, 4}, {45, 16, 12}, {2, 0, 0}, 2},
		{{5, 5, 0, 5, 5, 5, 5, 5, 5, 0}, {4, 4, 4, 4}, {4, 4, 4}, {40, 16, 12}, {3, 0, 0}, 3},
		{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {4, 4, 4, 4}, {4, 4, 4}, {0, 16, 12}, {3, 0, 0}, 3},
		/* cognition, with ADL 100 and perception 12: level = row 0 of the table */
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 3}, {4, 4, 4}, {100, 15, 12}, {0, 1, 0}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {3, 4, 4, 4}, {4, 4, 4}, {100, 15, 12}, {0, 1, 0}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {1, 1, 1, 1}, {4, 4, 4}, {100, 4, 12}, {0, 1, 0}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 0, 0, 0}, {4, 4, 4}, {100, 4, 12}, {0, 1, 0}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {0, 1, 1, 1}, {4, 4, 4}, {100, 3, 12}, {0, 2, 0}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {3, 0, 0, 0}, {4, 4, 4}, {100, 3, 12}, {0, 2, 0}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {0, 0, 1, 1}, {4, 4, 4}, {100, 2, 12}, {0, 2, 0}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {0, 0, 0, 1}, {4, 4, 4}, {100, 1, 12}, {0, 3, 0}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {0, 0, 0, 0}, {4, 4, 4}, {100, 0, 12}, {0, 3, 0}, 1},
		/* perception, with ADL 100 and cognition 16 */
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {4, 4, 3}, {100, 16, 11}, {0, 0, 1}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {2, 1, 1}, {100, 16, 4}, {0, 0, 1}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {0, 4, 0}, {100, 16, 4}, {0, 0, 1}, 0},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {1, 1, 1}, {100, 16, 3}, {0, 0, 2}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {1, 1, 0}, {100, 16, 2}, {0, 0, 2}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {0, 0, 2}, {100, 16, 2}, {0, 0, 2}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {1, 0, 0}, {100, 16, 1}, {0, 0, 3}, 1},
		{{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, {4, 4, 4, 4}, {0, 0, 0}, {100, 16, 0}, {0, 0, 3}, 1},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[32];
		snprintf(what, sizeof what, "band case %zu", i);
		expect_scored(state, form(cases[i].adl, cases[i].cog, cases[i].perc), cases[i].totals, cases[i].grades,
			      cases[i].level, what);
	}
}

/* assess_grade on its own: every boundary, and totals no band holds (never produced by a valid form). */
static void test_grade_of_total(void **state)
{
	/* {dimension, total, grade} */
	static const int cases[][3] = {
		{0, 100, 0}, {0, 95, 1}, {0, 65, 1}, {0, 64, -1}, {0, 61, -1}, {0, 60, 2}, {0, 45, 2}, {0, 44, -1},
		{0, 41, -1}, {0, 40, 3}, {0, 0, 3}, {0, -1, -1}, {0, 101, -1}, {0, 96, -1},
		{1, 16, 0}, {1, 15, 1}, {1, 4, 1}, {1, 3, 2}, {1, 2, 2}, {1, 1, 3}, {1, 0, 3}, {1, 17, -1}, {1, -1, -1},
		{2, 12, 0}, {2, 11, 1}, {2, 4, 1}, {2, 3, 2}, {2, 2, 2}, {2, 1, 3}, {2, 0, 3}, {2, 13, -1}, {2, -1, -1},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int g = assess_grade(&A(state)->dims[cases[i][0]], cases[i][1]);
		if (g != cases[i][2])
			fail_msg("dimension %d total %d: grade %d, expected %d", cases[i][0], cases[i][1], g,
				 cases[i][2]);
	}
}

/* ---- the combination table: 16 cells, column = the worse of cognition and perception ---- */

/* One form per grade: ADL 100 / 80 / 50 / 20, cognition 16 / 10 / 3 / 1, perception 12 / 6 / 2 / 0. */
static const int ADL_G[4][10] = {
	{10, 10, 5, 10, 10, 10, 15, 15, 10, 5}, /* 100 */
	{10, 10, 5, 10, 10, 10, 10, 10, 5, 0},  /* 80 */
	{5, 5, 5, 5, 5, 5, 10, 5, 5, 0},        /* 50 */
	{0, 0, 0, 5, 5, 0, 5, 5, 0, 0},         /* 20 */
};
static const int ADL_T[4] = {100, 80, 50, 20};
static const int COG_G[4][4] = {{4, 4, 4, 4}, {3, 3, 2, 2}, {1, 1, 1, 0}, {1, 0, 0, 0}};
static const int COG_T[4] = {16, 10, 3, 1};
static const int PERC_G[4][3] = {{4, 4, 4}, {3, 2, 1}, {1, 1, 0}, {0, 0, 0}};
static const int PERC_T[4] = {12, 6, 2, 0};

static void test_combination_cells(void **state)
{
	/* for each column grade, the (cognition grade, perception grade) pairs whose worse is that grade: either one
	 * alone, both equal, and the two differing both ways */
	static const int pairs[4][7][2] = {
		{{0, 0}},
		{{1, 0}, {0, 1}, {1, 1}},
		{{2, 0}, {0, 2}, {2, 2}, {2, 1}, {1, 2}},
		{{3, 0}, {0, 3}, {3, 3}, {3, 1}, {1, 3}, {3, 2}, {2, 3}},
	};
	static const int n_pairs[4] = {1, 3, 5, 7};
	/* the 16 cells, written out again cell by cell as DOMAIN.md names them */
	static const struct {
		int row, col, level;
	} cells[16] = {
		{0, 0, 0}, {0, 1, 0}, {0, 2, 1}, {0, 3, 1}, /* 完好: 基本正常 基本正常 轻度 轻度 */
		{1, 0, 1}, {1, 1, 1}, {1, 2, 1}, {1, 3, 2}, /* 轻度: 轻度 轻度 轻度 中度 */
		{2, 0, 2}, {2, 1, 2}, {2, 2, 2}, {2, 3, 3}, /* 中度: 中度 中度 中度 重度Ⅰ */
		{3, 0, 3}, {3, 1, 3}, {3, 2, 4}, {3, 3, 5}, /* 重度: 重度Ⅰ 重度Ⅰ 重度Ⅱ 重度Ⅲ */
	};
	int forms = 0;

	for (int c = 0; c < 16; c++) {
		int row = cells[c].row, col = cells[c].col;
		assert_int_equal(cells[c].level, domain_table[row][col]);
		for (int p = 0; p < n_pairs[col]; p++) {
			int cg = pairs[col][p][0], pg = pairs[col][p][1];
			int totals[3] = {ADL_T[row], COG_T[cg], PERC_T[pg]};
			int grades[3] = {row, cg, pg};
			char what[64];
			snprintf(what, sizeof what, "ADL grade %d, cognition %d, perception %d", row, cg, pg);
			expect_scored(state, form(ADL_G[row], COG_G[cg], PERC_G[pg]), totals, grades, cells[c].level, what);
			forms++;
		}
	}
	assert_int_equal(forms, 4 * (1 + 3 + 5 + 7));
}

/* assess_level directly, for all 4 x 4 x 4 grade triples. */
static void test_level_of_grades(void **state)
{
	for (int r = 0; r < 4; r++)
		for (int cg = 0; cg < 4; cg++)
			for (int pg = 0; pg < 4; pg++) {
				int grades[3] = {r, cg, pg};
				int worse = cg > pg ? cg : pg;
				assert_int_equal(assess_level(A(state), grades), domain_table[r][worse]);
			}
}

static void test_result_json(void **state)
{
	const struct scheme *s = *state;
	struct assess_result r;
	json_t *f = form(ADL_G[3], COG_G[2], PERC_G[3]), *j, *adl;

	assert_true(assess_score(&s->assess, f, &r));
	json_decref(f);
	j = assess_result_json(s, &r);
	adl = json_object_get(j, "adl");
	assert_int_equal(json_integer_value(json_object_get(adl, "total")), 20);
	assert_int_equal(json_integer_value(json_object_get(adl, "grade")), 3);
	assert_string_equal(json_string_value(json_object_get(adl, "grade_name")), "重度");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "cognition"), "total")), 3);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "cognition"), "grade_name")), "中度");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "perception"), "total")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "level")), 5);
	assert_string_equal(json_string_value(json_object_get(j, "level_name")), "重度失能Ⅲ级");
	assert_true(json_is_true(json_object_get(j, "qualifies")));
	assert_int_equal(json_object_size(j), 6);
	json_decref(j);

	/* ADL 80, cognition 16, perception 6: 轻度失能, no benefits */
	f = form(ADL_G[1], COG_G[0], PERC_G[1]);
	assert_true(assess_score(&s->assess, f, &r));
	json_decref(f);
	j = assess_result_json(s, &r);
	assert_int_equal(json_integer_value(json_object_get(j, "level")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "level_name")), "轻度失能");
	assert_true(json_is_false(json_object_get(j, "qualifies")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "perception"), "grade_name")), "轻度");
	json_decref(j);
}

/* ---- the self-assessment gate ---- */

static const char *const gate_keys[6] = {"eating", "continence", "bathing", "dressing", "toileting", "transfer"};
static const char *const answers[3] = {"independent", "partial", "dependent"};

/* DOMAIN.md 3.2 read as written, na and nb the dependent a- and b-class items: A none; B a1 or b1-2;
 * C a1+b1 or b3; D a2 or a1+b2; E a3 or a2+b1-2 or a1+b3; F a3+b1-2 or a2+b3; G all six. */
static char domain_gate(int na, int nb)
{
	if (na == 3 && nb == 3)
		return 'G';
	else if (na == 3 && (nb == 1 || nb == 2))
		return 'F';
	else if (na == 2 && nb == 3)
		return 'F';
	else if (na == 3 && nb == 0)
		return 'E';
	else if (na == 2 && (nb == 1 || nb == 2))
		return 'E';
	else if (na == 1 && nb == 3)
		return 'E';
	else if (na == 2 && nb == 0)
		return 'D';
	else if (na == 1 && nb == 2)
		return 'D';
	else if (na == 1 && nb == 1)
		return 'C';
	else if (na == 0 && nb == 3)
		return 'C';
	else if (na == 1 && nb == 0)
		return 'B';
	else if (na == 0 && (nb == 1 || nb == 2))
		return 'B';
	else if (na == 0 && nb == 0)
		return 'A';
	return '?';
}

static void test_gate_all_answer_sets(void **state)
{
	/* letters over the 729 sets, by hand: the sets with n dependent of 3 items number 8, 12, 6, 1 for n = 0..3
	 * (C(3,n) * 2^(3-n)), so A = 8*8 = 64; B = 12*8 + 8*12 + 8*6 = 240; C = 12*12 + 8*1 = 152;
	 * D = 6*8 + 12*6 = 120; E = 1*8 + 6*12 + 6*6 + 12*1 = 128; F = 1*12 + 1*6 + 6*1 = 24; G = 1 */
	static const int want_count[7] = {64, 240, 152, 120, 128, 24, 1};
	int count[7] = {0}, proceed = 0;

	for (int set = 0; set < 729; set++) {
		json_t *ans = json_object();
		int na = 0, nb = 0, x = set;
		char msg[200] = "", got, want;
		for (int i = 0; i < 6; i++, x /= 3) {
			json_object_set_new(ans, gate_keys[i], json_string(answers[x % 3]));
			if (x % 3 == 2) {
				if (i < 3)
					na++;
				else
					nb++;
			}
		}
		got = assess_gate(A(state), ans, msg, sizeof msg);
		json_decref(ans);
		want = domain_gate(na, nb);
		if (got != want)
			fail_msg("answer set %d (a %d, b %d dependent): gate %c, expected %c (%s)", set, na, nb,
				 got ? got : '0', want, msg);
		count[got - 'A']++;
		if (assess_gate_proceeds(A(state), got) != (want == 'E' || want == 'F' || want == 'G'))
			fail_msg("answer set %d: letter %c proceeds wrongly", set, got);
		proceed += assess_gate_proceeds(A(state), got);
	}
	for (int l = 0; l < 7; l++)
		if (count[l] != want_count[l])
			fail_msg("letter %c for %d answer sets, expected %d", 'A' + l, count[l], want_count[l]);
	assert_int_equal(proceed, 128 + 24 + 1);
}

static void test_gate_proceeds_letters(void **state)
{
	for (char c = 'A'; c <= 'Z'; c++)
		if (assess_gate_proceeds(A(state), c) != (c == 'E' || c == 'F' || c == 'G'))
			fail_msg("letter %c", c);
	assert_false(assess_gate_proceeds(A(state), 0));
	assert_false(assess_gate_proceeds(A(state), 'e'));
	assert_false(assess_gate_proceeds(A(state), 'g'));
}

static json_t *all_answers(const char *answer)
{
	json_t *ans = json_object();

	for (int i = 0; i < 6; i++)
		json_object_set_new(ans, gate_keys[i], json_string(answer));
	return ans;
}

static void expect_gate_refused(void **state, json_t *ans, const char *msg_want)
{
	char msg[200] = "";
	char got = assess_gate(A(state), ans, msg, sizeof msg);

	json_decref(ans);
	if (got)
		fail_msg("accepted as %c; expected: %s", got, msg_want);
	assert_string_equal(msg, msg_want);
}

static void test_gate_invalid(void **state)
{
	static const char bathing[] = "自评项目bathing（洗澡）应为independent（独立）、partial（部分独立）或dependent（依赖）";
	static const char eating[] = "自评项目eating（进食）应为independent（独立）、partial（部分独立）或dependent（依赖）";
	static const char transfer[] =
		"自评项目transfer（床椅转移）应为independent（独立）、partial（部分独立）或dependent（依赖）";
	json_t *ans;

	ans = all_answers("dependent");
	json_object_set_new(ans, "bathing", json_string("Dependent"));
	expect_gate_refused(state, ans, bathing);
	ans = all_answers("dependent");
	json_object_set_new(ans, "bathing", json_string("依赖"));
	expect_gate_refused(state, ans, bathing);
	ans = all_answers("dependent");
	json_object_set_new(ans, "bathing", json_string(""));
	expect_gate_refused(state, ans, bathing);
	ans = all_answers("dependent");
	json_object_set_new(ans, "bathing", json_integer(2));
	expect_gate_refused(state, ans, bathing);
	ans = all_answers("dependent");
	json_object_set_new(ans, "bathing", json_null());
	expect_gate_refused(state, ans, bathing);
	ans = all_answers("independent");
	json_object_del(ans, "transfer");
	expect_gate_refused(state, ans, transfer);
	expect_gate_refused(state, json_object(), eating);
	ans = all_answers("partial");
	json_object_set_new(ans, "walking", json_string("partial"));
	expect_gate_refused(state, ans, "自评表中有未知项目walking");
	ans = all_answers("partial");
	json_object_set_new(ans, "Eating", json_string("partial"));
	expect_gate_refused(state, ans, "自评表中有未知项目Eating");
	expect_gate_refused(state, json_array(), "自评表应为对象（项目 -> independent/partial/dependent）");
	expect_gate_refused(state, json_string("dependent"), "自评表应为对象（项目 -> independent/partial/dependent）");

	/* the valid extremes */
	{
		char msg[200];
		ans = all_answers("independent");
		assert_int_equal(assess_gate(A(state), ans, msg, sizeof msg), 'A');
		json_decref(ans);
		ans = all_answers("partial");
		assert_int_equal(assess_gate(A(state), ans, msg, sizeof msg), 'A'); /* partial is not dependent */
		json_decref(ans);
		ans = all_answers("dependent");
		assert_int_equal(assess_gate(A(state), ans, msg, sizeof msg), 'G');
		json_decref(ans);
	}
}

static void test_gate_without_rule(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	json_t *ans = all_answers("dependent");
	char msg[200] = "";

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json", &s, &d), 0);
	assert_int_equal(assess_gate(&s->assess, ans, msg, sizeof msg), 0);
	assert_string_equal(msg, "保障方案没有自评规则");
	assert_false(assess_gate_proceeds(&s->assess, 'G'));
	json_decref(ans);
	scheme_free(s);
}

/* ---- the draw ---- */

static bool member(const int64_t *list, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i] == id)
			return true;
	return false;
}

static void test_draw_reproducible(void **state)
{
	int64_t experts[20], assessors[13];

	for (int i = 0; i < 20; i++)
		experts[i] = 1000 + 37 * i;
	for (int i = 0; i < 13; i++)
		assessors[i] = 900000000000LL + i * i;
	for (uint64_t seed = 0; seed < 2000; seed++) {
		uint64_t sd = seed * 0x100000001ULL; /* low and high bits both vary */
		int64_t e1, a1, e2, a2;
		assert_true(assess_draw(sd, experts, 20, assessors, 13, &e1, &a1));
		assert_true(assess_draw(sd, experts, 20, assessors, 13, &e2, &a2));
		assert_true(e1 == e2 && a1 == a2);
		if (!member(experts, 20, e1) || !member(assessors, 13, a1))
			fail_msg("seed %llu: drew %lld / %lld, not candidates", (unsigned long long)sd, (long long)e1,
				 (long long)a1);
	}
}

static void test_draw_spread(void **state)
{
	int64_t pool[20];
	int ce[20] = {0}, ca[20] = {0}, same = 0;

	for (int i = 0; i < 20; i++)
		pool[i] = 500 + i;
	/* 10,000 seeds over a pool of 20 (the same list for both roles): 500 expected per candidate */
	for (uint64_t seed = 0; seed < 10000; seed++) {
		int64_t e, a;
		assert_true(assess_draw(seed, pool, 20, pool, 20, &e, &a));
		assert_true(e >= 500 && e < 520 && a >= 500 && a < 520);
		ce[e - 500]++;
		ca[a - 500]++;
		same += e == a;
	}
	for (int i = 0; i < 20; i++) {
		if (ce[i] < 1 || ce[i] > 1000)
			fail_msg("expert candidate %d drawn %d times of 10000", i, ce[i]);
		if (ca[i] < 1 || ca[i] > 1000)
			fail_msg("assessor candidate %d drawn %d times of 10000", i, ca[i]);
	}
	/* the two roles use different numbers: the same index about 1 time in 20, not always */
	if (same > 1000)
		fail_msg("expert and assessor at the same index %d times of 10000", same);

	/* unequal pools: 20 experts, 7 assessors (1429 expected each) */
	memset(ca, 0, sizeof ca);
	for (uint64_t seed = 0; seed < 10000; seed++) {
		int64_t e, a;
		assert_true(assess_draw(seed << 40, pool, 20, pool, 7, &e, &a));
		ca[a - 500]++;
	}
	for (int i = 0; i < 7; i++)
		if (ca[i] < 1 || ca[i] > 2 * 1429)
			fail_msg("assessor candidate %d of 7 drawn %d times of 10000", i, ca[i]);
}

static void test_draw_edges(void **state)
{
	int64_t one[1] = {42}, two[2] = {7, 8}, e = -1, a = -1;

	assert_false(assess_draw(1, one, 0, two, 2, &e, &a));
	assert_false(assess_draw(1, one, 1, two, 0, &e, &a));
	assert_false(assess_draw(1, one, 0, two, 0, &e, &a));
	assert_false(assess_draw(1, one, -1, two, 2, &e, &a));
	assert_int_equal(e, -1); /* untouched on refusal */
	assert_int_equal(a, -1);
	for (uint64_t seed = 0; seed < 100; seed++) {
		assert_true(assess_draw(seed * 7919, one, 1, one, 1, &e, &a));
		assert_int_equal(e, 42);
		assert_int_equal(a, 42);
	}
}

/* Pinned draws. splitmix64 (assess.c): state += 0x9e3779b97f4a7c15; z = state;
 * z = (z ^ z>>30) * 0xbf58476d1ce4e5b9; z = (z ^ z>>27) * 0x94d049bb133111eb; z ^= z>>31. The first output picks
 * the expert (index z % n), the second the assessor. Computed with an independent Python implementation; seed 0's
 * outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4 are also splitmix64's published first values. */
static void test_draw_pinned(void **state)
{
	static const int64_t experts[7] = {101, 102, 103, 104, 105, 106, 107};
	static const int64_t assessors[13] = {2001, 2002, 2003, 2004, 2005, 2006, 2007,
					      2008, 2009, 2010, 2011, 2012, 2013};
	static const struct {
		uint64_t seed;
		int64_t expert, assessor;
	} pins[] = {
		{0, 103, 2001},                     /* 0xe220a8397b1dcdaf % 7 = 2, 0x6e789e6aa1b965f4 % 13 = 0 */
		{1, 103, 2007},                     /* 0x910a2dec89025cc1, 0xbeeb8da1658eec67 */
		{20250101, 104, 2009},              /* 0xac32ff5ac20fb509, 0x391b718d40e5e687 */
		{0xffffffffffffffffULL, 101, 2003}, /* 0xe4d971771b652c20, 0xe99ff867dbf682c9 */
	};

	assert_true(0xe220a8397b1dcdafULL % 7 == 2);
	assert_true(0x6e789e6aa1b965f4ULL % 13 == 0);
	for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++) {
		int64_t e, a;
		assert_true(assess_draw(pins[i].seed, experts, 7, assessors, 13, &e, &a));
		if (e != pins[i].expert || a != pins[i].assessor)
			fail_msg("seed %llu: drew %lld / %lld, expected %lld / %lld", (unsigned long long)pins[i].seed,
				 (long long)e, (long long)a, (long long)pins[i].expert, (long long)pins[i].assessor);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allowed_score),
		cmocka_unit_test(test_neighbouring_scores_refused),
		cmocka_unit_test(test_other_types_refused),
		cmocka_unit_test(test_missing_and_unknown_items),
		cmocka_unit_test(test_all_problems_at_once),
		cmocka_unit_test(test_band_boundaries),
		cmocka_unit_test(test_grade_of_total),
		cmocka_unit_test(test_combination_cells),
		cmocka_unit_test(test_level_of_grades),
		cmocka_unit_test(test_result_json),
		cmocka_unit_test(test_gate_all_answer_sets),
		cmocka_unit_test(test_gate_proceeds_letters),
		cmocka_unit_test(test_gate_invalid),
		cmocka_unit_test(test_gate_without_rule),
		cmocka_unit_test(test_draw_reproducible),
		cmocka_unit_test(test_draw_spread),
		cmocka_unit_test(test_draw_edges),
		cmocka_unit_test(test_draw_pinned),
	};

	return cmocka_run_group_tests_name("assess", tests, setup, teardown);
}
