/* test_settle.c: the settlement arithmetic (rules/settle.h) and the settlement section of the scheme files.
 *
 * Every expected amount is worked out by hand in the comments next to it, from the figures of the shipped schemes
 * (Zhoushan: home 1,280 yuan = 128,000 fen a month for >= 3 visits a week, family 780 + 500, institution 1,400,
 * 舟惠保 32 / 60, assistance 400; Shanghai: 65 yuan a visit-hour at 90 %, institution 40 / 50 / 60 yuan a day at
 * 85 %, the extra hours of grades 5-6), never by calling the code. Rounding is half away from zero, per line:
 * x.5 fen goes up in size (5,947.5 -> 5,948; -5,947.5 -> -5,948).
 *
 * Then: each rule at its boundaries (partial months at both ends, death, hospital stays, shortfall under both
 * policies and the tolerance, rejected and unqualified visits, each funding source, the quality factor, rounding),
 * the day-count and required-visit variants, input errors by field, a property run over many generated months
 * (total = the sum of the lines; each line = its own formula; no source below zero), the JSON, and the
 * validation of $.settlement with every problem named by its JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/err.h"
#include "base/money.h"
#include "rules/settle.h"
#include "scheme/scheme.h"

static struct scheme *zs, *sh;

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

static void dump_diag(const struct scheme_diag *d)
{
	for (int i = 0; i < d->n; i++)
		print_message("  problem %d: %s: %s\n", i, d->items[i].path, d->items[i].msg);
}

static struct scheme *load_scheme(const char *path)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;

	if (scheme_load_file(path, &s, &d) != 0) {
		dump_diag(&d);
		return NULL;
	}
	return s;
}

static int setup(void **state)
{
	zs = load_scheme(LTCI_SOURCE_DIR "/schemes/zhoushan.json");
	sh = load_scheme(LTCI_SOURCE_DIR "/schemes/shanghai.json");
	return zs && sh ? 0 : -1;
}

static int teardown(void **state)
{
	scheme_free(zs);
	scheme_free(sh);
	return 0;
}

/* ---- scheme documents ---- */

static json_t *load_doc(const char *name)
{
	char path[512];
	json_t *doc;

	snprintf(path, sizeof path, "%s/schemes/%s.json", LTCI_SOURCE_DIR, name);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	if (!doc)
		fail_msg("cannot load %s", path);
	return doc;
}

/* The value at a path below root such as "settlement.supplements[0].monthly_fen" (borrowed; fails if absent). */
static json_t *at(json_t *root, const char *path)
{
	json_t *v = root;
	const char *p = path;

	if (p && p[0] == '$')
		p++;
	while (p && *p && v) {
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

/* A shipped scheme's document with key of the object at path set to value (stolen; NULL deletes the key). */
static json_t *doc_with(const char *name, const char *path, const char *key, json_t *value)
{
	json_t *doc = load_doc(name);

	if (key && value)
		json_object_set_new(at(doc, path), key, value);
	else if (key)
		json_object_del(at(doc, path), key);
	return doc;
}

/* Load doc (consumed); fail if refused. */
static struct scheme *scheme_of(json_t *doc)
{
	static struct scheme_diag d;
	struct scheme *s = NULL;

	if (scheme_from_json(doc, &s, &d) != 0) {
		dump_diag(&d);
		fail_msg("variant scheme refused");
	}
	json_decref(doc);
	return s;
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
}

static void expect_one(json_t *doc, const char *path, const char *msg)
{
	struct expected w = {path, msg};

	expect_all(doc, &w, 1);
}

/* ---- settlement inputs and expected lines ---- */

struct fixture {
	struct settle_period cert[LIMIT_SETTLE_PERIODS];
	struct settle_period stays[LIMIT_SETTLE_STAYS];
	struct settle_adjustment adj[LIMIT_SETTLE_ADJUSTMENTS + 1];
	struct settle_in in;
};

/* A beneficiary of mode and level in year-month, certified and under a plan since 2024-05-01 (open-ended), alive,
 * never in hospital, no flags, family attestation given, no visits. */
static struct settle_in *month_in(struct fixture *f, int year, int month, int mode, int level)
{
	memset(f, 0, sizeof *f);
	f->in.year = year;
	f->in.month = month;
	f->in.mode = mode;
	f->in.level = level;
	f->in.plan.from = D("2024-05-01");
	f->cert[0].from = D("2024-05-01");
	f->in.certified = f->cert;
	f->in.n_certified = 1;
	f->in.hospital = f->stays;
	f->in.adjustments = f->adj;
	f->in.family_attested = true;
	return &f->in;
}

static void settle_ok(const struct scheme *s, const struct settle_in *in, struct settle_result *r)
{
	struct err e = {0};

	if (settle_month(s, in, r, &e) != 0)
		fail_msg("settle_month refused: %s: %s", e.field, e.msg);
}

/* Round n/d half away from zero (d > 0): the test's own arithmetic for the property checks. */
static int64_t round_div(__int128 n, __int128 d)
{
	__int128 q = (n < 0 ? -n : n) / d, rem = (n < 0 ? -n : n) % d;

	if (2 * rem >= d)
		q++;
	return (int64_t)(n < 0 ? -q : q);
}

/* What must hold for every result: each line is its formula, except a balanced one: a deduction within a fen of
 * it; the total and the per-source and per-payee sums are the sums of the lines; the
 * quality base is the fund's provider lines without adjustments; no source's provider lines add up below 0. */
static void check_invariants(const struct settle_result *r)
{
	int64_t total = 0, by_src[SOURCE_COUNT] = {0}, by_payee[SETTLE_PAYEE_COUNT] = {0}, qb = 0;
	int64_t prov[SOURCE_COUNT] = {0};

	assert_true(r->n_lines >= 0 && r->n_lines <= LIMIT_SETTLE_LINES);
	for (int i = 0; i < r->n_lines; i++) {
		const struct settle_line *l = &r->lines[i];
		int64_t f = round_div((__int128)l->unit_fen * l->quantity * l->rate_pm, (__int128)l->divisor * 1000);
		assert_true(l->divisor >= 1);
		assert_non_null(l->label);
		assert_non_null(l->reference);
		if (l->balanced) {
			assert_true(l->amount_fen < 0 && l->amount_fen >= f - 1 && l->amount_fen <= f + 1);
		} else if (l->amount_fen != f) {
			fail_msg("line %d: amount %lld is not its formula %lld", i, (long long)l->amount_fen,
				 (long long)f);
		}
		total += l->amount_fen;
		by_src[l->source] += l->amount_fen;
		by_payee[l->payee] += l->amount_fen;
		if (l->source == SOURCE_FUND && l->payee == SETTLE_PAYEE_PROVIDER && l->kind != SETTLE_KIND_ADJUSTMENT)
			qb += l->amount_fen;
		if (l->payee == SETTLE_PAYEE_PROVIDER && l->kind != SETTLE_KIND_ADJUSTMENT) {
			prov[l->source] += l->amount_fen;
			assert_true(prov[l->source] >= 0);
		}
	}
	assert_int_equal(r->total_fen, total);
	assert_int_equal(settle_lines_sum(r->lines, r->n_lines), total);
	for (int s = 0; s < SOURCE_COUNT; s++)
		assert_int_equal(r->source_fen[s], by_src[s]);
	for (int p = 0; p < SETTLE_PAYEE_COUNT; p++)
		assert_int_equal(r->payee_fen[p], by_payee[p]);
	assert_int_equal(r->quality_base_fen, qb);
}

/* An expected line. */
struct wl {
	enum fund_source source;
	enum settle_payee payee;
	enum settle_kind kind;
	enum settle_reason reason;
	int64_t qty, unit_fen, divisor;
	int rate;
	int64_t amount;
};

#define FUND SOURCE_FUND
#define SUPP SOURCE_SUPPLEMENTARY
#define ASSIST SOURCE_ASSISTANCE
#define PROV SETTLE_PAYEE_PROVIDER
#define FAM SETTLE_PAYEE_FAMILY_CAREGIVER
#define BEN SETTLE_PAYEE_BENEFICIARY

static void dump_lines(const struct settle_result *r)
{
	for (int i = 0; i < r->n_lines; i++) {
		const struct settle_line *l = &r->lines[i];
		print_message("  line %d: %s %s %s %s qty %lld x %lld / %lld x %d = %lld %s\n", i,
			      fund_source_name(l->source), settle_payee_code(l->payee), settle_kind_code(l->kind),
			      settle_reason_code(l->reason), (long long)l->quantity, (long long)l->unit_fen,
			      (long long)l->divisor, l->rate_pm, (long long)l->amount_fen, l->label);
	}
}

/* Settle in under s and expect exactly the lines w (in order) and the total. */
static void expect_lines(const struct scheme *s, const struct settle_in *in, const struct wl *w, int n, int64_t total,
			 struct settle_result *r)
{
	settle_ok(s, in, r);
	check_invariants(r);
	if (r->n_lines != n) {
		dump_lines(r);
		fail_msg("%d lines, expected %d", r->n_lines, n);
	}
	for (int i = 0; i < n; i++) {
		const struct settle_line *l = &r->lines[i];
		if (l->source != w[i].source || l->payee != w[i].payee || l->kind != w[i].kind ||
		    l->reason != w[i].reason || l->quantity != w[i].qty || l->unit_fen != w[i].unit_fen ||
		    l->divisor != w[i].divisor || l->rate_pm != w[i].rate || l->amount_fen != w[i].amount) {
			dump_lines(r);
			fail_msg("line %d differs (expected amount %lld)", i, (long long)w[i].amount);
		}
	}
	assert_int_equal(r->total_fen, total);
}

/* ---- Zhoushan: the monthly amount and the days ---- */

static void test_full_month(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* March 2025, 31 days, all entitled: 128,000 x 31 / 31 = 128,000. Required 3 x 31 / 7 = 13.29 -> 13. */
	in->visits.payable = 13;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	assert_int_equal(r.days_in_month, 31);
	assert_int_equal(r.entitled_days, 31);
	assert_int_equal(r.entitled_mask, 0x7fffffffu);
	assert_int_equal(r.paid_days, 31);
	assert_int_equal(r.day_divisor, 31);
	assert_int_equal(r.required_visits, 13);
	assert_int_equal(r.shortfall_visits, 0);
	assert_false(r.forgiven);
	assert_int_equal(r.quality_base_fen, 128000);
	assert_int_equal(r.payee_fen[PROV], 128000);
	assert_string_equal(r.lines[0].label, "居家上门护理月度定额");
	/* more visits than required change nothing */
	in->visits.payable = 20;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	/* February 2025, 28 days: the whole month is still 128,000; required 3 x 28 / 7 = 12 */
	in = month_in(&f, 2025, 2, CARE_HOME, 3);
	in->visits.payable = 12;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 28, 128000, 28, 1000,
					     128000}}, 1, 128000, &r);
	assert_int_equal(r.required_visits, 12);
	assert_int_equal(r.entitled_mask, 0x0fffffffu);
}

