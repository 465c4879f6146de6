/* test_idcard.c: resident identity numbers (base/idcard.h, GB 11643-1999). Every valid number below was built by
 * hand: 17 digits, then the ISO 7064 MOD 11-2 check character
 *   sum = d1*7 + d2*9 + d3*10 + d4*5 + d5*8 + d6*4 + d7*2 + d8*1 + d9*6 + d10*3
 *       + d11*7 + d12*9 + d13*10 + d14*5 + d15*8 + d16*4 + d17*2
 *   check = "10X98765432"[sum mod 11]
 * Worked examples:
 *   11010519491231002 (the standard's own example):
 *     1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9 + 3*10 + 1*5 + 0*8 + 0*4 + 2*2
 *     = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 = 15*11 + 2 -> map[2] = 'X'
 *   11010119900307451:
 *     7+9+0+5+0+4+2+9+54+0+0+27+0+35+32+20+2 = 206; 206 = 18*11 + 8 -> map[8] = '4'
 *   31010119550615002:
 *     21+9+0+5+0+4+2+9+30+15+0+54+10+25+0+0+4 = 188; 188 = 17*11 + 1 -> map[1] = '0'
 * The remaining numbers were computed the same way (cross-checked with a separate script). "Today" is fixed at
 * 2026-11-23 so the future-birth cases do not depend on the clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/date.h"
#include "base/idcard.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

#define TODAY 20780 /* 2026-11-23 */

static void test_check_char(void **state)
{
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("11010119900307451"), '4');
	assert_int_equal(idcard_check_char("31010119550615002"), '0');
	assert_int_equal(idcard_check_char("00000000000000000"), '1'); /* sum 0 -> map[0] */
	assert_int_equal(idcard_check_char("33090220000229001"), '9');
	assert_int_equal(idcard_check_char("11010119991231999"), '6');
}

struct valid_case {
	const char *in;
	const char *number; /* normalised */
	const char *birth;
	char sex;
	const char *region;
};

static void test_valid_numbers(void **state)
{
	static const struct valid_case cases[] = {
		{"11010519491231002X", "11010519491231002X", "1949-12-31", 'F', "110105"},
		{"11010519491231002x", "11010519491231002X", "1949-12-31", 'F', "110105"}, /* lower-case x */
		{"110101199003074514", "110101199003074514", "1990-03-07", 'M', "110101"},
		{"310101195506150020", "310101195506150020", "1955-06-15", 'F', "310101"},
		{"330902200002290019", "330902200002290019", "2000-02-29", 'M', "330902"}, /* leap day */
		{"330902202402290033", "330902202402290033", "2024-02-29", 'M', "330902"},
		{"110101190001010014", "110101190001010014", "1900-01-01", 'M', "110101"}, /* earliest year */
		{"110101202611230028", "110101202611230028", "2026-11-23", 'F', "110101"}, /* born today */
		{"810000198001010014", "810000198001010014", "1980-01-01", 'M', "810000"}, /* HK residence permit */
		{"710000198001010010", "710000198001010010", "1980-01-01", 'M', "710000"}, /* Taiwan */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct valid_case *c = &cases[i];
		struct idcard id;
		struct err e;
		int rc;

		memset(&id, 0, sizeof id);
		err_clear(&e);
		rc = idcard_parse(c->in, TODAY, &id, "id_number", &e);
		if (rc != 0)
			fail_msg("%s refused: %s", c->in, e.msg);
		assert_string_equal(id.number, c->number);
		if (id.birth != D(c->birth))
			fail_msg("%s: birth %d, expected %s", c->in, id.birth, c->birth);
		if (id.sex != c->sex)
			fail_msg("%s: sex %c, expected %c", c->in, id.sex, c->sex);
		assert_string_equal(id.region, c->region);
	}
}

static void test_out_may_be_null(void **state)
{
	struct err e;

	assert_int_equal(idcard_parse("11010519491231002X", TODAY, NULL, "id_number", &e), 0);
	assert_int_equal(idcard_parse("11010519491231002Y", TODAY, NULL, "id_number", NULL), ERR_INVALID);
}

/* The 17th digit gives the sex: odd male, even female. Same person, 17th digit 0..9, check characters
 * recomputed for each (31010119550615000 -> 4, ...001 -> 2, ...008 -> X). */
