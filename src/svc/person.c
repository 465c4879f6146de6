/* person.c: the registry of insured persons (see person.h). */
#include "svc/person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "scheme/scheme.h"
#include "svc/audit.h"
#include "svc/care_plan.h"
#include "svc/rows.h"

#define ADDRESS_MAX 200
#define CONTACTS_MAX 5

const char *enrolment_status_label(const char *status)
{
	if (!status)
		return "未参保";
	if (strcmp(status, "active") == 0)
		return "参保缴费";
	if (strcmp(status, "suspended") == 0)
		return "暂停参保";
	if (strcmp(status, "ended") == 0)
		return "终止参保";
	return status;
}

const char *category_label(const char *category)
{
	if (category && strcmp(category, "employee") == 0)
		return "职工医保";
	if (category && strcmp(category, "resident") == 0)
		return "城乡居民医保";
	return "";
}

/* ---- checks ---- */

int person_check_name(const char *name, const char *field, struct err *e)
{
	size_t n;

	if (!name || !*name)
		return err_set(e, ERR_INVALID, field, "姓名不能为空");
	n = str_utf8_len(name);
	if (n < 2 || n > 50 || strlen(name) > 150)
		return err_set(e, ERR_INVALID, field, "姓名应为2到50个字");
	if (name[0] == ' ' || name[strlen(name) - 1] == ' ')
		return err_set(e, ERR_INVALID, field, "姓名首尾不能有空格");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80 || *p == ' ' || *p == '.' || *p == '-' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z'))
			continue;
		return err_set(e, ERR_INVALID, field, "姓名含有不允许的字符");
	}
	/* Full-width punctuation and digits that are not part of names. */
	if (strstr(name, "，") || strstr(name, "。") || strstr(name, "、") || strstr(name, "；") || strstr(name, "（") ||
	    strstr(name, "）"))
		return err_set(e, ERR_INVALID, field, "姓名含有不允许的字符");
	return 0;
}

int person_check(const struct person_fields *f, int32_t today, struct idcard *id, struct err *e)
{
	struct idcard tmp;
	int rc;

	rc = idcard_parse(f->id_number, today, id ? id : &tmp, "id_number", e);
	if (rc)
		return rc;
	rc = person_check_name(f->name, "name", e);
	if (rc)
		return rc;
	if (f->phone && *f->phone && !str_phone_valid(f->phone))
		return err_set(e, ERR_INVALID, "phone", "电话号码格式不正确（手机11位，或区号-号码）");
	if (f->address && *f->address) {
		if (strlen(f->address) > ADDRESS_MAX)
			return err_set(e, ERR_INVALID, "address", "地址过长（最多%d字节）", ADDRESS_MAX);
		if (str_has_control(f->address, false))
			return err_set(e, ERR_INVALID, "address", "地址含有控制字符");
	}
	if (f->has_coords && !geo_in_china(f->lat_e6, f->lon_e6))
		return err_set(e, ERR_INVALID, "lat", "经纬度不在中国境内（纬度3.8-53.6，经度73.4-135.1）");
	return 0;
}

/* ---- scope ---- */

#define PERSON_VISIBLE "($1 = '' OR p.area_id IN (SELECT id FROM areas WHERE path LIKE $1))"

/* The area of a person record: it must exist, be a street or neighbourhood, and lie within the actor's scope. */
static int check_area(struct db *db, const struct actor *a, int64_t area_id, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT level, path FROM areas WHERE id = $1", DB_INT(area_id));

	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		rc = 0;
		if (strcmp(db_col_text(st, 0), "street") != 0 && strcmp(db_col_text(st, 0), "neighbourhood") != 0)
			rc = err_set(e, ERR_INVALID, "area_id", "住址区域应为街道/镇或居委/村委");
		else if (!actor_covers_area(a, db_col_text(st, 1)))
			rc = err_set(e, ERR_FORBIDDEN, "area_id", "该区域不在您的管理范围内");
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_INVALID, "area_id", "区域不存在");
	}
	db_done(st);
	return rc;
}

/* ---- list ---- */

/* A WHERE clause built from the filters actually given, so that each query can use its index. */
struct where {
	struct buf sql;
	struct db_val args[16];
	char text[16][192];
	int n;
};

/* Append " AND <before>$n<after>" with v as parameter n. */
static void where_add(struct where *w, const char *before, const char *after, struct db_val v)
{
	buf_printf(&w->sql, " AND %s$%d%s", before, w->n + 1, after);
	if (v.t == DBV_TEXT) {
		str_copy(w->text[w->n], v.s, sizeof w->text[w->n]);
		v.s = w->text[w->n];
	}
	w->args[w->n++] = v;
}

