/* feedback.c: routes for ratings of visits (the public short link and the family portal), complaints, family-care
 * attestations and institutional presence. */
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "svc/attendance.h"
#include "svc/feedback.h"

int api_feedback_options(struct http_req *r)
{
	req_reply(r, 200, feedback_options_json(r->app->scheme));
	return 0;
}

/* ---- ratings ---- */

static int rating_filter(struct http_req *r, struct rating_filter *f, bool paged)
{
	int64_t stars = 0;
	int rc = paged ? req_page(r, &f->page, &f->page_size) : 0;

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f->provider_id);
	if (!rc)
		rc = req_query_int(r, "stars", 0, 1, 5, &stars);
	if (!rc && paged)
		rc = req_query_int(r, "visit_id", 0, 1, INT64_MAX, &f->visit_id);
	f->stars = (int)stars;
	f->from = req_query(r, "from");
	f->to = req_query(r, "to");
	return rc;
}

int api_ratings_list(struct http_req *r)
{
	struct rating_filter f = {0};
	json_t *out;
	int rc = rating_filter(r, &f, true);

	if (!rc)
		rc = rating_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_ratings_summary(struct http_req *r)
{
	struct rating_filter f = {0};
	json_t *out;
	int rc = rating_filter(r, &f, false);

	if (!rc)
		rc = rating_summary(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_ratings_link_get(struct http_req *r)
{
	json_t *out;
	int rc = rating_link_view(r->db, r->app->scheme, r->nparams ? r->params[0] : NULL, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_ratings_link_post(struct http_req *r)
{
	const char *token = r->nparams ? r->params[0] : NULL;
	int64_t id = 0;
	json_t *out;
	int rc;

	str_copy(r->target_type, "rating_link", sizeof r->target_type);
	rc = rating_by_link(r->db, r->app->scheme, &r->actor, token, r->json, &id, &r->err);
	if (!rc)
		rc = rating_link_view(r->db, r->app->scheme, token, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_visits_rating(struct http_req *r)
{
	int64_t visit, id = 0;
	json_t *out;
	int rc = req_param_id(r, 0, &visit);

	if (rc)
		return rc;
	req_target(r, "visit", visit);
	rc = rating_by_portal(r->db, r->app->scheme, &r->actor, visit, r->json, &id, &r->err);
	if (!rc)
		rc = rating_get(r->db, id, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

/* ---- complaints ---- */

int api_complaints_list(struct http_req *r)
{
	struct complaint_filter f = {0};
	int64_t overdue = 0;
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (!rc)
		rc = req_query_int(r, "overdue", 0, 0, 1, &overdue);
	if (rc)
		return rc;
	f.overdue = overdue != 0;
	f.status = req_query(r, "status");
	f.category = req_query(r, "category");
	f.source = req_query(r, "source");
	f.from = req_query(r, "from");
	f.to = req_query(r, "to");
	rc = complaint_list(r->db, r->app->scheme, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

static int reply_complaint(struct http_req *r, int64_t id, bool audit, int status)
{
	json_t *out;
	int rc = complaint_get(r->db, r->app->scheme, &r->actor, id, audit, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
}

int api_complaints_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = complaint_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_complaint(r, id, false, 201);
}

int api_complaints_get(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	return rc ? rc : reply_complaint(r, id, true, 200);
}

static int complaint_step(struct http_req *r, int (*fn)(struct db *, struct actor *, int64_t, const json_t *,
							 struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "complaint", id);
	rc = fn(r->db, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_complaint(r, id, false, 200);
}

int api_complaints_note(struct http_req *r)
{
	return complaint_step(r, complaint_note);
}

int api_complaints_reply(struct http_req *r)
{
	return complaint_step(r, complaint_reply);
}

int api_complaints_close(struct http_req *r)
{
	return complaint_step(r, complaint_close);
}

/* ---- family care and institutional presence ---- */

int api_attestations_list(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = attestation_list(r->db, r->app->scheme, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_attestations_create(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "care_plan", id);
	rc = attestation_create(r->db, r->app->scheme, &r->actor, id, r->json, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_presence_list(struct http_req *r)
{
	struct presence_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "plan_id", 0, 1, INT64_MAX, &f.plan_id);
	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (rc)
		return rc;
	f.month = req_query(r, "month");
	rc = presence_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_presence_record(struct http_req *r)
{
	json_t *out;
	int rc;

	if (r->json && json_is_integer(json_object_get(r->json, "plan_id")))
		req_target(r, "care_plan", json_integer_value(json_object_get(r->json, "plan_id")));
	rc = presence_record(r->db, &r->actor, r->json, &out, &r->err);
	if (!rc) /* a new day is created; the same day again changes it */
		req_reply(r, json_is_null(json_object_get(out, "previous")) ? 201 : 200, out);
	return rc;
}
