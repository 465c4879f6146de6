/* certification.c: certified levels after the workflow: lists and the re-assessment reminder list, sharing with
 * other departments (多评合一) through their scale mapping, reproducible follow-up samples per street, and the
 * monthly statistics by street. */
#include "svc/certification.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/app_internal.h"
#include "svc/audit.h"

#define CERT_COLS                                                                                                  \
	"c.id, c.person_id, p.name, p.id_number, c.level, c.level_name, c.qualifies, c.concluded_on, c.valid_from,"   \
	" c.valid_until, c.status, c.final, ar.name, c.application_id"

static json_t *cert_json(struct db_stmt *st, bool full_id)
{
	char idm[24];

	if (full_id)
		str_copy(idm, db_col_text(st, 3), sizeof idm);
	else
		str_mask_id(db_col_text(st, 3), idm, sizeof idm);
	return json_pack("{s:I, s:I, s:s, s:s, s:i, s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:o, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "person_id", (json_int_t)db_col_int(st, 1), "person_name",
			 db_col_text(st, 2), "id_number", idm, "level", (int)db_col_int(st, 4), "level_name",
			 db_col_text(st, 5), "qualifies", db_col_int(st, 6) != 0, "concluded_on", db_col_text(st, 7),
			 "valid_from", db_col_text(st, 8), "valid_until", db_col_text(st, 9), "status", db_col_text(st, 10),
			 "final", db_col_int(st, 11) != 0, "area_name",
			 db_col_text(st, 12) ? json_string(db_col_text(st, 12)) : json_null(), "application_id",
			 (json_int_t)db_col_int(st, 13));
}

int certification_list(struct db *db, const struct actor *a, const struct certification_filter *f, json_t **out,
		       struct err *e)
{
	static const char *where =
		" FROM certifications c JOIN persons p ON p.id = c.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		" WHERE ($1 = '' OR ar.path LIKE $1) AND ($2 = '' OR c.status = $2) AND ($3 = 0 OR c.person_id = $3)"
		" AND ($4 = '' OR (c.status = 'certified' AND c.valid_until <= $4 AND c.valid_until >= $5))"
		" AND ($6 = 0 OR c.qualifies = 1)";
	struct db_stmt *st = NULL;
	char scope[180], limit[DATE_STR] = "", today[DATE_STR], sql[1024];
	json_t *items;
	int64_t total = 0;
	int rc;

	actor_area_like(a, scope, sizeof scope);
	date_format(date_today_cn(), today);
	if (f->expiring_days > 0)
		date_format(date_today_cn() + f->expiring_days, limit);
	if (f->status && *f->status && strcmp(f->status, "publicised") && strcmp(f->status, "certified") &&
	    strcmp(f->status, "superseded"))
		return err_set(e, ERR_INVALID, "status", "状态应为publicised、certified或superseded");
	items = json_array();
#define ARGS                                                                                                       \
	DB_TEXT(scope), DB_TEXT(f->status ? f->status : ""), DB_INT(f->person_id), DB_TEXT(limit), DB_TEXT(today),    \
		DB_INT(f->qualifying)
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql, ARGS);
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT " CERT_COLS "%s ORDER BY %s LIMIT $7 OFFSET $8", where,
			 f->expiring_days > 0 ? "c.valid_until, c.id" : "c.id DESC");
		rc = db_query(db, &st, e, sql, ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
	}
#undef ARGS
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, cert_json(st, false));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f->page,
			 "page_size", f->page_size);
	return 0;
}

/* ---- sharing with other departments ---- */

static const json_t *find_scale(const struct scheme *s, const char *key)
{
	json_t *scales = json_object_get(json_object_get(s->doc, "sharing"), "scales"), *v;
	size_t i;

	json_array_foreach(scales, i, v)
		if (json_is_string(json_object_get(v, "key")) && strcmp(json_string_value(json_object_get(v, "key")), key) == 0)
			return v;
	return NULL;
}

