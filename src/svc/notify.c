/* notify.c: the notice outbox (see notify.h); the sender lives in notify_send.c. */
#include "svc/notify.h"

#include <string.h>

#include "base/date.h"

int notify_enqueue(struct db *db, const char *channel, const char *recipient, const char *subject, const char *body,
		   const char *ref_type, const char *ref_id, struct err *e)
{
	int64_t now = date_now_unix();

	return db_exec(db, NULL, e,
		       "INSERT INTO notices (channel, recipient, subject, body, ref_type, ref_id, status, attempts,"
		       " created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
		       DB_TEXT(channel), DB_TEXT(recipient), DB_TEXT(subject), DB_TEXT(body), DB_TEXT(ref_type),
		       DB_TEXT(ref_id), DB_INT(now));
}

int notify_list(struct db *db, const char *status, int page, int page_size, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	int rc = db_int(db, &total, e, "SELECT COUNT(*) FROM notices WHERE ($1 = '' OR status = $1)",
			DB_TEXT(status ? status : ""));

	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, channel, recipient, subject, body, ref_type, ref_id, status, attempts, last_error,"
			      " created_at, sent_at FROM notices WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3",
			      DB_TEXT(status ? status : ""), DB_INT(page_size), DB_INT((int64_t)(page - 1) * page_size));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)db_col_int(st, 0), "channel",
				      db_col_text(st, 1), "recipient", db_col_text(st, 2), "body", db_col_text(st, 4),
				      "status", db_col_text(st, 7), "attempts", (int)db_col_int(st, 8));
		rc = 0;
		json_object_set_new(o, "subject", db_col_text(st, 3) ? json_string(db_col_text(st, 3)) : json_null());
		json_object_set_new(o, "ref_type", db_col_text(st, 5) ? json_string(db_col_text(st, 5)) : json_null());
		json_object_set_new(o, "ref_id", db_col_text(st, 6) ? json_string(db_col_text(st, 6)) : json_null());
		json_object_set_new(o, "last_error", db_col_text(st, 9) ? json_string(db_col_text(st, 9)) : json_null());
		json_object_set_new(o, "created_at", json_integer(db_col_int(st, 10)));
		json_object_set_new(o, "sent_at", db_col_null(st, 11) ? json_null() : json_integer(db_col_int(st, 11)));
		json_array_append_new(items, o);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page, "page_size",
			 page_size);
	return 0;
}
