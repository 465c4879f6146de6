/* test_contribution.c: the contribution rule (rules/contribution.h): who pays what for one person's year of cover.
 * Zhoushan 2024 (schemes/zhoushan.json) is 90 yuan = 9000 fen per person per year:
 *   employees: 4500 from the personal account + 4500 from the pooled fund; the assistance and sponsored flags
 *              change nothing for them;
 *   residents: 3000 paid by the person + 6000 fiscal subsidy; for a medical-assistance recipient or a
 *              government-sponsored resident finance also pays the person's 3000 -> 0 + 9000.
 * A scheme written in this file with other figures, and subsidies for employees too, shows the rule reads the data
 * rather than constants. Shanghai's scheme has no contributions section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "rules/contribution.h"
#include "scheme/scheme.h"

struct share_case {
	int category;
	bool assistance, sponsored;
	int64_t fen[PAYER_COUNT]; /* personal_account, pooled_fund, individual, finance */
	const char *what;
};

static struct scheme *load_file(const char *path)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;
	int rc = scheme_load_file(path, &s, &d);

	if (rc != 0) {
		for (int i = 0; i < d.n; i++)
			print_message("  problem %d: %s: %s\n", i, d.items[i].path, d.items[i].msg);
		fail_msg("%s does not load (rc %d)", path, rc);
	}
	return s;
}

static void check_cases(const struct scheme_contributions *c, const struct share_case *cases, size_t n,
			int64_t total)
{
	for (size_t i = 0; i < n; i++) {
		const struct share_case *k = &cases[i];
		int64_t amount[PAYER_COUNT], sum = 0;

		for (int p = 0; p < PAYER_COUNT; p++)
			amount[p] = -1;
		if (!contribution_shares(c, k->category, k->assistance, k->sponsored, amount))
			fail_msg("%s: refused", k->what);
		for (int p = 0; p < PAYER_COUNT; p++) {
			if (amount[p] != k->fen[p])
				fail_msg("%s: %s pays %lld fen, expected %lld", k->what, payer_name((enum payer)p),
					 (long long)amount[p], (long long)k->fen[p]);
			sum += amount[p];
		}
		if (sum != total)
			fail_msg("%s: shares add up to %lld fen, expected %lld", k->what, (long long)sum,
				 (long long)total);
	}
}

static void test_zhoushan(void **state)
{
	static const struct share_case cases[] = {
		{0, false, false, {4500, 4500, 0, 0}, "employee"},
		{0, true, false, {4500, 4500, 0, 0}, "employee, assistance"},
		{0, false, true, {4500, 4500, 0, 0}, "employee, sponsored"},
		{0, true, true, {4500, 4500, 0, 0}, "employee, both flags"},
		{1, false, false, {0, 0, 3000, 6000}, "resident"},
		{1, true, false, {0, 0, 0, 9000}, "resident, assistance"},
		{1, false, true, {0, 0, 0, 9000}, "resident, sponsored"},
		{1, true, true, {0, 0, 0, 9000}, "resident, both flags (the 3000 is moved once, not twice)"},
	};
	struct scheme *s = load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json");

	assert_true(s->contributions.defined);
	assert_int_equal(s->contributions.annual_fen, 9000);
	check_cases(&s->contributions, cases, sizeof cases / sizeof cases[0], 9000);
	scheme_free(s);
}

/* 120 yuan a year. Employees: 5000 personal account + 4000 pooled fund + 3000 paid by the person; assistance moves
 * the personal-account share to the pooled fund, sponsorship moves it to finance (listed in that order, so with
 * both flags the first move takes the 5000 and the second finds nothing left). Residents: 7000 individual + 5000
 * finance; only sponsorship helps them, moving their individual share to finance - which must not touch an
 * employee's individual share (the subsidy names its category). */
