/*
 * err.h: the one error convention. Functions that can fail return int: 0 (ERR_OK) or an enum err_code, and fill a
 * caller-owned struct err with the field at fault and a message for people. The HTTP layer maps codes to statuses.
 */
#ifndef LTCI_ERR_H
#define LTCI_ERR_H

#include <stddef.h>

enum err_code {
	ERR_OK = 0,
	ERR_INVALID,      /* bad input: 400 */
	ERR_UNAUTH,       /* not signed in or bad credentials: 401 */
	ERR_FORBIDDEN,    /* signed in but not allowed: 403 */
	ERR_NOT_FOUND,    /* no such thing (or not visible to the caller): 404 */
	ERR_METHOD,       /* method not allowed on this path: 405 */
	ERR_CONFLICT,     /* state conflict or duplicate: 409 */
	ERR_TOO_LARGE,    /* body or upload too large: 413 */
	ERR_MEDIA_TYPE,   /* unsupported content type: 415 */
	ERR_RATE_LIMIT,   /* throttled: 429 */
	ERR_DB,           /* database failure: 500 */
	ERR_INTERNAL,     /* anything else that is our fault: 500 */
	ERR_UNAVAILABLE,  /* dependency down: 503 */
	ERR_IO,           /* file system errors (CLI) */
};

struct err {
	enum err_code code;
	int retry_after;    /* seconds, for ERR_RATE_LIMIT */
	char field[64];     /* JSON path or parameter name at fault; empty if none */
	char msg[256];      /* for people (Chinese in API answers) */
};

/* Fill e (if non-NULL) and return code. field may be NULL. */
int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reset e to "no error". */
void err_clear(struct err *e);

/* Stable lower-case name of a code for API answers ("validation", "not_found", ...). */
const char *err_code_name(enum err_code code);

/* HTTP status for a code. */
int err_http_status(enum err_code code);

#endif
