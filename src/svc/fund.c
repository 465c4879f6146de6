/* fund.c: the fund ledger, its summary and its months (see fund.h). */
#include "svc/fund.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/money.h"
#include "base/str.h"
#include "scheme/scheme.h"

int fund_post(struct db *db, const struct actor *a, const struct fund_posting *p, int64_t *id, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t seq = 0, balance = 0;
	int32_t day;
	int rc;

	if (!db_in_tx(db))
		return err_set(e, ERR_INTERNAL, NULL, "fund_post needs a transaction");
	if (!date_parse(p->entry_date, &day))
		return err_set(e, ERR_INVALID, "entry_date", "记账日期应为YYYY-MM-DD");
	rc = db_query(db, &st, e,
		      "UPDATE fund_head SET seq = seq + 1, balance_fen = balance_fen + $1 WHERE id = 1"
		      " RETURNING seq, balance_fen",
		      DB_INT(p->amount_fen));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		seq = db_col_int(st, 0);
		balance = db_col_int(st, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INTERNAL, NULL, "fund_head row is missing");
	}
	db_done(st);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "INSERT INTO fund_ledger (id, posted_at, entry_date, kind, source, amount_fen, balance_fen, ref_type,"
		     " ref_id, note, posted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		     DB_INT(seq), DB_INT(date_now_unix()), DB_TEXT(p->entry_date), DB_TEXT(p->kind), DB_TEXT(p->source),
		     DB_INT(p->amount_fen), DB_INT(balance), DB_TEXT(p->ref_type), DB_TEXT(p->ref_id), DB_TEXT(p->note),
		     DB_TEXT(a->username[0] ? a->username : NULL));
	if (!rc && id)
		*id = seq;
	return rc;
}

static json_t *by_source(struct db *db, const char *kind, int year, int64_t *total, int sign, struct err *e, int *rc)
{
	struct db_stmt *st = NULL;
	json_t *obj = json_object();
	char y[8];

	snprintf(y, sizeof y, "%04d", year);
	*total = 0;
	*rc = db_query(db, &st, e,
		       "SELECT source, SUM(amount_fen) FROM fund_ledger WHERE kind = $1"
		       " AND ($2 = 0 OR substr(entry_date, 1, 4) = $3) GROUP BY source ORDER BY source",
		       DB_TEXT(kind), DB_INT(year), DB_TEXT(y));
	while (!*rc && (*rc = db_step(st, e)) == DB_ROW) {
		int64_t v = sign * db_col_int(st, 1);
		*rc = 0;
		json_object_set_new(obj, db_col_text(st, 0), json_integer(v));
		*total += v;
	}
	if (*rc == DB_DONE)
		*rc = 0;
	db_done(st);
	return obj;
}

/* Income from contributions: the payers' postings (not the supplementary sources' share of settlements). */
static int64_t contribution_income(const json_t *by_source)
{
	int64_t v = 0;

	for (int p = 0; p < PAYER_COUNT; p++)
		v += json_integer_value(json_object_get(by_source, payer_name((enum payer)p)));
	return v;
}

/* A ratio in basis points as "53.40" (NULL when the denominator is not positive). */
static json_t *percent(int64_t num, int64_t den, int64_t *bp_out)
{
	char buf[32];
	int64_t bp;

	if (den <= 0)
		return json_null();
	bp = money_mul_ratio(num, 10000, den);
	if (bp_out)
		*bp_out = bp;
	snprintf(buf, sizeof buf, "%s%lld.%02lld", bp < 0 ? "-" : "", (long long)(bp < 0 ? -bp : bp) / 100,
		 (long long)(bp < 0 ? -bp : bp) % 100);
	return json_string(buf);
}

/* Tenths as "10.5". */
static json_t *tenths(int64_t t)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%s%lld.%lld", t < 0 ? "-" : "", (long long)(t < 0 ? -t : t) / 10,
		 (long long)(t < 0 ? -t : t) % 10);
	return json_string(buf);
}

/* The fund's own spending (source fund, net of its recoveries) per month: months with any, and their sum, over the
 * entry dates [from, to] ('' = open). */