int person_list(struct db *db, const struct actor *a, const struct person_filter *f, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct where w;
	char scope[180], upper[LIMIT_SEARCH_MAX + 8], q[20], like[24], area[180] = "", today[DATE_STR], sql[4096];
	const char *name = f->name && *f->name ? f->name : "";
	json_t *items = json_array();
	int64_t total = 0;
	bool capped = false;
	int rc = 0, k;

	memset(&w, 0, sizeof w);
	buf_init(&w.sql, 4096);
	buf_puts(&w.sql, " FROM persons p LEFT JOIN areas a ON a.id = p.area_id WHERE 1 = 1");
	actor_area_like(a, scope, sizeof scope);
	date_format(date_today_cn(), today);
	if (scope[0])
		where_add(&w, "p.area_id IN (SELECT id FROM areas WHERE path LIKE ", ")", DB_TEXT(scope));
	if (*name) {
		if (strlen(name) > LIMIT_SEARCH_MAX) {
			rc = err_set(e, ERR_INVALID, "name", "姓名检索词过长");
			goto out;
		}
		/* a prefix is a range: [name, name + U+10FFFF) in code point (byte) order */
		snprintf(upper, sizeof upper, "%s\xf4\x8f\xbf\xbf", name);
		where_add(&w, "p.name >= ", "", DB_TEXT(name));
		where_add(&w, "p.name < ", "", DB_TEXT(upper));
	}
	if (f->id && *f->id) {
		size_t n = strlen(f->id);
		if (n < 4 || n > 18 || strspn(f->id, "0123456789xX") != n) {
			rc = err_set(e, ERR_INVALID, "id", "身份证号码检索应为完整号码或末尾至少4位");
			goto out;
		}
		str_copy(q, f->id, sizeof q);
		for (char *c = q; *c; c++)
			if (*c == 'x')
				*c = 'X';
		if (n == 18) {
			where_add(&w, "p.id_number = ", "", DB_TEXT(q));
		} else {
			where_add(&w, "p.id_last4 = ", "", DB_TEXT(q + n - 4));
			if (n > 4) {
				snprintf(like, sizeof like, "%%%s", q);
				where_add(&w, "p.id_number LIKE ", "", DB_TEXT(like));
			}
		}
	}
	if (f->phone && *f->phone) {
		if (strlen(f->phone) > 20 || strspn(f->phone, "0123456789-") != strlen(f->phone)) {
			rc = err_set(e, ERR_INVALID, "phone", "电话检索应为完整号码");
			goto out;
		}
		where_add(&w, "p.phone = ", "", DB_TEXT(f->phone));
	}
	if (f->area_id) {
		struct db_stmt *as = NULL;
		rc = db_query(db, &as, e, "SELECT path FROM areas WHERE id = $1", DB_INT(f->area_id));
		if (rc)
			goto out;
		if (db_step(as, e) == DB_ROW && actor_covers_area(a, db_col_text(as, 0)))
			snprintf(area, sizeof area, "%s%%", db_col_text(as, 0));
		db_done(as);
		if (!area[0]) {
			rc = err_set(e, ERR_INVALID, "area_id", "区域不存在或不在您的管理范围内");
			goto out;
		}
		where_add(&w, "p.area_id IN (SELECT id FROM areas WHERE path LIKE ", ")", DB_TEXT(area));
	}
	if (f->status && *f->status) {
		if (strcmp(f->status, "active") && strcmp(f->status, "suspended") && strcmp(f->status, "ended") &&
		    strcmp(f->status, "none")) {
			rc = err_set(e, ERR_INVALID, "status", "参保状态应为active、suspended、ended或none");
			goto out;
		}
		buf_printf(&w.sql,
			   " AND COALESCE((SELECT e.status FROM enrolments e WHERE e.person_id = p.id AND e.effective_from <= $%d"
			   " ORDER BY e.effective_from DESC, e.id DESC LIMIT 1), 'none') = $%d",
			   w.n + 1, w.n + 2);
		w.args[w.n++] = DB_TEXT(today);
		w.args[w.n++] = DB_TEXT(f->status);
	}
	/* Counting every match of a region-wide list of millions is slow: the count stops at a cap. */
	k = w.n;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT 1%s LIMIT %d) c", w.sql.data, LIMIT_COUNT_CAP + 1);
	rc = db_int_v(db, &total, e, sql, w.args, k);
	if (rc)
		goto out;
	capped = total > LIMIT_COUNT_CAP;
	if (capped)
		total = LIMIT_COUNT_CAP;
	w.args[k] = DB_TEXT(today);
	w.args[k + 1] = DB_INT(f->page_size);
	w.args[k + 2] = DB_INT((int64_t)(f->page - 1) * f->page_size);
	snprintf(sql, sizeof sql,
		 "SELECT p.id, p.id_number, p.name, p.sex, p.birth_date, p.phone, p.death_date, a.id, a.name,"
		 " (SELECT e.status || '|' || e.category FROM enrolments e WHERE e.person_id = p.id"
		 "  AND e.effective_from <= $%d ORDER BY e.effective_from DESC, e.id DESC LIMIT 1)"
		 "%s ORDER BY p.id LIMIT $%d OFFSET $%d",
		 k + 1, w.sql.data, k + 2, k + 3);
	rc = db_query_v(db, &st, e, sql, w.args, k + 3);
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		char idm[24], phm[24], status[32] = "", category[32] = "";
		const char *enr = db_col_text(st, 9);
		int32_t birth = 0, age_on;
		rc = 0;
		str_mask_id(db_col_text(st, 1), idm, sizeof idm);
		if (db_col_text(st, 5))
			str_mask_phone(db_col_text(st, 5), phm, sizeof phm);
		if (enr) {
			const char *bar = strchr(enr, '|');
			snprintf(status, sizeof status, "%.*s", bar ? (int)(bar - enr) : (int)strlen(enr), enr);
			str_copy(category, bar ? bar + 1 : "", sizeof category);
		}
		date_parse(db_col_text(st, 4), &birth);
		{
			int32_t death;
			age_on = db_col_text(st, 6) && date_parse(db_col_text(st, 6), &death) ? death : date_today_cn();
		}
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:s}", "id",
				  (json_int_t)db_col_int(st, 0), "id_number", idm, "name", db_col_text(st, 2), "sex",
				  db_col_text(st, 3), "sex_label", strcmp(db_col_text(st, 3), "M") == 0 ? "男" : "女",
				  "age", date_age_years(birth, age_on), "phone",
				  db_col_text(st, 5) ? json_string(phm) : json_null(), "death_date",
				  jx_str_or_null(db_col_text(st, 6)), "area_id",
				  db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)), "area_name",
				  jx_str_or_null(db_col_text(st, 8)), "status", enr ? json_string(status) : json_null(),
				  "status_label", enrolment_status_label(enr ? status : NULL), "category",
				  enr ? json_string(category) : json_null(), "category_label",
				  category_label(enr ? category : NULL)));
	}
	if (rc == DB_DONE)
		rc = 0;