static void test_partial_months(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* certified from 2025-03-12: days 12-31 = 20; 128,000 x 20 / 31 = 82,580.65 -> 82,581; required
	 * 3 x 20 / 7 = 8.57 -> 9 */
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 9;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 31, 1000,
					     82581}}, 1, 82581, &r);
	assert_int_equal(r.required_visits, 9);
	assert_int_equal(r.entitled_mask, 0x7ffff800u); /* bits 11-30: days 12-31 */
	/* the first entitled day is the certification's first day: 2025-03-11 is not, 2025-03-12 is */
	assert_false(r.entitled_mask & (1u << 10));
	assert_true(r.entitled_mask & (1u << 11));

	/* the plan ends 2025-04-10 (April, 30 days): days 1-10; 128,000 x 10 / 30 = 42,666.67 -> 42,667; required
	 * 3 x 10 / 7 = 4.29 -> 4 */
	in = month_in(&f, 2025, 4, CARE_HOME, 4);
	in->plan.until = D("2025-04-10");
	in->visits.payable = 4;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 10, 128000, 30, 1000,
					     42667}}, 1, 42667, &r);
	assert_int_equal(r.required_visits, 4);
	assert_int_equal(r.entitled_mask, 0x3ffu);

	/* both ends in one month: certified from 2025-04-05, the plan until 2025-04-24: days 5-24 = 20;
	 * 128,000 x 20 / 30 = 85,333.33 -> 85,333; required 9 */
	in = month_in(&f, 2025, 4, CARE_HOME, 4);
	f.cert[0].from = D("2025-04-05");
	in->plan.until = D("2025-04-24");
	in->visits.payable = 9;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 30, 1000,
					     85333}}, 1, 85333, &r);

	/* the certification expires 2025-03-10 and is renewed from 2025-03-15: days 1-10 and 15-31 = 27;
	 * 128,000 x 27 / 31 = 111,483.87 -> 111,484; required 3 x 27 / 7 = 11.57 -> 12 */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].until = D("2025-03-10");
	f.cert[1].from = D("2025-03-15");
	in->n_certified = 2;
	in->visits.payable = 12;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 128000, 31, 1000,
					     111484}}, 1, 111484, &r);
	assert_int_equal(r.required_visits, 12);

	/* a plan change on 2025-03-16 (level 3 to 4) is settled as two parts, each by its days: 15 days
	 * 128,000 x 15 / 31 = 61,935.48 -> 61,935; 16 days 66,064.52 -> 66,065; together 128,000 */
	in = month_in(&f, 2025, 3, CARE_HOME, 3);
	in->plan.until = D("2025-03-15");
	in->visits.payable = 6; /* required 3 x 15 / 7 = 6.43 -> 6 */
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 15, 128000, 31, 1000,
					     61935}}, 1, 61935, &r);
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->plan.from = D("2025-03-16");
	in->visits.payable = 7; /* required 3 x 16 / 7 = 6.86 -> 7 */
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 16, 128000, 31, 1000,
					     66065}}, 1, 66065, &r);
	assert_int_equal(r.required_visits, 7);

	/* no entitled day at all (certified from April): no line */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].from = D("2025-04-01");
	settle_ok(zs, in, &r);
	assert_int_equal(r.entitled_days, 0);
	assert_int_equal(r.n_lines, 0);
	assert_int_equal(r.total_fen, 0);
	/* nor without any certified period */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->n_certified = 0;
	settle_ok(zs, in, &r);
	assert_int_equal(r.n_lines, 0);
}

static void test_death(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 6, CARE_HOME, 5);

	/* died 2025-06-17: the day of death counts, days 1-17; 128,000 x 17 / 30 = 72,533.33 -> 72,533; required
	 * 3 x 17 / 7 = 7.29 -> 7 */
	in->death_day = D("2025-06-17");
	in->visits.payable = 7;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 17, 128000, 30, 1000,
					     72533}}, 1, 72533, &r);
	assert_true(r.entitled_mask & (1u << 16));   /* day 17 */
	assert_false(r.entitled_mask & (1u << 17));  /* day 18 */
	assert_int_equal(r.required_visits, 7);
	/* one visit short: 72,533 x 1 / 7 = 10,361.86 -> -10,362; 72,533 - 10,362 = 62,171 */
	in->visits.payable = 6;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 17, 128000, 30, 1000, 72533},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 72533, 7, -1000, -10362}},
		     2, 62171, &r);
	/* died on the first: one day, 128,000 / 30 = 4,266.67 -> 4,267; required 3 / 7 -> 0 */
	in = month_in(&f, 2025, 6, CARE_HOME, 5);
	in->death_day = D("2025-06-01");
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 1, 128000, 30, 1000,
					     4267}}, 1, 4267, &r);
	assert_int_equal(r.required_visits, 0);
	/* died the month before: nothing */
	in->death_day = D("2025-05-31");
	settle_ok(zs, in, &r);
	assert_int_equal(r.n_lines, 0);
}

static void test_hospital_days(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* admitted 2025-03-05, discharged 2025-03-09: hospital days 5-8 (the discharge day is entitled); 27 days;
	 * 128,000 x 27 / 31 = 111,483.87 -> 111,484; required 12 */
	f.stays[0] = (struct settle_period){D("2025-03-05"), D("2025-03-09")};
	in->n_hospital = 1;
	in->visits.payable = 12;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 128000, 31, 1000,
					     111484}}, 1, 111484, &r);
	assert_true(r.entitled_mask & (1u << 3));    /* day 4 */
	assert_false(r.entitled_mask & (1u << 4));   /* day 5, admission */
	assert_false(r.entitled_mask & (1u << 7));   /* day 8 */
	assert_true(r.entitled_mask & (1u << 8));    /* day 9, discharge */
	/* admitted and discharged the same day: that one day; 30 days, 128,000 x 30 / 31 = 123,870.97 -> 123,871;
	 * required 3 x 30 / 7 = 12.86 -> 13 */
	f.stays[0] = (struct settle_period){D("2025-03-20"), D("2025-03-20")};
	in->visits.payable = 13;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 30, 128000, 31, 1000,
					     123871}}, 1, 123871, &r);
	assert_false(r.entitled_mask & (1u << 19));
	/* still in hospital since 2025-03-28: 28-31 out, 27 days again */
	f.stays[0] = (struct settle_period){D("2025-03-28"), 0};
	in->visits.payable = 12;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 128000, 31, 1000,
					     111484}}, 1, 111484, &r);
	assert_int_equal(r.entitled_mask, 0x07ffffffu);
	/* a stay from February to 2025-03-03: March 1-2 out, 29 days; 128,000 x 29 / 31 = 119,741.94 -> 119,742;
	 * required 3 x 29 / 7 = 12.43 -> 12; plus a second stay 2025-03-20 to 2025-03-22 (20, 21 out): 27 days */
	f.stays[0] = (struct settle_period){D("2025-02-25"), D("2025-03-03")};
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 29, 128000, 31, 1000,
					     119742}}, 1, 119742, &r);
	f.stays[1] = (struct settle_period){D("2025-03-20"), D("2025-03-22")};
	in->n_hospital = 2;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 128000, 31, 1000,
					     111484}}, 1, 111484, &r);
	/* institutional care too: 140,000 x 27 / 31 = 121,935.48 -> 121,935 */
	in->mode = CARE_INSTITUTION;
	in->visits.payable = 0;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 140000, 31, 1000,
					     121935}}, 1, 121935, &r);
	assert_int_equal(r.required_visits, 0);
	assert_string_equal(r.lines[0].label, "机构护理月度定额");
}

/* ---- Zhoushan: visits ---- */

static void test_shortfall_prorate(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* 10 of 13 visits: 3 short, 128,000 x 3 / 13 = 29,538.46 -> -29,538; 98,462 */
	in->visits.payable = 10;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 3, 128000, 13, -1000, -29538}},
		     2, 98462, &r);
	assert_int_equal(r.shortfall_visits, 3);
	assert_false(r.forgiven);
	/* 2 of the missing were rejected exceptions: 128,000 x 2 / 13 = 19,692.31 -> -19,692 and 1 not made
	 * 9,846.15 -> -9,846; 128,000 - 19,692 - 9,846 = 98,462 */
	in->visits.rejected = 2;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 2, 128000, 13, -1000,
				    -19692},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 128000, 13, -1000, -9846}},
		     3, 98462, &r);
	/* 5 rejected: only the 3 the month needed are deducted, -29,538 */
	in->visits.rejected = 5;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 3, 128000, 13, -1000,
				    -29538}},
		     2, 98462, &r);
	/* the requirement met, rejected visits beyond it cost nothing */
	in->visits.payable = 13;
	in->visits.rejected = 2;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	/* no visit at all: 13 short, the whole 128,000 */
	in->visits.payable = 0;
	in->visits.rejected = 0;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 13, 128000, 13, -1000,
				    -128000}},
		     2, 0, &r);
}

static struct scheme *zs_shortfall(const char *policy, int tolerance)
{
	json_t *doc = doc_with("zhoushan", "settlement.shortfall", "policy", json_string(policy));

	json_object_set_new(at(doc, "settlement.shortfall"), "tolerance_visits", json_integer(tolerance));
	return scheme_of(doc);
}

static void test_shortfall_withhold_and_tolerance(void **state)
{
	struct scheme *w0 = zs_shortfall("withhold", 0), *w1 = zs_shortfall("withhold", 1);
	struct scheme *p1 = zs_shortfall("prorate", 1);
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	assert_int_equal(w0->settle.shortfall, SETTLE_SHORTFALL_WITHHOLD);
	assert_int_equal(p1->settle.tolerance_visits, 1);
	/* withhold: 12 of 13 is short, nothing is paid */
	in->visits.payable = 12;
	expect_lines(w0, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, 1, 128000, 1, -1000, -128000}},
		     2, 0, &r);
	assert_int_equal(r.lines[1].unit, SETTLE_QTY_MONTH);
	/* 13 of 13: paid */
	in->visits.payable = 13;
	expect_lines(w0, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	/* tolerance 1: 12 of 13 is forgiven ... */
	in->visits.payable = 12;
	expect_lines(w1, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	assert_true(r.forgiven);
	assert_int_equal(r.shortfall_visits, 1);
	expect_lines(p1, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000,
					     128000}}, 1, 128000, &r);
	/* ... 11 of 13 is not: withhold pays nothing; prorate deducts both missing visits (the tolerance is a
	 * threshold, not an allowance): 128,000 x 2 / 13 = 19,692.31 -> -19,692; 108,308 */
	in->visits.payable = 11;
	expect_lines(w1, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, 1, 128000, 1, -1000, -128000}},
		     2, 0, &r);
	assert_false(r.forgiven);
	expect_lines(p1, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 2, 128000, 13, -1000, -19692}},
		     2, 108308, &r);
	/* withhold with 舟惠保: each source is withheld */
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(w0, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, 1, 128000, 1, -1000, -128000},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 3200, 31, 1000, 3200},
				   {SUPP, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, 1, 3200, 1, -1000, -3200}},
		     4, 0, &r);
	scheme_free(w0);
	scheme_free(w1);
	scheme_free(p1);
}

