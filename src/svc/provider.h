/* provider.h: designated care providers (定点护理服务机构): the directory with kinds, licences, contacts, location
 * and beds; status with history (active, barred from new clients until a date, suspended, terminated); service
 * agreements (协议) with their care modes, streets and capacity; whether a provider may take a new client; and the
 * hand-over list of a terminated provider's clients. */
#ifndef LTCI_PROVIDER_H
#define LTCI_PROVIDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct provider_filter {
	const char *q;       /* name or code contains */
	const char *kind;
	const char *status;
	int64_t area_id;     /* serving this street (an active agreement covers it) */
	const char *mode;    /* ... in this care mode */
	int page, page_size;
};

const char *provider_kind_label(const char *kind);
const char *provider_status_label(const char *status);
/* The directory (public information: every signed-in role sees it). {"items", "total", "page", "page_size"} */
int provider_list(struct db *db, const struct actor *a, const struct provider_filter *f, json_t **out,
		  struct err *e);
/* One provider with its agreements, status history and client counts. */
int provider_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* in: {code, name, kind, licence_no, contact_name?, contact_phone?, address?, lat?, lon?, beds?, area_id?} */
int provider_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
/* Any of the fields of create except code. */
int provider_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* in: {status: active|barred|suspended|terminated, reason, until? (barred)}. Terminating ends the provider's
 * agreements and its clients' plans (the hand-over list shows them). */
int provider_set_status(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
			struct err *e);
/* Clients to hand over: persons whose plan with this provider ended because of a termination and who have no
 * plan in force or waiting since, with the providers that could take them. */
int provider_handover(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);

/* ---- agreements ---- */

/* in: {number, valid_from, valid_until, modes: [home|family|institution], capacity, region_name?, area_ids: [street]} */
int agreement_create(struct db *db, const struct scheme *s, struct actor *a, int64_t provider_id, const json_t *in,
		     int64_t *id, struct err *e);
/* Any of {valid_until, capacity, region_name, area_ids, modes}. */
int agreement_update(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		     struct err *e);
/* in: {reason, effective_on?}: the agreement ends; its clients' plans end the same day. */
int agreement_terminate(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* Whether provider may take a new client in mode at street on day: the provider is active (a bar that ended
 * counts as active), an active agreement in force that day covers the street and the mode and has room. On
 * success *agreement is that agreement; otherwise ERR_CONFLICT (or ERR_INVALID naming field) saying why. */
int provider_accepts(struct db *db, const struct scheme *s, int64_t provider, const char *mode, int64_t street,
		     int32_t day, const char *field, int64_t *agreement, struct err *e);
/* The street of an area (itself if it is a street, its parent for a neighbourhood); 0 if neither. */
int area_street_of(struct db *db, int64_t area_id, int64_t *street, struct err *e);

#endif