int certification_shared(struct db *db, const struct scheme *s, struct actor *a, const char *scale,
			 const char *since, int page, int page_size, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	const json_t *sc = NULL;
	char scope[180], today[DATE_STR];
	json_t *items, *ids, *detail;
	int64_t total = 0;
	int32_t day;
	int rc;

	if (scale && *scale) {
		sc = find_scale(s, scale);
		if (!sc)
			return err_set(e, ERR_INVALID, "scale", "保障方案没有名为%s的对照量表", scale);
	}
	if (since && *since && !date_parse(since, &day))
		return err_set(e, ERR_INVALID, "since", "日期应为YYYY-MM-DD");
	items = json_array();
	ids = json_array();
	actor_area_like(a, scope, sizeof scope);
	date_format(date_today_cn(), today);
#define WHERE                                                                                                      \
	" FROM certifications c JOIN persons p ON p.id = c.person_id LEFT JOIN areas ar ON ar.id = p.area_id"         \
	" WHERE c.status = 'certified' AND c.valid_until >= $1 AND ($2 = '' OR ar.path LIKE $2)"                      \
	" AND ($3 = '' OR c.concluded_on >= $3)"
	rc = db_int(db, &total, e, "SELECT COUNT(*)" WHERE, DB_TEXT(today), DB_TEXT(scope), DB_TEXT(since ? since : ""));
	if (!rc)
		rc = db_query(db, &st, e, "SELECT " CERT_COLS WHERE " ORDER BY c.id LIMIT $4 OFFSET $5", DB_TEXT(today),
			      DB_TEXT(scope), DB_TEXT(since ? since : ""), DB_INT(page_size),
			      DB_INT((int64_t)(page - 1) * page_size));
#undef WHERE
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		json_t *o = cert_json(st, true);
		char level[8];
		rc = 0;
		json_object_del(o, "application_id");
		if (sc) {
			const char *mapped;
			snprintf(level, sizeof level, "%d", (int)db_col_int(st, 4));
			mapped = json_string_value(json_object_get(json_object_get(sc, "map"), level));
			json_object_set_new(o, "mapped", mapped ? json_string(mapped) : json_null());
		}
		json_array_append_new(ids, json_integer(db_col_int(st, 1)));
		json_array_append_new(items, o);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	/* every read of shared results is audited, naming the persons */
	if (!rc) {
		detail = json_pack("{s:s, s:O}", "scale", scale ? scale : "", "persons", ids);
		rc = audit_append(db, a, "shared.read", "certification", NULL, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	json_decref(ids);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page, "page_size",
			 page_size);
	if (sc)
		json_object_set_new(*out, "scale", json_pack("{s:O, s:O}", "key", json_object_get(sc, "key"), "name",
							      json_object_get(sc, "name")));
	return 0;
}

/* ---- follow-up samples ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct cand {
	int64_t person, cert, street;
};

/* Draw k of the n candidates of one street: a partial Fisher-Yates shuffle driven by the seed. */
static void pick(struct cand *c, int n, int k, uint64_t *state)
{
	for (int i = 0; i < k && i < n; i++) {
		int j = i + (int)(splitmix64(state) % (uint64_t)(n - i));
		struct cand t = c[i];
		c[i] = c[j];
		c[j] = t;
	}
}

int followup_draw(struct db *db, struct actor *a, const json_t *in, json_t **out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"per_street", JX_INT, JX_REQUIRED, 1, 1000},
		{"seed", JX_STRING, JX_NULLABLE, 1, 20},
		{NULL, 0, 0, 0, 0},
	};
	struct db_stmt *st = NULL;
	struct cand *c = NULL;
	char scope[180], today[DATE_STR], seed_s[24];
	int n = 0, cap = 0, per, drawn = 0, rc;
	int64_t sample = 0;
	uint64_t seed, state;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	per = (int)jx_int(in, "per_street", 0);
	if (jx_str(in, "seed")) {
		char *end;
		if (!str_is_digits(jx_str(in, "seed")))
			return err_set(e, ERR_INVALID, "seed", "种子应为十进制无符号整数");
		seed = strtoull(jx_str(in, "seed"), &end, 10);
	} else {
		randombytes_buf(&seed, sizeof seed);
	}
	snprintf(seed_s, sizeof seed_s, "%llu", (unsigned long long)seed);
	actor_area_like(a, scope, sizeof scope);
	date_format(date_today_cn(), today);
	/* the population: current certified, qualifying levels of living persons, by street, in a fixed order */
	rc = db_query(db, &st, e,
		      "SELECT c.person_id, c.id, st.id FROM certifications c JOIN persons p ON p.id = c.person_id"
		      " JOIN areas ar ON ar.id = p.area_id"
		      " JOIN areas st ON st.level = 'street' AND ar.path LIKE st.path || '%'"
		      " WHERE c.status = 'certified' AND c.qualifies = 1 AND c.valid_from <= $1 AND c.valid_until >= $1"
		      " AND p.death_date IS NULL AND ($2 = '' OR ar.path LIKE $2) ORDER BY st.id, c.person_id",
		      DB_TEXT(today), DB_TEXT(scope));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			c = xrealloc(c, (size_t)cap * sizeof *c);
		}
		c[n].person = db_col_int(st, 0);
		c[n].cert = db_col_int(st, 1);
		c[n].street = db_col_int(st, 2);
		n++;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (!rc && n == 0)
		rc = err_set(e, ERR_CONFLICT, "population", "范围内没有可抽查的已认定人员");
	if (rc)
		goto out;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, &sample, e,
			    "INSERT INTO followup_samples (seed, per_street, population, drawn_by, drawn_at)"
			    " VALUES ($1, $2, $3, $4, $5) RETURNING id",
			    DB_TEXT(seed_s), DB_INT(per), DB_INT(n), DB_TEXT(a->username), DB_INT(date_now_unix()));
	state = seed;
	for (int i = 0; !rc && i < n;) {
		int j = i, k;
		while (j < n && c[j].street == c[i].street)
			j++;
		k = per < j - i ? per : j - i;
		pick(c + i, j - i, k, &state);
		for (int m = 0; m < k && !rc; m++) {
			rc = db_exec(db, NULL, e,
				     "INSERT INTO followups (sample_id, person_id, certification_id, street_id, outcome)"
				     " VALUES ($1, $2, $3, $4, 'pending')",
				     DB_INT(sample), DB_INT(c[i + m].person), DB_INT(c[i + m].cert), DB_INT(c[i].street));
			drawn++;
		}
		i = j;
	}
	if (!rc) {
		char ids[24];
		json_t *d = json_pack("{s:s, s:i, s:i, s:i}", "seed", seed_s, "per_street", per, "population", n, "drawn", drawn);
		snprintf(ids, sizeof ids, "%lld", (long long)sample);
		rc = audit_append(db, a, "followup.draw", "followup_sample", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		goto out;
	}
	rc = audit_commit(db, a, e);
	if (!rc)
		*out = json_pack("{s:I, s:s, s:i, s:i, s:i}", "id", (json_int_t)sample, "seed", seed_s, "per_street", per,
				 "population", n, "drawn", drawn);
out:
	free(c);
	return rc;
}

