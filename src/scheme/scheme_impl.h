/* scheme_impl.h: the validation helpers the scheme section parsers share (src/scheme only). Each reports a
 * problem with its JSON path into the diag and returns a default, so that one pass finds every problem. */
#ifndef LTCI_SCHEME_IMPL_H
#define LTCI_SCHEME_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scheme/scheme.h"

void sch_problem(struct scheme_diag *d, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sch_path_join(char *out, size_t size, const char *base, const char *key);
/* Every key of obj must be in allowed (NULL-terminated). */
void sch_known_keys(json_t *obj, const char *path, const char *const *allowed, struct scheme_diag *d);
json_t *sch_get_object(json_t *parent, const char *key, const char *path, bool required, struct scheme_diag *d);
void sch_get_string(json_t *parent, const char *key, const char *path, char *out, size_t size, bool required,
		    struct scheme_diag *d);
int sch_get_int(json_t *parent, const char *key, const char *path, int min, int max, int def, bool required,
		struct scheme_diag *d);
int32_t sch_get_date(json_t *parent, const char *key, const char *path, bool required, struct scheme_diag *d);
int32_t *sch_get_dates(json_t *parent, const char *key, const char *path, int *count, struct scheme_diag *d);

/* Section parsers in their own files. */
void sch_parse_assessment(json_t *assessment, struct scheme *s, struct scheme_diag *d);
void sch_free_assessment(struct scheme *s);
/* $.care (optional): the service catalogue and the entitlements per mode and level; needs $.levels parsed. */
void sch_parse_care(json_t *doc, struct scheme *s, struct scheme_diag *d);
void sch_free_care(struct scheme *s);
/* The catalogue item with that code among those parsed so far, or NULL. */
const struct scheme_service_item *sch_care_item(const struct scheme_care *c, const char *code);
/* $.visits (optional): verification thresholds, time limits, complaint categories; needs $.care parsed. */
void sch_parse_visits(json_t *doc, struct scheme *s, struct scheme_diag *d);
/* $.settlement (optional): method, day count, shortfall, supplements, quality factors, extra hours, daily rates;
 * needs $.levels and $.care parsed. */
void sch_parse_settlement(json_t *doc, struct scheme *s, struct scheme_diag *d);

#endif
