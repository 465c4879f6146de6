/* import.c: bulk CSV imports (see import.h). Each batch is one transaction: the batch's valid rows go into a
 * temporary staging table (db_copy: COPY on PostgreSQL), then one set-based statement merges them, and rows that
 * can only be judged against the database (unknown person, date before birth) are reported from the staging table. */
#include "svc/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/geo.h"
#include "base/idcard.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "scheme/scheme.h"
#include "svc/audit.h"
#include "svc/caregiver.h"
#include "svc/person.h"

#define BATCH_ROWS 50000

static const char *const kind_names[IMPORT_KIND_COUNT] = {"persons", "enrolments", "deaths", "hospital_stays",
							  "caregivers"};
static const char *const kind_labels[IMPORT_KIND_COUNT] = {"参保人员", "参保登记", "死亡信息", "住院信息", "护理员"};
static const char *const kind_headers[IMPORT_KIND_COUNT] = {
	"id_number,name,phone,address,area_code,lat,lon",
	"id_number,category,flags,status,effective_from",
	"id_number,death_date",
	"id_number,admitted,discharged,hospital",
	"id_number,name,phone,provider_code,employed_from,training_hours,certificate_kind,certificate_number,skill_level,"
	"issued_on,expires_on",
};

int import_kind_parse(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "hospital-stays") == 0)
		return IMPORT_HOSPITAL_STAYS;
	for (int i = 0; i < IMPORT_KIND_COUNT; i++)
		if (strcmp(kind_names[i], name) == 0)
			return i;
	return -1;
}

const char *import_kind_name(enum import_kind k)
{
	return kind_names[k];
}

const char *import_kind_label(enum import_kind k)
{
	return kind_labels[k];
}

const char *import_kind_header(enum import_kind k)
{
	return kind_headers[k];
}

/* ---- the columns of each kind ---- */

enum { C_ID = 0, C_NAME, C_PHONE, C_ADDRESS, C_AREA, C_LAT, C_LON };            /* persons */
enum { E_ID = 0, E_CATEGORY, E_FLAGS, E_STATUS, E_FROM };                         /* enrolments */
enum { D_ID = 0, D_DATE };                                                        /* deaths */
enum { H_ID = 0, H_ADMITTED, H_DISCHARGED, H_HOSPITAL };                          /* hospital stays */

static const char *const person_cols[] = {"id_number", "name", "phone", "address", "area_code", "lat", "lon"};
static const bool person_req[] = {true, true, false, false, true, false, false};
static const char *const enrol_cols[] = {"id_number", "category", "flags", "status", "effective_from"};
static const bool enrol_req[] = {true, true, true, true, true};
static const char *const death_cols[] = {"id_number", "death_date"};
static const bool death_req[] = {true, true};
static const char *const stay_cols[] = {"id_number", "admitted", "discharged", "hospital"};
static const bool stay_req[] = {true, true, false, false};
enum { G_ID = 0, G_NAME, G_PHONE, G_PROVIDER, G_FROM, G_HOURS, G_CKIND, G_CNUMBER, G_LEVEL, G_ISSUED, G_EXPIRES };
static const char *const caregiver_cols[] = {"id_number", "name", "phone", "provider_code", "employed_from",
					     "training_hours", "certificate_kind", "certificate_number", "skill_level",
					     "issued_on", "expires_on"};
static const bool caregiver_req[] = {true, true, false, true, false, false, false, false, false, false, false};

/* ---- area codes ---- */

struct area_slot {
	char code[16];
	int64_t id;
	bool usable; /* a street or neighbourhood within the actor's scope */
};

struct area_map {
	struct area_slot *slots;
	size_t cap;
};

static size_t code_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int area_map_load(struct db *db, const struct actor *a, struct area_map *m, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t n = 0;
	int rc = db_int0(db, &n, e, "SELECT COUNT(*) FROM areas");

	if (rc)
		return rc;
	m->cap = 16;
	while (m->cap < (size_t)n * 2 + 16)
		m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	rc = db_query0(db, &st, e, "SELECT code, id, level, path FROM areas");
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *code = db_col_text(st, 0), *level = db_col_text(st, 2);
		size_t i = code_hash(code) & (m->cap - 1);
		rc = 0;
		while (m->slots[i].code[0])
			i = (i + 1) & (m->cap - 1);
		str_copy(m->slots[i].code, code, sizeof m->slots[i].code);
		m->slots[i].id = db_col_int(st, 1);
		m->slots[i].usable = (strcmp(level, "street") == 0 || strcmp(level, "neighbourhood") == 0) &&
				     actor_covers_area(a, db_col_text(st, 3));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	return rc;
}

