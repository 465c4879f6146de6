/* draw.c: the expert pool and the random draw of one expert and one assessor for a case. The candidates are the
 * active members serving the person's area; conflicts (employed by a care provider, over the workload cap, in the
 * pair of the case being appealed or re-visited) are excluded and recorded with their reason. The seed and the
 * candidate lists are stored, so anyone can re-run the draw and get the same pair. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "rules/assess.h"
#include "svc/app_internal.h"
#include "svc/application.h"
#include "svc/audit.h"

int64_t app_actor_assessor(struct db *db, const struct actor *a)
{
	int64_t id = 0;
	struct err e;

	if (a->kind != ACTOR_USER || db_int(db, &id, &e, "SELECT id FROM assessors WHERE user_id = $1 AND status = 'active'",
					    DB_INT(a->user_id)))
		return 0;
	return id;
}

struct cand {
	int64_t id;
	bool expert, core, provider;
	int open;
	char path[160];
};

static int cand_cmp(const void *key, const void *elem)
{
	int64_t k = *(const int64_t *)key, id = ((const struct cand *)elem)->id;

	return (k > id) - (k < id);
}

static bool in_list(const int64_t *list, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i] == id)
			return true;
	return false;
}

/* The pool members who took part in earlier draws of a case (to keep them out of an appeal, a re-visit or a
 * re-draw), appended to a growing list. */
struct idlist {
	int64_t *v;
	int n, cap;
};

static void idlist_add(struct idlist *l, int64_t id)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = id;
}

