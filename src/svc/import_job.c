/* import_job.c: imports uploaded through the web console run as background jobs, one at a time, each on its own
 * database connection; their progress and outcome are kept in the imports table for the console to poll. */
#include "svc/import_job.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/audit.h"

/* One import at a time: they are heavy on the database and an office rarely runs two. */
static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;

struct job {
	char *db_url;
	char *data_dir;
	int64_t id;
	enum import_kind kind;
	struct actor actor;
	struct db *db;
	double last;
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void import_job_paths(const char *data_dir, int64_t id, char *input, size_t isize, char *rejects, size_t rsize)
{
	if (input)
		snprintf(input, isize, "%s/imports/%lld.csv", data_dir, (long long)id);
	if (rejects)
		snprintf(rejects, rsize, "%s/imports/%lld.rejects.csv", data_dir, (long long)id);
}

int import_job_create(struct db *db, struct actor *a, enum import_kind kind, const char *filename,
		      const char *upload_path, int64_t bytes, const char *data_dir, int64_t *id_out, struct err *e)
{
	char dir[600], input[700], scope[170], ids[24];
	int64_t id = 0;
	int rc;

	snprintf(dir, sizeof dir, "%s/imports", data_dir);
	if (mkdir(dir, 0750) && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create %s", dir);
	actor_scope_path(a, scope, sizeof scope);
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &id, e,
		    "INSERT INTO imports (kind, filename, status, bytes_total, created_by, area_path, created_at)"
		    " VALUES ($1, $2, 'queued', $3, $4, $5, $6) RETURNING id",
		    DB_TEXT(import_kind_name(kind)), DB_TEXT(filename), DB_INT(bytes), DB_TEXT(a->username),
		    DB_TEXT(scope), DB_INT(date_now_unix()));
	if (!rc) {
		import_job_paths(data_dir, id, input, sizeof input, NULL, 0);
		if (rename(upload_path, input))
			rc = err_set(e, ERR_INTERNAL, NULL, "cannot move the upload: %s", strerror(errno));
	}
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:I}", "kind", import_kind_name(kind), "filename", filename, "bytes",
				      (json_int_t)bytes);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "import.upload", "import", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc)
		*id_out = id;
	return rc;
}

static void job_progress(const struct import_progress *p, void *arg)
{
	struct job *j = arg;
	struct err e;
	double t = seconds();

	if (t - j->last < 1.0 && p->bytes_done < p->bytes_total)
		return;
	j->last = t;
	db_exec(j->db, NULL, &e,
		"UPDATE imports SET total_rows = $1, ok_rows = $2, rejected_rows = $3, bytes_done = $4 WHERE id = $5",
		DB_INT(p->rows), DB_INT(p->ok), DB_INT(p->rejected), DB_INT(p->bytes_done), DB_INT(j->id));
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct import_result r;
	char input[700], rejects[700];
	struct err e = {0};
	int rc;

	pthread_mutex_lock(&job_lock);
	import_job_paths(j->data_dir, j->id, input, sizeof input, rejects, sizeof rejects);
	rc = db_open(j->db_url, &j->db, &e);
	if (rc) {
		log_error("event=import_job id=%lld msg=\"cannot open the database\"", (long long)j->id);
		goto out;
	}
	db_exec(j->db, NULL, &e, "UPDATE imports SET status = 'running', started_at = $1 WHERE id = $2",
		DB_INT(date_now_unix()), DB_INT(j->id));
	j->last = seconds();
	memset(&r, 0, sizeof r);
	rc = import_run(j->db, &j->actor, j->kind, input, rejects, job_progress, j, &r, &e);
	db_exec(j->db, NULL, NULL,
		"UPDATE imports SET status = $1, total_rows = $2, ok_rows = $3, rejected_rows = $4, bytes_done = bytes_total,"
		" encoding = $5, message = $6, rejects_path = $7, finished_at = $8 WHERE id = $9",
		DB_TEXT(rc ? "failed" : "done"), DB_INT(r.rows), DB_INT(r.ok), DB_INT(r.rejected),
		DB_TEXT(r.encoding[0] ? r.encoding : NULL), DB_TEXT(rc ? e.msg : NULL),
		DB_TEXT(r.rejected ? rejects : NULL), DB_INT(date_now_unix()), DB_INT(j->id));
	unlink(input); /* the upload is not kept once imported: it holds personal data */
out:
	db_close(j->db);
	pthread_mutex_unlock(&job_lock);
	free(j->db_url);
	free(j->data_dir);
	free(j);
	return NULL;
}

