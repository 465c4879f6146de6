/* settlement.h: monthly settlement to providers (结算, DOMAIN.md 3.7): the month's run that computes a draft statement
 * per provider from the facts (svc/settlement_run.c, through the pure rules of rules/settle.h), the steps a
 * statement goes through (svc/settlement_steps.c), the reads (svc/settlement_view.c) and the payment exports
 * (svc/settlement_export.c).
 *
 * A statement is a provider's month: one item per beneficiary-month under one care plan, each with the lines
 * settle_month gave it and the days and visits behind them (settlement_items.entitled_mask, settlement_visits), and
 * one quality line (settle_quality). Its life:
 *
 *     draft -claim-> claimed -first review-> first_reviewed -second review-> second_reviewed -approve-> approved
 *       ^               |  (the provider objects line by line;               (another person)     (fund ledger)
 *       +---reopen------+   open objections hold the first review)                                   |
 *                                                                                       payment export, paid -> paid
 *
 * A draft is replaced whole when the month is run again; a claimed statement is never recomputed (reopen sends it back
 * to draft until it is approved). Approved and paid statements never change (409 here, triggers in the database);
 * corrections are adjustments carried by a later month's statement, each referring to the line it corrects.
 *
 * Who sees what: the bureau and auditors the statements of providers in their area (region-wide staff all), provider
 * staff their own provider's statements once claimed (a draft is internal: 404). Every step is one transaction with
 * its audit row. */
#ifndef LTCI_SETTLEMENT_H
#define LTCI_SETTLEMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

/* ---- the run (settlement_run.c) ---- */

struct settlement_run_result {
	char month[8];
	int statements;             /* drafts written (new or replaced) */
	int skipped;                /* statements already claimed or later: left as they are */
	int removed;                /* drafts with nothing left to settle, deleted */
	int64_t items, lines;       /* beneficiary-months and lines written */
	int64_t visits_settled;     /* visits linked to the items (payable, rejected, unqualified) */
	int64_t visits_pending;     /* exceptions of the month not decided yet: not settled */
	int64_t total_fen;
	double seconds, facts_seconds, visits_seconds, write_seconds;
	json_t *providers;          /* [{provider_id, code, name, statement_id, number, status, run, beneficiaries, items,
	                             *   visits_payable, visits_rejected, visits_unqualified, visits_pending,
	                             *   deductions_fen, total_fen, by_source}] sorted by code; skipped ones have run
	                             *   false and a note */
};

/* Settle month 'YYYY-MM' (a month that has ended) for every provider with a care plan in force in it, or only
 * provider_id (0 = all) and, for area-scoped staff, only providers in their area. Plans in force are those active,
 * superseded or ended whose period overlaps the month; the visits are those checked in during the month (Asia/Shanghai)
 * as verification and the bureau left them (pending exceptions are counted, not settled). One transaction: drafts are
 * replaced, statements from claimed on are skipped. Audited as settlement.run. r->providers must be freed with
 * settlement_run_free. rdb: a second connection to the same SQLite database (or NULL): the city's month is then read
 * in a thread of its own while this one writes. */
int settlement_run(struct db *db, struct db *rdb, const struct scheme *s, struct actor *a, const char *month,
		   int64_t provider_id, struct settlement_run_result *r, struct err *e);
json_t *settlement_run_json(const struct settlement_run_result *r);
void settlement_run_free(struct settlement_run_result *r);

/* ---- the steps (settlement_steps.c): each 0 or ERR_NOT_FOUND (not visible), ERR_CONFLICT (wrong status, named
 * "status"), ERR_FORBIDDEN (separation of duties, named "reviewer"), ERR_INVALID (input) ---- */

/* draft -> claimed: published to the provider. in: {} or {note}. Refused (409 "visits_pending") while the statement
 * counted exceptions not yet decided: each visit is settled in its own month, so they are decided first and the month
 * run again. */
