/* test_scheme.c: scheme files (scheme/scheme.h). The shipped schemes must load with the values written in them;
 * a broken document must yield every problem, each with its exact JSON path, in a single run. The care section
 * (catalogue and entitlements) and the visits section (verification thresholds, time limits, complaint categories)
 * are optional; when given, each of their rules is tried one problem at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "scheme/scheme.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

/* A small valid scheme; focused tests change one thing in it. Its assessment section is the national standard
 * (2021) written out by hand from DOMAIN.md 3.2-3.3, without the score descriptions: dimensions[0] is ADL
 * (10 items, max 100), [1] cognition (4 items 0-4, max 16), [2] perception (3 items 0-4, max 12). */
static const char base_doc[] =
	"{"
	"\"format\":\"ltci-scheme/1\",\"id\":\"test-city_1\",\"name\":\"测试市长期护理保险\",\"version\":\"2025.1\","
	"\"region\":{\"name\":\"测试市\",\"code\":\"330900\"},"
	"\"effective_from\":\"2025-01-01\",\"effective_until\":null,"
	"\"sources\":[],\"note\":\"unit test\","
	"\"assessment\":{\"standard\":\"national-2021\",\"instrument\":\"国标2021\","
	"\"grades\":[\"完好\",\"轻度\",\"中度\",\"重度\"],"
	"\"dimensions\":["
	"{\"key\":\"adl\",\"name\":\"日常生活活动能力\",\"max\":100,\"bands\":[{\"grade\":0,\"min\":100,\"max\":100},"
	"{\"grade\":1,\"min\":65,\"max\":95},{\"grade\":2,\"min\":45,\"max\":60},{\"grade\":3,\"min\":0,\"max\":40}]},"
	"{\"key\":\"cognition\",\"name\":\"认知能力\",\"max\":16,\"bands\":[{\"grade\":0,\"min\":16,\"max\":16},"
	"{\"grade\":1,\"min\":4,\"max\":15},{\"grade\":2,\"min\":2,\"max\":3},{\"grade\":3,\"min\":0,\"max\":1}]},"
	"{\"key\":\"perception\",\"name\":\"感知觉与沟通能力\",\"max\":12,\"bands\":[{\"grade\":0,\"min\":12,\"max\":12},"
	"{\"grade\":1,\"min\":4,\"max\":11},{\"grade\":2,\"min\":2,\"max\":3},{\"grade\":3,\"min\":0,\"max\":1}]}],"
	"\"items\":["
	"{\"key\":\"eating\",\"name\":\"进食\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"dressing\",\"name\":\"穿衣\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"face_oral\",\"name\":\"面部与口腔清洁\",\"dimension\":\"adl\",\"scores\":[0,5]},"
	"{\"key\":\"bowel\",\"name\":\"大便控制\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"bladder\",\"name\":\"小便控制\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"toilet\",\"name\":\"用厕\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"walking\",\"name\":\"平地行走\",\"dimension\":\"adl\",\"scores\":[0,5,10,15]},"
	"{\"key\":\"transfer\",\"name\":\"床椅转移\",\"dimension\":\"adl\",\"scores\":[0,5,10,15]},"
	"{\"key\":\"stairs\",\"name\":\"上下楼梯\",\"dimension\":\"adl\",\"scores\":[0,5,10]},"
	"{\"key\":\"bathing\",\"name\":\"洗澡\",\"dimension\":\"adl\",\"scores\":[0,5]},"
	"{\"key\":\"time_orientation\",\"name\":\"时间定向\",\"dimension\":\"cognition\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"person_orientation\",\"name\":\"人物定向\",\"dimension\":\"cognition\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"place_orientation\",\"name\":\"空间定向\",\"dimension\":\"cognition\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"memory\",\"name\":\"记忆力\",\"dimension\":\"cognition\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"vision\",\"name\":\"视力\",\"dimension\":\"perception\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"hearing\",\"name\":\"听力\",\"dimension\":\"perception\",\"scores\":[0,1,2,3,4]},"
	"{\"key\":\"communication\",\"name\":\"沟通能力\",\"dimension\":\"perception\",\"scores\":[0,1,2,3,4]}],"
	"\"combination\":{\"row\":\"adl\",\"columns\":[\"cognition\",\"perception\"],\"column_rule\":\"worst\","
	"\"table\":[[0,0,1,1],[1,1,1,2],[2,2,2,3],[3,3,4,5]]},"
	"\"self_assessment\":{\"items\":["
	"{\"key\":\"eating\",\"name\":\"进食\",\"class\":\"a\"},{\"key\":\"continence\",\"name\":\"大小便控制\",\"class\":\"a\"},"
	"{\"key\":\"bathing\",\"name\":\"洗澡\",\"class\":\"a\"},{\"key\":\"dressing\",\"name\":\"穿衣\",\"class\":\"b\"},"
	"{\"key\":\"toileting\",\"name\":\"用厕\",\"class\":\"b\"},{\"key\":\"transfer\",\"name\":\"床椅转移\",\"class\":\"b\"}],"
	"\"table\":[[\"A\",\"B\",\"B\",\"C\"],[\"B\",\"C\",\"D\",\"E\"],[\"D\",\"E\",\"E\",\"F\"],[\"E\",\"F\",\"F\",\"G\"]],"
	"\"proceed\":\"EFG\"},"
	"\"quality\":{\"min_visit_minutes\":30,\"gps_max_m\":500,\"level_jump\":2,\"outlier_min_assessments\":10,"
	"\"outlier_z_x100\":300,\"workload_cap\":8,\"valid_from\":\"next_month\"}},"
	"\"levels\":["
	"{\"level\":0,\"name\":\"基本正常\",\"qualifies\":false},"
	"{\"level\":1,\"name\":\"轻度失能\",\"qualifies\":false},"
	"{\"level\":2,\"name\":\"中度失能\",\"qualifies\":false},"
	"{\"level\":3,\"name\":\"重度失能Ⅰ级\",\"qualifies\":true},"
	"{\"level\":4,\"name\":\"重度失能Ⅱ级\",\"qualifies\":true},"
	"{\"level\":5,\"name\":\"重度失能Ⅲ级\",\"qualifies\":true}],"
	"\"eligibility\":{\"min_age\":0,\"disability_min_months\":6},"
	"\"periods\":{\"validity_months\":24,\"publication_days\":7,\"appeal_days\":30,\"reapply_interval_months\":6,"
	"\"prescreen_working_days\":5,\"conclusion_working_days\":30,\"renewal_window_days\":30},"
	"\"calendar\":{\"note\":\"2025 National Day only\","
	"\"holidays\":[\"2025-10-08\",\"2025-10-01\",\"2025-10-02\",\"2025-10-03\",\"2025-10-04\",\"2025-10-05\","
	"\"2025-10-06\",\"2025-10-07\"],"
	"\"workdays\":[\"2025-10-11\",\"2025-09-28\"]}"
	"}";

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);

	if (!doc)
		fail_msg("test document does not parse: %s (line %d)", je.text, je.line);
	return doc;
}

static void dump_diag(const struct scheme_diag *d)
{
	for (int i = 0; i < d->n; i++)
		print_message("  problem %d: %s: %s\n", i, d->items[i].path, d->items[i].msg);
}

/* Validate doc (consumed); expect exactly one problem. */
static void expect_one(json_t *doc, const char *path, const char *msg)
{
	static struct scheme_diag d;
	struct scheme *s = (struct scheme *)1;
	int rc = scheme_from_json(doc, &s, &d);

	json_decref(doc);
	if (rc != ERR_INVALID || d.n != 1) {
		dump_diag(&d);
		fail_msg("expected exactly one problem (%s: %s), got rc %d and %d problems", path, msg, rc, d.n);
	}
	assert_null(s);
	assert_string_equal(d.items[0].path, path);
	assert_string_equal(d.items[0].msg, msg);
}

/* Validate doc (consumed); expect it to load. */
static void expect_ok(json_t *doc)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	int rc = scheme_from_json(doc, &s, &d);

	json_decref(doc);
	if (rc != 0) {
		dump_diag(&d);
		fail_msg("expected the document to load, got rc %d and %d problems", rc, d.n);
	}
	assert_int_equal(d.n, 0);
	scheme_free(s);
}

struct expected {
	const char *path, *msg;
};

/* Validate doc (consumed); expect it refused with exactly the problems in want (in any order, each once). */
static void expect_all(json_t *doc, const struct expected *want, size_t n_want)
{
	static struct scheme_diag d;
	bool used[LIMIT_SCHEME_ERRORS] = {false};
	struct scheme *s = (struct scheme *)1;
	int rc = scheme_from_json(doc, &s, &d);

	json_decref(doc);
	assert_int_equal(rc, ERR_INVALID);
	assert_null(s);
	for (size_t i = 0; i < n_want; i++) {
		int k;
		for (k = 0; k < d.n; k++)
			if (!used[k] && strcmp(d.items[k].path, want[i].path) == 0 &&
			    strcmp(d.items[k].msg, want[i].msg) == 0)
				break;
		if (k == d.n) {
			dump_diag(&d);
			fail_msg("missing problem %s: %s", want[i].path, want[i].msg);
		}
		used[k] = true;
	}
	if ((size_t)d.n != n_want) {
		dump_diag(&d);
		fail_msg("%d problems reported, expected %zu", d.n, n_want);
	}
	assert_int_equal(d.dropped, 0);
}

static json_t *levels_doc(const char *levels_json)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "levels", load(levels_json));
	return doc;
}

/* The value at a path below root such as "assessment.dimensions[0].bands[2]" (borrowed; fails the test if absent). */
static json_t *at(json_t *root, const char *path)
{
	json_t *v = root;
	const char *p = path;

	while (*p && v) {
		if (*p == '.') {
			p++;
		} else if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);
			v = json_array_get(v, (size_t)i);
			p = end + 1;
		} else {
			char key[64];
			size_t n = strcspn(p, ".[");
			snprintf(key, sizeof key, "%.*s", (int)n, p);
			v = json_object_get(v, key);
			p += n;
		}
	}
	if (!v)
		fail_msg("test path %s not found", path);
	return v;
}

/* Set key of the object at path in a copy of the base document (value stolen). */
static json_t *base_with(const char *path, const char *key, json_t *value)
{
	json_t *doc = load(base_doc);

	json_object_set_new(at(doc, path), key, value);
	return doc;
}

/* The national standard (2021) as DOMAIN.md 3.2-3.3 writes it, in the parsed struct. */
static void check_national(const struct scheme_assessment *a)
{
	static const char *const item_keys[17] = {
		"eating", "dressing", "face_oral", "bowel", "bladder", "toilet", "walking", "transfer", "stairs",
		"bathing", "time_orientation", "person_orientation", "place_orientation", "memory", "vision", "hearing",
		"communication"};
	static const int item_dim[17] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
	static const int item_top[17] = {10, 10, 5, 10, 10, 10, 15, 15, 10, 5, 4, 4, 4, 4, 4, 4, 4};
	static const int item_n[17] = {3, 3, 2, 3, 3, 3, 4, 4, 3, 2, 5, 5, 5, 5, 5, 5, 5};
	static const char *const dim_keys[3] = {"adl", "cognition", "perception"};
	static const int dim_max[3] = {100, 16, 12};
	/* {grade, min, max} per band, in file order */
	static const int bands[3][4][3] = {
		{{0, 100, 100}, {1, 65, 95}, {2, 45, 60}, {3, 0, 40}},
		{{0, 16, 16}, {1, 4, 15}, {2, 2, 3}, {3, 0, 1}},
		{{0, 12, 12}, {1, 4, 11}, {2, 2, 3}, {3, 0, 1}},
	};
	static const int table[4][4] = {{0, 0, 1, 1}, {1, 1, 1, 2}, {2, 2, 2, 3}, {3, 3, 4, 5}};
	static const char *const gate_keys[6] = {"eating", "continence", "bathing", "dressing", "toileting", "transfer"};
	static const char gate[4][5] = {"ABBC", "BCDE", "DEEF", "EFFG"};

	assert_int_equal(a->n_items, 17);
	for (int i = 0; i < 17; i++) {
		assert_string_equal(a->items[i].key, item_keys[i]);
		assert_int_equal(a->items[i].dim, item_dim[i]);
		assert_int_equal(a->items[i].n_scores, item_n[i]);
		assert_int_equal(a->items[i].scores[0], 0);
		assert_int_equal(a->items[i].scores[item_n[i] - 1], item_top[i]);
	}
	assert_int_equal(a->items[6].scores[1], 5); /* walking 0/5/10/15 */
	assert_int_equal(a->items[6].scores[2], 10);
	assert_int_equal(a->items[13].scores[2], 2); /* memory 0/1/2/3/4 */
	assert_string_equal(a->items[2].name, "面部与口腔清洁");
	assert_int_equal(a->n_dims, 3);
	for (int d = 0; d < 3; d++) {
		assert_string_equal(a->dims[d].key, dim_keys[d]);
		assert_int_equal(a->dims[d].max, dim_max[d]);
		assert_int_equal(a->dims[d].n_bands, 4);
		for (int b = 0; b < 4; b++) {
			assert_int_equal(a->dims[d].bands[b].grade, bands[d][b][0]);
			assert_int_equal(a->dims[d].bands[b].min, bands[d][b][1]);
			assert_int_equal(a->dims[d].bands[b].max, bands[d][b][2]);
		}
	}
	assert_int_equal(a->n_grades, 4);
	assert_string_equal(a->grade_names[0], "完好");
	assert_string_equal(a->grade_names[3], "重度");
	assert_int_equal(a->row_dim, 0);
	assert_int_equal(a->n_col_dims, 2);
	assert_int_equal(a->col_dims[0], 1);
	assert_int_equal(a->col_dims[1], 2);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++)
			assert_int_equal(a->table[r][c], table[r][c]);
	assert_true(a->has_gate);
	assert_int_equal(a->n_gate_items, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(a->gate_items[i].key, gate_keys[i]);
		assert_int_equal(a->gate_items[i].cls, i >= 3);
	}
	assert_int_equal(a->gate_count[0], 3);
	assert_int_equal(a->gate_count[1], 3);
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++)
			assert_int_equal(a->gate_table[r][c], gate[r][c]);
	assert_string_equal(a->gate_proceed, "EFG");
	assert_int_equal(a->min_visit_minutes, 30);
	assert_int_equal(a->gps_max_m, 500);
	assert_int_equal(a->level_jump, 2);
	assert_int_equal(a->outlier_min_assessments, 10);
	assert_int_equal(a->outlier_z_x100, 300);
	assert_int_equal(a->workload_cap, 8);
	assert_string_equal(a->valid_from, "next_month");
}

