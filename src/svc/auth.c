/* auth.c: passwords, sign-in and its throttles, sessions, API tokens. */
#include "svc/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/scope.h"

struct auth_settings auth_settings = {
	.session_idle_s = LIMIT_SESSION_IDLE_S,
	.session_max_s = LIMIT_SESSION_MAX_S,
	.login_lock_s = LIMIT_LOGIN_LOCK_S,
};

#define TOKEN_PREFIX "ltci_"

/* A hash of a random password, verified against when the user name is unknown so that a wrong name costs as
 * much time as a wrong password. */
static char decoy_hash[crypto_pwhash_STRBYTES];

int auth_init(struct err *e)
{
	unsigned char rnd[16];
	char pw[33];

	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, NULL, "libsodium failed to initialise");
	if (decoy_hash[0])
		return 0;
	randombytes_buf(rnd, sizeof rnd);
	str_hex(rnd, sizeof rnd, pw);
	return auth_hash_password(pw, decoy_hash, sizeof decoy_hash, e);
}

/* ---- passwords ---- */

int auth_password_policy(const char *pw, const char *username, const char *field, struct err *e)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t n = strlen(pw);

	if (n > LIMIT_PASSWORD_MAX)
		return err_set(e, ERR_INVALID, field, "密码过长（最多%d字节）", LIMIT_PASSWORD_MAX);
	if (str_utf8_len(pw) < LIMIT_PASSWORD_MIN)
		return err_set(e, ERR_INVALID, field, "密码至少%d位", LIMIT_PASSWORD_MIN);
	if (str_has_control(pw, false))
		return err_set(e, ERR_INVALID, field, "密码不能包含控制字符");
	for (const char *p = pw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		return err_set(e, ERR_INVALID, field, "密码须包含大写字母、小写字母、数字、符号中的至少三类");
	if (username && *username && strcasestr(pw, username))
		return err_set(e, ERR_INVALID, field, "密码不能包含用户名");
	return 0;
}