static int fund_spending_months(struct db *db, const char *from, const char *to, int64_t *months, int64_t *sum,
				char last_month[8], struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e,
			  "SELECT substr(entry_date, 1, 7), SUM(CASE WHEN kind = 'spending' THEN -amount_fen ELSE 0 END)"
			  " - SUM(CASE WHEN kind = 'recovery' THEN amount_fen ELSE 0 END) FROM fund_ledger"
			  " WHERE source = 'fund' AND kind IN ('spending', 'recovery') AND ($1 = '' OR entry_date >= $1)"
			  " AND ($2 = '' OR entry_date <= $2) GROUP BY substr(entry_date, 1, 7) ORDER BY 1",
			  DB_TEXT(from), DB_TEXT(to));

	*months = *sum = 0;
	if (last_month)
		last_month[0] = '\0';
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (db_col_int(st, 1) == 0)
			continue;
		(*months)++;
		*sum += db_col_int(st, 1);
		if (last_month)
			snprintf(last_month, 8, "%s", db_col_text(st, 0));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

int fund_summary(struct db *db, int year, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t income = 0, spending = 0, recoveries = 0, adjustments = 0, balance = 0, bp = 0;
	int64_t contributions, fund_spent, fund_recovered = 0, months = 0, spent_sum = 0, window_income = 0;
	json_t *inc, *spend, *monthly = json_array(), *labels = json_object(), *annual = json_null();
	char y[8], end[DATE_STR], from[DATE_STR] = "", to[DATE_STR] = "", last_month[8] = "";
	int rc = 0;

	snprintf(y, sizeof y, "%04d", year);
	inc = by_source(db, "income", year, &income, 1, e, &rc);
	if (!rc)
		spend = by_source(db, "spending", year, &spending, -1, e, &rc);
	else
		spend = json_object();
	if (!rc)
		rc = db_int(db, &recoveries, e,
			    "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE kind = 'recovery'"
			    " AND ($1 = 0 OR substr(entry_date, 1, 4) = $2)",
			    DB_INT(year), DB_TEXT(y));
	if (!rc)
		rc = db_int(db, &fund_recovered, e,
			    "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE kind = 'recovery' AND source = 'fund'"
			    " AND ($1 = 0 OR substr(entry_date, 1, 4) = $2)",
			    DB_INT(year), DB_TEXT(y));
	if (!rc)
		rc = db_int(db, &adjustments, e,
			    "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE kind = 'adjustment'"
			    " AND ($1 = 0 OR substr(entry_date, 1, 4) = $2)",
			    DB_INT(year), DB_TEXT(y));
	/* balance: everything up to the end of the year (or now) */
	snprintf(end, sizeof end, "%04d-12-31", year ? year : 9999);
	if (!rc)
		rc = db_int(db, &balance, e, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE entry_date <= $1",
			    DB_TEXT(end));
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT substr(entry_date, 1, 7) AS m,"
			      " SUM(CASE WHEN kind = 'income' THEN amount_fen ELSE 0 END),"
			      " SUM(CASE WHEN kind = 'spending' THEN -amount_fen ELSE 0 END),"
			      " SUM(CASE WHEN kind = 'recovery' THEN amount_fen ELSE 0 END)"
			      " FROM fund_ledger WHERE ($1 = 0 OR substr(entry_date, 1, 4) = $2)"
			      " GROUP BY substr(entry_date, 1, 7) ORDER BY m",
			      DB_INT(year), DB_TEXT(y));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(monthly, json_pack("{s:s, s:I, s:I, s:I}", "month", db_col_text(st, 0), "income",
							 (json_int_t)db_col_int(st, 1), "spending",
							 (json_int_t)db_col_int(st, 2), "recoveries",
							 (json_int_t)db_col_int(st, 3)));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	/* the run rate: the fund's average monthly spending over the months with spending, a year of it against a
	 * year of contributions (the year asked for; all time: the twelve months up to the last month with spending) */
	if (year) {
		snprintf(from, sizeof from, "%04d-01-01", year);
		snprintf(to, sizeof to, "%04d-12-31", year);
	}
	if (!rc)
		rc = fund_spending_months(db, from, to, &months, &spent_sum, last_month, e);
	if (!rc && months && !year) {
		int ly = atoi(last_month), lm = atoi(last_month + 5);
		int32_t last_day = date_from_ymd(ly, lm, date_days_in_month(ly, lm));
		date_format(date_add_months(last_day + 1, -12), from);
		date_format(last_day, to);
		rc = fund_spending_months(db, from, to, &months, &spent_sum, NULL, e);
	}
	if (!rc && months)
		rc = db_int(db, &window_income, e,
			    "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE kind = 'income'"
			    " AND source IN ('personal_account', 'pooled_fund', 'individual', 'finance')"
			    " AND entry_date >= $1 AND entry_date <= $2",
			    DB_TEXT(from), DB_TEXT(to));
	for (int p = 0; p < PAYER_COUNT; p++)
		json_object_set_new(labels, payer_name((enum payer)p), json_string(payer_label((enum payer)p)));
	for (int s = 0; s < SOURCE_COUNT; s++)
		if (!json_object_get(labels, fund_source_name((enum fund_source)s)))
			json_object_set_new(labels, fund_source_name((enum fund_source)s),
					    json_string(fund_source_label((enum fund_source)s)));
	if (rc) {
		json_decref(inc);
		json_decref(spend);
		json_decref(monthly);
		json_decref(labels);
		return rc;
	}
	contributions = contribution_income(inc);
	fund_spent = json_integer_value(json_object_get(spend, "fund")) - fund_recovered;
	if (months) {
		int64_t avg = money_mul_ratio(spent_sum, 1, months);
		annual = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "from", from, "to", to, "months_with_spending",
				   (json_int_t)months, "average_monthly_spending", (json_int_t)avg, "annual_spending",
				   (json_int_t)(avg * 12), "contribution_income", (json_int_t)window_income, "usage_rate",
				   percent(avg * 12, window_income, NULL));
	}
	{
		json_t *rate = percent(fund_spent, contributions, &bp);
		/* months of the fund's average monthly spending the balance covers, to one decimal */
		json_t *mp = months && spent_sum > 0 ? tenths(money_mul_ratio(balance, 10 * months, spent_sum)) : json_null();
		*out = json_pack("{s:o, s:{s:I, s:I, s:o}, s:{s:I, s:I, s:o}, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
				 "year", year ? json_integer(year) : json_null(), "income", "total", (json_int_t)income,
				 "contributions", (json_int_t)contributions, "by_source", inc, "spending", "total",
				 (json_int_t)spending, "fund", (json_int_t)fund_spent, "by_source", spend, "recoveries",
				 (json_int_t)recoveries, "adjustments", (json_int_t)adjustments, "balance", (json_int_t)balance,
				 "usage_rate", rate, "usage_rate_bp", json_is_null(rate) ? json_null() : json_integer(bp),
				 "months_payable", mp, "annualised", annual, "monthly", monthly, "source_labels", labels);
	}
	return 0;
}

