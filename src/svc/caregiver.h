/* caregiver.h: caregivers (护理员): real-name records with employment history, certificates, training hours and
 * status (active, settlement suspended for a period, terminated); family caregivers (亲情护理员) tied to one
 * beneficiary; the one answer to "qualified on day D"; workforce statistics. Provider staff see only their own
 * provider's caregivers. */
#ifndef LTCI_CAREGIVER_H
#define LTCI_CAREGIVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "rules/qualify.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct caregiver_filter {
	const char *q;          /* name prefix, or the last 4+ characters of the ID number */
	int64_t provider_id;
	const char *kind;       /* staff | family */
	const char *status;
	int64_t person_id;      /* family caregivers of this beneficiary */
	int expiring_within;    /* certificates expiring within N days */
	int page, page_size;
};

const char *caregiver_status_label(const char *status);
int caregiver_list(struct db *db, const struct actor *a, const struct caregiver_filter *f, json_t **out,
		   struct err *e);
/* The full record (audited as caregiver.read when audit is set). */
int caregiver_get(struct db *db, const struct actor *a, int64_t id, bool audit, json_t **out, struct err *e);
/* in: {id_number, name, phone?, kind: staff|family, provider_id (staff), employed_from? (staff, default today),
 *      person_id + relation (family), training_hours?, certificates?: [{kind, number, skill_level, issued_on,
 *      expires_on}]} */
int caregiver_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e);
/* Any of {name, phone, training_hours}. */
int caregiver_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
int caregiver_add_certificate(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* A move to another provider: {provider_id, from}; the current employment ends the day before. */
int caregiver_move(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* {status: active|suspended|terminated, reason, from? (default today), until (suspended)}. */
int caregiver_set_status(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* Qualified on day for provider (0: any employer): active, employed by the provider and holding a valid
 * certificate that day. The one answer used everywhere (plans, visits, settlement). */
int caregiver_qualified(struct db *db, int64_t id, int64_t provider, int32_t day, enum qual_result *result,
			struct err *e);
/* Workforce statistics: age profile, share over 60, certificate levels, caregivers per beneficiary, per provider. */
int caregiver_stats(struct db *db, const struct actor *a, int64_t provider_id, json_t **out, struct err *e);

/* Check one caregiver record as given (for the API and the CSV import): ID number, name, phone. */
int caregiver_check_identity(const char *id_number, const char *name, const char *phone, int32_t today,
			     struct err *e);

#endif