static const struct area_slot *area_find(const struct area_map *m, const char *code)
{
	size_t i;

	if (!m->cap || !*code || strlen(code) >= sizeof m->slots[0].code)
		return NULL;
	for (i = code_hash(code) & (m->cap - 1); m->slots[i].code[0]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->slots[i].code, code) == 0)
			return &m->slots[i];
	return NULL;
}

/* ---- the batch: its keys (to keep one row per key in a merge) and raw records (for late rejects) ---- */

struct batch {
	char (*keys)[32];
	size_t key_cap;
	int nkeys;
	int64_t *lines;
	char **raw;
	int nrows;
};

static void batch_init(struct batch *b)
{
	memset(b, 0, sizeof *b);
	b->key_cap = 1;
	while (b->key_cap < BATCH_ROWS * 2)
		b->key_cap *= 2;
	b->keys = xcalloc(b->key_cap, sizeof *b->keys);
	b->lines = xcalloc(BATCH_ROWS, sizeof *b->lines);
	b->raw = xcalloc(BATCH_ROWS, sizeof *b->raw);
}

static void batch_clear(struct batch *b)
{
	if (b->nkeys)
		memset(b->keys, 0, b->key_cap * sizeof *b->keys);
	b->nkeys = 0;
	for (int i = 0; i < b->nrows; i++)
		free(b->raw[i]);
	b->nrows = 0;
}

static void batch_free(struct batch *b)
{
	batch_clear(b);
	free(b->keys);
	free(b->lines);
	free(b->raw);
}

/* Add key; false if it is already in the batch. */
static bool batch_key_add(struct batch *b, const char *key)
{
	size_t i = code_hash(key) & (b->key_cap - 1);

	for (; b->keys[i][0]; i = (i + 1) & (b->key_cap - 1))
		if (strcmp(b->keys[i], key) == 0)
			return false;
	str_copy(b->keys[i], key, sizeof b->keys[i]);
	b->nkeys++;
	return true;
}

static const char *batch_raw(const struct batch *b, int64_t line)
{
	int lo = 0, hi = b->nrows - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (b->lines[mid] == line)
			return b->raw[mid];
		if (b->lines[mid] < line)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return "";
}

/* ---- import state ---- */

struct import {
	struct db *db;
	struct actor *a;
	enum import_kind kind;
	int idx[12];
	int ncols;
	struct area_map areas;
	struct batch batch;
	struct db_copy *copy;
	bool in_tx;
	FILE *rejects;
	const char *rejects_path;
	struct import_result *r;
	int64_t now;
	int32_t today;
	bool has_phone, has_address, has_coords;
};

static void csv_quote(struct buf *b, const char *s)
{
	bool q = strpbrk(s, ",\"\r\n") != NULL;

	if (!q) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static char *join_record(char **f, int n)
{
	struct buf b;

	buf_init(&b, LIMIT_CSV_RECORD_BYTES * 2);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		csv_quote(&b, f[i]);
	}
	return buf_steal(&b);
}

static int reject(struct import *im, int64_t line, const char *field, const char *reason, const char *raw)
{
	struct buf b;

	if (!im->rejects) {
		im->rejects = fopen(im->rejects_path, "w");
		if (!im->rejects)
			return ERR_IO;
		fputs("\xef\xbb\xbfline,field,reason,record\n", im->rejects);
	}
	buf_init(&b, LIMIT_CSV_RECORD_BYTES * 4);
	buf_printf(&b, "%lld,", (long long)line);
	csv_quote(&b, field ? field : "");
	buf_putc(&b, ',');
	csv_quote(&b, reason);
	buf_putc(&b, ',');
	csv_quote(&b, raw ? raw : "");
	buf_putc(&b, '\n');
	fwrite(b.data, 1, b.len, im->rejects);
	buf_free(&b);
	im->r->rejected++;
	return 0;
}

static const char *col(struct import *im, char **f, int n, int which)
{
	int i = im->idx[which];

	if (i < 0 || i >= n)
		return "";
	return f[i];
}

/* ---- staging ---- */

