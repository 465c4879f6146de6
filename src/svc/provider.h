/* provider.h: designated care providers (定点护理服务机构). For now the minimal directory that account scopes refer
 * to; agreements, service areas and caregivers arrive with the providers capability. */
#ifndef LTCI_PROVIDER_H
#define LTCI_PROVIDER_H

#include <jansson.h>

#include "db/db.h"
#include "svc/role.h"

/* Providers visible to the actor: provider staff see their own; area-scoped staff those located in their
 * subtree; region-wide staff all. {"items": [...], "total": N}. */
int provider_list(struct db *db, const struct actor *a, json_t **out, struct err *e);

#endif
