/* care.c: routes for providers and their agreements, caregivers, the service catalogue and care plans. */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "svc/care_plan.h"
#include "svc/caregiver.h"
#include "svc/provider.h"

/* ---- providers ---- */

int api_providers_list(struct http_req *r)
{
	struct provider_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "area_id", 0, 1, INT64_MAX, &f.area_id);
	if (rc)
		return rc;
	f.q = req_query(r, "q");
	f.kind = req_query(r, "kind");
	f.status = req_query(r, "status");
	f.mode = req_query(r, "mode");
	rc = provider_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

static int reply_provider(struct http_req *r, int64_t id, int status)
{
	json_t *out;
	int rc = provider_get(r->db, &r->actor, id, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
}

int api_providers_get(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	return rc ? rc : reply_provider(r, id, 200);
}

int api_providers_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = provider_create(r->db, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_provider(r, id, 201);
}

int api_providers_update(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "provider", id);
	rc = provider_update(r->db, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_provider(r, id, 200);
}

int api_providers_status(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "provider", id);
	rc = provider_set_status(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_provider(r, id, 200);
}

int api_providers_handover(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = provider_handover(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_agreements_create(struct http_req *r)
{
	int64_t id, agreement = 0;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "provider", id);
	rc = agreement_create(r->db, r->app->scheme, &r->actor, id, r->json, &agreement, &r->err);
	return rc ? rc : reply_provider(r, id, 201);
}

/* The provider of an agreement, to answer with it. */
static int agreement_provider(struct http_req *r, int64_t agreement, int64_t *provider)
{
	int rc = db_int(r->db, provider, &r->err, "SELECT provider_id FROM agreements WHERE id = $1", DB_INT(agreement));

	if (!rc && !*provider)
		rc = err_set(&r->err, ERR_NOT_FOUND, "id", "协议不存在");
	return rc;
}

int api_agreements_update(struct http_req *r)
{
	int64_t id, provider = 0;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "agreement", id);
	rc = agreement_update(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = agreement_provider(r, id, &provider);
	return rc ? rc : reply_provider(r, provider, 200);
}

int api_agreements_terminate(struct http_req *r)
{
	int64_t id, provider = 0;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "agreement", id);
	rc = agreement_terminate(r->db, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = agreement_provider(r, id, &provider);
	return rc ? rc : reply_provider(r, provider, 200);
}

/* ---- caregivers ---- */

int api_caregivers_list(struct http_req *r)
{
	struct caregiver_filter f = {0};
	int64_t days = 0;
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &f.person_id);
	if (!rc)
		rc = req_query_int(r, "expiring_within", 0, 1, 3660, &days);
	if (rc)
		return rc;
	f.expiring_within = (int)days;
	f.q = req_query(r, "q");
	f.kind = req_query(r, "kind");
	f.status = req_query(r, "status");
	rc = caregiver_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

static int reply_caregiver(struct http_req *r, int64_t id, bool audit, int status)
{
	json_t *out;
	int rc = caregiver_get(r->db, &r->actor, id, audit, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
}

int api_caregivers_get(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	return rc ? rc : reply_caregiver(r, id, true, 200);
}

int api_caregivers_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = caregiver_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_caregiver(r, id, false, 201);
}

/* A write on one caregiver, then the record (seen as the caller sees it; a move may take it out of sight). */
static int caregiver_step(struct http_req *r, int (*fn)(struct db *, struct actor *, int64_t, const json_t *,
							 struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "caregiver", id);
	rc = fn(r->db, &r->actor, id, r->json, &r->err);
	if (rc)
		return rc;
	rc = reply_caregiver(r, id, false, 200);
	if (rc == ERR_NOT_FOUND) {
		req_reply(r, 200, json_pack("{s:I}", "id", (json_int_t)id));
		rc = 0;
	}
	return rc;
}

int api_caregivers_update(struct http_req *r)
{
	return caregiver_step(r, caregiver_update);
}

int api_caregivers_certificate(struct http_req *r)
{
	return caregiver_step(r, caregiver_add_certificate);
}

int api_caregivers_move(struct http_req *r)
{
	return caregiver_step(r, caregiver_move);
}

int api_caregivers_status(struct http_req *r)
{
	return caregiver_step(r, caregiver_set_status);
}

int api_caregivers_qualification(struct http_req *r)
{
	const char *date = req_query(r, "date");
	int64_t id, provider = 0;
	int32_t day = date_today_cn();
	enum qual_result q = QUAL_OK;
	json_t *probe;
	char day_s[DATE_STR];
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &provider);
	if (!rc && date && !date_parse(date, &day))
		rc = err_set(&r->err, ERR_INVALID, "date", "日期应为YYYY-MM-DD");
	/* the caller must see the caregiver */
	if (!rc)
		rc = caregiver_get(r->db, &r->actor, id, false, &probe, &r->err);
	if (rc)
		return rc;
	json_decref(probe);
	rc = caregiver_qualified(r->db, id, provider, day, &q, &r->err);
	if (rc)
		return rc;
	date_format(day, day_s);
	req_reply(r, 200,
		  json_pack("{s:I, s:s, s:o, s:b, s:s, s:s}", "caregiver_id", (json_int_t)id, "date", day_s, "provider_id",
			    provider ? json_integer(provider) : json_null(), "qualified", q == QUAL_OK, "result",
			    qual_result_code(q), "text", qual_result_text(q)));
	return 0;
}

int api_caregivers_stats(struct http_req *r)
{
	int64_t provider = 0;
	json_t *out;
	int rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &provider);

	if (!rc)
		rc = caregiver_stats(r->db, &r->actor, provider, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* ---- catalogue and care plans ---- */

int api_care_catalogue(struct http_req *r)
{
	req_reply(r, 200, scheme_care_json(r->app->scheme));
	return 0;
}

int api_care_plans_check(struct http_req *r)
{
	json_t *out;
	int rc = care_plan_check(r->db, r->app->scheme, &r->actor, r->json, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_care_plans_list(struct http_req *r)
{
	struct care_plan_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &f.person_id);
	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (rc)
		return rc;
	f.status = req_query(r, "status");
	f.mode = req_query(r, "mode");
	rc = care_plan_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

static int reply_plan(struct http_req *r, int64_t id, int status)
{
	json_t *out;
	int rc = care_plan_get(r->db, r->app->scheme, &r->actor, id, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
}

int api_care_plans_get(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	return rc ? rc : reply_plan(r, id, 200);
}

int api_care_plans_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = care_plan_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_plan(r, id, 201);
}

int api_care_plans_update(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "care_plan", id);
	rc = care_plan_update(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_plan(r, id, 200);
}

int api_care_plans_confirm(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "care_plan", id);
	rc = care_plan_confirm(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_plan(r, id, 200);
}

static int plan_step(struct http_req *r, int (*fn)(struct db *, struct actor *, int64_t, const json_t *,
						    struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "care_plan", id);
	rc = fn(r->db, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_plan(r, id, 200);
}

int api_care_plans_cancel(struct http_req *r)
{
	return plan_step(r, care_plan_cancel);
}

int api_care_plans_end(struct http_req *r)
{
	return plan_step(r, care_plan_end);
}

int api_persons_provider_options(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = care_plan_options(r->db, r->app->scheme, &r->actor, id, req_query(r, "mode"), &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}