out:
	db_done(st);
	buf_free(&w.sql);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:b, s:i, s:i}", "items", items, "total", (json_int_t)total, "total_capped",
			 capped, "page", f->page, "page_size", f->page_size);
	return 0;
}

/* ---- full record ---- */

static json_t *contact_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
			 "relation", db_col_text(st, 2), "phone", jx_str_or_null(db_col_text(st, 3)), "is_agent",
			 db_col_int(st, 4) != 0);
}

static json_t *enrolment_row(struct db_stmt *st)
{
	json_t *flags = json_array();

	if (db_col_int(st, 2))
		json_array_append_new(flags, json_string("assistance"));
	if (db_col_int(st, 3))
		json_array_append_new(flags, json_string("sponsored"));
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)db_col_int(st, 0),
			 "category", db_col_text(st, 1), "category_label", category_label(db_col_text(st, 1)), "flags",
			 flags, "status", db_col_text(st, 4), "status_label", enrolment_status_label(db_col_text(st, 4)),
			 "effective_from", db_col_text(st, 5), "source", db_col_text(st, 6), "recorded_at",
			 (json_int_t)db_col_int(st, 7), "recorded_by", jx_str_or_null(db_col_text(st, 8)));
}

static json_t *contribution_row(struct db_stmt *st)
{
	int payer = payer_parse(db_col_text(st, 1));

	return json_pack("{s:i, s:s, s:s, s:I, s:s}", "year", (int)db_col_int(st, 0), "payer", db_col_text(st, 1),
			 "payer_label", payer >= 0 ? payer_label((enum payer)payer) : "", "amount_fen",
			 (json_int_t)db_col_int(st, 2), "category", db_col_text(st, 3));
}

static json_t *stay_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s}", "id", (json_int_t)db_col_int(st, 0), "admitted",
			 db_col_text(st, 1), "discharged", jx_str_or_null(db_col_text(st, 2)), "hospital",
			 jx_str_or_null(db_col_text(st, 3)), "source", db_col_text(st, 4));
}

static json_t *coord(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_real((double)db_col_int(st, col) / 1e6);
}

