/* rows.h: reading query results into JSON for the services: the rows of one query (one id parameter) as an array
 * under a key of a parent object, and the step loop that builds a list page. */
#ifndef LTCI_ROWS_H
#define LTCI_ROWS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

typedef json_t *(*rows_fn)(struct db_stmt *st);

/* Run sql with $1 = id and set into[key] to the array of row(st) for each row (an empty array on error). */
int rows_by_id(struct db *db, json_t *into, const char *key, const char *sql, int64_t id, rows_fn row,
	       struct err *e);
/* Step a prepared statement to its end, appending row(st) to items; closes the statement. */
int rows_collect(struct db_stmt *st, json_t *items, rows_fn row, struct err *e);
/* {"items": items, "total", "page", "page_size"} (items is stolen). */
json_t *rows_page(json_t *items, int64_t total, int page, int page_size);

#endif