/* ---- valid documents ---- */

static void test_base_document_loads(void **state)
{
	static struct scheme_diag d;
	json_t *doc = load(base_doc);
	struct scheme *s = NULL;

	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc); /* the scheme keeps its own reference */
	assert_non_null(s);
	assert_int_equal(d.n, 0);
	assert_string_equal(s->id, "test-city_1");
	assert_string_equal(s->region_code, "330900");
	assert_int_equal(s->effective_from, 20089); /* 2025-01-01 */
	assert_int_equal(s->effective_until, 0);
	assert_int_equal(s->standard, SCHEME_STD_NATIONAL_2021);
	assert_int_equal(s->n_levels, 6);
	/* Calendar arrays come out sorted whatever the file order. */
	assert_int_equal(s->n_holidays, 8);
	assert_int_equal(s->holidays[0], D("2025-10-01"));
	assert_int_equal(s->holidays[7], D("2025-10-08"));
	assert_int_equal(s->n_workdays, 2);
	assert_int_equal(s->workdays[0], D("2025-09-28"));
	assert_int_equal(s->workdays[1], D("2025-10-11"));
	assert_int_equal(cal_add_workdays(&s->cal, D("2025-09-30"), 1), D("2025-10-09"));
	assert_non_null(s->doc);
	assert_string_equal(json_string_value(json_object_get(s->doc, "note")), "unit test");
	check_national(&s->assess);
	scheme_free(s);
}

static void test_zhoushan_loads(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	int rc = scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &s, &d);

	if (rc != 0) {
		dump_diag(&d);
		fail_msg("zhoushan.json refused (rc %d)", rc);
	}
	assert_string_equal(s->id, "zhoushan");
	assert_string_equal(s->name, "舟山市长期护理保险保障方案");
	assert_string_equal(s->version, "2024.05");
	assert_string_equal(s->region_name, "舟山市");
	assert_string_equal(s->region_code, "330900");
	assert_int_equal(s->effective_from, 19844); /* 2024-05-01 */
	assert_int_equal(s->effective_until, 0);
	assert_int_equal(s->standard, SCHEME_STD_NATIONAL_2021);
	assert_string_equal(s->instrument, "长期护理失能等级评估标准（试行）2021");
	assert_int_equal(s->n_levels, 6);
	for (int lv = 0; lv <= 5; lv++) {
		const struct scheme_level *l = scheme_level(s, lv);
		assert_non_null(l);
		assert_int_equal(l->level, lv);
		assert_int_equal(l->qualifies, lv >= 3); /* only the severe levels qualify */
	}
	assert_string_equal(scheme_level(s, 3)->name, "重度失能Ⅰ级");
	assert_null(scheme_level(s, 6));
	assert_int_equal(s->min_age, 0);
	assert_int_equal(s->disability_min_months, 6);
	assert_int_equal(s->periods.validity_months, 24);
	assert_int_equal(s->periods.publication_days, 7);
	assert_int_equal(s->periods.appeal_days, 30);
	assert_int_equal(s->periods.reapply_interval_months, 6);
	assert_int_equal(s->periods.prescreen_working_days, 5);
	assert_int_equal(s->periods.conclusion_working_days, 30);
	assert_int_equal(s->periods.renewal_window_days, 30);
	assert_int_equal(s->n_holidays, 89);
	assert_int_equal(s->n_workdays, 19);
	/* The calendar works through the scheme: 2025-09-30 + 5 working days = 2025-10-14. */
	assert_int_equal(cal_add_workdays(&s->cal, D("2025-09-30"), 5), D("2025-10-14"));
	assert_false(scheme_in_force(s, D("2024-04-30")));
	assert_true(scheme_in_force(s, D("2024-05-01")));
	assert_true(scheme_in_force(s, D("2199-12-31")));
	assert_string_equal(scheme_standard_name(s->standard), "national-2021");
	check_national(&s->assess);
	scheme_free(s);
}

static void test_shanghai_loads(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	int rc = scheme_load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json", &s, &d);

	if (rc != 0) {
		dump_diag(&d);
		fail_msg("shanghai.json refused (rc %d)", rc);
	}
	assert_string_equal(s->id, "shanghai");
	assert_string_equal(s->region_code, "310000");
	assert_int_equal(s->effective_from, 17532); /* 2018-01-01 */
	assert_int_equal(s->standard, SCHEME_STD_EXTERNAL);
	assert_string_equal(scheme_standard_name(s->standard), "external");
	assert_int_equal(s->n_levels, 7);
	assert_false(scheme_level(s, 0)->qualifies);
	assert_false(scheme_level(s, 1)->qualifies);
	for (int lv = 2; lv <= 6; lv++)
		assert_true(scheme_level(s, lv)->qualifies);
	assert_string_equal(scheme_level(s, 6)->name, "照护六级");
	assert_int_equal(s->min_age, 60);
	assert_int_equal(s->disability_min_months, 0);
	assert_false(scheme_in_force(s, D("2017-12-31")));
	assert_true(scheme_in_force(s, D("2018-01-01")));
	/* An external instrument: no items, no gate, only the quality thresholds. */
	assert_int_equal(s->assess.n_items, 0);
	assert_int_equal(s->assess.n_dims, 0);
	assert_false(s->assess.has_gate);
	assert_int_equal(s->assess.min_visit_minutes, 30);
	assert_int_equal(s->assess.gps_max_m, 500);
	assert_int_equal(s->assess.level_jump, 2);
	assert_int_equal(s->assess.outlier_min_assessments, 10);
	assert_int_equal(s->assess.outlier_z_x100, 300);
	assert_int_equal(s->assess.workload_cap, 8);
	assert_string_equal(s->assess.valid_from, "next_month");
	scheme_free(s);
}

static void test_summary_json(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	json_t *j;

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &s, &d), 0);
	j = scheme_summary_json(s);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "zhoushan");
	assert_string_equal(json_string_value(json_object_get(j, "effective_from")), "2024-05-01");
	assert_true(json_is_null(json_object_get(j, "effective_until")));
	assert_int_equal(json_array_size(json_object_get(j, "levels")), 6);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "assessment"), "standard")), "national-2021");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "periods"), "appeal_days")), 30);
	json_decref(j);
	scheme_free(s);
}

/* ---- a document with many problems ---- */

static void test_broken_document_reports_everything(void **state)
{
	static const char broken[] =
		"{"
		"\"format\":\"ltci-scheme/2\","
		"\"id\":\"Zhou Shan\","
		"\"name\":\"测试方案\",\"version\":\"1\","
		"\"colour\":\"blue\","
		"\"region\":{\"name\":\"测试市\",\"code\":\"33090\",\"province\":\"浙江\"},"
		"\"effective_from\":\"2025-01-01\",\"effective_until\":\"2024-12-31\","
		"\"assessment\":{\"standard\":\"national-2021\",\"instrument\":\"x\"},"
		"\"levels\":["
		"{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
		"{\"level\":2,\"name\":\"\",\"qualifies\":false},"
		"{\"level\":1,\"qualifies\":false},"
		"{\"level\":1,\"name\":\"d\",\"qualifies\":\"yes\"},"
		"{\"level\":100,\"name\":\"e\",\"qualifies\":false}],"
		"\"periods\":{\"validity_months\":24,\"publication_days\":\"7\",\"appeal_days\":0,"
		"\"reapply_interval_months\":6,\"prescreen_working_days\":5,\"conclusion_working_days\":30,"
		"\"renewal_days\":30},"
		"\"calendar\":{\"holidays\":[\"2025-10-01\",\"2025-02-30\",\"2025-10-01\"],"
		"\"workdays\":[\"2025-10-09\",\"2025-10-11\"]}"
		"}";
	static const struct expected want[] = {
		{"$.colour", "unknown field"},
		{"$.format", "unsupported format 'ltci-scheme/2' (expected 'ltci-scheme/1')"},
		{"$.id", "use lower-case letters, digits, '-' and '_' only"},
		{"$.region.province", "unknown field"},
		{"$.region.code", "must be a 6-digit administrative division code"},
		{"$.effective_until", "must not be before effective_from"},
		{"$.levels[1].name", "must not be empty"},
		{"$.levels[2].name", "required string is missing"},
		{"$.levels[2].level", "levels must be listed in ascending order"},
		{"$.levels[3].qualifies", "must be true or false"},
		{"$.levels[3].level", "level 1 is defined twice"},
		{"$.levels[4].level", "must be between 0 and 99 (is 100)"},
		{"$.levels", "at least one level must qualify for benefits"},
		/* the document claims the national standard but gives only standard and instrument */
		{"$.assessment.quality", "required object is missing"},
		{"$.assessment.grades", "must be an array of 1 to 6 grade names"},
		{"$.assessment.dimensions", "required for the national standard"},
		{"$.assessment.items", "required for the national standard"},
		{"$.assessment.combination", "required object is missing"},
		{"$.assessment.self_assessment", "required for the national standard (the A-G gate)"},
		{"$.levels", "the national standard needs level 3"},
		{"$.levels", "the national standard needs level 4"},
		{"$.levels", "the national standard needs level 5"},
		{"$.eligibility", "required object is missing"},
		{"$.periods.renewal_days", "unknown field"},
		{"$.periods.publication_days", "must be an integer"},
		{"$.periods.appeal_days", "must be between 1 and 365 (is 0)"},
		{"$.periods.renewal_window_days", "required integer is missing"},
		{"$.calendar.holidays[1]", "must be a date 'YYYY-MM-DD'"},
		{"$.calendar.holidays", "date 2025-10-01 is listed twice"},
		{"$.calendar.workdays", "2025-10-09 is a weekday already; list only weekend days worked"},
	};

	/* Each expected problem appears exactly once, and there is nothing else. */
	expect_all(load(broken), want, sizeof want / sizeof want[0]);
}

/* ---- one problem at a time ---- */

static void test_levels_out_of_order(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   "$.levels[3].level", "levels must be listed in ascending order");
}

static void test_levels_duplicated(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c2\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   "$.levels[3].level", "level 2 is defined twice");
}

static void test_level_unknown_key(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false,\"colour\":\"red\"},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   "$.levels[2].colour", "unknown field");
}

static void test_level_qualifies_missing(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\"},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   "$.levels[1].qualifies", "required boolean is missing");
}

static void test_level_not_object(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}, 6]"),
		   "$.levels[6]", "must be an object");
}

static void test_national_needs_levels_0_to_5(void **state)
{
	/* The combination table's cells that name the missing level are reported too: level 5 is in cell [3][3],
	 * level 0 in cells [0][0] and [0][1]. */
	static const struct expected no5[] = {
		{"$.levels", "the national standard needs level 5"},
		{"$.assessment.combination.table[3][3]", "must be a level defined in $.levels"},
	};
	static const struct expected no0[] = {
		{"$.levels", "the national standard needs level 0"},
		{"$.assessment.combination.table[0][0]", "must be a level defined in $.levels"},
		{"$.assessment.combination.table[0][1]", "must be a level defined in $.levels"},
	};

	expect_all(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true}]"),
		   no5, 2);
	expect_all(levels_doc("[{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   no0, 3);
}

static void test_external_standard_any_levels(void **state)
{
	json_t *doc = levels_doc("[{\"level\":1,\"name\":\"一级\",\"qualifies\":false},"
				 "{\"level\":7,\"name\":\"七级\",\"qualifies\":true}]");

	json_object_set_new(json_object_get(doc, "assessment"), "standard", json_string("external"));
	expect_ok(doc);
}

static void test_no_qualifying_level(void **state)
{
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":false},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":false},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":false}]"),
		   "$.levels", "at least one level must qualify for benefits");
}