static void test_unqualified(void **state)
{
	struct scheme *w0 = zs_shortfall("withhold", 0), *p1 = zs_shortfall("prorate", 1);
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* 13 qualified visits (the requirement met) and 2 by an unqualified caregiver: each still costs a visit's
	 * value, 128,000 x 2 / 13 = 19,692.31 -> -19,692; 108,308 */
	in->visits.payable = 13;
	in->visits.unqualified = 2;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 2, 128000, 13,
				    -1000, -19692}},
		     2, 108308, &r);
	assert_string_equal(r.lines[1].label, "护理员当日无上岗资格，服务费用全额扣除");
	/* withhold does not change it (the month is not short of qualified visits) */
	expect_lines(w0, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 2, 128000, 13,
				    -1000, -19692}},
		     2, 108308, &r);
	/* 11 qualified + 2 unqualified: short 2, both of them the unqualified ones: only their line, -19,692;
	 * the same 108,308 as 11 qualified alone (never better than no visit) */
	in->visits.payable = 11;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 2, 128000, 13,
				    -1000, -19692}},
		     2, 108308, &r);
	assert_int_equal(r.shortfall_visits, 2);
	/* withhold: short, so the rest is withheld: -19,692 then -(128,000 - 19,692) = -108,308; 0 */
	expect_lines(w0, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 2, 128000, 13,
				    -1000, -19692},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, 1, 108308, 1, -1000, -108308}},
		     3, 0, &r);
	/* 10 qualified + 2 unqualified: 3 short, 1 beyond the unqualified: -19,692 and -9,846; 98,462 */
	in->visits.payable = 10;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 2, 128000, 13,
				    -1000, -19692},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 128000, 13, -1000, -9846}},
		     3, 98462, &r);
	/* the tolerance never covers an unqualified visit: 12 + 1 with tolerance 1 is forgiven the shortfall but
	 * still loses the visit, 128,000 / 13 = 9,846.15 -> -9,846; 118,154 (12 qualified alone: 128,000) */
	in->visits.payable = 12;
	in->visits.unqualified = 1;
	expect_lines(p1, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 1, 128000, 13,
				    -1000, -9846}},
		     2, 118154, &r);
	assert_true(r.forgiven);
	/* all 15 visits unqualified: at most the month, 128,000 x 13 / 13 = -128,000; nothing else to deduct */
	in->visits.payable = 0;
	in->visits.unqualified = 15;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 13, 128000, 13,
				    -1000, -128000}},
		     2, 0, &r);
	/* a month requiring no visit (one entitled day, 3 / 7 -> 0): a visit is worth the month,
	 * 128,000 / 31 = 4,129.03 -> 4,129, deducted whole */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].from = D("2025-03-31");
	in->visits.unqualified = 1;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 1, 128000, 31, 1000, 4129},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 1, 4129, 1, -1000,
				    -4129}},
		     2, 0, &r);
	assert_int_equal(r.required_visits, 0);
	scheme_free(w0);
	scheme_free(p1);
}

/* ---- Zhoushan: family care and the supplementary sources ---- */

static void test_family_care(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_FAMILY, 3);

	/* 780 yuan of visits to the provider and 500 to the relative; required 2 x 31 / 7 = 8.86 -> 9 */
	in->visits.payable = 9;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 78000, 31, 1000, 78000},
				   {FUND, FAM, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE, 31, 50000, 31, 1000, 50000}},
		     2, 128000, &r);
	assert_int_equal(r.required_visits, 9);
	assert_int_equal(r.payee_fen[PROV], 78000);
	assert_int_equal(r.payee_fen[FAM], 50000);
	assert_int_equal(r.quality_base_fen, 78000); /* the relative's allowance is not the provider's */
	assert_string_equal(r.lines[0].label, "亲情护理上门服务月度定额");
	assert_string_equal(r.lines[1].label, "亲情护理补贴");
	/* no attestation this month: the allowance is held */
	in->family_attested = false;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 78000, 31, 1000, 78000},
				   {FUND, FAM, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE, 31, 50000, 31, 1000, 50000},
				   {FUND, FAM, SETTLE_KIND_SHORTFALL, SETTLE_R_NO_ATTESTATION, 1, 50000, 1, -1000,
				    -50000}},
		     3, 78000, &r);
	assert_int_equal(r.payee_fen[FAM], 0);
	/* a provider visit short: only the provider's part is cut, 78,000 / 9 = 8,666.67 -> -8,667; 69,333 */
	in->family_attested = true;
	in->visits.payable = 8;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 78000, 31, 1000, 78000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 78000, 9, -1000, -8667},
				   {FUND, FAM, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE, 31, 50000, 31, 1000, 50000}},
		     3, 119333, &r);
	/* certified from 2025-03-12 (20 days): 78,000 x 20 / 31 = 50,322.58 -> 50,323; 50,000 x 20 / 31 =
	 * 32,258.06 -> 32,258; required 2 x 20 / 7 = 5.71 -> 6 */
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 6;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 78000, 31, 1000, 50323},
				   {FUND, FAM, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE, 20, 50000, 31, 1000, 32258}},
		     2, 82581, &r);
	assert_int_equal(r.required_visits, 6);
}

static void test_supplementary_sources(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* 舟惠保 holder at home: +32 yuan of services */
	in->visits.payable = 13;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 3200, 31, 1000, 3200}},
		     2, 131200, &r);
	assert_string_equal(r.lines[1].label, "舟惠保护理服务");
	assert_int_equal(r.source_fen[FUND], 128000);
	assert_int_equal(r.source_fen[SUPP], 3200);
	assert_int_equal(r.quality_base_fen, 128000); /* the factor is the fund's */
	/* an assistance recipient as well: +400 yuan */
	in->flags[SETTLE_FLAG_ASSISTANCE] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 3200, 31, 1000, 3200},
				   {ASSIST, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 40000, 31, 1000, 40000}},
		     3, 171200, &r);
	assert_string_equal(r.lines[2].label, "社会救助护理服务");
	assert_int_equal(r.source_fen[ASSIST], 40000);
	/* assistance alone */
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = false;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {ASSIST, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 40000, 31, 1000, 40000}},
		     2, 168000, &r);
	/* institutional care with 舟惠保: 1,400 + 60 */
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 5);
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 140000, 31, 1000, 140000},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 6000, 31, 1000, 6000}},
		     2, 146000, &r);
	/* and assistance: + 400 */
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = false;
	in->flags[SETTLE_FLAG_ASSISTANCE] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 140000, 31, 1000, 140000},
				   {ASSIST, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 40000, 31, 1000, 40000}},
		     2, 180000, &r);
	/* family care with 舟惠保: +32 beside the relative's allowance */
	in = month_in(&f, 2025, 3, CARE_FAMILY, 3);
	in->visits.payable = 9;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 78000, 31, 1000, 78000},
				   {FUND, FAM, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE, 31, 50000, 31, 1000, 50000},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 31, 3200, 31, 1000, 3200}},
		     3, 131200, &r);
	/* a part month one visit short, with both sources: each pro-rated and cut by the same 1 / 9.
	 * 20 days: fund 82,581 (above), 1/9 = 9,175.67 -> -9,176; 舟惠保 3,200 x 20 / 31 = 2,064.52 -> 2,065,
	 * 1/9 = 229.44 -> -229; assistance 40,000 x 20 / 31 = 25,806.45 -> 25,806, 1/9 = 2,867.33 -> -2,867.
	 * Total 82,581 - 9,176 + 2,065 - 229 + 25,806 - 2,867 = 98,180 */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 8;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	in->flags[SETTLE_FLAG_ASSISTANCE] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 31, 1000, 82581},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 82581, 9, -1000, -9176},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 20, 3200, 31, 1000, 2065},
				   {SUPP, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 2065, 9, -1000, -229},
				   {ASSIST, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 20, 40000, 31, 1000, 25806},
				   {ASSIST, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 25806, 9, -1000, -2867}},
		     6, 98180, &r);
	assert_int_equal(r.source_fen[FUND], 73405);
	assert_int_equal(r.source_fen[SUPP], 1836);
	assert_int_equal(r.source_fen[ASSIST], 22939);
	/* Shanghai has no supplementary source: the flags change nothing there */
	in = month_in(&f, 2025, 3, CARE_HOME, 2);
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	in->flags[SETTLE_FLAG_ASSISTANCE] = true;
	settle_ok(sh, in, &r);
	assert_int_equal(r.n_lines, 1);
	assert_null(scheme_supplement(sh, SOURCE_SUPPLEMENTARY));
	assert_non_null(scheme_supplement(zs, SOURCE_ASSISTANCE));
}

static void test_adjustments(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* a recovery of 500 yuan and a correction of February's line 17 by +123.45, passed through unchanged:
	 * 128,000 - 50,000 + 12,345 = 90,345; the quality base stays 128,000 */
	in->visits.payable = 13;
	f.adj[0] = (struct settle_adjustment){FUND, PROV, -50000, "追回违规服务费用", "舟医保稽〔2025〕3号", 0};
	f.adj[1] = (struct settle_adjustment){FUND, PROV, 12345, "更正2025年2月结算", "2025-02结算单第17行", 17};
	f.adj[2] = (struct settle_adjustment){SUPP, PROV, -3200, "舟惠保重复结算", "2025-02结算单第18行", 18};
	in->n_adjustments = 3;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_ADJUSTMENT, SETTLE_R_ADJUSTMENT, 1, -50000, 1, 1000, -50000},
				   {FUND, PROV, SETTLE_KIND_ADJUSTMENT, SETTLE_R_ADJUSTMENT, 1, 12345, 1, 1000, 12345},
				   {SUPP, PROV, SETTLE_KIND_ADJUSTMENT, SETTLE_R_ADJUSTMENT, 1, -3200, 1, 1000, -3200}},
		     4, 87145, &r);
	assert_string_equal(r.lines[1].label, "追回违规服务费用");
	assert_string_equal(r.lines[1].reference, "舟医保稽〔2025〕3号");
	assert_int_equal(r.lines[2].ref_line_id, 17);
	assert_int_equal(r.quality_base_fen, 128000);
	assert_int_equal(r.source_fen[SUPP], -3200);
	/* adjustments alone, in a month without entitlement */
	f.cert[0].from = D("2025-04-01");
	in->visits.payable = 0;
	in->n_adjustments = 1;
	expect_lines(zs, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_ADJUSTMENT, SETTLE_R_ADJUSTMENT, 1, -50000, 1, 1000,
					     -50000}}, 1, -50000, &r);
	/* the most a beneficiary-month takes: 16 adjustments on the longest computed month fit the lines */
	in = month_in(&f, 2025, 3, CARE_FAMILY, 3);
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	in->flags[SETTLE_FLAG_ASSISTANCE] = true;
	in->family_attested = false;
	in->visits.payable = 5;
	in->visits.rejected = 1;
	in->visits.unqualified = 1;
	for (int i = 0; i < LIMIT_SETTLE_ADJUSTMENTS; i++)
		f.adj[i] = (struct settle_adjustment){FUND, PROV, -1, "调整", "依据", 0};
	in->n_adjustments = LIMIT_SETTLE_ADJUSTMENTS;
	settle_ok(zs, in, &r);
	check_invariants(&r);
	assert_int_equal(r.n_lines, 14 + LIMIT_SETTLE_ADJUSTMENTS);
}

/* ---- the quality factor ---- */

