/* applications.c: the assessment workflow's routes: applications and their steps, materials, draws, the expert
 * pool, certifications, sharing with departments, follow-ups, statistics and the notice outbox. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "svc/application.h"
#include "svc/certification.h"
#include "svc/notify.h"

int api_assessment_form(struct http_req *r)
{
	json_t *form = scheme_form_json(r->app->scheme), *sum = scheme_summary_json(r->app->scheme);

	json_object_set(form, "levels", json_object_get(sum, "levels"));
	json_decref(sum);
	req_reply(r, 200, form);
	return 0;
}

int api_applications_list(struct http_req *r)
{
	struct application_filter f = {0};
	const char *overdue = req_query(r, "overdue"), *mine = req_query(r, "mine");
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &f.person_id);
	if (!rc)
		rc = req_query_int(r, "area_id", 0, 1, INT64_MAX, &f.area_id);
	if (rc)
		return rc;
	f.q = req_query(r, "q");
	f.status = req_query(r, "status");
	f.type = req_query(r, "type");
	f.overdue = overdue && strcmp(overdue, "1") == 0;
	f.mine = mine && strcmp(mine, "1") == 0;
	rc = application_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* Answer with the case after a step on it. */
static int reply_case(struct http_req *r, int64_t id, int status)
{
	json_t *out;
	int rc = application_get(r->db, r->app->scheme, &r->actor, id, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
}

int api_applications_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = application_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_case(r, id, 201);
}

int api_applications_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = application_read(r->db, r->app->scheme, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_applications_material(struct http_req *r)
{
	const char *kind = req_query(r, "kind"), *filename = req_query(r, "filename");
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "application", id);
	if (!filename || !*filename)
		filename = "material";
	if (strlen(filename) > 200)
		return err_set(&r->err, ERR_INVALID, "filename", "文件名过长");
	rc = application_add_material(r->db, &r->actor, id, kind, filename, r->upload_path, r->upload_bytes,
				      r->app->cfg.data_dir, &r->err);
	if (rc)
		return rc;
	r->upload_path[0] = '\0'; /* moved into the file store (or already there) */
	return reply_case(r, id, 201);
}

int api_applications_material_get(struct http_req *r)
{
	char path[800], type[64], name[256], safe[256];
	int64_t id, mid;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = req_param_id(r, 1, &mid);
	if (!rc)
		rc = application_material_file(r->db, &r->actor, id, mid, r->app->cfg.data_dir, path, sizeof path, type,
					       sizeof type, name, sizeof name, &r->err);
	if (rc)
		return rc;
	str_sanitize(name, safe, sizeof safe);
	return req_reply_file(r, path, type, safe);
}

/* A step that takes a JSON body. */
static int step_json(struct http_req *r, int (*fn)(struct db *, const struct scheme *, struct actor *, int64_t,
						    const json_t *, struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "application", id);
	rc = fn(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_case(r, id, 200);
}

/* A step without a body. */
static int step(struct http_req *r, int (*fn)(struct db *, const struct scheme *, struct actor *, int64_t, struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "application", id);
	rc = fn(r->db, r->app->scheme, &r->actor, id, &r->err);
	return rc ? rc : reply_case(r, id, 200);
}

int api_applications_prescreen(struct http_req *r)
{
	return step_json(r, application_prescreen);
}

int api_applications_withdraw(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "application", id);
	rc = application_withdraw(r->db, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_case(r, id, 200);
}

int api_applications_assign(struct http_req *r)
{
	return step(r, application_assign);
}

int api_applications_assess(struct http_req *r)
{
	return step_json(r, application_assess);
}

int api_applications_review(struct http_req *r)
{
	return step_json(r, application_review);
}

int api_applications_confirm(struct http_req *r)
{
	return step(r, application_confirm);
}

int api_applications_certify(struct http_req *r)
{
	return step(r, application_certify);
}

int api_applications_draws(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = application_draws(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_assessors_list(struct http_req *r)
{
	json_t *out;
	int rc = assessor_list(r->db, &r->actor, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_assessors_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc = assessor_create(r->db, &r->actor, r->json, &id, &r->err);

	if (!rc)
		rc = assessor_list(r->db, &r->actor, &out, &r->err);
	if (!rc)
		req_reply(r, 201, json_pack("{s:I, s:o}", "id", (json_int_t)id, "pool", out));
	return rc;
}

int api_assessors_update(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "assessor", id);
		rc = assessor_update(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		rc = assessor_list(r->db, &r->actor, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_certifications_list(struct http_req *r)
{
	struct certification_filter f = {0};
	int64_t expiring = 0;
	const char *q = req_query(r, "qualifying");
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &f.person_id);
	if (!rc)
		rc = req_query_int(r, "expiring_within", 0, 1, 3660, &expiring);
	if (rc)
		return rc;
	f.expiring_days = (int)expiring;
	f.status = req_query(r, "status");
	f.qualifying = q && strcmp(q, "1") == 0;
	rc = certification_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_shared_certifications(struct http_req *r)
{
	int page, page_size;
	json_t *out;
	int rc = req_page(r, &page, &page_size);

	if (!rc)
		rc = certification_shared(r->db, r->app->scheme, &r->actor, req_query(r, "scale"), req_query(r, "since"),
					  page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_followups_draw(struct http_req *r)
{
	json_t *out;
	int rc = followup_draw(r->db, &r->actor, r->json, &out, &r->err);

	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_followups_list(struct http_req *r)
{
	int64_t sample;
	int page, page_size;
	json_t *out;
	int rc = req_page(r, &page, &page_size);

	if (!rc)
		rc = req_query_int(r, "sample_id", 0, 1, INT64_MAX, &sample);
	if (!rc)
		rc = followup_list(r->db, &r->actor, sample, page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_followups_record(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "followup", id);
		rc = followup_record(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		req_reply(r, 200, json_pack("{s:b}", "ok", 1));
	return rc;
}

int api_assessment_stats(struct http_req *r)
{
	json_t *out;
	int rc = assessment_stats(r->db, &r->actor, req_query(r, "from"), req_query(r, "to"), &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_notices_list(struct http_req *r)
{
	const char *status = req_query(r, "status");
	int page, page_size;
	json_t *out;
	int rc = req_page(r, &page, &page_size);

	if (rc)
		return rc;
	if (status && *status && strcmp(status, "pending") && strcmp(status, "sent") && strcmp(status, "failed"))
		return err_set(&r->err, ERR_INVALID, "status", "状态应为pending、sent或failed");
	if (req_query(r, "ref_id") && strlen(req_query(r, "ref_id")) > 40)
		return err_set(&r->err, ERR_INVALID, "ref_id", "参数过长");
	rc = notify_list(r->db, status, req_query(r, "ref_id"), page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}