static int previous_pair(struct db *db, int64_t app, struct idlist *out, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT expert_id, assessor_id FROM assignments WHERE application_id = $1", DB_INT(app));

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		idlist_add(out, db_col_int(st, 0));
		idlist_add(out, db_col_int(st, 1));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

/* Draw and record a pair; the caller owns the transaction and the status change. */
int app_draw(struct db *db, const struct scheme *s, struct actor *a, const struct app_row *ap, const char *purpose,
	     int64_t *assignment, struct err *e)
{
	struct db_stmt *st = NULL;
	struct cand *c = NULL;
	int64_t *experts = NULL, *assessors = NULL, expert = 0, assessor = 0;
	struct idlist conflict = {0}, earlier = {0};
	int n = 0, cap = 0, ne = 0, na = 0, rc;
	json_t *excluded = json_array(), *je = json_array(), *ja = json_array();
	char *ex_text = NULL, *e_text = NULL, *a_text = NULL, seed_s[24];
	uint64_t seed;
	bool revisit = strcmp(purpose, "revisit") == 0;

	/* who was drawn for this case before (a re-visit or a re-draw) or sat on the case being appealed */
	rc = previous_pair(db, ap->id, &earlier, e);
	if (!rc && ap->appeal_of)
		rc = previous_pair(db, ap->appeal_of, &conflict, e);
	if (!rc)
		rc = db_query0(db, &st, e,
			       "SELECT s.id, s.kind, s.core, s.provider_id, ar.path FROM assessors s"
			       " JOIN areas ar ON ar.id = s.area_id WHERE s.status = 'active' ORDER BY s.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			c = xrealloc(c, (size_t)cap * sizeof *c);
		}
		c[n].id = db_col_int(st, 0);
		c[n].expert = strcmp(db_col_text(st, 1), "expert") == 0;
		c[n].core = db_col_int(st, 2) != 0;
		c[n].provider = !db_col_null(st, 3);
		str_copy(c[n].path, db_col_text(st, 4), sizeof c[n].path);
		c[n].open = 0;
		n++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	/* open cases per member, counted here over the (sorted) candidates: cheaper than a grouped join */
	if (!rc)
		rc = db_query0(db, &st, e, "SELECT expert_id, assessor_id FROM assignments WHERE status = 'open'");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t ex = db_col_int(st, 0), as = db_col_int(st, 1);
		struct cand *hit;
		rc = 0;
		if ((hit = bsearch(&ex, c, (size_t)n, sizeof *c, cand_cmp)))
			hit->open++;
		if (as != ex && (hit = bsearch(&as, c, (size_t)n, sizeof *c, cand_cmp)))
			hit->open++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc)
		goto out;
	experts = xcalloc((size_t)n + 1, sizeof *experts);
	assessors = xcalloc((size_t)n + 1, sizeof *assessors);
	for (int i = 0; i < n; i++) {
		const char *why = NULL;
		/* the pool serving the person's area: members whose area covers it */
		if (!str_starts(ap->area_path, c[i].path))
			continue;
		if (c[i].provider)
			why = "受雇于定点护理机构";
		else if (in_list(conflict.v, conflict.n, c[i].id))
			why = "曾参与被复核案件的评估";
		else if (in_list(earlier.v, earlier.n, c[i].id))
			why = revisit ? "曾参与本案评估" : "本案此前已抽取（改派）";
		else if (c[i].open >= s->assess.workload_cap)
			why = "在办评估任务已达上限";
		else if (revisit && c[i].expert && !c[i].core)
			why = "复评须由核心专家上门";
		if (why) {
			json_array_append_new(excluded, json_pack("{s:I, s:s}", "id", (json_int_t)c[i].id, "reason", why));
			continue;
		}
		if (c[i].expert) {
			experts[ne++] = c[i].id;
			json_array_append_new(je, json_integer(c[i].id));
		} else {
			assessors[na++] = c[i].id;
			json_array_append_new(ja, json_integer(c[i].id));
		}
	}
	if (!ne || !na) {
		rc = err_set(e, ERR_CONFLICT, "pool", "没有可抽取的%s（服务该区域且无回避情形的%s为0人）", !ne ? "评估专家" : "评估员",
			     !ne ? "专家" : "评估员");
		goto out;
	}
	randombytes_buf(&seed, sizeof seed);
	if (!assess_draw(seed, experts, ne, assessors, na, &expert, &assessor)) {
		rc = err_set(e, ERR_INTERNAL, NULL, "draw failed");
		goto out;
	}
	snprintf(seed_s, sizeof seed_s, "%llu", (unsigned long long)seed);
	ex_text = json_dumps(excluded, JSON_COMPACT);
	e_text = json_dumps(je, JSON_COMPACT);
	a_text = json_dumps(ja, JSON_COMPACT);
	rc = db_exec(db, NULL, e, "UPDATE assignments SET status = 'replaced' WHERE application_id = $1 AND status = 'open'",
		     DB_INT(ap->id));
	if (!rc)
		rc = db_int(db, assignment, e,
			    "INSERT INTO assignments (application_id, purpose, seed, experts, assessors, excluded, expert_id,"
			    " assessor_id, status, drawn_by, drawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)"
			    " RETURNING id",
			    DB_INT(ap->id), DB_TEXT(purpose), DB_TEXT(seed_s), DB_TEXT(e_text), DB_TEXT(a_text),
			    DB_TEXT(ex_text), DB_INT(expert), DB_INT(assessor), DB_TEXT(a->username),
			    DB_INT(date_now_unix()));
	if (!rc)
		rc = app_audit(db, a, "application.assign", ap->id,
			       json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "purpose", purpose, "seed", seed_s, "expert",
					 (json_int_t)expert, "assessor", (json_int_t)assessor, "experts", ne, "assessors", na,
					 "excluded", (int)json_array_size(excluded)),
			       e);
out:
	free(c);
	free(conflict.v);
	free(earlier.v);
	free(experts);
	free(assessors);
	free(ex_text);
	free(e_text);
	free(a_text);
	json_decref(excluded);
	json_decref(je);
	json_decref(ja);
	return rc;
}

int application_assign(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e)
{
	struct app_row ap;
	struct db_stmt *st = NULL;
	int64_t assignment = 0;
	char purpose[16] = "assessment";
	bool redraw;
	int rc = app_load(db, a, id, &ap, e);

	if (rc)
		return rc;
	if (strcmp(ap.status, "accepted") != 0 && strcmp(ap.status, "assigned") != 0)
		return app_wrong_state(&ap, "抽取评估人员", e);
	/* on an assigned case (the pair cannot go): a new draw of the same purpose without anyone drawn before */
	redraw = strcmp(ap.status, "assigned") == 0;
	if (strcmp(ap.type, "appeal") == 0)
		str_copy(purpose, "appeal", sizeof purpose);
	rc = db_begin(db, e);
	/* the conditional status update first: it also serialises two draws of one case */
	if (!rc)
		rc = app_transition(db, id, ap.status, "assigned", e);
	if (!rc && redraw) {
		rc = db_query(db, &st, e, "SELECT purpose FROM assignments WHERE application_id = $1 AND status = 'open'",
			      DB_INT(id));
		if (!rc && db_step(st, e) == DB_ROW)
			str_copy(purpose, db_col_text(st, 0), sizeof purpose);
		db_done(st);
	}
	if (!rc)
		rc = app_draw(db, s, a, &ap, purpose, &assignment, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* Parse a recorded candidate list back into ids. */
static int64_t *ids_of(const char *text, int *n)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL), *v;
	int64_t *ids;
	size_t i;

	*n = 0;
	ids = xcalloc(json_array_size(arr) + 1, sizeof *ids);
	json_array_foreach(arr, i, v)
		ids[(*n)++] = (int64_t)json_integer_value(v);
	json_decref(arr);
	return ids;
}