static const char custom_contributions[] =
	"{\"annual_fen\":12000,"
	"\"categories\":{"
	"\"employee\":[{\"payer\":\"personal_account\",\"fen\":5000},{\"payer\":\"pooled_fund\",\"fen\":4000},"
	"{\"payer\":\"individual\",\"fen\":3000}],"
	"\"resident\":[{\"payer\":\"individual\",\"fen\":7000},{\"payer\":\"finance\",\"fen\":5000}]},"
	"\"subsidies\":["
	"{\"flag\":\"assistance\",\"category\":\"employee\",\"from\":\"personal_account\",\"to\":\"pooled_fund\"},"
	"{\"flag\":\"sponsored\",\"category\":\"employee\",\"from\":\"personal_account\",\"to\":\"finance\"},"
	"{\"flag\":\"sponsored\",\"category\":\"resident\",\"from\":\"individual\",\"to\":\"finance\"}]}";

/* The rest of the test scheme (identity, levels, periods, the assessment standard) is Zhoushan's, so that only
 * the contributions section written above differs from a scheme that loads. */
static json_t *custom_doc(void)
{
	json_error_t je;
	json_t *doc = json_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", JSON_REJECT_DUPLICATES, &je);
	json_t *contrib = json_loads(custom_contributions, JSON_REJECT_DUPLICATES, &je);

	if (!doc || !contrib)
		fail_msg("test document does not parse: %s (line %d)", je.text, je.line);
	json_object_set_new(doc, "id", json_string("test-city_1"));
	json_object_set_new(doc, "contributions", contrib);
	return doc;
}

static void test_scheme_from_data(void **state)
{
	static const struct share_case cases[] = {
		{0, false, false, {5000, 4000, 3000, 0}, "employee"},
		{0, true, false, {0, 9000, 3000, 0}, "employee, assistance"},
		{0, false, true, {0, 4000, 3000, 5000}, "employee, sponsored (the resident subsidy does not apply)"},
		{0, true, true, {0, 9000, 3000, 0}, "employee, both flags (first listed subsidy wins)"},
		{1, false, false, {0, 0, 7000, 5000}, "resident"},
		{1, true, false, {0, 0, 7000, 5000}, "resident, assistance (no subsidy for it)"},
		{1, false, true, {0, 0, 0, 12000}, "resident, sponsored"},
		{1, true, true, {0, 0, 0, 12000}, "resident, both flags"},
	};
	static struct scheme_diag d;
	json_t *doc = custom_doc();
	struct scheme *s = NULL;
	int rc;

	rc = scheme_from_json(doc, &s, &d);
	json_decref(doc);
	if (rc != 0) {
		for (int i = 0; i < d.n; i++)
			print_message("  problem %d: %s: %s\n", i, d.items[i].path, d.items[i].msg);
		fail_msg("test scheme refused (rc %d)", rc);
	}
	assert_int_equal(s->contributions.annual_fen, 12000);
	check_cases(&s->contributions, cases, sizeof cases / sizeof cases[0], 12000);
	scheme_free(s);
}

static void test_no_contributions_section(void **state)
{
	struct scheme *s = load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json");
	int64_t amount[PAYER_COUNT];

	assert_false(s->contributions.defined);
	for (int category = 0; category < 2; category++)
		for (int flags = 0; flags < 4; flags++)
			assert_false(contribution_shares(&s->contributions, category, flags & 1, flags & 2, amount));
	scheme_free(s);
}

static void test_unknown_category(void **state)
{
	static const int bad[] = {-1, 2, 3, 99, -2147483647 - 1, 2147483647};
	struct scheme *s = load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json");
	int64_t amount[PAYER_COUNT];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (contribution_shares(&s->contributions, bad[i], false, false, amount))
			fail_msg("category %d accepted", bad[i]);
		if (contribution_shares(&s->contributions, bad[i], true, true, amount))
			fail_msg("category %d accepted with both flags", bad[i]);
	}
	scheme_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zhoushan),
		cmocka_unit_test(test_scheme_from_data),
		cmocka_unit_test(test_no_contributions_section),
		cmocka_unit_test(test_unknown_category),
	};

	return cmocka_run_group_tests_name("contribution", tests, NULL, NULL);
}