int auth_hash_password(const char *pw, char *out, size_t size, struct err *e)
{
	if (size < crypto_pwhash_STRBYTES)
		return err_set(e, ERR_INTERNAL, NULL, "hash buffer too small");
	if (crypto_pwhash_argon2id_str(out, pw, strlen(pw), crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
				       crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, ERR_INTERNAL, NULL, "password hashing ran out of memory");
	return 0;
}

static bool password_matches(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	str_hex(h, sizeof h, out);
}

/* URL-safe random token of nbytes of entropy. */
static void random_token(const char *prefix, size_t nbytes, char *out, size_t size)
{
	unsigned char rnd[32];
	char b64[64];

	randombytes_buf(rnd, nbytes);
	sodium_bin2base64(b64, sizeof b64, rnd, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, size, "%s%s", prefix, b64);
}

/* ---- per-address throttle (in memory: it protects this process; the per-account lock is in the database) ---- */

struct ip_slot {
	char ip[64];
	int failures;
	int64_t window_start;
};

static struct ip_slot ip_table[LIMIT_LOGIN_IP_TABLE];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;

static struct ip_slot *ip_find(const char *ip, bool create, int64_t now)
{
	uint32_t h = 2166136261u;
	struct ip_slot *oldest = NULL;

	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (int i = 0; i < 8; i++) {
		struct ip_slot *s = &ip_table[(h + (uint32_t)i) % LIMIT_LOGIN_IP_TABLE];
		if (strcmp(s->ip, ip) == 0)
			return s;
		if (!oldest || s->window_start < oldest->window_start || !s->ip[0])
			oldest = s;
	}
	if (!create)
		return NULL;
	str_copy(oldest->ip, ip, sizeof oldest->ip);
	oldest->failures = 0;
	oldest->window_start = now;
	return oldest;
}

/* Seconds the address must wait, 0 if it may try. */
static int ip_blocked(const char *ip, int64_t now)
{
	struct ip_slot *s;
	int wait = 0;

	pthread_mutex_lock(&ip_lock);
	s = ip_find(ip, false, now);
	if (s && now - s->window_start < LIMIT_LOGIN_IP_WINDOW_S && s->failures >= LIMIT_LOGIN_IP_FAILURES)
		wait = (int)(LIMIT_LOGIN_IP_WINDOW_S - (now - s->window_start));
	pthread_mutex_unlock(&ip_lock);
	return wait;
}

static void ip_failed(const char *ip, int64_t now)
{
	struct ip_slot *s;

	pthread_mutex_lock(&ip_lock);
	s = ip_find(ip, true, now);
	if (now - s->window_start >= LIMIT_LOGIN_IP_WINDOW_S) {
		s->window_start = now;
		s->failures = 0;
	}
	s->failures++;
	pthread_mutex_unlock(&ip_lock);
}

void auth_throttle_reset(void)
{
	pthread_mutex_lock(&ip_lock);
	memset(ip_table, 0, sizeof ip_table);
	pthread_mutex_unlock(&ip_lock);
}

/* ---- sign-in ---- */

/* Audit a sign-in attempt that failed: the actor stays anonymous, the account tried is the target. */
static void audit_login(struct db *db, struct actor *a, const char *username, int64_t uid, const char *outcome,
			const char *reason)
{
	struct actor anon = *a;
	struct err e;
	char safe[LIMIT_USERNAME_MAX + 1], id[24];
	json_t *d;

	/* The name that was tried goes into the row's user name (the actor stays anonymous: no user id, no role), so
	 * the trail can be searched by it. */
	str_sanitize(username, safe, sizeof safe);
	str_copy(anon.username, safe, sizeof anon.username);
	d = json_pack("{s:s}", "reason", reason);
	snprintf(id, sizeof id, "%lld", (long long)uid);
	if (audit_append(db, &anon, "session.login", "user", uid ? id : NULL, outcome, d, &e) == 0)
		a->audited = true;
	json_decref(d);
}

int auth_login(struct db *db, struct actor *a, const char *username, const char *password, struct login_result *out,
	       struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t now = date_now_unix(), uid = 0, area_id = 0, provider_id = 0, locked_until = 0;
	int failures = 0, wait, role = -1;
	char hash[crypto_pwhash_STRBYTES] = "", status[16] = "", uname[40] = "", token_hash[65];
	bool must_change = false, ok;
	int rc;

	wait = ip_blocked(a->ip, now);
	if (wait > 0) {
		audit_login(db, a, username, 0, AUDIT_DENIED, "address_throttled");
		rc = err_set(e, ERR_RATE_LIMIT, NULL, "登录失败次数过多，请%d分钟后再试", (wait + 59) / 60);
		e->retry_after = wait;
		return rc;
	}
	rc = db_query(db, &st, e,
		      "SELECT id, username, role, area_id, provider_id, password_hash, status, must_change_password,"
		      " failed_logins, locked_until FROM users WHERE username = $1",
		      DB_TEXT(username));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		uid = db_col_int(st, 0);
		str_copy(uname, db_col_text(st, 1), sizeof uname);
		role = role_parse(db_col_text(st, 2));
		area_id = db_col_int(st, 3);
		provider_id = db_col_int(st, 4);
		str_copy(hash, db_col_text(st, 5), sizeof hash);
		str_copy(status, db_col_text(st, 6), sizeof status);
		must_change = db_col_int(st, 7) != 0;
		failures = (int)db_col_int(st, 8);
		locked_until = db_col_int(st, 9);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_done(st);
	if (rc)
		return rc;

	if (!uid || role < 0) {
		password_matches(decoy_hash, password);
		ip_failed(a->ip, now);
		audit_login(db, a, username, 0, AUDIT_FAILED, "unknown_user");
		return err_set(e, ERR_UNAUTH, NULL, "用户名或密码错误");
	}
	if (locked_until > now) {
		audit_login(db, a, username, uid, AUDIT_DENIED, "account_locked");
		rc = err_set(e, ERR_RATE_LIMIT, NULL, "账号因多次登录失败已被临时锁定，请%lld分钟后再试或联系管理员",
			     (long long)((locked_until - now + 59) / 60));
		e->retry_after = (int)(locked_until - now);
		return rc;
	}
	ok = password_matches(hash, password);
	if (!ok || strcmp(status, "active") != 0) {
		bool lock = false;
		if (!ok) {
			failures++;
			lock = failures >= LIMIT_LOGIN_FAILURES;
			ip_failed(a->ip, now);
			rc = db_exec(db, NULL, e, "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3",
				     DB_INT(lock ? 0 : failures), DB_INT(lock ? now + auth_settings.login_lock_s : 0),
				     DB_INT(uid));
			if (rc)
				return rc;
			if (lock)
				log_warn("event=account_locked user=%lld seconds=%d", (long long)uid,
					 auth_settings.login_lock_s);
		}
		audit_login(db, a, username, uid, AUDIT_FAILED,
			    !ok ? (lock ? "wrong_password_locked" : "wrong_password") : "disabled");
		return err_set(e, ERR_UNAUTH, NULL, "用户名或密码错误");
	}

	/* success: the actor becomes the user */
	a->id = uid;
	a->user_id = uid;
	a->kind = ACTOR_USER;
	a->role = (enum role)role;
	str_copy(a->username, uname, sizeof a->username);
	rc = scope_fill_actor(db, a, area_id, provider_id, e);
	if (rc)
		return rc;
	random_token("", 32, out->token, sizeof out->token);
	{
		unsigned char c[32];
		randombytes_buf(c, sizeof c);
		str_hex(c, sizeof c, out->csrf);
	}
	sha256_hex(out->token, token_hash);
	out->expires_at = now + auth_settings.session_max_s;
	out->max_age = auth_settings.session_max_s;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &a->session_id, e,
		    "INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at, source_ip)"
		    " VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
		    DB_TEXT(token_hash), DB_TEXT(out->csrf), DB_INT(uid), DB_INT(now), DB_INT(out->expires_at),
		    DB_TEXT(a->ip));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE users SET failed_logins = 0, locked_until = 0, previous_login_at = last_login_at,"
			     " last_login_at = $1 WHERE id = $2",
			     DB_INT(now), DB_INT(uid));
	if (!rc && crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
						  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0) {
		char fresh[crypto_pwhash_STRBYTES];
		rc = auth_hash_password(password, fresh, sizeof fresh, e);
		if (!rc)
			rc = db_exec(db, NULL, e, "UPDATE users SET password_hash = $1 WHERE id = $2", DB_TEXT(fresh),
				     DB_INT(uid));
	}
	if (!rc) {
		json_t *d = json_pack("{s:I}", "session", (json_int_t)a->session_id);
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)uid);
		rc = audit_append(db, a, "session.login", "user", id, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (rc)
		return rc;
	a->must_change_password = must_change;
	return 0;
}

