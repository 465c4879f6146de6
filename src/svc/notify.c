/* notify.c: the notice outbox (see notify.h); the sender lives in notify_send.c. */
#include "svc/notify.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/str.h"
#include "svc/rows.h"

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

/* A recipient for lists: phone numbers as 138****5678, e-mail addresses as w***@example.com. */
static void mask_recipient(const char *channel, const char *to, char *out, size_t size)
{
	const char *at = strchr(to, '@');

	if (strcmp(channel, "sms") == 0) {
		str_mask_phone(to, out, size);
	} else if (at && at > to) {
		snprintf(out, size, "%c***%s", to[0], at);
	} else {
		str_copy(out, "***", size);
	}
}

int notify_list(struct db *db, const char *status, const char *ref_id, int page, int page_size, json_t **out,
		struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	int rc = db_int(db, &total, e, "SELECT COUNT(*) FROM notices WHERE ($1 = '' OR status = $1) AND ($2 = '' OR ref_id = $2)",
			DB_TEXT(status ? status : ""), DB_TEXT(ref_id ? ref_id : ""));

	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT id, channel, recipient, subject, body, ref_type, ref_id, status, attempts, last_error,"
			      " created_at, sent_at FROM notices WHERE ($1 = '' OR status = $1) AND ($2 = '' OR ref_id = $2)"
			      " ORDER BY id DESC LIMIT $3 OFFSET $4",
			      DB_TEXT(status ? status : ""), DB_TEXT(ref_id ? ref_id : ""), DB_INT(page_size),
			      DB_INT((int64_t)(page - 1) * page_size));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		char masked[160];
		json_t *o;
		mask_recipient(db_col_text(st, 1), db_col_text(st, 2), masked, sizeof masked);
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)db_col_int(st, 0), "channel",
			      db_col_text(st, 1), "recipient", masked, "body", db_col_text(st, 4), "status", db_col_text(st, 7),
			      "attempts", (int)db_col_int(st, 8));
		rc = 0;
		json_object_set_new(o, "subject", jx_str_or_null(db_col_text(st, 3)));
		json_object_set_new(o, "ref_type", jx_str_or_null(db_col_text(st, 5)));
		json_object_set_new(o, "ref_id", jx_str_or_null(db_col_text(st, 6)));
		json_object_set_new(o, "last_error", jx_str_or_null(db_col_text(st, 9)));
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
	*out = rows_page(items, total, page, page_size);
	return 0;
}