static const char *stage_ddl[IMPORT_KIND_COUNT] = {
	"CREATE TEMP TABLE IF NOT EXISTS stage_persons (line BIGINT, id_number TEXT, id_last4 TEXT, name TEXT,"
	" sex TEXT, birth_date TEXT, phone TEXT, address TEXT, area_id BIGINT, lat_e6 BIGINT, lon_e6 BIGINT)",
	"CREATE TEMP TABLE IF NOT EXISTS stage_enrolments (line BIGINT, id_number TEXT, category TEXT,"
	" assistance INTEGER, sponsored INTEGER, status TEXT, effective_from TEXT)",
	"CREATE TEMP TABLE IF NOT EXISTS stage_deaths (line BIGINT, id_number TEXT, death_date TEXT)",
	"CREATE TEMP TABLE IF NOT EXISTS stage_stays (line BIGINT, id_number TEXT, admitted TEXT, discharged TEXT,"
	" hospital TEXT)",
};
static const char *stage_table[IMPORT_KIND_COUNT] = {"stage_persons", "stage_enrolments", "stage_deaths",
						     "stage_stays"};
static const char *stage_cols[IMPORT_KIND_COUNT] = {
	"line, id_number, id_last4, name, sex, birth_date, phone, address, area_id, lat_e6, lon_e6",
	"line, id_number, category, assistance, sponsored, status, effective_from",
	"line, id_number, death_date",
	"line, id_number, admitted, discharged, hospital",
};
static const int stage_ncols[IMPORT_KIND_COUNT] = {11, 7, 3, 5};

/* Rows that can only be judged against the database: (line, reason). */
static const char *late_reject_sql[IMPORT_KIND_COUNT] = {
	NULL,
	"SELECT s.line, CASE WHEN p.id IS NULL THEN 'unknown' ELSE 'before_birth' END FROM stage_enrolments s"
	" LEFT JOIN persons p ON p.id_number = s.id_number WHERE p.id IS NULL OR s.effective_from < p.birth_date"
	" ORDER BY s.line",
	"SELECT s.line, CASE WHEN p.id IS NULL THEN 'unknown' ELSE 'before_birth' END FROM stage_deaths s"
	" LEFT JOIN persons p ON p.id_number = s.id_number WHERE p.id IS NULL OR s.death_date < p.birth_date"
	" ORDER BY s.line",
	"SELECT s.line, CASE WHEN p.id IS NULL THEN 'unknown' ELSE 'before_birth' END FROM stage_stays s"
	" LEFT JOIN persons p ON p.id_number = s.id_number WHERE p.id IS NULL OR s.admitted < p.birth_date"
	" ORDER BY s.line",
};

static void persons_merge_sql(const struct import *im, struct buf *b)
{
	buf_puts(b, "INSERT INTO persons (id_number, id_last4, name, sex, birth_date, phone, address, area_id, lat_e6,"
		    " lon_e6, created_at, updated_at) SELECT id_number, id_last4, name, sex, birth_date, phone, address,"
		    " area_id, lat_e6, lon_e6, $1, $1 FROM stage_persons WHERE true"
		    " ON CONFLICT (id_number) DO UPDATE SET name = excluded.name, area_id = excluded.area_id");
	/* columns the file does not have keep their values */
	if (im->has_phone)
		buf_puts(b, ", phone = excluded.phone");
	if (im->has_address)
		buf_puts(b, ", address = excluded.address");
	if (im->has_coords)
		buf_puts(b, ", lat_e6 = excluded.lat_e6, lon_e6 = excluded.lon_e6");
	buf_puts(b, ", updated_at = excluded.updated_at WHERE persons.name IS DISTINCT FROM excluded.name"
		    " OR persons.area_id IS DISTINCT FROM excluded.area_id");
	if (im->has_phone)
		buf_puts(b, " OR persons.phone IS DISTINCT FROM excluded.phone");
	if (im->has_address)
		buf_puts(b, " OR persons.address IS DISTINCT FROM excluded.address");
	if (im->has_coords)
		buf_puts(b, " OR persons.lat_e6 IS DISTINCT FROM excluded.lat_e6"
			    " OR persons.lon_e6 IS DISTINCT FROM excluded.lon_e6");
}

