/* tokens.c: API tokens for department integrations (admin creates, lists and revokes). */
#include "api/api.h"
#include "svc/auth.h"

int api_tokens_list(struct http_req *r)
{
	json_t *out;
	int rc = auth_token_list(r->db, &r->actor, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_tokens_create(struct http_req *r)
{
	json_t *out;
	int rc = auth_token_create(r->db, &r->actor, r->json, &out, &r->err);

	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_tokens_revoke(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "api_token", id);
		rc = auth_token_revoke(r->db, &r->actor, id, &r->err);
	}
	if (!rc)
		req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return rc;
}
