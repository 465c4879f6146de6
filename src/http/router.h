/* router.h: path pattern matching over the route table. */
#ifndef LTCI_ROUTER_H
#define LTCI_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "http/http.h"

/* Match path against pattern; ':name' segments capture into pbuf, pointed to by params. */
bool router_match(const char *pattern, const char *path, char *pbuf, size_t pbuf_size, const char **params,
		  int *nparams);
/* The route for method and path, or NULL; when the path exists with other methods, allow lists them. */
const struct route *router_find(const char *method, const char *path, char *pbuf, size_t pbuf_size,
				const char **params, int *nparams, char *allow, size_t allow_size);

#endif
