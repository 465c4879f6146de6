/* application_view.c: reading applications: the work lists (by status, overdue, "mine" for the drawn assessors)
 * and the full case with its live pre-screening checks and every step taken. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/json.h"
#include "base/str.h"
#include "svc/app_internal.h"
#include "svc/application.h"
#include "svc/audit.h"
#include "svc/rows.h"

static json_t *parsed(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_null();
}

#define LIST_COLS                                                                                                  \
	"ap.id, ap.person_id, p.name, p.id_number, ap.type, ap.status, ap.submitted_on, ap.due_date, ap.green_channel," \
	" ap.gate, ap.level, ar.name, ap.submitted_by, ap.updated_at, ap.conclusion_due,"                            \
	" (SELECT s.flags FROM assessments s WHERE s.application_id = ap.id ORDER BY s.id DESC LIMIT 1),"              \
	" (SELECT COUNT(*) FROM confirmations c WHERE c.application_id = ap.id)"

/* Statuses between acceptance and the conclusion: the conclusion deadline runs. */
#define CONCLUSION_PENDING "('accepted', 'assigned', 'in_review', 'awaiting_confirmation')"

static bool conclusion_pending(const char *status)
{
	return !strcmp(status, "accepted") || !strcmp(status, "assigned") || !strcmp(status, "in_review") ||
	       !strcmp(status, "awaiting_confirmation");
}

static json_t *list_item(struct db_stmt *st, const char *today)
{
	char idm[24];
	const char *status = db_col_text(st, 5), *cdue = db_col_text(st, 14);
	bool overdue = (strcmp(status, "submitted") == 0 && strcmp(db_col_text(st, 7), today) < 0) ||
		       (conclusion_pending(status) && cdue && strcmp(cdue, today) < 0);
	json_t *flags = json_array(), *stored = db_col_text(st, 15) ? json_loads(db_col_text(st, 15), 0, NULL) : NULL, *f;
	size_t i;

	json_array_foreach(stored, i, f)
		json_array_append(flags, json_object_get(f, "code"));
	json_decref(stored);
	str_mask_id(db_col_text(st, 3), idm, sizeof idm);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:s, s:b, s:I, s:o, s:o,"
			 " s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "person_id", (json_int_t)db_col_int(st, 1), "person_name",
			 db_col_text(st, 2), "id_number", idm, "type", db_col_text(st, 4), "type_label",
			 application_type_label(db_col_text(st, 4)), "status", status, "status_label",
			 application_status_label(status), "submitted_on", db_col_text(st, 6), "due_date",
			 db_col_text(st, 7), "green_channel", db_col_int(st, 8) != 0, "gate", jx_str_or_null(db_col_text(st, 9)),
			 "level", db_col_null(st, 10) ? json_null() : json_integer(db_col_int(st, 10)), "area_name",
			 jx_str_or_null(db_col_text(st, 11)), "submitted_by", db_col_text(st, 12), "overdue", overdue,
			 "updated_at", (json_int_t)db_col_int(st, 13), "conclusion_due", jx_str_or_null(cdue), "flags", flags,
			 "confirmations", (json_int_t)db_col_int(st, 16));
}