static void test_quality(void **state)
{
	struct settle_line l;
	struct err e = {0};
	struct scheme *v;

	/* Shanghai's table: A 1.020, B 1.000, C 0.950, default 1.000 */
	assert_int_equal(scheme_quality_permille(sh, NULL), 1000);
	assert_int_equal(scheme_quality_permille(sh, "A"), 1020);
	assert_int_equal(scheme_quality_permille(sh, "D"), -1);
	/* no grade: factor 1.000, a line of 0 that still shows the factor */
	assert_int_equal(settle_quality(sh, NULL, 1234567, &l, &e), 0);
	assert_int_equal(l.kind, SETTLE_KIND_QUALITY);
	assert_int_equal(l.source, FUND);
	assert_int_equal(l.payee, PROV);
	assert_int_equal(l.quantity, 1234567);
	assert_int_equal(l.unit, SETTLE_QTY_FEN);
	assert_int_equal(l.rate_pm, 0);
	assert_int_equal(l.amount_fen, 0);
	assert_string_equal(l.reference, "");
	assert_string_equal(l.label, "质量系数调整");
	assert_int_equal(settle_quality(sh, "", 1234567, &l, &e), 0);
	assert_int_equal(l.amount_fen, 0);
	/* A: 1,234,567 x 20 / 1000 = 24,691.34 -> +24,691 */
	assert_int_equal(settle_quality(sh, "A", 1234567, &l, &e), 0);
	assert_int_equal(l.rate_pm, 20);
	assert_int_equal(l.amount_fen, 24691);
	assert_string_equal(l.reference, "A");
	/* B: 0 */
	assert_int_equal(settle_quality(sh, "B", 1234567, &l, &e), 0);
	assert_int_equal(l.amount_fen, 0);
	/* C: 1,234,567 x -50 / 1000 = -61,728.35 -> -61,728 */
	assert_int_equal(settle_quality(sh, "C", 1234567, &l, &e), 0);
	assert_int_equal(l.amount_fen, -61728);
	/* halves away from zero: 1,010 x -50 / 1000 = -50.5 -> -51 */
	assert_int_equal(settle_quality(sh, "C", 1010, &l, &e), 0);
	assert_int_equal(l.amount_fen, -51);
	/* a grade the scheme does not know */
	assert_int_equal(settle_quality(sh, "D", 1234567, &l, &e), ERR_INVALID);
	assert_string_equal(e.field, "grade");
	/* Zhoushan has no grades: the default for everyone, any grade unknown */
	assert_int_equal(settle_quality(zs, NULL, 1234567, &l, &e), 0);
	assert_int_equal(l.amount_fen, 0);
	assert_int_equal(settle_quality(zs, "A", 1234567, &l, &e), ERR_INVALID);
	/* a default below 1: 0.980 on 1,234,567 = -24,691.34 -> -24,691; and a grade at 1.050 on 1,010 = 50.5 -> 51 */
	{
		json_t *doc = doc_with("zhoushan", "settlement.quality", "default_permille", json_integer(980));
		json_t *g = json_pack("[{s:s, s:i}]", "grade", "AA", "permille", 1050);
		json_object_set_new(at(doc, "settlement.quality"), "grades", g);
		v = scheme_of(doc);
	}
	assert_int_equal(settle_quality(v, NULL, 1234567, &l, &e), 0);
	assert_int_equal(l.amount_fen, -24691);
	assert_int_equal(settle_quality(v, "AA", 1010, &l, &e), 0);
	assert_int_equal(l.amount_fen, 51);
	scheme_free(v);
}

/* A provider's statement: beneficiary lines + the quality line; the total is the sum of all lines. */
static void test_statement_total(void **state)
{
	struct fixture f;
	struct settle_result a, b;
	struct settle_line lines[2 * LIMIT_SETTLE_LINES + 1], q;
	struct err e = {0};
	int n = 0;

	/* two Shanghai beneficiaries of one grade-C provider: 181,350 (grade 5, 31 visits of an hour) and 76,050
	 * (grade 2, 13 visits): base 257,400; C: 257,400 x -50 / 1000 = -12,870; statement 244,530 */
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 5);
	in->visits.payable = 31;
	in->visits.payable_minutes = 1860;
	settle_ok(sh, in, &a);
	in = month_in(&f, 2025, 3, CARE_HOME, 2);
	in->visits.payable = 13;
	in->visits.payable_minutes = 780;
	settle_ok(sh, in, &b);
	assert_int_equal(a.total_fen, 181350);
	assert_int_equal(b.total_fen, 76050);
	assert_int_equal(settle_quality(sh, "C", a.quality_base_fen + b.quality_base_fen, &q, &e), 0);
	assert_int_equal(q.quantity, 257400);
	assert_int_equal(q.amount_fen, -12870);
	memcpy(lines + n, a.lines, (size_t)a.n_lines * sizeof lines[0]);
	n += a.n_lines;
	memcpy(lines + n, b.lines, (size_t)b.n_lines * sizeof lines[0]);
	n += b.n_lines;
	lines[n++] = q;
	assert_int_equal(settle_lines_sum(lines, n), 244530);
}

/* ---- rounding ---- */

static void test_rounding(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* per line, not on the total: 20 days with 舟惠保: 128,000 x 20 / 31 = 82,580.65 -> 82,581 and
	 * 3,200 x 20 / 31 = 2,064.52 -> 2,065, total 84,646; rounding the sum once would give
	 * 131,200 x 20 / 31 = 84,645.16 -> 84,645 */
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 9;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 31, 1000, 82581},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 20, 3200, 31, 1000, 2065}},
		     2, 84646, &r);
	assert_int_equal(r.lines[0].amount_fen + r.lines[1].amount_fen, r.total_fen);

	/* Shanghai, halves: 65 yuan x 90 % = 58.50 an hour = 97.5 fen a minute. 183 minutes claimed (61 payable,
	 * 61 rejected, 61 unqualified): 97.5 x 183 = 17,842.5 -> 17,843; each deduction 97.5 x 61 = 5,947.5 ->
	 * -5,948. Total 17,843 - 5,948 - 5,948 = 5,947, where the 61 payable minutes at once would round 5,947.5 to
	 * 5,948: per line the total differs, and it is the sum of the lines */
	in = month_in(&f, 2025, 3, CARE_HOME, 2);
	in->visits = (struct settle_visits){.payable = 1, .rejected = 1, .unqualified = 1, .payable_minutes = 61,
					    .rejected_minutes = 61, .unqualified_minutes = 61};
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 183, 6500, 60, 900, 17843},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 61, 6500, 60,
				    -900, -5948},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 61, 6500, 60, -900,
				    -5948}},
		     3, 5947, &r);
	/* nothing payable: 122 minutes, 97.5 x 122 = 11,895; -5,948 leaves 5,947, so the second deduction is cut
	 * to -5,947 (balanced) and the month is exactly 0, never -1 */
	in->visits.payable = 0;
	in->visits.payable_minutes = 0;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 122, 6500, 60, 900, 11895},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 61, 6500, 60,
				    -900, -5948},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 61, 6500, 60, -900,
				    -5947}},
		     3, 0, &r);
	assert_false(r.lines[1].balanced);
	assert_true(r.lines[2].balanced);
}

/* ---- Shanghai ---- */

static void test_hourly_home(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 5);

	/* grade 5, 31 visits of an hour: 6,500 x 1,860 / 60 x 90 % = 181,350 */
	in->visits.payable = 31;
	in->visits.payable_minutes = 1860;
	expect_lines(sh, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350}},
		     1, 181350, &r);
	assert_int_equal(r.required_visits, 0); /* no requirement in the hourly method */
	assert_string_equal(r.lines[0].label, "上门护理服务时长");
	/* grade 2: 13 visits, 780 minutes: 6,500 x 13 x 90 % = 76,050 */
	in = month_in(&f, 2025, 3, CARE_HOME, 2);
	in->visits.payable = 13;
	in->visits.payable_minutes = 780;
	expect_lines(sh, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 780, 6500, 60, 900, 76050}},
		     1, 76050, &r);
	/* 1,800 payable minutes and 60 by an unqualified caregiver: billed 1,860 = 181,350, then all of the fund's
	 * part of the 60 minutes, 6,500 x 90 % = -5,850; 175,500 */
	in = month_in(&f, 2025, 3, CARE_HOME, 5);
	in->visits = (struct settle_visits){.payable = 30, .unqualified = 1, .payable_minutes = 1800,
					    .unqualified_minutes = 60};
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 60, 6500, 60,
				    -900, -5850}},
		     2, 175500, &r);
	/* 1,740 payable and 120 rejected: -11,700; 169,650 */
	in->visits = (struct settle_visits){.payable = 29, .rejected = 2, .payable_minutes = 1740,
					    .rejected_minutes = 120};
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 120, 6500, 60, -900,
				    -11700}},
		     2, 169650, &r);
	/* no visit in an entitled month: a line of 0 */
	in->visits = (struct settle_visits){0};
	expect_lines(sh, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 0, 6500, 60, 900, 0}}, 1, 0,
		     &r);
}

static void test_hourly_extra_hours(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 5);

	in->visits.payable = 31;
	in->visits.payable_minutes = 1860;
	/* the first month at home: no extra; 60 extra minutes are not paid */
	in->home_month = 1;
	in->visits.extra_minutes = 60;
	expect_lines(sh, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350}},
		     1, 181350, &r);
	assert_int_equal(r.extra_minutes_unpaid, 60);
	/* the 3rd month: +1 hour, 6,500 x 90 % = 5,850; 187,200 */
	in->home_month = 3;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 60, 6500, 60, 900, 5850}},
		     2, 187200, &r);
	assert_int_equal(r.extra_minutes_unpaid, 0);
	/* the 6th month, 120 delivered: still +1 hour, 60 unpaid */
	in->home_month = 6;
	in->visits.extra_minutes = 120;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 60, 6500, 60, 900, 5850}},
		     2, 187200, &r);
	assert_int_equal(r.extra_minutes_unpaid, 60);
	/* the 7th month: +2 hours, 120 minutes = 11,700 */
	in->home_month = 7;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 120, 6500, 60, 900, 11700}},
		     2, 193050, &r);
	/* the 8th, 90 delivered: 6,500 x 1.5 x 90 % = 8,775; 150 delivered: capped at 120, 11,700, 30 unpaid */
	in->home_month = 8;
	in->visits.extra_minutes = 90;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 90, 6500, 60, 900, 8775}},
		     2, 190125, &r);
	in->visits.extra_minutes = 150;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 120, 6500, 60, 900, 11700}},
		     2, 193050, &r);
	assert_int_equal(r.extra_minutes_unpaid, 30);
	/* taken as cash: 40 yuan in months 2-6, 80 from the 7th, to the beneficiary; extra minutes then unpaid */
	in->extra_choice = SETTLE_EXTRA_CASH;
	in->home_month = 3;
	in->visits.extra_minutes = 60;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, BEN, SETTLE_KIND_BASE, SETTLE_R_EXTRA_CASH, 31, 4000, 31, 1000, 4000}},
		     2, 185350, &r);
	assert_int_equal(r.extra_minutes_unpaid, 60);
	assert_int_equal(r.payee_fen[BEN], 4000);
	assert_int_equal(r.quality_base_fen, 181350);
	in->home_month = 7;
	in->visits.extra_minutes = 0;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, BEN, SETTLE_KIND_BASE, SETTLE_R_EXTRA_CASH, 31, 8000, 31, 1000, 8000}},
		     2, 189350, &r);
	/* cash for 20 days (certified from 2025-03-12): 4,000 x 20 / 31 = 2,580.65 -> 2,581 */
	f.cert[0].from = D("2025-03-12");
	in->home_month = 2;
	in->visits.payable = 20;
	in->visits.payable_minutes = 1200; /* 6,500 x 20 x 90 % = 117,000 */
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1200, 6500, 60, 900, 117000},
				   {FUND, BEN, SETTLE_KIND_BASE, SETTLE_R_EXTRA_CASH, 20, 4000, 31, 1000, 2581}},
		     2, 119581, &r);
	/* grade 4: no extra hours at any month */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->home_month = 8;
	in->visits.extra_minutes = 60;
	in->visits.payable = 22;
	in->visits.payable_minutes = 1320; /* 6,500 x 22 x 90 % = 128,700 */
	expect_lines(sh, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1320, 6500, 60, 900, 128700}},
		     1, 128700, &r);
	assert_int_equal(r.extra_minutes_unpaid, 60);
}