int application_draws(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct app_row ap;
	json_t *items = json_array();
	int rc = app_load(db, a, id, &ap, e);

	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT x.id, x.purpose, x.seed, x.experts, x.assessors, x.excluded, x.expert_id, x.assessor_id,"
			      " x.status, x.drawn_by, x.drawn_at, ex.name, asr.name FROM assignments x"
			      " JOIN assessors ex ON ex.id = x.expert_id JOIN assessors asr ON asr.id = x.assessor_id"
			      " WHERE x.application_id = $1 ORDER BY x.id",
			      DB_INT(id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int ne, na;
		int64_t *ex = ids_of(db_col_text(st, 3), &ne), *as = ids_of(db_col_text(st, 4), &na), re = 0, ra = 0;
		unsigned long long seed = strtoull(db_col_text(st, 2), NULL, 10);
		bool same = assess_draw((uint64_t)seed, ex, ne, as, na, &re, &ra) && re == db_col_int(st, 6) &&
			    ra == db_col_int(st, 7);
		rc = 0;
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:I, s:b}", "id",
				  (json_int_t)db_col_int(st, 0), "purpose", db_col_text(st, 1), "seed", db_col_text(st, 2),
				  "experts", json_loads(db_col_text(st, 3), 0, NULL), "assessors",
				  json_loads(db_col_text(st, 4), 0, NULL), "excluded", json_loads(db_col_text(st, 5), 0, NULL),
				  "expert", "id", (json_int_t)db_col_int(st, 6), "name", db_col_text(st, 11), "assessor", "id",
				  (json_int_t)db_col_int(st, 7), "name", db_col_text(st, 12), "status", db_col_text(st, 8),
				  "drawn_by", db_col_text(st, 9), "drawn_at", (json_int_t)db_col_int(st, 10), "reproduced",
				  same));
		free(ex);
		free(as);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:s}", "items", items, "method",
			 "splitmix64(seed): first value mod len(experts) picks the expert, second mod len(assessors)"
			 " the assessor; candidates in ascending id");
	return 0;
}

/* ---- the pool ---- */

static json_t *assessor_json(struct db_stmt *st)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:b, s:s, s:o, s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
			 "user_id", db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)), "name",
			 db_col_text(st, 2), "kind", db_col_text(st, 3), "core", db_col_int(st, 4) != 0, "organisation",
			 db_col_text(st, 5), "provider_id",
			 db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)), "area_id",
			 (json_int_t)db_col_int(st, 7), "area_name", db_col_text(st, 8), "status", db_col_text(st, 9),
			 "open_assignments", (json_int_t)db_col_int(st, 10));
}

int assessor_list(struct db *db, const struct actor *a, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc;

	(void)a;
	rc = db_query0(db, &st, e,
		       "SELECT s.id, s.user_id, s.name, s.kind, s.core, s.organisation, s.provider_id, s.area_id, ar.name,"
		       " s.status, (SELECT COUNT(*) FROM assignments x WHERE x.status = 'open'"
		       "  AND (x.expert_id = s.id OR x.assessor_id = s.id))"
		       " FROM assessors s JOIN areas ar ON ar.id = s.area_id ORDER BY s.kind DESC, s.id");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, assessor_json(st));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