int application_list(struct db *db, const struct actor *a, const struct application_filter *f, json_t **out,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180], today[DATE_STR], sql[3072], area_like[180] = "", name[160] = "", last[32] = "";
	struct buf where;
	json_t *items;
	int64_t total = 0, me = f->mine ? app_actor_assessor(db, a) : 0, case_no = 0;
	int rc;

	if (f->status && *f->status && strcmp(application_status_label(f->status), f->status) == 0)
		return err_set(e, ERR_INVALID, "status", "未知的申请状态");
	if (f->type && *f->type && strcmp(application_type_label(f->type), f->type) == 0)
		return err_set(e, ERR_INVALID, "type", "未知的申请类型");
	if (f->q && *f->q) {
		size_t n = strlen(f->q);
		if (n > 60)
			return err_set(e, ERR_INVALID, "q", "查询条件过长");
		if (strspn(f->q, "0123456789") == n && n < 4)
			str_to_i64(f->q, &case_no); /* a case number */
		else if (strspn(f->q, "0123456789Xx") == n)
			snprintf(last, sizeof last, "%%%s", f->q); /* the end of an ID number */
		else {
			str_like_contains(f->q, name, sizeof name);
			memmove(name, name + 1, strlen(name)); /* a name prefix */
		}
		if (strspn(f->q, "0123456789") == n && n >= 4 && n <= 9)
			str_to_i64(f->q, &case_no); /* digits may also be a case number */
	}
	if (f->area_id) {
		rc = db_query(db, &st, e, "SELECT path FROM areas WHERE id = $1", DB_INT(f->area_id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			snprintf(area_like, sizeof area_like, "%s%%", db_col_text(st, 0));
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_INVALID, "area_id", "区域不存在");
		}
		db_done(st);
		if (rc)
			return rc;
	}
	items = json_array();
	actor_area_like(a, scope, sizeof scope);
	date_format(date_today_cn(), today);
	buf_init(&where, 4096);
	buf_puts(&where, " FROM applications ap JOIN persons p ON p.id = ap.person_id LEFT JOIN areas ar ON ar.id = ap.area_id"
			 " WHERE ($1 = '' OR ar.path LIKE $1) AND ($2 = '' OR ap.status = $2) AND ($3 = '' OR ap.type = $3)"
			 " AND ($4 = 0 OR ap.person_id = $4) AND ($7 = '' OR ar.path LIKE $7)"
			 " AND (($8 = '' AND $9 = '' AND $10 = 0) OR ($8 <> '' AND p.name LIKE $8 ESCAPE '\\')"
			 "  OR ($9 <> '' AND p.id_number LIKE $9) OR ap.id = $10)");
	if (f->overdue)
		buf_puts(&where, " AND ((ap.status = 'submitted' AND ap.due_date < $5)"
				 " OR (ap.status IN " CONCLUSION_PENDING " AND ap.conclusion_due < $5))");
	else
		buf_puts(&where, " AND $5 <> ''");
	if (f->mine)
		buf_puts(&where, " AND EXISTS (SELECT 1 FROM assignments x WHERE x.application_id = ap.id AND x.status = 'open'"
				 " AND (x.expert_id = $6 OR x.assessor_id = $6))");
	else
		buf_puts(&where, " AND $6 = 0");
#define ARGS                                                                                                       \
	DB_TEXT(scope), DB_TEXT(f->status ? f->status : ""), DB_TEXT(f->type ? f->type : ""), DB_INT(f->person_id),   \
		DB_TEXT(today), DB_INT(f->mine ? (me ? me : -1) : 0), DB_TEXT(area_like), DB_TEXT(name), DB_TEXT(last),  \
		DB_INT(case_no)
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where.data);
	rc = db_int(db, &total, e, sql, ARGS);
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT " LIST_COLS "%s ORDER BY %s LIMIT $11 OFFSET $12", where.data,
			 f->overdue ? "ap.due_date, ap.id" : "ap.id DESC");
		rc = db_query(db, &st, e, sql, ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
	}
#undef ARGS
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(items, list_item(st, today));
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	buf_free(&where);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

/* Rows of a query as an array, each built by row(). */
static json_t *material_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "kind",
			 db_col_text(st, 1), "filename", db_col_text(st, 2), "content_type", db_col_text(st, 3), "size",
			 (json_int_t)db_col_int(st, 4), "sha256", db_col_text(st, 5), "uploaded_by", db_col_text(st, 6),
			 "uploaded_at", (json_int_t)db_col_int(st, 7));
}

static json_t *assignment_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
			 "purpose", db_col_text(st, 1), "status", db_col_text(st, 2), "expert", "id",
			 (json_int_t)db_col_int(st, 3), "name", db_col_text(st, 4), "assessor", "id",
			 (json_int_t)db_col_int(st, 5), "name", db_col_text(st, 6), "drawn_by", db_col_text(st, 7),
			 "drawn_at", (json_int_t)db_col_int(st, 8));
}

