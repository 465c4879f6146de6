/* imports.c: CSV imports through the web console: upload (streamed to disk), background processing, progress,
 * and the rejects file for download. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "svc/import_job.h"

int api_imports_create(struct http_req *r)
{
	const char *kind_s = req_query(r, "kind"), *filename = req_query(r, "filename");
	int kind = import_kind_parse(kind_s);
	int64_t id = 0;
	json_t *out;
	int rc;

	if (kind < 0)
		return err_set(&r->err, ERR_INVALID, "kind", "导入类型应为persons、enrolments、deaths、hospital-stays或caregivers");
	if (!filename || !*filename)
		filename = "upload.csv";
	if (strlen(filename) > 200)
		return err_set(&r->err, ERR_INVALID, "filename", "文件名过长");
	rc = import_job_create(r->db, &r->actor, (enum import_kind)kind, filename, r->upload_path, r->upload_bytes,
			       r->app->cfg.data_dir, &id, &r->err);
	if (rc)
		return rc;
	r->upload_path[0] = '\0'; /* the job owns the file now */
	rc = import_job_start(db_pool_url(r->app->pool), r->app->cfg.data_dir, id, (enum import_kind)kind, &r->actor,
			      &r->err);
	if (!rc)
		rc = import_job_get(r->db, &r->actor, id, &out, NULL, 0, &r->err);
	if (!rc)
		req_reply(r, 202, out);
	return rc;
}

int api_imports_list(struct http_req *r)
{
	int page, page_size;
	json_t *out;
	int rc = req_page(r, &page, &page_size);

	if (!rc)
		rc = import_job_list(r->db, &r->actor, page, page_size, &out, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_imports_get(struct http_req *r)
{
	int64_t id;
	json_t *out;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = import_job_get(r->db, &r->actor, id, &out, NULL, 0, &r->err);
	if (!rc)
		req_reply(r, 200, out);
	return rc;
}

int api_imports_rejects(struct http_req *r)
{
	char path[700], name[64];
	int64_t id;
	int rc = req_param_id(r, 0, &id);

	if (!rc)
		rc = import_job_get(r->db, &r->actor, id, NULL, path, sizeof path, &r->err);
	if (rc)
		return rc;
	if (!path[0])
		return err_set(&r->err, ERR_NOT_FOUND, "id", "该导入没有被拒绝的记录");
	snprintf(name, sizeof name, "import-%lld-rejects.csv", (long long)id);
	return req_reply_file(r, path, "text/csv; charset=utf-8", name);
}
