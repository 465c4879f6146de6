/* auth.h: passwords (argon2id), sign-in with throttling, server-side sessions, API tokens for integrations, and
 * password changes. Secrets are never stored: sessions and tokens are kept as SHA-256 hashes of the random value
 * the client holds. */
#ifndef LTCI_AUTH_H
#define LTCI_AUTH_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

struct auth_settings {
	int session_idle_s;
	int session_max_s;
	int login_lock_s;
};

/* Process-wide settings (defaults from limits.h); set once before serving. */
extern struct auth_settings auth_settings;
/* Prepare the module (libsodium, the decoy hash used for unknown user names). Call once at start. */
int auth_init(struct err *e);

/* Check a new password against the policy (length, three character classes, not the user name). */
int auth_password_policy(const char *password, const char *username, const char *field, struct err *e);
/* argon2id hash (libsodium string format) into out (crypto_pwhash_STRBYTES). */
int auth_hash_password(const char *password, char *out, size_t size, struct err *e);

struct login_result {
	char token[64];       /* cookie value */
	char csrf[65];
	int64_t expires_at;
	int64_t max_age;
};

/* Sign in. a must carry the source address; on success it describes the user. Writes the audit rows itself.
 * Failures: ERR_UNAUTH (wrong name or password, disabled), ERR_RATE_LIMIT (account locked, address throttled). */
int auth_login(struct db *db, struct actor *a, const char *username, const char *password, struct login_result *out,
	       struct err *e);
/* End the actor's session. */
int auth_logout(struct db *db, struct actor *a, struct err *e);
/* Resolve a session cookie into an actor (and its CSRF token). ERR_UNAUTH if absent, expired or the account is
 * disabled. Keeps the session alive (last-seen written at most once a minute). */
int auth_session_lookup(struct db *db, const char *token, struct actor *a, char csrf[65], struct err *e);
/* Resolve an API token ("ltci_...") into an actor. */
int auth_token_lookup(struct db *db, const char *token, struct actor *a, struct err *e);
/* Change the actor's own password; other sessions of the account end. */
int auth_change_password(struct db *db, struct actor *a, const char *current, const char *next, struct err *e);

/* API tokens (admin): create returns the token once in out {"token":..., "item": {...}}. */
int auth_token_create(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e);
int auth_token_list(struct db *db, const struct actor *a, json_t **out, struct err *e);
int auth_token_revoke(struct db *db, struct actor *a, int64_t id, struct err *e);

/* Forget the in-memory address throttle (tests and restarts). */
void auth_throttle_reset(void);

#endif