int followup_list(struct db *db, const struct actor *a, int64_t sample, int page, int page_size, json_t **out,
		  struct err *e)
{
	static const char *where = " FROM followups f JOIN persons p ON p.id = f.person_id JOIN areas st ON st.id = f.street_id"
				   " JOIN certifications c ON c.id = f.certification_id LEFT JOIN areas ar ON ar.id = p.area_id"
				   " WHERE ($1 = '' OR ar.path LIKE $1) AND ($2 = 0 OR f.sample_id = $2)";
	struct db_stmt *st = NULL;
	char scope[180], sql[1024];
	json_t *items = json_array();
	int64_t total = 0;
	int rc;

	actor_area_like(a, scope, sizeof scope);
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql, DB_TEXT(scope), DB_INT(sample));
	if (!rc) {
		snprintf(sql, sizeof sql,
			 "SELECT f.id, f.sample_id, f.person_id, p.name, p.address, st.name, c.level, c.level_name, f.outcome,"
			 " f.visited_on, f.visited_by, f.notes%s ORDER BY f.id DESC LIMIT $3 OFFSET $4",
			 where);
		rc = db_query(db, &st, e, sql, DB_TEXT(scope), DB_INT(sample), DB_INT(page_size),
			      DB_INT((int64_t)(page - 1) * page_size));
	}
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
				      "sample_id", (json_int_t)db_col_int(st, 1), "person_id", (json_int_t)db_col_int(st, 2),
				      "person_name", db_col_text(st, 3), "street", db_col_text(st, 5), "level",
				      (int)db_col_int(st, 6), "level_name", db_col_text(st, 7), "outcome", db_col_text(st, 8));
		rc = 0;
		json_object_set_new(o, "address", db_col_text(st, 4) ? json_string(db_col_text(st, 4)) : json_null());
		json_object_set_new(o, "visited_on", db_col_text(st, 9) ? json_string(db_col_text(st, 9)) : json_null());
		json_object_set_new(o, "visited_by", db_col_text(st, 10) ? json_string(db_col_text(st, 10)) : json_null());
		json_object_set_new(o, "notes", db_col_text(st, 11) ? json_string(db_col_text(st, 11)) : json_null());
		json_array_append_new(items, o);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page, "page_size",
			 page_size);
	return 0;
}

