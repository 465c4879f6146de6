/* audit.h: the tamper-evident audit trail. Each row stores the SHA-256 of its own content, which includes the
 * previous row's hash, so an edited, inserted or deleted row breaks the chain (found by audit_verify). Rows are
 * appended in the caller's transaction, so an action and its audit row commit or vanish together. */
#ifndef LTCI_AUDIT_H
#define LTCI_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

#define AUDIT_OK "ok"
#define AUDIT_DENIED "denied"
#define AUDIT_FAILED "failed"
#define AUDIT_ERROR "error"

/* Append one row. detail (may be NULL) is borrowed; it must hold no secrets. Runs inside the caller's transaction
 * if one is open, else in its own. */
int audit_append(struct db *db, const struct actor *a, const char *action, const char *target_type,
		 const char *target_id, const char *outcome, const json_t *detail, struct err *e);

/* Commit the caller's transaction and, if that succeeded, mark the actor's request as audited. */
int audit_commit(struct db *db, struct actor *a, struct err *e);

struct audit_verify_result {
	int64_t checked;      /* rows checked */
	int64_t first_bad;    /* id of the first broken entry (0 if the chain is intact) */
	char reason[200];
};

/* Walk the whole chain. Returns 0 with first_bad = 0 if intact; 0 with first_bad set if broken; an error code if
 * the database could not be read. */
int audit_verify(struct db *db, struct audit_verify_result *r, struct err *e);

struct audit_filter {
	int64_t user_id;        /* 0 = any */
	const char *username;   /* exact; NULL = any */
	const char *action;     /* exact or prefix with trailing '*'; NULL = any */
	const char *target_type;
	const char *target_id;
	const char *outcome;
	int64_t from, to;       /* Unix seconds, inclusive; 0 = open */
	int page, page_size;
};

/* Rows visible to the actor (its scope subtree) matching the filter, newest first, as
 * {"items":[...],"total":N,"page":P,"page_size":S}. */
int audit_list(struct db *db, const struct actor *a, const struct audit_filter *f, json_t **out, struct err *e);

#endif
