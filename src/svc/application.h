/* application.h: the assessment workflow (申请 → 初筛 → 抽取评估人员 → 评估 → 质控/委员会 → 专家确认 → 公示 → 认定),
 * a state machine in which every transition is audited and every illegal transition answers ERR_CONFLICT (409).
 *
 *   submitted ──prescreen accept──▶ accepted ──assign──▶ assigned ──assessment──▶ in_review (flags)
 *       │                              │                    ▲              │        │ uphold/amend
 *       ├─prescreen reject─▶ rejected  │                    └── revisit ───┘        ▼
 *       └─withdraw─▶ withdrawn ◀───────┘          (no flags) ──────────▶ awaiting_confirmation
 *                                                                  2 experts confirm ▼
 *                                                 publicised ──publication ends──▶ certified
 */
#ifndef LTCI_APPLICATION_H
#define LTCI_APPLICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct application_filter {
	const char *status;     /* NULL = any */
	const char *type;
	int64_t person_id;      /* 0 = any */
	int64_t area_id;        /* persons living in this area's subtree */
	const char *q;          /* person name prefix, the last 4+ characters of the ID number, or the case number */
	bool overdue;           /* past the pre-screening due date, or accepted and past the conclusion due date */
	bool mine;              /* assigned to the calling expert or assessor (open assignments) */
	int page, page_size;
};

/* in: {person_id, type, appeal_of?, green_channel?, green_reason?, pledge_signed, self_assessment?{},
 *      disability_since?, applicant_kind, agent_name?, agent_relation?, agent_phone?, agent_email?, note?} */
int application_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		       struct err *e);
/* The full case: the application, its live pre-screening checks, materials, draws, assessments, reviews,
 * confirmations and certification. */
int application_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		    struct err *e);
/* The same for a caller who opened the case (GET): the read is audited as application.read. */
int application_read(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		     struct err *e);
int application_list(struct db *db, const struct actor *a, const struct application_filter *f, json_t **out,
		     struct err *e);
/* Attach a material (a PDF, JPEG or PNG checked by its first bytes), stored by SHA-256 under data_dir/files. */
int application_add_material(struct db *db, struct actor *a, int64_t id, const char *kind, const char *filename,
			     const char *upload_path, int64_t size, const char *data_dir, struct err *e);
/* Where a material's file is, for download (path, content type, file name). */
int application_material_file(struct db *db, const struct actor *a, int64_t id, int64_t material, const char *data_dir,
			      char *path, size_t psize, char *type, size_t tsize, char *name, size_t nsize,
			      struct err *e);
/* in: {decision: accept|reject, reasons?: [code], note?}. Accept needs every automatic check to pass. */
int application_prescreen(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
			  struct err *e);
int application_withdraw(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* The automatic pre-screening checks of an application: [{code, ok, message}]. */
json_t *application_checks(struct db *db, const struct scheme *s, int64_t id, bool *all_ok, struct err *e);

/* svc/draw.c: draw an expert and an assessor for the application (purpose assessment, revisit or appeal). */
int application_assign(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e);
/* Every draw of the application with its seed, candidates and a re-run showing the same pair. */
int application_draws(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* The expert pool. in for create: {name, kind, core?, organisation, provider_id?, area_id, user_id?}. */
int assessor_list(struct db *db, const struct actor *a, json_t **out, struct err *e);
int assessor_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
int assessor_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* svc/assessment.c */
/* in: {items{} | level + form{}, visit_start, visit_end, lat?, lon?, video_ref?, video_sha256?, video_seconds?,
 *      present[]}: only the drawn expert or assessor. */
int application_assess(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		       struct err *e);
/* in: {decision: uphold|amend|revisit, level?, reason}: the committee. */
int application_review(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		       struct err *e);
/* An expert (or committee member) confirms the conclusion; the second distinct one concludes it. */
int application_confirm(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e);
/* End of publication: the level is certified. */
int application_certify(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e);
/* Certify every conclusion whose publication has ended; *count gets how many. */
int certify_due(struct db *db, const struct scheme *s, struct actor *a, int *count, struct err *e);

/* Labels */
const char *application_status_label(const char *status);
const char *application_type_label(const char *type);

#endif
