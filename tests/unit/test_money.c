/* test_money.c: int64 fen amounts (base/money.h): parsing yuan strings (grouping commas only in threes, at most
 * two decimals, bounded by MONEY_MAX_FEN = 10^15 fen), formatting with and without grouping, and ratio
 * multiplication rounded half away from zero (so 2.5 -> 3 and -2.5 -> -3, unlike banker's rounding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "base/money.h"

struct parse_case {
	const char *s;
	bool ok;
	int64_t fen;
};

static void test_parse(void **state)
{
	static const struct parse_case cases[] = {
		{"0", true, 0},
		{"-0", true, 0},
		{"0.00", true, 0},
		{"1280", true, 128000},
		{"1280.5", true, 128050},
		{"1280.50", true, 128050},
		{"1280.05", true, 128005},
		{"1,280.00", true, 128000},
		{"1,280", true, 128000},
		{"-0.01", true, -1},
		{"0.5", true, 50},
		{"0.05", true, 5},
		{"-1,234,567.89", true, -123456789},
		{"123,456", true, 12345600},
		{"999", true, 99900},
		{"9999999999999.99", true, 999999999999999},
		{"10000000000000", true, 1000000000000000},         /* exactly MONEY_MAX_FEN */
		{"10,000,000,000,000.00", true, 1000000000000000},
		{"-10000000000000", true, -1000000000000000},
		/* refused */
		{"", false, 0},
		{"abc", false, 0},
		{"-", false, 0},
		{".5", false, 0},
		{"-.5", false, 0},
		{"5.", false, 0},
		{"1.234", false, 0},
		{"1.2.3", false, 0},
		{"1.-5", false, 0},
		{"1.5a", false, 0},
		{"1,28", false, 0},
		{"12,3456", false, 0},
		{"1234,567", false, 0},
		{"1,2345", false, 0},
		{"1,,280", false, 0},
		{"1,280,", false, 0},
		{",280", false, 0},
		{"-,280", false, 0},
		{"1,280.0,0", false, 0},
		{"+5", false, 0},
		{"--5", false, 0},
		{" 5", false, 0},
		{"5 ", false, 0},
		{"1 280", false, 0},
		{"1e3", false, 0},
		{"¥5", false, 0},
		{"10000000000000.01", false, 0},                     /* one fen over the maximum */
		{"10000000000001", false, 0},
		{"-10000000000000.01", false, 0},
		{"99999999999999999999", false, 0},
		{"99999999999999999999999999999999999999", false, 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t fen = 424242;
		bool ok = money_parse(cases[i].s, &fen);
		if (ok != cases[i].ok)
			fail_msg("money_parse(\"%s\"): expected %s", cases[i].s, cases[i].ok ? "success" : "failure");
		if (ok && fen != cases[i].fen)
			fail_msg("money_parse(\"%s\") = %lld, expected %lld", cases[i].s, (long long)fen,
				 (long long)cases[i].fen);
	}
	{
		int64_t fen;
		assert_false(money_parse(NULL, &fen));
	}
}

struct format_case {
	int64_t fen;
	const char *plain, *grouped;
};

