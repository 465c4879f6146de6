/* settle.c: routes for monthly settlement: the scheme's settlement rules, the month's run, statements with their
 * beneficiary-months and lines down to the visits, the steps (claim, objections, two reviews, approval, reopen),
 * adjustments, payment exports with their .xlsx and bank CSV, the fund by month and the supplementary insurance
 * roster. Each handler checks its input and calls one service function (svc/settlement.h, svc/fund.h). */
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/date.h"
#include "base/json.h"
#include "base/str.h"
#include "svc/fund.h"
#include "svc/settlement.h"

int api_settlement_rules(struct http_req *r)
{
	req_reply(r, 200, scheme_settlement_json(r->app->scheme));
	return 0;
}

int api_settlement_run(struct http_req *r)
{
	static const struct jx_field fields[] = {
		{"month", JX_STRING, JX_REQUIRED, 7, 7},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct settlement_run_result res;
	int rc = jx_check(r->json, fields, "", &r->err);

	str_copy(r->target_type, "settlement_month", sizeof r->target_type);
	if (jx_str(r->json, "month"))
		str_copy(r->target_id, jx_str(r->json, "month"), sizeof r->target_id);
	if (rc)
		return rc;
	rc = settlement_run(r->db, NULL, r->app->scheme, &r->actor, jx_str(r->json, "month"),
			    jx_int(r->json, "provider_id", 0), &res, &r->err);
	if (!rc)
		req_reply(r, 200, settlement_run_json(&res));
	settlement_run_free(&res);
	return rc;
}

int api_settlement_months(struct http_req *r)
{
	json_t *out;
	int rc = settlement_months(r->db, &r->actor, &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* ---- statements ---- */

int api_settlement_statements(struct http_req *r)
{
	struct settlement_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (rc)
		return rc;
	f.month = req_query(r, "month");
	f.status = req_query(r, "status");
	rc = settlement_statement_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_statement_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_statement_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_statement_items(struct http_req *r)
{
	int64_t id;
	int page, page_size;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = req_page(r, &page, &page_size);
	if (!rc)
		rc = settlement_items_list(r->db, &r->actor, id, req_query(r, "q"), page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* A file made for this download: sent from its descriptor, its name gone from the directory at once. */
static int reply_temp(struct http_req *r, const char *path, const char *type, const char *name)
{
	int rc = req_reply_file(r, path, type, name);

	unlink(path);
	return rc;
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int api_settlement_statement_xlsx(struct http_req *r)
{
	char path[700], name[96];
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_statement_file(r->db, &r->actor, id, r->app->cfg.data_dir, path, sizeof path, name,
					       sizeof name, &r->err);
	return rc ? rc : reply_temp(r, path, XLSX_TYPE, name);
}

typedef int (*step_fn)(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

static int step(struct http_req *r, step_fn fn)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "settlement_statement", id);
	rc = fn(r->db, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = settlement_statement_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_claim(struct http_req *r)
{
	return step(r, settlement_claim);
}

int api_settlement_first_review(struct http_req *r)
{
	return step(r, settlement_first_review);
}

int api_settlement_second_review(struct http_req *r)
{
	return step(r, settlement_second_review);
}

int api_settlement_approve(struct http_req *r)
{
	return step(r, settlement_approve);
}

int api_settlement_reopen(struct http_req *r)
{
	return step(r, settlement_reopen);
}

/* ---- beneficiary-months, lines, objections ---- */

int api_settlement_item_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_item_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_line_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_line_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_object(struct http_req *r)
{
	int64_t line, oid = 0;
	json_t *out;
	int rc = req_param_id(r, 0, &line);

	if (rc)
		return rc;
	req_target(r, "settlement_line", line);
	rc = settlement_object(r->db, &r->actor, line, r->json, &oid, &r->err);
	if (!rc)
		rc = settlement_line_get(r->db, &r->actor, line, &out, &r->err);
	if (!rc) {
		json_object_set_new(out, "objection_id", json_integer(oid));
		req_reply(r, 201, out);
	}
	return rc;
}

int api_settlement_objections(struct http_req *r)
{
	int64_t statement = 0;
	json_t *out;
	int rc = req_query_int(r, "statement_id", 0, 1, INT64_MAX, &statement);

	if (!rc)
		rc = settlement_objection_list(r->db, &r->actor, statement, req_query(r, "status"), &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_answer(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "settlement_objection", id);
	rc = settlement_answer(r->db, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = settlement_objection_list(r->db, &r->actor, 0, NULL, &out, &r->err);
	if (!rc) {
		/* the answered objection alone */
		json_t *items = json_object_get(out, "items"), *it, *found = NULL;
		size_t i;
		json_array_foreach(items, i, it)
			if (json_integer_value(json_object_get(it, "id")) == id)
				found = json_incref(it);
		json_decref(out);
		req_reply(r, 200, found ? found : json_object());
	}
	return rc;
}

/* ---- adjustments ---- */

int api_settlement_adjustments(struct http_req *r)
{
	struct settlement_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "provider_id", 0, 1, INT64_MAX, &f.provider_id);
	if (rc)
		return rc;
	f.month = req_query(r, "month");
	f.status = req_query(r, "status");
	rc = settlement_adjustment_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* The adjustment just written, from the list of its month. */
static int reply_adjustment(struct http_req *r, int64_t id, int status)
{
	struct settlement_filter f = {.page = 1, .page_size = 1};
	struct db_stmt *st = NULL;
	char month[8] = "";
	json_t *out;
	int rc = db_query(r->db, &st, &r->err, "SELECT month, provider_id FROM settlement_adjustments WHERE id = $1",
			  DB_INT(id));

	if (!rc && (rc = db_step(st, &r->err)) == DB_ROW) {
		rc = 0;
		str_copy(month, db_col_text(st, 0), sizeof month);
		f.provider_id = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_DONE)
		rc = err_set(&r->err, ERR_NOT_FOUND, "id", "调整项不存在");
	if (rc)
		return rc;
	f.month = month;
	f.page_size = 200;
	rc = settlement_adjustment_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc) {
		json_t *items = json_object_get(out, "items"), *it, *found = NULL;
		size_t i;
		json_array_foreach(items, i, it)
			if (json_integer_value(json_object_get(it, "id")) == id)
				found = json_incref(it);
		json_decref(out);
		req_reply(r, status, found ? found : json_pack("{s:I}", "id", (json_int_t)id));
	}
	return rc;
}

int api_settlement_adjustment_create(struct http_req *r)
{
	int64_t id = 0;
	int rc;

	str_copy(r->target_type, "settlement_adjustment", sizeof r->target_type);
	rc = settlement_adjustment_create(r->db, r->app->scheme, &r->actor, r->json, &id, &r->err);
	return rc ? rc : reply_adjustment(r, id, 201);
}

int api_settlement_adjustment_cancel(struct http_req *r)
{
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "settlement_adjustment", id);
	rc = settlement_adjustment_cancel(r->db, &r->actor, id, &r->err);
	return rc ? rc : reply_adjustment(r, id, 200);
}

/* ---- payments ---- */

int api_settlement_payments(struct http_req *r)
{
	json_t *out;
	int rc = settlement_payment_list(r->db, &r->actor, req_query(r, "month"), &out, &r->err);

	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_settlement_payment_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc;

	str_copy(r->target_type, "settlement_payment", sizeof r->target_type);
	rc = settlement_payment_create(r->db, &r->actor, r->json, &id, &r->err);
	if (!rc)
		rc = settlement_payment_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

int api_settlement_payment_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_payment_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

static int payment_file(struct http_req *r, enum settlement_file kind)
{
	char path[700], name[96];
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = settlement_payment_file(r->db, &r->actor, id, kind, r->app->cfg.data_dir, path, sizeof path, name,
					     sizeof name, &r->err);
	if (rc)
		return rc;
	return reply_temp(r, path, kind == SETTLEMENT_XLSX ? XLSX_TYPE : "text/csv; charset=utf-8", name);
}

int api_settlement_payment_xlsx(struct http_req *r)
{
	return payment_file(r, SETTLEMENT_XLSX);
}

int api_settlement_payment_csv(struct http_req *r)
{
	return payment_file(r, SETTLEMENT_CSV);
}

int api_settlement_payment_paid(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (rc)
		return rc;
	req_target(r, "settlement_payment", id);
	rc = settlement_payment_paid(r->db, &r->actor, id, r->json, &r->err);
	if (!rc)
		rc = settlement_payment_get(r->db, &r->actor, id, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

/* ---- the fund by month, supplementary insurance ---- */

int api_fund_months(struct http_req *r)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	char dfrom[8], dto[8];
	int y, m, d;
	json_t *out;
	int rc;

	/* default: the twelve months up to this one */
	date_to_ymd(date_today_cn(), &y, &m, &d);
	snprintf(dto, sizeof dto, "%04d-%02d", y, m);
	date_to_ymd(date_add_months(date_from_ymd(y, m, 1), -11), &y, &m, &d);
	snprintf(dfrom, sizeof dfrom, "%04d-%02d", y, m);
	rc = fund_months(r->db, from && *from ? from : dfrom, to && *to ? to : dto, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_supplementary_list(struct http_req *r)
{
	int64_t person = 0;
	int page, page_size;
	json_t *out;
	int rc = req_page(r, &page, &page_size);

	if (!rc)
		rc = req_query_int(r, "person_id", 0, 1, INT64_MAX, &person);
	if (!rc)
		rc = supplementary_policy_list(r->db, person, page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_supplementary_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc;

	str_copy(r->target_type, "person", sizeof r->target_type);
	rc = supplementary_policy_create(r->db, &r->actor, r->json, &id, &r->err);
	if (!rc)
		rc = supplementary_policy_list(r->db, jx_int(r->json, "person_id", 0), 1, 200, &out, &r->err);
	if (!rc) {
		json_object_set_new(out, "id", json_integer(id));
		req_reply(r, 201, out);
	}
	return rc;
}
