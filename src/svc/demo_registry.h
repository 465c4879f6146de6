/* demo_registry.h: the demo city's registry of insured persons (part of the demo data set, see demo.h). */
#ifndef LTCI_DEMO_REGISTRY_H
#define LTCI_DEMO_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/demo.h"

/* A small deterministic generator (xorshift64*): the demo must not depend on the C library's rand(). */
struct demo_rng {
	uint64_t s;
};
uint32_t demo_next(struct demo_rng *r);
/* 0 .. n-1 */
int demo_pick(struct demo_rng *r, int n);

/* A plausible Chinese name. */
void demo_person_name(struct demo_rng *r, bool female, char *out, size_t size);

/* Insert the demo persons and their enrolments, contacts, deaths and hospital stays (inside the caller's
 * transaction). */
int demo_registry_load(struct db *db, struct demo_summary *out, struct err *e);

/* The expert pool, certified beneficiaries and cases in every state of the assessment workflow (national standard
 * only). hash is the demo accounts' password hash. */
struct scheme;
int demo_assess_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out,
		     struct err *e);

/* Providers (all kinds, with agreements), caregivers (an ageing workforce, some certificates expired), family
 * caregivers, and care plans for most certified beneficiaries (inside the caller's transaction). */
int demo_care_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out,
		   struct err *e);

/* Two months of visits with exceptions, presence, attestations, ratings and complaints for the demo's plans. */
int demo_visits_load(struct db *db, const struct scheme *s, struct demo_summary *out, struct err *e);

/* Bank accounts, supplementary insurance, the last full month settled, reviewed, approved and posted, and the city
 * sized like Zhoushan (outside any transaction: each step commits its own). */
int demo_settle_load(struct db *db, const struct scheme *s, const char *hash, struct demo_summary *out,
		     struct err *e);

#endif