static int merge(struct import *im, struct err *e)
{
	struct db *db = im->db;
	struct buf sql;
	int rc;

	buf_init(&sql, 8192);
	switch (im->kind) {
	case IMPORT_PERSONS:
		persons_merge_sql(im, &sql);
		rc = db_exec(db, NULL, e, sql.data, DB_INT(im->now));
		break;
	case IMPORT_ENROLMENTS:
		rc = db_exec(db, NULL, e,
			     "INSERT INTO enrolments (person_id, category, assistance, sponsored, status, effective_from,"
			     " source, recorded_at, recorded_by)"
			     " SELECT p.id, s.category, s.assistance, s.sponsored, s.status, s.effective_from, 'import', $1, $2"
			     " FROM stage_enrolments s JOIN persons p ON p.id_number = s.id_number"
			     " WHERE s.effective_from >= p.birth_date AND NOT EXISTS (SELECT 1 FROM enrolments x"
			     " WHERE x.person_id = p.id AND x.effective_from = s.effective_from AND x.category = s.category"
			     " AND x.assistance = s.assistance AND x.sponsored = s.sponsored AND x.status = s.status)"
			     " ORDER BY s.line",
			     DB_INT(im->now), DB_TEXT(im->a->username));
		break;
	case IMPORT_DEATHS:
		rc = db_exec(db, NULL, e,
			     "UPDATE persons SET death_date = s.death_date, updated_at = $1 FROM stage_deaths s"
			     " WHERE persons.id_number = s.id_number AND s.death_date >= persons.birth_date"
			     " AND persons.death_date IS DISTINCT FROM s.death_date",
			     DB_INT(im->now));
		break;
	case IMPORT_HOSPITAL_STAYS:
		rc = db_exec(db, NULL, e,
			     "INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)"
			     " SELECT p.id, s.admitted, s.discharged, s.hospital, 'import', $1 FROM stage_stays s"
			     " JOIN persons p ON p.id_number = s.id_number WHERE s.admitted >= p.birth_date"
			     " ON CONFLICT (person_id, admitted) DO UPDATE SET discharged = excluded.discharged,"
			     " hospital = excluded.hospital WHERE hospital_stays.discharged IS DISTINCT FROM excluded.discharged"
			     " OR hospital_stays.hospital IS DISTINCT FROM excluded.hospital",
			     DB_INT(im->now));
		break;
	default:
		rc = err_set(e, ERR_INTERNAL, NULL, "unknown import kind");
	}
	buf_free(&sql);
	return rc;
}

/* Finish the current batch: merge it, report the rows the database refused, empty the staging table, commit. */
static int flush(struct import *im, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t late = 0;
	char sql[64];
	int rc = 0;

	if (!im->in_tx)
		return 0;
	rc = db_copy_end(im->copy, e);
	im->copy = NULL;
	/* the planner needs the staging table's size to join it by index rather than scan the registry */
	if (!rc && late_reject_sql[im->kind] && db_engine(im->db) == DB_PGSQL) {
		snprintf(sql, sizeof sql, "ANALYZE %s", stage_table[im->kind]);
		rc = db_exec_v(im->db, NULL, e, sql, NULL, 0);
	}
	if (!rc && late_reject_sql[im->kind]) {
		rc = db_query0(im->db, &st, e, late_reject_sql[im->kind]);
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			int64_t line = db_col_int(st, 0);
			bool unknown = strcmp(db_col_text(st, 1), "unknown") == 0;
			rc = reject(im, line, "id_number", unknown ? "参保人不存在（请先导入参保人员）" : "日期早于出生日期",
				    batch_raw(&im->batch, line));
			if (rc)
				rc = err_set(e, ERR_IO, "rejects", "无法写入拒绝记录文件%s", im->rejects_path);
			late++;
		}
		if (rc == DB_DONE)
			rc = 0;
		db_done(st);
	}
	if (!rc)
		rc = merge(im, e);
	snprintf(sql, sizeof sql, "DELETE FROM %s", stage_table[im->kind]);
	if (!rc)
		rc = db_exec_v(im->db, NULL, e, sql, NULL, 0);
	if (rc) {
		db_rollback(im->db);
	} else {
		rc = db_commit(im->db, e);
	}
	im->in_tx = false;
	if (!rc)
		im->r->ok += im->batch.nrows - late;
	batch_clear(&im->batch);
	return rc;
}

static int stage_row(struct import *im, const char *key, int64_t line, char **f, int n, const struct db_val *vals,
		     struct err *e)
{
	int rc;

	if (im->in_tx && !batch_key_add(&im->batch, key)) {
		/* the same key twice in one batch: merge what we have first, so the later row wins */
		rc = flush(im, e);
		if (rc)
			return rc;
	}
	if (!im->in_tx) {
		rc = db_begin(im->db, e);
		if (!rc)
			rc = db_copy_begin(im->db, stage_table[im->kind], stage_cols[im->kind], stage_ncols[im->kind],
					   &im->copy, e);
		if (rc)
			return rc;
		im->in_tx = true;
		batch_key_add(&im->batch, key);
	}
	rc = db_copy_row(im->copy, vals, e);
	if (rc)
		return rc;
	im->batch.lines[im->batch.nrows] = line;
	im->batch.raw[im->batch.nrows] = late_reject_sql[im->kind] ? join_record(f, n) : NULL;
	im->batch.nrows++;
	if (im->batch.nrows >= BATCH_ROWS)
		return flush(im, e);
	return 0;
}