static void test_hourly_institution(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);

	/* grade 4, 31 days x 50 yuan x 85 % = 131,750 */
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 31, 5000, 1, 850, 131750}},
		     1, 131750, &r);
	assert_string_equal(r.lines[0].label, "机构护理天数");
	/* 3 days of home leave: 28 x 5,000 x 85 % = 119,000 */
	in->absent_days = 3;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 28, 5000, 1, 850, 119000}},
		     1, 119000, &r);
	/* certified from 2025-03-12: 20 x 5,000 x 85 % = 85,000 */
	in->absent_days = 0;
	f.cert[0].from = D("2025-03-12");
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 20, 5000, 1, 850, 85000}},
		     1, 85000, &r);
	/* in hospital 2025-03-05 to 2025-03-09: 27 x 5,000 x 85 % = 114,750 */
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	f.stays[0] = (struct settle_period){D("2025-03-05"), D("2025-03-09")};
	in->n_hospital = 1;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 27, 5000, 1, 850, 114750}},
		     1, 114750, &r);
	/* grade 2: 31 x 4,000 x 85 % = 105,400; grade 6: 31 x 6,000 x 85 % = 158,100 */
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 2);
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 31, 4000, 1, 850, 105400}},
		     1, 105400, &r);
	in->level = 6;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 31, 6000, 1, 850, 158100}},
		     1, 158100, &r);
	/* absent every entitled day: 0; one more is a caller's error */
	in->absent_days = 31;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 0, 6000, 1, 850, 0}}, 1, 0,
		     &r);
}

/* ---- variants of the scheme's rules ---- */

static void test_day_count_thirty(void **state)
{
	struct scheme *t = scheme_of(doc_with("zhoushan", "settlement", "day_count", json_string("thirty")));
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_INSTITUTION, 3);

	/* a whole month is 30/30 whatever its length: March and February both 140,000 */
	expect_lines(t, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 30, 140000, 30, 1000,
					    140000}}, 1, 140000, &r);
	assert_int_equal(r.entitled_days, 31);
	assert_int_equal(r.paid_days, 30);
	in = month_in(&f, 2025, 2, CARE_INSTITUTION, 3);
	expect_lines(t, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 30, 140000, 30, 1000,
					    140000}}, 1, 140000, &r);
	/* home, March, 20 days: 128,000 x 20 / 30 = 85,333.33 -> 85,333 (calendar: 82,581) */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 9;
	expect_lines(t, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 30, 1000,
					    85333}}, 1, 85333, &r);
	/* February from the 2nd, 27 days: 128,000 x 27 / 30 = 115,200 */
	in = month_in(&f, 2025, 2, CARE_HOME, 4);
	f.cert[0].from = D("2025-02-02");
	in->visits.payable = 12;
	expect_lines(t, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 27, 128000, 30, 1000,
					    115200}}, 1, 115200, &r);
	/* March with one hospital day: 30 entitled days of 31 count 30, the whole amount */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.stays[0] = (struct settle_period){D("2025-03-20"), D("2025-03-20")};
	in->n_hospital = 1;
	in->visits.payable = 13;
	expect_lines(t, in, (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 30, 128000, 30, 1000,
					    128000}}, 1, 128000, &r);
	scheme_free(t);
}

static void test_required_visits(void **state)
{
	struct scheme_settlement p = {0};
	static const struct {
		int vpw, days, nearest, down, up;
	} cases[] = {
		/* vpw x days / 7: 60/7 = 8.57; 93/7 = 13.29; 3/7 = 0.43; 0; 84/7 = 12; 62/7 = 8.86; 210/7 = 30;
		 * 51/7 = 7.29; 90/7 = 12.86 */
		{3, 20, 9, 8, 9}, {3, 31, 13, 13, 14}, {3, 1, 0, 0, 1}, {3, 0, 0, 0, 0}, {3, 28, 12, 12, 12},
		{2, 31, 9, 8, 9}, {7, 30, 30, 30, 30}, {3, 17, 7, 7, 8}, {3, 30, 13, 12, 13}, {0, 31, 0, 0, 0},
	};
	struct scheme *up = scheme_of(doc_with("zhoushan", "settlement.shortfall", "required_rounding",
					       json_string("up")));
	struct fixture f;
	struct settle_result r;
	struct settle_in *in;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p.required_rounding = SETTLE_REQUIRED_NEAREST;
		assert_int_equal(settle_required_visits(&p, cases[i].vpw, cases[i].days), cases[i].nearest);
		p.required_rounding = SETTLE_REQUIRED_DOWN;
		assert_int_equal(settle_required_visits(&p, cases[i].vpw, cases[i].days), cases[i].down);
		p.required_rounding = SETTLE_REQUIRED_UP;
		assert_int_equal(settle_required_visits(&p, cases[i].vpw, cases[i].days), cases[i].up);
	}
	/* through the scheme: rounding up, March needs 14; 13 is 1 short, 128,000 / 14 = 9,142.86 -> -9,143 */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->visits.payable = 13;
	expect_lines(up, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 31, 128000, 31, 1000, 128000},
				   {FUND, PROV, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, 1, 128000, 14, -1000, -9143}},
		     2, 118857, &r);
	assert_int_equal(r.required_visits, 14);
	scheme_free(up);
}

static void test_entitled_days(void **state)
{
	struct fixture f;
	struct settle_in *in = month_in(&f, 2024, 2, CARE_HOME, 4);
	uint32_t mask = 0;

	in->plan.from = D("2024-01-01");
	f.cert[0].from = D("2024-01-01");
	/* February 2024 has 29 days */
	assert_int_equal(settle_entitled_days(in, &mask), 29);
	assert_int_equal(mask, 0x1fffffffu);
	assert_int_equal(settle_entitled_days(in, NULL), 29);
	/* plan from 2024-02-10 to 2024-02-20 and certified until 2024-02-15: 10-15 */
	in->plan = (struct settle_period){D("2024-02-10"), D("2024-02-20")};
	f.cert[0].until = D("2024-02-15");
	assert_int_equal(settle_entitled_days(in, &mask), 6);
	assert_int_equal(mask, 0x7e00u);
	/* ... died 2024-02-12 (12 counts) and in hospital 2024-02-10 to 2024-02-11 (10 out, 11 is discharge): 11, 12 */
	in->death_day = D("2024-02-12");
	f.stays[0] = (struct settle_period){D("2024-02-10"), D("2024-02-11")};
	in->n_hospital = 1;
	assert_int_equal(settle_entitled_days(in, &mask), 2);
	assert_int_equal(mask, 0xc00u);
	/* a bad month */
	in->month = 13;
	assert_int_equal(settle_entitled_days(in, &mask), -1);
}

/* ---- input errors ---- */