static json_t *assessment_row(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I, s:I, s:i, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:s, s:I}", "id",
			      (json_int_t)db_col_int(st, 0), "assignment_id", (json_int_t)db_col_int(st, 1), "level",
			      (int)db_col_int(st, 2), "form", parsed(db_col_text(st, 3)), "result", parsed(db_col_text(st, 4)),
			      "visit_start", (json_int_t)db_col_int(st, 5), "visit_end", (json_int_t)db_col_int(st, 6),
			      "present", parsed(db_col_text(st, 10)), "flags", parsed(db_col_text(st, 11)), "video_ref",
			      jx_str_or_null(db_col_text(st, 12)), "submitted_by", db_col_text(st, 14), "submitted_at",
			      (json_int_t)db_col_int(st, 15));

	json_object_set_new(o, "lat", db_col_null(st, 7) ? json_null() : json_real((double)db_col_int(st, 7) / 1e6));
	json_object_set_new(o, "lon", db_col_null(st, 8) ? json_null() : json_real((double)db_col_int(st, 8) / 1e6));
	json_object_set_new(o, "video_seconds", db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)));
	json_object_set_new(o, "video_sha256", jx_str_or_null(db_col_text(st, 13)));
	return o;
}

static json_t *review_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "decision",
			 db_col_text(st, 1), "level", db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
			 "reason", jx_str_or_null(db_col_text(st, 3)), "decided_by", db_col_text(st, 4), "decided_at",
			 (json_int_t)db_col_int(st, 5));
}

static json_t *confirmation_row(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:i, s:I}", "username", db_col_text(st, 0), "name", db_col_text(st, 1), "level",
			 (int)db_col_int(st, 2), "confirmed_at", (json_int_t)db_col_int(st, 3));
}

static json_t *certification_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:i, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0),
			 "level", (int)db_col_int(st, 1), "level_name", db_col_text(st, 2), "qualifies",
			 db_col_int(st, 3) != 0, "concluded_on", db_col_text(st, 4), "published_until", db_col_text(st, 5),
			 "appeal_until", db_col_text(st, 6), "valid_from", db_col_text(st, 7), "valid_until",
			 db_col_text(st, 8), "status", db_col_text(st, 9), "final", db_col_int(st, 10) != 0);
}

