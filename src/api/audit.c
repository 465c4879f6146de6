/* audit.c: reading the audit trail and checking its chain (admin, auditor). */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "svc/audit.h"

/* A time filter: Unix seconds, or a date 'YYYY-MM-DD' (start or end of that day in Asia/Shanghai). */
static int time_param(struct http_req *r, const char *name, bool end_of_day, int64_t *out)
{
	const char *v = req_query(r, name);
	int32_t day;

	*out = 0;
	if (!v || !*v)
		return 0;
	if (date_parse(v, &day)) {
		*out = (int64_t)day * 86400 - 8 * 3600 + (end_of_day ? 86399 : 0);
		return 0;
	}
	return req_query_int(r, name, 0, 0, INT64_MAX / 2, out);
}

int api_audit_list(struct http_req *r)
{
	struct audit_filter f = {0};
	const char *outcome = req_query(r, "outcome");
	json_t *out;
	int rc;

	rc = req_page(r, &f.page, &f.page_size);
	if (!rc)
		rc = req_query_int(r, "user_id", 0, 1, INT64_MAX, &f.user_id);
	if (!rc)
		rc = time_param(r, "from", false, &f.from);
	if (!rc)
		rc = time_param(r, "to", true, &f.to);
	if (rc)
		return rc;
	if (outcome && *outcome && strcmp(outcome, "ok") && strcmp(outcome, "denied") && strcmp(outcome, "failed") &&
	    strcmp(outcome, "error"))
		return err_set(&r->err, ERR_INVALID, "outcome", "结果应为ok、denied、failed或error");
	f.username = req_query(r, "username");
	f.action = req_query(r, "action");
	f.target_type = req_query(r, "target_type");
	f.target_id = req_query(r, "target_id");
	f.outcome = outcome;
	rc = audit_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_audit_verify(struct http_req *r)
{
	struct audit_verify_result res;
	int rc = audit_verify(r->db, &res, &r->err);

	if (rc)
		return rc;
	req_reply(r, 200, json_pack("{s:b, s:I, s:o, s:s}", "intact", res.first_bad == 0, "checked",
				     (json_int_t)res.checked, "first_bad",
				     res.first_bad ? json_integer(res.first_bad) : json_null(), "reason", res.reason));
	return 0;
}
