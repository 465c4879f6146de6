/* import.h: bulk imports from the basic medical insurance system and other feeds: persons, enrolments, deaths
 * (civil registry) and hospital stays (health feed), as CSV. Columns are found by header name; each row is checked
 * and a bad row goes to a rejects file with its line number and reason, never aborting the file nor half-writing a
 * person. Good rows are upserted by ID number in batches (COPY into a staging table on PostgreSQL); re-importing a
 * file changes nothing. */
#ifndef LTCI_IMPORT_H
#define LTCI_IMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "svc/role.h"

enum import_kind {
	IMPORT_PERSONS = 0,
	IMPORT_ENROLMENTS,
	IMPORT_DEATHS,
	IMPORT_HOSPITAL_STAYS,
	IMPORT_CAREGIVERS, /* providers' caregivers with their certificate: row by row through the caregiver service */
	IMPORT_KIND_COUNT
};

/* "persons", "enrolments", "deaths", "hospital-stays" (or "hospital_stays") -> kind; -1 if unknown. */
int import_kind_parse(const char *name);
/* The name stored in the imports table ("hospital_stays"). */
const char *import_kind_name(enum import_kind k);
const char *import_kind_label(enum import_kind k);
/* The documented header of a kind, e.g. "id_number,name,phone,address,area_code,lat,lon". */
const char *import_kind_header(enum import_kind k);

struct import_progress {
	int64_t rows, ok, rejected;
	int64_t bytes_done, bytes_total;
};

typedef void (*import_progress_fn)(const struct import_progress *p, void *arg);

struct import_result {
	int64_t rows, ok, rejected;
	char encoding[16];
	double seconds;
};

/* Import a CSV file of the given kind. Rejected rows are written to rejects_path (created only when there is a
 * rejected row). progress (may be NULL) is called after every batch. A file-level problem (unreadable, unknown
 * encoding, missing columns) fails the import with ERR_INVALID/ERR_IO and changes nothing. Audited as
 * import.<kind> with the counts. */
int import_run(struct db *db, struct actor *a, enum import_kind kind, const char *path, const char *rejects_path,
	       import_progress_fn progress, void *arg, struct import_result *r, struct err *e);

#endif
