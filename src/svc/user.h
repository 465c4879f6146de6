/* user.h: staff accounts managed by administrators (and by the CLI as the system actor). */
#ifndef LTCI_USER_H
#define LTCI_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

struct user_filter {
	const char *q;        /* part of the user name or display name */
	const char *role;
	const char *status;
	int page, page_size;
};

int user_list(struct db *db, const struct actor *a, const struct user_filter *f, json_t **out, struct err *e);
int user_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* in: {username, display_name, role, scope{kind,id|code}, password, must_change_password?}. */
int user_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
/* in: any of {display_name, role, scope, status}. */
int user_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* Set a new password (administrator reset, or the CLI); ends the account's sessions and lifts a lock. */
int user_set_password(struct db *db, struct actor *a, int64_t id, const char *password, bool must_change,
		      struct err *e);
/* A family account's persons: {persons: [{person_id, relation}]} replaces the list. */
int user_set_persons(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
int user_unlock(struct db *db, struct actor *a, int64_t id, struct err *e);
int user_find_id(struct db *db, const char *username, int64_t *id, struct err *e);

#endif
