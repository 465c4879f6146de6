/* demo_settle.c: the demo's settlement (part of the demo, see demo.h): the providers' bank accounts, the
 * supplementary insurance (舟惠保) held by most beneficiaries, a second region-wide bureau account for the second
 * review, the last full month's remaining exceptions decided, that month settled, published, reviewed twice,
 * approved and posted to the fund, and the city sized like Zhoushan so that the fund's usage rate is the seed's:
 *
 * Seed 001 counts 1,009,200 insured and 3,222 beneficiaries (0.32 %): the registry of a real city is three hundred
 * times its beneficiaries. The demo registry holds only 2,000 persons in detail, with far more beneficiaries among
 * them than a real population has (the demo needs cases to show). So the demo city is given the insured population
 * of its beneficiaries at Zhoushan's ratio (beneficiaries settled x 1,009,200 / 3,222), and the contributions of the
 * insured not in the registry are booked as the transfer the tax bureau makes in aggregate (税务征收划转, one
 * posting per payer and year, in the registry's proportions, 90 yuan a head like everyone else). With the fund
 * paying each beneficiary-month about what Zhoushan's did (48.06 M yuan / 12 / 3,222 = 1,243 yuan), the year's
 * usage rate (a month's spending x 12 / a year's contributions) then comes out near the seed's 53.4 %. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/str.h"
#include "scheme/scheme.h"
#include "svc/audit.h"
#include "svc/demo_registry.h"
#include "svc/fund.h"
#include "svc/scope.h"
#include "svc/settlement.h"

/* Seed 001 (Zhoushan, May 2024 - April 2025): insured persons and beneficiaries at the end of April 2025. */
#define SEED_INSURED 1009200
#define SEED_BENEFICIARIES 3222

static int64_t id_of(struct db *db, const char *sql, const char *key)
{
	int64_t id = 0;
	struct err e;

	if (db_int(db, &id, &e, sql, DB_TEXT(key)))
		return 0;
	return id;
}

/* A signed-in bureau account acting (reviews and approval are signed by people). */
static int as_user(struct db *db, const char *username, struct actor *a, struct err *e)
{
	int64_t uid = id_of(db, "SELECT id FROM users WHERE username = $1", username);
	int64_t area = id_of(db, "SELECT area_id FROM users WHERE username = $1", username);

	memset(a, 0, sizeof *a);
	a->kind = ACTOR_USER;
	a->id = a->user_id = uid;
	a->role = ROLE_BUREAU;
	str_copy(a->username, username, sizeof a->username);
	str_copy(a->ip, "demo", sizeof a->ip);
	if (!uid)
		return err_set(e, ERR_INTERNAL, NULL, "demo account %s missing", username);
	return scope_fill_actor(db, a, area, 0, e);
}

static int prepare(struct db *db, const struct scheme *s, const char *hash, const char *first, const char *last,
		   struct err *e)
{
	static const struct {
		const char *code, *bank, *account;
	} banks[] = {
		{"P0001", "中国工商银行江海分行营业部", "1209 0012 0910 0088 216"},
		{"P0002", "中国农业银行江海临江支行", "1957 0101 0400 2311 7"},
		{"P0003", "中国建设银行江海海湾支行", "3305 0163 2700 0900 0127"},
		{"P0004", "江海农村商业银行枫林支行", "2010 0003 4455 6601"},
		{"P0005", "中国银行江海分行", "3578 6852 1149"},
		{"P0006", "江海农村商业银行青屿支行", "2010 0003 7781 2209"},
		{"P0007", "中国工商银行江海盐田支行", "1209 0012 0920 0341 877"},
		{"P0008", "交通银行江海分行", "3350 0066 1018 0100 4521 6"},
		{"P0009", "中国邮政储蓄银行江海分行", "9330 0001 0012 3456 78"},
		{"P0010", "江海农村商业银行盐田支行", "2010 0003 9902 1134"},
	};
	const struct scheme_supplement *sup = scheme_supplement(s, SOURCE_SUPPLEMENTARY);
	int64_t now = date_now_unix(), region = id_of(db, "SELECT id FROM areas WHERE parent_id IS NULL AND code = $1", "339900");
	int32_t today = date_today_cn();
	int y, m, d, rc;

