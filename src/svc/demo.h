/* demo.h: the demo data set: a believable fictional city (江海市) with its area tree, two care providers and one
 * account per role (plus a few scoped ones). Later capabilities add their own demo data here. */
#ifndef LTCI_DEMO_H
#define LTCI_DEMO_H

#include "db/db.h"

#define DEMO_PASSWORD "Demo@2026"

struct demo_login {
	const char *username;
	const char *role;
	const char *display_name;
	const char *scope; /* "region", "district:CODE", "street:CODE" or "provider:CODE" */
};

extern const struct demo_login demo_logins[];
extern const int demo_login_count;

struct demo_summary {
	int areas;
	int providers;
	int users;
	int persons;
	int enrolments;
	int certified;         /* beneficiaries with a certified level */
	int cases;             /* applications in the other states */
	int caregivers;        /* staff and family caregivers */
	int plans;             /* care plans in force or confirmed */
	int visits;            /* home visits of the last two months */
	int64_t contributions_fen;
	int statements;        /* settlement statements of the last full month, approved */
	int64_t settled_fen;   /* their total */
	int64_t insured;       /* the city's insured persons, sized like Zhoushan (demo_settle.c) */
};

/* Number of insured persons in the demo registry. */
#define DEMO_PERSONS 2000

/* True if the database holds no areas and no users. */
int demo_is_empty(struct db *db, int *empty, struct err *e);
/* Load the demo into a migrated, empty database: areas, providers and accounts in one transaction, then the
 * registry (persons, enrolments, contacts, deaths, hospital stays) and the contributions of the last two years
 * under the scheme, then the last full month settled and approved (demo_settle.c). */
struct scheme;
int demo_load(struct db *db, const struct scheme *s, struct demo_summary *out, struct err *e);

#endif
