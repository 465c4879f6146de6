/* qualify.h: "is this caregiver qualified on day D?" — the one answer used everywhere (plans, visit verification,
 * settlement). A caregiver is qualified for a provider on D when not terminated, not suspended from settlement, in
 * that provider's employment and holding a valid certificate on D. Pure: the caller loads the facts. */
#ifndef LTCI_RULES_QUALIFY_H
#define LTCI_RULES_QUALIFY_H

#include <stdint.h>

/* The until of an open-ended period. */
#define QUAL_OPEN INT32_MAX

/* Days are the day numbers of base/date.h; both ends inclusive. */
struct qual_period {
	int32_t from, until;           /* until = QUAL_OPEN when open */
};

struct qual_employment {
	int64_t provider_id;
	int32_t from, until;           /* inclusive; until = QUAL_OPEN while employed */
};

struct qual_facts {
	int32_t terminated_on;                                      /* 0 = not terminated; not qualified from this day on */
	const struct qual_period *suspensions; int n_suspensions;   /* settlement suspended on these days */
	const struct qual_employment *employments; int n_employments;
	const struct qual_period *certificates; int n_certificates; /* issued .. expires */
};

enum qual_result { QUAL_OK = 0, QUAL_TERMINATED, QUAL_SUSPENDED, QUAL_NOT_EMPLOYED, QUAL_NO_CERTIFICATE };

/* Whether the caregiver described by f is qualified on day for provider_id (0 = for any employer). When several
 * conditions fail the first in this order is returned: terminated, suspended, not employed, no certificate.
 * Periods may overlap and come in any order; a period whose until is before its from never holds. */
enum qual_result qualify_on(const struct qual_facts *f, int64_t provider_id, int32_t day);

/* "ok", "terminated", "suspended", "not_employed", "no_certificate" ("unknown" out of range). */
const char *qual_result_code(enum qual_result r);
/* The reason in Chinese for people (e.g. "护理员当日无有效资格证书"). */
const char *qual_result_text(enum qual_result r);

#endif
