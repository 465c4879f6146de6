/* health.c: liveness (/healthz: the process answers) and readiness (/readyz: the database answers and its schema
 * matches this binary). */
#include "api/api.h"
#include "db/migrate.h"

int api_healthz(struct http_req *r)
{
	req_reply(r, 200, json_pack("{s:s}", "status", "ok"));
	return 0;
}

int api_readyz(struct http_req *r)
{
	struct err e;
	int64_t one = 0;

	if (db_int0(r->db, &one, &e, "SELECT 1") || one != 1) {
		req_reply(r, 503, json_pack("{s:s, s:s}", "status", "unavailable", "reason", "database"));
		return 0;
	}
	if (migrate_check(r->db, &e)) {
		req_reply(r, 503, json_pack("{s:s, s:s}", "status", "unavailable", "reason", "schema"));
		return 0;
	}
	req_reply(r, 200, json_pack("{s:s, s:s}", "status", "ready", "engine",
				     db_engine(r->db) == DB_SQLITE ? "sqlite" : "postgresql"));
	return 0;
}
