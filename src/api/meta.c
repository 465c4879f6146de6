/* meta.c: reference data for clients: the route table with its roles, the roles, the scheme in force, providers. */
#include "api/api.h"

static bool route_allows(const struct route *rt, enum role role, enum actor_kind kind)
{
	if (rt->flags & ROUTE_PUBLIC)
		return true;
	if ((rt->flags & ROUTE_SESSION_ONLY) && kind != ACTOR_USER)
		return false;
	return (rt->roles & ROLE_BIT(role)) != 0;
}

json_t *api_allowed_routes(enum role role, enum actor_kind kind)
{
	json_t *out = json_array();

	for (int i = 0; i < api_route_count; i++) {
		const struct route *rt = &api_routes[i];
		if ((rt->flags & ROUTE_PUBLIC) || !route_allows(rt, role, kind))
			continue;
		json_array_append_new(out, json_sprintf("%s %s", rt->method, rt->pattern));
	}
	return out;
}

int api_routes_list(struct http_req *r)
{
	json_t *items = json_array();

	for (int i = 0; i < api_route_count; i++) {
		const struct route *rt = &api_routes[i];
		json_t *roles = json_array(), *query = json_array();
		for (int k = 0; k < ROLE_COUNT; k++)
			if (!(rt->flags & ROUTE_PUBLIC) && (rt->roles & ROLE_BIT(k)))
				json_array_append_new(roles, json_string(role_name((enum role)k)));
		for (const char *const *q = rt->query; q && *q; q++)
			json_array_append_new(query, json_string(*q));
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:b, s:o, s:b, s:b, s:b, s:o, s:o, s:s}", "method", rt->method, "pattern",
					 rt->pattern, "public", (rt->flags & ROUTE_PUBLIC) != 0, "roles", roles, "body",
					 (rt->flags & ROUTE_BODY) != 0, "session_only", (rt->flags & ROUTE_SESSION_ONLY) != 0,
					 "readonly", (rt->flags & ROUTE_READONLY) != 0,
					 "action", rt->action ? json_string(rt->action) : json_null(), "query", query,
					 "summary", rt->summary ? rt->summary : ""));
	}
	req_reply(r, 200, json_pack("{s:o, s:i}", "items", items, "total", api_route_count));
	return 0;
}

int api_roles(struct http_req *r)
{
	json_t *items = json_array();

	for (int k = 0; k < ROLE_COUNT; k++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "role", role_name((enum role)k), "label",
						       role_label((enum role)k), "scope",
						       role_provider_scoped((enum role)k) ? "provider" : "area"));
	req_reply(r, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_scheme(struct http_req *r)
{
	req_reply(r, 200, scheme_summary_json(r->app->scheme));
	return 0;
}