	date_to_ymd(today, &y, &m, &d);
	rc = db_begin(db, e);
	for (size_t i = 0; !rc && i < sizeof banks / sizeof banks[0]; i++)
		rc = db_exec(db, NULL, e, "UPDATE providers SET bank_name = $1, bank_account = $2 WHERE code = $3",
			     DB_TEXT(banks[i].bank), DB_TEXT(banks[i].account), DB_TEXT(banks[i].code));
	/* the fund's accountant, for the second review */
	if (!rc && region)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO users (username, display_name, role, area_id, password_hash, must_change_password,"
			     " password_changed_at, created_at, updated_at) VALUES ('bureau02', '孙丽（基金财务）', 'bureau', $1, $2,"
			     " 0, $3, $3, $3)",
			     DB_INT(region), DB_TEXT(hash), DB_INT(now));
	/* 舟惠保: nearly nine beneficiaries in ten hold it (seed 001: over 85 %), bought by the calendar year */
	for (int k = 1; !rc && sup && k >= 0; k--) {
		char from[DATE_STR], until[DATE_STR], prefix[24];
		snprintf(from, sizeof from, "%04d-01-01", y - k);
		snprintf(until, sizeof until, "%04d-12-31", y - k);
		snprintf(prefix, sizeof prefix, "ZHB%04d-", y - k);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO supplementary_policies (person_id, insurer, policy_no, valid_from, valid_until, source,"
			     " recorded_by, recorded_at) SELECT p.id, $1, $2 || CAST(p.id AS TEXT), $3, $4, 'demo', 'system:demo', $5"
			     " FROM persons p WHERE p.id IN (SELECT person_id FROM certifications WHERE qualifies = 1)"
			     " AND (p.id * 37) % 100 < 88",
			     DB_TEXT(sup->name), DB_TEXT(prefix), DB_TEXT(from), DB_TEXT(until), DB_INT(now));
	}
	/* before settling the month the bureau decides its exceptions: those the provider never explained are not
	 * accepted, the explained ones as the demo decides the others (demo_visits.c) */
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE visits SET review_state = CASE WHEN review_state = 'open' OR reasons % 2 = 1 OR id % 4 = 0"
			     " THEN 'rejected' ELSE 'accepted' END, decision_note = CASE WHEN review_state = 'open'"
			     " THEN '机构逾期未说明，不予认可' ELSE '经核查' END, decided_by = 'bureau', decided_at = $1"
			     " WHERE verify_state = 'exception' AND review_state IN ('open', 'explained') AND visit_date >= $2"
			     " AND visit_date <= $3",
			     DB_INT(now), DB_TEXT(first), DB_TEXT(last));
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

/* The contributions of the insured outside the registry: the city has beneficiaries x SEED_INSURED /
 * SEED_BENEFICIARIES insured; the registry's payers' shares scaled to the rest, one posting per payer and year. */