int auth_logout(struct db *db, struct actor *a, struct err *e)
{
	char id[24];
	int rc;

	if (a->kind != ACTOR_USER || !a->session_id)
		return err_set(e, ERR_INVALID, NULL, "只有登录会话可以退出");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e, "DELETE FROM sessions WHERE id = $1", DB_INT(a->session_id));
	snprintf(id, sizeof id, "%lld", (long long)a->user_id);
	if (!rc)
		rc = audit_append(db, a, "session.logout", "user", id, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int auth_session_lookup(struct db *db, const char *token, struct actor *a, char csrf[65], struct err *e)
{
	struct db_stmt *st = NULL;
	char token_hash[65];
	int64_t now = date_now_unix(), sid = 0, last_seen = 0, expires = 0, touch;
	bool expired = false, active = false;
	int rc, role = -1;

	sha256_hex(token, token_hash);
	rc = db_query(db, &st, e,
		      "SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.username, u.role, u.status,"
		      " u.must_change_password, u.provider_id, a.id, a.path, a.level"
		      " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = u.area_id"
		      " WHERE s.token_hash = $1",
		      DB_TEXT(token_hash));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		sid = db_col_int(st, 0);
		str_copy(csrf, db_col_text(st, 1), 65);
		last_seen = db_col_int(st, 2);
		expires = db_col_int(st, 3);
		a->kind = ACTOR_USER;
		a->id = db_col_int(st, 4);
		a->user_id = a->id;
		str_copy(a->username, db_col_text(st, 5), sizeof a->username);
		role = role_parse(db_col_text(st, 6));
		active = strcmp(db_col_text(st, 7), "active") == 0;
		a->must_change_password = db_col_int(st, 8) != 0;
		a->provider_id = db_col_int(st, 9);
		a->area_id = db_col_int(st, 10);
		str_copy(a->area_path, db_col_text(st, 11) ? db_col_text(st, 11) : "", sizeof a->area_path);
		str_copy(a->area_level, db_col_text(st, 12) ? db_col_text(st, 12) : "", sizeof a->area_level);
		a->session_id = sid;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_UNAUTH, NULL, "会话无效，请重新登录");
	}
	db_done(st);
	if (rc)
		goto fail;
	expired = now >= expires || now - last_seen >= auth_settings.session_idle_s;
	if (expired || !active || role < 0) {
		db_exec(db, NULL, NULL, "DELETE FROM sessions WHERE id = $1", DB_INT(sid));
		rc = err_set(e, ERR_UNAUTH, NULL, expired ? "会话已过期，请重新登录" : "账号已停用");
		goto fail;
	}
	a->role = (enum role)role;
	touch = auth_settings.session_idle_s / 4;
	if (touch > LIMIT_SESSION_TOUCH_S)
		touch = LIMIT_SESSION_TOUCH_S;
	if (now - last_seen >= touch)
		db_exec(db, NULL, NULL, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2", DB_INT(now), DB_INT(sid));
	return 0;
fail:
	{
		char ip[sizeof a->ip];
		str_copy(ip, a->ip, sizeof ip);
		memset(a, 0, sizeof *a);
		str_copy(a->ip, ip, sizeof a->ip);
	}
	return rc;
}

