/* test_date.c: calendar arithmetic (base/date.h). Day numbers are checked against literal values worked out by
 * hand (1970-01-01 = 0; 2000-01-01 = 30 years * 365 + 7 leap days = 10957), weekdays against a printed calendar,
 * and working days against the State Council's 2025 holiday notice (National Day and Mid-Autumn: 10-01..10-08
 * off, Sunday 09-28 and Saturday 10-11 worked). Once date_parse and date_format are verified against literal day
 * numbers, later tables use them to write dates readably. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

/* A date the test knows is valid; fails the test if the parser disagrees. */
static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

static void expect_date(int32_t days, const char *want, const char *ctx)
{
	char got[DATE_STR];

	date_format(days, got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, expected %s", ctx, got, want);
}

struct ymd_case {
	int y, m, d;
	int32_t days;
};

/* Day numbers: 1900-01-01: 70 years before 1970 with 17 leap days (1904..1968) = -(70*365+17) = -25567.
 * 2000-02-29 = 10957 + 31 + 28 = 11016. 2024-02-29: 54 years with 13 leap days (1972..2020) = 19723 to
 * 2024-01-01, + 31 + 28 = 19782. 2199-12-31: 230 years with 56 leap days (1972..2196 less 2100) = 84006 - 1. */
static const struct ymd_case ymd_cases[] = {
	{1900, 1, 1, -25567},
	{1969, 12, 31, -1},
	{1970, 1, 1, 0},
	{1970, 1, 2, 1},
	{1970, 12, 31, 364},
	{1971, 1, 1, 365},
	{2000, 1, 1, 10957},
	{2000, 2, 29, 11016},
	{2000, 3, 1, 11017},
	{2023, 2, 28, 19416},
	{2023, 3, 1, 19417},
	{2024, 1, 1, 19723},
	{2024, 2, 29, 19782},
	{2025, 9, 30, 20361},
	{2026, 11, 23, 20780},
	{2199, 12, 31, 84005},
	{2200, 1, 1, 84006},
};

static void test_from_to_ymd(void **state)
{
	for (size_t i = 0; i < sizeof ymd_cases / sizeof ymd_cases[0]; i++) {
		const struct ymd_case *c = &ymd_cases[i];
		int y, m, d;
		if (date_from_ymd(c->y, c->m, c->d) != c->days)
			fail_msg("date_from_ymd(%d,%d,%d) = %d, expected %d", c->y, c->m, c->d,
				 date_from_ymd(c->y, c->m, c->d), c->days);
		date_to_ymd(c->days, &y, &m, &d);
		if (y != c->y || m != c->m || d != c->d)
			fail_msg("date_to_ymd(%d) = %d-%d-%d, expected %d-%d-%d", c->days, y, m, d, c->y, c->m, c->d);
	}
}

static void test_days_in_month_and_valid(void **state)
{
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29); /* divisible by 400 */
	assert_int_equal(date_days_in_month(1900, 2), 28); /* divisible by 100, not 400 */
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2024, 1), 31);
	assert_int_equal(date_days_in_month(2024, 4), 30);
	assert_int_equal(date_days_in_month(2024, 12), 31);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);

	assert_true(date_valid_ymd(1900, 1, 1));
	assert_true(date_valid_ymd(2199, 12, 31));
	assert_false(date_valid_ymd(1899, 12, 31));
	assert_false(date_valid_ymd(2200, 1, 1));
	assert_true(date_valid_ymd(2024, 2, 29));
	assert_false(date_valid_ymd(2023, 2, 29));
	assert_false(date_valid_ymd(1900, 2, 29));
	assert_false(date_valid_ymd(2024, 4, 31));
	assert_false(date_valid_ymd(2024, 0, 1));
	assert_false(date_valid_ymd(2024, 13, 1));
	assert_false(date_valid_ymd(2024, 1, 0));
	assert_false(date_valid_ymd(2024, 1, 32));
}

struct parse_case {
	const char *s;
	bool ok;
	int32_t days;
};