static void test_levels_array_size(void **state)
{
	json_t *doc = load(base_doc);
	json_t *many = json_array();

	expect_one(levels_doc("[]"), "$.levels", "must be an array of 1 to 32 levels");
	expect_one(levels_doc("{}"), "$.levels", "must be an array of 1 to 32 levels");

	/* 33 levels: one too many. */
	for (int i = 0; i < 33; i++)
		json_array_append_new(many, json_pack("{s:i, s:s, s:b}", "level", i, "name", "x", "qualifies", 1));
	json_object_set_new(doc, "levels", many);
	expect_one(doc, "$.levels", "must be an array of 1 to 32 levels");

	doc = load(base_doc);
	json_object_del(doc, "levels");
	expect_one(doc, "$.levels", "required array is missing");
}

static void test_workdays_must_be_weekends(void **state)
{
	json_t *doc = load(base_doc);

	/* 2025-09-28 is a Sunday (fine); 2025-09-30 is a Tuesday. */
	json_object_set_new(json_object_get(doc, "calendar"), "workdays", load("[\"2025-09-28\",\"2025-09-30\"]"));
	expect_one(doc, "$.calendar.workdays", "2025-09-30 is a weekday already; list only weekend days worked");

	/* Friday and Monday are the edges of the working week. */
	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "calendar"), "workdays", load("[\"2025-10-10\",\"2025-10-11\"]"));
	expect_one(doc, "$.calendar.workdays", "2025-10-10 is a weekday already; list only weekend days worked");
	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "calendar"), "workdays", load("[\"2025-09-28\",\"2025-09-29\"]"));
	expect_one(doc, "$.calendar.workdays", "2025-09-29 is a weekday already; list only weekend days worked");
}

static void test_calendar_optional(void **state)
{
	json_t *doc = load(base_doc);

	json_object_del(doc, "calendar");
	expect_ok(doc);

	doc = load(base_doc);
	json_object_set_new(doc, "calendar", json_string("2025"));
	expect_one(doc, "$.calendar", "must be an object");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "calendar"), "holidays", json_string("2025-10-01"));
	expect_one(doc, "$.calendar.holidays", "must be an array of dates");
}

static void test_effective_dates(void **state)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "effective_until", json_string("2024-12-31"));
	expect_one(doc, "$.effective_until", "must not be before effective_from");

	/* A one-day scheme is allowed. */
	doc = load(base_doc);
	json_object_set_new(doc, "effective_until", json_string("2025-01-01"));
	expect_ok(doc);

	doc = load(base_doc);
	json_object_set_new(doc, "effective_from", json_string("2025-1-01"));
	expect_one(doc, "$.effective_from", "must be a date 'YYYY-MM-DD'");

	doc = load(base_doc);
	json_object_del(doc, "effective_from");
	expect_one(doc, "$.effective_from", "required date is missing");

	doc = load(base_doc);
	json_object_set_new(doc, "effective_until", json_integer(2026));
	expect_one(doc, "$.effective_until", "must be a date 'YYYY-MM-DD'");
}

static void test_region_code(void **state)
{
	static const char *const bad[] = {"33090", "3309000", "33090a", "33O900"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *doc = load(base_doc);
		json_object_set_new(json_object_get(doc, "region"), "code", json_string(bad[i]));
		expect_one(doc, "$.region.code", "must be a 6-digit administrative division code");
	}
	{
		json_t *doc = load(base_doc);
		json_object_del(json_object_get(doc, "region"), "code");
		expect_one(doc, "$.region.code", "required string is missing");
	}
	{
		json_t *doc = load(base_doc);
		json_object_set_new(json_object_get(doc, "region"), "code", json_integer(330900));
		expect_one(doc, "$.region.code", "must be a string");
	}
}

static void test_top_level_fields(void **state)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "benefits", json_object());
	expect_one(doc, "$.benefits", "unknown field");

	doc = load(base_doc);
	json_object_del(doc, "name");
	expect_one(doc, "$.name", "required string is missing");

	doc = load(base_doc);
	json_object_set_new(doc, "version", json_string(""));
	expect_one(doc, "$.version", "must not be empty");

	doc = load(base_doc);
	json_object_set_new(doc, "id", json_string("Zhoushan"));
	expect_one(doc, "$.id", "use lower-case letters, digits, '-' and '_' only");

	doc = load(base_doc);
	json_object_set_new(doc, "sources", json_string("seed 001"));
	expect_one(doc, "$.sources", "must be an array");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "assessment"), "standard", json_string("national-2020"));
	expect_one(doc, "$.assessment.standard", "must be 'national-2021' or 'external'");

	/* id is copied into 64 bytes: 63 characters fit, 64 do not. */
	doc = load(base_doc);
	json_object_set_new(doc, "id", json_string("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"));
	expect_ok(doc);
	doc = load(base_doc);
	json_object_set_new(doc, "id", json_string("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"));
	expect_one(doc, "$.id", "too long (at most 63 bytes)");
}

static void test_period_ranges(void **state)
{
	json_t *doc = load(base_doc);

	json_object_set_new(json_object_get(doc, "periods"), "validity_months", json_integer(121));
	expect_one(doc, "$.periods.validity_months", "must be between 1 and 120 (is 121)");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "periods"), "validity_months", json_integer(120));
	expect_ok(doc);

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "periods"), "publication_days", json_integer(0));
	expect_ok(doc);

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "periods"), "publication_days", json_integer(-1));
	expect_one(doc, "$.periods.publication_days", "must be between 0 and 90 (is -1)");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "periods"), "appeal_days", json_real(30.0));
	expect_one(doc, "$.periods.appeal_days", "must be an integer");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "periods"), "appeal_days", json_integer(4294967326LL));
	expect_one(doc, "$.periods.appeal_days", "must be between 1 and 365 (is 4294967326)");

	doc = load(base_doc);
	json_object_set_new(json_object_get(doc, "eligibility"), "min_age", json_integer(121));
	expect_one(doc, "$.eligibility.min_age", "must be between 0 and 120 (is 121)");
}

/* ---- the assessment section ---- */

/* Bands must hold every total the items can produce exactly once; ADL totals are multiples of 5, so 61-64 are
 * never produced and may be left out or covered twice. Only the first bad total of a dimension is reported. */
static void test_assessment_bands(void **state)
{
	json_t *doc;

	/* ADL grade 2 as 45-55: 60 is in no band */
	expect_one(base_with("assessment.dimensions[0].bands[2]", "max", json_integer(55)),
		   "$.assessment.dimensions[0].bands", "a total of 60 falls in 0 bands (must be exactly one)");
	/* ADL grade 1 as 60-95: 60 is in two */
	expect_one(base_with("assessment.dimensions[0].bands[1]", "min", json_integer(60)),
		   "$.assessment.dimensions[0].bands", "a total of 60 falls in 2 bands (must be exactly one)");
	/* ADL grade 2 as 45-50: 55 and 60 are missing, the first is reported */
	expect_one(base_with("assessment.dimensions[0].bands[2]", "max", json_integer(50)),
		   "$.assessment.dimensions[0].bands", "a total of 55 falls in 0 bands (must be exactly one)");
	/* ADL grade 3 as 5-40: 0 is missing */
	expect_one(base_with("assessment.dimensions[0].bands[3]", "min", json_integer(5)),
		   "$.assessment.dimensions[0].bands", "a total of 0 falls in 0 bands (must be exactly one)");
	/* cognition grade 2 as 1-3: 1 is also grade 3 */
	expect_one(base_with("assessment.dimensions[1].bands[2]", "min", json_integer(1)),
		   "$.assessment.dimensions[1].bands", "a total of 1 falls in 2 bands (must be exactly one)");
	/* perception grade 1 as 4-10: 11 is missing */
	expect_one(base_with("assessment.dimensions[2].bands[1]", "max", json_integer(10)),
		   "$.assessment.dimensions[2].bands", "a total of 11 falls in 0 bands (must be exactly one)");
	/* perception grade 0 as 13: the top total 12 is missing */
	doc = base_with("assessment.dimensions[2].bands[0]", "min", json_integer(13));
	json_object_set_new(at(doc, "assessment.dimensions[2].bands[0]"), "max", json_integer(13));
	expect_one(doc, "$.assessment.dimensions[2].bands", "a total of 12 falls in 0 bands (must be exactly one)");

	/* unreachable totals: a gap at 61-63 and an overlap at 61-62 are both fine */
	expect_ok(base_with("assessment.dimensions[0].bands[1]", "min", json_integer(64)));
	doc = base_with("assessment.dimensions[0].bands[2]", "max", json_integer(62));
	json_object_set_new(at(doc, "assessment.dimensions[0].bands[1]"), "min", json_integer(61));
	expect_ok(doc);

	/* a band's own shape */
	expect_one(base_with("assessment.dimensions[0].bands[3]", "grade", json_integer(4)),
		   "$.assessment.dimensions[0].bands[3].grade", "no grade 4 in $.assessment.grades");
	expect_one(base_with("assessment.dimensions[0].bands[1]", "grade", json_integer(0)),
		   "$.assessment.dimensions[0].bands[1]", "grade 0 has two bands");
	expect_one(base_with("assessment.dimensions[0].bands[1]", "colour", json_string("red")),
		   "$.assessment.dimensions[0].bands[1].colour", "unknown field");
	{
		/* 100-99 is empty: reported, and 100 is then in no band */
		static const struct expected want[] = {
			{"$.assessment.dimensions[0].bands[0]", "min is above max"},
			{"$.assessment.dimensions[0].bands", "a total of 100 falls in 0 bands (must be exactly one)"},
		};
		expect_all(base_with("assessment.dimensions[0].bands[0]", "max", json_integer(99)), want, 2);
	}
}

static void test_assessment_dimension_max(void **state)
{
	expect_one(base_with("assessment.dimensions[0]", "max", json_integer(90)), "$.assessment.dimensions[0]",
		   "max is 90 but the items add up to 100");
	expect_one(base_with("assessment.dimensions[1]", "max", json_integer(20)), "$.assessment.dimensions[1]",
		   "max is 20 but the items add up to 16");
	expect_one(base_with("assessment.dimensions[2]", "max", json_integer(11)), "$.assessment.dimensions[2]",
		   "max is 11 but the items add up to 12");
	/* max is optional: the items' sum is used */
	{
		static struct scheme_diag d;
		json_t *doc = load(base_doc);
		struct scheme *s = NULL;
		json_object_del(at(doc, "assessment.dimensions[0]"), "max");
		assert_int_equal(scheme_from_json(doc, &s, &d), 0);
		json_decref(doc);
		assert_int_equal(s->assess.dims[0].max, 100);
		scheme_free(s);
	}
}

static void test_assessment_item_scores(void **state)
{
	json_t *doc;

	/* descending: 5 then 0 (the two hints match the two listed scores and are not reported) */
	doc = base_with("assessment.items[2]", "scores", load("[5,0]"));
	json_object_set_new(at(doc, "assessment.items[2]"), "hints", load("[\"需他人帮助\",\"可独立完成\"]"));
	expect_one(doc, "$.assessment.items[2].scores[1]", "scores must be listed in ascending order without repeats");
	expect_one(base_with("assessment.items[7]", "scores", load("[0,10,5,15]")), "$.assessment.items[7].scores[2]",
		   "scores must be listed in ascending order without repeats");
	/* a repeat */
	expect_one(base_with("assessment.items[6]", "scores", load("[0,5,5,15]")), "$.assessment.items[6].scores[2]",
		   "scores must be listed in ascending order without repeats");
	/* not an integer, negative */
	expect_one(base_with("assessment.items[0]", "scores", load("[0,\"5\",10]")), "$.assessment.items[0].scores[1]",
		   "must be an integer from 0 to 1000");
	expect_one(base_with("assessment.items[0]", "scores", load("[0,5.0,10]")), "$.assessment.items[0].scores[1]",
		   "must be an integer from 0 to 1000");
	expect_one(base_with("assessment.items[10]", "scores", load("[-1,0,1,2,3,4]")),
		   "$.assessment.items[10].scores[0]", "must be an integer from 0 to 1000");
	/* hints: one per listed score */
	expect_one(base_with("assessment.items[0]", "hints", load("[\"a\",\"b\"]")), "$.assessment.items[0].hints",
		   "must be an array with one description per allowed score");
	expect_ok(base_with("assessment.items[0]", "hints", load("[\"a\",\"b\",\"c\"]")));
	{
		/* a single score: the item's top score is then missing from the ADL sum */
		static const struct expected want[] = {
			{"$.assessment.items[2].scores", "must be an array of 2 to 8 allowed scores"},
			{"$.assessment.dimensions[0]", "max is 100 but the items add up to 95"},
		};
		expect_all(base_with("assessment.items[2]", "scores", load("[5]")), want, 2);
	}
}

