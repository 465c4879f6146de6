/* fund.c: the fund ledger and its summary (see fund.h). */
#include "svc/fund.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
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

int fund_summary(struct db *db, int year, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t income = 0, spending = 0, recoveries = 0, adjustments = 0, balance = 0, months = 0;
	json_t *inc, *spend, *monthly = json_array(), *labels = json_object();
	char y[8], end[DATE_STR], rate[16] = "";
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
		if (db_col_int(st, 2) > 0)
			months++;
		json_array_append_new(monthly, json_pack("{s:s, s:I, s:I, s:I}", "month", db_col_text(st, 0), "income",
							 (json_int_t)db_col_int(st, 1), "spending",
							 (json_int_t)db_col_int(st, 2), "recoveries",
							 (json_int_t)db_col_int(st, 3)));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int p = 0; p < PAYER_COUNT; p++)
		json_object_set_new(labels, payer_name((enum payer)p), json_string(payer_label((enum payer)p)));
	if (rc) {
		json_decref(inc);
		json_decref(spend);
		json_decref(monthly);
		json_decref(labels);
		return rc;
	}
	{
		int64_t bp = income > 0 ? money_mul_ratio(spending, 10000, income) : 0;
		json_t *mp = json_null();
		if (income > 0)
			snprintf(rate, sizeof rate, "%lld.%02lld", (long long)(bp / 100), (long long)(bp % 100));
		if (months > 0 && spending > 0) {
			/* months of average spending the balance covers, to one decimal */
			int64_t tenths = money_mul_ratio(balance, 10 * months, spending);
			char buf[32];
			snprintf(buf, sizeof buf, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10 < 0 ? -(tenths % 10) : tenths % 10));
			mp = json_string(buf);
		}
		*out = json_pack("{s:o, s:{s:I, s:o}, s:{s:I, s:o}, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "year",
				 year ? json_integer(year) : json_null(), "income", "total", (json_int_t)income,
				 "by_source", inc, "spending", "total", (json_int_t)spending, "by_source", spend,
				 "recoveries", (json_int_t)recoveries, "adjustments", (json_int_t)adjustments, "balance",
				 (json_int_t)balance, "usage_rate", income > 0 ? json_string(rate) : json_null(),
				 "usage_rate_bp", income > 0 ? json_integer(bp) : json_null(), "months_payable", mp,
				 "monthly", monthly, "source_labels", labels);
	}
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
