/* qualify.c: whether a caregiver is qualified on a day (see qualify.h). Linear scans: a caregiver has a handful of
 * employments, certificates and suspensions. */
#include "rules/qualify.h"

#include <stdbool.h>
#include <stddef.h>

static bool in_period(int32_t from, int32_t until, int32_t day)
{
	return day >= from && day <= until;
}

enum qual_result qualify_on(const struct qual_facts *f, int64_t provider_id, int32_t day)
{
	bool found = false;

	if (f->terminated_on && day >= f->terminated_on)
		return QUAL_TERMINATED;
	for (int i = 0; i < f->n_suspensions; i++)
		if (in_period(f->suspensions[i].from, f->suspensions[i].until, day))
			return QUAL_SUSPENDED;
	for (int i = 0; i < f->n_employments && !found; i++)
		found = in_period(f->employments[i].from, f->employments[i].until, day) &&
			(provider_id == 0 || f->employments[i].provider_id == provider_id);
	if (!found)
		return QUAL_NOT_EMPLOYED;
	for (int i = 0; i < f->n_certificates; i++)
		if (in_period(f->certificates[i].from, f->certificates[i].until, day))
			return QUAL_OK;
	return QUAL_NO_CERTIFICATE;
}

static const char *const codes[] = {"ok", "terminated", "suspended", "not_employed", "no_certificate"};
static const char *const texts[] = {"符合上岗条件", "护理员已终止服务", "护理员处于暂停结算期间",
				    "护理员当日不在该机构执业", "护理员当日无有效资格证书"};

const char *qual_result_code(enum qual_result r)
{
	return (unsigned)r < sizeof codes / sizeof codes[0] ? codes[r] : "unknown";
}

const char *qual_result_text(enum qual_result r)
{
	return (unsigned)r < sizeof texts / sizeof texts[0] ? texts[r] : "未知";
}
