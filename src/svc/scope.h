/* scope.h: account scopes. A staff account or API token is scoped to an area (region, district, street or
 * neighbourhood: it sees that subtree) or to one provider (it sees only that provider's data). */
#ifndef LTCI_SCOPE_H
#define LTCI_SCOPE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

/* Resolve a scope object {"kind": "region|district|street|neighbourhood|provider", "id": N} or {"kind", "code"}
 * for an account of role r, checking that actor a may grant it (it lies within a's own scope). */
int scope_resolve(struct db *db, const struct actor *a, enum role r, const json_t *scope, const char *field,
		  int64_t *area_id, int64_t *provider_id, struct err *e);
/* Parse the command-line form "KIND:ID" or "KIND:CODE" into a scope object. */
json_t *scope_parse_arg(const char *arg);
/* {"kind", "id", "code", "name"} for an area or provider scope. */
json_t *scope_json(struct db *db, int64_t area_id, int64_t provider_id);
/* Fill the scope fields of an actor from an area or provider. */
int scope_fill_actor(struct db *db, struct actor *a, int64_t area_id, int64_t provider_id, struct err *e);

#endif