static void test_assessment_item_dimension(void **state)
{
	/* eating leaves ADL, whose items then add up to 90 */
	static const struct expected want[] = {
		{"$.assessment.items[0].dimension", "no dimension 'mobility'"},
		{"$.assessment.dimensions[0]", "max is 100 but the items add up to 90"},
	};

	expect_all(base_with("assessment.items[0]", "dimension", json_string("mobility")), want, 2);
	expect_one(base_with("assessment.items[1]", "key", json_string("eating")), "$.assessment.items[1]",
		   "item 'eating' is defined twice");
	expect_one(base_with("assessment.items[3]", "weight", json_integer(2)), "$.assessment.items[3].weight",
		   "unknown field");
}

static void test_assessment_combination(void **state)
{
	json_t *doc;

	/* a cell naming a level that $.levels does not define */
	doc = load(base_doc);
	json_array_set_new(at(doc, "assessment.combination.table[3]"), 3, json_integer(6));
	expect_one(doc, "$.assessment.combination.table[3][3]", "must be a level defined in $.levels");
	doc = load(base_doc);
	json_array_set_new(at(doc, "assessment.combination.table[0]"), 1, json_integer(-1));
	expect_one(doc, "$.assessment.combination.table[0][1]", "must be a level defined in $.levels");
	doc = load(base_doc);
	json_array_set_new(at(doc, "assessment.combination.table[2]"), 0, json_string("2"));
	expect_one(doc, "$.assessment.combination.table[2][0]", "must be a level defined in $.levels");

	/* the table's shape: one row per grade, one cell per grade */
	expect_one(base_with("assessment.combination", "table", load("[[0,0,1,1],[1,1,1,2],[2,2,2,3]]")),
		   "$.assessment.combination.table", "must have one row per grade (4)");
	expect_one(base_with("assessment.combination", "table",
			     load("[[0,0,1,1],[1,1,1,2],[2,2,2,3],[3,3,4,5],[5,5,5,5]]")),
		   "$.assessment.combination.table", "must have one row per grade (4)");
	expect_one(base_with("assessment.combination", "table", load("[[0,0,1,1],[1,1,1],[2,2,2,3],[3,3,4,5]]")),
		   "$.assessment.combination.table[1]", "must have one cell per grade (4)");
	expect_one(base_with("assessment.combination", "table", load("[[0,0,1,1],[1,1,1,2],[2,2,2,3],[3,3,4,5,5]]")),
		   "$.assessment.combination.table[3]", "must have one cell per grade (4)");
	expect_one(base_with("assessment.combination", "table", json_string("组合法")),
		   "$.assessment.combination.table", "must have one row per grade (4)");

	/* rows, columns and the rule */
	expect_one(base_with("assessment.combination", "row", json_string("mobility")),
		   "$.assessment.combination.row", "no dimension 'mobility'");
	expect_one(base_with("assessment.combination", "columns", load("[\"adl\",\"perception\"]")),
		   "$.assessment.combination.columns[0]", "must name another dimension");
	expect_one(base_with("assessment.combination", "columns", load("[\"cognition\",\"hearing\"]")),
		   "$.assessment.combination.columns[1]", "must name another dimension");
	expect_one(base_with("assessment.combination", "columns", load("[]")), "$.assessment.combination.columns",
		   "must be an array of dimension keys");
	expect_one(base_with("assessment.combination", "column_rule", json_string("mean")),
		   "$.assessment.combination.column_rule", "only 'worst' (the worse grade) is supported");
}

static void test_assessment_gate(void **state)
{
	json_t *doc;

	expect_one(base_with("assessment.self_assessment", "table", load("[[\"A\",\"B\",\"B\",\"C\"],"
								       "[\"B\",\"C\",\"D\",\"E\"],"
								       "[\"D\",\"E\",\"E\",\"F\"]]")),
		   "$.assessment.self_assessment.table",
		   "must have a row for each count of dependent class-a items (0 to 3)");
	expect_one(base_with("assessment.self_assessment", "table", load("[]")), "$.assessment.self_assessment.table",
		   "must have a row for each count of dependent class-a items (0 to 3)");
	doc = load(base_doc);
	json_array_append_new(at(doc, "assessment.self_assessment.table[2]"), json_string("G"));
	expect_one(doc, "$.assessment.self_assessment.table[2]",
		   "must have a cell for each count of dependent class-b items (0 to 3)");
	doc = load(base_doc);
	json_array_remove(at(doc, "assessment.self_assessment.table[0]"), 3);
	expect_one(doc, "$.assessment.self_assessment.table[0]",
		   "must have a cell for each count of dependent class-b items (0 to 3)");
	doc = load(base_doc);
	json_array_set_new(at(doc, "assessment.self_assessment.table[1]"), 2, json_string("d"));
	expect_one(doc, "$.assessment.self_assessment.table[1][2]", "must be a capital letter");
	doc = load(base_doc);
	json_array_set_new(at(doc, "assessment.self_assessment.table[1]"), 2, json_string("DE"));
	expect_one(doc, "$.assessment.self_assessment.table[1][2]", "must be a capital letter");
	/* a seventh item in class b: 4 b-items need 5 cells in every row */
	doc = load(base_doc);
	json_array_append_new(at(doc, "assessment.self_assessment.items"),
			      json_pack("{s:s, s:s, s:s}", "key", "walking", "name", "平地行走", "class", "b"));
	{
		static const struct expected want[] = {
			{"$.assessment.self_assessment.table[0]",
			 "must have a cell for each count of dependent class-b items (0 to 4)"},
			{"$.assessment.self_assessment.table[1]",
			 "must have a cell for each count of dependent class-b items (0 to 4)"},
			{"$.assessment.self_assessment.table[2]",
			 "must have a cell for each count of dependent class-b items (0 to 4)"},
			{"$.assessment.self_assessment.table[3]",
			 "must have a cell for each count of dependent class-b items (0 to 4)"},
		};
		expect_all(doc, want, 4);
	}
	{
		/* an item of no class is not counted: 2 a-items then need 3 rows (reported too) */
		static const struct expected want[] = {
			{"$.assessment.self_assessment.items[0]", "class must be 'a' or 'b'"},
			{"$.assessment.self_assessment.table",
			 "must have a row for each count of dependent class-a items (0 to 2)"},
		};
		expect_all(base_with("assessment.self_assessment.items[0]", "class", json_string("c")), want, 2);
	}
	expect_one(base_with("assessment.self_assessment", "proceed", json_string("efg")),
		   "$.assessment.self_assessment.proceed", "must be capital letters, e.g. \"EFG\"");
	{
		static struct scheme_diag d;
		struct scheme *s = NULL;
		doc = base_with("assessment.self_assessment", "proceed", json_string("FG"));
		assert_int_equal(scheme_from_json(doc, &s, &d), 0);
		json_decref(doc);
		assert_string_equal(s->assess.gate_proceed, "FG");
		scheme_free(s);
	}
	doc = load(base_doc);
	json_object_del(at(doc, "assessment"), "self_assessment");
	expect_one(doc, "$.assessment.self_assessment", "required for the national standard (the A-G gate)");
}

static void test_assessment_quality(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	json_t *doc;

	expect_one(base_with("assessment.quality", "valid_from", json_string("immediately")),
		   "$.assessment.quality.valid_from", "must be 'next_month' or 'conclusion'");
	expect_one(base_with("assessment.quality", "valid_from", json_string("Next_month")),
		   "$.assessment.quality.valid_from", "must be 'next_month' or 'conclusion'");
	doc = base_with("assessment.quality", "valid_from", json_string("conclusion"));
	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_string_equal(s->assess.valid_from, "conclusion");
	scheme_free(s);
	expect_one(base_with("assessment.quality", "workload_cap", json_integer(0)),
		   "$.assessment.quality.workload_cap", "must be between 1 and 1000 (is 0)");
	expect_one(base_with("assessment.quality", "colour", json_string("red")), "$.assessment.quality.colour",
		   "unknown field");
	doc = load(base_doc);
	json_object_del(at(doc, "assessment.quality"), "valid_from");
	expect_one(doc, "$.assessment.quality.valid_from", "required string is missing");
	/* required for every standard */
	doc = load(base_doc);
	json_object_del(at(doc, "assessment"), "quality");
	expect_one(doc, "$.assessment.quality", "required object is missing");
	doc = base_with("assessment", "standard", json_string("external"));
	json_object_del(at(doc, "assessment"), "quality");
	expect_one(doc, "$.assessment.quality", "required object is missing");
}

/* Without its form the national standard cannot score: each missing section is reported once. */
static void test_assessment_sections_required(void **state)
{
	static const char *const sections[] = {"items", "dimensions", "combination"};
	static const char *const msgs[] = {"required for the national standard", "required for the national standard",
					   "required object is missing"};
	json_t *doc;

	for (size_t i = 0; i < 3; i++) {
		char path[64];
		doc = load(base_doc);
		json_object_del(at(doc, "assessment"), sections[i]);
		snprintf(path, sizeof path, "$.assessment.%s", sections[i]);
		if (i == 1) {
			/* without dimensions the 17 items and the combination's row and 2 columns name unknown ones too */
			static struct scheme_diag d;
			struct scheme *s = (struct scheme *)1;
			assert_int_equal(scheme_from_json(doc, &s, &d), ERR_INVALID);
			json_decref(doc);
			assert_int_equal(d.n, 1 + 17 + 3);
			assert_string_equal(d.items[0].path, path);
			assert_string_equal(d.items[0].msg, msgs[i]);
			assert_string_equal(d.items[1].path, "$.assessment.items[0].dimension");
			assert_string_equal(d.items[1].msg, "no dimension 'adl'");
			continue;
		}
		expect_one(doc, path, msgs[i]);
	}
	/* a missing combination table does not hide the gate's problems */
	{
		static const struct expected want[] = {
			{"$.assessment.combination", "required object is missing"},
			{"$.assessment.self_assessment", "required for the national standard (the A-G gate)"},
		};
		doc = load(base_doc);
		json_object_del(at(doc, "assessment"), "combination");
		json_object_del(at(doc, "assessment"), "self_assessment");
		expect_all(doc, want, 2);
	}
}

static void test_not_an_object(void **state)
{
	expect_one(load("[]"), "$", "a scheme must be a JSON object");
}

static void test_problem_list_is_capped(void **state)
{
	static struct scheme_diag d;
	json_t *doc = load(base_doc);
	json_t *dates = json_array();
	struct scheme *s = NULL;

	/* 150 bad dates: the first 100 problems are kept, 50 are counted as dropped. */
	for (int i = 0; i < 150; i++)
		json_array_append_new(dates, json_string("2025-13-01"));
	json_object_set_new(json_object_get(doc, "calendar"), "holidays", dates);
	assert_int_equal(scheme_from_json(doc, &s, &d), ERR_INVALID);
	json_decref(doc);
	assert_null(s);
	assert_int_equal(d.n, 100);
	assert_int_equal(d.dropped, 50);
	assert_string_equal(d.items[0].path, "$.calendar.holidays[0]");
	assert_string_equal(d.items[99].path, "$.calendar.holidays[99]");
}

static void test_load_file_errors(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = (struct scheme *)1;
	char path[] = "/tmp/ltci_test_scheme_XXXXXX";
	int fd;
	FILE *f;

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/no-such-city.json", &s, &d), ERR_IO);
	assert_null(s);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].path, "$");
	assert_true(strncmp(d.items[0].msg, "cannot open ", 12) == 0);

	/* Duplicate keys in a file are refused like bad JSON. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"id\":\"a\",\"id\":\"b\"}", f);
	fclose(f);
	s = (struct scheme *)1;
	assert_int_equal(scheme_load_file(path, &s, &d), ERR_INVALID);
	assert_null(s);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].path, "$");
	assert_true(strncmp(d.items[0].msg, "not valid JSON (line 1, ", 24) == 0);

	f = fopen(path, "w");
	fputs("{\"format\": \"ltci-scheme/1\",\n", f);
	fclose(f);
	assert_int_equal(scheme_load_file(path, &s, &d), ERR_INVALID);
	assert_int_equal(d.n, 1);
	assert_true(strncmp(d.items[0].msg, "not valid JSON (line 2, ", 24) == 0);
	unlink(path);
}

/* ---- care: catalogue and entitlements ---- */

/* A small valid care section for the base document (levels 3-5 qualify): two categories, three items, the three
 * modes. Focused tests change one thing in it. */