int fund_months(struct db *db, const char *from, const char *to, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int fy, fm, ty, tm, n;
	int64_t balance = 0;
	char first_day[DATE_STR], last_day[DATE_STR], y0[DATE_STR], y1[DATE_STR];
	json_t *items;
	int64_t (*cells)[8];  /* contributions, other income, spending fund, supplementary, assistance, recoveries,
	                       * adjustments, net */
	int64_t *year_income;  /* contribution income of each month's year, for the accrued figure */
	int rc = 0;

	if (!from || strlen(from) != 7 || sscanf(from, "%4d-%2d", &fy, &fm) != 2 || fm < 1 || fm > 12 || fy < 1990 ||
	    fy > 2199)
		return err_set(e, ERR_INVALID, "from", "月份应为YYYY-MM");
	if (!to || strlen(to) != 7 || sscanf(to, "%4d-%2d", &ty, &tm) != 2 || tm < 1 || tm > 12 || ty < 1990 || ty > 2199)
		return err_set(e, ERR_INVALID, "to", "月份应为YYYY-MM");
	n = (ty - fy) * 12 + (tm - fm) + 1;
	if (n < 1)
		return err_set(e, ERR_INVALID, "to", "截止月份早于起始月份");
	if (n > LIMIT_FUND_MONTHS)
		return err_set(e, ERR_INVALID, "to", "一次最多查询%d个月", LIMIT_FUND_MONTHS);
	items = json_array();
	cells = xcalloc((size_t)n, sizeof *cells);
	year_income = xcalloc((size_t)n, sizeof *year_income);
	date_format(date_from_ymd(fy, fm, 1), first_day);
	date_format(date_from_ymd(ty, tm, date_days_in_month(ty, tm)), last_day);
	rc = db_int(db, &balance, e, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger WHERE entry_date < $1",
		    DB_TEXT(first_day));
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT substr(entry_date, 1, 7), kind, source, SUM(amount_fen) FROM fund_ledger"
			      " WHERE entry_date >= $1 AND entry_date <= $2 GROUP BY substr(entry_date, 1, 7), kind, source",
			      DB_TEXT(first_day), DB_TEXT(last_day));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *m = db_col_text(st, 0), *kind = db_col_text(st, 1), *source = db_col_text(st, 2);
		int y = atoi(m), mo = atoi(m + 5), k = (y - fy) * 12 + (mo - fm);
		int64_t v = db_col_int(st, 3);
		rc = 0;
		if (k < 0 || k >= n)
			continue;
		if (strcmp(kind, "income") == 0)
			cells[k][payer_parse(source) >= 0 ? 0 : 1] += v;
		else if (strcmp(kind, "spending") == 0)
			cells[k][2 + (fund_source_parse(source) > 0 ? fund_source_parse(source) : 0)] -= v;
		else if (strcmp(kind, "recovery") == 0)
			cells[k][5] += v;
		else
			cells[k][6] += v;
		cells[k][7] += v;
	}
	db_done(st);
	rc = rc == DB_DONE ? 0 : rc;
	/* each year's contribution income (the whole years the range touches), spread over its twelve months */
	snprintf(y0, sizeof y0, "%04d-01-01", fy);
	snprintf(y1, sizeof y1, "%04d-12-31", ty);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT substr(entry_date, 1, 4), SUM(amount_fen) FROM fund_ledger WHERE kind = 'income'"
			      " AND source IN ('personal_account', 'pooled_fund', 'individual', 'finance')"
			      " AND entry_date >= $1 AND entry_date <= $2 GROUP BY substr(entry_date, 1, 4)",
			      DB_TEXT(y0), DB_TEXT(y1));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int y = atoi(db_col_text(st, 0));
		rc = 0;
		for (int k = 0; k < n; k++)
			if (fy + (fm - 1 + k) / 12 == y)
				year_income[k] = db_col_int(st, 1);
	}
	db_done(st);
	rc = rc == DB_DONE ? 0 : rc;
	for (int k = 0; !rc && k < n; k++) {
		int y = fy + (fm - 1 + k) / 12, mo = (fm - 1 + k) % 12 + 1;
		int64_t accrued = money_mul_ratio(year_income[k], 1, 12), spent = cells[k][2] - cells[k][5];
		char m[8];
		snprintf(m, sizeof m, "%04d-%02d", y, mo);
		balance += cells[k][7];
		json_array_append_new(
			items,
			json_pack("{s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:I, s:o}", "month", m,
				  "income", (json_int_t)cells[k][0], "income_other", (json_int_t)cells[k][1], "spending", "total",
				  (json_int_t)(cells[k][2] + cells[k][3] + cells[k][4]), "fund", (json_int_t)cells[k][2],
				  "supplementary", (json_int_t)cells[k][3], "assistance", (json_int_t)cells[k][4], "recoveries",
				  (json_int_t)cells[k][5], "adjustments", (json_int_t)cells[k][6], "net", (json_int_t)cells[k][7],
				  "balance", (json_int_t)balance, "accrued_income", (json_int_t)accrued, "usage_rate_accrued",
				  percent(spent, accrued, NULL)));
	}
	free(cells);
	free(year_income);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items);
	return 0;
}

