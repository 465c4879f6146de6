/* test_json.c: request-body helpers (base/json.h): the nesting-depth pre-check (strings and escapes skipped),
 * parsing with duplicate keys and non-objects refused, and the declarative field checks of jx_check (unknown
 * fields, required, types, null, lengths in bytes and code points, integer ranges, control characters). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/limits.h"

/* ---- jx_depth_ok ---- */

struct depth_case {
	const char *text;
	int max;
	bool ok;
	const char *why;
};

static void test_depth(void **state)
{
	static const struct depth_case cases[] = {
		{"", 0, true, "empty"},
		{"1", 0, true, "scalar at depth 0"},
		{"{}", 0, false, "object over a limit of 0"},
		{"{}", 1, true, "object at a limit of 1"},
		{"[[[]]]", 3, true, "exactly at the limit"},
		{"[[[]]]", 2, false, "one over"},
		{"{\"a\":[{\"b\":[]}]}", 4, true, "mixed, exactly 4"},
		{"{\"a\":[{\"b\":[]}]}", 3, false, "mixed, one over"},
		{"[[],[],[]]", 2, true, "siblings do not add up"},
		{"{\"a\":\"[[[[{{{{\"}", 1, true, "brackets inside a string ignored"},
		{"{\"a\":\"\\\"[[[[\"}", 1, true, "escaped quote does not end the string"},
		{"{\"a\":\"\\\\\",\"b\":[[1]]}", 3, true, "escaped backslash ends before the quote: depth 3"},
		{"{\"a\":\"\\\\\",\"b\":[[1]]}", 2, false, "same, over a limit of 2"},
		{"{\"[[[\":1}", 1, true, "brackets inside a key ignored"},
		{"[\"]]]]\",[[]]]", 3, true, "closing brackets inside a string do not lower the depth"},
		{"[\"]]]]\",[[]]]", 2, false, "same, over a limit of 2"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = jx_depth_ok(cases[i].text, strlen(cases[i].text), cases[i].max);
		if (ok != cases[i].ok)
			fail_msg("depth case %zu (%s): expected %s", i, cases[i].why, cases[i].ok ? "ok" : "too deep");
	}
	/* Only len bytes are looked at. */
	assert_true(jx_depth_ok("[[[]]]", 2, 2));
}

/* "{\"a\":" + n '[' + n ']' + "}": depth n + 1. */
static char *nested(int n)
{
	char *s = malloc((size_t)(2 * n + 8));
	size_t j = 0;

	memcpy(s, "{\"a\":", 5);
	j = 5;
	for (int i = 0; i < n; i++)
		s[j++] = '[';
	for (int i = 0; i < n; i++)
		s[j++] = ']';
	s[j++] = '}';
	s[j] = '\0';
	return s;
}

/* ---- jx_parse_object ---- */

static void test_parse_depth_limit(void **state)
{
	json_t *v;
	struct err e;
	char *s;

	assert_int_equal(LIMIT_JSON_DEPTH, 32);
	s = nested(31); /* depth 32: accepted */
	assert_int_equal(jx_parse_object(s, strlen(s), &v, &e), 0);
	assert_non_null(v);
	json_decref(v);
	free(s);

	s = nested(32); /* depth 33: refused */
	assert_int_equal(jx_parse_object(s, strlen(s), &v, &e), ERR_INVALID);
	assert_null(v);
	assert_string_equal(e.field, "body");
	assert_string_equal(e.msg, "JSON嵌套层数超过32层");
	free(s);
}

static void test_parse_object(void **state)
{
	const char *ok = "{\"name\":\"张三\",\"age\":70}";
	json_t *v;
	struct err e;

	assert_int_equal(jx_parse_object(ok, strlen(ok), &v, &e), 0);
	assert_non_null(v);
	assert_string_equal(jx_str(v, "name"), "张三");
	assert_int_equal(jx_int(v, "age", -1), 70);
	json_decref(v);
}

struct bad_body {
	const char *text;
	const char *msg_prefix;
};

static void test_parse_refusals(void **state)
{
	static const struct bad_body cases[] = {
		{"{\"a\":1,\"a\":2}", "JSON格式错误"},
		{"{\"a\":{\"b\":1,\"b\":1}}", "JSON格式错误"},
		{"[]", "请求体必须是JSON对象"},
		{"[{\"a\":1}]", "请求体必须是JSON对象"},
		/* scalars parse (JSON_DECODE_ANY) and are then refused as not an object */
		{"\"text\"", "请求体必须是JSON对象"},
		{"42", "请求体必须是JSON对象"},
		{"null", "请求体必须是JSON对象"},
		{"{", "JSON格式错误"},
		{"{\"a\":1,}", "JSON格式错误"},
		{"{\"a\":1} {}", "JSON格式错误"},
		{"{'a':1}", "JSON格式错误"},
		{"   ", "JSON格式错误"},
		{"{\"a\":\"x\\u0000y\"}", "JSON格式错误"}, /* jansson refuses NUL in strings by default */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *v = (json_t *)1;
		struct err e;
		int rc;

		err_clear(&e);
		rc = jx_parse_object(cases[i].text, strlen(cases[i].text), &v, &e);
		if (rc != ERR_INVALID)
			fail_msg("body %s: rc %d, expected ERR_INVALID", cases[i].text, rc);
		if (v != NULL)
			fail_msg("body %s: out not NULL on failure", cases[i].text);
		if (strncmp(e.msg, cases[i].msg_prefix, strlen(cases[i].msg_prefix)) != 0)
			fail_msg("body %s: message \"%s\", expected to start with \"%s\"", cases[i].text, e.msg,
				 cases[i].msg_prefix);
		assert_string_equal(e.field, "body");
	}
}

static void test_parse_empty_body(void **state)
{
	json_t *v;
	struct err e;

	assert_int_equal(jx_parse_object("", 0, &v, &e), ERR_INVALID);
	assert_null(v);
	assert_string_equal(e.field, "body");
	assert_string_equal(e.msg, "请求体为空，需要一个JSON对象");
	/* A length of 0 wins even if the pointer has text behind it. */
	assert_int_equal(jx_parse_object("{}", 0, &v, &e), ERR_INVALID);
}

static void test_parse_error_position(void **state)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\": ]\n}";
	json_t *v;
	struct err e;

	assert_int_equal(jx_parse_object(text, strlen(text), &v, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "第3行"));
}

