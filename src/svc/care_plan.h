/* care_plan.h: care plans (护理计划): drafted by a community nurse for a certified beneficiary (mode, provider,
 * optional preferred caregiver, items with frequency and minutes, visits per week), checked against the scheme's
 * entitlement for the level and mode, confirmed by the beneficiary or agent (who, when, how) and only then in force;
 * one plan in force per person. A provider switch starts the month after (scheme rule); a new level, death or
 * the end of the provider's agreement end the plan; history is kept. Also the providers a beneficiary may choose
 * from. */
#ifndef LTCI_CARE_PLAN_H
#define LTCI_CARE_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct care_plan_filter {
	const char *status;
	int64_t person_id;
	int64_t provider_id;
	const char *mode;
	int page, page_size;
};

/* The plan check without writing anything: {person_id, mode, visits_per_week, items[], family_caregiver_id?}
 * -> the entitlement of the person's level in the mode and every problem. */
int care_plan_check(struct db *db, const struct scheme *s, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e);
/* in: {person_id, mode, provider_id, caregiver_id?, family_caregiver_id?, visits_per_week,
 *      items: [{code, per_week, minutes}], note?} -> a draft (201). */
int care_plan_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e);
/* Replace a draft's contents (same fields but person_id). */
int care_plan_update(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e);
/* in: {name, relation, method: in_person|signature|phone|online}; a family account confirms for itself with
 * method "online". The plan starts today, or for a provider switch on the scheme's day, superseding the plan in
 * force. */
int care_plan_confirm(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		      struct err *e);
/* Cancel a draft or a plan not started yet. in: {reason} */
int care_plan_cancel(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* End a plan in force. in: {reason, last_day?} (default today). */
int care_plan_end(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* 0 if the actor may see the plan, ERR_NOT_FOUND otherwise. */
int care_plan_visible(struct db *db, const struct actor *a, int64_t id, struct err *e);
int care_plan_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		  struct err *e);
/* The items of plan id (no visibility check: the caller has one) with their catalogue names: [{code, name, medical,
 * per_week, minutes}] in the plan's order. *out is always set (new reference), partial on error. */
int care_plan_items_json(struct db *db, const struct scheme *s, int64_t id, json_t **out, struct err *e);
int care_plan_list(struct db *db, const struct actor *a, const struct care_plan_filter *f, json_t **out,
		   struct err *e);
/* Providers the person may choose from in a mode: agreement covering the street, status, credit grade, rating,
 * distance from home and free capacity; those that cannot take the person say why. */
int care_plan_options(struct db *db, const struct scheme *s, const struct actor *a, int64_t person_id,
		      const char *mode, json_t **out, struct err *e);

/* ---- lifecycle, called inside the caller's transaction ---- */

/* End the plans of one agreement, or of all agreements of a provider (agreement 0), after last_day; drafts and
 * plans not started yet are cancelled. reason: provider_terminated, agreement_terminated. */
int care_plans_end_for(struct db *db, int64_t provider, int64_t agreement, int32_t last_day, const char *reason,
		       struct err *e);
/* A person's plans end with their death (last day: the day of death). */
int care_plans_end_person(struct db *db, int64_t person, int32_t last_day, const char *reason, struct err *e);
/* A new certification for the person: plans at the same qualifying level carry on under it; plans at another level
 * end the day before it applies (drafts and plans not started yet are cancelled). */
int care_plans_on_certified(struct db *db, int64_t person, int64_t cert, int level, bool qualifies,
			    int32_t valid_from, struct err *e);
/* Start confirmed plans whose day has come and close plans whose last day has passed. */
int care_plans_roll(struct db *db, int32_t today, int *started, int *closed, struct err *e);

#endif