int application_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		    struct err *e)
{
	struct db_stmt *st = NULL;
	struct app_row ap;
	char scope[180], idm[24];
	json_t *o = NULL, *checks, *cert;
	bool all_ok = false;
	int rc = app_load(db, a, id, &ap, e);

	if (rc)
		return rc;
	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e,
		      "SELECT ap.id, ap.person_id, p.name, p.id_number, p.sex, p.birth_date, ap.type, ap.status, ap.appeal_of,"
		      " ap.green_channel, ap.green_reason, ap.pledge_signed, ap.self_assessment, ap.gate,"
		      " ap.disability_since, ap.applicant_kind, ap.agent_name, ap.agent_relation, ap.agent_phone,"
		      " ap.agent_email, ap.note, ap.submitted_by, ap.submitted_at, ap.submitted_on, ap.due_date,"
		      " ap.prescreen, ap.reject_reasons, ap.decided_by, ap.decided_at, ap.level, ap.concluded_at, ar.name,"
		      " ap.conclusion_due"
		      " FROM applications ap JOIN persons p ON p.id = ap.person_id LEFT JOIN areas ar ON ar.id = ap.area_id"
		      " WHERE ap.id = $1",
		      DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_mask_id(db_col_text(st, 3), idm, sizeof idm);
		o = json_pack("{s:I, s:{s:I, s:s, s:s, s:s, s:s, s:o}, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:b, s:o, s:o, s:o,"
			      " s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "id", (json_int_t)db_col_int(st, 0), "person", "id", (json_int_t)db_col_int(st, 1), "name",
			      db_col_text(st, 2), "id_number", idm, "sex", db_col_text(st, 4), "birth_date", db_col_text(st, 5),
			      "area_name", jx_str_or_null(db_col_text(st, 31)), "type", db_col_text(st, 6), "type_label",
			      application_type_label(db_col_text(st, 6)), "status", db_col_text(st, 7), "status_label",
			      application_status_label(db_col_text(st, 7)), "appeal_of",
			      db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)), "green_channel",
			      db_col_int(st, 9) != 0, "green_reason", jx_str_or_null(db_col_text(st, 10)), "pledge_signed",
			      db_col_int(st, 11) != 0, "self_assessment", parsed(db_col_text(st, 12)), "gate",
			      jx_str_or_null(db_col_text(st, 13)), "disability_since", jx_str_or_null(db_col_text(st, 14)),
			      "applicant_kind", db_col_text(st, 15), "agent_name", jx_str_or_null(db_col_text(st, 16)),
			      "agent_relation", jx_str_or_null(db_col_text(st, 17)), "agent_phone",
			      jx_str_or_null(db_col_text(st, 18)), "agent_email", jx_str_or_null(db_col_text(st, 19)), "note",
			      jx_str_or_null(db_col_text(st, 20)), "submitted_by", db_col_text(st, 21), "submitted_at",
			      (json_int_t)db_col_int(st, 22), "submitted_on", db_col_text(st, 23), "due_date",
			      db_col_text(st, 24), "prescreen", parsed(db_col_text(st, 25)), "reject_reasons",
			      parsed(db_col_text(st, 26)), "decided_by", jx_str_or_null(db_col_text(st, 27)), "decided_at",
			      db_col_null(st, 28) ? json_null() : json_integer(db_col_int(st, 28)), "level",
			      db_col_null(st, 29) ? json_null() : json_integer(db_col_int(st, 29)), "concluded_at",
			      db_col_null(st, 30) ? json_null() : json_integer(db_col_int(st, 30)));
		json_object_set_new(o, "conclusion_due", jx_str_or_null(db_col_text(st, 32)));
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "申请不存在");
	}
	db_done(st);
	if (rc)
		return rc;
	/* is the caller the drawn expert or assessor of the open draw? */
	{
		int64_t me = app_actor_assessor(db, a), n = 0;
		if (me)
			rc = db_int(db, &n, e,
				    "SELECT COUNT(*) FROM assignments WHERE application_id = $1 AND status = 'open'"
				    " AND (expert_id = $2 OR assessor_id = $2)",
				    DB_INT(id), DB_INT(me));
		if (rc) {
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, "drawn_me", json_boolean(n > 0));
	}
	if (ap.has_level) {
		const struct scheme_level *lv = scheme_level(s, ap.level);
		json_object_set_new(o, "level_name", json_string(lv ? lv->name : ""));
	}
	/* the live checks (for cases still waiting for the intake decision) */
	checks = application_checks(db, s, id, &all_ok, e);
	json_object_set_new(o, "checks", checks ? checks : json_array());
	json_object_set_new(o, "checks_ok", json_boolean(all_ok));
	rc = rows_by_id(db, o, "materials",
		  "SELECT id, kind, filename, content_type, size, sha256, uploaded_by, uploaded_at FROM application_materials"
		  " WHERE application_id = $1 ORDER BY id",
		  id, material_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "assignments",
			  "SELECT x.id, x.purpose, x.status, x.expert_id, ex.name, x.assessor_id, asr.name, x.drawn_by, x.drawn_at"
			  " FROM assignments x JOIN assessors ex ON ex.id = x.expert_id JOIN assessors asr ON asr.id = x.assessor_id"
			  " WHERE x.application_id = $1 ORDER BY x.id",
			  id, assignment_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "assessments",
			  "SELECT id, assignment_id, level, form, result, visit_start, visit_end, visit_lat_e6, visit_lon_e6,"
			  " video_seconds, present, flags, video_ref, video_sha256, submitted_by, submitted_at FROM assessments"
			  " WHERE application_id = $1 ORDER BY id",
			  id, assessment_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "reviews",
			  "SELECT id, decision, level, reason, decided_by, decided_at FROM reviews WHERE application_id = $1"
			  " ORDER BY id",
			  id, review_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "confirmations",
			  "SELECT u.username, u.display_name, c.level, c.confirmed_at FROM confirmations c"
			  " JOIN users u ON u.id = c.user_id WHERE c.application_id = $1 ORDER BY c.id",
			  id, confirmation_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "certification",
			  "SELECT id, level, level_name, qualifies, concluded_on, published_until, appeal_until, valid_from,"
			  " valid_until, status, final FROM certifications WHERE application_id = $1",
			  id, certification_row, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	/* one certification at most: an object, not a list */
	cert = json_array_get(json_object_get(o, "certification"), 0);
	json_object_set(o, "certification", cert ? cert : json_null());
	*out = o;
	return 0;
}

int application_read(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, json_t **out,
		     struct err *e)
{
	char ids[24];
	int rc = application_get(db, s, a, id, out, e);

	if (rc)
		return rc;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = audit_append(db, a, "application.read", "application", ids, AUDIT_OK, NULL, e);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