static void expect_refused(const struct scheme *s, const struct settle_in *in, const char *field)
{
	struct settle_result r;
	struct err e = {0};

	assert_int_equal(settle_month(s, in, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, field);
	assert_true(e.msg[0] != '\0');
}

static void test_input_errors(void **state)
{
	struct fixture f;
	struct settle_in *in;
	struct scheme *bare = scheme_of(doc_with("zhoushan", "$", "settlement", NULL));
	struct settle_result r;
	struct err e = {0};

	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	expect_refused(bare, in, "scheme");
	assert_false(bare->settle.defined);
	assert_int_equal(settle_quality(bare, NULL, 100, &r.lines[0], &e), ERR_INVALID);
	scheme_free(bare);
	in->month = 13;
	expect_refused(zs, in, "month");
	in = month_in(&f, 2025, 0, CARE_HOME, 4);
	expect_refused(zs, in, "month");
	in = month_in(&f, 2025, 3, CARE_MODE_COUNT, 4);
	expect_refused(zs, in, "mode");
	in = month_in(&f, 2025, 3, -1, 4);
	expect_refused(zs, in, "mode");
	in = month_in(&f, 2025, 3, CARE_HOME, 2); /* Zhoushan: levels 3-5 only */
	expect_refused(zs, in, "level");
	in = month_in(&f, 2025, 3, CARE_FAMILY, 4); /* Shanghai has no family care */
	expect_refused(sh, in, "level");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->plan.until = D("2024-04-30");
	expect_refused(zs, in, "plan");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.cert[0].until = D("2024-04-30");
	expect_refused(zs, in, "certified[0]");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->n_certified = LIMIT_SETTLE_PERIODS + 1;
	expect_refused(zs, in, "certified");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.stays[1] = (struct settle_period){D("2025-03-05"), D("2025-03-04")};
	in->n_hospital = 2;
	expect_refused(zs, in, "hospital[1]");
	in->n_hospital = LIMIT_SETTLE_STAYS + 1;
	expect_refused(zs, in, "hospital");
	/* counts: 0 to 651 visits, 0 to 44,640 minutes */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->visits.payable = -1;
	expect_refused(zs, in, "visits.payable");
	in->visits.payable = LIMIT_SETTLE_VISITS + 1;
	expect_refused(zs, in, "visits.payable");
	in->visits.payable = LIMIT_SETTLE_VISITS;
	settle_ok(zs, in, &r);
	in->visits.payable = 0;
	in->visits.rejected = -1;
	expect_refused(zs, in, "visits.rejected");
	in->visits.rejected = 0;
	in->visits.unqualified = LIMIT_SETTLE_VISITS + 1;
	expect_refused(zs, in, "visits.unqualified");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->visits.payable_minutes = LIMIT_SETTLE_MINUTES + 1;
	expect_refused(sh, in, "visits.payable_minutes");
	in->visits.payable_minutes = LIMIT_SETTLE_MINUTES;
	settle_ok(sh, in, &r);
	in->visits.payable_minutes = 0;
	in->visits.rejected_minutes = -5;
	expect_refused(sh, in, "visits.rejected_minutes");
	in->visits.rejected_minutes = 0;
	in->visits.unqualified_minutes = -5;
	expect_refused(sh, in, "visits.unqualified_minutes");
	in->visits.unqualified_minutes = 0;
	in->home_month = -1;
	expect_refused(sh, in, "home_month");
	in->home_month = 0;
	in->extra_choice = (enum settle_extra_choice)2;
	expect_refused(sh, in, "extra_choice");
	/* visits in institutional care; extra minutes outside hourly home care; absences outside hourly
	 * institutional care, or more than the entitled days */
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	in->visits.payable = 1;
	expect_refused(zs, in, "visits");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->visits.extra_minutes = 60;
	expect_refused(zs, in, "visits.extra_minutes");
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	in->visits.extra_minutes = 60;
	expect_refused(sh, in, "visits");
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	in->absent_days = 1;
	expect_refused(zs, in, "absent_days");
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	in->absent_days = 1;
	expect_refused(sh, in, "absent_days");
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	f.cert[0].from = D("2025-03-12");
	in->absent_days = 21; /* 20 entitled */
	expect_refused(sh, in, "absent_days");
	/* adjustments: each with source, payee, an amount, a reason and a reference */
	in = month_in(&f, 2025, 3, CARE_HOME, 4);
	f.adj[0] = (struct settle_adjustment){FUND, PROV, 100, "原因", "依据", 0};
	f.adj[1] = f.adj[0];
	in->n_adjustments = 2;
	settle_ok(zs, in, &r);
	f.adj[1].reference = "";
	expect_refused(zs, in, "adjustments[1].reference");
	f.adj[1].reference = NULL;
	expect_refused(zs, in, "adjustments[1].reference");
	f.adj[1] = f.adj[0];
	f.adj[1].reason = NULL;
	expect_refused(zs, in, "adjustments[1].reason");
	f.adj[1] = f.adj[0];
	f.adj[1].amount_fen = 0;
	expect_refused(zs, in, "adjustments[1].amount_fen");
	f.adj[1].amount_fen = MONEY_MAX_FEN + 1;
	expect_refused(zs, in, "adjustments[1].amount_fen");
	f.adj[1] = f.adj[0];
	f.adj[1].source = SOURCE_COUNT;
	expect_refused(zs, in, "adjustments[1].source");
	f.adj[1] = f.adj[0];
	f.adj[1].payee = SETTLE_PAYEE_COUNT;
	expect_refused(zs, in, "adjustments[1].payee");
	f.adj[1] = f.adj[0];
	f.adj[1].ref_line_id = -1;
	expect_refused(zs, in, "adjustments[1].ref_line_id");
	f.adj[1] = f.adj[0];
	in->n_adjustments = LIMIT_SETTLE_ADJUSTMENTS + 1;
	expect_refused(zs, in, "adjustments");
	in->n_adjustments = -1;
	expect_refused(zs, in, "adjustments");
}

/* ---- properties over many generated months ---- */

static uint64_t rng_state = 88172645463325252ull;

static int rnd(int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (int)(rng_state % (uint64_t)n);
}

/* 20,000 random beneficiary-months under the shipped schemes and two variants (withhold with a tolerance, the
 * thirty-day count): every result meets check_invariants; the provider's visit lines of a source never exceed its
 * base; an unqualified visit never pays better than no visit at all. */
static void test_properties(void **state)
{
	struct scheme *w = zs_shortfall("withhold", 2);
	struct scheme *t = scheme_of(doc_with("zhoushan", "settlement", "day_count", json_string("thirty")));
	const struct scheme *schemes[] = {zs, sh, w, t};
	static const char *const months[] = {"2024-02", "2025-02", "2025-03", "2025-04", "2025-06"};

	for (int iter = 0; iter < 20000; iter++) {
		const struct scheme *s = schemes[rnd(4)];
		bool hourly = s->settle.method == SETTLE_METHOD_HOURLY;
		struct fixture f;
		struct settle_result r, r2;
		struct settle_in *in;
		const char *ym = months[rnd(5)];
		int y = atoi(ym), m = atoi(ym + 5), mode, level;
		int32_t first = date_from_ymd(y, m, 1);

		do {
			mode = rnd(CARE_MODE_COUNT);
			level = 2 + rnd(5);
		} while (!scheme_entitlement(s, (enum care_mode)mode, level));
		in = month_in(&f, y, m, mode, level);
		in->plan.from = f.cert[0].from = D("2024-01-01");
		if (rnd(3) == 0)
			f.cert[0].from = first + rnd(28);
		if (rnd(3) == 0)
			in->plan.until = first + rnd(28);
		if (rnd(4) == 0)
			in->death_day = first + rnd(28);
		if (rnd(3) == 0) {
			f.stays[0].from = first + rnd(28);
			f.stays[0].until = rnd(4) ? f.stays[0].from + rnd(6) : 0;
			in->n_hospital = 1;
		}
		in->flags[0] = rnd(2);
		in->flags[1] = rnd(2);
		in->family_attested = rnd(4) != 0;
		if (mode != CARE_INSTITUTION) {
			in->visits.payable = rnd(20);
			in->visits.rejected = rnd(4);
			in->visits.unqualified = rnd(3) ? 0 : rnd(5);
			in->visits.payable_minutes = in->visits.payable * (45 + rnd(40));
			in->visits.rejected_minutes = in->visits.rejected * (30 + rnd(40));
			in->visits.unqualified_minutes = in->visits.unqualified * (30 + rnd(61));
			if (hourly && mode == CARE_HOME) {
				in->home_month = rnd(12);
				in->visits.extra_minutes = rnd(200);
				in->extra_choice = (enum settle_extra_choice)rnd(2);
			}
		}
		settle_ok(s, in, &r);
		if (hourly && mode == CARE_INSTITUTION && r.entitled_days) {
			in->absent_days = rnd(r.entitled_days + 1);
			settle_ok(s, in, &r);
		}
		check_invariants(&r);
		if (mode != CARE_INSTITUTION && in->visits.unqualified) {
			/* the same month with the unqualified visits not made at all pays at least as much */
			in->visits.unqualified = 0;
			in->visits.unqualified_minutes = 0;
			settle_ok(s, in, &r2);
			check_invariants(&r2);
			/* within the rounding of the lines (the deducted visits being split over more lines with the
			 * unqualified ones): at most a fen a source */
			assert_true(r2.total_fen >= r.total_fen - SOURCE_COUNT);
		}
	}
	scheme_free(w);
	scheme_free(t);
}

/* ---- names and JSON ---- */

static void test_codes(void **state)
{
	for (int k = 0; k < SETTLE_KIND_COUNT; k++)
		assert_int_equal(settle_kind_parse(settle_kind_code((enum settle_kind)k)), k);
	for (int k = 0; k < SETTLE_R_COUNT; k++) {
		assert_int_equal(settle_reason_parse(settle_reason_code((enum settle_reason)k)), k);
		assert_string_not_equal(settle_reason_label((enum settle_reason)k), "未知");
	}
	for (int k = 0; k < SETTLE_PAYEE_COUNT; k++)
		assert_int_equal(settle_payee_parse(settle_payee_code((enum settle_payee)k)), k);
	for (int k = 0; k < SOURCE_COUNT; k++)
		assert_int_equal(fund_source_parse(fund_source_name((enum fund_source)k)), k);
	assert_string_equal(settle_kind_code(SETTLE_KIND_DEDUCTION_UNQUALIFIED), "deduction_unqualified");
	assert_string_equal(settle_kind_code(SETTLE_KIND_COUNT), "unknown");
	assert_string_equal(settle_kind_label((enum settle_kind)-1), "未知");
	assert_string_equal(settle_reason_code(SETTLE_R_WITHHELD), "withheld");
	assert_string_equal(settle_reason_code(SETTLE_R_COUNT), "unknown");
	assert_string_equal(settle_payee_code(SETTLE_PAYEE_FAMILY_CAREGIVER), "family_caregiver");
	assert_string_equal(settle_payee_label(SETTLE_PAYEE_COUNT), "未知");
	assert_string_equal(settle_qty_code(SETTLE_QTY_MINUTES), "minutes");
	assert_string_equal(settle_qty_code(SETTLE_QTY_COUNT), "unknown");
	assert_string_equal(fund_source_name(SOURCE_SUPPLEMENTARY), "supplementary");
	assert_string_equal(fund_source_label(SOURCE_FUND), "长护险基金");
	assert_string_equal(fund_source_label(SOURCE_COUNT), "未知");
	assert_string_equal(settle_flag_name(SETTLE_FLAG_ASSISTANCE), "assistance");
	assert_int_equal(settle_flag_parse("supplementary_insured"), SETTLE_FLAG_SUPPLEMENTARY_INSURED);
	assert_int_equal(settle_flag_parse("zhouhuibao"), -1);
	assert_int_equal(settle_kind_parse(NULL), -1);
	assert_int_equal(settle_reason_parse("Base"), -1);
	assert_int_equal(fund_source_parse(""), -1);
}

static void test_json(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_in *in = month_in(&f, 2025, 3, CARE_FAMILY, 3);
	json_t *j, *l, *x;

	f.cert[0].from = D("2025-03-30");
	in->visits.payable = 1;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	settle_ok(zs, in, &r);
	j = settle_result_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "entitled_days")), 2);
	x = json_object_get(j, "entitled_days_list");
	assert_int_equal(json_array_size(x), 2);
	assert_int_equal(json_integer_value(json_array_get(x, 0)), 30);
	assert_int_equal(json_integer_value(json_array_get(x, 1)), 31);
	/* 78,000 x 2 / 31 = 5,032.26 -> 5,032; 50,000 x 2 / 31 = 3,225.81 -> 3,226; 3,200 x 2 / 31 = 206.45 -> 206;
	 * required 2 x 2 / 7 = 0.57 -> 1, made */
	assert_int_equal(json_integer_value(json_object_get(j, "total_fen")), 5032 + 3226 + 206);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "by_payee"), "family_caregiver")), 3226);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "by_source"), "supplementary")), 206);
	assert_int_equal(json_integer_value(json_object_get(j, "required_visits")), 1);
	l = json_array_get(json_object_get(j, "lines"), 2);
	assert_string_equal(json_string_value(json_object_get(l, "source")), "supplementary");
	assert_string_equal(json_string_value(json_object_get(l, "source_label")), "补充保险");
	assert_string_equal(json_string_value(json_object_get(l, "payee")), "provider");
	assert_string_equal(json_string_value(json_object_get(l, "kind")), "base");
	assert_string_equal(json_string_value(json_object_get(l, "reason")), "supplement");
	assert_string_equal(json_string_value(json_object_get(l, "label")), "舟惠保护理服务");
	assert_string_equal(json_string_value(json_object_get(l, "unit")), "days");
	assert_int_equal(json_integer_value(json_object_get(l, "quantity")), 2);
	assert_int_equal(json_integer_value(json_object_get(l, "unit_fen")), 3200);
	assert_int_equal(json_integer_value(json_object_get(l, "divisor")), 31);
	assert_int_equal(json_integer_value(json_object_get(l, "rate_permille")), 1000);
	assert_int_equal(json_integer_value(json_object_get(l, "amount_fen")), 206);
	assert_false(json_is_true(json_object_get(l, "balanced")));
	json_decref(j);

	/* the scheme's settlement rules */
	j = scheme_settlement_json(zs);
	assert_true(json_is_true(json_object_get(j, "defined")));
	assert_string_equal(json_string_value(json_object_get(j, "method")), "monthly_prorated");
	assert_string_equal(json_string_value(json_object_get(j, "day_count")), "calendar");
	assert_string_equal(json_string_value(json_object_get(j, "rounding")), "half_up");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "shortfall"), "policy")), "prorate");
	x = json_array_get(json_object_get(j, "supplements"), 0);
	assert_string_equal(json_string_value(json_object_get(x, "name")), "舟惠保");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(x, "monthly_fen"), "institution")), 6000);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "quality"), "default_permille")), 1000);
	assert_true(json_is_string(json_object_get(j, "note")));
	json_decref(j);
	j = scheme_settlement_json(sh);
	assert_string_equal(json_string_value(json_object_get(j, "method")), "hourly");
	assert_true(json_is_null(json_object_get(j, "shortfall")));
	assert_int_equal(json_array_size(json_object_get(j, "extra_hours")), 2);
	x = json_array_get(json_object_get(j, "institution_daily"), 4); /* levels 2, 3, 4, 5, 6 */
	assert_int_equal(json_integer_value(json_object_get(x, "level")), 6);
	assert_int_equal(json_integer_value(json_object_get(x, "daily_fen")), 6000);
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "quality"), "grades")), 3);
	json_decref(j);
	{
		struct scheme *bare = scheme_of(doc_with("zhoushan", "$", "settlement", NULL));
		j = scheme_settlement_json(bare);
		assert_false(json_is_true(json_object_get(j, "defined")));
		assert_true(json_is_null(json_object_get(j, "method")));
		assert_int_equal(json_array_size(json_object_get(j, "supplements")), 0);
		json_decref(j);
		scheme_free(bare);
	}
}

/* ---- the settlement section of the scheme files ---- */