static int size_city(struct db *db, struct actor *sys, int beneficiaries, int64_t *insured, struct err *e)
{
	int32_t today = date_today_cn();
	int y, m, d, rc = 0;

	date_to_ymd(today, &y, &m, &d);
	*insured = ((int64_t)beneficiaries * SEED_INSURED + SEED_BENEFICIARIES / 2) / SEED_BENEFICIARIES;
	for (int k = 1; !rc && k >= 0; k--) {
		struct db_stmt *st = NULL;
		int64_t registry = 0, rest, amounts[PAYER_COUNT] = {0};
		char when[DATE_STR], ref[16], note[160];
		rc = db_int(db, &registry, e, "SELECT COUNT(DISTINCT person_id) FROM contributions WHERE year = $1",
			    DB_INT(y - k));
		if (rc || registry == 0 || *insured <= registry)
			continue;
		rest = *insured - registry;
		rc = db_query(db, &st, e, "SELECT payer, SUM(amount_fen) FROM contributions WHERE year = $1 GROUP BY payer",
			      DB_INT(y - k));
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			int p = payer_parse(db_col_text(st, 0));
			rc = 0;
			if (p >= 0)
				amounts[p] = money_mul_ratio(db_col_int(st, 1), rest, registry);
		}
		db_done(st);
		if (rc != DB_DONE && rc)
			break;
		rc = db_begin(db, e);
		snprintf(when, sizeof when, "%04d-01-20", y - k);
		snprintf(ref, sizeof ref, "%d", y - k);
		for (int p = 0; !rc && p < PAYER_COUNT; p++) {
			struct fund_posting post = {when, "income", payer_name((enum payer)p), amounts[p], "contribution_transfer",
						    ref, note};
			if (!amounts[p])
				continue;
			snprintf(note, sizeof note, "%d年度筹资：登记册外%lld名参保人（税务征收汇总划转，演示数据）", y - k,
				 (long long)rest);
			rc = fund_post(db, sys, &post, NULL, e);
		}
		if (!rc) {
			json_t *detail = json_pack("{s:i, s:I, s:I, s:i}", "year", y - k, "insured", (json_int_t)*insured,
						   "outside_registry", (json_int_t)rest, "beneficiaries", beneficiaries);
			rc = audit_append(db, sys, "demo.city_size", "contribution_year", ref, AUDIT_OK, detail, e);
			json_decref(detail);
		}
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db, e);
	}
	return rc;
}

int demo_settle_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out,
		     struct err *e)
{
	struct settlement_run_result r;
	struct actor sys, first, second;
	struct db_stmt *st = NULL;
	int32_t today = date_today_cn(), first_day, last_day;
	int64_t ids[64];
	char month[8], first_s[DATE_STR], last_s[DATE_STR];
	json_t *in = json_object(), *approve;
	int n = 0, beneficiaries = 0, y, m, d, rc;

	if (!s->settle.defined || !s->care.defined) {
		json_decref(in);
		return 0;
	}
	/* the last full month */
	date_to_ymd(date_add_months(today, -1), &y, &m, &d);
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	first_day = date_from_ymd(y, m, 1);
	last_day = date_from_ymd(y, m, date_days_in_month(y, m));
	date_format(first_day, first_s);
	date_format(last_day, last_s);
	actor_system(&sys, "demo");
	rc = prepare(db, s, hash, first_s, last_s, e);
	if (!rc) {
		rc = settlement_run(db, NULL, s, &sys, month, 0, &r, e);
		out->settled_fen = r.total_fen;
		settlement_run_free(&r);
	}
	if (!rc)
		rc = as_user(db, "bureau", &first, e);
	if (!rc)
		rc = as_user(db, "bureau02", &second, e);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT id FROM settlement_statements WHERE month = $1 ORDER BY id", DB_TEXT(month));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n < 64)
			ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	rc = rc == DB_DONE ? 0 : rc;
	/* published, reviewed by two people, approved on the month's last day (its spending is the month's) */
	approve = json_pack("{s:s}", "entry_date", last_s);
	for (int i = 0; !rc && i < n; i++) {
		rc = settlement_claim(db, &sys, ids[i], in, e);
		if (!rc)
			rc = settlement_first_review(db, &first, ids[i], in, e);
		if (!rc)
			rc = settlement_second_review(db, &second, ids[i], in, e);
		if (!rc)
			rc = settlement_approve(db, &first, ids[i], approve, e);
	}
	json_decref(in);
	json_decref(approve);
	if (!rc) {
		int64_t b = 0;
		rc = db_int(db, &b, e,
			    "SELECT COUNT(DISTINCT i.person_id) FROM settlement_items i JOIN settlement_statements s"
			    " ON s.id = i.statement_id WHERE s.month = $1",
			    DB_TEXT(month));
		beneficiaries = (int)b;
	}
	if (!rc && s->contributions.defined)
		rc = size_city(db, &sys, beneficiaries, &out->insured, e);
	out->statements = n;
	return rc;
}
