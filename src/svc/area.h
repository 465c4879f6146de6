/* area.h: the area tree of a pooling region: region (统筹区) -> district (区/县) -> street/town (街道/镇) ->
 * neighbourhood/village committee (居委/村委), each with its administrative division code. Administrators edit it
 * within their scope; everyone signed in reads it (area-scoped accounts: their subtree and its ancestors). */
#ifndef LTCI_AREA_H
#define LTCI_AREA_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

struct area_filter {
	int64_t parent_id;   /* 0 = any */
	const char *level;   /* NULL = any */
	const char *q;       /* part of the name or code */
};

/* {"items": [...], "total": N} (at most LIMIT_AREA_LIST rows, ordered by path). */
int area_list(struct db *db, const struct actor *a, const struct area_filter *f, json_t **out, struct err *e);
int area_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* in: {parent_id (absent for the region), code, name}. */
int area_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
/* in: any of {code, name}. */
int area_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* Only a leaf that nothing refers to. */
int area_delete(struct db *db, struct actor *a, int64_t id, struct err *e);
/* Chinese label of a level ("district" -> "区/县"). */
const char *area_level_label(const char *level);

#endif