/* ---- jx_check ---- */

static const struct jx_field person[] = {
	{"name", JX_STRING, JX_REQUIRED, 2, 12},
	{"age", JX_INT, 0, 0, 120},
	{"note", JX_STRING, JX_MULTILINE, 0, 0},
	{"nick", JX_STRING, JX_NULLABLE, 0, 0},
	{"active", JX_BOOL, 0, 0, 0},
	{"tags", JX_ARRAY, 0, 0, 0},
	{"extra", JX_OBJECT, 0, 0, 0},
	{"any", JX_ANY, 0, 0, 0},
	{"parent_id", JX_INT, JX_REQUIRED | JX_NULLABLE, 1, INT64_MAX},
	{NULL, 0, 0, 0, 0},
};

struct check_case {
	const char *json;
	int rc;
	const char *field;
	const char *msg;
};

/* Run jx_check on a JSON literal; expect rc and (when failing) exactly the field and message. */
static void run_check(const struct jx_field *fields, const char *prefix, const struct check_case *c)
{
	json_error_t je;
	json_t *v = json_loads(c->json, JSON_ALLOW_NUL, &je); /* NUL reaches jx_check only this way */
	struct err e;
	int rc;

	if (!v)
		fail_msg("test JSON does not parse: %s (%s)", c->json, je.text);
	err_clear(&e);
	rc = jx_check(v, fields, prefix, &e);
	json_decref(v);
	if (rc != c->rc)
		fail_msg("%s: rc %d, expected %d (message \"%s\")", c->json, rc, c->rc, e.msg);
	if (c->rc && strcmp(e.field, c->field) != 0)
		fail_msg("%s: field \"%s\", expected \"%s\"", c->json, e.field, c->field);
	if (c->rc && strcmp(e.msg, c->msg) != 0)
		fail_msg("%s: message \"%s\", expected \"%s\"", c->json, e.msg, c->msg);
}

static void run_table(const struct jx_field *fields, const char *prefix, const struct check_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_check(fields, prefix, &cases[i]);
}

