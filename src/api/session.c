/* session.c: sign in, sign out, who am I, change my password. */
#include <string.h>

#include "api/api.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "svc/auth.h"
#include "svc/scope.h"
#include "svc/user.h"

static json_t *me_json(struct http_req *r)
{
	json_t *user = NULL;
	struct err e;

	if (r->actor.kind == ACTOR_USER) {
		if (user_get(r->db, &(struct actor){.kind = ACTOR_SYSTEM}, r->actor.user_id, &user, &e))
			user = json_null();
	} else {
		user = json_pack("{s:s, s:s, s:s, s:o}", "username", r->actor.username, "role",
				 role_name(r->actor.role), "role_label", role_label(r->actor.role), "scope",
				 scope_json(r->db, r->actor.area_id, r->actor.provider_id));
	}
	return json_pack("{s:o, s:s, s:o, s:b}", "user", user, "actor",
			 r->actor.kind == ACTOR_TOKEN ? "token" : "user", "routes",
			 api_allowed_routes(r->actor.role, r->actor.kind), "must_change_password",
			 r->actor.must_change_password);
}

int api_session_create(struct http_req *r)
{
	static const struct jx_field fields[] = {
		{"username", JX_STRING, JX_REQUIRED, 1, LIMIT_USERNAME_MAX},
		{"password", JX_STRING, JX_REQUIRED, 1, LIMIT_PASSWORD_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct login_result lr;
	json_t *out;
	int rc;

	rc = jx_check(r->json, fields, "", &r->err);
	if (rc)
		return rc;
	rc = auth_login(r->db, &r->actor, jx_str(r->json, "username"), jx_str(r->json, "password"), &lr, &r->err);
	if (rc)
		return rc;
	http_set_session_cookie(r, lr.token, lr.max_age);
	str_copy(r->csrf, lr.csrf, sizeof r->csrf);
	out = me_json(r);
	json_object_set_new(out, "csrf_token", json_string(lr.csrf));
	json_object_set_new(out, "expires_at", json_integer(lr.expires_at));
	memset(&lr, 0, sizeof lr);
	req_reply(r, 201, out);
	return 0;
}

int api_session_delete(struct http_req *r)
{
	int rc = auth_logout(r->db, &r->actor, &r->err);

	if (rc)
		return rc;
	http_clear_session_cookie(r);
	req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return 0;
}

int api_me(struct http_req *r)
{
	json_t *out = me_json(r);

	if (r->actor.kind == ACTOR_USER)
		json_object_set_new(out, "csrf_token", json_string(r->csrf));
	req_reply(r, 200, out);
	return 0;
}

int api_me_password(struct http_req *r)
{
	static const struct jx_field fields[] = {
		{"current_password", JX_STRING, JX_REQUIRED, 1, LIMIT_PASSWORD_MAX},
		{"new_password", JX_STRING, JX_REQUIRED, 1, LIMIT_PASSWORD_MAX},
		{NULL, 0, 0, 0, 0},
	};
	int rc;

	req_target(r, "user", r->actor.user_id);
	rc = jx_check(r->json, fields, "", &r->err);
	if (!rc)
		rc = auth_change_password(r->db, &r->actor, jx_str(r->json, "current_password"),
					  jx_str(r->json, "new_password"), &r->err);
	if (!rc)
		req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return rc;
}
