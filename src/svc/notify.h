/* notify.h: notices to applicants and agents (SMS and e-mail) go through an outbox table in the same transaction
 * as the decision they announce; a background sender delivers them with the configured transport (log-only by
 * default; SMTP through libcurl; an HTTP webhook for an SMS gateway) and retries with back-off. */
#ifndef LTCI_NOTIFY_H
#define LTCI_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

/* Queue one notice (channel "sms" or "email") inside the caller's transaction. */
int notify_enqueue(struct db *db, const char *channel, const char *recipient, const char *subject, const char *body,
		   const char *ref_type, const char *ref_id, struct err *e);

/* The outbox, newest first: {"items": [...], "total", "page", "page_size"}. */
/* The outbox, newest first, recipients masked; ref_id filters one case's notices. */
int notify_list(struct db *db, const char *status, const char *ref_id, int page, int page_size, json_t **out,
		struct err *e);

#endif