static void test_format(void **state)
{
	static const struct format_case cases[] = {
		{0, "0.00", "0.00"},
		{1, "0.01", "0.01"},
		{5, "0.05", "0.05"},
		{50, "0.50", "0.50"},
		{100, "1.00", "1.00"},
		{-1, "-0.01", "-0.01"},
		{-5, "-0.05", "-0.05"},
		{-99, "-0.99", "-0.99"},
		{-100, "-1.00", "-1.00"},
		{99999, "999.99", "999.99"},
		{100000, "1000.00", "1,000.00"},
		{128000, "1280.00", "1,280.00"},
		{128050, "1280.50", "1,280.50"},
		{-128005, "-1280.05", "-1,280.05"},
		{12345678, "123456.78", "123,456.78"},
		{123456789, "1234567.89", "1,234,567.89"},
		{-123456789, "-1234567.89", "-1,234,567.89"},
		{1000000000000000, "10000000000000.00", "10,000,000,000,000.00"},
		{INT64_MAX, "92233720368547758.07", "92,233,720,368,547,758.07"},
		{INT64_MIN, "-92233720368547758.08", "-92,233,720,368,547,758.08"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		money_format(cases[i].fen, false, out, sizeof out);
		if (strcmp(out, cases[i].plain) != 0)
			fail_msg("money_format(%lld) = \"%s\", expected \"%s\"", (long long)cases[i].fen, out,
				 cases[i].plain);
		money_format(cases[i].fen, true, out, sizeof out);
		if (strcmp(out, cases[i].grouped) != 0)
			fail_msg("money_format(%lld, grouped) = \"%s\", expected \"%s\"", (long long)cases[i].fen, out,
				 cases[i].grouped);
	}
}

static void test_format_truncates(void **state)
{
	char out[8];

	memset(out, 'Z', sizeof out);
	money_format(128000, true, out, 6);
	assert_string_equal(out, "1,280");
	assert_int_equal(out[6], 'Z');
}

static void test_parse_format_round_trip(void **state)
{
	/* Formatted strings parse back to the same amount, grouped or not. */
	static const int64_t amounts[] = {0, 1, -1, 99, 100, 128050, -123456789, 1000000000000000};

	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		char out[64];
		int64_t back;
		for (int g = 0; g < 2; g++) {
			money_format(amounts[i], g, out, sizeof out);
			if (!money_parse(out, &back) || back != amounts[i])
				fail_msg("\"%s\" did not parse back to %lld", out, (long long)amounts[i]);
		}
	}
}

struct ratio_case {
	int64_t fen, num, den, want;
	const char *why;
};

static void test_mul_ratio(void **state)
{
	static const struct ratio_case cases[] = {
		{5, 1, 2, 3, "2.5 -> 3"},
		{-5, 1, 2, -3, "-2.5 -> -3"},
		{5, -1, 2, -3, "negative ratio, -2.5 -> -3"},
		{-5, -1, 2, 3, "two negatives, 2.5 -> 3"},
		{7, 1, 2, 4, "3.5 -> 4"},
		{-7, 1, 2, -4, "-3.5 -> -4"},
		{25, 1, 10, 3, "2.5 -> 3 (banker's would give 2)"},
		{-25, 1, 10, -3, "-2.5 -> -3"},
		{15, 1, 10, 2, "1.5 -> 2"},
		{4, 1, 2, 2, "exact"},
		{1, 1, 3, 0, "0.33 -> 0"},
		{2, 1, 3, 1, "0.67 -> 1"},
		{-1, 1, 3, 0, "-0.33 -> 0"},
		{-2, 1, 3, -1, "-0.67 -> -1"},
		{1, 49, 100, 0, "0.49 -> 0"},
		{1, 50, 100, 1, "0.50 -> 1"},
		{1, 51, 100, 1, "0.51 -> 1"},
		{-1, 49, 100, 0, "-0.49 -> 0"},
		{-1, 50, 100, -1, "-0.50 -> -1"},
		{12345, 70, 100, 8642, "123.45 yuan at 70% = 86.415 yuan -> 86.42"},
		{-12345, 70, 100, -8642, "negative of the above"},
		{12344, 70, 100, 8641, "8640.8 -> 8641"},
		{12343, 70, 100, 8640, "8640.1 -> 8640"},
		{0, 7, 9, 0, "zero amount"},
		{100, 0, 1, 0, "zero ratio"},
		{999, 1, 1, 999, "ratio 1"},
		{1000000000000000, 3, 7, 428571428571429, "10^15 * 3/7 = 428571428571428.57"},
		{-1000000000000000, 1, 3, -333333333333333, "-10^15 / 3 = -333333333333333.33"},
		{1000000000000000, 1000000, 1000000, 1000000000000000, "product 10^21 exceeds int64"},
		{1000000000000000, 999999, 1000000, 999999000000000, "product near 10^21"},
		{1000000000000001, 1, 2, 500000000000001, "500000000000000.5 -> up"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ratio_case *c = &cases[i];
		int64_t got = money_mul_ratio(c->fen, c->num, c->den);
		if (got != c->want)
			fail_msg("money_mul_ratio(%lld, %lld, %lld) = %lld, expected %lld (%s)", (long long)c->fen,
				 (long long)c->num, (long long)c->den, (long long)got, (long long)c->want, c->why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_parse_format_round_trip),
		cmocka_unit_test(test_mul_ratio),
	};

	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