static void test_scheme_shipped(void **state)
{
	const struct scheme_settlement *p = &zs->settle;
	const struct scheme_supplement *x;

	/* Zhoushan */
	assert_true(p->defined);
	assert_int_equal(p->method, SETTLE_METHOD_MONTHLY_PRORATED);
	assert_int_equal(p->day_count, SETTLE_DAYS_CALENDAR);
	assert_int_equal(p->shortfall, SETTLE_SHORTFALL_PRORATE);
	assert_int_equal(p->tolerance_visits, 0);
	assert_int_equal(p->required_rounding, SETTLE_REQUIRED_NEAREST);
	assert_int_equal(p->n_supplements, 2);
	x = scheme_supplement(zs, SOURCE_SUPPLEMENTARY);
	assert_non_null(x);
	assert_int_equal(x->flag, SETTLE_FLAG_SUPPLEMENTARY_INSURED);
	assert_string_equal(x->name, "舟惠保");
	assert_int_equal(x->monthly_fen[CARE_HOME], 3200);
	assert_int_equal(x->monthly_fen[CARE_FAMILY], 3200);
	assert_int_equal(x->monthly_fen[CARE_INSTITUTION], 6000);
	x = scheme_supplement(zs, SOURCE_ASSISTANCE);
	assert_int_equal(x->flag, SETTLE_FLAG_ASSISTANCE);
	assert_int_equal(x->monthly_fen[CARE_HOME], 40000);
	assert_int_equal(x->monthly_fen[CARE_INSTITUTION], 40000);
	assert_null(scheme_supplement(zs, SOURCE_FUND));
	assert_int_equal(p->quality_default_pm, 1000);
	assert_int_equal(p->n_grades, 0);
	assert_int_equal(p->n_extra, 0);
	/* Shanghai */
	p = &sh->settle;
	assert_int_equal(p->method, SETTLE_METHOD_HOURLY);
	assert_int_equal(p->n_supplements, 0);
	assert_int_equal(p->n_extra, 2);
	assert_true(p->extra[0].levels[5] && p->extra[0].levels[6] && !p->extra[0].levels[4]);
	assert_int_equal(p->extra[0].from_month, 2);
	assert_int_equal(p->extra[0].until_month, 6);
	assert_int_equal(p->extra[0].minutes, 60);
	assert_int_equal(p->extra[0].cash_fen, 4000);
	assert_int_equal(p->extra[1].from_month, 7);
	assert_int_equal(p->extra[1].until_month, 0);
	assert_int_equal(p->extra[1].minutes, 120);
	assert_int_equal(p->extra[1].cash_fen, 8000);
	assert_int_equal(p->institution_daily_fen[2], 4000);
	assert_int_equal(p->institution_daily_fen[3], 4000);
	assert_int_equal(p->institution_daily_fen[4], 5000);
	assert_int_equal(p->institution_daily_fen[5], 6000);
	assert_int_equal(p->institution_daily_fen[6], 6000);
	assert_int_equal(p->institution_daily_fen[1], 0);
	assert_int_equal(p->n_grades, 3);
}

static void test_scheme_problems_monthly(void **state)
{
	const char *s0 = "settlement.supplements[0]";

	expect_one(doc_with("zhoushan", "settlement", "colour", json_string("red")), "$.settlement.colour",
		   "unknown field");
	expect_one(doc_with("zhoushan", "settlement", "note", json_integer(1)), "$.settlement.note",
		   "must be a string");
	expect_one(doc_with("zhoushan", "settlement", "method", json_string("weekly")), "$.settlement.method",
		   "must be 'monthly_prorated' (a monthly sum pro-rated by entitled days) or 'hourly' (hours and days "
		   "at a price)");
	expect_one(doc_with("zhoushan", "settlement", "method", NULL), "$.settlement.method",
		   "required string is missing");
	expect_one(doc_with("zhoushan", "settlement", "day_count", json_string("actual")), "$.settlement.day_count",
		   "must be 'calendar' or 'thirty'");
	expect_one(doc_with("zhoushan", "settlement", "rounding", json_string("down")), "$.settlement.rounding",
		   "must be 'half_up' (each line to the fen, halves away from zero)");
	expect_one(doc_with("zhoushan", "settlement", "rounding", NULL), "$.settlement.rounding",
		   "required string is missing");
	/* shortfall */
	expect_one(doc_with("zhoushan", "settlement", "shortfall", NULL), "$.settlement.shortfall",
		   "required object is missing");
	expect_one(doc_with("zhoushan", "settlement.shortfall", "policy", json_string("skip")),
		   "$.settlement.shortfall.policy",
		   "must be 'prorate' (amount x delivered / required) or 'withhold' (nothing when short)");
	expect_one(doc_with("zhoushan", "settlement.shortfall", "tolerance_visits", json_integer(32)),
		   "$.settlement.shortfall.tolerance_visits", "must be between 0 and 31 (is 32)");
	expect_one(doc_with("zhoushan", "settlement.shortfall", "tolerance_visits", json_integer(-1)),
		   "$.settlement.shortfall.tolerance_visits", "must be between 0 and 31 (is -1)");
	expect_one(doc_with("zhoushan", "settlement.shortfall", "required_rounding", json_string("ceil")),
		   "$.settlement.shortfall.required_rounding", "must be 'nearest', 'down' or 'up'");
	expect_one(doc_with("zhoushan", "settlement.shortfall", "grace", json_integer(1)),
		   "$.settlement.shortfall.grace", "unknown field");
	scheme_free(scheme_of(doc_with("zhoushan", "settlement.shortfall", "tolerance_visits", json_integer(31))));
	/* supplements */
	expect_one(doc_with("zhoushan", s0, "source", json_string("fund")), "$.settlement.supplements[0].source",
		   "must be 'supplementary' or 'assistance' (the fund pays through $.care.entitlements)");
	expect_one(doc_with("zhoushan", s0, "source", json_string("zhouhuibao")),
		   "$.settlement.supplements[0].source",
		   "must be 'supplementary' or 'assistance' (the fund pays through $.care.entitlements)");
	expect_one(doc_with("zhoushan", "settlement.supplements[1]", "source", json_string("supplementary")),
		   "$.settlement.supplements[1].source", "source 'supplementary' is given twice");
	expect_one(doc_with("zhoushan", s0, "flag", json_string("vip")), "$.settlement.supplements[0].flag",
		   "must be 'supplementary_insured' or 'assistance'");
	expect_one(doc_with("zhoushan", s0, "name", NULL), "$.settlement.supplements[0].name",
		   "required string is missing");
	expect_one(doc_with("zhoushan", s0, "label", json_string("")), "$.settlement.supplements[0].label",
		   "must not be empty");
	expect_one(doc_with("zhoushan", "settlement.supplements[0].monthly_fen", "daycare", json_integer(100)),
		   "$.settlement.supplements[0].monthly_fen.daycare", "unknown care mode (home, family or institution)");
	expect_one(doc_with("zhoushan", "settlement.supplements[0].monthly_fen", "home", json_integer(-1)),
		   "$.settlement.supplements[0].monthly_fen.home", "must be between 0 and 100000000 (is -1)");
	expect_one(doc_with("zhoushan", s0, "monthly_fen", json_pack("{s:i}", "home", 0)),
		   "$.settlement.supplements[0].monthly_fen", "at least one mode must be above 0");
	expect_one(doc_with("zhoushan", s0, "monthly_fen", json_object()), "$.settlement.supplements[0].monthly_fen",
		   "must give the amount a month of at least one mode");
	expect_one(doc_with("zhoushan", s0, "monthly_fen", NULL), "$.settlement.supplements[0].monthly_fen",
		   "required object is missing");
	expect_one(doc_with("zhoushan", s0, "payer", json_string("x")), "$.settlement.supplements[0].payer",
		   "unknown field");
	{
		json_t *doc = load_doc("zhoushan");
		json_array_append(at(doc, "settlement.supplements"), at(doc, "settlement.supplements[0]"));
		expect_one(doc, "$.settlement.supplements", "must be an array of at most 2 supplements (one per source)");
		doc = doc_with("zhoushan", "settlement", "supplements", json_array());
		scheme_free(scheme_of(doc)); /* none is fine */
		/* a mode the care section does not offer */
		doc = load_doc("zhoushan");
		json_array_remove(at(doc, "care.entitlements"), 1); /* family */
		{
			static const struct expected want[] = {
				{"$.settlement.supplements[0].monthly_fen.family", "family care is not offered ($.care)"},
				{"$.settlement.supplements[1].monthly_fen.family", "family care is not offered ($.care)"},
			};
			expect_all(doc, want, 2);
		}
	}
	/* quality */
	expect_one(doc_with("zhoushan", "settlement", "quality", NULL), "$.settlement.quality",
		   "required object is missing");
	expect_one(doc_with("zhoushan", "settlement.quality", "default_permille", json_integer(499)),
		   "$.settlement.quality.default_permille", "must be between 500 and 1500 (is 499)");
	expect_one(doc_with("zhoushan", "settlement.quality", "default_permille", json_integer(1501)),
		   "$.settlement.quality.default_permille", "must be between 500 and 1500 (is 1501)");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades", NULL), "$.settlement.quality.grades",
		   "must be an array of at most 16 grades {grade, permille}");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades",
			    json_pack("[{s:s, s:i}, {s:s, s:i}]", "grade", "A", "permille", 1000, "grade", "A",
				      "permille", 900)),
		   "$.settlement.quality.grades[1].grade", "grade 'A' is given twice");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades",
			    json_pack("[{s:s, s:i}]", "grade", "A B", "permille", 1000)),
		   "$.settlement.quality.grades[0].grade", "must not contain spaces");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades",
			    json_pack("[{s:s, s:i}]", "grade", "A", "permille", 2000)),
		   "$.settlement.quality.grades[0].permille", "must be between 500 and 1500 (is 2000)");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades", json_pack("[{s:s}]", "grade", "A")),
		   "$.settlement.quality.grades[0].permille", "required integer is missing");
	expect_one(doc_with("zhoushan", "settlement.quality", "grades", json_pack("[s]", "A")),
		   "$.settlement.quality.grades[0]", "must be an object {grade, permille}");
	/* hourly-only parts in a monthly scheme */
	expect_one(doc_with("zhoushan", "settlement", "extra_hours", json_array()), "$.settlement.extra_hours",
		   "only for hourly: extra hours are billed at the hourly price");
	expect_one(doc_with("zhoushan", "settlement", "institution_daily", json_array()),
		   "$.settlement.institution_daily",
		   "only for hourly: monthly_prorated pays institutional care by the month ($.care.entitlements)");
	/* the method against the entitlements: Zhoushan's home care is a monthly sum, not an hourly price */
	{
		static const struct expected want[] = {
			{"$.settlement.shortfall", "only for monthly_prorated: the hourly method pays the minutes "
						   "delivered"},
			{"$.settlement.supplements", "only for monthly_prorated: supplements are monthly amounts that "
						     "follow the month's visits"},
			{"$.settlement.method", "hourly needs visit_price_fen in every home and family entitlement "
						"($.care.entitlements: home level 3 has none)"},
			{"$.settlement.method", "hourly needs visit_price_fen in every home and family entitlement "
						"($.care.entitlements: family level 3 has none)"},
			{"$.settlement.institution_daily", "required: hourly settlement pays institutional care by the "
							   "day and $.care offers it"},
		};
		expect_all(doc_with("zhoushan", "settlement", "method", json_string("hourly")), want,
			   sizeof want / sizeof want[0]);
	}
	/* several problems at once, each with its path, in one run */
	{
		static const struct expected want[] = {
			{"$.settlement.day_count", "must be 'calendar' or 'thirty'"},
			{"$.settlement.shortfall.tolerance_visits", "must be between 0 and 31 (is 40)"},
			{"$.settlement.supplements[1].flag", "must be 'supplementary_insured' or 'assistance'"},
			{"$.settlement.quality.default_permille", "must be between 500 and 1500 (is 0)"},
		};
		json_t *doc = doc_with("zhoushan", "settlement", "day_count", json_string("365"));
		json_object_set_new(at(doc, "settlement.shortfall"), "tolerance_visits", json_integer(40));
		json_object_set_new(at(doc, "settlement.supplements[1]"), "flag", json_string("poor"));
		json_object_set_new(at(doc, "settlement.quality"), "default_permille", json_integer(0));
		expect_all(doc, want, sizeof want / sizeof want[0]);
	}
	/* without a care section the section loads unchecked, and nothing can be settled */
	{
		struct scheme *s = scheme_of(doc_with("zhoushan", "$", "care", NULL));
		struct fixture f;
		assert_true(s->settle.defined);
		expect_refused(s, month_in(&f, 2025, 3, CARE_HOME, 4), "scheme");
		scheme_free(s);
	}
}