static const char care_doc[] =
	"{\"note\":\"test\",\"choice\":\"region\",\"switch_effective\":\"next_month\",\"family_training_hours\":40,"
	"\"catalogue\":{\"note\":\"t\",\"categories\":["
	"{\"code\":\"QJ\",\"name\":\"清洁卫生\",\"items\":["
	"{\"code\":\"QJ01\",\"name\":\"温水擦浴\",\"class\":\"living\",\"minutes\":40,\"performers\":[\"caregiver\",\"family\"]},"
	"{\"code\":\"QJ02\",\"name\":\"口腔护理\",\"class\":\"living\",\"minutes\":15,"
	"\"performers\":[\"caregiver\",\"nurse\",\"family\"]}]},"
	"{\"code\":\"SM\",\"name\":\"生命体征观察与护理\",\"items\":["
	"{\"code\":\"SM01\",\"name\":\"血糖监测\",\"class\":\"medical\",\"minutes\":15,\"performers\":[\"nurse\"]}]}]},"
	"\"entitlements\":["
	"{\"mode\":\"home\",\"levels\":[3,4,5],\"min_visits_per_week\":3,\"max_visits_per_week\":7,"
	"\"min_minutes_per_visit\":60,\"max_minutes_per_week\":420,\"monthly_fen\":128000},"
	"{\"mode\":\"family\",\"levels\":[3,4,5],\"min_visits_per_week\":2,\"min_minutes_per_visit\":60,"
	"\"monthly_fen\":78000,\"family_monthly_fen\":50000,\"family_caregiver_required\":true},"
	"{\"mode\":\"institution\",\"levels\":[3,4,5],\"monthly_fen\":140000,\"note\":\"24 h\"}]}";

/* The base document with care_doc, and key of the object at path (below the document) set to value (stolen;
 * NULL deletes the key). */
static json_t *care_with(const char *path, const char *key, json_t *value)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "care", load(care_doc));
	if (path) {
		if (value)
			json_object_set_new(at(doc, path), key, value);
		else
			json_object_del(at(doc, path), key);
	}
	return doc;
}

static void test_care_optional(void **state)
{
	static struct scheme_diag d;
	json_t *doc = load(base_doc), *j;
	struct scheme *s = NULL;

	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_false(s->care.defined);
	assert_int_equal(s->care.n_items, 0);
	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		assert_false(s->care.modes[m]);
		for (int lv = 0; lv <= 5; lv++)
			assert_null(scheme_entitlement(s, (enum care_mode)m, lv));
	}
	assert_null(scheme_service_item(s, "QJ01"));
	j = scheme_care_json(s);
	assert_false(json_is_true(json_object_get(j, "defined")));
	assert_int_equal(json_array_size(json_object_get(j, "modes")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "categories")), 0);
	assert_true(json_is_null(json_object_get(j, "note")));
	json_decref(j);
	scheme_free(s);
}

static void test_care_names(void **state)
{
	assert_string_equal(care_mode_name(CARE_HOME), "home");
	assert_string_equal(care_mode_name(CARE_FAMILY), "family");
	assert_string_equal(care_mode_name(CARE_INSTITUTION), "institution");
	assert_string_equal(care_mode_name(CARE_MODE_COUNT), "unknown");
	assert_string_equal(care_mode_label(CARE_HOME), "居家上门护理");
	assert_string_equal(care_mode_label(CARE_FAMILY), "亲情护理");
	assert_string_equal(care_mode_label(CARE_INSTITUTION), "机构护理");
	assert_string_equal(care_mode_label((enum care_mode)-1), "未知");
	assert_int_equal(care_mode_parse("home"), CARE_HOME);
	assert_int_equal(care_mode_parse("family"), CARE_FAMILY);
	assert_int_equal(care_mode_parse("institution"), CARE_INSTITUTION);
	assert_int_equal(care_mode_parse("Home"), -1);
	assert_int_equal(care_mode_parse(""), -1);
	assert_int_equal(care_mode_parse(NULL), -1);
	assert_int_equal(scheme_performer_parse("caregiver"), SCHEME_PERFORMER_CAREGIVER);
	assert_int_equal(scheme_performer_parse("nurse"), SCHEME_PERFORMER_NURSE);
	assert_int_equal(scheme_performer_parse("family"), SCHEME_PERFORMER_FAMILY);
	assert_int_equal(scheme_performer_parse("doctor"), 0);
	assert_int_equal(scheme_performer_parse(NULL), 0);
}

static void test_care_base(void **state)
{
	static struct scheme_diag d;
	json_t *doc = care_with(NULL, NULL, NULL);
	struct scheme *s = NULL;
	const struct scheme_entitlement *e;
	const struct scheme_service_item *it;

	if (scheme_from_json(doc, &s, &d) != 0) {
		dump_diag(&d);
		fail_msg("care_doc refused");
	}
	json_decref(doc);
	assert_true(s->care.defined);
	assert_int_equal(s->care.choice, SCHEME_CHOICE_REGION);
	assert_int_equal(s->care.switch_effective, SCHEME_SWITCH_NEXT_MONTH);
	assert_int_equal(s->care.family_training_hours, 40);
	assert_int_equal(s->care.n_categories, 2);
	assert_string_equal(s->care.categories[1].code, "SM");
	assert_string_equal(scheme_service_category(s, "SM")->name, "生命体征观察与护理");
	assert_null(scheme_service_category(s, "XX"));
	assert_int_equal(s->care.n_items, 3);
	it = scheme_service_item(s, "SM01");
	assert_non_null(it);
	assert_string_equal(it->name, "血糖监测");
	assert_string_equal(it->category, "SM");
	assert_int_equal(it->medical, 1);
	assert_int_equal(it->minutes, 15);
	assert_int_equal(it->performers, SCHEME_PERFORMER_NURSE);
	it = scheme_service_item(s, "QJ02");
	assert_int_equal(it->medical, 0);
	assert_int_equal(it->performers, SCHEME_PERFORMER_CAREGIVER | SCHEME_PERFORMER_NURSE | SCHEME_PERFORMER_FAMILY);
	assert_null(scheme_service_item(s, "qj02"));
	assert_null(scheme_service_item(s, NULL));
	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		assert_true(s->care.modes[m]);
		for (int lv = -1; lv <= SCHEME_MAX_LEVEL + 1; lv++)
			assert_int_equal(scheme_entitlement(s, (enum care_mode)m, lv) != NULL, lv >= 3 && lv <= 5);
	}
	assert_null(scheme_entitlement(s, CARE_MODE_COUNT, 3));
	e = scheme_entitlement(s, CARE_FAMILY, 4);
	assert_int_equal(e->min_visits_per_week, 2);
	assert_int_equal(e->max_visits_per_week, 0); /* not given: no maximum */
	assert_int_equal(e->max_minutes_per_week, 0);
	assert_int_equal(e->monthly_fen, 78000);
	assert_int_equal(e->family_monthly_fen, 50000);
	assert_int_equal(e->fund_share_pct, 100); /* the default */
	assert_true(e->family_caregiver_required);
	e = scheme_entitlement(s, CARE_INSTITUTION, 5);
	assert_int_equal(e->min_visits_per_week, 0);
	assert_int_equal(e->monthly_fen, 140000);
	assert_false(e->family_caregiver_required);
	scheme_free(s);

	/* the other choice and switch rule */
	doc = care_with("care", "choice", json_string("street"));
	json_object_set_new(at(doc, "care"), "switch_effective", json_string("immediate"));
	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_int_equal(s->care.choice, SCHEME_CHOICE_STREET);
	assert_int_equal(s->care.switch_effective, SCHEME_SWITCH_IMMEDIATE);
	scheme_free(s);

	/* boundaries that load: minutes 5 and 480, min visits = max visits, max minutes = min visits x min minutes,
	 * fund share 1 and 100, money 0 where not needed */
	expect_ok(care_with("care.catalogue.categories[0].items[0]", "minutes", json_integer(5)));
	expect_ok(care_with("care.catalogue.categories[0].items[0]", "minutes", json_integer(480)));
	expect_ok(care_with("care.entitlements[0]", "min_visits_per_week", json_integer(7)));
	expect_ok(care_with("care.entitlements[0]", "max_minutes_per_week", json_integer(180)));
	expect_ok(care_with("care.entitlements[0]", "fund_share_pct", json_integer(1)));
	expect_ok(care_with("care.entitlements[0]", "fund_share_pct", json_integer(100)));
	expect_ok(care_with("care.entitlements[2]", "family_monthly_fen", json_integer(0)));
	expect_ok(care_with("care", "note", NULL));
	/* without family care no training hours are needed */
	doc = care_with("care", "family_training_hours", NULL);
	json_array_remove(at(doc, "care.entitlements"), 1);
	expect_ok(doc);
}

static void test_care_catalogue_problems(void **state)
{
	const char *item0 = "care.catalogue.categories[0].items[0]";
	json_t *doc;

	expect_one(care_with("care", "colour", json_string("red")), "$.care.colour", "unknown field");
	expect_one(care_with("care", "choice", json_string("city")), "$.care.choice",
		   "must be 'region' (one provider per service region) or 'street' (a choice among the providers "
		   "serving the street)");
	expect_one(care_with("care", "choice", NULL), "$.care.choice", "required string is missing");
	expect_one(care_with("care", "switch_effective", json_string("tomorrow")), "$.care.switch_effective",
		   "must be 'next_month' or 'immediate'");
	expect_one(care_with("care", "family_training_hours", json_integer(-1)), "$.care.family_training_hours",
		   "must be between 0 and 1000 (is -1)");
	expect_one(care_with("care", "catalogue", NULL), "$.care.catalogue", "required object is missing");
	expect_one(care_with("care", "catalogue", json_array()), "$.care.catalogue", "must be an object");
	expect_one(care_with("care.catalogue", "categories", json_array()), "$.care.catalogue.categories",
		   "must be an array of 1 to 32 categories");
	expect_one(care_with("care.catalogue", "version", json_integer(1)), "$.care.catalogue.version",
		   "unknown field");
	/* codes: unique categories, items unique across categories, letters and digits */
	expect_one(care_with("care.catalogue.categories[1]", "code", json_string("QJ")),
		   "$.care.catalogue.categories[1].code", "category code 'QJ' is used twice");
	expect_one(care_with("care.catalogue.categories[1].items[0]", "code", json_string("QJ01")),
		   "$.care.catalogue.categories[1].items[0].code", "item code 'QJ01' is used twice");
	expect_one(care_with("care.catalogue.categories[0].items[1]", "code", json_string("QJ01")),
		   "$.care.catalogue.categories[0].items[1].code", "item code 'QJ01' is used twice");
	expect_one(care_with(item0, "code", json_string("QJ 01")), "$.care.catalogue.categories[0].items[0].code",
		   "use letters, digits, '-' and '_' only");
	expect_one(care_with("care.catalogue.categories[0]", "code", json_string("清洁")),
		   "$.care.catalogue.categories[0].code", "use letters, digits, '-' and '_' only");
	expect_one(care_with(item0, "code", json_string("QJ0123456789ABCD")),
		   "$.care.catalogue.categories[0].items[0].code", "too long (at most 15 bytes)");
	expect_one(care_with(item0, "name", NULL), "$.care.catalogue.categories[0].items[0].name",
		   "required string is missing");
	expect_one(care_with("care.catalogue.categories[1]", "items", json_array()),
		   "$.care.catalogue.categories[1].items", "must be a non-empty array of items");
	expect_one(care_with("care.catalogue.categories[1]", "colour", json_string("red")),
		   "$.care.catalogue.categories[1].colour", "unknown field");
	expect_one(care_with(item0, "price", json_integer(10)), "$.care.catalogue.categories[0].items[0].price",
		   "unknown field");
	/* class, minutes, performers */
	expect_one(care_with(item0, "class", json_string("social")), "$.care.catalogue.categories[0].items[0].class",
		   "must be 'living' (生活照护) or 'medical' (医疗护理)");
	expect_one(care_with(item0, "class", NULL), "$.care.catalogue.categories[0].items[0].class",
		   "required string is missing");
	expect_one(care_with(item0, "minutes", json_integer(4)), "$.care.catalogue.categories[0].items[0].minutes",
		   "must be between 5 and 480 (is 4)");
	expect_one(care_with(item0, "minutes", json_integer(481)), "$.care.catalogue.categories[0].items[0].minutes",
		   "must be between 5 and 480 (is 481)");
	expect_one(care_with(item0, "minutes", NULL), "$.care.catalogue.categories[0].items[0].minutes",
		   "required integer is missing");
	expect_one(care_with(item0, "performers", json_array()), "$.care.catalogue.categories[0].items[0].performers",
		   "must be a non-empty array of 'caregiver', 'nurse', 'family'");
	expect_one(care_with(item0, "performers", json_string("nurse")),
		   "$.care.catalogue.categories[0].items[0].performers",
		   "must be a non-empty array of 'caregiver', 'nurse', 'family'");
	expect_one(care_with(item0, "performers", load("[\"nurse\",\"doctor\"]")),
		   "$.care.catalogue.categories[0].items[0].performers[1]", "must be 'caregiver', 'nurse' or 'family'");
	expect_one(care_with(item0, "performers", load("[\"nurse\",\"nurse\"]")),
		   "$.care.catalogue.categories[0].items[0].performers[1]", "'nurse' is listed twice");
	expect_one(care_with("care.catalogue.categories[0]", "items", load("[\"QJ01\"]")),
		   "$.care.catalogue.categories[0].items[0]",
		   "must be an object {code, name, class, minutes, performers}");
	/* more than 200 items in all */
	doc = care_with(NULL, NULL, NULL);
	for (int i = 0; i < 198; i++) {
		char code[16];
		snprintf(code, sizeof code, "X%03d", i);
		json_array_append_new(at(doc, "care.catalogue.categories[1].items"),
				      json_pack("{s:s, s:s, s:s, s:i, s:[s]}", "code", code, "name", "x", "class",
						"living", "minutes", 10, "performers", "caregiver"));
	}
	expect_one(doc, "$.care.catalogue.categories", "at most 200 items in all (has 201)");
}

