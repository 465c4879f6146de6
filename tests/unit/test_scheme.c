/* test_scheme.c: scheme files (scheme/scheme.h). The shipped schemes must load with the values written in them;
 * a broken document must yield every problem, each with its exact JSON path, in a single run. */
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

/* A small valid scheme; focused tests change one thing in it. */
static const char base_doc[] =
	"{"
	"\"format\":\"ltci-scheme/1\",\"id\":\"test-city_1\",\"name\":\"测试市长期护理保险\",\"version\":\"2025.1\","
	"\"region\":{\"name\":\"测试市\",\"code\":\"330900\"},"
	"\"effective_from\":\"2025-01-01\",\"effective_until\":null,"
	"\"sources\":[],\"note\":\"unit test\","
	"\"assessment\":{\"standard\":\"national-2021\",\"instrument\":\"国标2021\"},"
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

static json_t *levels_doc(const char *levels_json)
{
	json_t *doc = load(base_doc);

	json_object_set_new(doc, "levels", load(levels_json));
	return doc;
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

struct expected {
	const char *path, *msg;
};

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
	const size_t n_want = sizeof want / sizeof want[0];
	static struct scheme_diag d;
	bool used[LIMIT_SCHEME_ERRORS] = {false};
	json_t *doc = load(broken);
	struct scheme *s = (struct scheme *)1;
	int rc = scheme_from_json(doc, &s, &d);

	json_decref(doc);
	assert_int_equal(rc, ERR_INVALID);
	assert_null(s);
	/* Each expected problem appears exactly once, and there is nothing else. */
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
	expect_one(levels_doc("[{\"level\":0,\"name\":\"a\",\"qualifies\":false},"
			      "{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true}]"),
		   "$.levels", "the national standard needs level 5");
	expect_one(levels_doc("[{\"level\":1,\"name\":\"b\",\"qualifies\":false},"
			      "{\"level\":2,\"name\":\"c\",\"qualifies\":false},"
			      "{\"level\":3,\"name\":\"d\",\"qualifies\":true},"
			      "{\"level\":4,\"name\":\"e\",\"qualifies\":true},"
			      "{\"level\":5,\"name\":\"f\",\"qualifies\":true}]"),
		   "$.levels", "the national standard needs level 0");
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
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_problem_list_is_capped),
		cmocka_unit_test(test_load_file_errors),
	};

	return cmocka_run_group_tests_name("scheme", tests, NULL, NULL);
}
