/* visit.h: service delivery with electronic visit verification (EVV): weekly patterns and scheduled visits from the
 * care plan, check-in and check-out by the caregiver (server and device time, position and accuracy, items, notes,
 * optional audio), offline records delivered late and never twice (client idempotency keys), verification of each
 * visit into verified or an exception with reasons, the provider's explanation and the bureau's decision, record
 * locks and unlocks. Caregivers see only their own visits, provider staff their provider's. */
#ifndef LTCI_VISIT_H
#define LTCI_VISIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct visit_filter {
	const char *from, *to;      /* visit dates, inclusive */
	int64_t caregiver_id, provider_id, person_id, plan_id;
	const char *status;         /* scheduled, in_progress, done, missed, cancelled */
	const char *verify_state;   /* pending, verified, exception */
	const char *review_state;   /* open, explained, accepted, rejected */
	const char *reason;         /* a reason code of rules/verify.c (outside_geofence ...): that bit set */
	bool mine;                  /* the calling caregiver's own */
	int page, page_size;
};

/* ---- scheduling (provider staff, bureau) ---- */

/* A plan's weekly pattern: {patterns: [{weekday 1-7, start_time "HH:MM", caregiver_id}]} replaces the pattern. */
int visit_patterns_set(struct db *db, const struct scheme *s, struct actor *a, int64_t plan_id, const json_t *in,
		       struct err *e);
/* Scheduled visits from the patterns of the actor's plans (or one plan, or one provider's plans: {plan_id?,
 * provider_id?, from, to}) for days from..to, skipping days that have a visit already and weeks that would pass the
 * plan's visits a week. Only plans the actor sees (provider staff their provider's, area staff those of persons in
 * their area); provider staff naming another provider: ERR_FORBIDDEN. {created, skipped}. */
int visit_schedule(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, json_t **out,
		   struct err *e);
