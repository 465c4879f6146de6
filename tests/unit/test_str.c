/* test_str.c: string utilities (base/str.h): UTF-8 validation at every encoding boundary, code-point counting,
 * control characters, integer parsing, hex, masking of ID and phone numbers, LIKE escaping, log sanitising and
 * phone number validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"

/* A byte-string literal and its length (without the terminating NUL). */
#define B(lit) lit, sizeof(lit) - 1

struct utf8_case {
	const char *s;
	size_t n;
	bool ok;
	const char *what;
};

static void test_utf8_valid(void **state)
{
	static const struct utf8_case cases[] = {
		{B(""), true, "empty"},
		{B("plain ASCII ~\x7f"), true, "ASCII up to U+007F"},
		{B("\xc2\x80"), true, "U+0080, smallest 2-byte"},
		{B("\xc3\xa9"), true, "U+00E9 e-acute"},
		{B("\xdf\xbf"), true, "U+07FF, largest 2-byte"},
		{B("\xe0\xa0\x80"), true, "U+0800, smallest 3-byte"},
		{B("\xe5\xbc\xa0\xe4\xb8\x89"), true, "Chinese 张三"},
		{B("\xed\x9f\xbf"), true, "U+D7FF, just below surrogates"},
		{B("\xee\x80\x80"), true, "U+E000, just above surrogates"},
		{B("\xef\xbf\xbf"), true, "U+FFFF, largest 3-byte"},
		{B("\xf0\x90\x80\x80"), true, "U+10000, smallest 4-byte"},
		{B("\xf0\x9f\x98\x80"), true, "U+1F600 emoji"},
		{B("\xf4\x8f\xbf\xbf"), true, "U+10FFFF, largest code point"},
		{B("a\0b"), true, "embedded NUL counted in n"},
		/* overlongs */
		{B("\xc0\x80"), false, "overlong NUL (C0 80)"},
		{B("\xc1\xbf"), false, "overlong U+007F (C1 BF)"},
		{B("\xe0\x80\x80"), false, "overlong 3-byte NUL"},
		{B("\xe0\x9f\xbf"), false, "overlong 3-byte U+07FF"},
		{B("\xf0\x80\x80\x80"), false, "overlong 4-byte NUL"},
		{B("\xf0\x8f\xbf\xbf"), false, "overlong 4-byte U+FFFF"},
		/* surrogates */
		{B("\xed\xa0\x80"), false, "U+D800 high surrogate"},
		{B("\xed\xaf\xbf"), false, "U+DBFF"},
		{B("\xed\xb0\x80"), false, "U+DC00 low surrogate"},
		{B("\xed\xbf\xbf"), false, "U+DFFF"},
		{B("\xed\xa0\xbd\xed\xb8\x80"), false, "CESU-8 surrogate pair"},
		/* beyond U+10FFFF and impossible lead bytes */
		{B("\xf4\x90\x80\x80"), false, "U+110000"},
		{B("\xf5\x80\x80\x80"), false, "lead F5"},
		{B("\xf7\xbf\xbf\xbf"), false, "lead F7"},
		{B("\xf8\x88\x80\x80\x80"), false, "5-byte form"},
		{B("\xfe"), false, "FE"},
		{B("\xff"), false, "FF"},
		/* stray continuation bytes */
		{B("\x80"), false, "lone continuation 80"},
		{B("a\xbf"), false, "lone continuation BF after ASCII"},
		{B("\xc3\xa9\xa9"), false, "extra continuation"},
		/* truncated sequences */
		{B("\xc3"), false, "2-byte lead alone"},
		{B("\xe5\xbc"), false, "3-byte cut after 2"},
		{B("\xe5"), false, "3-byte lead alone"},
		{B("\xf0\x9f\x98"), false, "4-byte cut after 3"},
		{B("ab\xe5"), false, "truncated at end"},
		{B("\xe5\xbc\xa0\xe4\xb8"), false, "valid char then truncated char"},
		/* bad continuation */
		{B("\xc3" "A"), false, "ASCII where continuation expected"},
		{B("\xe5" "A" "\xa0"), false, "ASCII inside 3-byte"},
		{B("\xe5\xbc\xc3\xa9"), false, "new lead inside 3-byte"},
		{B("\xf0\x9f\x98" "A"), false, "ASCII as 4th byte"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (str_utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("utf8 case %zu (%s): expected %s", i, cases[i].what, cases[i].ok ? "valid" : "invalid");
	}
}

static void test_utf8_valid_respects_n(void **state)
{
	/* "张" is E5 BC A0: only the first two bytes are offered. */
	assert_false(str_utf8_valid("\xe5\xbc\xa0", 2));
	assert_true(str_utf8_valid("\xe5\xbc\xa0", 3));
	/* Bytes past n are not looked at. */
	assert_true(str_utf8_valid("ab\xff", 2));
	assert_true(str_utf8_valid("\xff", 0));
}

static void test_utf8_len(void **state)
{
	assert_int_equal(str_utf8_len(""), 0);
	assert_int_equal(str_utf8_len("abc"), 3);
	assert_int_equal(str_utf8_len("张三"), 2);
	assert_int_equal(str_utf8_len("a张b\xf0\x9f\x98\x80"), 4);
	assert_int_equal(str_utf8_len("\xc3\xa9t\xc3\xa9"), 3);
}

struct ctl_case {
	const char *s;
	bool strict; /* str_has_control(s, false) */
	bool lenient; /* str_has_control(s, true) */
};

static void test_has_control(void **state)
{
	static const struct ctl_case cases[] = {
		{"", false, false},
		{"abc def ~", false, false},
		{"张三", false, false},
		{"a\tb", true, false},
		{"a\nb", true, false},
		{"a\r\nb", true, false},
		{"\x01", true, true},
		{"a\x1f", true, true},
		{"a\x7f", true, true},
		{"\x1b[31m", true, true},
		{"line\n\x07", true, true},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (str_has_control(cases[i].s, false) != cases[i].strict)
			fail_msg("control case %zu strict: expected %d", i, cases[i].strict);
		if (str_has_control(cases[i].s, true) != cases[i].lenient)
			fail_msg("control case %zu allow_nl: expected %d", i, cases[i].lenient);
	}
}

static void test_is_digits(void **state)
{
	assert_false(str_is_digits(""));
	assert_true(str_is_digits("0"));
	assert_true(str_is_digits("0123456789"));
	assert_false(str_is_digits("12a"));
	assert_false(str_is_digits(" 1"));
	assert_false(str_is_digits("1 "));
	assert_false(str_is_digits("-1"));
	assert_false(str_is_digits("+1"));
	assert_false(str_is_digits("1.0"));
	assert_false(str_is_digits("\xef\xbc\x91")); /* full-width 1 */
}

static void test_copy(void **state)
{
	char out[8];

	memset(out, 'Z', sizeof out);
	assert_int_equal(str_copy(out, "abc", sizeof out), 3);
	assert_string_equal(out, "abc");

	/* Exactly fits: 7 characters + NUL in 8 bytes. */
	assert_int_equal(str_copy(out, "1234567", sizeof out), 7);
	assert_string_equal(out, "1234567");

	/* One too many: truncated, still terminated, returns the source length. */
	assert_int_equal(str_copy(out, "12345678", sizeof out), 8);
	assert_string_equal(out, "1234567");

	assert_int_equal(str_copy(out, "abcdef", 4), 6);
	assert_string_equal(out, "abc");

	assert_int_equal(str_copy(out, "abcdef", 1), 6);
	assert_string_equal(out, "");

	/* size 0 writes nothing. */
	memset(out, 'Z', sizeof out);
	assert_int_equal(str_copy(out, "abcdef", 0), 6);
	assert_int_equal(out[0], 'Z');
}

static void test_starts(void **state)
{
	assert_true(str_starts("/api/v1/users", "/api/"));
	assert_true(str_starts("abc", "abc"));
	assert_true(str_starts("abc", ""));
	assert_false(str_starts("ab", "abc"));
	assert_false(str_starts("/apx", "/api"));
	assert_false(str_starts("", "a"));
}

struct i64_case {
	const char *s;
	bool ok;
	int64_t v;
};

static void test_to_i64(void **state)
{
	static const struct i64_case cases[] = {
		{"0", true, 0},
		{"-0", true, 0},
		{"7", true, 7},
		{"42", true, 42},
		{"-42", true, -42},
		{"007", true, 7},
		{"9223372036854775807", true, INT64_MAX},
		{"-9223372036854775808", true, INT64_MIN},
		{"9223372036854775808", false, 0},
		{"-9223372036854775809", false, 0},
		{"99999999999999999999", false, 0},
		{"", false, 0},
		{"-", false, 0},
		{"+1", false, 0},
		{" 1", false, 0},
		{"1 ", false, 0},
		{"1a", false, 0},
		{"a1", false, 0},
		{"0x10", false, 0},
		{"1.0", false, 0},
		{"1e3", false, 0},
		{"--1", false, 0},
		{"-+1", false, 0},
		{"- 1", false, 0},
		{"\t1", false, 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v = 12345;
		bool ok = str_to_i64(cases[i].s, &v);
		if (ok != cases[i].ok)
			fail_msg("str_to_i64(\"%s\"): expected %s", cases[i].s, cases[i].ok ? "success" : "failure");
		if (ok && v != cases[i].v)
			fail_msg("str_to_i64(\"%s\") = %lld, expected %lld", cases[i].s, (long long)v,
				 (long long)cases[i].v);
		if (!ok && v != 12345)
			fail_msg("str_to_i64(\"%s\") wrote its output on failure", cases[i].s);
	}
	{
		int64_t v = 5;
		assert_false(str_to_i64(NULL, &v));
		assert_int_equal(v, 5);
	}
}

static void test_hex(void **state)
{
	static const unsigned char bytes[] = {0x00, 0x01, 0x0f, 0x10, 0xab, 0xff};
	char out[2 * sizeof bytes + 1];

	str_hex(bytes, sizeof bytes, out);
	assert_string_equal(out, "00010f10abff");
	str_hex(bytes, 0, out);
	assert_string_equal(out, "");
}

static void test_mask_id(void **state)
{
	char out[32];

	str_mask_id("310101195506150020", out, sizeof out);
	assert_string_equal(out, "3101**********0020");
	str_mask_id("11010519491231002X", out, sizeof out);
	assert_string_equal(out, "1101**********002X");
	/* 9 characters: one masked. */
	str_mask_id("123456789", out, sizeof out);
	assert_string_equal(out, "1234*6789");
	/* Too short to keep 4 + 4: only the first half is shown. */
	str_mask_id("12345678", out, sizeof out);
	assert_string_equal(out, "1234****");
	str_mask_id("abc", out, sizeof out);
	assert_string_equal(out, "a**");
	str_mask_id("", out, sizeof out);
	assert_string_equal(out, "");
	/* Truncation to the output size, still masked. */
	str_mask_id("310101195506150020", out, 8);
	assert_string_equal(out, "3101***");
}

static void test_mask_phone(void **state)
{
	char out[32];

	str_mask_phone("13812345678", out, sizeof out);
	assert_string_equal(out, "138****5678");
	str_mask_phone("02161234567", out, sizeof out);
	assert_string_equal(out, "021****4567");
	str_mask_phone("12345678", out, sizeof out);
	assert_string_equal(out, "123*5678");
	str_mask_phone("1234567", out, sizeof out);
	assert_string_equal(out, "123****");
	str_mask_phone("110", out, sizeof out);
	assert_string_equal(out, "1**");
}

static void test_like_contains(void **state)
{
	char out[32];

	str_like_contains("abc", out, sizeof out);
	assert_string_equal(out, "%abc%");
	str_like_contains("", out, sizeof out);
	assert_string_equal(out, "%%");
	str_like_contains("50%", out, sizeof out);
	assert_string_equal(out, "%50\\%%");
	str_like_contains("a_b", out, sizeof out);
	assert_string_equal(out, "%a\\_b%");
	str_like_contains("c:\\x", out, sizeof out);
	assert_string_equal(out, "%c:\\\\x%");
	str_like_contains("张三", out, sizeof out);
	assert_string_equal(out, "%张三%");

	/* Truncation keeps the closing % and never splits an escape from its character. */
	str_like_contains("abc", out, 3);
	assert_string_equal(out, "%%");
	str_like_contains("a%", out, 5);
	assert_string_equal(out, "%a%");
	str_like_contains("a%b", out, 6);
	assert_string_equal(out, "%a\\%%");
	str_like_contains("abc", out, 2);
	assert_string_equal(out, "");

	memset(out, 'Z', sizeof out);
	str_like_contains("abc", out, 0);
	assert_int_equal(out[0], 'Z');
}

static void test_sanitize(void **state)
{
	char out[32];

	str_sanitize("plain text", out, sizeof out);
	assert_string_equal(out, "plain text");
	str_sanitize("a\"b\\c\nd\x7f", out, sizeof out);
	assert_string_equal(out, "a?b?c?d?");
	str_sanitize("张", out, sizeof out);
	assert_string_equal(out, "???");
	str_sanitize("abcdef", out, 3);
	assert_string_equal(out, "ab");
	memset(out, 'Z', sizeof out);
	str_sanitize("abc", out, 0);
	assert_int_equal(out[0], 'Z');
}

struct phone_case {
	const char *s;
	bool ok;
	const char *what;
};

/* Mobiles: 1, then 3-9, then 9 digits (11 in all). Landlines: 0 + a 2-3 digit area code (3-4 digits with the 0),
 * an optional '-', a 7-8 digit number, and an optional '-' extension of 1-6 digits. */
static void test_phone_valid(void **state)
{
	static const struct phone_case cases[] = {
		/* mobiles */
		{"13800138000", true, "13x"},
		{"14512345678", true, "14x"},
		{"15012345678", true, "15x"},
		{"16612345678", true, "16x"},
		{"17712345678", true, "17x"},
		{"18812345678", true, "18x"},
		{"19912345678", true, "19x"},
		{"138001380001", false, "12-digit mobile"},
		{"1380013800", false, "10-digit mobile"},
		{"12345678901", false, "12x prefix"},
		{"11012345678", false, "11x prefix"},
		{"10012345678", false, "10x prefix"},
		{"1380013800a", false, "letter in a mobile"},
		{"138 0013 8000", false, "spaces in a mobile"},
		{"138-0013-8000", false, "hyphens in a mobile"},
		{" 13800138000", false, "leading space"},
		{"13800138000 ", false, "trailing space"},
		{"13800138000\n", false, "trailing newline"},
		{"+8613800138000", false, "country code"},
		{"8613800138000", false, "country code without +"},
		{"13800138000-1", false, "mobile with an extension"},
		{"\xef\xbc\x91" "3800138000", false, "full-width first digit"},
		/* landlines, area code with hyphen */
		{"010-12345678", true, "2-digit area code, 8-digit number"},
		{"021-1234567", true, "2-digit area code, 7-digit number"},
		{"0580-2281234", true, "3-digit area code (Zhoushan), 7-digit number"},
		{"0571-87654321", true, "3-digit area code, 8-digit number"},
		{"010-12345678-1", true, "1-digit extension"},
		{"010-12345678-123456", true, "6-digit extension"},
		{"0580-2281234-801", true, "extension after a 7-digit number"},
		/* landlines without hyphen */
		{"0101234567", true, "10 digits: 010 + 7"},
		{"01012345678", true, "11 digits"},
		{"057187654321", true, "12 digits: 0571 + 8"},
		{"01012345678-123", true, "no area hyphen, with an extension"},
		{"05802281234-8", true, "no area hyphen, 1-digit extension"},
		/* landlines refused */
		{"010-123456", false, "6-digit number"},
		{"010-123456789", false, "9-digit number"},
		{"01-12345678", false, "1-digit area code"},
		{"05801-1234567", false, "4-digit area code"},
		{"010123456", false, "9 digits without hyphen"},
		{"0101234567890", false, "13 digits without hyphen"},
		{"010-12345678-", false, "empty extension"},
		{"010-12345678-1234567", false, "7-digit extension"},
		{"010-12345678-12a", false, "letter in the extension"},
		{"010-12345678-1-2", false, "two extensions"},
		{"010--12345678", false, "double hyphen"},
		{"010 12345678", false, "space instead of hyphen"},
		{"(010)12345678", false, "parentheses"},
		{"010-1234567a", false, "letter in the number"},
		{"010-1234-5678", false, "number split by a hyphen"},
		{"0", false, "a lone 0"},
		{"0-12345678", false, "no area code digits"},
		{"-010-12345678", false, "leading hyphen"},
		/* neither */
		{"", false, "empty"},
		{"abc", false, "letters"},
		{"22345678", false, "local number without area code"},
		{"95518", false, "service number"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct phone_case *c = &cases[i];
		if (str_phone_valid(c->s) != c->ok)
			fail_msg("%s (\"%s\"): expected %s", c->what, c->s, c->ok ? "valid" : "invalid");
	}
	assert_false(str_phone_valid(NULL));
}

/* Mobiles only: an SMS cannot go to a landline. */
static void test_is_mobile(void **state)
{
	(void)state;
	assert_true(str_is_mobile("13812345678"));
	assert_true(str_is_mobile("19912345678"));
	assert_false(str_is_mobile("12812345678"));   /* no such mobile prefix */
	assert_false(str_is_mobile("1381234567"));    /* 10 digits */
	assert_false(str_is_mobile("0580-2021234"));  /* a landline */
	assert_false(str_is_mobile("05802021234"));
	assert_false(str_is_mobile(""));
	assert_false(str_is_mobile(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_valid_respects_n),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_has_control),
		cmocka_unit_test(test_is_digits),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_starts),
		cmocka_unit_test(test_to_i64),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_mask_id),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_like_contains),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_phone_valid),
		cmocka_unit_test(test_is_mobile),
	};

	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