static void test_parse(void **state)
{
	static const struct parse_case cases[] = {
		{"1970-01-01", true, 0},
		{"2024-02-29", true, 19782},
		{"2000-02-29", true, 11016},
		{"1900-01-01", true, -25567},
		{"2199-12-31", true, 84005},
		{"2026-11-23", true, 20780},
		{"2023-02-29", false, 0},
		{"1900-02-29", false, 0},
		{"1899-12-31", false, 0},
		{"2200-01-01", false, 0},
		{"0000-01-01", false, 0},
		{"2024-04-31", false, 0},
		{"2024-13-01", false, 0},
		{"2024-00-10", false, 0},
		{"2024-01-00", false, 0},
		{"2024-01-32", false, 0},
		{"2024-1-01", false, 0},
		{"2024-01-1", false, 0},
		{"24-01-01", false, 0},
		{"2024/01/01", false, 0},
		{"2024.01.01", false, 0},
		{"20240101", false, 0},
		{"2024-01-01 ", false, 0},
		{" 2024-01-01", false, 0},
		{"2024-01-01x", false, 0},
		{"2024-01-01T00:00:00", false, 0},
		{"2024-01-0a", false, 0},
		{"+024-01-01", false, 0},
		{"-024-01-01", false, 0},
		{"2024--1-01", false, 0},
		{"2024-+1-01", false, 0},
		{"２０２４-01-01", false, 0},
		{"", false, 0},
		{"abcd-ef-gh", false, 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t d = 777777;
		bool ok = date_parse(cases[i].s, &d);
		if (ok != cases[i].ok)
			fail_msg("date_parse(\"%s\"): expected %s", cases[i].s, cases[i].ok ? "success" : "failure");
		if (ok && d != cases[i].days)
			fail_msg("date_parse(\"%s\") = %d, expected %d", cases[i].s, d, cases[i].days);
		if (!ok && d != 777777)
			fail_msg("date_parse(\"%s\") wrote its output on failure", cases[i].s);
	}
	{
		int32_t d = 5;
		assert_false(date_parse(NULL, &d));
		assert_int_equal(d, 5);
	}
}

static void test_format(void **state)
{
	expect_date(0, "1970-01-01", "day 0");
	expect_date(-1, "1969-12-31", "day -1");
	expect_date(-25567, "1900-01-01", "day -25567");
	expect_date(11016, "2000-02-29", "day 11016");
	expect_date(19782, "2024-02-29", "day 19782");
	expect_date(20780, "2026-11-23", "day 20780");
	expect_date(84005, "2199-12-31", "day 84005");
}

struct wd_case {
	const char *date;
	int weekday;
};

static void test_weekday(void **state)
{
	static const struct wd_case cases[] = {
		{"1900-01-01", 1}, /* Monday */
		{"1969-12-31", 3}, /* Wednesday, a negative day number */
		{"1970-01-01", 4}, /* Thursday */
		{"1970-01-04", 7}, /* Sunday */
		{"1970-01-05", 1}, /* Monday */
		{"2000-01-01", 6}, /* Saturday */
		{"2000-02-29", 2}, /* Tuesday */
		{"2024-01-01", 1}, /* Monday */
		{"2024-02-29", 4}, /* Thursday */
		{"2025-09-28", 7}, /* Sunday (worked in 2025) */
		{"2025-10-01", 3}, /* Wednesday */
		{"2025-10-11", 6}, /* Saturday (worked in 2025) */
		{"2026-11-23", 1}, /* Monday */
		{"2199-12-31", 2}, /* Tuesday */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int w = date_weekday(D(cases[i].date));
		if (w != cases[i].weekday)
			fail_msg("date_weekday(%s) = %d, expected %d", cases[i].date, w, cases[i].weekday);
	}
}

struct months_case {
	const char *from;
	int n;
	const char *want;
};

static void test_add_months(void **state)
{
	static const struct months_case cases[] = {
		{"2024-01-15", 0, "2024-01-15"},
		{"2024-01-15", 1, "2024-02-15"},
		{"2024-01-31", 1, "2024-02-29"}, /* leap year: clamped to the 29th */
		{"2023-01-31", 1, "2023-02-28"}, /* common year: clamped to the 28th */
		{"2100-01-31", 1, "2100-02-28"}, /* 2100 is not a leap year */
		{"2000-01-31", 1, "2000-02-29"}, /* 2000 is */
		{"2024-01-31", 2, "2024-03-31"}, /* clamping is from the original day, not chained */
		{"2024-05-31", 1, "2024-06-30"},
		{"2024-08-31", 1, "2024-09-30"},
		{"2024-12-31", 2, "2025-02-28"},
		{"2024-11-30", 1, "2024-12-30"},
		{"2024-12-15", 1, "2025-01-15"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-08-31", 24, "2026-08-31"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2023-03-31", -1, "2023-02-28"},
		{"2024-01-15", -1, "2023-12-15"},
		{"2024-01-31", -2, "2023-11-30"},
		{"2024-03-31", -13, "2023-02-28"},
		{"2025-01-10", -25, "2022-12-10"},
		{"2024-12-31", -12, "2023-12-31"},
		{"2024-02-29", -12, "2023-02-28"},
		{"2000-01-01", -1, "1999-12-01"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "%s %+d months", cases[i].from, cases[i].n);
		expect_date(date_add_months(D(cases[i].from), cases[i].n), cases[i].want, ctx);
	}
}

struct age_case {
	const char *birth, *on;
	int age;
};

static void test_age_years(void **state)
{
	static const struct age_case cases[] = {
		{"1990-06-15", "1990-06-15", 0},
		{"1990-06-15", "1991-06-14", 0},
		{"1990-06-15", "1991-06-15", 1},
		{"1990-06-15", "2020-06-14", 29},
		{"1990-06-15", "2020-06-15", 30},
		{"1990-06-15", "2020-06-16", 30},
		{"1990-06-15", "2020-05-31", 29},
		{"1990-06-15", "2020-07-01", 30},
		{"1960-12-31", "2020-12-30", 59},
		{"1960-12-31", "2020-12-31", 60},
		{"1961-01-01", "2020-12-31", 59},
		/* 29 February births: in common years the birthday is reached on 1 March. */
		{"2000-02-29", "2001-02-28", 0},
		{"2000-02-29", "2001-03-01", 1},
		{"2000-02-29", "2004-02-28", 3},
		{"2000-02-29", "2004-02-29", 4},
		{"1964-02-29", "2024-02-28", 59},
		{"1964-02-29", "2024-02-29", 60},
		{"1964-02-29", "2025-02-28", 60},
		{"1964-02-29", "2025-03-01", 61},
		{"1900-01-01", "2199-12-31", 299},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int a = date_age_years(D(cases[i].birth), D(cases[i].on));
		if (a != cases[i].age)
			fail_msg("age of %s on %s = %d, expected %d", cases[i].birth, cases[i].on, a, cases[i].age);
	}
}

struct unix_case {
	int64_t t;
	int32_t day;
	const char *what;
};

static void test_of_unix_cn(void **state)
{
	/* 2024-01-01T00:00:00Z = 1704067200 = 19723 * 86400. Asia/Shanghai is UTC+8 all year, so a Chinese day
	 * starts at 16:00:00 UTC of the previous UTC day. */
	static const struct unix_case cases[] = {
		{1704067199, 19723, "2023-12-31T23:59:59Z = 2024-01-01 07:59:59 CST"},
		{1704067200, 19723, "2024-01-01T00:00:00Z"},
		{1704124799, 19723, "2024-01-01T15:59:59Z = 23:59:59 CST"},
		{1704124800, 19724, "2024-01-01T16:00:00Z = 2024-01-02 00:00 CST"},
		{1704038399, 19722, "2023-12-31T15:59:59Z = 2023-12-31 23:59:59 CST"},
		{1704038400, 19723, "2023-12-31T16:00:00Z = 2024-01-01 00:00 CST"},
		{1735660799, 20088, "2024-12-31T15:59:59Z = 2024-12-31 CST"},
		{1735660800, 20089, "2024-12-31T16:00:00Z = 2025-01-01 CST"},
		{0, 0, "epoch = 1970-01-01 08:00 CST"},
		{-28800, 0, "1969-12-31T16:00:00Z = 1970-01-01 00:00 CST"},
		{-28801, -1, "1969-12-31T15:59:59Z = 1969-12-31 CST"},
		{-2208988800, -25567, "1900-01-01T00:00:00Z"},
		{-2209017601, -25568, "1899-12-31T15:59:59Z"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t d = date_of_unix_cn(cases[i].t);
		if (d != cases[i].day)
			fail_msg("date_of_unix_cn(%lld) = %d, expected %d (%s)", (long long)cases[i].t, d,
				 cases[i].day, cases[i].what);
	}
}

static void test_now_and_today(void **state)
{
	time_t before = time(NULL);
	int64_t now = date_now_unix();
	int32_t today = date_today_cn();
	time_t after = time(NULL);

	assert_true(now >= (int64_t)before && now <= (int64_t)after);
	/* Independent formula: shift to UTC+8 and divide (times after 1970 are positive). */
	assert_true(today == (int32_t)(((int64_t)before + 28800) / 86400) ||
		    today == (int32_t)(((int64_t)after + 28800) / 86400));
	assert_true(today >= 19723); /* sanity: the clock is after 2024-01-01 */
}

/* 2025 holidays and make-up working days (State Council notice of 2024-11-12). */
static const char *const hol2025_s[] = {
	"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02",
	"2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06", "2025-05-01", "2025-05-02",
	"2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31", "2025-06-01", "2025-06-02", "2025-10-01",
	"2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
};
static const char *const work2025_s[] = {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"};
#define N_HOL (int)(sizeof hol2025_s / sizeof hol2025_s[0])
#define N_WORK (int)(sizeof work2025_s / sizeof work2025_s[0])
static int32_t hol_days[N_HOL], work_days[N_WORK];
static struct calendar cal2025;

static int setup_cal(void **state)
{
	for (int i = 0; i < N_HOL; i++)
		hol_days[i] = D(hol2025_s[i]);
	for (int i = 0; i < N_WORK; i++)
		work_days[i] = D(work2025_s[i]);
	cal2025.holidays = hol_days;
	cal2025.n_holidays = N_HOL;
	cal2025.workdays = work_days;
	cal2025.n_workdays = N_WORK;
	return 0;
}

static void test_is_workday(void **state)
{
	/* National Day 2025: Sunday 09-28 worked, 10-01 (Wed) .. 10-08 (Wed) off, Saturday 10-11 worked. */
	assert_false(cal_is_workday(&cal2025, D("2025-09-27"))); /* Saturday */
	assert_true(cal_is_workday(&cal2025, D("2025-09-28")));  /* Sunday, make-up day */
	assert_true(cal_is_workday(&cal2025, D("2025-09-30")));  /* Tuesday */
	assert_false(cal_is_workday(&cal2025, D("2025-10-01")));
	assert_false(cal_is_workday(&cal2025, D("2025-10-06"))); /* Monday, holiday */
	assert_false(cal_is_workday(&cal2025, D("2025-10-08"))); /* Wednesday, holiday */
	assert_true(cal_is_workday(&cal2025, D("2025-10-09")));  /* Thursday */
	assert_true(cal_is_workday(&cal2025, D("2025-10-11")));  /* Saturday, make-up day */
	assert_false(cal_is_workday(&cal2025, D("2025-10-12"))); /* Sunday */
	/* First and last entries of the sorted arrays (binary search edges). */
	assert_false(cal_is_workday(&cal2025, D("2025-01-01")));
	assert_true(cal_is_workday(&cal2025, D("2025-01-26")));
	/* Without a calendar: Monday to Friday. */
	assert_true(cal_is_workday(NULL, D("2025-10-01")));
	assert_false(cal_is_workday(NULL, D("2025-09-28")));
	assert_false(cal_is_workday(NULL, D("2025-10-11")));
	/* An empty calendar behaves the same. */
	{
		struct calendar empty = {NULL, 0, NULL, 0};
		assert_true(cal_is_workday(&empty, D("2025-10-01")));
		assert_false(cal_is_workday(&empty, D("2025-10-11")));
	}
}

struct add_case {
	const char *from;
	int n;
	const char *want;
};

static void test_add_workdays(void **state)
{
	static const struct add_case cases[] = {
		{"2025-09-30", 0, "2025-09-30"},
		{"2025-10-03", 0, "2025-10-03"}, /* n = 0 returns the day even if it is a holiday */
		{"2025-09-30", 1, "2025-10-09"}, /* 10-01..10-08 off */
		{"2025-09-30", 2, "2025-10-10"},
		{"2025-09-30", 3, "2025-10-11"}, /* Saturday make-up day counts */
		{"2025-09-30", 4, "2025-10-13"}, /* Sunday 10-12 does not */
		{"2025-09-30", 5, "2025-10-14"},
		{"2025-09-26", 1, "2025-09-28"}, /* Friday -> Sunday make-up day */
		{"2025-09-26", 2, "2025-09-29"},
		{"2025-10-01", 1, "2025-10-09"}, /* starting inside the holiday */
		{"2025-10-08", 1, "2025-10-09"},
		{"2025-01-27", 1, "2025-02-05"}, /* Spring Festival 01-28..02-04 */
		{"2025-02-07", 1, "2025-02-08"}, /* Saturday make-up day */
		{"2025-02-07", 2, "2025-02-10"},
		{"2025-12-31", 1, "2026-01-01"}, /* outside the listed year: weekdays only */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "%s + %d working days", cases[i].from, cases[i].n);
		expect_date(cal_add_workdays(&cal2025, D(cases[i].from), cases[i].n), cases[i].want, ctx);
	}
	/* Weekdays only without a calendar: Wed 10-01, Thu, Fri, Mon 10-06, Tue 10-07. */
	expect_date(cal_add_workdays(NULL, D("2025-09-30"), 1), "2025-10-01", "no calendar +1");
	expect_date(cal_add_workdays(NULL, D("2025-09-30"), 5), "2025-10-07", "no calendar +5");
}

struct between_case {
	const char *from, *to;
	int n;
};

static void test_workdays_between(void **state)
{
	static const struct between_case cases[] = {
		{"2025-09-30", "2025-09-30", 0},
		{"2025-10-14", "2025-09-30", 0}, /* to before from */
		{"2025-09-30", "2025-10-08", 0}, /* the whole holiday */
		{"2025-09-30", "2025-10-09", 1},
		{"2025-09-30", "2025-10-14", 5},
		{"2025-09-29", "2025-09-30", 1}, /* (from, to]: to counted, from not */
		/* 09-28 Sun(1) 29(2) 30(3) | 10-09(4) 10(5) 11 Sat(6) | 12 Sun no */
		{"2025-09-26", "2025-10-12", 6},
		/* 01-26 Sun(1) 27(2) | 02-05(3) 06(4) 07(5) 08 Sat(6) | 09 Sun no */
		{"2025-01-24", "2025-02-09", 6},
		/* The whole of 2025: 261 weekdays - 18 weekday holidays + 5 make-up days = 248. */
		{"2024-12-31", "2025-12-31", 248},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = cal_workdays_between(&cal2025, D(cases[i].from), D(cases[i].to));
		if (n != cases[i].n)
			fail_msg("working days in (%s, %s] = %d, expected %d", cases[i].from, cases[i].to, n,
				 cases[i].n);
	}
	/* 2025 has 261 weekdays (365 days = 52 weeks + 1 day, and 2025-01-01 is a Wednesday). */
	assert_int_equal(cal_workdays_between(NULL, D("2024-12-31"), D("2025-12-31")), 261);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_to_ymd),
		cmocka_unit_test(test_days_in_month_and_valid),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_age_years),
		cmocka_unit_test(test_of_unix_cn),
		cmocka_unit_test(test_now_and_today),
		cmocka_unit_test(test_is_workday),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_workdays_between),
	};

	return cmocka_run_group_tests_name("date", tests, setup_cal, NULL);
}