int fund_ledger_list(struct db *db, const struct fund_filter *f, json_t **out, struct err *e)
{
	static const char *where = " FROM fund_ledger WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR entry_date >= $2)"
				   " AND ($3 = '' OR entry_date <= $3)";
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	char sql[512];
	int rc;

#define ARGS DB_TEXT(f->kind ? f->kind : ""), DB_TEXT(f->from ? f->from : ""), DB_TEXT(f->to ? f->to : "")
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql, ARGS);
	if (!rc) {
		snprintf(sql, sizeof sql,
			 "SELECT id, posted_at, entry_date, kind, source, amount_fen, balance_fen, ref_type, ref_id, note,"
			 " posted_by%s ORDER BY id DESC LIMIT $4 OFFSET $5",
			 where);
		rc = db_query(db, &st, e, sql, ARGS, DB_INT(f->page_size),
			      DB_INT((int64_t)(f->page - 1) * f->page_size));
	}
#undef ARGS
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int payer = payer_parse(db_col_text(st, 4));
		rc = 0;
		json_array_append_new(
			items,
			json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "id",
				  (json_int_t)db_col_int(st, 0), "posted_at", (json_int_t)db_col_int(st, 1), "entry_date",
				  db_col_text(st, 2), "kind", db_col_text(st, 3), "source", db_col_text(st, 4),
				  "source_label", payer >= 0 ? payer_label((enum payer)payer) : db_col_text(st, 4),
				  "amount_fen", (json_int_t)db_col_int(st, 5), "balance_fen", (json_int_t)db_col_int(st, 6),
				  "ref_type", db_col_text(st, 7) ? json_string(db_col_text(st, 7)) : json_null(), "ref_id",
				  db_col_text(st, 8) ? json_string(db_col_text(st, 8)) : json_null(), "note",
				  db_col_text(st, 9) ? json_string(db_col_text(st, 9)) : json_null(), "posted_by",
				  db_col_text(st, 10) ? json_string(db_col_text(st, 10)) : json_null()));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f->page,
			 "page_size", f->page_size);
	return 0;
}

