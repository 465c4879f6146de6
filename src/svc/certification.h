/* certification.h: certified levels (认定结论): lists and the re-assessment reminder list, sharing with other
 * departments (多评合一), reproducible follow-up samples (回访抽查) and statistics by street and month. */
#ifndef LTCI_CERTIFICATION_H
#define LTCI_CERTIFICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct certification_filter {
	const char *status;     /* publicised | certified | superseded; NULL = any */
	int64_t person_id;
	int expiring_days;      /* > 0: certified levels ending within this many days (re-assessment reminders) */
	bool qualifying;        /* only levels that give entitlement */
	int page, page_size;
};

int certification_list(struct db *db, const struct actor *a, const struct certification_filter *f, json_t **out,
		       struct err *e);
/* Certified, valid results for persons in the department's scope, with the scheme's mapping to its scale
 * (scale key from $.sharing.scales; NULL = none); since filters by conclusion date. Audited with the persons read. */
int certification_shared(struct db *db, const struct scheme *s, struct actor *a, const char *scale,
			 const char *since, int page, int page_size, json_t **out, struct err *e);

/* Draw a follow-up sample: per_street certified persons from every street in the actor's scope, with a recorded
 * (or given) seed; the same seed over the same population draws the same persons. */
int followup_draw(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e);
int followup_list(struct db *db, const struct actor *a, int64_t sample, int page, int page_size, json_t **out,
		  struct err *e);
/* in: {outcome, visited_on, notes?}. */
int followup_record(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* Applications, acceptances, rejections, pass rate and concluded levels by street and month (YYYY-MM range). */
int assessment_stats(struct db *db, const struct actor *a, const char *from, const char *to, json_t **out,
		     struct err *e);

#endif
