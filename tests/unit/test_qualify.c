/* test_qualify.c: "qualified on day D" (rules/qualify.h) at every boundary: the certificate's issue and expiry days
 * and the days either side, two certificates with a gap and overlapping, a suspension's first and last days, an
 * employment change (the old provider's last day, the new one's first day, a gap between), the termination day,
 * open-ended periods, provider 0 (any employer), and the order of the reasons when several conditions fail. Every
 * expected result is written out; days are written as dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/date.h"
#include "rules/qualify.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

#define P1 101 /* the first employer */
#define P2 202 /* the second employer */

struct probe {
	const char *day;
	int64_t provider;
	enum qual_result want;
};

static void run(const struct qual_facts *f, const struct probe *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum qual_result got = qualify_on(f, p[i].provider, D(p[i].day));
		if (got != p[i].want)
			fail_msg("%s provider %lld: got %s, want %s", p[i].day, (long long)p[i].provider,
				 qual_result_code(got), qual_result_code(p[i].want));
	}
}

#define RUN(f, probes) run(f, probes, sizeof probes / sizeof probes[0])

static void test_certificate_boundaries(void **state)
{
	struct qual_employment emp[] = {{P1, 0, QUAL_OPEN}};
	struct qual_period cert[] = {{0, 0}};
	struct qual_facts f = {.employments = emp, .n_employments = 1, .certificates = cert, .n_certificates = 1};
	static const struct probe probes[] = {
		{"2024-03-14", P1, QUAL_NO_CERTIFICATE}, /* the day before issue */
		{"2024-03-15", P1, QUAL_OK},             /* issued */
		{"2025-06-30", P1, QUAL_OK},
		{"2027-03-14", P1, QUAL_OK},             /* expiry day: still valid */
		{"2027-03-15", P1, QUAL_NO_CERTIFICATE}, /* the day after expiry */
		{"2030-01-01", P1, QUAL_NO_CERTIFICATE},
	};

	emp[0].from = D("2020-01-01");
	cert[0].from = D("2024-03-15");
	cert[0].until = D("2027-03-14");
	RUN(&f, probes);

	/* a one-day certificate */
	cert[0].from = cert[0].until = D("2025-05-05");
	assert_int_equal(qualify_on(&f, P1, D("2025-05-04")), QUAL_NO_CERTIFICATE);
	assert_int_equal(qualify_on(&f, P1, D("2025-05-05")), QUAL_OK);
	assert_int_equal(qualify_on(&f, P1, D("2025-05-06")), QUAL_NO_CERTIFICATE);

	/* no certificate at all */
	f.n_certificates = 0;
	assert_int_equal(qualify_on(&f, P1, D("2025-05-05")), QUAL_NO_CERTIFICATE);
}

static void test_two_certificates(void **state)
{
	/* given in reverse order: the renewal first */
	struct qual_period gap[] = {{D("2024-01-11"), QUAL_OPEN}, {D("2022-01-01"), D("2023-12-31")}};
	struct qual_period overlap[] = {{D("2022-01-01"), D("2024-06-30")}, {D("2024-01-01"), D("2026-12-31")}};
	struct qual_employment emp[] = {{P1, D("2020-01-01"), QUAL_OPEN}};
	struct qual_facts f = {.employments = emp, .n_employments = 1, .certificates = gap, .n_certificates = 2};
	static const struct probe gap_probes[] = {
		{"2021-12-31", P1, QUAL_NO_CERTIFICATE},
		{"2022-01-01", P1, QUAL_OK},
		{"2023-12-31", P1, QUAL_OK},             /* the first one's last day */
		{"2024-01-01", P1, QUAL_NO_CERTIFICATE}, /* in the gap */
		{"2024-01-10", P1, QUAL_NO_CERTIFICATE}, /* the gap's last day */
		{"2024-01-11", P1, QUAL_OK},             /* the renewal's first day */
		{"2199-12-31", P1, QUAL_OK},             /* open-ended */
	};
	static const struct probe overlap_probes[] = {
		{"2021-12-31", P1, QUAL_NO_CERTIFICATE},
		{"2022-01-01", P1, QUAL_OK},
		{"2023-12-31", P1, QUAL_OK},
		{"2024-01-01", P1, QUAL_OK}, /* both valid */
		{"2024-06-30", P1, QUAL_OK}, /* the first one's last day, the second valid */
		{"2024-07-01", P1, QUAL_OK}, /* the second only */
		{"2026-12-31", P1, QUAL_OK},
		{"2027-01-01", P1, QUAL_NO_CERTIFICATE},
	};

	RUN(&f, gap_probes);
	f.certificates = overlap;
	RUN(&f, overlap_probes);
}

