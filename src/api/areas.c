/* areas.c: the area tree (read: everyone signed in; write: admin). */
#include <string.h>

#include "api/api.h"
#include "svc/area.h"

int api_areas_list(struct http_req *r)
{
	struct area_filter f = {0};
	json_t *out;
	int rc = req_query_int(r, "parent_id", 0, 1, INT64_MAX, &f.parent_id);
	const char *level = req_query(r, "level");

	if (rc)
		return rc;
	if (level && *level && strcmp(area_level_label(level), "") == 0)
		return err_set(&r->err, ERR_INVALID, "level", "层级应为region、district、street或neighbourhood");
	f.level = level;
	f.q = req_query(r, "q");
	rc = area_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_areas_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = area_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_areas_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc = area_create(r->db, &r->actor, r->json, &id, &r->err);

	if (!rc)
		rc = area_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_areas_update(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "area", id);
		rc = area_update(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		rc = area_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_areas_delete(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "area", id);
		rc = area_delete(r->db, &r->actor, id, &r->err);
	}
	if (!rc)
		req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return rc;
}
