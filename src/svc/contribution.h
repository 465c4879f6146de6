/* contribution.h: the yearly contribution run (参保筹资核定). For every insured person due for a year it records
 * what each payer owes (rules/contribution.c applied to the enrolment in force), and posts the change in each
 * payer's total to the fund ledger as income. Idempotent: a second run with the same data changes nothing. */
#ifndef LTCI_SVC_CONTRIBUTION_H
#define LTCI_SVC_CONTRIBUTION_H

#include <jansson.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct contribution_result {
	int year;
	int64_t persons_due;
	int64_t rows_inserted, rows_updated, rows_deleted;
	int64_t total_fen[PAYER_COUNT];  /* the year's total per payer after the run */
	int64_t delta_fen[PAYER_COUNT];  /* what this run posted to the ledger */
	char entry_date[11];
};

/* Who is due for year Y: a person whose enrolment is active on some day of Y and who was alive then. The category
 * and flags are those of the enrolment in force on the first such day. entry_date (NULL: today, kept inside Y)
 * dates the ledger postings. One transaction. */
int contribution_run(struct db *db, const struct scheme *s, struct actor *a, int year, const char *entry_date,
		     struct contribution_result *r, struct err *e);
json_t *contribution_result_json(const struct contribution_result *r);

#endif