/* ---- rows ---- */

static int row_person(struct import *im, int64_t line, char **f, int n, struct err *e)
{
	struct person_fields pf = {0};
	struct idcard card;
	const struct area_slot *area;
	const char *lat = col(im, f, n, C_LAT), *lon = col(im, f, n, C_LON);
	char birth[DATE_STR], *raw;
	struct err re;
	int rc;

	pf.id_number = col(im, f, n, C_ID);
	pf.name = col(im, f, n, C_NAME);
	pf.phone = col(im, f, n, C_PHONE);
	pf.address = col(im, f, n, C_ADDRESS);
	if (*lat || *lon) {
		if (!geo_parse_e6(lat, &pf.lat_e6) || !geo_parse_e6(lon, &pf.lon_e6)) {
			raw = join_record(f, n);
			rc = reject(im, line, "lat", "经纬度应为十进制度数（最多6位小数），且须同时提供", raw);
			free(raw);
			return rc;
		}
		pf.has_coords = true;
	}
	if (person_check(&pf, im->today, &card, &re)) {
		raw = join_record(f, n);
		rc = reject(im, line, re.field, re.msg, raw);
		free(raw);
		return rc;
	}
	area = area_find(&im->areas, col(im, f, n, C_AREA));
	if (!area || !area->usable) {
		raw = join_record(f, n);
		rc = reject(im, line, "area_code",
			    !area ? "区划代码不存在" : "区划代码应为街道/镇或居委/村委，且在您的管理范围内", raw);
		free(raw);
		return rc;
	}
	date_format(card.birth, birth);
	return stage_row(im, card.number, line, f, n,
			 (const struct db_val[]){DB_INT(line), DB_TEXT(card.number), DB_TEXT(card.number + 14),
						 DB_TEXT(pf.name), DB_TEXT(card.sex == 'M' ? "M" : "F"), DB_TEXT(birth),
						 DB_TEXT(*pf.phone ? pf.phone : NULL),
						 DB_TEXT(*pf.address ? pf.address : NULL), DB_INT(area->id),
						 DB_INT_OR_NULL(pf.has_coords, pf.lat_e6),
						 DB_INT_OR_NULL(pf.has_coords, pf.lon_e6)},
			 e);
}

/* Parse an ID number column for the non-person kinds; on a bad one the row is rejected and *bad set. */
static int id_column(struct import *im, int64_t line, char **f, int n, struct idcard *card, bool *bad)
{
	struct err re;
	char *raw;
	int rc = 0;

	*bad = false;
	if (idcard_parse(col(im, f, n, 0), im->today, card, "id_number", &re)) {
		raw = join_record(f, n);
		rc = reject(im, line, "id_number", re.msg, raw);
		free(raw);
		*bad = true;
	}
	return rc;
}

static int bad_row(struct import *im, int64_t line, char **f, int n, const char *field, const char *reason)
{
	char *raw = join_record(f, n);
	int rc = reject(im, line, field, reason, raw);

	free(raw);
	return rc;
}

