/* visit_internal.h: what visit.c and visit_verify.c share: the visibility of visits to an actor and one visit's row. */
#ifndef LTCI_VISIT_INTERNAL_H
#define LTCI_VISIT_INTERNAL_H

#include <stdint.h>

#include "base/date.h"
#include "db/db.h"
#include "svc/role.h"

/* Who sees a visit: provider staff their provider's ($1), area staff their area's persons ($2), family accounts
 * their persons' ($3), a caregiver their own ($4). Needs persons p and areas ar joined. */
#define VISIT_VISIBLE                                                                                              \
	"($1 = 0 OR v.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2)"                                            \
	" AND ($3 = 0 OR v.person_id IN (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3))"           \
	" AND ($4 = 0 OR v.caregiver_id = $4)"

struct visit_vis {
	int64_t provider, family, caregiver;
	char area[180];
};

struct visit_row {
	int64_t id, plan, person, provider, caregiver, checkin_at, unlocked_until;
	char status[16], day[DATE_STR], verify[16], review[16], mode[16];
	uint32_t reasons;
};

void visit_visibility(struct db *db, const struct actor *a, struct visit_vis *v);
/* The caregiver record (and its provider) of a caregiver account; 0 for other accounts. */
int visit_actor_caregiver(struct db *db, const struct actor *a, int64_t *caregiver, int64_t *provider,
			  struct err *e);
/* A visit the actor may see (ERR_NOT_FOUND otherwise). */
int visit_load(struct db *db, const struct actor *a, int64_t id, struct visit_row *r, struct err *e);

#endif