static void test_suspension_boundaries(void **state)
{
	struct qual_period sus[] = {{D("2025-03-01"), D("2025-05-31")}, {D("2025-09-01"), QUAL_OPEN}};
	struct qual_employment emp[] = {{P1, D("2020-01-01"), QUAL_OPEN}};
	struct qual_period cert[] = {{D("2020-01-01"), QUAL_OPEN}};
	struct qual_facts f = {.suspensions = sus, .n_suspensions = 2, .employments = emp, .n_employments = 1,
			       .certificates = cert, .n_certificates = 1};
	static const struct probe probes[] = {
		{"2025-02-28", P1, QUAL_OK},        /* the day before */
		{"2025-03-01", P1, QUAL_SUSPENDED}, /* the first day */
		{"2025-04-15", P1, QUAL_SUSPENDED},
		{"2025-05-31", P1, QUAL_SUSPENDED}, /* the last day */
		{"2025-06-01", P1, QUAL_OK},        /* the day after */
		{"2025-08-31", P1, QUAL_OK},
		{"2025-09-01", P1, QUAL_SUSPENDED}, /* an open suspension (until further notice) */
		{"2199-12-31", P1, QUAL_SUSPENDED},
		{"2025-04-15", 0, QUAL_SUSPENDED},
		{"2025-02-28", 0, QUAL_OK},
	};

	RUN(&f, probes);
}

static void test_employment_change(void **state)
{
	/* P1 until 2025-06-30, a gap in July, P2 from 2025-08-01 (open) */
	struct qual_employment emp[] = {{P2, D("2025-08-01"), QUAL_OPEN}, {P1, D("2023-04-01"), D("2025-06-30")}};
	struct qual_period cert[] = {{D("2023-01-01"), QUAL_OPEN}};
	struct qual_facts f = {.employments = emp, .n_employments = 2, .certificates = cert, .n_certificates = 1};
	static const struct probe probes[] = {
		{"2023-03-31", P1, QUAL_NOT_EMPLOYED}, /* the day before the first employment */
		{"2023-04-01", P1, QUAL_OK},
		{"2025-06-30", P1, QUAL_OK},           /* the old provider's last day */
		{"2025-06-30", P2, QUAL_NOT_EMPLOYED},
		{"2025-06-30", 0, QUAL_OK},
		{"2025-07-01", P1, QUAL_NOT_EMPLOYED}, /* the gap */
		{"2025-07-01", P2, QUAL_NOT_EMPLOYED},
		{"2025-07-01", 0, QUAL_NOT_EMPLOYED},
		{"2025-07-31", 0, QUAL_NOT_EMPLOYED},  /* the gap's last day */
		{"2025-08-01", P1, QUAL_NOT_EMPLOYED}, /* the new provider's first day */
		{"2025-08-01", P2, QUAL_OK},
		{"2025-08-01", 0, QUAL_OK},
		{"2199-12-31", P2, QUAL_OK},           /* open-ended */
		{"2025-08-01", 303, QUAL_NOT_EMPLOYED},/* a provider that never employed them */
	};

	RUN(&f, probes);

	/* moving without a gap: P1's last day 2025-06-30, P2's first day 2025-07-01 */
	emp[0].from = D("2025-07-01");
	assert_int_equal(qualify_on(&f, P1, D("2025-06-30")), QUAL_OK);
	assert_int_equal(qualify_on(&f, P2, D("2025-06-30")), QUAL_NOT_EMPLOYED);
	assert_int_equal(qualify_on(&f, P1, D("2025-07-01")), QUAL_NOT_EMPLOYED);
	assert_int_equal(qualify_on(&f, P2, D("2025-07-01")), QUAL_OK);
	assert_int_equal(qualify_on(&f, 0, D("2025-06-30")), QUAL_OK);
	assert_int_equal(qualify_on(&f, 0, D("2025-07-01")), QUAL_OK);

	/* working for two providers at once (part-time) */
	emp[0].from = D("2025-01-01");
	assert_int_equal(qualify_on(&f, P1, D("2025-03-01")), QUAL_OK);
	assert_int_equal(qualify_on(&f, P2, D("2025-03-01")), QUAL_OK);

	/* no employment at all */
	f.n_employments = 0;
	assert_int_equal(qualify_on(&f, 0, D("2025-03-01")), QUAL_NOT_EMPLOYED);
	assert_int_equal(qualify_on(&f, P1, D("2025-03-01")), QUAL_NOT_EMPLOYED);
}

static void test_termination(void **state)
{
	struct qual_employment emp[] = {{P1, D("2020-01-01"), QUAL_OPEN}};
	struct qual_period cert[] = {{D("2020-01-01"), QUAL_OPEN}};
	struct qual_facts f = {.terminated_on = D("2025-10-15"), .employments = emp, .n_employments = 1,
			       .certificates = cert, .n_certificates = 1};
	static const struct probe probes[] = {
		{"2025-10-14", P1, QUAL_OK},         /* the day before */
		{"2025-10-15", P1, QUAL_TERMINATED}, /* the termination day */
		{"2025-10-16", P1, QUAL_TERMINATED},
		{"2199-12-31", P1, QUAL_TERMINATED},
		{"2025-10-15", 0, QUAL_TERMINATED},
		{"2025-10-15", P2, QUAL_TERMINATED}, /* terminated comes before not employed */
		{"2019-12-31", P1, QUAL_NOT_EMPLOYED},
	};

	RUN(&f, probes);
	f.terminated_on = 0; /* not terminated */
	assert_int_equal(qualify_on(&f, P1, D("2199-12-31")), QUAL_OK);
}