int person_get(struct db *db, struct actor *a, int64_t id, bool audit, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180], ids[24];
	json_t *p = NULL, *hist;
	int32_t birth = 0, today = date_today_cn();
	int rc;

	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.id_number, p.name, p.sex, p.birth_date, p.phone, p.address, p.lat_e6, p.lon_e6,"
		      " p.death_date, p.created_at, p.updated_at, a.id, a.code, a.name, a.level"
		      " FROM persons p LEFT JOIN areas a ON a.id = p.area_id WHERE " PERSON_VISIBLE " AND p.id = $2",
		      DB_TEXT(scope), DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		rc = 0;
		date_parse(db_col_text(st, 4), &birth);
		if (db_col_text(st, 9)) {
			int32_t death;
			if (date_parse(db_col_text(st, 9), &death) && death < today)
				today = death; /* the age of a deceased person is the age at death */
		}
		p = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "id",
			      (json_int_t)db_col_int(st, 0), "id_number", db_col_text(st, 1), "name", db_col_text(st, 2),
			      "sex", db_col_text(st, 3), "sex_label", strcmp(db_col_text(st, 3), "M") == 0 ? "男" : "女",
			      "birth_date", db_col_text(st, 4), "age", date_age_years(birth, today), "phone",
			      jx_str_or_null(db_col_text(st, 5)), "address", jx_str_or_null(db_col_text(st, 6)), "lat",
			      coord(st, 7), "lon", coord(st, 8), "death_date", jx_str_or_null(db_col_text(st, 9)),
			      "created_at", (json_int_t)db_col_int(st, 10), "updated_at", (json_int_t)db_col_int(st, 11));
		json_object_set_new(p, "area",
				    db_col_null(st, 12)
					    ? json_null()
					    : json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 12), "code",
							db_col_text(st, 13), "name", db_col_text(st, 14), "level",
							db_col_text(st, 15)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "参保人不存在");
	}
	db_done(st);
	if (rc)
		return rc;
	rc = rows_by_id(db, p, "contacts",
		       "SELECT id, name, relation, phone, is_agent FROM person_contacts WHERE person_id = $1 ORDER BY id",
		       id, contact_row, e);
	if (!rc)
		rc = rows_by_id(db, p, "enrolments",
			       "SELECT id, category, assistance, sponsored, status, effective_from, source, recorded_at,"
			       " recorded_by FROM enrolments WHERE person_id = $1 ORDER BY effective_from DESC, id DESC",
			       id, enrolment_row, e);
	if (!rc)
		rc = rows_by_id(db, p, "contributions",
			       "SELECT year, payer, amount_fen, category FROM contributions WHERE person_id = $1"
			       " ORDER BY year DESC, payer",
			       id, contribution_row, e);
	if (!rc)
		rc = rows_by_id(db, p, "hospital_stays",
			       "SELECT id, admitted, discharged, hospital, source FROM hospital_stays WHERE person_id = $1"
			       " ORDER BY admitted DESC",
			       id, stay_row, e);
	if (rc) {
		json_decref(p);
		return rc;
	}
	/* the enrolment in force today: the first history entry that has started */
	hist = json_object_get(p, "enrolments");
	json_object_set_new(p, "enrolment", json_null());
	{
		size_t i;
		json_t *en;
		char td[DATE_STR];
		date_format(today, td);
		json_array_foreach(hist, i, en) {
			if (strcmp(json_string_value(json_object_get(en, "effective_from")), td) <= 0) {
				json_object_set(p, "enrolment", en);
				break;
			}
		}
	}
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = audit ? audit_append(db, a, "person.read", "person", ids, AUDIT_OK, NULL, e) : 0;
	if (rc) {
		json_decref(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* ---- writes ---- */

static int parse_coords(const json_t *in, struct person_fields *f, struct err *e)
{
	json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in, "lon");

	f->has_coords = false;
	if ((!lat || json_is_null(lat)) && (!lon || json_is_null(lon)))
		return 0;
	if (!json_is_number(lat))
		return err_set(e, ERR_INVALID, "lat", "纬度应为数字，且须与经度同时提供");
	if (!json_is_number(lon))
		return err_set(e, ERR_INVALID, "lon", "经度应为数字，且须与纬度同时提供");
	f->lat_e6 = geo_e6_from_double(json_number_value(lat));
	f->lon_e6 = geo_e6_from_double(json_number_value(lon));
	f->has_coords = true;
	return 0;
}

static int check_contacts(const json_t *contacts, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, JX_REQUIRED, 1, 150},
		{"relation", JX_STRING, JX_REQUIRED, 1, 30},
		{"phone", JX_STRING, JX_NULLABLE, 0, 20},
		{"is_agent", JX_BOOL, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	json_t *c;
	size_t i;
	char path[32];
	int rc;

	if (!contacts || json_is_null(contacts))
		return 0;
	if (!json_is_array(contacts))
		return err_set(e, ERR_INVALID, "contacts", "联系人应为数组");
	if (json_array_size(contacts) > CONTACTS_MAX)
		return err_set(e, ERR_INVALID, "contacts", "联系人最多%d个", CONTACTS_MAX);
	json_array_foreach(contacts, i, c) {
		snprintf(path, sizeof path, "contacts[%zu]", i);
		rc = jx_check(c, fields, path, e);
		if (rc)
			return rc;
		snprintf(path, sizeof path, "contacts[%zu].name", i);
		rc = person_check_name(jx_str(c, "name"), path, e);
		if (rc)
			return rc;
		if (jx_str(c, "phone") && *jx_str(c, "phone") && !str_phone_valid(jx_str(c, "phone"))) {
			snprintf(path, sizeof path, "contacts[%zu].phone", i);
			return err_set(e, ERR_INVALID, path, "联系人电话格式不正确");
		}
	}
	return 0;
}

static int write_contacts(struct db *db, int64_t person, const json_t *contacts, int64_t now, struct err *e)
{
	json_t *c;
	size_t i;
	int rc = db_exec(db, NULL, e, "DELETE FROM person_contacts WHERE person_id = $1", DB_INT(person));

	json_array_foreach(contacts, i, c) {
		if (rc)
			break;
		rc = db_exec(db, NULL, e,
			     "INSERT INTO person_contacts (person_id, name, relation, phone, is_agent, created_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6)",
			     DB_INT(person), DB_TEXT(jx_str(c, "name")), DB_TEXT(jx_str(c, "relation")),
			     DB_TEXT(jx_str(c, "phone") && *jx_str(c, "phone") ? jx_str(c, "phone") : NULL),
			     DB_INT(jx_bool(c, "is_agent", false)), DB_INT(now));
	}
	return rc;
}

/* Parse an enrolment object into its parts; prefix names it in errors. */
static int parse_enrolment(const json_t *in, const char *prefix, int32_t birth, int *category, bool *assistance,
			   bool *sponsored, const char **status, const char **from, struct err *e)
{
	static const struct jx_field fields[] = {
		{"category", JX_STRING, JX_REQUIRED, 1, 16},
		{"flags", JX_ARRAY, 0, 0, 0},
		{"status", JX_STRING, JX_REQUIRED, 1, 16},
		{"effective_from", JX_STRING, JX_REQUIRED, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	char path[64];
	json_t *flag;
	size_t i;
	int32_t day;
	int rc = jx_check(in, fields, prefix, e);

	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s%scategory", prefix, *prefix ? "." : "");
	*category = category_parse(jx_str(in, "category"));
	if (*category < 0)
		return err_set(e, ERR_INVALID, path, "险种应为employee（职工医保）或resident（城乡居民医保）");
	*assistance = *sponsored = false;
	json_array_foreach(json_object_get(in, "flags"), i, flag) {
		const char *f = json_string_value(flag);
		snprintf(path, sizeof path, "%s%sflags[%zu]", prefix, *prefix ? "." : "", i);
		if (f && strcmp(f, "assistance") == 0)
			*assistance = true;
		else if (f && strcmp(f, "sponsored") == 0)
			*sponsored = true;
		else
			return err_set(e, ERR_INVALID, path, "参保标识只能是assistance（医疗救助对象）或sponsored（政府资助参保对象）");
	}
	*status = jx_str(in, "status");
	snprintf(path, sizeof path, "%s%sstatus", prefix, *prefix ? "." : "");
	if (strcmp(*status, "active") && strcmp(*status, "suspended") && strcmp(*status, "ended"))
		return err_set(e, ERR_INVALID, path, "参保状态应为active、suspended或ended");
	*from = jx_str(in, "effective_from");
	snprintf(path, sizeof path, "%s%seffective_from", prefix, *prefix ? "." : "");
	if (!date_parse(*from, &day))
		return err_set(e, ERR_INVALID, path, "生效日期应为YYYY-MM-DD");
	if (day < birth)
		return err_set(e, ERR_INVALID, path, "生效日期早于出生日期");
	if (day > date_add_months(date_today_cn(), 12))
		return err_set(e, ERR_INVALID, path, "生效日期不能晚于一年以后");
	return 0;
}

static int insert_enrolment(struct db *db, const struct actor *a, int64_t person, int category, bool assistance,
			    bool sponsored, const char *status, const char *from, const char *source, struct err *e)
{
	return db_exec(db, NULL, e,
		       "INSERT INTO enrolments (person_id, category, assistance, sponsored, status, effective_from, source,"
		       " recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       DB_INT(person), DB_TEXT(category_name(category)), DB_INT(assistance), DB_INT(sponsored),
		       DB_TEXT(status), DB_TEXT(from), DB_TEXT(source), DB_INT(date_now_unix()), DB_TEXT(a->username));
}

int person_create(struct db *db, struct actor *a, const json_t *in, int64_t *id_out, struct err *e)
{
	static const struct jx_field fields[] = {
		{"id_number", JX_STRING, JX_REQUIRED, 1, 20},
		{"name", JX_STRING, JX_REQUIRED, 1, 150},
		{"sex", JX_STRING, 0, 1, 1},
		{"birth_date", JX_STRING, 0, 10, 10},
		{"phone", JX_STRING, JX_NULLABLE, 0, 20},
		{"address", JX_STRING, JX_NULLABLE, 0, ADDRESS_MAX},
		{"area_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"lat", JX_ANY, JX_NULLABLE, 0, 0},
		{"lon", JX_ANY, JX_NULLABLE, 0, 0},
		{"contacts", JX_ARRAY, JX_NULLABLE, 0, 0},
		{"enrolment", JX_OBJECT, JX_NULLABLE, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	struct person_fields f = {0};
	struct idcard card;
	int64_t id = 0, taken = 0, now = date_now_unix(), area_id = jx_int(in, "area_id", 0);
	char birth[DATE_STR], ids[24];
	const char *status = NULL, *from = NULL;
	int category = -1, rc;
	bool assistance = false, sponsored = false;
	json_t *enr = json_object_get(in, "enrolment");

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	area_id = jx_int(in, "area_id", 0);
	f.id_number = jx_str(in, "id_number");
	f.name = jx_str(in, "name");
	f.phone = jx_str(in, "phone");
	f.address = jx_str(in, "address");
	rc = parse_coords(in, &f, e);
	if (!rc)
		rc = person_check(&f, date_today_cn(), &card, e);
	if (rc)
		return rc;
	date_format(card.birth, birth);
	if (jx_str(in, "birth_date") && strcmp(jx_str(in, "birth_date"), birth) != 0)
		return err_set(e, ERR_INVALID, "birth_date", "出生日期与身份证号码不一致（应为%s）", birth);
	if (jx_str(in, "sex") && jx_str(in, "sex")[0] != card.sex)
		return err_set(e, ERR_INVALID, "sex", "性别与身份证号码不一致");
	rc = check_contacts(json_object_get(in, "contacts"), e);
	if (!rc && enr && !json_is_null(enr) && a->kind != ACTOR_SYSTEM && a->role != ROLE_BUREAU)
		rc = err_set(e, ERR_FORBIDDEN, "enrolment", "参保登记由医保经办人员办理");
	if (!rc && enr && !json_is_null(enr))
		rc = parse_enrolment(enr, "enrolment", card.birth, &category, &assistance, &sponsored, &status, &from,
				     e);
	if (!rc)
		rc = check_area(db, a, area_id, e);
	if (rc)
		return rc;
	rc = db_int(db, &taken, e, "SELECT COUNT(*) FROM persons WHERE id_number = $1", DB_TEXT(card.number));
	if (rc)
		return rc;
	if (taken)
		return err_set(e, ERR_CONFLICT, "id_number", "该身份证号码已登记");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int(db, &id, e,
		    "INSERT INTO persons (id_number, id_last4, name, sex, birth_date, phone, address, area_id, lat_e6,"
		    " lon_e6, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
		    " RETURNING id",
		    DB_TEXT(card.number), DB_TEXT(card.number + 14), DB_TEXT(f.name), DB_TEXT(card.sex == 'M' ? "M" : "F"),
		    DB_TEXT(birth), DB_TEXT(f.phone && *f.phone ? f.phone : NULL),
		    DB_TEXT(f.address && *f.address ? f.address : NULL), DB_INT(area_id),
		    DB_INT_OR_NULL(f.has_coords, f.lat_e6), DB_INT_OR_NULL(f.has_coords, f.lon_e6), DB_INT(now));
	if (rc == ERR_CONFLICT)
		err_set(e, ERR_CONFLICT, "id_number", "该身份证号码已登记");
	if (!rc && json_is_array(json_object_get(in, "contacts")))
		rc = write_contacts(db, id, json_object_get(in, "contacts"), now, e);
	if (!rc && status)
		rc = insert_enrolment(db, a, id, category, assistance, sponsored, status, from, "manual", e);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc)
		rc = audit_append(db, a, "person.create", "person", ids, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

/* The birth date and scope check of an existing visible person. */
static int load_person(struct db *db, const struct actor *a, int64_t id, int32_t *birth, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180];
	int rc;

	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e, "SELECT p.birth_date FROM persons p WHERE " PERSON_VISIBLE " AND p.id = $2",
		      DB_TEXT(scope), DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		rc = 0;
		if (birth)
			date_parse(db_col_text(st, 0), birth);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "参保人不存在");
	}
	db_done(st);
	return rc;
}

int person_update(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, 0, 1, 150},
		{"phone", JX_STRING, JX_NULLABLE, 0, 20},
		{"address", JX_STRING, JX_NULLABLE, 0, ADDRESS_MAX},
		{"area_id", JX_INT, 0, 1, INT64_MAX},
		{"lat", JX_ANY, JX_NULLABLE, 0, 0},
		{"lon", JX_ANY, JX_NULLABLE, 0, 0},
		{"contacts", JX_ARRAY, 0, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	struct person_fields f = {0};
	const char *key;
	json_t *v, *changed;
	char ids[24];
	int rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	if (json_object_size(in) == 0)
		return err_set(e, ERR_INVALID, "", "没有要修改的字段");
	rc = load_person(db, a, id, NULL, e);
	if (rc)
		return rc;
	if (jx_str(in, "name") && (rc = person_check_name(jx_str(in, "name"), "name", e)))
		return rc;
	if (jx_str(in, "phone") && *jx_str(in, "phone") && !str_phone_valid(jx_str(in, "phone")))
		return err_set(e, ERR_INVALID, "phone", "电话号码格式不正确（手机11位，或区号-号码）");
	if (jx_str(in, "address") && str_has_control(jx_str(in, "address"), false))
		return err_set(e, ERR_INVALID, "address", "地址含有控制字符");
	if (jx_has(in, "lat") || jx_has(in, "lon")) {
		if (jx_has(in, "lat") != jx_has(in, "lon"))
			return err_set(e, ERR_INVALID, jx_has(in, "lat") ? "lon" : "lat", "经纬度须同时提供");
		rc = parse_coords(in, &f, e);
		if (rc)
			return rc;
		if (f.has_coords && !geo_in_china(f.lat_e6, f.lon_e6))
			return err_set(e, ERR_INVALID, "lat", "经纬度不在中国境内（纬度3.8-53.6，经度73.4-135.1）");
	}
	if (jx_has(in, "area_id") && (rc = check_area(db, a, jx_int(in, "area_id", 0), e)))
		return rc;
	if ((rc = check_contacts(json_object_get(in, "contacts"), e)))
		return rc;
	rc = db_begin(db, e);
	if (rc)
		return rc;
	/* Absent fields keep their value: $n flags say which columns to set. */
	rc = db_exec(db, NULL, e,
		     "UPDATE persons SET"
		     " name = CASE WHEN $1 = 1 THEN $2 ELSE name END,"
		     " phone = CASE WHEN $3 = 1 THEN $4 ELSE phone END,"
		     " address = CASE WHEN $5 = 1 THEN $6 ELSE address END,"
		     " area_id = CASE WHEN $7 = 1 THEN $8 ELSE area_id END,"
		     " lat_e6 = CASE WHEN $9 = 1 THEN $10 ELSE lat_e6 END,"
		     " lon_e6 = CASE WHEN $9 = 1 THEN $11 ELSE lon_e6 END,"
		     " updated_at = $12 WHERE id = $13",
		     DB_INT(jx_has(in, "name")), DB_TEXT(jx_str(in, "name")), DB_INT(jx_has(in, "phone")),
		     DB_TEXT(jx_str(in, "phone") && *jx_str(in, "phone") ? jx_str(in, "phone") : NULL),
		     DB_INT(jx_has(in, "address")),
		     DB_TEXT(jx_str(in, "address") && *jx_str(in, "address") ? jx_str(in, "address") : NULL),
		     DB_INT(jx_has(in, "area_id")), DB_INT(jx_int(in, "area_id", 0)), DB_INT(jx_has(in, "lat")),
		     DB_INT_OR_NULL(f.has_coords, f.lat_e6), DB_INT_OR_NULL(f.has_coords, f.lon_e6),
		     DB_INT(date_now_unix()), DB_INT(id));
	if (!rc && jx_has(in, "contacts"))
		rc = write_contacts(db, id, json_object_get(in, "contacts"), date_now_unix(), e);
	/* the audit row names the fields changed, not their (personal) values */
	changed = json_array();
	json_object_foreach((json_t *)in, key, v)
		json_array_append_new(changed, json_string(key));
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc) {
		json_t *d = json_pack("{s:o}", "fields", changed);
		rc = audit_append(db, a, "person.update", "person", ids, AUDIT_OK, d, e);
		json_decref(d);
	} else {
		json_decref(changed);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int person_add_enrolment(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	const char *status = NULL, *from = NULL;
	bool assistance, sponsored;
	int32_t birth = 0;
	int64_t same = 0;
	int category, rc;
	char ids[24];

	rc = load_person(db, a, id, &birth, e);
	if (!rc)
		rc = parse_enrolment(in, "", birth, &category, &assistance, &sponsored, &status, &from, e);
	if (rc)
		return rc;
	/* the very same record again changes nothing */
	rc = db_int(db, &same, e,
		    "SELECT COUNT(*) FROM enrolments WHERE id = (SELECT id FROM enrolments WHERE person_id = $1"
		    " AND effective_from = $2 ORDER BY id DESC LIMIT 1) AND category = $3 AND assistance = $4"
		    " AND sponsored = $5 AND status = $6",
		    DB_INT(id), DB_TEXT(from), DB_TEXT(category_name(category)), DB_INT(assistance), DB_INT(sponsored),
		    DB_TEXT(status));
	if (rc)
		return rc;
	if (same)
		return err_set(e, ERR_CONFLICT, "effective_from", "相同的参保记录已存在");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = insert_enrolment(db, a, id, category, assistance, sponsored, status, from, "manual", e);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s, s:s}", "category", category_name(category), "status", status,
				      "effective_from", from);
		rc = audit_append(db, a, "enrolment.create", "person", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int person_set_death(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"death_date", JX_STRING, JX_REQUIRED | JX_NULLABLE, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	const char *date;
	int32_t birth = 0, day = 0;
	char ids[24];
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	rc = load_person(db, a, id, &birth, e);
	if (rc)
		return rc;
	date = jx_str(in, "death_date");
	if (date) {
		if (!date_parse(date, &day))
			return err_set(e, ERR_INVALID, "death_date", "死亡日期应为YYYY-MM-DD");
		if (day < birth || day > date_today_cn())
			return err_set(e, ERR_INVALID, "death_date", "死亡日期应在出生日期与今天之间");
	}
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e, "UPDATE persons SET death_date = $1, updated_at = $2 WHERE id = $3", DB_TEXT(date),
		     DB_INT(date_now_unix()), DB_INT(id));
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc) {
		json_t *d = json_pack("{s:o}", "death_date", date ? json_string(date) : json_null());
		rc = audit_append(db, a, "person.death", "person", ids, AUDIT_OK, d, e);
		json_decref(d);
	}
	/* care plans end with the day of death */
	if (!rc && date)
		rc = care_plans_end_person(db, id, day, "death", e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int person_add_hospital_stay(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"admitted", JX_STRING, JX_REQUIRED, 10, 10},
		{"discharged", JX_STRING, JX_NULLABLE, 10, 10},
		{"hospital", JX_STRING, JX_NULLABLE, 1, 100},
		{NULL, 0, 0, 0, 0},
	};
	int32_t birth = 0, adm = 0, dis = 0;
	int64_t overlap = 0;
	char ids[24];
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	rc = load_person(db, a, id, &birth, e);
	if (rc)
		return rc;
	if (!date_parse(jx_str(in, "admitted"), &adm) || adm < birth || adm > date_today_cn())
		return err_set(e, ERR_INVALID, "admitted", "入院日期应为出生日期与今天之间的YYYY-MM-DD");
	if (jx_str(in, "discharged") && (!date_parse(jx_str(in, "discharged"), &dis) || dis < adm))
		return err_set(e, ERR_INVALID, "discharged", "出院日期应为不早于入院日期的YYYY-MM-DD");
	rc = db_int(db, &overlap, e,
		    "SELECT COUNT(*) FROM hospital_stays WHERE person_id = $1 AND admitted <= $3"
		    " AND (discharged IS NULL OR discharged >= $2)",
		    DB_INT(id), DB_TEXT(jx_str(in, "admitted")),
		    DB_TEXT(jx_str(in, "discharged") ? jx_str(in, "discharged") : "9999-12-31"));
	if (rc)
		return rc;
	if (overlap)
		return err_set(e, ERR_CONFLICT, "admitted", "与已登记的住院记录时间重叠");
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_exec(db, NULL, e,
		     "INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)"
		     " VALUES ($1, $2, $3, $4, 'manual', $5)",
		     DB_INT(id), DB_TEXT(jx_str(in, "admitted")), DB_TEXT(jx_str(in, "discharged")),
		     DB_TEXT(jx_str(in, "hospital")), DB_INT(date_now_unix()));
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (!rc)
		rc = audit_append(db, a, "person.hospital_stay", "person", ids, AUDIT_OK, NULL, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}