/* One visit: {plan_id, visit_date, planned_start?, caregiver_id}. */
int visit_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id, struct err *e);
/* Another caregiver for a scheduled visit (absence): {caregiver_id, reason}. */
int visit_reassign(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		   struct err *e);
int visit_cancel(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* ---- the caregiver's phone ---- */

/* {key, visit_id (a scheduled visit) or plan_id (unscheduled), device_at, lat?, lon?, accuracy?}. The same key
 * again answers with the visit as recorded (never a second record): *out is then NULL, otherwise a compact summary
 * of the new check-in (out may be NULL). The writes go through the group-commit writer when one runs. */
int visit_checkin(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		  json_t **out, struct err *e);
/* {key, visit_id, device_at, lat?, lon?, accuracy?, items: [code], notes?}: the visit is verified at once and gets
 * a fresh rating token. With public_url (the server's public base address, ltci serve --public-url; NULL or "":
 * none) an SMS with the short link <public_url>/r/<token> and the last day to rate is queued in the notice outbox,
 * in the same transaction, to the agent's (else a relative's, else the person's) mobile, when the scheme has a
 * rating window and a mobile is known. */
int visit_checkout(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, const char *public_url,
		   int64_t *id, struct err *e);
/* The plans the calling caregiver may serve today without a scheduled visit (check-in with plan_id): plans in force
 * today, home or family care, of the caregiver's provider where the caregiver is the preferred caregiver or in the
 * weekly pattern, and the family-care plan whose family caregiver they are. {date, items: [{plan_id, mode,
 * mode_label, person: {id, name (masked), area_name}, provider: {id, name}, scheduled_today (the caregiver's visits
 * of the plan still scheduled today)}]}, at most LIMIT_PLANS_TODAY. */
int visit_plans_today(struct db *db, const struct actor *a, json_t **out, struct err *e);
/* Scheduled visits of days before today, nobody having checked in, become 'missed' (the maintenance job; *n: how
 * many). A check-in delivered late on one of them is still taken (it becomes in progress). */
int visits_mark_missed(struct db *db, int32_t today, int *n, struct err *e);
/* The audio of a visit (an uploaded file): stored by SHA-256 under data_dir. */
int visit_audio(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const char *upload_path,
		int64_t bytes, int64_t seconds, const char *data_dir, struct err *e);

/* Where the recording of a visit the actor sees is stored (path), its content type (from the file's first bytes)
 * and a file name to save it under; the read is audited as visit.audio_read. ERR_NOT_FOUND without a recording. */
int visit_audio_file(struct db *db, const struct actor *a, int64_t id, const char *data_dir, char *path,
		     size_t psize, char *type, size_t tsize, char *name, size_t nsize, struct err *e);

/* Visits the actor sees, a list page; each row with unlocked_until, locked (past lock_days and not unlocked) and
 * editable (its opposite). For a caregiver account each row also has its plan's items (plan_items, as visit_get);
 * for a family account rating_token, rating (as rating_of_visit, or null), can_rate, rate_until and rate_reason. */
int visit_list(struct db *db, const struct scheme *s, const struct actor *a, const struct visit_filter *f,
	       json_t **out, struct err *e);
/* The exceptions the actor sees (filters from, to, provider_id of f; the rest ignored) counted by review state and
 * by reason, overall and per review state: {total, review_states: [{key, label, count, reasons: [{code, text,
 * count}]}], reasons: [{code, text, count}]}, reasons in bit order and only those found. */
int visit_exception_summary(struct db *db, const struct actor *a, const struct visit_filter *f, json_t **out,
			    struct err *e);
/* One visit the actor sees with its plan's items (plan_items: [{code, name, medical, per_week, minutes}]). */
int visit_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* How the caregiver of a visit finds the home: for a caregiver account's own visit that is scheduled, in progress
 * or of today, {name, address, phone, area_name, contacts: [{name, relation, phone, is_agent}]} (the agent first),
 * a full read of personal data audited as visit.contact_read; *out NULL for any other visit or actor (nothing
 * audited). ERR_NOT_FOUND for a visit the actor does not see. */
int visit_contact(struct db *db, struct actor *a, int64_t id, json_t **out, struct err *e);
/* The visits of a day ('YYYY-MM-DD'; NULL: today in Asia/Shanghai) in progress or done that the actor sees (of one
 * provider when provider_id is not 0), as map points: {date, items: [{id, status, verify_state, provider,
 * provider_id, lat, lon, home_lat, home_lon, reasons}]}, at most LIMIT_MAP_POINTS. */
int visit_map(struct db *db, const struct actor *a, const char *date, int64_t provider_id, json_t **out,
	      struct err *e);

/* ---- verification ---- */

/* Verify one visit again (after a dispute, a correction, a decision): state, reasons and minutes. Inside the
 * caller's transaction if one is open. */
int visit_reverify(struct db *db, const struct scheme *s, int64_t id, struct err *e);
struct visit_verify_result {
	int64_t visits, verified, exceptions, pending;
	double seconds;
};
/* Verify every visit of a month ('YYYY-MM') in bulk (the command line). The changed outcomes are written on db,
 * one transaction per day; with a second connection rdb to the same database the reading walks on in a thread of
 * its own meanwhile (NULL: all on db). */
int visit_verify_month(struct db *db, struct db *rdb, const struct scheme *s, const char *month,
		       struct visit_verify_result *r, struct err *e);

/* ---- exceptions ---- */

/* The provider explains an exception: {explanation, resolution: staff_error|device_problem|beneficiary_request|
 * emergency|other}. */
int visit_explain(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		  struct err *e);
/* The bureau decides: {decision: accept|reject, note}. An unqualified caregiver is never accepted. */
int visit_decide(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		 struct err *e);
/* Whether a visit's record may still be changed: not locked (lock_days after the visit date) or unlocked. */
bool visit_editable(const struct scheme *s, const char *visit_date, int64_t unlocked_until, int64_t now);
/* The bureau opens a locked record for corrections: {hours 1-168, reason}. */
int visit_unlock(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* A correction by the provider: {items?, notes?, checkout_at?} while editable; the visit is verified again. */
int visit_correct(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		  struct err *e);

#endif