/* When several conditions fail: terminated, suspended, not employed, no certificate, in that order. */
static void test_order_of_reasons(void **state)
{
	struct qual_period sus[] = {{D("2025-01-01"), D("2025-12-31")}};
	struct qual_employment emp[] = {{P1, D("2025-06-01"), QUAL_OPEN}};
	struct qual_period cert[] = {{D("2025-09-01"), QUAL_OPEN}};
	struct qual_facts f = {.terminated_on = D("2025-11-01"), .suspensions = sus, .n_suspensions = 1,
			       .employments = emp, .n_employments = 1, .certificates = cert, .n_certificates = 1};
	static const struct probe probes[] = {
		{"2025-11-01", P1, QUAL_TERMINATED},   /* all four fail for P2; terminated, suspended hold for P1 */
		{"2025-11-01", P2, QUAL_TERMINATED},
		{"2025-05-31", P1, QUAL_SUSPENDED},    /* suspended, not employed, no certificate */
		{"2025-07-01", P1, QUAL_SUSPENDED},    /* suspended, no certificate */
		{"2025-09-01", P1, QUAL_SUSPENDED},    /* suspended only */
	};
	static const struct probe after_suspension[] = {
		{"2025-05-31", P1, QUAL_NOT_EMPLOYED}, /* not employed and no certificate */
		{"2025-06-01", P1, QUAL_NO_CERTIFICATE},
		{"2025-08-31", P1, QUAL_NO_CERTIFICATE},
		{"2025-09-01", P1, QUAL_OK},
		{"2025-09-01", P2, QUAL_NOT_EMPLOYED},
	};

	RUN(&f, probes);
	f.terminated_on = 0;
	f.n_suspensions = 0;
	RUN(&f, after_suspension);

	/* nothing known about the person at all */
	{
		struct qual_facts none = {0};
		assert_int_equal(qualify_on(&none, 0, D("2025-01-01")), QUAL_NOT_EMPLOYED);
		assert_int_equal(qualify_on(&none, P1, D("2025-01-01")), QUAL_NOT_EMPLOYED);
	}
}

/* A period whose end is before its start never holds (bad data must not qualify anyone). */
static void test_reversed_periods(void **state)
{
	struct qual_employment emp[] = {{P1, D("2025-06-01"), D("2025-05-01")}};
	struct qual_period cert[] = {{D("2020-01-01"), QUAL_OPEN}};
	struct qual_period sus[] = {{D("2025-06-01"), D("2025-05-01")}};
	struct qual_facts f = {.suspensions = sus, .n_suspensions = 1, .employments = emp, .n_employments = 1,
			       .certificates = cert, .n_certificates = 1};

	assert_int_equal(qualify_on(&f, P1, D("2025-05-15")), QUAL_NOT_EMPLOYED);
	assert_int_equal(qualify_on(&f, P1, D("2025-06-01")), QUAL_NOT_EMPLOYED);
	emp[0].until = QUAL_OPEN;
	assert_int_equal(qualify_on(&f, P1, D("2025-06-01")), QUAL_OK);
}

static void test_codes_and_texts(void **state)
{
	assert_string_equal(qual_result_code(QUAL_OK), "ok");
	assert_string_equal(qual_result_code(QUAL_TERMINATED), "terminated");
	assert_string_equal(qual_result_code(QUAL_SUSPENDED), "suspended");
	assert_string_equal(qual_result_code(QUAL_NOT_EMPLOYED), "not_employed");
	assert_string_equal(qual_result_code(QUAL_NO_CERTIFICATE), "no_certificate");
	assert_string_equal(qual_result_code((enum qual_result)99), "unknown");
	assert_string_equal(qual_result_text(QUAL_OK), "符合上岗条件");
	assert_string_equal(qual_result_text(QUAL_TERMINATED), "护理员已终止服务");
	assert_string_equal(qual_result_text(QUAL_SUSPENDED), "护理员处于暂停结算期间");
	assert_string_equal(qual_result_text(QUAL_NOT_EMPLOYED), "护理员当日不在该机构执业");
	assert_string_equal(qual_result_text(QUAL_NO_CERTIFICATE), "护理员当日无有效资格证书");
	assert_string_equal(qual_result_text((enum qual_result)-1), "未知");
	assert_int_equal(QUAL_OPEN, INT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificate_boundaries),
		cmocka_unit_test(test_two_certificates),
		cmocka_unit_test(test_suspension_boundaries),
		cmocka_unit_test(test_employment_change),
		cmocka_unit_test(test_termination),
		cmocka_unit_test(test_order_of_reasons),
		cmocka_unit_test(test_reversed_periods),
		cmocka_unit_test(test_codes_and_texts),
	};

	return cmocka_run_group_tests_name("qualify", tests, NULL, NULL);
}