int settlement_claim(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* claimed -> first_reviewed; no objection may be open. in: {note?}. A person (not a token or the system). */
int settlement_first_review(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* first_reviewed -> second_reviewed, by another person than the first reviewer (ERR_FORBIDDEN "reviewer"). */
int settlement_second_review(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* second_reviewed -> approved: posts the statement to the fund ledger (spending by source, recoveries as income,
 * the supplementary sources' share as their payers' income) on in.entry_date (default today; not before the
 * month, not after today). in: {entry_date?, note?}. A person. */
int settlement_approve(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* claimed, first_reviewed or second_reviewed -> draft, reviews cleared. in: {reason}. */
int settlement_reopen(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* The provider objects to a line of its claimed statement. in: {reason, claimed_fen?}. *oid: the objection. */
int settlement_object(struct db *db, struct actor *a, int64_t line_id, const json_t *in, int64_t *oid,
		      struct err *e);
/* The bureau answers an open objection. in: {decision: accepted|dismissed, answer}. */
int settlement_answer(struct db *db, struct actor *a, int64_t objection_id, const json_t *in, struct err *e);

/* A manual adjustment carried by the statement of a later month: in: {month, ref_line_id | plan_id, amount_fen,
 * reason, reference, source?, payee?}. With ref_line_id the line must be on an approved (or paid) statement of an
 * earlier month, and source, payee, plan and provider default to its own. The carrying statement must not be
 * claimed yet; the adjustment appears on it at the month's next run. *id: the adjustment. */
int settlement_adjustment_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in,
				 int64_t *id, struct err *e);
/* Cancel a pending adjustment whose month is not claimed yet. */
int settlement_adjustment_cancel(struct db *db, struct actor *a, int64_t id, struct err *e);

/* ---- reads (settlement_view.c) ---- */

struct settlement_filter {
	const char *month;          /* 'YYYY-MM' or NULL */
	int64_t provider_id;
	const char *status;
	int page, page_size;
};

/* The months with statements: [{month, statements, by_status: {...}, total_fen, last_run_at}], newest first. */
int settlement_months(struct db *db, const struct actor *a, json_t **out, struct err *e);
/* Statements (a list page): per provider beneficiaries, visits, amounts, deductions, status; with the month's totals
 * when a month is given. */
int settlement_statement_list(struct db *db, const struct actor *a, const struct settlement_filter *f, json_t **out,
			      struct err *e);
/* A statement with its totals, steps, quality line, objections and the adjustments it carries. */
int settlement_statement_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* A page of a statement's beneficiary-months with their lines; q filters by the person's name or ID number. */
int settlement_items_list(struct db *db, const struct actor *a, int64_t statement_id, const char *q, int page,
			  int page_size, json_t **out, struct err *e);
/* A beneficiary-month: its facts, entitled days, lines, and the visits it settled. */
int settlement_item_get(struct db *db, const struct actor *a, int64_t item_id, json_t **out, struct err *e);
/* A line with the days or visits behind it, its objections and the adjustments that refer to it. */
int settlement_line_get(struct db *db, const struct actor *a, int64_t line_id, json_t **out, struct err *e);
/* Objections (of a statement, or all visible ones with a status). */
int settlement_objection_list(struct db *db, const struct actor *a, int64_t statement_id, const char *status,
			      json_t **out, struct err *e);
/* Adjustments by carrying month and provider. */
int settlement_adjustment_list(struct db *db, const struct actor *a, const struct settlement_filter *f,
			       json_t **out, struct err *e);

/* ---- payments (settlement_export.c) ---- */

/* A payment export of the approved statements of in.month not exported yet (in: {month}). *id: the payment. */
int settlement_payment_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
int settlement_payment_list(struct db *db, const struct actor *a, const char *month, json_t **out, struct err *e);
/* A payment with its statements and totals per provider. */
int settlement_payment_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* exported -> paid: the bank confirmed. in: {paid_on, bank_reference}. Its statements become paid. */
int settlement_payment_paid(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

enum settlement_file { SETTLEMENT_XLSX = 0, SETTLEMENT_CSV };
/* Write the payment's file (xlsx: a summary sheet with totals per provider and a sheet by source; csv: the bank
 * file, one row per provider paid) into dir as a new temporary file: *path gets its name (the caller unlinks it),
 * name the name to download it under. Audited as settlement.payment_export. */
int settlement_payment_file(struct db *db, struct actor *a, int64_t id, enum settlement_file kind, const char *dir,
			    char *path, size_t path_size, char *name, size_t name_size, struct err *e);
/* A statement as a spreadsheet (its beneficiary-months and lines), for the provider's finance officer. */
int settlement_statement_file(struct db *db, struct actor *a, int64_t id, const char *dir, char *path,
			      size_t path_size, char *name, size_t name_size, struct err *e);

/* ---- supplementary insurance (settlement_view.c) ---- */

/* in: {person_id, insurer, policy_no, valid_from, valid_until}. */
int supplementary_policy_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
int supplementary_policy_list(struct db *db, int64_t person_id, int page, int page_size, json_t **out,
			      struct err *e);

/* ---- shared by the settlement files ---- */

/* Check 'YYYY-MM' (1990-2199); *first and *last get its first and last day. */
int settlement_month_parse(const char *month, const char *field, int32_t *first, int32_t *last, struct err *e);
/* Chinese label of a statement status. */
const char *settlement_status_label(const char *status);

#endif
