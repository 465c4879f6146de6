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

/* year 0 = all time. {"year", "income": {"total", "by_source": {...}}, "spending": {...}, "recoveries",
 * "balance", "usage_rate", "usage_rate_bp", "months_payable", "monthly": [{month, income, spending}]} */
int fund_summary(struct db *db, int year, json_t **out, struct err *e);

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
