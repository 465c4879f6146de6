/* fund.c: the yearly contribution run and the fund's books (summary and ledger). */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/json.h"
#include "svc/contribution.h"
#include "svc/fund.h"

int api_contribution_run(struct http_req *r)
{
	static const struct jx_field fields[] = {
		{"year", JX_INT, JX_REQUIRED, 1990, 2199},
		{"entry_date", JX_STRING, JX_NULLABLE, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	struct contribution_result res;
	int rc = jx_check(r->json, fields, "", &r->err);

	if (rc)
		return rc;
	req_target(r, "contribution_year", jx_int(r->json, "year", 0));
	rc = contribution_run(r->db, r->app->scheme, &r->actor, (int)jx_int(r->json, "year", 0),
			      jx_str(r->json, "entry_date"), &res, &r->err);
	if (!rc)
		req_reply(r, 200, contribution_result_json(&res));
	return rc;
}

int api_fund_summary(struct http_req *r)
{
	int64_t year;
	json_t *out;
	int rc = req_query_int(r, "year", 0, 1990, 2199, &year);

	if (!rc)
		rc = fund_summary(r->db, (int)year, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_fund_ledger(struct http_req *r)
{
	struct fund_filter f = {0};
	const char *kind = req_query(r, "kind");
	int32_t day;
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (rc)
		return rc;
	if (kind && *kind && strcmp(kind, "income") && strcmp(kind, "spending") && strcmp(kind, "recovery") &&
	    strcmp(kind, "adjustment"))
		return err_set(&r->err, ERR_INVALID, "kind", "类型应为income、spending、recovery或adjustment");
	f.kind = kind;
	f.from = req_query(r, "from");
	f.to = req_query(r, "to");
	if (f.from && *f.from && !date_parse(f.from, &day))
		return err_set(&r->err, ERR_INVALID, "from", "日期应为YYYY-MM-DD");
	if (f.to && *f.to && !date_parse(f.to, &day))
		return err_set(&r->err, ERR_INVALID, "to", "日期应为YYYY-MM-DD");
	rc = fund_ledger_list(r->db, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}
