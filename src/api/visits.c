/* visits.c: routes for scheduling, the caregiver's check-in and check-out, visit records (with their rating and
 * recording), exceptions and their counts, locks and the map of a day's visits. */
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "svc/care_plan.h"
#include "svc/feedback.h"
#include "svc/visit.h"

int api_visits_rules(struct http_req *r)
{
	req_reply(r, 200, scheme_visits_json(r->app->scheme));
	return 0;
}

int api_plan_patterns_set(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "care_plan", id);
	rc = visit_patterns_set(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = api_plan_patterns_get(r);
	return rc;
}

static json_t *pattern_row(struct db_stmt *st)
{
	return json_pack("{s:i, s:s, s:I, s:s}", "weekday", (int)db_col_int(st, 0), "start_time", db_col_text(st, 1),
			 "caregiver_id", (json_int_t)db_col_int(st, 2), "caregiver_name", db_col_text(st, 3));
}

int api_plan_patterns_get(struct http_req *r)
{
	struct db_stmt *st = NULL;
	int64_t id;
	json_t *items;
	int rc = req_param_id(r, 0, &id);

	/* the caller must see the plan */
	if (!rc)
		rc = care_plan_visible(r->db, &r->actor, id, &r->err);
	if (!rc)
		rc = db_query(r->db, &st, &r->err,
			      "SELECT vp.weekday, vp.start_time, vp.caregiver_id, c.name FROM visit_patterns vp"
			      " JOIN caregivers c ON c.id = vp.caregiver_id WHERE vp.plan_id = $1 ORDER BY vp.weekday, vp.start_time",
			      DB_INT(id));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, &r->err)) == DB_ROW)
		json_array_append_new(items, pattern_row(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	req_reply(r, 200, json_pack("{s:I, s:o}", "plan_id", (json_int_t)id, "patterns", items));
	return 0;
}

int api_visits_schedule(struct http_req *r)
{
	json_t *out;
	int rc = visit_schedule(r->db, r->app->scheme, &r->actor, r->json, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* Who reads a visit's rating with its record: the readers of the ratings list and the family (who gave it). */
static bool sees_rating(const struct actor *a)
{
	return a->role == ROLE_BUREAU || a->role == ROLE_AUDITOR || a->role == ROLE_PROVIDER_ADMIN ||
	       a->role == ROLE_APPLICANT;
}

static int reply_visit(struct http_req *r, int64_t id, int status)
{
	json_t *out, *rating = NULL;
	int rc = visit_get(r->db, r->app->scheme, &r->actor, id, &out, &r->err);

	if (rc)
		return rc;
	if (sees_rating(&r->actor)) {
		rc = rating_of_visit(r->db, id, &rating, &r->err);
		if (rc) {
			json_decref(out);
			return rc;
		}
		json_object_set_new(out, "rating", rating);
	}
	req_reply(r, status, out);
	return 0;
}

int api_visits_create(struct http_req *r)
{
	int64_t id = 0;
	int rc = visit_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_visit(r, id, 201);
}

int api_visits_list(struct http_req *r)
{
	struct visit_filter f = {0};
	const char *mine = req_query(r, "mine");
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "caregiver_id", 0, 1, INT64_MAX, &f.caregiver_id);
	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &f.person_id);
	if (!rc)
		rc = req_query_int(r, "plan_id", 0, 1, INT64_MAX, &f.plan_id);
	if (rc)
		return rc;
	f.from = req_query(r, "from");
	f.to = req_query(r, "to");
	f.status = req_query(r, "status");
	f.verify_state = req_query(r, "verify_state");
	f.review_state = req_query(r, "review_state");
	f.reason = req_query(r, "reason");
	f.mine = mine && strcmp(mine, "1") == 0;
	rc = visit_list(r->db, r->app->scheme, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_visits_exception_summary(struct http_req *r)
{
	struct visit_filter f = {0};
	json_t *out;
	int rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);

	if (rc)
		return rc;
	f.from = req_query(r, "from");
	f.to = req_query(r, "to");
	rc = visit_exception_summary(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* The recording of a visit, streamed from the file store (every download audited). */
int api_visits_audio_get(struct http_req *r)
{
	char path[800], type[64], name[128];
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = visit_audio_file(r->db, &r->actor, id, r->app->cfg.data_dir, path, sizeof path, type, sizeof type, name,
				      sizeof name, &r->err);
	return rc ? rc : req_reply_file(r, path, type, name);
}

int api_visits_get(struct http_req *r)
{
	json_t *out, *rating = NULL, *contact = NULL;
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = visit_get(r->db, r->app->scheme, &r->actor, id, &out, &r->err);
	if (rc)
		return rc;
	if (sees_rating(&r->actor))
		rc = rating_of_visit(r->db, id, &rating, &r->err);
	/* the caregiver's own visit to serve: how to find the home (an audited read) */
	if (!rc && r->actor.role == ROLE_CAREGIVER)
		rc = visit_contact(r->db, &r->actor, id, &contact, &r->err);
	if (rc) {
		json_decref(rating);
		json_decref(out);
		return rc;
	}
	if (sees_rating(&r->actor))
		json_object_set_new(out, "rating", rating);
	if (r->actor.role == ROLE_CAREGIVER)
		json_object_set_new(out, "contact", contact ? contact : json_null());
	req_reply(r, 200, out);
	return 0;
}

/* The plans a caregiver may check in on today without a scheduled visit. */
int api_visits_plans_today(struct http_req *r)
{
	json_t *out;
	int rc = visit_plans_today(r->db, &r->actor, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* A step on one visit that takes a JSON body. */
static int step(struct http_req *r,
		int (*fn)(struct db *, const struct scheme *, struct actor *, int64_t, const json_t *, struct err *))
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "visit", id);
	rc = fn(r->db, r->app->scheme, &r->actor, id, r->json, &r->err);
	return rc ? rc : reply_visit(r, id, 200);
}

static int cancel_fn(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e)
{
	(void)s;
	return visit_cancel(db, a, id, in, e);
}

static int unlock_fn(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e)
{
	(void)s;
	return visit_unlock(db, a, id, in, e);
}

int api_visits_reassign(struct http_req *r)
{
	return step(r, visit_reassign);
}

int api_visits_cancel(struct http_req *r)
{
	return step(r, cancel_fn);
}

int api_visits_explain(struct http_req *r)
{
	return step(r, visit_explain);
}

int api_visits_decide(struct http_req *r)
{
	return step(r, visit_decide);
}

int api_visits_unlock(struct http_req *r)
{
	return step(r, unlock_fn);
}

int api_visits_correct(struct http_req *r)
{
	return step(r, visit_correct);
}

/* The visit a check-in or check-out names, as the target of its audit row if the service writes none (refused). */
static void target_from_body(struct http_req *r)
{
	json_t *v = json_object_get(r->json, "visit_id");

	if (json_is_integer(v) && json_integer_value(v) > 0)
		req_target(r, "visit", json_integer_value(v));
}

int api_visits_checkin(struct http_req *r)
{
	int64_t id = 0;
	json_t *out = NULL;
	int rc;

	target_from_body(r);
	rc = visit_checkin(r->db, r->app->scheme, &r->actor, r->json, &id, &out, &r->err);
	if (rc)
		return rc;
	if (out) {
		req_reply(r, 200, out);
		return 0;
	}
	/* a record sent again: the visit as recorded; the dispatcher's audit row names it */
	req_target(r, "visit", id);
	return reply_visit(r, id, 200);
}

int api_visits_checkout(struct http_req *r)
{
	int64_t id = 0;
	int rc;

	target_from_body(r);
	rc = visit_checkout(r->db, r->app->scheme, &r->actor, r->json, r->app->cfg.public_url, &id, &r->err);
	if (rc)
		return rc;
	req_target(r, "visit", id); /* for the audit row of a record sent again (nothing written) */
	return reply_visit(r, id, 200);
}

int api_visits_audio(struct http_req *r)
{
	int64_t id, seconds = 0;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = req_query_int(r, "seconds", 0, 0, 21600, &seconds);
	if (rc)
		return rc;
	req_target(r, "visit", id);
	rc = visit_audio(r->db, r->app->scheme, &r->actor, id, r->upload_path, r->upload_bytes, seconds,
			 r->app->cfg.data_dir, &r->err);
	if (rc)
		return rc;
	r->upload_path[0] = '\0'; /* moved into the file store */
	return reply_visit(r, id, 200);
}

/* The day's visits as points for the map: where each check-in happened, and its state; scoped like the list. */
int api_visits_map(struct http_req *r)
{
	int64_t provider = 0;
	json_t *out;
	int rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &provider);

	if (!rc)
		rc = visit_map(r->db, &r->actor, req_query(r, "date"), provider, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}
