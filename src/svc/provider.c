/* provider.c: the provider directory (minimal; see provider.h). */
#include "svc/provider.h"

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/str.h"

int provider_list(struct db *db, const struct actor *a, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	char scope[170] = "";
	int rc;

	if (!a->provider_id && a->kind != ACTOR_SYSTEM && strcmp(a->area_level, "region") != 0)
		snprintf(scope, sizeof scope, "%s%%", a->area_path);
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.code, p.name, p.status, a.id, a.name FROM providers p"
		      " LEFT JOIN areas a ON a.id = p.area_id"
		      " WHERE ($1 = 0 OR p.id = $1) AND ($2 = '' OR a.path LIKE $2) ORDER BY p.code LIMIT $3",
		      DB_INT(a->provider_id), DB_TEXT(scope), DB_INT(LIMIT_PROVIDER_LIST));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items,
				      json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int(st, 0),
						"code", db_col_text(st, 1), "name", db_col_text(st, 2), "status",
						db_col_text(st, 3), "area_id",
						db_col_null(st, 4) ? json_null() : json_integer(db_col_int(st, 4)),
						"area_name",
						db_col_null(st, 5) ? json_null() : json_string(db_col_text(st, 5))));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}