static void test_check_accepts(void **state)
{
	static const struct check_case cases[] = {
		{"{\"name\":\"张三\",\"parent_id\":null}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":1}", 0, NULL, NULL},
		{"{\"name\":\"张三\",\"parent_id\":7,\"age\":0,\"note\":\"\",\"nick\":null,\"active\":false,"
		 "\"tags\":[],\"extra\":{},\"any\":[1,\"x\",null]}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":1,\"any\":\"text\",\"nick\":\"\"}", 0, NULL, NULL},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_unknown_field(void **state)
{
	static const struct check_case cases[] = {
		{"{\"name\":\"ab\",\"parent_id\":1,\"bogus\":1}", ERR_INVALID, "bogus", "未知字段：bogus"},
		{"{\"Name\":\"ab\",\"parent_id\":1}", ERR_INVALID, "Name", "未知字段：Name"}, /* case matters */
		{"{\"name\":\"ab\",\"parent_id\":1,\"role\":null}", ERR_INVALID, "role", "未知字段：role"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"a\\\"b\":1}", ERR_INVALID, "a?b", "未知字段：a?b"},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_required(void **state)
{
	static const struct check_case cases[] = {
		{"{}", ERR_INVALID, "name", "缺少必填字段name"},
		{"{\"name\":\"ab\"}", ERR_INVALID, "parent_id", "缺少必填字段parent_id"},
		{"{\"parent_id\":null}", ERR_INVALID, "name", "缺少必填字段name"},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_types(void **state)
{
	static const struct check_case cases[] = {
		{"{\"name\":5,\"parent_id\":1}", ERR_INVALID, "name", "字段name应为字符串"},
		{"{\"name\":[\"ab\"],\"parent_id\":1}", ERR_INVALID, "name", "字段name应为字符串"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":\"70\"}", ERR_INVALID, "age", "字段age应为整数"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":70.0}", ERR_INVALID, "age", "字段age应为整数"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":true}", ERR_INVALID, "age", "字段age应为整数"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"active\":1}", ERR_INVALID, "active", "字段active应为布尔值"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"active\":\"true\"}", ERR_INVALID, "active",
		 "字段active应为布尔值"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"tags\":{}}", ERR_INVALID, "tags", "字段tags应为数组"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"extra\":[]}", ERR_INVALID, "extra", "字段extra应为对象"},
		{"{\"name\":\"ab\",\"parent_id\":\"1\"}", ERR_INVALID, "parent_id", "字段parent_id应为整数"},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_null(void **state)
{
	static const struct check_case cases[] = {
		/* required, not nullable */
		{"{\"name\":null,\"parent_id\":1}", ERR_INVALID, "name", "字段name不能为空"},
		/* optional, not nullable: absent is fine, null is not */
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":null}", ERR_INVALID, "age", "字段age不能为null"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"any\":null}", ERR_INVALID, "any", "字段any不能为null"},
		/* nullable */
		{"{\"name\":\"ab\",\"parent_id\":1,\"nick\":null}", 0, NULL, NULL},
		/* required and nullable: null counts as present */
		{"{\"name\":\"ab\",\"parent_id\":null}", 0, NULL, NULL},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_string_lengths(void **state)
{
	/* name: at least 2 code points, at most 12 bytes. A CJK character is 3 bytes of UTF-8. */
	static const struct check_case cases[] = {
		{"{\"name\":\"张\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过短（至少2个字符）"},
		{"{\"name\":\"a\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过短（至少2个字符）"},
		{"{\"name\":\"\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过短（至少2个字符）"},
		{"{\"name\":\"张三\",\"parent_id\":1}", 0, NULL, NULL},                 /* 2 code points, 6 bytes */
		{"{\"name\":\"ab\",\"parent_id\":1}", 0, NULL, NULL},
		{"{\"name\":\"张三李四\",\"parent_id\":1}", 0, NULL, NULL},             /* 12 bytes: at the limit */
		{"{\"name\":\"张三李四王\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过长（最多12字节）"},
		{"{\"name\":\"abcdefghijkl\",\"parent_id\":1}", 0, NULL, NULL},         /* 12 bytes */
		{"{\"name\":\"abcdefghijklm\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过长（最多12字节）"},
		{"{\"name\":\"abcdefghijk张\",\"parent_id\":1}", ERR_INVALID, "name", "字段name过长（最多12字节）"},
		{"{\"name\":\"\\u00e9\\u00e9\",\"parent_id\":1}", 0, NULL, NULL},          /* 2 code points, 4 bytes */
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_int_range(void **state)
{
	static const struct check_case cases[] = {
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":-1}", ERR_INVALID, "age", "字段age应在0到120之间"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":0}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":120}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":1,\"age\":121}", ERR_INVALID, "age", "字段age应在0到120之间"},
		{"{\"name\":\"ab\",\"parent_id\":0}", ERR_INVALID, "parent_id",
		 "字段parent_id应在1到9223372036854775807之间"},
		{"{\"name\":\"ab\",\"parent_id\":9223372036854775807}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":-9223372036854775808}", ERR_INVALID, "parent_id",
		 "字段parent_id应在1到9223372036854775807之间"},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_int_bounds_zero_means_unlimited(void **state)
{
	/* min 0 and max 0: no range check. min 1 with max 0: a lower bound only (max 0 = no limit). */
	static const struct jx_field f[] = {
		{"any_int", JX_INT, 0, 0, 0},
		{"positive", JX_INT, 0, 1, 0},
		{NULL, 0, 0, 0, 0},
	};
	static const struct check_case cases[] = {
		{"{\"any_int\":-9223372036854775808}", 0, NULL, NULL},
		{"{\"any_int\":9223372036854775807}", 0, NULL, NULL},
		{"{\"positive\":1}", 0, NULL, NULL},
		{"{\"positive\":1000000}", 0, NULL, NULL},
		{"{\"positive\":0}", ERR_INVALID, "positive", "字段positive应大于等于1"},
	};

	run_table(f, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_control_chars(void **state)
{
	static const struct check_case cases[] = {
		{"{\"name\":\"ab\\u0001\",\"parent_id\":1}", ERR_INVALID, "name", "字段name含有控制字符"},
		{"{\"name\":\"a\\nb\",\"parent_id\":1}", ERR_INVALID, "name", "字段name含有控制字符"},
		{"{\"name\":\"a\\tb\",\"parent_id\":1}", ERR_INVALID, "name", "字段name含有控制字符"},
		{"{\"name\":\"a\\u007fb\",\"parent_id\":1}", ERR_INVALID, "name", "字段name含有控制字符"},
		{"{\"name\":\"a\\u0000b\",\"parent_id\":1}", ERR_INVALID, "name", "字段name含有空字符"},
		/* JX_MULTILINE allows newlines and tabs, nothing else */
		{"{\"name\":\"ab\",\"parent_id\":1,\"note\":\"line 1\\r\\nline 2\\tend\"}", 0, NULL, NULL},
		{"{\"name\":\"ab\",\"parent_id\":1,\"note\":\"bell\\u0007\"}", ERR_INVALID, "note",
		 "字段note含有控制字符"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"note\":\"esc\\u001b[0m\"}", ERR_INVALID, "note",
		 "字段note含有控制字符"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"note\":\"a\\u0000b\"}", ERR_INVALID, "note", "字段note含有空字符"},
	};

	run_table(person, "", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_prefix(void **state)
{
	static const struct check_case cases[] = {
		{"{}", ERR_INVALID, "items[2].name", "缺少必填字段items[2].name"},
		{"{\"name\":\"ab\",\"parent_id\":1,\"x\":1}", ERR_INVALID, "items[2].x", "未知字段：items[2].x"},
		{"{\"name\":1,\"parent_id\":1}", ERR_INVALID, "items[2].name", "字段items[2].name应为字符串"},
	};

	run_table(person, "items[2]", cases, sizeof cases / sizeof cases[0]);
}

static void test_check_not_object(void **state)
{
	json_t *v = json_array();
	struct err e;

	assert_int_equal(jx_check(v, person, "plan", &e), ERR_INVALID);
	assert_string_equal(e.field, "plan");
	assert_string_equal(e.msg, "应为JSON对象");
	json_decref(v);
}

static void test_getters(void **state)
{
	json_t *v = json_loads("{\"s\":\"x\",\"i\":5,\"b\":true,\"n\":null,\"f\":1.5}", 0, NULL);
	char *d;

	assert_non_null(v);
	assert_string_equal(jx_str(v, "s"), "x");
	assert_null(jx_str(v, "i"));
	assert_null(jx_str(v, "n"));
	assert_null(jx_str(v, "missing"));
	assert_int_equal(jx_int(v, "i", -1), 5);
	assert_int_equal(jx_int(v, "f", -1), -1);
	assert_int_equal(jx_int(v, "n", -1), -1);
	assert_int_equal(jx_int(v, "missing", 9), 9);
	assert_true(jx_bool(v, "b", false));
	assert_false(jx_bool(v, "i", false));
	assert_true(jx_bool(v, "missing", true));
	assert_true(jx_has(v, "n"));
	assert_false(jx_has(v, "missing"));
	json_decref(v);

	v = json_loads("{\"a\": [1, 2]}", 0, NULL);
	d = jx_dump(v);
	assert_string_equal(d, "{\"a\":[1,2]}");
	free(d);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_parse_depth_limit),
		cmocka_unit_test(test_parse_object),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_empty_body),
		cmocka_unit_test(test_parse_error_position),
		cmocka_unit_test(test_check_accepts),
		cmocka_unit_test(test_check_unknown_field),
		cmocka_unit_test(test_check_required),
		cmocka_unit_test(test_check_types),
		cmocka_unit_test(test_check_null),
		cmocka_unit_test(test_check_string_lengths),
		cmocka_unit_test(test_check_int_range),
		cmocka_unit_test(test_check_int_bounds_zero_means_unlimited),
		cmocka_unit_test(test_check_control_chars),
		cmocka_unit_test(test_check_prefix),
		cmocka_unit_test(test_check_not_object),
		cmocka_unit_test(test_getters),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
