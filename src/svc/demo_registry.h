/* demo_registry.h: the demo city's registry of insured persons (part of the demo data set, see demo.h). */
#ifndef LTCI_DEMO_REGISTRY_H
#define LTCI_DEMO_REGISTRY_H

#include "db/db.h"
#include "svc/demo.h"

/* Insert the demo persons and their enrolments, contacts, deaths and hospital stays (inside the caller's
 * transaction). */
int demo_registry_load(struct db *db, struct demo_summary *out, struct err *e);

#endif