static int check_refs(struct db *db, const json_t *in, const char *kind, struct err *e)
{
	int64_t n = 0;
	int rc;

	if (jx_has(in, "area_id")) {
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM areas WHERE id = $1", DB_INT(jx_int(in, "area_id", 0)));
		if (rc || !n)
			return rc ? rc : err_set(e, ERR_INVALID, "area_id", "区域不存在");
	}
	if (jx_int(in, "provider_id", 0)) {
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM providers WHERE id = $1", DB_INT(jx_int(in, "provider_id", 0)));
		if (rc || !n)
			return rc ? rc : err_set(e, ERR_INVALID, "provider_id", "护理机构不存在");
	}
	if (jx_int(in, "user_id", 0)) {
		rc = db_int(db, &n, e, "SELECT COUNT(*) FROM users WHERE id = $1 AND role = $2", DB_INT(jx_int(in, "user_id", 0)),
			    DB_TEXT(kind));
		if (rc || !n)
			return rc ? rc : err_set(e, ERR_INVALID, "user_id", "账号不存在或角色不是%s", kind);
	}
	return 0;
}

int assessor_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, JX_REQUIRED, 2, 150},
		{"kind", JX_STRING, JX_REQUIRED, 1, 16},
		{"core", JX_BOOL, 0, 0, 0},
		{"organisation", JX_STRING, JX_REQUIRED, 1, 200},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"area_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"user_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{NULL, 0, 0, 0, 0},
	};
	const char *kind = jx_str(in, "kind");
	char ids[24];
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	kind = jx_str(in, "kind");
	if (strcmp(kind, "expert") && strcmp(kind, "assessor"))
		return err_set(e, ERR_INVALID, "kind", "类型应为expert（评估专家）或assessor（评估员）");
	if (jx_bool(in, "core", false) && strcmp(kind, "expert") != 0)
		return err_set(e, ERR_INVALID, "core", "只有评估专家可以是核心专家");
	rc = check_refs(db, in, kind, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO assessors (user_id, name, kind, core, organisation, provider_id, area_id, status,"
			    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8) RETURNING id",
			    DB_INT_OR_NULL(jx_int(in, "user_id", 0), jx_int(in, "user_id", 0)), DB_TEXT(jx_str(in, "name")),
			    DB_TEXT(kind), DB_INT(jx_bool(in, "core", false)), DB_TEXT(jx_str(in, "organisation")),
			    DB_INT_OR_NULL(jx_int(in, "provider_id", 0), jx_int(in, "provider_id", 0)),
			    DB_INT(jx_int(in, "area_id", 0)), DB_INT(date_now_unix()));
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)*id);
		rc = audit_append(db, a, "assessor.create", "assessor", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int assessor_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"core", JX_BOOL, 0, 0, 0},
		{"organisation", JX_STRING, 0, 1, 200},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"area_id", JX_INT, 0, 1, INT64_MAX},
		{"status", JX_STRING, 0, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	const char *status = jx_str(in, "status");
	char kind[16] = "", ids[24];
	struct db_stmt *st = NULL;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	if (json_object_size(in) == 0)
		return err_set(e, ERR_INVALID, "", "没有要修改的字段");
	rc = db_query(db, &st, e, "SELECT kind FROM assessors WHERE id = $1", DB_INT(id));
	if (!rc && db_step(st, e) == DB_ROW)
		str_copy(kind, db_col_text(st, 0), sizeof kind);
	db_done(st);
	if (!rc && !kind[0])
		rc = err_set(e, ERR_NOT_FOUND, "id", "评估人员不存在");
	if (rc)
		return rc;
	if (status && strcmp(status, "active") && strcmp(status, "inactive"))
		return err_set(e, ERR_INVALID, "status", "状态应为active或inactive");
	if (jx_bool(in, "core", false) && strcmp(kind, "expert") != 0)
		return err_set(e, ERR_INVALID, "core", "只有评估专家可以是核心专家");
	rc = check_refs(db, in, kind, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE assessors SET core = CASE WHEN $1 = 1 THEN $2 ELSE core END,"
			     " organisation = COALESCE($3, organisation),"
			     " provider_id = CASE WHEN $4 = 1 THEN $5 ELSE provider_id END, area_id = COALESCE($6, area_id),"
			     " status = COALESCE($7, status), updated_at = $8 WHERE id = $9",
			     DB_INT(jx_has(in, "core")), DB_INT(jx_bool(in, "core", false)), DB_TEXT(jx_str(in, "organisation")),
			     DB_INT(jx_has(in, "provider_id")),
			     DB_INT_OR_NULL(jx_int(in, "provider_id", 0), jx_int(in, "provider_id", 0)),
			     DB_INT_OR_NULL(jx_has(in, "area_id"), jx_int(in, "area_id", 0)), DB_TEXT(status),
			     DB_INT(date_now_unix()), DB_INT(id));
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "assessor.update", "assessor", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}