static int row_enrolment(struct import *im, int64_t line, char **f, int n, struct err *e)
{
	struct idcard card;
	const char *cat = col(im, f, n, E_CATEGORY), *flags = col(im, f, n, E_FLAGS),
		   *status = col(im, f, n, E_STATUS), *from = col(im, f, n, E_FROM);
	bool bad, assistance = false, sponsored = false;
	char key[40], flagbuf[64];
	int32_t day;
	int category, rc;

	rc = id_column(im, line, f, n, &card, &bad);
	if (rc || bad)
		return rc;
	if (strcmp(cat, "职工医保") == 0 || strcmp(cat, "职工") == 0)
		cat = "employee";
	else if (strcmp(cat, "城乡居民医保") == 0 || strcmp(cat, "居民") == 0)
		cat = "resident";
	category = category_parse(cat);
	if (category < 0)
		return bad_row(im, line, f, n, "category", "险种应为employee（职工医保）或resident（城乡居民医保）");
	str_copy(flagbuf, flags, sizeof flagbuf);
	for (char *save = NULL, *tok = strtok_r(flagbuf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (strcmp(tok, "assistance") == 0)
			assistance = true;
		else if (strcmp(tok, "sponsored") == 0)
			sponsored = true;
		else if (*tok)
			return bad_row(im, line, f, n, "flags", "参保标识只能是assistance或sponsored，以分号分隔");
	}
	if (strcmp(status, "active") && strcmp(status, "suspended") && strcmp(status, "ended"))
		return bad_row(im, line, f, n, "status", "参保状态应为active、suspended或ended");
	if (!date_parse(from, &day))
		return bad_row(im, line, f, n, "effective_from", "生效日期应为YYYY-MM-DD");
	if (day > date_add_months(im->today, 12))
		return bad_row(im, line, f, n, "effective_from", "生效日期不能晚于一年以后");
	snprintf(key, sizeof key, "%s%s", card.number, from);
	return stage_row(im, key, line, f, n,
			 (const struct db_val[]){DB_INT(line), DB_TEXT(card.number), DB_TEXT(category_name(category)),
						 DB_INT(assistance), DB_INT(sponsored), DB_TEXT(status), DB_TEXT(from)},
			 e);
}

static int row_death(struct import *im, int64_t line, char **f, int n, struct err *e)
{
	struct idcard card;
	const char *date = col(im, f, n, D_DATE);
	int32_t day;
	bool bad;
	int rc = id_column(im, line, f, n, &card, &bad);

	if (rc || bad)
		return rc;
	if (!date_parse(date, &day) || day > im->today)
		return bad_row(im, line, f, n, "death_date", "死亡日期应为不晚于今天的YYYY-MM-DD");
	return stage_row(im, card.number, line, f, n,
			 (const struct db_val[]){DB_INT(line), DB_TEXT(card.number), DB_TEXT(date)}, e);
}

static int row_stay(struct import *im, int64_t line, char **f, int n, struct err *e)
{
	struct idcard card;
	const char *adm = col(im, f, n, H_ADMITTED), *dis = col(im, f, n, H_DISCHARGED),
		   *hospital = col(im, f, n, H_HOSPITAL);
	int32_t a = 0, d = 0;
	char key[40];
	bool bad;
	int rc = id_column(im, line, f, n, &card, &bad);

	if (rc || bad)
		return rc;
	if (!date_parse(adm, &a) || a > im->today)
		return bad_row(im, line, f, n, "admitted", "入院日期应为不晚于今天的YYYY-MM-DD");
	if (*dis && (!date_parse(dis, &d) || d < a))
		return bad_row(im, line, f, n, "discharged", "出院日期应为不早于入院日期的YYYY-MM-DD");
	if (strlen(hospital) > 100 || str_has_control(hospital, false))
		return bad_row(im, line, f, n, "hospital", "医院名称过长或含有控制字符");
	snprintf(key, sizeof key, "%s%s", card.number, adm);
	return stage_row(im, key, line, f, n,
			 (const struct db_val[]){DB_INT(line), DB_TEXT(card.number), DB_TEXT(adm),
						 DB_TEXT(*dis ? dis : NULL), DB_TEXT(*hospital ? hospital : NULL)},
			 e);
}

/* ---- driver ---- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- caregivers: a few thousand rows, each through the caregiver service (its checks, its transaction) ---- */

static int caregiver_rows(struct import *im, struct csv_reader *csv, import_progress_fn progress, void *arg,
			  struct err *e)
{
	char **f;
	int n, got;
	int64_t line, last_progress = 0;

	while ((got = csv_next(csv, &f, &n, &line, e)) != 0) {
		struct err re = {0};
		const char *id = col(im, f, n, G_ID), *provider = col(im, f, n, G_PROVIDER);
		int64_t pid = 0, existing = 0, hours = 0, level = 0;
		json_t *in;
		int rc;
		im->r->rows++;
		if (got != CSV_ROW) {
			if (reject(im, line, "", e->msg, ""))
				return ERR_IO;
			continue;
		}
		rc = db_int(im->db, &pid, &re, "SELECT id FROM providers WHERE code = $1", DB_TEXT(provider));
		if (rc == ERR_NOT_FOUND || (!rc && !pid))
			rc = err_set(&re, ERR_INVALID, "provider_code", "机构编码%s不存在", provider);
		/* already on this provider's staff: nothing to do (a re-import changes nothing) */
		if (!rc)
			rc = db_int(im->db, &existing, &re,
				    "SELECT COUNT(*) FROM caregivers WHERE id_number = $1 AND provider_id = $2",
				    DB_TEXT(id), DB_INT(pid));
		if (!rc && existing) {
			im->r->ok++;
			continue;
		}
		if (!rc && *col(im, f, n, G_HOURS) && !str_to_i64(col(im, f, n, G_HOURS), &hours))
			rc = err_set(&re, ERR_INVALID, "training_hours", "培训学时应为整数");
		if (!rc && *col(im, f, n, G_LEVEL) && !str_to_i64(col(im, f, n, G_LEVEL), &level))
			rc = err_set(&re, ERR_INVALID, "skill_level", "技能等级应为0-5的整数");
		if (!rc) {
			in = json_pack("{s:s, s:s, s:s, s:I, s:I}", "id_number", id, "name", col(im, f, n, G_NAME), "kind",
				       "staff", "provider_id", (json_int_t)pid, "training_hours", (json_int_t)hours);
			if (*col(im, f, n, G_PHONE))
				json_object_set_new(in, "phone", json_string(col(im, f, n, G_PHONE)));
			if (*col(im, f, n, G_FROM))
				json_object_set_new(in, "employed_from", json_string(col(im, f, n, G_FROM)));
			if (*col(im, f, n, G_CNUMBER))
				json_object_set_new(in, "certificates",
						    json_pack("[{s:s, s:s, s:I, s:s, s:s}]", "kind",
							      *col(im, f, n, G_CKIND) ? col(im, f, n, G_CKIND) : "care_worker",
							      "number", col(im, f, n, G_CNUMBER), "skill_level", (json_int_t)level,
							      "issued_on", col(im, f, n, G_ISSUED), "expires_on",
							      col(im, f, n, G_EXPIRES)));
			/* the service audits each caregiver it registers; the import's own row follows at the end */
			rc = caregiver_create(im->db, NULL, im->a, in, &existing, &re);
			im->a->audited = false;
			json_decref(in);
		}
		if (rc == ERR_UNAVAILABLE || rc == ERR_INTERNAL || rc == ERR_IO)
			return err_set(e, rc, re.field[0] ? re.field : NULL, "%s", re.msg);
		if (rc) {
			char *raw = join_record(f, n);
			char field[80];
			/* certificate fields come back as certificates[0].x: name the CSV column instead */
			if (str_starts(re.field, "certificates[0]."))
				snprintf(field, sizeof field, "%s%s",
					 !strcmp(re.field + 16, "kind") || !strcmp(re.field + 16, "number") ? "certificate_" : "",
					 re.field + 16);
			else
				str_copy(field, re.field, sizeof field);
			if (!strcmp(field, "provider_id"))
				str_copy(field, "provider_code", sizeof field);
			rc = reject(im, line, field, re.msg, raw);
			free(raw);
			if (rc)
				return ERR_IO;
			continue;
		}
		im->r->ok++;
		if (progress && im->r->rows - last_progress >= 200) {
			struct import_progress pr = {im->r->rows, im->r->ok, im->r->rejected, csv_position(csv), csv_size(csv)};
			last_progress = im->r->rows;
			progress(&pr, arg);
		}
	}
	return 0;
}

int import_run(struct db *db, struct actor *a, enum import_kind kind, const char *path, const char *rejects_path,
	       import_progress_fn progress, void *arg, struct import_result *r, struct err *e)
{
	static const char *const *cols[IMPORT_KIND_COUNT] = {person_cols, enrol_cols, death_cols, stay_cols,
							       caregiver_cols};
	static const bool *reqs[IMPORT_KIND_COUNT] = {person_req, enrol_req, death_req, stay_req, caregiver_req};
	static const int ncols[IMPORT_KIND_COUNT] = {7, 5, 2, 4, 11};
	struct import im;
	struct csv_reader *csv = NULL;
	struct import_progress pr;
	double t0 = now_seconds();
	int64_t last_progress = 0;
	char **f;
	int64_t line;
	char sql[64];
	int n, rc;

	memset(r, 0, sizeof *r);
	memset(&im, 0, sizeof im);
	db_bulk_mode(db);
	im.db = db;
	im.a = a;
	im.kind = kind;
	im.r = r;
	im.rejects_path = rejects_path;
	im.now = date_now_unix();
	im.today = date_today_cn();
	batch_init(&im.batch);
	if (remove(rejects_path) && errno != ENOENT) {
		rc = err_set(e, ERR_IO, "rejects", "无法删除旧的拒绝记录文件%s", rejects_path);
		goto out;
	}
	rc = csv_open(path, &csv, e);
	if (rc)
		goto out;
	str_copy(r->encoding, csv_encoding(csv) == CSV_UTF8 ? "UTF-8" : "GB18030", sizeof r->encoding);
	rc = csv_next(csv, &f, &n, &line, e);
	if (rc == 0) {
		rc = err_set(e, ERR_INVALID, "file", "文件为空，缺少表头（%s）", kind_headers[kind]);
		goto out;
	}
	if (rc != CSV_ROW)
		goto out;
	rc = csv_map_header(f, n, cols[kind], reqs[kind], ncols[kind], im.idx, e);
	if (rc) {
		char msg[sizeof e->msg];
		str_copy(msg, e->msg, sizeof msg);
		err_set(e, ERR_INVALID, e->field, "%s；应有的表头：%s", msg, kind_headers[kind]);
		goto out;
	}
	im.has_phone = kind == IMPORT_PERSONS && im.idx[C_PHONE] >= 0;
	im.has_address = kind == IMPORT_PERSONS && im.idx[C_ADDRESS] >= 0;
	im.has_coords = kind == IMPORT_PERSONS && im.idx[C_LAT] >= 0 && im.idx[C_LON] >= 0;
	if (kind == IMPORT_PERSONS && (rc = area_map_load(db, a, &im.areas, e)))
		goto out;
	if (kind == IMPORT_CAREGIVERS) {
		rc = caregiver_rows(&im, csv, progress, arg, e);
		goto out;
	}
	snprintf(sql, sizeof sql, "DELETE FROM %s", stage_table[kind]);
	rc = db_exec_script(db, stage_ddl[kind], e);
	if (!rc)
		rc = db_exec_v(db, NULL, e, sql, NULL, 0);
	if (rc)
		goto out;
	for (;;) {
		struct err re;
		int got = csv_next(csv, &f, &n, &line, &re);
		if (got == 0)
			break;
		r->rows++;
		if (got != CSV_ROW) {
			rc = reject(&im, line, "", re.msg, "");
			if (rc) {
				rc = err_set(e, ERR_IO, "rejects", "无法写入拒绝记录文件%s", rejects_path);
				goto out;
			}
			continue;
		}
		switch (kind) {
		case IMPORT_PERSONS: rc = row_person(&im, line, f, n, e); break;
		case IMPORT_ENROLMENTS: rc = row_enrolment(&im, line, f, n, e); break;
		case IMPORT_DEATHS: rc = row_death(&im, line, f, n, e); break;
		default: rc = row_stay(&im, line, f, n, e); break;
		}
		if (rc == ERR_IO)
			err_set(e, ERR_IO, "rejects", "无法写入拒绝记录文件%s", rejects_path);
		if (rc)
			goto out;
		if (progress && r->rows - last_progress >= 5000) {
			last_progress = r->rows;
			pr = (struct import_progress){r->rows, r->ok, r->rejected, csv_position(csv), csv_size(csv)};
			progress(&pr, arg);
		}
	}
	rc = flush(&im, e);
out:
	if (im.in_tx) {
		db_copy_end(im.copy, NULL);
		db_rollback(db);
		im.in_tx = false;
	}
	if (im.rejects && fclose(im.rejects) && !rc)
		rc = err_set(e, ERR_IO, "rejects", "无法写入拒绝记录文件%s", rejects_path);
	r->seconds = now_seconds() - t0;
	if (progress && csv) {
		pr = (struct import_progress){r->rows, r->ok, r->rejected, csv_size(csv), csv_size(csv)};
		progress(&pr, arg);
	}
	{
		struct err ae;
		json_t *d = json_pack("{s:s, s:I, s:I, s:I, s:s}", "kind", kind_names[kind], "rows", (json_int_t)r->rows,
				      "ok", (json_int_t)r->ok, "rejected", (json_int_t)r->rejected, "encoding",
				      r->encoding[0] ? r->encoding : "-");
		char action[40];
		if (rc)
			json_object_set_new(d, "error", json_string(e->msg));
		snprintf(action, sizeof action, "import.%s", kind_names[kind]);
		if (audit_append(db, a, action, "import", NULL, rc ? AUDIT_FAILED : AUDIT_OK, d, &ae) == 0)
			a->audited = true;
		json_decref(d);
	}
	log_info("event=import kind=%s rows=%lld ok=%lld rejected=%lld seconds=%.2f rc=%d", kind_names[kind],
		 (long long)r->rows, (long long)r->ok, (long long)r->rejected, r->seconds, rc);
	csv_close(csv);
	batch_free(&im.batch);
	free(im.areas.slots);
	return rc;
}