int auth_token_lookup(struct db *db, const char *token, struct actor *a, struct err *e)
{
	struct db_stmt *st = NULL;
	char token_hash[65], ip[sizeof a->ip];
	int64_t now = date_now_unix(), id = 0, last_used = 0, area_id = 0, provider_id = 0;
	int rc, role = -1;

	if (!str_starts(token, TOKEN_PREFIX))
		return err_set(e, ERR_UNAUTH, NULL, "令牌无效");
	sha256_hex(token, token_hash);
	rc = db_query(db, &st, e,
		      "SELECT id, name, role, area_id, provider_id, COALESCE(last_used_at, 0) FROM api_tokens"
		      " WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
		      DB_TEXT(token_hash), DB_INT(now));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(a->username, sizeof a->username, "token:%s", db_col_text(st, 1));
		role = role_parse(db_col_text(st, 2));
		area_id = db_col_int(st, 3);
		provider_id = db_col_int(st, 4);
		last_used = db_col_int(st, 5);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_UNAUTH, NULL, "令牌无效、已过期或已吊销");
	}
	db_done(st);
	if (!rc && role < 0)
		rc = err_set(e, ERR_UNAUTH, NULL, "令牌无效");
	if (!rc)
		rc = scope_fill_actor(db, a, area_id, provider_id, e);
	if (rc) {
		str_copy(ip, a->ip, sizeof ip);
		memset(a, 0, sizeof *a);
		str_copy(a->ip, ip, sizeof a->ip);
		return rc;
	}
	a->kind = ACTOR_TOKEN;
	a->id = id;
	a->role = (enum role)role;
	if (now - last_used >= LIMIT_SESSION_TOUCH_S)
		db_exec(db, NULL, NULL, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", DB_INT(now), DB_INT(id));
	return 0;
}

int auth_change_password(struct db *db, struct actor *a, const char *current, const char *next, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES] = "", fresh[crypto_pwhash_STRBYTES], id[24];
	struct db_stmt *st = NULL;
	int rc;

	rc = db_query(db, &st, e, "SELECT password_hash FROM users WHERE id = $1", DB_INT(a->user_id));
	if (rc)
		return rc;
	if (db_step(st, e) == DB_ROW)
		str_copy(hash, db_col_text(st, 0), sizeof hash);
	db_done(st);
	if (!hash[0] || !password_matches(hash, current))
		return err_set(e, ERR_INVALID, "current_password", "当前密码不正确");
	if (strcmp(current, next) == 0)
		return err_set(e, ERR_INVALID, "new_password", "新密码不能与当前密码相同");
	rc = auth_password_policy(next, a->username, "new_password", e);
	if (rc)
		return rc;
	rc = auth_hash_password(next, fresh, sizeof fresh, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "UPDATE users SET password_hash = $1, must_change_password = 0, password_changed_at = $2,"
		     " updated_at = $2 WHERE id = $3",
		     DB_TEXT(fresh), DB_INT(date_now_unix()), DB_INT(a->user_id));
	if (!rc)
		rc = db_exec(db, NULL, e, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", DB_INT(a->user_id),
			     DB_INT(a->session_id));
	snprintf(id, sizeof id, "%lld", (long long)a->user_id);
	if (!rc)
		rc = audit_append(db, a, "user.password.change", "user", id, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc)
		a->must_change_password = false;
	return rc;
}

/* ---- API tokens ---- */

