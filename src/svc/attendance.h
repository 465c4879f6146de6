/* attendance.h: care that is not counted in visits.
 *
 * Family care (亲情护理): each month the family caregiver and the beneficiary or agent attest the care given; the
 * record carries the home visits the plan required that month and those done (verified, or accepted by the bureau),
 * so settlement sees both. A nurse or the bureau records it (in person, by signature or by phone), or the family
 * account attests online for the persons it acts for. One attestation per plan and month, for a month the family
 * plan was in force, never for a month still to come.
 *
 * Required visits: the plan's visits per week times the weeks the plan was in force in that month, rounded down:
 *     visits_required = visits_per_week x days_in_force / 7   (integer division)
 * where days_in_force counts the days of the month from the plan's first day to its last (or to today for the
 * current month). A full 30-day month of 2 visits a week requires 8 (60 / 7 = 8.57), a plan that started on the
 * 20th of a 31-day month 3 (2 x 12 / 7 = 3.43). Partial weeks are not required, so a month is never asked for a
 * visit the week has not had the days for.
 *
 * Institutional care (机构护理): one presence status a day per resident (in, out for the day, in hospital, home
 * leave), recorded by the institution's staff or the bureau for a day the plan was in force, not in the future.
 * Recording the same day again changes it (audited with the status before). A hospital day is compared with the
 * registry's hospital stays and a disagreement is reported (never written to the stays). */
#ifndef LTCI_ATTENDANCE_H
#define LTCI_ATTENDANCE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

/* in: {month 'YYYY-MM', caregiver_days, beneficiary_name, beneficiary_relation, method: in_person|signature|phone}
 * from staff; a family account gives {month, caregiver_days, method?: online} and its name and relation are
 * recorded unless it gives others. *out: the attestation. */
int attestation_create(struct db *db, const struct scheme *s, struct actor *a, int64_t plan_id, const json_t *in,
		       json_t **out, struct err *e);
/* A family plan's attestations, newest month first, and the months since the plan started (up to last month)
 * still without one, with their due day (the scheme's attestation_day of the month after). */
int attestation_list(struct db *db, const struct scheme *s, const struct actor *a, int64_t plan_id, json_t **out,
		     struct err *e);

struct presence_filter {
	int64_t plan_id;           /* one resident's month; 0: every visible record of the month, paged */
	int64_t provider_id;
	const char *month;         /* 'YYYY-MM'; NULL: the current month */
	int page, page_size;
};

/* in: {plan_id, day, status: in|out|hospital|leave}. *out: {plan_id, person_id, day, status, previous, changed,
 * hospital_stay, consistent, warning}. */
int presence_record(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e);
/* A month of presence with counts per status (and, for one plan, the days without a record and the days that
 * disagree with the hospital stays). */
int presence_list(struct db *db, const struct actor *a, const struct presence_filter *f, json_t **out,
		  struct err *e);

#endif