int fund_check(struct db *db, bool *ok, char *reason, size_t size, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t running = 0, expect_id = 1, head_seq = 0, head_balance = 0, last = 0;
	int rc;

	*ok = true;
	reason[0] = '\0';
	for (;;) {
		int64_t n = 0;
		rc = db_query(db, &st, e,
			      "SELECT id, amount_fen, balance_fen FROM fund_ledger WHERE id > $1 ORDER BY id LIMIT 10000",
			      DB_INT(last));
		if (rc)
			return rc;
		while ((rc = db_step(st, e)) == DB_ROW) {
			n++;
			last = db_col_int(st, 0);
			running += db_col_int(st, 1);
			if (*ok && (last != expect_id || db_col_int(st, 2) != running)) {
				*ok = false;
				snprintf(reason, size, "posting %lld: running balance %lld, sum of postings %lld",
					 (long long)last, (long long)db_col_int(st, 2), (long long)running);
			}
			expect_id = last + 1;
		}
		db_done(st);
		if (rc != DB_DONE)
			return rc;
		if (n < 10000)
			break;
	}
	rc = db_query0(db, &st, e, "SELECT seq, balance_fen FROM fund_head WHERE id = 1");
	if (rc)
		return rc;
	if (db_step(st, e) == DB_ROW) {
		head_seq = db_col_int(st, 0);
		head_balance = db_col_int(st, 1);
	}
	db_done(st);
	if (*ok && (head_seq != last || head_balance != running)) {
		*ok = false;
		snprintf(reason, size, "head at posting %lld with balance %lld; ledger ends at %lld with %lld",
			 (long long)head_seq, (long long)head_balance, (long long)last, (long long)running);
	}
	return 0;
}