int followup_record(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"outcome", JX_STRING, JX_REQUIRED, 1, 16},
		{"visited_on", JX_STRING, JX_REQUIRED, 10, 10},
		{"notes", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	const char *outcome;
	char scope[180], ids[24];
	int64_t visible = 0, changes = 0;
	int32_t day;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	outcome = jx_str(in, "outcome");
	if (strcmp(outcome, "consistent") && strcmp(outcome, "inconsistent") && strcmp(outcome, "not_home") &&
	    strcmp(outcome, "deceased"))
		return err_set(e, ERR_INVALID, "outcome", "回访结果应为consistent、inconsistent、not_home或deceased");
	if (!date_parse(jx_str(in, "visited_on"), &day) || day > date_today_cn())
		return err_set(e, ERR_INVALID, "visited_on", "回访日期应为不晚于今天的YYYY-MM-DD");
	if (strcmp(outcome, "inconsistent") == 0 && !jx_str(in, "notes"))
		return err_set(e, ERR_INVALID, "notes", "回访结果与认定等级不符时须说明情况");
	actor_area_like(a, scope, sizeof scope);
	rc = db_int(db, &visible, e,
		    "SELECT COUNT(*) FROM followups f JOIN persons p ON p.id = f.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
		    " WHERE f.id = $1 AND ($2 = '' OR ar.path LIKE $2)",
		    DB_INT(id), DB_TEXT(scope));
	if (rc)
		return rc;
	if (!visible)
		return err_set(e, ERR_NOT_FOUND, "id", "回访记录不存在");
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE followups SET outcome = $1, visited_on = $2, visited_by = $3, notes = $4 WHERE id = $5"
			     " AND outcome = 'pending'",
			     DB_TEXT(outcome), DB_TEXT(jx_str(in, "visited_on")), DB_TEXT(a->username),
			     DB_TEXT(jx_str(in, "notes")), DB_INT(id));
	if (!rc && !changes)
		rc = err_set(e, ERR_CONFLICT, "outcome", "该回访已记录结果");
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "followup.record", "followup", ids, AUDIT_OK, in, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* ---- statistics by street and month ---- */

static bool valid_month(const char *m)
{
	char d[16];
	int32_t day;

	if (strlen(m) != 7)
		return false;
	snprintf(d, sizeof d, "%s-01", m);
	return date_parse(d, &day);
}

int assessment_stats(struct db *db, const struct actor *a, const char *from, const char *to, json_t **out,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180];
	json_t *rows;
	int rc;

	if (from && *from && !valid_month(from))
		return err_set(e, ERR_INVALID, "from", "月份应为YYYY-MM");
	if (to && *to && !valid_month(to))
		return err_set(e, ERR_INVALID, "to", "月份应为YYYY-MM");
	rows = json_array();
	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e,
		      "SELECT st.id, st.name, substr(ap.submitted_on, 1, 7) AS m, COUNT(*),"
		      " SUM(CASE WHEN ap.status NOT IN ('submitted', 'rejected', 'withdrawn') THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN ap.status = 'rejected' THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.id IS NOT NULL AND c.qualifies = 1 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.id IS NOT NULL THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.level = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN c.level = 1 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.level = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN c.level = 3 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.level = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN c.level = 5 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN c.level = 6 THEN 1 ELSE 0 END)"
		      " FROM applications ap JOIN areas ar ON ar.id = ap.area_id"
		      " JOIN areas st ON st.level = 'street' AND ar.path LIKE st.path || '%'"
		      " LEFT JOIN certifications c ON c.application_id = ap.id"
		      " WHERE ($1 = '' OR ar.path LIKE $1) AND ($2 = '' OR substr(ap.submitted_on, 1, 7) >= $2)"
		      " AND ($3 = '' OR substr(ap.submitted_on, 1, 7) <= $3)"
		      " GROUP BY st.id, st.name, substr(ap.submitted_on, 1, 7) ORDER BY m, st.id",
		      DB_TEXT(scope), DB_TEXT(from ? from : ""), DB_TEXT(to ? to : ""));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int64_t accepted = db_col_int(st, 4), rejected = db_col_int(st, 5);
		json_t *levels = json_object();
		rc = 0;
		for (int lv = 0; lv <= 6; lv++)
			if (db_col_int(st, 8 + lv)) {
				char k[4];
				snprintf(k, sizeof k, "%d", lv);
				json_object_set_new(levels, k, json_integer(db_col_int(st, 8 + lv)));
			}
		json_array_append_new(
			rows, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:o, s:I, s:I, s:o}", "street_id",
					(json_int_t)db_col_int(st, 0), "street", db_col_text(st, 1), "month",
					db_col_text(st, 2), "applications", (json_int_t)db_col_int(st, 3), "accepted",
					(json_int_t)accepted, "rejected", (json_int_t)rejected, "pass_rate",
					accepted + rejected ? json_real((double)(accepted * 1000 / (accepted + rejected)) / 10.0)
							    : json_null(),
					"concluded", (json_int_t)db_col_int(st, 7), "qualifying", (json_int_t)db_col_int(st, 6),
					"levels", levels));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:o}", "items", rows);
	return 0;
}
