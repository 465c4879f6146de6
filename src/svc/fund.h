/* fund.h: the fund's books (基金). One append-only ledger holds every income posting (contributions, by payer),
 * every spending posting (settlements, by funding source) and every recovery, each with the running balance.
 * The summary gives income by source, spending, balance, usage rate (spending / income) and months payable. */
#ifndef LTCI_FUND_H
#define LTCI_FUND_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

struct fund_posting {
	const char *entry_date;  /* accounting date 'YYYY-MM-DD' */
	const char *kind;        /* income | spending | recovery | adjustment */
	const char *source;      /* payer (income) or funding source (spending) */
	int64_t amount_fen;      /* signed: spending negative */
	const char *ref_type;
	const char *ref_id;
	const char *note;
};

/* Append a posting inside the caller's transaction; *id (may be NULL) gets its sequence number. */
int fund_post(struct db *db, const struct actor *a, const struct fund_posting *p, int64_t *id, struct err *e);

/* year 0 = all time. {"year", "income": {"total", "contributions", "by_source": {...}}, "spending": {"total",
 * "fund", "by_source"}, "recoveries", "adjustments", "balance", "usage_rate", "usage_rate_bp", "months_payable",
 * "annualised", "monthly": [{month, income, spending, recoveries}], "source_labels"}.
 *   income.contributions: the payers' income (the supplementary sources' share of settlements, booked as their
 *     payers' income when a statement is approved, is in total and by_source only);
 *   spending.fund: the fund's own spending net of its recoveries;
 *   usage_rate: spending.fund / income.contributions in percent ("53.40"; null without income);
 *   months_payable: the balance / the fund's average monthly spending over the months with spending ("10.5");
 *   annualised: null without spending, else the run rate {from, to, months_with_spending,
 *     average_monthly_spending, annual_spending (x 12), contribution_income, usage_rate}: over the year asked for,
 *     or (all time) the twelve months up to the last month with spending. With a whole year settled it equals the
 *     year's usage rate; with fewer months it is the rate the year is running at. */
int fund_summary(struct db *db, int year, json_t **out, struct err *e);
/* The fund by month from..to ('YYYY-MM', at most 120 months), for a chart: {from, to, items: [{month, income
 * (contributions), income_other (the supplementary sources' share), spending: {total, fund, supplementary,
 * assistance}, recoveries, adjustments, net, balance (at the month's end), accrued_income (the month's year of
 * contributions / 12), usage_rate_accrued (the fund's spending less recoveries / accrued_income)}]}. */
int fund_months(struct db *db, const char *from, const char *to, json_t **out, struct err *e);

struct fund_filter {
	const char *kind;
	const char *from, *to;   /* entry dates, inclusive */
	int page, page_size;
};
int fund_ledger_list(struct db *db, const struct fund_filter *f, json_t **out, struct err *e);

/* Check that every running balance equals the sum of the postings up to it and that the head matches:
 * 0 with *ok set, or an error reading. */
int fund_check(struct db *db, bool *ok, char *reason, size_t size, struct err *e);

#endif
