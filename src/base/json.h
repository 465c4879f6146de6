/* json.h: helpers around jansson for request bodies: a nesting-depth check before parsing, parsing with duplicate
 * keys refused, and declarative field checks (every field declared; unknown fields, wrong types, bad lengths and
 * ranges refused with the field named). */
#ifndef LTCI_JSON_H
#define LTCI_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum jx_type { JX_STRING = 1, JX_INT, JX_BOOL, JX_OBJECT, JX_ARRAY, JX_ANY };

#define JX_REQUIRED 1u  /* must be present */
#define JX_NULLABLE 2u  /* may be JSON null */
#define JX_MULTILINE 4u /* string may contain newlines and tabs */

struct jx_field {
	const char *name;
	enum jx_type type;
	unsigned flags;
	int64_t min; /* strings: minimum code points; ints: minimum value */
	int64_t max; /* strings: maximum bytes; ints: maximum value; 0 = no limit */
};

/* True if the JSON text nests no deeper than max_depth (strings are skipped correctly). */
bool jx_depth_ok(const char *text, size_t len, int max_depth);

/* Parse a request body: depth check, duplicate keys refused, top level must be an object. */
int jx_parse_object(const char *text, size_t len, json_t **out, struct err *e);

/* Check obj against fields (terminated by an entry with name NULL). prefix names the object in error fields
 * ("" at the top level, "items[2]" below). */
int jx_check(const json_t *obj, const struct jx_field *fields, const char *prefix, struct err *e);

/* Getters that tolerate absence: NULL / def when missing or null. */
const char *jx_str(const json_t *obj, const char *key);
int64_t jx_int(const json_t *obj, const char *key, int64_t def);
bool jx_bool(const json_t *obj, const char *key, bool def);
bool jx_has(const json_t *obj, const char *key);
/* A JSON string, or null for a NULL pointer (columns that may be NULL). */
json_t *jx_str_or_null(const char *s);

/* Serialise compactly (caller frees). */
char *jx_dump(const json_t *v);

#endif
