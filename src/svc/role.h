/* role.h: the roles of DOMAIN.md §1 and the actor (who is acting, with which role and scope) that every service
 * call receives. A route or service states the roles it admits as a bit mask of ROLE_BIT(role). */
#ifndef LTCI_ROLE_H
#define LTCI_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_ADMIN = 0,
	ROLE_BUREAU,
	ROLE_AUDITOR,
	ROLE_INTAKE,
	ROLE_COORDINATOR,
	ROLE_ASSESSOR,
	ROLE_EXPERT,
	ROLE_COMMITTEE,
	ROLE_NURSE,
	ROLE_PROVIDER_ADMIN,
	ROLE_CAREGIVER,
	ROLE_DEPT,
	ROLE_APPLICANT,
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL ((1u << ROLE_COUNT) - 1)
/* Roles whose accounts are scoped to a provider rather than an area. */
#define ROLES_PROVIDER_SCOPED (ROLE_BIT(ROLE_PROVIDER_ADMIN) | ROLE_BIT(ROLE_CAREGIVER))

/* "admin" -> ROLE_ADMIN; -1 if unknown. */
int role_parse(const char *name);
const char *role_name(enum role r);
/* Chinese label, e.g. "系统管理员". */
const char *role_label(enum role r);
/* True if the role's accounts must be scoped to a provider. */
bool role_provider_scoped(enum role r);

enum actor_kind { ACTOR_ANONYMOUS = 0, ACTOR_USER, ACTOR_TOKEN, ACTOR_SYSTEM };

/* Who is acting. Filled by the HTTP layer from a session or API token, or by the CLI as "system". */
struct actor {
	enum actor_kind kind;
	int64_t id;              /* user id (ACTOR_USER) or token id (ACTOR_TOKEN) */
	int64_t user_id;         /* the user behind a session; 0 for tokens */
	char username[40];       /* user name, or "token:<name>" */
	enum role role;
	int64_t area_id;         /* scope: an area (0 if provider-scoped) */
	char area_path[160];     /* '/1/4/' of the scope area */
	char area_level[16];
	int64_t provider_id;     /* scope: a provider (0 if area-scoped) */
	char ip[64];             /* source address */
	int64_t session_id;
	bool must_change_password;
	bool audited;            /* an audit row for this request has been committed */
};

/* Initialise a system actor (the CLI acting on its own authority). */
void actor_system(struct actor *a, const char *what);
/* The scope path recorded in audit rows: the area path, or "/p<id>/" for a provider. */
void actor_scope_path(const struct actor *a, char *out, size_t size);
/* True if the actor's scope covers an area with the given path (region-scoped actors cover everything). */
bool actor_covers_area(const struct actor *a, const char *area_path);

/* A LIKE pattern over areas.path for what the actor may see: '' for region-wide staff and the system (everything),
 * the actor's area path followed by '%' for area-scoped staff, and "/none/%" (nothing) for provider staff. */
void actor_area_like(const struct actor *a, char *out, size_t size);

#endif
