/* rows.c: query results as JSON arrays (see rows.h). */
#include "svc/rows.h"

int rows_collect(struct db_stmt *st, json_t *items, rows_fn row, struct err *e)
{
	int rc = 0;

	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(items, row(st));
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

int rows_by_id(struct db *db, json_t *into, const char *key, const char *sql, int64_t id, rows_fn row,
	       struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	int rc = db_query(db, &st, e, sql, DB_INT(id));

	if (!rc)
		rc = rows_collect(st, arr, row, e);
	json_object_set_new(into, key, arr);
	return rc;
}

json_t *rows_page(json_t *items, int64_t total, int page, int page_size)
{
	return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page, "page_size",
			 page_size);
}
