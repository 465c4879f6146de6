/* demo.c: the demo data set (see demo.h). Codes are fictional (3399xx is not a real prefecture). */
#include "svc/demo.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "scheme/scheme.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/auth.h"
#include "svc/contribution.h"
#include "svc/demo_registry.h"
#include "svc/role.h"

struct demo_area {
	const char *code;
	const char *name;
};

static const struct demo_area region = {"339900", "江海市"};

static const struct demo_area districts[] = {
	{"339902", "临江区"},
	{"339903", "海湾区"},
};

static const struct demo_area streets[] = {
	{"339902001", "望江街道"}, {"339902002", "北门街道"}, {"339902101", "枫林镇"},
	{"339903001", "海湾街道"}, {"339903002", "盐田街道"}, {"339903101", "青屿镇"},
};

static const struct demo_area neighbourhoods[] = {
	{"339902001001", "望江社区居委会"}, {"339902001002", "江滨社区居委会"}, {"339902001003", "新桥社区居委会"},
	{"339902001004", "文昌社区居委会"}, {"339902002001", "北门社区居委会"}, {"339902002002", "鼓楼社区居委会"},
	{"339902002003", "学府社区居委会"}, {"339902101201", "枫林村村委会"},   {"339902101202", "后塘村村委会"},
	{"339902101203", "石门村村委会"},   {"339903001001", "海湾社区居委会"}, {"339903001002", "港城社区居委会"},
	{"339903001003", "渔港社区居委会"}, {"339903002001", "盐田社区居委会"}, {"339903002002", "东滩社区居委会"},
	{"339903002003", "银沙社区居委会"}, {"339903101201", "青屿村村委会"},   {"339903101202", "大岙村村委会"},
	{"339903101203", "小岙村村委会"},   {"339903101204", "沙头村村委会"},
};

static const struct {
	const char *code, *name, *street;
} providers[] = {
	{"P0001", "江海市颐康居家护理服务有限公司", "339902001"},
	{"P0002", "临江区仁和护理院", "339902002"},
	{"P0003", "海湾区福寿养老服务中心", "339903001"},
};

const struct demo_login demo_logins[] = {
	{"admin", "admin", "系统管理员", "region"},
	{"bureau", "bureau", "王晓敏", "region"},
	{"bureau_lj", "bureau", "陈立", "district:339902"},
	{"auditor", "auditor", "李建国", "region"},
	{"intake", "intake", "张丽华", "street:339902001"},
	{"coordinator", "coordinator", "刘芳", "street:339902001"},
	{"coord_hw", "coordinator", "周海燕", "street:339903001"},
	{"assessor", "assessor", "赵明", "region"},
	{"expert", "expert", "孙卫东", "region"},
	{"committee", "committee", "钱玉兰", "region"},
	{"nurse", "nurse", "吴静", "street:339902001"},
	{"provider_admin", "provider_admin", "郑国强", "provider:P0001"},
	{"caregiver", "caregiver", "冯桂英", "provider:P0001"},
	{"dept", "dept", "民政局数据共享", "region"},
	{"applicant", "applicant", "何秀英（家属）", "region"},
};
const int demo_login_count = (int)(sizeof demo_logins / sizeof demo_logins[0]);

int demo_is_empty(struct db *db, int *empty, struct err *e)
{
	int64_t n = 0;
	int rc = db_int0(db, &n, e, "SELECT (SELECT COUNT(*) FROM areas) + (SELECT COUNT(*) FROM users)");

	if (!rc)
		*empty = n == 0;
	return rc;
}

static int add_area(struct db *db, int64_t parent, const char *parent_path, const char *level,
		    const struct demo_area *a, int64_t *id, char *path, size_t psize, struct err *e)
{
	int64_t now = date_now_unix();
	int rc = db_int(db, id, e,
			"INSERT INTO areas (parent_id, level, code, name, path, created_at, updated_at)"
			" VALUES ($1, $2, $3, $4, '', $5, $5) RETURNING id",
			DB_INT_OR_NULL(parent, parent), DB_TEXT(level), DB_TEXT(a->code), DB_TEXT(a->name), DB_INT(now));

	if (rc)
		return rc;
	snprintf(path, psize, "%s%lld/", parent_path, (long long)*id);
	return db_exec(db, NULL, e, "UPDATE areas SET path = $1 WHERE id = $2", DB_TEXT(path), DB_INT(*id));
}