static void test_care_entitlement_problems(void **state)
{
	const char *e0 = "care.entitlements[0]", *e1 = "care.entitlements[1]", *e2 = "care.entitlements[2]";
	json_t *doc;

	expect_one(care_with("care", "entitlements", json_array()), "$.care.entitlements",
		   "must be a non-empty array of entitlements");
	expect_one(care_with("care", "entitlements", NULL), "$.care.entitlements",
		   "must be a non-empty array of entitlements");
	doc = care_with(NULL, NULL, NULL);
	json_array_set_new(at(doc, "care.entitlements"), 0, json_string("home"));
	expect_one(doc, "$.care.entitlements[0]", "must be an object {mode, levels, ...}");
	expect_one(care_with(e0, "price", json_integer(1)), "$.care.entitlements[0].price", "unknown field");
	expect_one(care_with(e0, "mode", json_string("daycare")), "$.care.entitlements[0].mode",
		   "must be 'home', 'family' or 'institution'");
	expect_one(care_with(e0, "mode", NULL), "$.care.entitlements[0].mode", "required string is missing");
	/* levels: in $.levels, qualifying, each (mode, level) once */
	expect_one(care_with(e0, "levels", load("[2,3,4,5]")), "$.care.entitlements[0].levels[0]",
		   "level 2 does not qualify for benefits ($.levels)");
	expect_one(care_with(e0, "levels", load("[3,4,5,6]")), "$.care.entitlements[0].levels[3]",
		   "no level 6 in $.levels");
	expect_one(care_with(e0, "levels", load("[3,4,5,100]")), "$.care.entitlements[0].levels[3]",
		   "must be a level number");
	expect_one(care_with(e0, "levels", load("[\"3\",4,5]")), "$.care.entitlements[0].levels[0]",
		   "must be a level number");
	expect_one(care_with(e0, "levels", json_array()), "$.care.entitlements[0].levels",
		   "must be a non-empty array of levels");
	expect_one(care_with(e0, "levels", json_integer(3)), "$.care.entitlements[0].levels",
		   "must be a non-empty array of levels");
	expect_one(care_with(e0, "levels", load("[3,3,4,5]")), "$.care.entitlements[0].levels",
		   "level 3 already has an entitlement in mode home");
	doc = care_with(NULL, NULL, NULL);
	json_array_append_new(at(doc, "care.entitlements"),
			      json_pack("{s:s, s:[i], s:i}", "mode", "institution", "levels", 4, "monthly_fen", 1));
	expect_one(doc, "$.care.entitlements[3].levels", "level 4 already has an entitlement in mode institution");
	/* every qualifying level has something */
	doc = care_with(e0, "levels", load("[3,4]"));
	json_array_remove(at(doc, "care.entitlements"), 2);
	json_array_remove(at(doc, "care.entitlements"), 1);
	expect_one(doc, "$.care.entitlements", "qualifying level 5 has no entitlement in any mode");
	/* limits: ranges, min <= max, the minimum must fit under the weekly maximum */
	expect_one(care_with(e0, "max_visits_per_week", json_integer(22)),
		   "$.care.entitlements[0].max_visits_per_week", "must be between 0 and 21 (is 22)");
	expect_one(care_with(e0, "min_minutes_per_visit", json_integer(481)),
		   "$.care.entitlements[0].min_minutes_per_visit", "must be between 0 and 480 (is 481)");
	expect_one(care_with(e0, "max_minutes_per_week", json_integer(10081)),
		   "$.care.entitlements[0].max_minutes_per_week", "must be between 0 and 10080 (is 10081)");
	{
		static const struct expected want[] = {
			{"$.care.entitlements[0].min_visits_per_week", "is above max_visits_per_week (8 > 7)"},
			{"$.care.entitlements[0].max_minutes_per_week", "is below the minimum of 8 visits x 60 minutes"},
		};
		expect_all(care_with(e0, "min_visits_per_week", json_integer(8)), want, 2);
	}
	expect_one(care_with(e0, "max_minutes_per_week", json_integer(179)),
		   "$.care.entitlements[0].max_minutes_per_week", "is below the minimum of 3 visits x 60 minutes");
	/* with no visit minimum a plan still has one visit */
	doc = care_with(e0, "min_visits_per_week", NULL);
	json_object_set_new(at(doc, e0), "max_minutes_per_week", json_integer(59));
	expect_one(doc, "$.care.entitlements[0].max_minutes_per_week",
		   "is below the minimum of 1 visits x 60 minutes");
	/* money: integer fen >= 0, exactly one way of paying, fund share 1-100 */
	expect_one(care_with(e0, "fund_share_pct", json_integer(0)), "$.care.entitlements[0].fund_share_pct",
		   "must be between 1 and 100 (is 0)");
	expect_one(care_with(e0, "fund_share_pct", json_integer(101)), "$.care.entitlements[0].fund_share_pct",
		   "must be between 1 and 100 (is 101)");
	expect_one(care_with(e0, "visit_price_fen", json_integer(6500)), "$.care.entitlements[0]",
		   "give exactly one of monthly_fen (a monthly lump sum) and visit_price_fen (a price per visit-hour)");
	expect_one(care_with(e0, "monthly_fen", NULL), "$.care.entitlements[0]",
		   "give exactly one of monthly_fen (a monthly lump sum) and visit_price_fen (a price per visit-hour)");
	{
		static const struct expected neg[] = {
			{"$.care.entitlements[0].monthly_fen", "must be between 0 and 100000000 (is -1)"},
			{"$.care.entitlements[0]", "give exactly one of monthly_fen (a monthly lump sum) and "
						   "visit_price_fen (a price per visit-hour)"},
		};
		static const struct expected real[] = {
			{"$.care.entitlements[0].monthly_fen", "must be an integer"},
			{"$.care.entitlements[0]", "give exactly one of monthly_fen (a monthly lump sum) and "
						   "visit_price_fen (a price per visit-hour)"},
		};
		expect_all(care_with(e0, "monthly_fen", json_integer(-1)), neg, 2);
		expect_all(care_with(e0, "monthly_fen", json_real(1280.0)), real, 2);
	}
	{
		/* a price per visit-hour instead of the lump sum loads */
		doc = care_with(e0, "monthly_fen", NULL);
		json_object_set_new(at(doc, e0), "visit_price_fen", json_integer(6500));
		json_object_set_new(at(doc, e0), "fund_share_pct", json_integer(90));
		expect_ok(doc);
	}
	/* family care: the relative required and paid; nobody else's */
	expect_one(care_with(e1, "family_caregiver_required", NULL), "$.care.entitlements[1].family_caregiver_required",
		   "must be true for family care");
	expect_one(care_with(e1, "family_caregiver_required", json_false()),
		   "$.care.entitlements[1].family_caregiver_required", "must be true for family care");
	{
		static const struct expected want[] = {
			{"$.care.entitlements[1].family_caregiver_required", "must be true or false"},
			{"$.care.entitlements[1].family_caregiver_required", "must be true for family care"},
		};
		expect_all(care_with(e1, "family_caregiver_required", json_string("yes")), want, 2);
	}
	expect_one(care_with(e1, "family_monthly_fen", NULL), "$.care.entitlements[1].family_monthly_fen",
		   "family care needs the relative's allowance (above 0)");
	expect_one(care_with(e1, "family_monthly_fen", json_integer(0)), "$.care.entitlements[1].family_monthly_fen",
		   "family care needs the relative's allowance (above 0)");
	expect_one(care_with(e0, "family_monthly_fen", json_integer(50000)), "$.care.entitlements[0].family_monthly_fen",
		   "only family care pays a relative's allowance");
	expect_one(care_with(e2, "family_caregiver_required", json_true()),
		   "$.care.entitlements[2].family_caregiver_required", "only family care requires a family caregiver");
	expect_one(care_with("care", "family_training_hours", NULL), "$.care.family_training_hours",
		   "required (above 0) when family care is offered");
	/* institutional care has no visits */
	expect_one(care_with(e2, "min_visits_per_week", json_integer(1)), "$.care.entitlements[2]",
		   "institutional care has no visits: leave out min_visits_per_week, max_visits_per_week and "
		   "min_minutes_per_visit");
	expect_one(care_with(e2, "min_minutes_per_visit", json_integer(60)), "$.care.entitlements[2]",
		   "institutional care has no visits: leave out min_visits_per_week, max_visits_per_week and "
		   "min_minutes_per_visit");
	/* a weekly maximum of minutes is allowed for institutional care (items delivered in the home) */
	expect_ok(care_with(e2, "max_minutes_per_week", json_integer(600)));
}

static void test_zhoushan_care(void **state)
{
	static struct scheme_diag d;
	static const char *const cat_codes[6] = {"QJ", "YY", "PX", "YD", "SM", "YZ"};
	static const char *const cat_names[6] = {"清洁卫生", "营养摄取", "排泄护理", "移动舒适和安全护理",
						 "生命体征观察与护理", "用药指导"};
	static const int cat_items[6] = {9, 6, 7, 8, 6, 5}; /* 41 */
	struct scheme *s = NULL;
	const struct scheme_entitlement *e;
	const struct scheme_service_item *it;

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &s, &d), 0);
	assert_true(s->care.defined);
	assert_int_equal(s->care.choice, SCHEME_CHOICE_REGION);
	assert_int_equal(s->care.switch_effective, SCHEME_SWITCH_NEXT_MONTH);
	assert_int_equal(s->care.family_training_hours, 40);
	assert_int_equal(s->care.n_categories, 6);
	assert_int_equal(s->care.n_items, 41);
	for (int c = 0, i = 0; c < 6; c++) {
		assert_string_equal(s->care.categories[c].code, cat_codes[c]);
		assert_string_equal(s->care.categories[c].name, cat_names[c]);
		for (int k = 0; k < cat_items[c]; k++, i++) {
			char code[16];
			snprintf(code, sizeof code, "%s%02d", cat_codes[c], k + 1);
			assert_string_equal(s->care.items[i].code, code);
			assert_string_equal(s->care.items[i].category, cat_codes[c]);
		}
	}
	/* the items the seed names */
	it = scheme_service_item(s, "QJ03");
	assert_string_equal(it->name, "温水擦浴");
	assert_int_equal(it->medical, 0);
	assert_int_equal(it->minutes, 40);
	assert_int_equal(it->performers, SCHEME_PERFORMER_CAREGIVER | SCHEME_PERFORMER_FAMILY);
	assert_string_equal(scheme_service_item(s, "PX02")->name, "失禁护理");
	assert_string_equal(scheme_service_item(s, "YD05")->name, "关节活动练习");
	assert_int_equal(scheme_service_item(s, "SM02")->medical, 1);
	assert_null(scheme_service_item(s, "YZ06"));
	/* every provider-visit mode has items the provider's staff can do: each item has a caregiver or a nurse */
	for (int i = 0; i < s->care.n_items; i++)
		assert_true(s->care.items[i].performers & (SCHEME_PERFORMER_CAREGIVER | SCHEME_PERFORMER_NURSE));
	/* modes and levels: all three modes for levels 3-5, nothing below */
	for (int m = 0; m < CARE_MODE_COUNT; m++) {
		assert_true(s->care.modes[m]);
		for (int lv = 0; lv <= 5; lv++)
			assert_int_equal(s->care.entitled[m][lv], lv >= 3);
	}
	e = scheme_entitlement(s, CARE_HOME, 3);
	assert_int_equal(e->min_visits_per_week, 3);
	assert_int_equal(e->min_minutes_per_visit, 60);
	assert_int_equal(e->max_visits_per_week, 7);
	assert_int_equal(e->max_minutes_per_week, 420);
	assert_int_equal(e->monthly_fen, 128000);
	assert_int_equal(e->fund_share_pct, 100);
	assert_int_equal(e->visit_price_fen, 0);
	e = scheme_entitlement(s, CARE_FAMILY, 5);
	assert_int_equal(e->min_visits_per_week, 2);
	assert_int_equal(e->min_minutes_per_visit, 60);
	assert_int_equal(e->monthly_fen, 78000);
	assert_int_equal(e->family_monthly_fen, 50000);
	assert_int_equal(e->monthly_fen + e->family_monthly_fen, 128000); /* 780 + 500 = the home benefit */
	assert_true(e->family_caregiver_required);
	e = scheme_entitlement(s, CARE_INSTITUTION, 4);
	assert_int_equal(e->monthly_fen, 140000);
	assert_int_equal(e->min_visits_per_week, 0);
	assert_int_equal(e->max_minutes_per_week, 0);
	scheme_free(s);
}

