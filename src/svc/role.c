/* role.c: role names and labels, and actor helpers. */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "svc/role.h"

static const struct {
	const char *name;
	const char *label;
} roles[ROLE_COUNT] = {
	[ROLE_ADMIN] = {"admin", "系统管理员"},
	[ROLE_BUREAU] = {"bureau", "医保经办人员"},
	[ROLE_AUDITOR] = {"auditor", "基金监管人员"},
	[ROLE_INTAKE] = {"intake", "受理人员"},
	[ROLE_COORDINATOR] = {"coordinator", "街镇协管员"},
	[ROLE_ASSESSOR] = {"assessor", "评估员"},
	[ROLE_EXPERT] = {"expert", "评估专家"},
	[ROLE_COMMITTEE] = {"committee", "评估委员会"},
	[ROLE_NURSE] = {"nurse", "社区护士"},
	[ROLE_PROVIDER_ADMIN] = {"provider_admin", "护理机构管理员"},
	[ROLE_CAREGIVER] = {"caregiver", "护理员"},
	[ROLE_DEPT] = {"dept", "部门数据用户"},
	[ROLE_APPLICANT] = {"applicant", "参保人及家属"},
};

int role_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].name, name) == 0)
			return i;
	return -1;
}

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].name : "unknown";
}

const char *role_label(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].label : "未知";
}

bool role_provider_scoped(enum role r)
{
	return (ROLES_PROVIDER_SCOPED & ROLE_BIT(r)) != 0;
}

void actor_system(struct actor *a, const char *what)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_SYSTEM;
	a->role = ROLE_ADMIN;
	snprintf(a->username, sizeof a->username, "system:%s", what);
	str_copy(a->area_path, "/", sizeof a->area_path);
	str_copy(a->ip, "local", sizeof a->ip);
}

void actor_scope_path(const struct actor *a, char *out, size_t size)
{
	if (a->provider_id)
		snprintf(out, size, "/p%lld/", (long long)a->provider_id);
	else
		str_copy(out, a->area_path[0] ? a->area_path : "/", size);
}

bool actor_covers_area(const struct actor *a, const char *area_path)
{
	if (a->kind == ACTOR_SYSTEM)
		return true;
	if (a->provider_id || !a->area_path[0])
		return false;
	return str_starts(area_path, a->area_path);
}

void actor_area_like(const struct actor *a, char *out, size_t size)
{
	if (a->kind == ACTOR_SYSTEM || (!a->provider_id && strcmp(a->area_level, "region") == 0))
		out[0] = '\0';
	else if (a->provider_id)
		str_copy(out, "/none/%", size);
	else
		snprintf(out, size, "%s%%", a->area_path);
}