static int64_t lookup(struct db *db, const char *sql, const char *code)
{
	int64_t id = 0;
	struct err e;

	if (db_int(db, &id, &e, sql, DB_TEXT(code)))
		return 0;
	return id;
}

int demo_load(struct db *db, const struct scheme *scheme, struct demo_summary *out, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES], rpath[64], dpath[64], spath[64], npath[64];
	int64_t rid, did, sid, nid, now = date_now_unix();
	struct actor sys;
	json_t *detail;
	int rc;

	memset(out, 0, sizeof *out);
	/* One hash for every demo account: they share the demo password. */
	rc = auth_hash_password(DEMO_PASSWORD, hash, sizeof hash, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = add_area(db, 0, "/", "region", &region, &rid, rpath, sizeof rpath, e);
	out->areas++;
	for (size_t d = 0; !rc && d < sizeof districts / sizeof districts[0]; d++) {
		rc = add_area(db, rid, rpath, "district", &districts[d], &did, dpath, sizeof dpath, e);
		out->areas++;
		for (size_t s = 0; !rc && s < sizeof streets / sizeof streets[0]; s++) {
			if (!str_starts(streets[s].code, districts[d].code))
				continue;
			rc = add_area(db, did, dpath, "street", &streets[s], &sid, spath, sizeof spath, e);
			out->areas++;
			for (size_t n = 0; !rc && n < sizeof neighbourhoods / sizeof neighbourhoods[0]; n++) {
				if (!str_starts(neighbourhoods[n].code, streets[s].code))
					continue;
				rc = add_area(db, sid, spath, "neighbourhood", &neighbourhoods[n], &nid, npath,
					      sizeof npath, e);
				out->areas++;
			}
		}
	}
	for (size_t p = 0; !rc && p < sizeof providers / sizeof providers[0]; p++) {
		int64_t area = lookup(db, "SELECT id FROM areas WHERE code = $1", providers[p].street);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO providers (code, name, area_id, status, created_at, updated_at)"
			     " VALUES ($1, $2, $3, 'active', $4, $4)",
			     DB_TEXT(providers[p].code), DB_TEXT(providers[p].name), DB_INT(area), DB_INT(now));
		out->providers++;
	}
	for (int u = 0; !rc && u < demo_login_count; u++) {
		const struct demo_login *l = &demo_logins[u];
		int64_t area = 0, provider = 0;
		const char *colon = strchr(l->scope, ':');
		if (strcmp(l->scope, "region") == 0)
			area = rid;
		else if (str_starts(l->scope, "provider:"))
			provider = lookup(db, "SELECT id FROM providers WHERE code = $1", colon + 1);
		else
			area = lookup(db, "SELECT id FROM areas WHERE code = $1", colon + 1);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO users (username, display_name, role, area_id, provider_id, password_hash,"
			     " must_change_password, password_changed_at, created_at, updated_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $7)",
			     DB_TEXT(l->username), DB_TEXT(l->display_name), DB_TEXT(l->role), DB_INT_OR_NULL(area, area),
			     DB_INT_OR_NULL(provider, provider), DB_TEXT(hash), DB_INT(now));
		out->users++;
	}
	if (!rc)
		rc = demo_registry_load(db, out, e);
	if (!rc && scheme)
		rc = demo_assess_load(db, scheme, hash, out, e);
	if (!rc && scheme)
		rc = demo_care_load(db, scheme, hash, out, e);
	if (!rc && scheme)
		rc = demo_visits_load(db, scheme, out, e);
	if (!rc) {
		actor_system(&sys, "demo");
		detail = json_pack("{s:i, s:i, s:i, s:i}", "areas", out->areas, "providers", out->providers, "users",
				   out->users, "persons", out->persons);
		rc = audit_append(db, &sys, "demo.load", NULL, NULL, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db, e);
	/* a year of contributions, collected in January: last year's and this year's */
	for (int k = 1; !rc && k >= 0 && scheme && scheme->contributions.defined; k--) {
		struct contribution_result cr;
		char when[DATE_STR];
		int y, m, d;
		date_to_ymd(date_today_cn(), &y, &m, &d);
		snprintf(when, sizeof when, "%04d-01-15", y - k);
		rc = contribution_run(db, scheme, &sys, y - k, when, &cr, e);
		for (int p = 0; !rc && p < PAYER_COUNT; p++)
			out->contributions_fen += cr.delta_fen[p];
	}
	/* the last full month settled and approved, the city sized like Zhoushan */
	if (!rc && scheme)
		rc = demo_settle_load(db, scheme, hash, out, e);
	return rc;
}
