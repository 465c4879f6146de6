/* err.c: filling struct err and mapping error codes to names and HTTP statuses. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		e->retry_after = 0;
		snprintf(e->field, sizeof e->field, "%s", field ? field : "");
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *err_code_name(enum err_code code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_INVALID: return "validation";
	case ERR_UNAUTH: return "unauthenticated";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_NOT_FOUND: return "not_found";
	case ERR_METHOD: return "method_not_allowed";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOO_LARGE: return "too_large";
	case ERR_MEDIA_TYPE: return "unsupported_media_type";
	case ERR_RATE_LIMIT: return "rate_limited";
	case ERR_DB: return "internal";
	case ERR_INTERNAL: return "internal";
	case ERR_UNAVAILABLE: return "unavailable";
	case ERR_IO: return "io";
	}
	return "internal";
}

int err_http_status(enum err_code code)
{
	switch (code) {
	case ERR_OK: return 200;
	case ERR_INVALID: return 400;
	case ERR_UNAUTH: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOT_FOUND: return 404;
	case ERR_METHOD: return 405;
	case ERR_CONFLICT: return 409;
	case ERR_TOO_LARGE: return 413;
	case ERR_MEDIA_TYPE: return 415;
	case ERR_RATE_LIMIT: return 429;
	case ERR_UNAVAILABLE: return 503;
	case ERR_DB:
	case ERR_INTERNAL:
	case ERR_IO:
		return 500;
	}
	return 500;
}
