/* import_job.h: web-console imports as background jobs (one at a time), with progress kept in the imports table. */
#ifndef LTCI_IMPORT_JOB_H
#define LTCI_IMPORT_JOB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/import.h"
#include "svc/role.h"

/* Record a queued import and move the uploaded file into data_dir/imports/<id>.csv. Audited (import.upload). */
int import_job_create(struct db *db, struct actor *a, enum import_kind kind, const char *filename,
		      const char *upload_path, int64_t bytes, const char *data_dir, int64_t *id, struct err *e);
/* Run it in the background on its own connection to db_url. */
int import_job_start(const char *db_url, const char *data_dir, int64_t id, enum import_kind kind,
		     const struct actor *a, struct err *e);
/* One job visible to the actor; rejects (may be NULL) gets its rejects file path ("" if none). */
int import_job_get(struct db *db, const struct actor *a, int64_t id, json_t **out, char *rejects, size_t rsize,
		   struct err *e);
int import_job_list(struct db *db, const struct actor *a, int page, int page_size, json_t **out, struct err *e);
/* Jobs left queued or running by a previous process are marked failed. */
int import_jobs_recover(struct db *db, struct err *e);
/* Where a job's input and rejects files live. */
void import_job_paths(const char *data_dir, int64_t id, char *input, size_t isize, char *rejects, size_t rsize);

#endif
