/* persons.c: the registry of insured persons (search, full record, create, update, enrolments, deaths,
 * hospital stays). */
#include "api/api.h"
#include "svc/person.h"

int api_persons_list(struct http_req *r)
{
	struct person_filter f = {0};
	json_t *out;
	int rc = req_page(r, &f.page, &f.page_size);

	if (!rc)
		rc = req_query_int(r, "area_id", 0, 1, INT64_MAX, &f.area_id);
	if (rc)
		return rc;
	f.name = req_query(r, "name");
	f.id = req_query(r, "id");
	f.phone = req_query(r, "phone");
	f.status = req_query(r, "status");
	rc = person_list(r->db, &r->actor, &f, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_persons_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = person_get(r->db, &r->actor, id, true, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_persons_create(struct http_req *r)
{
	int64_t id = 0;
	json_t *out;
	int rc = person_create(r->db, &r->actor, r->json, &id, &r->err);

	if (!rc)
		rc = person_get(r->db, &r->actor, id, false, &out, &r->err);
	if (!rc)
		req_reply(r, 201, out);
	return rc;
}

/* Run a write on one person, then answer with the full record. */
static int write_then_get(struct http_req *r, int (*fn)(struct db *, struct actor *, int64_t, const json_t *,
							 struct err *))
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc) {
		req_target(r, "person", id);
		rc = fn(r->db, &r->actor, id, r->json, &r->err);
	}
	if (!rc)
		rc = person_get(r->db, &r->actor, id, false, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_persons_update(struct http_req *r)
{
	return write_then_get(r, person_update);
}

int api_persons_enrol(struct http_req *r)
{
	return write_then_get(r, person_add_enrolment);
}

int api_persons_death(struct http_req *r)
{
	return write_then_get(r, person_set_death);
}

int api_persons_stay(struct http_req *r)
{
	return write_then_get(r, person_add_hospital_stay);
}