static json_t *token_row_json(struct db *db, struct db_stmt *st)
{
	json_t *scope = scope_json(db, db_col_int(st, 4), db_col_int(st, 5));

	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:s}", "id", (json_int_t)db_col_int(st, 0),
			 "name", db_col_text(st, 1), "prefix", db_col_text(st, 2), "role", db_col_text(st, 3), "scope",
			 scope, "created_at", (json_int_t)db_col_int(st, 6),
			 "expires_at", db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)),
			 "revoked_at", db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
			 "last_used_at", db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
			 "status", !db_col_null(st, 8) ? "revoked"
				   : (!db_col_null(st, 7) && db_col_int(st, 7) <= date_now_unix()) ? "expired"
											: "active");
}

#define TOKEN_COLS "id, name, prefix, role, area_id, provider_id, created_at, expires_at, revoked_at, last_used_at"

int auth_token_create(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, JX_REQUIRED, 1, LIMIT_NAME_MAX},
		{"role", JX_STRING, JX_REQUIRED, 1, 32},
		{"scope", JX_OBJECT, JX_REQUIRED, 0, 0},
		{"expires_on", JX_STRING, JX_NULLABLE, 0, 10},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	char token[80], hash[65], prefix[16], ids[24];
	int64_t area_id, provider_id, id, expires = 0;
	int32_t day;
	int role, rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	role = role_parse(jx_str(in, "role"));
	if (role < 0)
		return err_set(e, ERR_INVALID, "role", "未知角色");
	if (jx_str(in, "expires_on")) {
		if (!date_parse(jx_str(in, "expires_on"), &day) || day <= date_today_cn())
			return err_set(e, ERR_INVALID, "expires_on", "到期日期应为今天之后的日期（YYYY-MM-DD）");
		expires = (int64_t)(day + 1) * 86400 - 8 * 3600; /* end of that day in Asia/Shanghai */
	}
	rc = scope_resolve(db, a, (enum role)role, json_object_get(in, "scope"), "scope", &area_id, &provider_id, e);
	if (rc)
		return rc;
	random_token(TOKEN_PREFIX, 32, token, sizeof token);
	sha256_hex(token, hash);
	snprintf(prefix, sizeof prefix, "%.10s", token);
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &id, e,
		    "INSERT INTO api_tokens (name, prefix, token_hash, role, area_id, provider_id, created_by, created_at,"
		    " expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
		    DB_TEXT(jx_str(in, "name")), DB_TEXT(prefix), DB_TEXT(hash), DB_TEXT(role_name((enum role)role)),
		    DB_INT_OR_NULL(area_id, area_id), DB_INT_OR_NULL(provider_id, provider_id),
		    DB_INT_OR_NULL(a->kind == ACTOR_USER, a->user_id), DB_INT(date_now_unix()),
		    DB_INT_OR_NULL(expires, expires));
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s}", "name", jx_str(in, "name"), "role", role_name((enum role)role));
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "token.create", "api_token", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (rc)
		return rc;
	rc = db_query(db, &st, e, "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = $1", DB_INT(id));
	if (rc)
		return rc;
	if (db_step(st, e) == DB_ROW)
		*out = json_pack("{s:s, s:o}", "token", token, "item", token_row_json(db, st));
	else
		rc = err_set(e, ERR_INTERNAL, NULL, "token vanished");
	db_done(st);
	sodium_memzero(token, sizeof token);
	return rc;
}

int auth_token_list(struct db *db, const struct actor *a, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	(void)a;
	rc = db_query(db, &st, e, "SELECT " TOKEN_COLS " FROM api_tokens ORDER BY id DESC LIMIT $1",
		      DB_INT(LIMIT_TOKEN_LIST));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, token_row_json(db, st));
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

int auth_token_revoke(struct db *db, struct actor *a, int64_t id, struct err *e)
{
	int64_t changes = 0, exists = 0;
	char ids[24];
	int rc;

	rc = db_int(db, &exists, e, "SELECT COUNT(*) FROM api_tokens WHERE id = $1", DB_INT(id));
	if (rc)
		return rc;
	if (!exists)
		return err_set(e, ERR_NOT_FOUND, "id", "令牌不存在");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, &changes, e, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
		     DB_INT(date_now_unix()), DB_INT(id));
	if (!rc && !changes)
		rc = err_set(e, ERR_CONFLICT, "id", "令牌已吊销");
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc)
		rc = audit_append(db, a, "token.revoke", "api_token", ids, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}
