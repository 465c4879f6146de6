/* users.c: account administration (admin). */
#include "api/api.h"
#include "base/json.h"
#include "base/limits.h"
#include "svc/user.h"

int api_users_list(struct http_req *r)
{
	struct user_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (rc)
		return rc;
	f.q = req_query(r, "q");
	f.role = req_query(r, "role");
	f.status = req_query(r, "status");
	rc = user_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_users_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc = user_create(r->db, &r->actor, r->json, &id, &r->err);

	if (!rc)
		rc = user_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_users_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = user_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_users_update(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "user", id);
		rc = user_update(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		rc = user_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_users_password(struct http_req *r)
{
	static const struct jx_field fields[] = {
		{"password", JX_STRING, JX_REQUIRED, 1, LIMIT_PASSWORD_MAX},
		{"must_change_password", JX_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "user", id);
		rc = jx_check(r->json, fields, "", &r->err);
	}
	if (!rc)
		rc = user_set_password(r->db, &r->actor, id, jx_str(r->json, "password"),
				       jx_bool(r->json, "must_change_password", true), &r->err);
	if (!rc)
		req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return rc;
}

int api_users_unlock(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "user", id);
		rc = user_unlock(r->db, &r->actor, id, &r->err);
	}
	if (!rc)
		rc = user_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_users_persons(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "user", id);
		rc = user_set_persons(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		rc = user_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}
