/* app_internal.h: what the workflow files (application.c, draw.c, assessment.c, application_view.c) share. */
#ifndef LTCI_APP_INTERNAL_H
#define LTCI_APP_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

struct app_row {
	int64_t id, person_id, area_id, appeal_of;
	char type[16], status[32];
	bool green, pledge;
	char gate[4], since[11], submitted_on[11], due[11];
	char agent_phone[24], agent_email[128], agent_name[160];
	bool has_level;
	int level;
	char area_path[160];
};

/* An application visible to the actor (ERR_NOT_FOUND otherwise). */
int app_load(struct db *db, const struct actor *a, int64_t id, struct app_row *r, struct err *e);
/* Move from one status to another; ERR_CONFLICT if the application is not (or no longer) in `from`. */
int app_transition(struct db *db, int64_t id, const char *from, const char *to, struct err *e);
/* ERR_CONFLICT naming the current status and the refused action. */
int app_wrong_state(const struct app_row *r, const char *action, struct err *e);
/* Audit a workflow step on the application (detail is stolen). */
int app_audit(struct db *db, struct actor *a, const char *action, int64_t id, json_t *detail, struct err *e);
/* Draw a pair for the case and record it (purpose: assessment, revisit or appeal); the caller holds the
 * transaction and changes the status. */
struct scheme;
int app_draw(struct db *db, const struct scheme *s, struct actor *a, const struct app_row *ap, const char *purpose,
	     int64_t *assignment, struct err *e);
/* The pool member (assessors.id) behind the actor's account, 0 if none. */
int64_t app_actor_assessor(struct db *db, const struct actor *a);

#endif