static void test_shanghai_care(void **state)
{
	static struct scheme_diag d;
	/* per grade 0-6: weekly visits of an hour at home, the institutional monthly fee (placeholder to verify) */
	static const int visits[7] = {0, 0, 3, 3, 5, 7, 7};
	static const int64_t inst[7] = {0, 0, 120000, 120000, 150000, 180000, 180000};
	struct scheme *s = NULL;
	int living = 0, medical = 0;

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json", &s, &d), 0);
	assert_true(s->care.defined);
	assert_int_equal(s->care.choice, SCHEME_CHOICE_STREET);
	assert_int_equal(s->care.switch_effective, SCHEME_SWITCH_NEXT_MONTH);
	assert_int_equal(s->care.n_items, 42);
	assert_int_equal(s->care.n_categories, 2);
	assert_string_equal(s->care.categories[0].name, "基本生活照料");
	assert_string_equal(s->care.categories[1].name, "常用临床护理");
	for (int i = 0; i < s->care.n_items; i++) {
		living += s->care.items[i].medical == 0;
		medical += s->care.items[i].medical == 1;
		assert_false(s->care.items[i].performers & SCHEME_PERFORMER_FAMILY);
	}
	assert_int_equal(living, 27);
	assert_int_equal(medical, 15);
	assert_true(s->care.modes[CARE_HOME]);
	assert_false(s->care.modes[CARE_FAMILY]);
	assert_true(s->care.modes[CARE_INSTITUTION]);
	for (int lv = 0; lv <= 6; lv++) {
		const struct scheme_entitlement *h = scheme_entitlement(s, CARE_HOME, lv);
		const struct scheme_entitlement *in = scheme_entitlement(s, CARE_INSTITUTION, lv);
		assert_null(scheme_entitlement(s, CARE_FAMILY, lv));
		if (lv < 2) {
			assert_null(h);
			assert_null(in);
			continue;
		}
		assert_int_equal(h->min_visits_per_week, visits[lv]);
		assert_int_equal(h->max_visits_per_week, visits[lv]);
		assert_int_equal(h->min_minutes_per_visit, 60);
		assert_int_equal(h->max_minutes_per_week, visits[lv] * 60);
		assert_int_equal(h->visit_price_fen, 6500);
		assert_int_equal(h->fund_share_pct, 90);
		assert_int_equal(h->monthly_fen, 0);
		assert_int_equal(in->monthly_fen, inst[lv]);
		assert_int_equal(in->fund_share_pct, 85);
	}
	scheme_free(s);
}

static void test_care_json(void **state)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	json_t *j, *modes, *m, *e, *cats, *items, *it;

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &s, &d), 0);
	j = scheme_care_json(s);
	assert_true(json_is_true(json_object_get(j, "defined")));
	assert_string_equal(json_string_value(json_object_get(j, "choice")), "region");
	assert_string_equal(json_string_value(json_object_get(j, "switch_effective")), "next_month");
	assert_int_equal(json_integer_value(json_object_get(j, "family_training_hours")), 40);
	assert_int_equal(json_integer_value(json_object_get(j, "n_items")), 41);
	assert_true(json_is_string(json_object_get(j, "note")));
	assert_true(json_is_string(json_object_get(j, "catalogue_note")));
	modes = json_object_get(j, "modes");
	assert_int_equal(json_array_size(modes), 3);
	m = json_array_get(modes, 1);
	assert_string_equal(json_string_value(json_object_get(m, "mode")), "family");
	assert_string_equal(json_string_value(json_object_get(m, "label")), "亲情护理");
	assert_int_equal(json_array_size(json_object_get(m, "entitlements")), 3);
	e = json_array_get(json_object_get(m, "entitlements"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "level")), 3);
	assert_string_equal(json_string_value(json_object_get(e, "level_name")), "重度失能Ⅰ级");
	assert_string_equal(json_string_value(json_object_get(e, "mode")), "family");
	assert_int_equal(json_integer_value(json_object_get(e, "monthly_fen")), 78000);
	assert_int_equal(json_integer_value(json_object_get(e, "family_monthly_fen")), 50000);
	assert_int_equal(json_integer_value(json_object_get(e, "min_visits_per_week")), 2);
	assert_true(json_is_true(json_object_get(e, "family_caregiver_required")));
	cats = json_object_get(j, "categories");
	assert_int_equal(json_array_size(cats), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cats, 3), "name")), "移动舒适和安全护理");
	items = json_object_get(json_array_get(cats, 0), "items");
	assert_int_equal(json_array_size(items), 9);
	it = json_array_get(items, 2);
	assert_string_equal(json_string_value(json_object_get(it, "code")), "QJ03");
	assert_string_equal(json_string_value(json_object_get(it, "class")), "living");
	assert_false(json_is_true(json_object_get(it, "medical")));
	assert_int_equal(json_integer_value(json_object_get(it, "minutes")), 40);
	assert_int_equal(json_array_size(json_object_get(it, "performers")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(it, "performers"), 0)), "caregiver");
	assert_string_equal(json_string_value(json_array_get(json_object_get(it, "performers"), 1)), "family");
	json_decref(j);
	/* not entitled: null */
	j = scheme_entitlement_json(s, CARE_HOME, 2);
	assert_true(json_is_null(j));
	json_decref(j);
	scheme_free(s);

	/* Shanghai offers two modes */
	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json", &s, &d), 0);
	j = scheme_care_json(s);
	modes = json_object_get(j, "modes");
	assert_int_equal(json_array_size(modes), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(modes, 1), "mode")), "institution");
	assert_int_equal(json_array_size(json_object_get(json_array_get(modes, 0), "entitlements")), 5);
	assert_string_equal(json_string_value(json_object_get(j, "choice")), "street");
	json_decref(j);
	scheme_free(s);
}

/* ---- visits: verification thresholds, time limits, complaint categories ---- */

/* A valid visits section for the base document (which has no care section); focused tests change one thing. */
static const char visits_doc[] =
	"{\"note\":\"test\",\"geofence_m\":200,\"max_accuracy_m\":100,"
	"\"min_minutes\":{\"home\":60,\"family\":45,\"institution\":0},\"max_speed_kmh\":60,"
	"\"missing_checkout_hours\":4,\"late_delivery_minutes\":15,\"lock_days\":10,\"audio_max_mb\":50,"
	"\"rating_days\":7,\"attestation_day\":5,\"complaint_categories\":["
	"{\"key\":\"service_quality\",\"name\":\"服务质量\",\"days\":5},{\"key\":\"fraud\",\"name\":\"虚假服务\",\"days\":3},"
	"{\"key\":\"other\",\"name\":\"其他\",\"days\":10,\"note\":\"anything else\"}]}";

/* The base document with visits_doc (and care_doc when with_care), and key of the object at path set to value
 * (stolen; NULL deletes the key). */
static json_t *visits_with(bool with_care, const char *path, const char *key, json_t *value)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "visits", load(visits_doc));
	if (with_care)
		json_object_set_new(doc, "care", load(care_doc));
	if (path) {
		if (value)
			json_object_set_new(at(doc, path), key, value);
		else
			json_object_del(at(doc, path), key);
	}
	return doc;
}

static void test_visits_optional(void **state)
{
	static struct scheme_diag d;
	json_t *doc = load(base_doc), *j;
	struct scheme *s = NULL;

	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_false(s->visits.defined);
	assert_int_equal(s->visits.geofence_m, 0);
	assert_int_equal(s->visits.n_complaint_categories, 0);
	assert_null(scheme_complaint_category(s, "fraud"));
	j = scheme_visits_json(s);
	assert_false(json_is_true(json_object_get(j, "defined")));
	assert_true(json_is_null(json_object_get(j, "note")));
	assert_int_equal(json_integer_value(json_object_get(j, "geofence_m")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "min_minutes"), "home")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "complaint_categories")), 0);
	json_decref(j);
	scheme_free(s);
	/* and with a care section but no visits section */
	doc = care_with(NULL, NULL, NULL);
	assert_int_equal(scheme_from_json(doc, &s, &d), 0);
	json_decref(doc);
	assert_true(s->care.defined);
	assert_false(s->visits.defined);
	scheme_free(s);
}

static void test_visits_base(void **state)
{
	static struct scheme_diag d;
	json_t *doc = visits_with(false, NULL, NULL, NULL);
	struct scheme *s = NULL;
	const struct scheme_visits *v;

	if (scheme_from_json(doc, &s, &d) != 0) {
		dump_diag(&d);
		fail_msg("visits_doc refused");
	}
	json_decref(doc);
	v = &s->visits;
	assert_true(v->defined);
	assert_int_equal(v->geofence_m, 200);
	assert_int_equal(v->max_accuracy_m, 100);
	assert_int_equal(v->min_minutes[CARE_HOME], 60);
	assert_int_equal(v->min_minutes[CARE_FAMILY], 45);
	assert_int_equal(v->min_minutes[CARE_INSTITUTION], 0);
	assert_int_equal(v->max_speed_kmh, 60);
	assert_int_equal(v->missing_checkout_hours, 4);
	assert_int_equal(v->late_delivery_minutes, 15);
	assert_int_equal(v->lock_days, 10);
	assert_int_equal(v->audio_max_mb, 50);
	assert_int_equal(v->rating_days, 7);
	assert_int_equal(v->attestation_day, 5);
	assert_int_equal(v->n_complaint_categories, 3);
	assert_string_equal(v->complaint_categories[1].key, "fraud");
	assert_string_equal(v->complaint_categories[1].name, "虚假服务");
	assert_int_equal(v->complaint_categories[1].days, 3);
	assert_ptr_equal(scheme_complaint_category(s, "other"), &v->complaint_categories[2]);
	assert_int_equal(scheme_complaint_category(s, "other")->days, 10);
	assert_null(scheme_complaint_category(s, "Other"));
	assert_null(scheme_complaint_category(s, ""));
	assert_null(scheme_complaint_category(s, NULL));
	assert_null(scheme_complaint_category(NULL, "other"));
	scheme_free(s);

	/* each figure at both ends of its range */
	{
		static const struct {
			const char *key;
			int min, max;
		} ranges[] = {
			{"geofence_m", 10, 5000},         {"max_accuracy_m", 5, 1000},
			{"max_speed_kmh", 5, 300},        {"missing_checkout_hours", 1, 72},
			{"late_delivery_minutes", 1, 10080}, {"lock_days", 7, 366},
			{"audio_max_mb", 1, 64},          {"rating_days", 1, 10},
			{"attestation_day", 1, 28},
		};
		for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
			expect_ok(visits_with(false, "visits", ranges[i].key, json_integer(ranges[i].min)));
			expect_ok(visits_with(false, "visits", ranges[i].key, json_integer(ranges[i].max)));
		}
	}
	expect_ok(visits_with(false, "visits.min_minutes", "home", json_integer(480)));
	expect_ok(visits_with(false, "visits.min_minutes", "home", json_integer(0)));  /* no care section: no check */
	expect_ok(visits_with(false, "visits", "min_minutes", json_object()));            /* every mode 0 */
	expect_ok(visits_with(false, "visits", "note", NULL));
	expect_ok(visits_with(false, "visits.complaint_categories[0]", "days", json_integer(1)));
	expect_ok(visits_with(false, "visits.complaint_categories[0]", "days", json_integer(90)));
	expect_ok(visits_with(false, "visits.complaint_categories[0]", "key", json_string("a_1")));
	expect_ok(visits_with(false, "visits", "rating_days", json_integer(10))); /* = lock_days */
	/* with the care section: home and family are offered, both have a minimum above 0 */
	expect_ok(visits_with(true, NULL, NULL, NULL));
	{
		/* 16 categories fit */
		doc = visits_with(false, NULL, NULL, NULL);
		for (int i = 3; i < 16; i++) {
			char key[16];
			snprintf(key, sizeof key, "c%d", i);
			json_array_append_new(at(doc, "visits.complaint_categories"),
					      json_pack("{s:s, s:s, s:i}", "key", key, "name", "类别", "days", 5));
		}
		expect_ok(doc);
	}
}

