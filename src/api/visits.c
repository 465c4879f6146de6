/* visits.c: routes for scheduling, the caregiver's check-in and check-out, visit records, exceptions, locks and the
 * map of a day's visits. */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "rules/verify.h"
#include "svc/care_plan.h"
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

static int reply_visit(struct http_req *r, int64_t id, int status)
{
	json_t *out;
	int rc = visit_get(r->db, r->app->scheme, &r->actor, id, &out, &r->err);

	if (!rc)
		req_reply(r, status, out);
	return rc;
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
	f.mine = mine && strcmp(mine, "1") == 0;
	rc = visit_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_visits_get(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	return rc ? rc : reply_visit(r, id, 200);
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

int api_visits_checkin(struct http_req *r)
{
	int64_t id = 0;
	json_t *out = NULL;
	int rc = visit_checkin(r->db, r->app->scheme, &r->actor, r->json, &id, &out, &r->err);

	if (rc)
		return rc;
	if (out) {
		req_reply(r, 200, out);
		return 0;
	}
	return reply_visit(r, id, 200); /* a record sent again: the visit as recorded */
}

int api_visits_checkout(struct http_req *r)
{
	int64_t id = 0;
	int rc = visit_checkout(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);

	return rc ? rc : reply_visit(r, id, 200);
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

/* The day's visits as points for the map: where each check-in happened, and its state. */
int api_visits_map(struct http_req *r)
{
	const char *date = req_query(r, "date");
	char today[DATE_STR];
	struct db_stmt *st = NULL;
	json_t *items;
	int32_t d;
	int rc;

	if (date && !date_parse(date, &d))
		return err_set(&r->err, ERR_INVALID, "date", "日期应为YYYY-MM-DD");
	date_format(date_today_cn(), today);
	rc = db_query(r->db, &st, &r->err,
		      "SELECT v.id, v.checkin_lat_e6, v.checkin_lon_e6, v.status, v.verify_state, v.reasons, pr.name, p.lat_e6,"
		      " p.lon_e6 FROM visits v JOIN providers pr ON pr.id = v.provider_id JOIN persons p ON p.id = v.person_id"
		      " WHERE v.visit_date = $1 AND v.status IN ('in_progress', 'done') ORDER BY v.id LIMIT $2",
		      DB_TEXT(date ? date : today), DB_INT(LIMIT_MAP_POINTS));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, &r->err)) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "status", db_col_text(st, 3),
				      "verify_state", db_col_text(st, 4), "provider", db_col_text(st, 6));
		json_object_set_new(o, "lat", db_col_null(st, 1) ? json_null() : json_real((double)db_col_int(st, 1) / 1e6));
		json_object_set_new(o, "lon", db_col_null(st, 2) ? json_null() : json_real((double)db_col_int(st, 2) / 1e6));
		json_object_set_new(o, "home_lat", db_col_null(st, 7) ? json_null() : json_real((double)db_col_int(st, 7) / 1e6));
		json_object_set_new(o, "home_lon", db_col_null(st, 8) ? json_null() : json_real((double)db_col_int(st, 8) / 1e6));
		json_object_set_new(o, "reasons", verify_reasons_json((uint32_t)db_col_int(st, 5)));
		json_array_append_new(items, o);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	req_reply(r, 200, json_pack("{s:s, s:o}", "date", date ? date : today, "items", items));
	return 0;
}