int import_job_start(const char *db_url, const char *data_dir, int64_t id, enum import_kind kind,
		     const struct actor *a, struct err *e)
{
	struct job *j = xcalloc(1, sizeof *j);
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	j->db_url = xstrdup(db_url);
	j->data_dir = xstrdup(data_dir);
	j->id = id;
	j->kind = kind;
	j->actor = *a;
	j->actor.audited = false;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, job_main, j);
	pthread_attr_destroy(&attr);
	if (rc) {
		free(j->db_url);
		free(j->data_dir);
		free(j);
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the import job");
	}
	return 0;
}

static const char *status_label(const char *s)
{
	if (strcmp(s, "queued") == 0)
		return "排队中";
	if (strcmp(s, "running") == 0)
		return "导入中";
	if (strcmp(s, "done") == 0)
		return "已完成";
	return "失败";
}

#define JOB_COLS                                                                                                   \
	"id, kind, filename, status, encoding, total_rows, ok_rows, rejected_rows, bytes_total, bytes_done, message,"  \
	" rejects_path, created_by, created_at, started_at, finished_at"

static json_t *job_json(struct db_stmt *st)
{
	int kind = import_kind_parse(db_col_text(st, 1));
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:I}", "id",
		      (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "kind_label",
		      kind >= 0 ? import_kind_label((enum import_kind)kind) : "", "filename", db_col_text(st, 2), "status",
		      db_col_text(st, 3), "status_label", status_label(db_col_text(st, 3)), "total_rows",
		      (json_int_t)db_col_int(st, 5), "ok_rows", (json_int_t)db_col_int(st, 6), "rejected_rows",
		      (json_int_t)db_col_int(st, 7), "bytes_total", (json_int_t)db_col_int(st, 8), "bytes_done",
		      (json_int_t)db_col_int(st, 9), "has_rejects", !db_col_null(st, 11), "created_at",
		      (json_int_t)db_col_int(st, 13));
	json_object_set_new(o, "encoding", db_col_text(st, 4) ? json_string(db_col_text(st, 4)) : json_null());
	json_object_set_new(o, "message", db_col_text(st, 10) ? json_string(db_col_text(st, 10)) : json_null());
	json_object_set_new(o, "created_by", db_col_text(st, 12) ? json_string(db_col_text(st, 12)) : json_null());
	json_object_set_new(o, "started_at", db_col_null(st, 14) ? json_null() : json_integer(db_col_int(st, 14)));
	json_object_set_new(o, "finished_at", db_col_null(st, 15) ? json_null() : json_integer(db_col_int(st, 15)));
	return o;
}

/* '' for region-wide actors, else their scope path followed by '%'. */
static void visible(const struct actor *a, char *out, size_t size)
{
	if (a->kind == ACTOR_SYSTEM || (!a->provider_id && strcmp(a->area_level, "region") == 0)) {
		out[0] = '\0';
		return;
	}
	actor_scope_path(a, out, size - 1);
	strcat(out, "%");
}

int import_job_get(struct db *db, const struct actor *a, int64_t id, json_t **out, char *rejects, size_t rsize,
		   struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180];
	int rc;

	visible(a, scope, sizeof scope);
	rc = db_query(db, &st, e, "SELECT " JOB_COLS " FROM imports WHERE id = $1 AND ($2 = '' OR area_path LIKE $2)",
		      DB_INT(id), DB_TEXT(scope));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		if (out)
			*out = job_json(st);
		if (rejects)
			str_copy(rejects, db_col_text(st, 11) ? db_col_text(st, 11) : "", rsize);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "导入任务不存在");
	}
	db_done(st);
	return rc;
}

int import_job_list(struct db *db, const struct actor *a, int page, int page_size, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	char scope[180];
	int64_t total = 0;
	int rc;

	visible(a, scope, sizeof scope);
	rc = db_int(db, &total, e, "SELECT COUNT(*) FROM imports WHERE ($1 = '' OR area_path LIKE $1)", DB_TEXT(scope));
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " JOB_COLS " FROM imports WHERE ($1 = '' OR area_path LIKE $1) ORDER BY id DESC"
			      " LIMIT $2 OFFSET $3",
			      DB_TEXT(scope), DB_INT(page_size), DB_INT((int64_t)(page - 1) * page_size));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, job_json(st));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page, "page_size",
			 page_size);
	return 0;
}

int import_jobs_recover(struct db *db, struct err *e)
{
	return db_exec(db, NULL, e,
		       "UPDATE imports SET status = 'failed', message = '服务重启，导入中断，请重新上传', finished_at = $1"
		       " WHERE status IN ('queued', 'running')",
		       DB_INT(date_now_unix()));
}
