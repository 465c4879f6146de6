/* router.c: matching a request path against the route table's patterns ("/api/v1/users/:id"). */
#include "http/router.h"

#include <string.h>

#include "base/str.h"

bool router_match(const char *pattern, const char *path, char *pbuf, size_t pbuf_size, const char **params,
		  int *nparams)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;

	while (*p && *s) {
		if (*p == ':') {
			const char *seg_end = strchr(s, '/');
			size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
			if (len == 0 || n >= REQ_MAX_PARAMS || used + len + 1 > pbuf_size)
				return false;
			memcpy(pbuf + used, s, len);
			pbuf[used + len] = '\0';
			params[n++] = pbuf + used;
			used += len + 1;
			s += len;
			while (*p && *p != '/')
				p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	*nparams = n;
	return true;
}

const struct route *router_find(const char *method, const char *path, char *pbuf, size_t pbuf_size,
				const char **params, int *nparams, char *allow, size_t allow_size)
{
	const struct route *found = NULL;

	if (allow_size)
		allow[0] = '\0';
	for (int i = 0; i < api_route_count; i++) {
		const struct route *rt = &api_routes[i];
		const char *tmp[REQ_MAX_PARAMS];
		char tbuf[LIMIT_URL_BYTES + 1];
		int tn = 0;
		if (!router_match(rt->pattern, path, tbuf, sizeof tbuf, tmp, &tn))
			continue;
		if (strcmp(rt->method, method) == 0) {
			found = rt;
			router_match(rt->pattern, path, pbuf, pbuf_size, params, nparams);
			break;
		}
		if (allow_size && !strstr(allow, rt->method)) {
			size_t len = strlen(allow);
			snprintf(allow + len, allow_size - len, "%s%s", len ? ", " : "", rt->method);
		}
	}
	return found;
}