static void test_scheme_problems_hourly(void **state)
{
	const char *e0 = "settlement.extra_hours[0]", *e1 = "settlement.extra_hours[1]";

	expect_one(doc_with("shanghai", "settlement", "shortfall", json_object()), "$.settlement.shortfall",
		   "only for monthly_prorated: the hourly method pays the minutes delivered");
	expect_one(doc_with("shanghai", "settlement", "supplements", json_array()), "$.settlement.supplements",
		   "only for monthly_prorated: supplements are monthly amounts that follow the month's visits");
	/* institutional daily rates */
	expect_one(doc_with("shanghai", "settlement", "institution_daily", NULL), "$.settlement.institution_daily",
		   "required: hourly settlement pays institutional care by the day and $.care offers it");
	expect_one(doc_with("shanghai", "settlement", "institution_daily", json_array()),
		   "$.settlement.institution_daily", "must be a non-empty array of {levels, daily_fen}");
	expect_one(doc_with("shanghai", "settlement.institution_daily[2]", "levels", json_pack("[i]", 5)),
		   "$.settlement.institution_daily", "no daily rate for institutional level 6");
	{
		static const struct expected want[] = {
			{"$.settlement.institution_daily[1].levels", "level 3 already has a daily rate"},
			{"$.settlement.institution_daily", "no daily rate for institutional level 4"},
		};
		expect_all(doc_with("shanghai", "settlement.institution_daily[1]", "levels", json_pack("[i]", 3)), want,
			   2);
	}
	expect_one(doc_with("shanghai", "settlement.institution_daily[0]", "daily_fen", json_integer(0)),
		   "$.settlement.institution_daily[0].daily_fen", "must be between 1 and 100000000 (is 0)");
	expect_one(doc_with("shanghai", "settlement.institution_daily[0]", "levels", json_pack("[i,i,i]", 2, 3, 1)),
		   "$.settlement.institution_daily[0].levels[2]", "level 1 has no institution entitlement "
								  "($.care.entitlements)");
	expect_one(doc_with("shanghai", "settlement.institution_daily[0]", "levels", json_pack("[i,i,i]", 2, 3, 9)),
		   "$.settlement.institution_daily[0].levels[2]", "no level 9 in $.levels");
	expect_one(doc_with("shanghai", "settlement.institution_daily[0]", "fen", json_integer(1)),
		   "$.settlement.institution_daily[0].fen", "unknown field");
	/* extra hours */
	expect_one(doc_with("shanghai", e1, "from_month", json_integer(6)), "$.settlement.extra_hours[1]",
		   "level 5 already has extra hours in month 6 (extra_hours[0])");
	expect_one(doc_with("shanghai", e0, "until_month", json_integer(1)), "$.settlement.extra_hours[0].until_month",
		   "must be 0 (open) or at least from_month (2)");
	expect_one(doc_with("shanghai", e0, "from_month", json_integer(0)), "$.settlement.extra_hours[0].from_month",
		   "must be between 1 and 120 (is 0)");
	expect_one(doc_with("shanghai", e0, "until_month", NULL), "$.settlement.extra_hours[0].until_month",
		   "required integer is missing");
	expect_one(doc_with("shanghai", e0, "minutes", json_integer(1441)), "$.settlement.extra_hours[0].minutes",
		   "must be between 0 and 1440 (is 1441)");
	expect_one(doc_with("shanghai", e0, "cash_fen", json_integer(-1)), "$.settlement.extra_hours[0].cash_fen",
		   "must be between 0 and 100000000 (is -1)");
	{
		json_t *doc = doc_with("shanghai", e0, "minutes", json_integer(0));
		json_object_set_new(at(doc, e0), "cash_fen", json_integer(0));
		expect_one(doc, "$.settlement.extra_hours[0]", "give minutes or cash_fen above 0");
	}
	expect_one(doc_with("shanghai", e0, "levels", json_pack("[i,i]", 5, 5)),
		   "$.settlement.extra_hours[0].levels[1]", "level 5 is listed twice");
	expect_one(doc_with("shanghai", e0, "levels", json_pack("[i]", 1)), "$.settlement.extra_hours[0].levels[0]",
		   "level 1 has no home entitlement ($.care.entitlements)");
	expect_one(doc_with("shanghai", e0, "levels", json_array()), "$.settlement.extra_hours[0].levels",
		   "must be a non-empty array of levels");
	expect_one(doc_with("shanghai", e0, "levels", json_pack("[s]", "5")), "$.settlement.extra_hours[0].levels[0]",
		   "must be a level number");
	/* different levels may share months; an open entry after a closed one is fine */
	scheme_free(scheme_of(doc_with("shanghai", e1, "levels", json_pack("[i]", 4))));
	scheme_free(scheme_of(doc_with("shanghai", "settlement", "extra_hours", json_array())));
	/* the method against the entitlements: Shanghai's home care has no monthly sum */
	{
		static const struct expected want[] = {
			{"$.settlement.shortfall", "required object is missing"},
			{"$.settlement.extra_hours", "only for hourly: extra hours are billed at the hourly price"},
			{"$.settlement.institution_daily", "only for hourly: monthly_prorated pays institutional care by "
							   "the month ($.care.entitlements)"},
			{"$.settlement.method", "monthly_prorated needs monthly_fen in every entitlement "
						"($.care.entitlements: home level 2 has none)"},
		};
		expect_all(doc_with("shanghai", "settlement", "method", json_string("monthly_prorated")), want,
			   sizeof want / sizeof want[0]);
	}
}

/* ---- the worked examples of docs/SCHEMES.md, "Settlement" ---- */

static void test_docs_examples(void **state)
{
	struct fixture f;
	struct settle_result r;
	struct settle_line q;
	struct err e = {0};
	struct settle_in *in = month_in(&f, 2025, 3, CARE_HOME, 4);

	/* Zhoushan: certified from 2025-03-12 (20 days), holds 舟惠保, 8 payable visits and 1 by an unqualified
	 * caregiver, 9 required. Fund 128,000 x 20 / 31 = 82,580.65 -> 82,581, the unqualified visit 82,581 / 9 =
	 * 9,175.67 -> -9,176; 舟惠保 3,200 x 20 / 31 = 2,064.52 -> 2,065, -2,065 / 9 = -229.44 -> -229.
	 * 82,581 - 9,176 + 2,065 - 229 = 75,241 (752.41 yuan) */
	f.cert[0].from = D("2025-03-12");
	in->visits.payable = 8;
	in->visits.unqualified = 1;
	in->flags[SETTLE_FLAG_SUPPLEMENTARY_INSURED] = true;
	expect_lines(zs, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_MONTHLY, 20, 128000, 31, 1000, 82581},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 1, 82581, 9,
				    -1000, -9176},
				   {SUPP, PROV, SETTLE_KIND_BASE, SETTLE_R_SUPPLEMENT, 20, 3200, 31, 1000, 2065},
				   {SUPP, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 1, 2065, 9, -1000,
				    -229}},
		     4, 75241, &r);
	assert_int_equal(r.source_fen[FUND], 73405);
	assert_int_equal(r.source_fen[SUPP], 1836);
	/* the same month with 7 payable, 1 rejected and 1 unqualified: short 2, -9,176 (unqualified) and -9,176
	 * (rejected) on the fund, -229 and -229 on 舟惠保: 82,581 - 18,352 + 2,065 - 458 = 65,836 */
	in->visits.payable = 7;
	in->visits.rejected = 1;
	settle_ok(zs, in, &r);
	check_invariants(&r);
	assert_int_equal(r.total_fen, 65836);

	/* Shanghai: grade 5 at home, the 7th month of home care, 29 verified visits (1,740 min), 1 rejected and 1
	 * unqualified (60 min each), 120 extra minutes. 6,500 x 1,860 / 60 x 90 % = 181,350; -5,850; -5,850;
	 * extra 6,500 x 120 / 60 x 90 % = 11,700; total 181,350 (1,813.50 yuan). A grade-C provider with only this
	 * beneficiary: 181,350 x -50 / 1000 = -9,067.5 -> -9,068; statement 172,282 */
	in = month_in(&f, 2025, 3, CARE_HOME, 5);
	in->visits = (struct settle_visits){.payable = 29, .rejected = 1, .unqualified = 1, .payable_minutes = 1740,
					    .rejected_minutes = 60, .unqualified_minutes = 60, .extra_minutes = 120};
	in->home_month = 7;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_HOURS, 1860, 6500, 60, 900, 181350},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, 60, 6500, 60,
				    -900, -5850},
				   {FUND, PROV, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, 60, 6500, 60, -900,
				    -5850},
				   {FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS, 120, 6500, 60, 900, 11700}},
		     4, 181350, &r);
	assert_int_equal(settle_quality(sh, "C", r.quality_base_fen, &q, &e), 0);
	assert_int_equal(q.amount_fen, -9068);
	assert_int_equal(r.total_fen + q.amount_fen, 172282);
	/* grade 4 in an institution, 2 days of home leave: 29 x 5,000 x 85 % = 123,250 (1,232.50 yuan) */
	in = month_in(&f, 2025, 3, CARE_INSTITUTION, 4);
	in->absent_days = 2;
	expect_lines(sh, in,
		     (struct wl[]){{FUND, PROV, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS, 29, 5000, 1, 850, 123250}},
		     1, 123250, &r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_month),
		cmocka_unit_test(test_partial_months),
		cmocka_unit_test(test_death),
		cmocka_unit_test(test_hospital_days),
		cmocka_unit_test(test_shortfall_prorate),
		cmocka_unit_test(test_shortfall_withhold_and_tolerance),
		cmocka_unit_test(test_unqualified),
		cmocka_unit_test(test_family_care),
		cmocka_unit_test(test_supplementary_sources),
		cmocka_unit_test(test_adjustments),
		cmocka_unit_test(test_quality),
		cmocka_unit_test(test_statement_total),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_hourly_home),
		cmocka_unit_test(test_hourly_extra_hours),
		cmocka_unit_test(test_hourly_institution),
		cmocka_unit_test(test_day_count_thirty),
		cmocka_unit_test(test_required_visits),
		cmocka_unit_test(test_entitled_days),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_scheme_shipped),
		cmocka_unit_test(test_scheme_problems_monthly),
		cmocka_unit_test(test_scheme_problems_hourly),
		cmocka_unit_test(test_docs_examples),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
