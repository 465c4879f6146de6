/* settlement_internal.h: what the settlement files share: who sees a statement, loading one, money columns. */
#ifndef LTCI_SETTLEMENT_INTERNAL_H
#define LTCI_SETTLEMENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "db/db.h"
#include "svc/role.h"

/* Statements s the actor sees, with $1 the provider of provider staff (0 otherwise), $2 the area LIKE pattern of
 * area-scoped staff ('' for region-wide staff) and $3 1 when drafts are hidden (provider staff). */
#define SETTLEMENT_VISIBLE                                                                                         \
	"($1 = 0 OR s.provider_id = $1) AND ($2 = '' OR s.provider_id IN (SELECT pv.id FROM providers pv"           \
	" JOIN areas ar ON ar.id = pv.area_id WHERE ar.path LIKE $2)) AND ($3 = 0 OR s.status <> 'draft')"

struct settlement_vis {
	int64_t provider;
	char area[180];
	int hide_drafts;
};

void settlement_visibility(const struct actor *a, struct settlement_vis *v);
#define SETTLEMENT_VIS_ARGS(v) DB_INT((v).provider), DB_TEXT((v).area), DB_INT((v).hide_drafts)

struct statement_row {
	int64_t id, provider_id, batch_id, first_reviewer_id, second_reviewer_id, payment_id, total_fen;
	char month[8], status[20], number[40], provider_code[24];
	int32_t first, last;        /* the month's first and last day */
};

/* A statement the actor sees (ERR_NOT_FOUND otherwise). */
int settlement_load(struct db *db, const struct actor *a, int64_t id, struct statement_row *r, struct err *e);
/* ERR_CONFLICT (field "status") for a statement in the wrong status: "结算单当前为“已审批”，不能<action>". */
int settlement_wrong_status(const char *status, const char *action, struct err *e);
/* Roll back on failure, else commit with the audit row. */
int settlement_finish(struct db *db, struct actor *a, int rc, struct err *e);

#endif