static void test_sex_from_17th_digit(void **state)
{
	static const char *const nums[10] = {
		"310101195506150004", "310101195506150012", "310101195506150020", "310101195506150039",
		"310101195506150047", "310101195506150055", "310101195506150063", "310101195506150071",
		"31010119550615008X", "310101195506150098",
	};

	for (int dgt = 0; dgt < 10; dgt++) {
		struct idcard id;
		struct err e;
		char want = dgt % 2 ? 'M' : 'F';

		if (idcard_parse(nums[dgt], TODAY, &id, "id_number", &e) != 0)
			fail_msg("%s refused: %s", nums[dgt], e.msg);
		if (id.sex != want)
			fail_msg("%s: sex %c, expected %c", nums[dgt], id.sex, want);
	}
}

struct bad_case {
	const char *in;
	const char *msg; /* expected message */
	const char *why;
};

static void test_invalid_numbers(void **state)
{
	static const char *const len_msg = "身份证号码应为18位";
	static const char *const digits_msg = "身份证号码前17位必须是数字";
	static const char *const last_msg = "身份证号码末位只能是数字或X";
	static const char *const region_msg = "身份证号码的地区码无效";
	static const char *const birth_msg = "身份证号码中的出生日期无效";
	static const char *const check_msg = "身份证号码校验位错误";
	static const char *const legacy_msg = "15位旧身份证号码不再受理，请提供18位身份证号码";
	const struct bad_case cases[] = {
		{"", len_msg, "empty"},
		{"11010519491231002", len_msg, "17 characters"},
		{"11010519491231002X0", len_msg, "19 characters"},
		{"110105194912310020", check_msg, "18 digits, wrong check"},
		{" 11010519491231002X", len_msg, "leading space"},
		{"11010519491231002X ", len_msg, "trailing space"},
		{"110105491231002", legacy_msg, "15-digit legacy number"},
		{"11010549123100X", len_msg, "15 characters, not all digits"},
		{"1101051949A231002X", digits_msg, "letter inside"},
		{"X10105194912310021", digits_msg, "letter first"},
		{"1101051949123100 X", digits_msg, "space inside"},
		{"11010519491231002Y", last_msg, "check character Y"},
		{"110105194912310027", check_msg, "check digit off by one"},
		{"110101199003074515", check_msg, "wrong check digit"},
		{"11010119900307451X", check_msg, "X where 4 is due"},
		{"110101202302300010", birth_msg, "2023-02-30"},
		{"110101202602290010", birth_msg, "2026-02-29, not a leap year"},
		{"110101202313010019", birth_msg, "month 13"},
		{"11010120230001001X", birth_msg, "month 00"},
		{"310101189901010019", birth_msg, "1899"},
		{"110101202611240023", birth_msg, "born tomorrow"},
		{"990101198001010014", region_msg, "province 99"},
		{"100101198001010019", region_msg, "province 10"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct idcard id;
		struct err e;
		int rc;

		err_clear(&e);
		rc = idcard_parse(cases[i].in, TODAY, &id, "id_number", &e);
		if (rc != ERR_INVALID)
			fail_msg("\"%s\" (%s): rc %d, expected ERR_INVALID", cases[i].in, cases[i].why, rc);
		if (strcmp(e.msg, cases[i].msg) != 0)
			fail_msg("\"%s\" (%s): message \"%s\", expected \"%s\"", cases[i].in, cases[i].why, e.msg,
				 cases[i].msg);
		assert_string_equal(e.field, "id_number");
		assert_int_equal(e.code, ERR_INVALID);
	}
}

static void test_null_input(void **state)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(idcard_parse(NULL, TODAY, NULL, "sfzh", &e), ERR_INVALID);
	assert_string_equal(e.field, "sfzh");
	assert_string_equal(e.msg, "身份证号码不能为空");
}

static void test_future_depends_on_today(void **state)
{
	struct err e;

	/* Born 2026-11-24: refused on 2026-11-23, accepted on 2026-11-24. */
	assert_int_equal(idcard_parse("110101202611240023", TODAY, NULL, "id", &e), ERR_INVALID);
	assert_int_equal(idcard_parse("110101202611240023", TODAY + 1, NULL, "id", &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_char),
		cmocka_unit_test(test_valid_numbers),
		cmocka_unit_test(test_out_may_be_null),
		cmocka_unit_test(test_sex_from_17th_digit),
		cmocka_unit_test(test_invalid_numbers),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_future_depends_on_today),
	};

	return cmocka_run_group_tests_name("idcard", tests, NULL, NULL);
}