static void test_visits_problems(void **state)
{
	static const struct {
		const char *key;
		int min, max;
	} ranges[] = {
		{"geofence_m", 10, 5000},            {"max_accuracy_m", 5, 1000},   {"max_speed_kmh", 5, 300},
		{"missing_checkout_hours", 1, 72},   {"late_delivery_minutes", 1, 10080},
		{"lock_days", 1, 366},               {"audio_max_mb", 1, 64},       {"rating_days", 1, 90},
		{"attestation_day", 1, 28},
	};
	const char *c0 = "visits.complaint_categories[0]";
	json_t *doc;

	expect_one(visits_with(false, "visits", "colour", json_string("red")), "$.visits.colour", "unknown field");
	doc = load(base_doc);
	json_object_set_new(doc, "visits", json_array());
	expect_one(doc, "$.visits", "must be an object");
	expect_one(visits_with(false, "visits", "note", json_integer(1)), "$.visits.note", "must be a string");
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		char path[64], msg[96];
		snprintf(path, sizeof path, "$.visits.%s", ranges[i].key);
		/* rating_days is checked against lock_days (10) only when both are valid: test its range with a lock of
		 * a year */
		snprintf(msg, sizeof msg, "must be between %d and %d (is %d)", ranges[i].min, ranges[i].max,
			 ranges[i].min - 1);
		doc = visits_with(false, "visits", ranges[i].key, json_integer(ranges[i].min - 1));
		if (strcmp(ranges[i].key, "rating_days") == 0)
			json_object_set_new(at(doc, "visits"), "lock_days", json_integer(366));
		expect_one(doc, path, msg);
		snprintf(msg, sizeof msg, "must be between %d and %d (is %d)", ranges[i].min, ranges[i].max,
			 ranges[i].max + 1);
		doc = visits_with(false, "visits", ranges[i].key, json_integer(ranges[i].max + 1));
		if (strcmp(ranges[i].key, "rating_days") == 0)
			json_object_set_new(at(doc, "visits"), "lock_days", json_integer(366));
		expect_one(doc, path, msg);
		expect_one(visits_with(false, "visits", ranges[i].key, NULL), path, "required integer is missing");
		expect_one(visits_with(false, "visits", ranges[i].key, json_string("5")), path, "must be an integer");
	}
	/* the rating window closes before the record locks */
	expect_one(visits_with(false, "visits", "rating_days", json_integer(11)), "$.visits.rating_days",
		   "must not be above lock_days (11 > 10): a dispute must come before the record locks");
	/* min_minutes: an object of known modes, 0-480, institution 0 */
	expect_one(visits_with(false, "visits", "min_minutes", NULL), "$.visits.min_minutes",
		   "required object is missing");
	expect_one(visits_with(false, "visits", "min_minutes", json_integer(60)), "$.visits.min_minutes",
		   "must be an object");
	expect_one(visits_with(false, "visits.min_minutes", "daycare", json_integer(60)), "$.visits.min_minutes.daycare",
		   "unknown care mode (home, family or institution)");
	expect_one(visits_with(false, "visits.min_minutes", "home", json_integer(481)), "$.visits.min_minutes.home",
		   "must be between 0 and 480 (is 481)");
	expect_one(visits_with(false, "visits.min_minutes", "home", json_integer(-1)), "$.visits.min_minutes.home",
		   "must be between 0 and 480 (is -1)");
	expect_one(visits_with(false, "visits.min_minutes", "family", json_real(60.5)), "$.visits.min_minutes.family",
		   "must be an integer");
	expect_one(visits_with(false, "visits.min_minutes", "institution", json_integer(30)),
		   "$.visits.min_minutes.institution",
		   "must be 0: institutional care has no visits (daily presence instead)");
	/* with the care section: the visiting modes it offers need a minimum above 0 */
	expect_one(visits_with(true, "visits.min_minutes", "family", NULL), "$.visits.min_minutes.family",
		   "required (1 to 480): family care is offered ($.care)");
	expect_one(visits_with(true, "visits.min_minutes", "home", json_integer(0)), "$.visits.min_minutes.home",
		   "must be above 0: home care is offered ($.care)");
	{
		/* a mode the care section does not offer may be left out */
		doc = visits_with(true, "visits.min_minutes", "family", NULL);
		json_array_remove(at(doc, "care.entitlements"), 1);
		json_object_del(at(doc, "care"), "family_training_hours");
		expect_ok(doc);
	}
	/* complaint categories */
	expect_one(visits_with(false, "visits", "complaint_categories", NULL), "$.visits.complaint_categories",
		   "must be an array of 1 to 16 categories {key, name, days}");
	expect_one(visits_with(false, "visits", "complaint_categories", json_array()), "$.visits.complaint_categories",
		   "must be an array of 1 to 16 categories {key, name, days}");
	doc = visits_with(false, NULL, NULL, NULL);
	json_array_set_new(at(doc, "visits.complaint_categories"), 1, json_string("fraud"));
	expect_one(doc, "$.visits.complaint_categories[1]", "must be an object {key, name, days}");
	expect_one(visits_with(false, c0, "deadline", json_integer(5)), "$.visits.complaint_categories[0].deadline",
		   "unknown field");
	expect_one(visits_with(false, c0, "key", json_string("fraud")), "$.visits.complaint_categories[1].key",
		   "category key 'fraud' is used twice");
	expect_one(visits_with(false, c0, "key", json_string("Service")), "$.visits.complaint_categories[0].key",
		   "use lower-case letters, digits and '_' only");
	expect_one(visits_with(false, c0, "key", json_string("服务")), "$.visits.complaint_categories[0].key",
		   "use lower-case letters, digits and '_' only");
	expect_one(visits_with(false, c0, "key", json_string("abcdefghijklmnopqrstuvwx")),
		   "$.visits.complaint_categories[0].key", "too long (at most 23 bytes)");
	expect_ok(visits_with(false, c0, "key", json_string("abcdefghijklmnopqrstuvw")));
	expect_one(visits_with(false, c0, "key", NULL), "$.visits.complaint_categories[0].key",
		   "required string is missing");
	expect_one(visits_with(false, c0, "name", json_string("")), "$.visits.complaint_categories[0].name",
		   "must not be empty");
	expect_one(visits_with(false, c0, "days", json_integer(0)), "$.visits.complaint_categories[0].days",
		   "must be between 1 and 90 (is 0)");
	expect_one(visits_with(false, c0, "days", json_integer(91)), "$.visits.complaint_categories[0].days",
		   "must be between 1 and 90 (is 91)");
	expect_one(visits_with(false, c0, "days", NULL), "$.visits.complaint_categories[0].days",
		   "required integer is missing");
	{
		/* 17 categories are too many */
		doc = visits_with(false, NULL, NULL, NULL);
		for (int i = 3; i < 17; i++) {
			char key[16];
			snprintf(key, sizeof key, "c%d", i);
			json_array_append_new(at(doc, "visits.complaint_categories"),
					      json_pack("{s:s, s:s, s:i}", "key", key, "name", "类别", "days", 5));
		}
		expect_one(doc, "$.visits.complaint_categories", "must be an array of 1 to 16 categories {key, name, days}");
	}
	{
		/* every problem in one run */
		static const struct expected want[] = {
			{"$.visits.geofence_m", "must be between 10 and 5000 (is 0)"},
			{"$.visits.min_minutes.institution", "must be 0: institutional care has no visits (daily presence "
							     "instead)"},
			{"$.visits.audio_max_mb", "must be between 1 and 64 (is 65)"},
			{"$.visits.complaint_categories[2].key", "category key 'fraud' is used twice"},
			{"$.visits.complaint_categories[0].days", "must be between 1 and 90 (is 0)"},
		};
		doc = visits_with(false, "visits", "geofence_m", json_integer(0));
		json_object_set_new(at(doc, "visits.min_minutes"), "institution", json_integer(10));
		json_object_set_new(at(doc, "visits"), "audio_max_mb", json_integer(65));
		json_object_set_new(at(doc, "visits.complaint_categories[2]"), "key", json_string("fraud"));
		json_object_set_new(at(doc, c0), "days", json_integer(0));
		expect_all(doc, want, sizeof want / sizeof want[0]);
	}
}

static void test_shipped_visits(void **state)
{
	static struct scheme_diag d;
	static const char *const keys[5] = {"service_quality", "fraud", "attitude", "fees", "other"};
	static const char *const names[5] = {"服务质量", "虚假服务", "服务态度", "违规收费", "其他"};
	static const int days[5] = {5, 3, 5, 5, 10};
	const char *const files[2] = {LTCI_SOURCE_DIR "/schemes/zhoushan.json", LTCI_SOURCE_DIR "/schemes/shanghai.json"};

	for (int f = 0; f < 2; f++) {
		struct scheme *s = NULL;
		const struct scheme_visits *v;
		json_t *j, *mm, *cats;
		assert_int_equal(scheme_load_file(files[f], &s, &d), 0);
		v = &s->visits;
		assert_true(v->defined);
		assert_int_equal(v->geofence_m, 200);
		assert_int_equal(v->max_accuracy_m, 100);
		assert_int_equal(v->min_minutes[CARE_HOME], 60);                 /* both: home visits of 1 hour */
		assert_int_equal(v->min_minutes[CARE_FAMILY], f == 0 ? 60 : 0);  /* Zhoushan family visits >= 1 h */
		assert_int_equal(v->min_minutes[CARE_INSTITUTION], 0);
		assert_int_equal(v->max_speed_kmh, 60);
		assert_int_equal(v->missing_checkout_hours, 4);
		assert_int_equal(v->late_delivery_minutes, 15);
		assert_int_equal(v->lock_days, 10);
		assert_int_equal(v->audio_max_mb, 50);
		assert_int_equal(v->rating_days, 7);
		assert_int_equal(v->attestation_day, 5);
		assert_int_equal(v->n_complaint_categories, 5);
		for (int i = 0; i < 5; i++) {
			const struct scheme_complaint_category *c = scheme_complaint_category(s, keys[i]);
			assert_non_null(c);
			assert_string_equal(c->name, names[i]);
			assert_int_equal(c->days, days[i]);
		}
		/* the rules JSON */
		j = scheme_visits_json(s);
		assert_true(json_is_true(json_object_get(j, "defined")));
		assert_true(json_is_string(json_object_get(j, "note")));
		assert_int_equal(json_integer_value(json_object_get(j, "geofence_m")), 200);
		assert_int_equal(json_integer_value(json_object_get(j, "max_accuracy_m")), 100);
		assert_int_equal(json_integer_value(json_object_get(j, "max_speed_kmh")), 60);
		assert_int_equal(json_integer_value(json_object_get(j, "missing_checkout_hours")), 4);
		assert_int_equal(json_integer_value(json_object_get(j, "late_delivery_minutes")), 15);
		assert_int_equal(json_integer_value(json_object_get(j, "lock_days")), 10);
		assert_int_equal(json_integer_value(json_object_get(j, "audio_max_mb")), 50);
		assert_int_equal(json_integer_value(json_object_get(j, "rating_days")), 7);
		assert_int_equal(json_integer_value(json_object_get(j, "attestation_day")), 5);
		mm = json_object_get(j, "min_minutes");
		assert_int_equal(json_object_size(mm), 3);
		assert_int_equal(json_integer_value(json_object_get(mm, "home")), 60);
		assert_int_equal(json_integer_value(json_object_get(mm, "family")), f == 0 ? 60 : 0);
		assert_int_equal(json_integer_value(json_object_get(mm, "institution")), 0);
		cats = json_object_get(j, "complaint_categories");
		assert_int_equal(json_array_size(cats), 5);
		assert_string_equal(json_string_value(json_object_get(json_array_get(cats, 1), "key")), "fraud");
		assert_string_equal(json_string_value(json_object_get(json_array_get(cats, 1), "name")), "虚假服务");
		assert_int_equal(json_integer_value(json_object_get(json_array_get(cats, 1), "days")), 3);
		assert_int_equal(json_object_size(json_array_get(cats, 1)), 3);
		assert_int_equal(json_object_size(j), 13);
		json_decref(j);
		scheme_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_document_loads),
		cmocka_unit_test(test_zhoushan_loads),
		cmocka_unit_test(test_shanghai_loads),
		cmocka_unit_test(test_summary_json),
		cmocka_unit_test(test_broken_document_reports_everything),
		cmocka_unit_test(test_levels_out_of_order),
		cmocka_unit_test(test_levels_duplicated),
		cmocka_unit_test(test_level_unknown_key),
		cmocka_unit_test(test_level_qualifies_missing),
		cmocka_unit_test(test_level_not_object),
		cmocka_unit_test(test_national_needs_levels_0_to_5),
		cmocka_unit_test(test_external_standard_any_levels),
		cmocka_unit_test(test_no_qualifying_level),
		cmocka_unit_test(test_levels_array_size),
		cmocka_unit_test(test_workdays_must_be_weekends),
		cmocka_unit_test(test_calendar_optional),
		cmocka_unit_test(test_effective_dates),
		cmocka_unit_test(test_region_code),
		cmocka_unit_test(test_top_level_fields),
		cmocka_unit_test(test_period_ranges),
		cmocka_unit_test(test_assessment_bands),
		cmocka_unit_test(test_assessment_dimension_max),
		cmocka_unit_test(test_assessment_item_scores),
		cmocka_unit_test(test_assessment_item_dimension),
		cmocka_unit_test(test_assessment_combination),
		cmocka_unit_test(test_assessment_gate),
		cmocka_unit_test(test_assessment_quality),
		cmocka_unit_test(test_assessment_sections_required),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_problem_list_is_capped),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_care_optional),
		cmocka_unit_test(test_care_names),
		cmocka_unit_test(test_care_base),
		cmocka_unit_test(test_care_catalogue_problems),
		cmocka_unit_test(test_care_entitlement_problems),
		cmocka_unit_test(test_zhoushan_care),
		cmocka_unit_test(test_shanghai_care),
		cmocka_unit_test(test_care_json),
		cmocka_unit_test(test_visits_optional),
		cmocka_unit_test(test_visits_base),
		cmocka_unit_test(test_visits_problems),
		cmocka_unit_test(test_shipped_visits),
	};

	return cmocka_run_group_tests_name("scheme", tests, NULL, NULL);
}
