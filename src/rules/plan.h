/* plan.h: checking a care plan (护理计划) against the entitlement the scheme gives the beneficiary's level in the
 * chosen service mode: the visits a week, the minutes a visit and a week, the items of the catalogue with their
 * frequency and minutes, and the family caregiver of family care. Every problem is reported at once with the
 * field at fault and the limit named in Chinese. Pure: no I/O. The rules are written out in docs/SCHEMES.md. */
#ifndef LTCI_RULES_PLAN_H
#define LTCI_RULES_PLAN_H

#include <jansson.h>
#include <stdbool.h>

#include "scheme/scheme.h"

#define PLAN_MAX_ITEMS 40
#define PLAN_MAX_PROBLEMS 16
/* A planned item is done 1-21 times a week (at most three times a day). */
#define PLAN_MAX_PER_WEEK SCHEME_MAX_VISITS_PER_WEEK

struct plan_item_in {
	const char *code;          /* a catalogue item code */
	int per_week;              /* 1..PLAN_MAX_PER_WEEK */
	int minutes;               /* each time, SCHEME_ITEM_MINUTES_MIN..MAX */
};

struct plan_in {
	int mode;                  /* enum care_mode, or -1 if the caller could not parse it */
	int level;                 /* the beneficiary's certified level */
	int visits_per_week;       /* home and family care: provider visits a week; institutional care: 0 */
	const struct plan_item_in *items; int n_items;
	bool has_family_caregiver; /* a registered, trained family caregiver is named (read for family care only) */
};

/* field like "items[2].code", "items[2].per_week", "items[2].minutes", "items", "visits_per_week",
 * "minutes_per_week", "minutes_per_visit", "mode", "family_caregiver_id" */
struct plan_problem { char field[48]; char msg[200]; };

struct plan_result {
	bool ok;
	int minutes_per_week;          /* sum of per_week x minutes over the items (those with both in range) */
	int minutes_per_visit;         /* minutes_per_week / visits_per_week, rounded down (0 if no visits) */
	const struct scheme_entitlement *ent;  /* NULL if the level is not entitled in the mode */
	int n_problems;
	struct plan_problem problems[PLAN_MAX_PROBLEMS];
	int dropped;                   /* problems beyond PLAN_MAX_PROBLEMS (not listed) */
};

/* Check in against s; out is filled in full (out->ok is the return value). */
bool plan_check(const struct scheme *s, const struct plan_in *in, struct plan_result *out);

/* {ok, mode, level, visits_per_week, minutes_per_week, minutes_per_visit, entitlement: {...limits, monthly_fen...}
 * (scheme_entitlement_json) or null, problems: [{field, message}]}. New reference. */
json_t *plan_result_json(const struct scheme *s, const struct plan_in *in, const struct plan_result *r);

#endif
