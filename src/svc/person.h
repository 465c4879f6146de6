/* person.h: the registry of insured persons (参保人): identity (ID number with derived birth date and sex), contact
 * details, address with area and coordinates, guardians and agents, enrolment history, deaths and hospital stays.
 * Lists mask ID numbers and phones; reading one person's full record is audited. */
#ifndef LTCI_PERSON_H
#define LTCI_PERSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/idcard.h"
#include "db/db.h"
#include "svc/role.h"

/* Person fields as received (from JSON or a CSV row), checked by person_check. */
struct person_fields {
	const char *id_number;
	const char *name;
	const char *phone;      /* NULL or "" = none */
	const char *address;    /* NULL or "" = none */
	bool has_coords;
	int64_t lat_e6, lon_e6;
};

/* Check the fields on date today; on success id (may be NULL) gets the parsed ID number. The field named in an
 * error is the JSON/CSV name (id_number, name, phone, address, lat). */
int person_check(const struct person_fields *f, int32_t today, struct idcard *id, struct err *e);
/* Check a name (2-50 code points of letters, '·' and spaces; no digits or punctuation). */
int person_check_name(const char *name, const char *field, struct err *e);

struct person_filter {
	const char *name;       /* prefix */
	const char *id;         /* full ID number, or its last 4 or more characters */
	const char *phone;      /* exact */
	int64_t area_id;        /* subtree; 0 = any */
	const char *status;     /* current enrolment status; NULL = any */
	int page, page_size;
};

/* Masked list within the actor's scope. */
int person_list(struct db *db, const struct actor *a, const struct person_filter *f, json_t **out, struct err *e);
/* The full record, audited as person.read when audit is true (a write answers with the record it wrote, which
 * its own audit row already covers). */
int person_get(struct db *db, struct actor *a, int64_t id, bool audit, json_t **out, struct err *e);
/* in: {id_number, name, phone?, address?, area_id, lat?, lon?, sex?, birth_date?, contacts?[], enrolment?{}}.
 * The enrolment block is the bureau's (like every enrolment record). */
int person_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e);
/* in: any of {name, phone, address, area_id, lat, lon, contacts}. */
int person_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* in: {category, flags[], status, effective_from}: a new enrolment record (history is never overwritten). */
int person_add_enrolment(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* in: {death_date} (null clears a mistaken entry). */
int person_set_death(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* in: {admitted, discharged?, hospital?}. */
int person_add_hospital_stay(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

/* Labels */
const char *enrolment_status_label(const char *status);
const char *category_label(const char *category);

#endif
